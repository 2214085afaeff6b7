import type { AccessWidth, MmioDevice, PcProvider } from '../../src/machine/MmioDevice.ts';
import type { PhysicalBus } from '../../src/machine/PhysicalBus.ts';
import { RegisterBlock } from '../RegisterBlock.ts';
import { DeviceAccessLog, hex } from '../DeviceAccessLog.ts';
import { GuestMemory } from './GuestMemory.ts';

/**
 * QEMU's firmware configuration device, memory-mapped flavour (QEMU
 * docs/specs/fw_cfg.rst): data port at +0 (1–8 bytes per access, the item's
 * bytes in order, "string-preserving"), selector at +8 (16-bit, big-endian),
 * DMA address at +0x10 (64-bit, big-endian; writing the low half at +0x14
 * starts a transfer). Items are byte strings selected by a 16-bit key.
 *
 * Big-endian registers are turned into the numeric value the CPU sees: on a
 * little-endian board the selector value written is byte-swapped, as QEMU's
 * DEVICE_BIG_ENDIAN regions do.
 */

export const FW_CFG_SIGNATURE = 0x0000;
export const FW_CFG_ID = 0x0001;
export const FW_CFG_UUID = 0x0002;
export const FW_CFG_NB_CPUS = 0x0005;
export const FW_CFG_FILE_DIR = 0x0019;
export const FW_CFG_FILE_FIRST = 0x0020;

// FWCfgDmaAccess.control bits
export const DMA_CTL_ERROR = 1 << 0;
export const DMA_CTL_READ = 1 << 1;
export const DMA_CTL_SKIP = 1 << 2;
export const DMA_CTL_SELECT = 1 << 3;
export const DMA_CTL_WRITE = 1 << 4;

/** "QEMU CFG" — what the DMA address register reads when the DMA interface exists. */
const DMA_SIGNATURE_HI = 0x51454d55;
const DMA_SIGNATURE_LO = 0x20434647;

interface Item {
  readonly data: Uint8Array;
  readonly writable: boolean;
}

const NO_ITEM: Item = { data: new Uint8Array(0), writable: false };

export interface FwCfgOptions {
  readonly name: string;
  readonly bigEndian?: boolean;
  /** Guest memory for the DMA interface; without it every DMA transfer fails with the error bit. */
  readonly bus?: PhysicalBus;
  readonly numCpus?: number;
  readonly log?: (message: string) => void;
  readonly pc?: PcProvider;
  readonly baseAddress?: number;
}

function bswap16(v: number): number {
  return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
}

function bswap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

export class FwCfgMmio implements MmioDevice {
  readonly name: string;
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  readonly registers: RegisterBlock;

  private readonly items = new Map<number, Item>();
  private readonly files: Array<{ name: string; item: Item }> = [];
  private readonly bigEndian: boolean;
  private readonly memory: GuestMemory | null;
  private readonly log: DeviceAccessLog;

  private selector = 0;
  private current: Item = NO_ITEM;
  private offset = 0;
  private dmaHigh = 0;
  /** Number of DMA transfers run (for tests and traces). */
  dmaTransfers = 0;

  constructor(opts: FwCfgOptions) {
    this.name = opts.name;
    this.bigEndian = opts.bigEndian ?? false;
    this.memory = opts.bus === undefined ? null : new GuestMemory(opts.bus);
    this.log = new DeviceAccessLog(opts.name, opts.log ?? (() => {}), opts.pc, opts.baseAddress);
    // CPU-side value of a big-endian register.
    const be32 = (v: number) => (this.bigEndian ? v >>> 0 : bswap32(v));
    this.registers = new RegisterBlock(opts.name, [
      {
        // Write-only (QEMU reads 0); 16-bit accesses only.
        name: 'SELECTOR', offset: 0x08, width: 2, access: 'W', narrowWrites: false,
        onWrite: (_v, _p, _i, written) => this.select(this.bigEndian ? written : bswap16(written)),
      },
      {
        name: 'DMA_ADDRESS_HI', offset: 0x10,
        value: () => be32(DMA_SIGNATURE_HI),
        onWrite: (_v, _p, _i, written) => { this.dmaHigh = be32(written); },
      },
      {
        name: 'DMA_ADDRESS_LO', offset: 0x14,
        value: () => be32(DMA_SIGNATURE_LO),
        onWrite: (_v, _p, _i, written) => {
          const address = this.dmaHigh * 0x1_0000_0000 + be32(written);
          this.dmaHigh = 0;
          this.runDma(address);
        },
      },
    ], this.log, { bigEndian: opts.bigEndian });

    this.setItem(FW_CFG_SIGNATURE, new TextEncoder().encode('QEMU'));
    // Feature bitmap, 32-bit little-endian: traditional interface | DMA.
    this.setItem(FW_CFG_ID, Uint8Array.of(3, 0, 0, 0));
    this.setItem(FW_CFG_UUID, new Uint8Array(16));
    const cpus = opts.numCpus ?? 1;
    this.setItem(FW_CFG_NB_CPUS, Uint8Array.of(cpus & 0xff, cpus >> 8));
    this.rebuildDirectory();
  }

  /** Set item `key` (machine configuration: kernel, command line…). */
  setItem(key: number, data: Uint8Array, writable = false): void {
    this.items.set(key & 0x3fff | (key & 0x8000), { data, writable });
  }

  /** Add a named file; keys from 0x20 follow the names' sorted order, as QEMU assigns them. */
  addFile(name: string, data: Uint8Array, writable = false): void {
    if (name.length > 55) throw new RangeError(`fw_cfg file name "${name}" is longer than 55 characters`);
    if (this.files.some((f) => f.name === name)) throw new Error(`fw_cfg file "${name}" added twice`);
    this.files.push({ name, item: { data, writable } });
    this.rebuildDirectory();
  }

  /** Key of a named file, or undefined. */
  fileKey(name: string): number | undefined {
    const i = this.files.findIndex((f) => f.name === name);
    return i < 0 ? undefined : FW_CFG_FILE_FIRST + i;
  }

  private rebuildDirectory(): void {
    for (let i = 0; i < this.files.length; i++) this.items.delete(FW_CFG_FILE_FIRST + i);
    this.files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // FWCfgFiles: count (BE u32), then 64-byte entries {size BE u32, select BE u16, reserved, name[56]}.
    const dir = new Uint8Array(4 + 64 * this.files.length);
    const view = new DataView(dir.buffer);
    view.setUint32(0, this.files.length, false);
    this.files.forEach((f, i) => {
      const key = FW_CFG_FILE_FIRST + i;
      view.setUint32(4 + 64 * i, f.item.data.length, false);
      view.setUint16(8 + 64 * i, key, false);
      dir.set(new TextEncoder().encode(f.name), 12 + 64 * i);
      this.items.set(key, f.item);
    });
    this.setItem(FW_CFG_FILE_DIR, dir);
  }

  private select(key: number): void {
    this.selector = key & 0xffff;
    // Bit 14 (legacy "write") does not pick another item.
    this.current = this.items.get(this.selector & 0xbfff) ?? NO_ITEM;
    this.offset = 0;
  }

  // ---- bus side ----

  read(offset: number, width: AccessWidth): number {
    if (offset < 8) return this.readData(width);
    return this.registers.read(offset, width);
  }

  write(offset: number, width: AccessWidth, value: number): void {
    if (offset < 8) {
      // Data-port writes are ignored since QEMU 2.4 (writes go through DMA).
      return;
    }
    this.registers.write(offset, width, value);
  }

  /** The next `width` bytes of the selected item, placed in memory order; 0 beyond its end. */
  private readData(width: number): number {
    const data = this.current.data;
    let value = 0;
    for (let k = 0; k < width; k++) {
      const byte = this.offset < data.length ? data[this.offset] : 0;
      if (this.offset < data.length) this.offset++;
      value |= byte << (this.bigEndian ? 8 * (width - 1 - k) : 8 * k);
    }
    return value >>> 0;
  }

  reset(): void {
    this.registers.reset();
    this.select(0);
    this.dmaHigh = 0;
  }

  // ---- DMA interface ----

  private runDma(address: number): void {
    this.dmaTransfers++;
    if (this.memory === null) {
      this.log.note(`DMA at ${hex(address)} with no guest memory attached`);
      return;
    }
    const desc = this.memory.read(address, 16);
    if (desc === null) {
      this.log.note(`DMA descriptor at ${hex(address)} is not in RAM`);
      return;
    }
    const view = new DataView(desc.buffer);
    const control = view.getUint32(0, false);
    const length = view.getUint32(4, false);
    const target = view.getUint32(8, false) * 0x1_0000_0000 + view.getUint32(12, false);
    let error = false;
    if ((control & DMA_CTL_SELECT) !== 0) this.select(control >>> 16);
    const data = this.current.data;
    if ((control & DMA_CTL_READ) !== 0) {
      // Bytes past the item's end (or of a missing item) read as zero.
      const out = new Uint8Array(length);
      const avail = Math.max(0, Math.min(length, data.length - this.offset));
      out.set(data.subarray(this.offset, this.offset + avail));
      if (!this.memory.write(target, out)) error = true;
      this.offset += avail;
    } else if ((control & DMA_CTL_WRITE) !== 0) {
      // Writes must fit inside a writable item; a truncated write is refused as a whole.
      if (!this.current.writable || this.offset + length > data.length) {
        error = true;
      } else {
        const src = this.memory.read(target, length);
        if (src === null) error = true;
        else {
          data.set(src, this.offset);
          this.offset += length;
        }
      }
    } else if ((control & DMA_CTL_SKIP) !== 0) {
      this.offset = Math.min(this.offset + length, data.length);
    }
    // Completion: control reads back 0, or with the error bit.
    const done = new Uint8Array(4);
    new DataView(done.buffer).setUint32(0, error ? DMA_CTL_ERROR : 0, false);
    this.memory.write(address, done);
  }

  snapshot(): { selector: number; offset: number; dmaHigh: number } {
    return { selector: this.selector, offset: this.offset, dmaHigh: this.dmaHigh };
  }

  restore(s: { selector: number; offset: number; dmaHigh: number }): void {
    this.select(s.selector);
    this.offset = s.offset;
    this.dmaHigh = s.dmaHigh;
  }
}
