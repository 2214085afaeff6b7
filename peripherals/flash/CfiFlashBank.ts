import type { AccessWidth, MmioDevice, PcProvider } from '../../src/machine/MmioDevice.ts';
import { DeviceAccessLog, hex } from '../DeviceAccessLog.ts';
import { cfiQueryTable } from './cfiQueryTable.ts';

/**
 * One bank of parallel NOR flash with the Intel command set (CFI primary
 * vendor 0x0001), as QEMU's pflash_cfi01 models it on the virt board:
 * `bankWidth` bytes of data bus made of bankWidth/deviceWidth devices side by
 * side, each answering commands on its own byte lanes.
 *
 * Reads in read-array mode return the stored bytes; in the other modes each
 * device answers with its query-table entry, identifier or status register
 * for the bank word addressed (word index = offset / bankWidth), zero-extended
 * to the device width and repeated for every device of the bank. Commands are
 * taken from the low byte of the value written, as QEMU does.
 *
 * Operations complete at once: the status register always shows ready
 * (SR.7), with SR.1/3/4/5 for errors until Clear Status. Programming can only
 * clear bits, erasing sets a whole block to 0xff, locked blocks refuse both.
 *
 * Every access goes through this MMIO model, read-array reads included (a
 * few array reads and shifts per access). For fast execute-in-place a
 * machine can map `bytes` as ROM while `readArrayMode` is true and route
 * writes to `write()` (QEMU's "romd" mode); `onModeChange` and
 * `onContentChange` tell it when to switch and which bytes changed.
 */

const enum Mode { ReadArray, Status, Id, Query }
const enum Pending { None, Program, Erase, Lock, BufferCount, BufferData, BufferConfirm }

// Status register bits (Intel StrataFlash / P30 datasheets)
export const SR_READY = 0x80;
export const SR_ERASE_ERROR = 0x20;
export const SR_PROGRAM_ERROR = 0x10;
export const SR_LOCKED = 0x02;

export interface CfiFlashBankOptions {
  readonly name: string;
  /** Bytes in the bank; a power of two. */
  readonly size: number;
  /** Data bus width in bytes: 1, 2 or 4. */
  readonly bankWidth: number;
  /** Width of each device in bytes (≤ bankWidth); default min(bankWidth, 2). */
  readonly deviceWidth?: number;
  /** Erase block of the bank in bytes (all devices together); default 256 KiB. */
  readonly blockSize?: number;
  /** Manufacturer / device identifiers (default Intel 0x89, 0x18, as QEMU's virt). */
  readonly manufacturerId?: number;
  readonly deviceId?: number;
  readonly bigEndian?: boolean;
  readonly log?: (message: string) => void;
  readonly pc?: PcProvider;
  readonly baseAddress?: number;
}

/** A bank's state for snapshots (its contents are saved by CfiFlash). `buffer` is the write buffer being filled. */
export interface CfiFlashBankSnapshot {
  readonly mode: number;
  readonly pending: number;
  readonly status: number;
  readonly locks: readonly number[];
  readonly buffer?: {
    readonly block: number;
    readonly left: number;
    readonly offsets: readonly number[];
    readonly widths: readonly number[];
    readonly values: readonly number[];
  };
}

export class CfiFlashBank implements MmioDevice {
  readonly name: string;
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  readonly size: number;
  readonly bankWidth: number;
  readonly deviceWidth: number;
  readonly blockSize: number;
  readonly manufacturerId: number;
  readonly deviceId: number;

  private storage: Uint8Array | null = null;
  private readonly allocateListeners: Array<() => void> = [];
  private readonly table: Uint8Array;
  private readonly locks: Uint8Array;
  private readonly bigEndian: boolean;
  private readonly log: DeviceAccessLog;
  private readonly bankShift: number;
  private readonly blockShift: number;

  private mode = Mode.ReadArray;
  private pending = Pending.None;
  private status = SR_READY;
  private bufferBlock = 0;
  private bufferLeft = 0;
  private bufferCount = 0;
  private readonly bufferOffsets: Int32Array;
  private readonly bufferWidths: Uint8Array;
  private readonly bufferValues: Uint32Array;

  private readonly modeListeners: Array<(readArray: boolean) => void> = [];
  private readonly contentListeners: Array<(offset: number, length: number) => void> = [];

  constructor(opts: CfiFlashBankOptions) {
    const bw = opts.bankWidth;
    const dw = opts.deviceWidth ?? Math.min(bw, 2);
    const bs = opts.blockSize ?? 256 * 1024;
    const pow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
    if (![1, 2, 4].includes(bw)) throw new RangeError(`${opts.name}: bank width must be 1, 2 or 4 bytes, not ${bw}`);
    if (![1, 2, 4].includes(dw) || dw > bw) throw new RangeError(`${opts.name}: device width ${dw} does not fit bank width ${bw}`);
    if (!pow2(opts.size)) throw new RangeError(`${opts.name}: flash size ${hex(opts.size)} is not a power of two`);
    if (!pow2(bs) || bs > opts.size || bs / (bw / dw) < 256) {
      throw new RangeError(`${opts.name}: erase block ${hex(bs)} must be a power of two, at least 256 bytes per device, within the bank`);
    }
    this.name = opts.name;
    this.size = opts.size;
    this.bankWidth = bw;
    this.deviceWidth = dw;
    this.blockSize = bs;
    this.manufacturerId = opts.manufacturerId ?? 0x89;
    this.deviceId = opts.deviceId ?? 0x18;
    this.bigEndian = opts.bigEndian ?? false;
    this.bankShift = 31 - Math.clz32(bw);
    this.blockShift = 31 - Math.clz32(bs);
    const devices = bw / dw;
    this.table = cfiQueryTable({ deviceSize: opts.size / devices, deviceBlockSize: bs / devices, deviceWidth: dw });
    this.locks = new Uint8Array(opts.size / bs);
    // The write buffer holds 2 KiB per device (CFI 0x2a); in bank writes at most that many bytes.
    const bufferBytes = 2048 * devices;
    this.bufferOffsets = new Int32Array(bufferBytes);
    this.bufferWidths = new Uint8Array(bufferBytes);
    this.bufferValues = new Uint32Array(bufferBytes);
    this.log = new DeviceAccessLog(opts.name, opts.log ?? (() => {}), opts.pc, opts.baseAddress);
  }

  // ---- contents ----

  /**
   * The bank's bytes in memory order, allocated erased (0xff) on first use.
   * Filling 64 MiB with 0xff touches every page of it (a tenth of a second),
   * so a bank nothing has loaded or programmed keeps none: its reads answer
   * 0xff from `read`, and mappers wait for `onAllocate` to map it as memory.
   */
  get bytes(): Uint8Array {
    if (this.storage === null) {
      this.storage = new Uint8Array(this.size).fill(0xff);
      for (const l of this.allocateListeners) l();
    }
    return this.storage;
  }

  /** The array byte at `offset` without touching any state: 0xff while the bank has no bytes (MmioDevice.peek). */
  peek(offset: number): number {
    return this.storage === null ? 0xff : this.storage[offset];
  }

  /** True once the bank holds its bytes (something loaded, programmed or read them as memory). */
  get allocated(): boolean {
    return this.storage !== null;
  }

  /** Called once, when the bank's bytes are first made. */
  onAllocate(listener: () => void): void {
    this.allocateListeners.push(listener);
  }

  /** Copy an image into the bank (loaders; ignores locks and modes). */
  load(offset: number, data: Uint8Array): void {
    if (offset < 0 || offset + data.length > this.size) {
      throw new RangeError(`${this.name}: image of ${data.length} bytes at +${hex(offset)} does not fit in ${hex(this.size)} bytes of flash`);
    }
    this.bytes.set(data, offset);
    this.contentChanged(offset, data.length);
  }

  get readArrayMode(): boolean {
    return this.mode === Mode.ReadArray;
  }

  onModeChange(listener: (readArray: boolean) => void): void {
    this.modeListeners.push(listener);
  }

  onContentChange(listener: (offset: number, length: number) => void): void {
    this.contentListeners.push(listener);
  }

  isLocked(offset: number): boolean {
    return this.locks[offset >>> this.blockShift] !== 0;
  }

  /** Power-on: read-array mode, status clear. Contents survive; locks are cleared (QEMU's flash boots unlocked). */
  reset(): void {
    this.setMode(Mode.ReadArray);
    this.pending = Pending.None;
    this.status = SR_READY;
    this.locks.fill(0);
  }

  // ---- bus side ----

  read(offset: number, width: AccessWidth): number {
    if (this.mode === Mode.ReadArray) {
      const s = this.storage;
      if (s === null) return width === 4 ? 0xffffffff : width === 2 ? 0xffff : 0xff;
      if (width === 1) return s[offset];
      if (this.bigEndian) {
        return width === 2 ? (s[offset] << 8) | s[offset + 1]
          : ((s[offset] << 24) | (s[offset + 1] << 16) | (s[offset + 2] << 8) | s[offset + 3]) >>> 0;
      }
      return width === 2 ? s[offset] | (s[offset + 1] << 8)
        : (s[offset] | (s[offset + 1] << 8) | (s[offset + 2] << 16) | (s[offset + 3] << 24)) >>> 0;
    }
    let value = 0;
    for (let k = 0; k < width; k++) {
      const a = offset + k;
      const lane = (a & (this.bankWidth - 1)) % this.deviceWidth;
      // A device's least significant byte sits at its lowest address on little-endian boards,
      // at its highest on big-endian ones.
      const byteInDevice = this.bigEndian ? this.deviceWidth - 1 - lane : lane;
      // Responses are one byte wide, zero-extended to the device width.
      const byte = byteInDevice === 0 ? this.response(a) : 0;
      value |= byte << (this.bigEndian ? 8 * (width - 1 - k) : 8 * k);
    }
    return value >>> 0;
  }

  /** What each device answers for the bank word holding `offset` in the current mode. */
  private response(offset: number): number {
    const word = offset >>> this.bankShift;
    switch (this.mode) {
      case Mode.Status:
        return this.status;
      case Mode.Query:
        return word < this.table.length ? this.table[word] : 0;
      case Mode.Id: {
        // Identifier codes at word 0/1; block lock configuration at word 2 of each block.
        const inBlock = (offset & (this.blockSize - 1)) >>> this.bankShift;
        if (inBlock === 0) return this.manufacturerId;
        if (inBlock === 1) return this.deviceId;
        if (inBlock === 2) return this.locks[offset >>> this.blockShift];
        return 0;
      }
      default:
        return 0;
    }
  }

  write(offset: number, width: AccessWidth, value: number): void {
    const cmd = value & 0xff;
    switch (this.pending) {
      case Pending.Program:
        this.pending = Pending.None;
        this.setMode(Mode.Status);
        if (this.refuseLocked(offset, SR_PROGRAM_ERROR)) return;
        this.program(offset, width, value);
        return;
      case Pending.Erase:
        this.pending = Pending.None;
        this.setMode(Mode.Status);
        if (cmd !== 0xd0) { this.sequenceError('block erase', cmd); return; }
        if (this.refuseLocked(offset, SR_ERASE_ERROR)) return;
        this.eraseBlock(offset);
        return;
      case Pending.Lock:
        this.pending = Pending.None;
        this.setMode(Mode.Status);
        if (cmd === 0x01 || cmd === 0x2f) this.locks[offset >>> this.blockShift] = 1;
        else if (cmd === 0xd0) this.locks[offset >>> this.blockShift] = 0;
        else this.sequenceError('lock setup', cmd);
        return;
      case Pending.BufferCount: {
        const count = (value & (this.deviceWidth === 1 ? 0xff : 0xffff)) + 1;
        if (count > this.bufferOffsets.length) {
          this.pending = Pending.None;
          this.sequenceError(`buffered program of ${count} words`, cmd);
          return;
        }
        this.bufferLeft = count;
        this.bufferCount = 0;
        this.pending = Pending.BufferData;
        return;
      }
      case Pending.BufferData:
        this.bufferOffsets[this.bufferCount] = offset;
        this.bufferWidths[this.bufferCount] = width;
        this.bufferValues[this.bufferCount] = value >>> 0;
        this.bufferCount++;
        if (--this.bufferLeft === 0) this.pending = Pending.BufferConfirm;
        return;
      case Pending.BufferConfirm:
        this.pending = Pending.None;
        this.setMode(Mode.Status);
        if (cmd !== 0xd0) { this.sequenceError('buffered program confirm', cmd); return; }
        if (this.refuseLocked(this.bufferBlock, SR_PROGRAM_ERROR)) return;
        for (let i = 0; i < this.bufferCount; i++) {
          this.program(this.bufferOffsets[i], this.bufferWidths[i] as AccessWidth, this.bufferValues[i]);
        }
        return;
      case Pending.None:
        this.command(offset, cmd);
        return;
    }
  }

  /** First bus cycle of a command (Intel command set). */
  private command(offset: number, cmd: number): void {
    switch (cmd) {
      case 0x00: case 0xf0: case 0xff:        // read array (0xf0: AMD reset, accepted like QEMU)
        this.setMode(Mode.ReadArray);
        return;
      case 0x10: case 0x40:                   // word program setup
        this.pending = Pending.Program;
        this.setMode(Mode.Status);
        return;
      case 0x20:                              // block erase setup
        this.pending = Pending.Erase;
        this.setMode(Mode.Status);
        return;
      case 0x50:                              // clear status register, back to read array (as QEMU)
        this.status = SR_READY;
        this.setMode(Mode.ReadArray);
        return;
      case 0x60:                              // block lock / unlock setup
        this.pending = Pending.Lock;
        this.setMode(Mode.Status);
        return;
      case 0x70:
        this.setMode(Mode.Status);
        return;
      case 0x90:
        this.setMode(Mode.Id);
        return;
      case 0x98:
        this.setMode(Mode.Query);
        return;
      case 0xe8:                              // buffered program: status shows the buffer ready
        this.pending = Pending.BufferCount;
        this.bufferBlock = offset;
        this.setMode(Mode.Status);
        return;
      case 0xb0: case 0xd0:                   // suspend / resume: nothing is ever in progress
        this.setMode(Mode.Status);
        return;
      default:
        this.log.note(`unknown flash command ${hex(cmd)} at +${hex(offset)}, back to read array`);
        this.setMode(Mode.ReadArray);
    }
  }

  private program(offset: number, width: number, value: number): void {
    const s = this.bytes;
    for (let k = 0; k < width; k++) {
      const byte = (value >>> (this.bigEndian ? 8 * (width - 1 - k) : 8 * k)) & 0xff;
      s[offset + k] &= byte;                  // programming only clears bits
    }
    this.contentChanged(offset, width);
  }

  private eraseBlock(offset: number): void {
    const start = offset & ~(this.blockSize - 1);
    if (this.storage !== null) this.storage.fill(0xff, start, start + this.blockSize);
    this.contentChanged(start, this.blockSize);
  }

  private refuseLocked(offset: number, error: number): boolean {
    if (!this.isLocked(offset)) return false;
    this.status |= error | SR_LOCKED;
    return true;
  }

  private sequenceError(what: string, cmd: number): void {
    // An improper command sequence sets both SR.4 and SR.5.
    this.status |= SR_PROGRAM_ERROR | SR_ERASE_ERROR;
    this.log.note(`${what}: expected confirm 0xd0, got ${hex(cmd)}`);
  }

  private setMode(mode: Mode): void {
    if (mode === this.mode) return;
    const wasArray = this.mode === Mode.ReadArray;
    this.mode = mode;
    const isArray = mode === Mode.ReadArray;
    if (wasArray !== isArray) for (const l of this.modeListeners) l(isArray);
  }

  private contentChanged(offset: number, length: number): void {
    for (const l of this.contentListeners) l(offset, length);
  }

  snapshot(): CfiFlashBankSnapshot {
    const n = this.bufferCount;
    return {
      mode: this.mode, pending: this.pending, status: this.status, locks: [...this.locks],
      buffer: {
        block: this.bufferBlock, left: this.bufferLeft,
        offsets: [...this.bufferOffsets.subarray(0, n)], widths: [...this.bufferWidths.subarray(0, n)], values: [...this.bufferValues.subarray(0, n)],
      },
    };
  }

  restore(s: CfiFlashBankSnapshot): void {
    this.setMode(s.mode as Mode);
    this.pending = s.pending as Pending;
    this.status = s.status;
    this.locks.set(s.locks);
    const b = s.buffer;
    this.bufferBlock = b?.block ?? 0;
    this.bufferLeft = b?.left ?? 0;
    this.bufferCount = b?.offsets.length ?? 0;
    if (b !== undefined) {
      this.bufferOffsets.set(b.offsets);
      this.bufferWidths.set(b.widths);
      this.bufferValues.set(b.values);
    }
  }
}
