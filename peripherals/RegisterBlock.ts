import type { AccessWidth } from '../src/machine/MmioDevice.ts';
import { DeviceAccessLog, hex } from './DeviceAccessLog.ts';

/**
 * Registers as data (the Renode pattern): a device declares each register —
 * offset, name, width, reset value, access mode, fields, side effects — and
 * the block does dispatch, reset, logging of unknown offsets, snapshots and
 * debug dumps. The device keeps only its side effects and an `updateIrq()`.
 *
 * Access modes (per register, or per field overriding the register's):
 *   R          read-only: writes are ignored (and logged as a guest mistake)
 *   W          write-only: writes are stored, reads return 0
 *   RW         read/write
 *   W1C        writing 1 clears the bit, writing 0 leaves it
 *   W1S        writing 1 sets the bit, writing 0 leaves it
 *   RC         read-to-clear: a read returns the bits and clears them
 *   WriteOnce  the first write after reset sticks, later writes are ignored
 *
 * Widths: a register is 1, 2 or 4 bytes. An access of the register's own width
 * at its offset takes the fast path (one typed-array lookup). A wider access
 * covering several registers is split into them; a narrower access reads the
 * byte lanes it covers and, for writes, merges into the register (unless the
 * register says `narrowWrites: false`). Byte lanes are numbered in the
 * board's byte order (`bigEndian` option).
 */
export type RegisterAccess = 'R' | 'W' | 'RW' | 'W1C' | 'W1S' | 'RC' | 'WriteOnce';

export interface FieldSpec {
  readonly name: string;
  /** Lowest bit of the field. */
  readonly lsb: number;
  /** Number of bits. */
  readonly width: number;
  /** Defaults to the register's access. */
  readonly access?: RegisterAccess;
  /** Computes the field's read value from device state; must have no side effects. */
  readonly value?: (index: number) => number;
  /** Called after a write that covered the field, with the new and previous field values. */
  readonly onWrite?: (value: number, previous: number, index: number) => void;
}

export interface RegisterSpec {
  readonly name: string;
  readonly offset: number;
  /** Bytes: 1, 2 or 4 (default 4). */
  readonly width?: AccessWidth;
  /** Reset value, or one per instance of an array register. */
  readonly reset?: number | ((index: number) => number);
  /** Default 'RW'. */
  readonly access?: RegisterAccess;
  /**
   * Without fields: the bits the access mode applies to (default: all). The
   * other bits keep their reset value and ignore writes (reserved bits).
   * With fields, bits outside every field are reserved in the same way.
   */
  readonly writeMask?: number;
  readonly fields?: readonly FieldSpec[];
  /** Array registers: `count` instances every `stride` bytes, named NAME0, NAME1… */
  readonly count?: number;
  readonly stride?: number;
  /** Computes the read value from device state instead of the stored value; no side effects. */
  readonly value?: (index: number) => number;
  /** Side effect before the value is computed. */
  readonly beforeRead?: (index: number) => void;
  /** Side effect after a read, with the value returned. */
  readonly onRead?: (value: number, index: number) => void;
  /**
   * Called after the stored value was updated by a write: new stored value,
   * previous stored value, the array index, and the raw value written
   * (positioned in the register; bytes not covered by the access are 0).
   */
  readonly onWrite?: (value: number, previous: number, index: number, written: number) => void;
  /** Whether an access narrower than the register may write it (default true). */
  readonly narrowWrites?: boolean;
}

export interface RegisterBlockOptions {
  /** Byte-lane numbering for narrow and split accesses (default little-endian). */
  readonly bigEndian?: boolean;
}

export interface RegisterBlockSnapshot {
  /** Stored value of each register by instance name. */
  readonly values: Record<string, number>;
  /** Instance names of WriteOnce registers already written. */
  readonly writtenOnce: string[];
}

/** Fast access to one register's stored value. */
export interface RegisterHandle {
  readonly name: string;
  readonly offset: number;
  value: number;
}

interface CompiledRegister {
  readonly spec: RegisterSpec;
  readonly name: string;
  readonly index: number;
  readonly offset: number;
  readonly width: number;
  readonly reset: number;
  readonly readMask: number;
  readonly rwMask: number;
  readonly w1cMask: number;
  readonly w1sMask: number;
  readonly rcMask: number;
  readonly onceMask: number;
  /** True when no bit can be written and no callback wants writes. */
  readonly readOnly: boolean;
  readonly valueFields: readonly FieldSpec[];
  readonly writeFields: readonly FieldSpec[];
}

function widthMask(bytes: number): number {
  return bytes === 4 ? 0xffffffff : (1 << (8 * bytes)) - 1;
}

function fieldMask(f: FieldSpec): number {
  return f.width >= 32 ? 0xffffffff : (((1 << f.width) - 1) << f.lsb) >>> 0;
}

function accessMasks(access: RegisterAccess, bits: number) {
  const m = { read: bits, rw: 0, w1c: 0, w1s: 0, rc: 0, once: 0 };
  switch (access) {
    case 'R': break;
    case 'W': m.read = 0; m.rw = bits; break;
    case 'RW': m.rw = bits; break;
    case 'W1C': m.w1c = bits; break;
    case 'W1S': m.w1s = bits; break;
    case 'RC': m.rc = bits; break;
    case 'WriteOnce': m.once = bits; break;
  }
  return m;
}

export class RegisterBlock {
  private readonly regs: CompiledRegister[] = [];
  /** Byte offset → register index, -1 where nothing is declared. */
  private readonly table: Int32Array;
  private readonly stored: Uint32Array;
  private readonly onceDone: Uint8Array;
  private readonly byName = new Map<string, number>();
  private readonly bigEndian: boolean;
  /** Bytes covered by the table (one past the last declared byte). */
  readonly span: number;

  constructor(
    readonly name: string,
    specs: readonly RegisterSpec[],
    private readonly log: DeviceAccessLog,
    options: RegisterBlockOptions = {},
  ) {
    this.bigEndian = options.bigEndian ?? false;
    for (const spec of specs) this.compile(spec);
    let span = 0;
    for (const r of this.regs) span = Math.max(span, r.offset + r.width);
    this.span = span;
    this.table = new Int32Array(span).fill(-1);
    for (let i = 0; i < this.regs.length; i++) {
      const r = this.regs[i];
      for (let b = 0; b < r.width; b++) {
        const prev = this.table[r.offset + b];
        if (prev >= 0) {
          throw new Error(`${name}: register ${r.name} at ${hex(r.offset)} overlaps ${this.regs[prev].name}`);
        }
        this.table[r.offset + b] = i;
      }
    }
    this.stored = new Uint32Array(this.regs.length);
    this.onceDone = new Uint8Array(this.regs.length);
    this.reset();
  }

  private compile(spec: RegisterSpec): void {
    const width = spec.width ?? 4;
    const count = spec.count ?? 1;
    const stride = spec.stride ?? width;
    if (spec.offset % width !== 0) {
      throw new Error(`${this.name}: register ${spec.name} at ${hex(spec.offset)} is not aligned to its width ${width}`);
    }
    const all = widthMask(width);
    let read = 0, rw = 0, w1c = 0, w1s = 0, rc = 0, once = 0;
    const access = spec.access ?? 'RW';
    if (spec.fields === undefined || spec.fields.length === 0) {
      const bits = (spec.writeMask ?? all) & all;
      const m = accessMasks(access, bits);
      // Reserved bits outside writeMask stay readable at their reset value.
      read = (m.read | (all & ~bits)) >>> 0;
      if (access === 'W') read = 0;
      rw = m.rw; w1c = m.w1c; w1s = m.w1s; rc = m.rc; once = m.once;
    } else {
      let covered = 0;
      for (const f of spec.fields) {
        const bits = fieldMask(f);
        if ((covered & bits) !== 0) throw new Error(`${this.name}: field ${spec.name}.${f.name} overlaps another field`);
        covered |= bits;
        const m = accessMasks(f.access ?? access, bits);
        read |= m.read; rw |= m.rw; w1c |= m.w1c; w1s |= m.w1s; rc |= m.rc; once |= m.once;
      }
      read |= all & ~covered;
    }
    const valueFields = (spec.fields ?? []).filter((f) => f.value !== undefined);
    const writeFields = (spec.fields ?? []).filter((f) => f.onWrite !== undefined);
    const readOnly = (rw | w1c | w1s | once) === 0 && spec.onWrite === undefined && writeFields.length === 0;
    for (let index = 0; index < count; index++) {
      const name = count === 1 ? spec.name : `${spec.name}${index}`;
      if (this.byName.has(name)) throw new Error(`${this.name}: duplicate register name ${name}`);
      const reset = typeof spec.reset === 'function' ? spec.reset(index) : (spec.reset ?? 0);
      this.byName.set(name, this.regs.length);
      this.regs.push({
        spec, name, index, offset: spec.offset + index * stride, width, reset: reset >>> 0,
        readMask: read >>> 0, rwMask: rw >>> 0, w1cMask: w1c >>> 0, w1sMask: w1s >>> 0,
        rcMask: rc >>> 0, onceMask: once >>> 0, readOnly, valueFields, writeFields,
      });
    }
  }

  /** Return every register to its reset value. */
  reset(): void {
    for (let i = 0; i < this.regs.length; i++) this.stored[i] = this.regs[i].reset;
    this.onceDone.fill(0);
  }

  /** A handle on a register's stored value (for the device's own state). */
  /** Name of the register holding byte `offset` (an array's instance as NAME3), or undefined: for traces. */
  registerNameAt(offset: number): string | undefined {
    const i = offset >= 0 && offset < this.span ? this.table[offset] : -1;
    return i >= 0 ? this.regs[i].name : undefined;
  }

  reg(name: string): RegisterHandle {
    const i = this.byName.get(name);
    if (i === undefined) throw new Error(`${this.name}: no register named ${name}`);
    const stored = this.stored;
    const r = this.regs[i];
    return {
      name: r.name,
      offset: r.offset,
      get value() { return stored[i]; },
      set value(v: number) { stored[i] = v >>> 0; },
    };
  }

  read(offset: number, width: AccessWidth): number {
    if (offset >= 0 && offset < this.span) {
      const i = this.table[offset];
      if (i >= 0) {
        const r = this.regs[i];
        if (r.offset === offset && r.width === width) return this.readRegister(i);
      }
    }
    return this.readSplit(offset, width);
  }

  write(offset: number, width: AccessWidth, value: number): void {
    if (offset >= 0 && offset < this.span) {
      const i = this.table[offset];
      if (i >= 0) {
        const r = this.regs[i];
        if (r.offset === offset && r.width === width) {
          this.writeRegister(i, value >>> 0, widthMask(width));
          return;
        }
      }
    }
    this.writeSplit(offset, width, value >>> 0);
  }

  /** The value a read would return, without read side effects (for dumps and tests). */
  peek(name: string): number {
    const i = this.byName.get(name);
    if (i === undefined) throw new Error(`${this.name}: no register named ${name}`);
    return this.computeValue(i);
  }

  private computeValue(i: number): number {
    const r = this.regs[i];
    let v = r.spec.value !== undefined ? r.spec.value(r.index) : this.stored[i];
    for (const f of r.valueFields) {
      const m = fieldMask(f);
      v = (v & ~m) | ((f.value!(r.index) << f.lsb) & m);
    }
    return (v & r.readMask) >>> 0;
  }

  private readRegister(i: number): number {
    const r = this.regs[i];
    if (r.spec.beforeRead !== undefined) r.spec.beforeRead(r.index);
    const v = this.computeValue(i);
    if (r.rcMask !== 0) this.stored[i] = (this.stored[i] & ~r.rcMask) >>> 0;
    if (r.spec.onRead !== undefined) r.spec.onRead(v, r.index);
    return v;
  }

  /** `laneMask`: the bits of the register this access covers. */
  private writeRegister(i: number, value: number, laneMask: number): void {
    const r = this.regs[i];
    if (r.readOnly) {
      this.log.note(`write of ${hex(value)} to read-only register ${r.name} ignored`);
      return;
    }
    const old = this.stored[i];
    let nv = old;
    let m = r.rwMask & laneMask;
    nv = (nv & ~m) | (value & m);
    nv &= ~(value & r.w1cMask & laneMask);
    nv |= value & r.w1sMask & laneMask;
    m = r.onceMask & laneMask;
    if (m !== 0 && this.onceDone[i] === 0) {
      nv = (nv & ~m) | (value & m);
      this.onceDone[i] = 1;
    }
    nv >>>= 0;
    this.stored[i] = nv;
    for (const f of r.writeFields) {
      const fm = fieldMask(f);
      if ((fm & laneMask) === 0) continue;
      f.onWrite!((nv & fm) >>> f.lsb, (old & fm) >>> f.lsb, r.index);
    }
    if (r.spec.onWrite !== undefined) r.spec.onWrite(nv, old, r.index, (value & laneMask) >>> 0);
  }

  /** Shift of the byte at `addr` inside a `width`-byte unit starting at `base`. */
  private laneShift(addr: number, base: number, width: number): number {
    return this.bigEndian ? 8 * (base + width - 1 - addr) : 8 * (addr - base);
  }

  private readSplit(offset: number, width: number): number {
    let value = 0;
    let unknown = false;
    const end = offset + width;
    let pos = offset;
    while (pos < end) {
      const i = pos >= 0 && pos < this.span ? this.table[pos] : -1;
      if (i < 0) { unknown = true; pos++; continue; }
      const r = this.regs[i];
      const v = this.readRegister(i);
      const stop = Math.min(r.offset + r.width, end);
      for (let a = pos; a < stop; a++) {
        const byte = (v >>> this.laneShift(a, r.offset, r.width)) & 0xff;
        value |= byte << this.laneShift(a, offset, width);
      }
      pos = stop;
    }
    value >>>= 0;
    if (unknown) this.log.access('of unknown offset', false, offset, width, value);
    return value;
  }

  private writeSplit(offset: number, width: number, value: number): void {
    let unknown = false;
    const end = offset + width;
    let pos = offset;
    while (pos < end) {
      const i = pos >= 0 && pos < this.span ? this.table[pos] : -1;
      if (i < 0) { unknown = true; pos++; continue; }
      const r = this.regs[i];
      const stop = Math.min(r.offset + r.width, end);
      let regValue = 0, lanes = 0;
      for (let a = pos; a < stop; a++) {
        const byte = (value >>> this.laneShift(a, offset, width)) & 0xff;
        const sh = this.laneShift(a, r.offset, r.width);
        regValue |= byte << sh;
        lanes |= 0xff << sh;
      }
      pos = stop;
      lanes >>>= 0;
      if (lanes !== widthMask(r.width) && r.spec.narrowWrites === false) {
        this.log.note(`${width}-byte write to ${r.width}-byte register ${r.name} ignored`);
        continue;
      }
      this.writeRegister(i, regValue >>> 0, lanes);
    }
    if (unknown) this.log.access('of unknown offset', true, offset, width, value);
  }

  snapshot(): RegisterBlockSnapshot {
    const values: Record<string, number> = {};
    const writtenOnce: string[] = [];
    for (let i = 0; i < this.regs.length; i++) {
      values[this.regs[i].name] = this.stored[i];
      if (this.onceDone[i] !== 0) writtenOnce.push(this.regs[i].name);
    }
    return { values, writtenOnce };
  }

  restore(snapshot: RegisterBlockSnapshot): void {
    this.reset();
    for (const [name, v] of Object.entries(snapshot.values)) {
      const i = this.byName.get(name);
      if (i === undefined) throw new Error(`${this.name}: snapshot names unknown register ${name}`);
      this.stored[i] = v >>> 0;
    }
    for (const name of snapshot.writtenOnce) {
      const i = this.byName.get(name);
      if (i !== undefined) this.onceDone[i] = 1;
    }
  }

  /** One line per register: offset, name, value as read (without side effects), fields. */
  dump(): string {
    const lines: string[] = [];
    const nameWidth = Math.max(...this.regs.map((r) => r.name.length));
    for (let i = 0; i < this.regs.length; i++) {
      const r = this.regs[i];
      const v = r.spec.access === 'W' ? this.stored[i] : this.computeValue(i);
      let line = `+${hex(r.offset, 3)} ${r.name.padEnd(nameWidth)} = ${hex(v, r.width * 2)}`;
      if (r.spec.access === 'W') line += ' (write-only, last written)';
      if (r.spec.fields !== undefined && r.spec.fields.length > 0) {
        line += '  ' + r.spec.fields
          .map((f) => `${f.name}=${hex((v & fieldMask(f)) >>> f.lsb)}`)
          .join(' ');
      }
      lines.push(line);
    }
    return lines.join('\n');
  }
}
