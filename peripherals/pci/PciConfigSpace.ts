import type { AccessWidth } from '../../src/machine/MmioDevice.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import { RegisterBlock, type RegisterBlockSnapshot, type RegisterHandle, type RegisterSpec } from '../RegisterBlock.ts';
import {
  PCI_COMMAND_IO, PCI_COMMAND_MEMORY, PCI_CONFIG_SPACE_SIZE, PCI_STATUS_ERROR_BITS,
  type PciBarSpec, type PciFunctionSpec,
} from './PciFunctionSpec.ts';

const TWO_32 = 0x1_0000_0000;
const isPowerOfTwo = (n: number) => Number.isSafeInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/**
 * The 256-byte configuration space of one PCI function with a type 0 header
 * (PCI Local Bus Specification 3.0 §6.1–6.2), its registers declared as data.
 * Accesses are little-endian offsets into the space, as ECAM and CF8/CFC
 * hosts deliver them.
 *
 * - Identity registers (IDs, revision, class, header type, subsystem IDs,
 *   interrupt pin) are read-only.
 * - Command: only the bits of `commandWritable` change; Status error bits are
 *   RW1C; Cache Line Size and Interrupt Line are plain storage.
 * - BARs: the address bits above the BAR's size are writable, the low bits
 *   hold the type and read back fixed, so writing all ones and reading back
 *   gives ~(size - 1) | type — the sizing method of PCI 3.0 §6.2.5.1.
 *   Unimplemented BARs and the expansion ROM of a function without one read 0.
 * - 0x40–0xff, the device-dependent region, is read/write storage, as QEMU
 *   makes it on functions with no capabilities there. Capability lists are not
 *   modelled: the Capabilities Pointer and Status bit 4 read 0.
 *
 * Writes to read-only parts are dropped silently: software legitimately
 * writes whole dwords over them (BAR sizing, Cache Line Size + Latency Timer).
 */
export class PciConfigSpace {
  readonly registers: RegisterBlock;
  private readonly command: RegisterHandle;
  private readonly barRegs: RegisterHandle[] = [];
  private readonly bars: ReadonlyArray<PciBarSpec | undefined>;

  constructor(readonly name: string, readonly spec: PciFunctionSpec, log: (message: string) => void = () => {}) {
    this.bars = checkBars(name, spec.bars ?? []);
    const ignore = () => {};
    const fixed = (n: string, offset: number, width: AccessWidth, value: number): RegisterSpec =>
      ({ name: n, offset, width, access: 'R', reset: value, onWrite: ignore });
    const romSize = spec.expansionRomSize ?? 0;
    if (romSize !== 0 && (!isPowerOfTwo(romSize) || romSize < 0x800 || romSize > 2 ** 31)) {
      throw new Error(`${name}: expansion ROM size ${romSize} is not a power of two between 2 KiB and 2 GiB`);
    }
    const classCode = spec.classCode >>> 0;
    this.registers = new RegisterBlock(name, [
      fixed('VendorID', 0x00, 2, spec.vendorId),
      fixed('DeviceID', 0x02, 2, spec.deviceId),
      { name: 'Command', offset: 0x04, width: 2, writeMask: spec.commandWritable ?? 0x0507, reset: 0 },
      { name: 'Status', offset: 0x06, width: 2, access: 'W1C', writeMask: PCI_STATUS_ERROR_BITS, reset: 0 },
      fixed('RevisionID', 0x08, 1, spec.revisionId),
      fixed('ProgIF', 0x09, 1, classCode & 0xff),
      fixed('SubClass', 0x0a, 1, (classCode >>> 8) & 0xff),
      fixed('BaseClass', 0x0b, 1, (classCode >>> 16) & 0xff),
      { name: 'CacheLineSize', offset: 0x0c, width: 1 },
      spec.latencyTimerWritable === true
        ? { name: 'LatencyTimer', offset: 0x0d, width: 1 }
        : fixed('LatencyTimer', 0x0d, 1, 0),
      fixed('HeaderType', 0x0e, 1, spec.multiFunction === true ? 0x80 : 0x00),
      // BIST bit 7 = 0: the function is not BIST capable, so the register reads 0 (PCI 3.0 §6.2.4).
      fixed('BIST', 0x0f, 1, 0),
      ...this.bars.map((bar, i) => barRegister(i, bar, this.bars[i - 1])),
      fixed('CardbusCISPointer', 0x28, 4, 0),
      fixed('SubsystemVendorID', 0x2c, 2, spec.subsystemVendorId ?? 0),
      fixed('SubsystemID', 0x2e, 2, spec.subsystemId ?? 0),
      romSize === 0
        ? fixed('ExpansionROMBase', 0x30, 4, 0)
        // Bits 31:11 address (those above the size writable), bit 0 enable (PCI 3.0 §6.2.5.2).
        : { name: 'ExpansionROMBase', offset: 0x30, writeMask: ((~(romSize - 1) & 0xfffff800) | 1) >>> 0, reset: 0 },
      fixed('CapabilitiesPointer', 0x34, 1, 0),
      ...[0x35, 0x36, 0x37].map((o) => fixed(`Reserved${o.toString(16)}`, o, 1, 0)),
      fixed('Reserved38', 0x38, 4, 0),
      { name: 'InterruptLine', offset: 0x3c, width: 1 },
      fixed('InterruptPin', 0x3d, 1, spec.interruptPin ?? 0),
      fixed('MinGnt', 0x3e, 1, 0),
      fixed('MaxLat', 0x3f, 1, 0),
      { name: 'DeviceDependent', offset: 0x40, count: (PCI_CONFIG_SPACE_SIZE - 0x40) / 4, stride: 4 },
    ], new DeviceAccessLog(name, log));
    this.command = this.registers.reg('Command');
    for (let i = 0; i < 6; i++) this.barRegs.push(this.registers.reg(`BAR${i}`));
  }

  read(offset: number, width: AccessWidth): number {
    return this.registers.read(offset, width);
  }

  write(offset: number, width: AccessWidth, value: number): void {
    this.registers.write(offset, width, value);
  }

  reset(): void {
    this.registers.reset();
  }

  snapshot(): RegisterBlockSnapshot {
    return this.registers.snapshot();
  }

  restore(snapshot: RegisterBlockSnapshot): void {
    this.registers.restore(snapshot);
  }

  /** The Command register's Memory Space / I/O Space enable: whether the function's BARs of that space decode. */
  decodes(space: 'memory' | 'io'): boolean {
    return (this.command.value & (space === 'io' ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY)) !== 0;
  }

  /** Index of the BAR of `space` whose range holds [address, address + width), or -1. Ignores the Command enables. */
  barAt(space: 'memory' | 'io', address: number, width: number): number {
    for (let i = 0; i < 6; i++) {
      const spec = this.bars[i];
      if (spec === undefined || (spec.kind === 'io') !== (space === 'io')) continue;
      const base = this.barBase(i);
      if (address >= base && address + width <= base + spec.size) return i;
    }
    return -1;
  }

  /** BARn's description (undefined for an unimplemented BAR or the upper half of a 64-bit one). */
  bar(index: number): PciBarSpec | undefined {
    return this.bars[index];
  }

  /** Bus address a BAR holds now (0 for an unimplemented BAR). */
  barBase(index: number): number {
    const spec = this.bars[index];
    if (spec === undefined) return 0;
    const low = this.barRegs[index].value;
    if (spec.kind === 'io') return (low & 0xfffffffc) >>> 0;
    const base = (low & 0xfffffff0) >>> 0;
    return spec.kind === 'memory64' ? this.barRegs[index + 1].value * TWO_32 + base : base;
  }
}

/** Check the BAR list and return it as exactly six slots. */
function checkBars(name: string, bars: ReadonlyArray<PciBarSpec | undefined>): Array<PciBarSpec | undefined> {
  if (bars.length > 6) throw new Error(`${name}: a type 0 header has 6 BARs, not ${bars.length}`);
  const slots: Array<PciBarSpec | undefined> = [...bars];
  while (slots.length < 6) slots.push(undefined);
  slots.forEach((bar, i) => {
    if (bar === undefined) return;
    const max = bar.kind === 'io' ? 256 : bar.kind === 'memory32' ? 2 ** 31 : 2 ** 52;
    const min = bar.kind === 'io' ? 4 : 16;
    if (!isPowerOfTwo(bar.size) || bar.size < min || bar.size > max) {
      throw new Error(`${name}: BAR${i} size ${bar.size} is not a power of two between ${min} and ${max} bytes`);
    }
    if (bar.kind === 'memory64') {
      if (i === 5) throw new Error(`${name}: BAR5 cannot be a 64-bit BAR (it needs the next slot for its upper half)`);
      if (slots[i + 1] !== undefined) throw new Error(`${name}: BAR${i + 1} is the upper half of 64-bit BAR${i} and must be empty`);
    }
  });
  return slots;
}

/** BARn's register: writable address bits above the size, fixed type bits below (PCI 3.0 §6.2.5.1). */
function barRegister(index: number, bar: PciBarSpec | undefined, previous: PciBarSpec | undefined): RegisterSpec {
  const name = `BAR${index}`;
  const offset = 0x10 + 4 * index;
  if (bar === undefined) {
    if (previous?.kind === 'memory64') {
      // Upper 32 bits of a 64-bit BAR: writable above the size (all of them below 4 GiB).
      const mask = previous.size <= TWO_32 ? 0xffffffff : ~(previous.size / TWO_32 - 1) >>> 0;
      return { name, offset, writeMask: mask, reset: 0 };
    }
    return { name, offset, access: 'R', reset: 0, onWrite: () => {} };
  }
  if (bar.kind === 'io') return { name, offset, writeMask: ~(bar.size - 1) & 0xfffffffc, reset: 0x1 };
  const type = (bar.kind === 'memory64' ? 0x4 : 0) | (bar.prefetchable === true ? 0x8 : 0);
  const mask = bar.size >= TWO_32 ? 0 : ~(bar.size - 1) & 0xfffffff0;
  // A BAR of 4 GiB or more has no writable bit in its lower half; writes there are dropped silently.
  return { name, offset, writeMask: mask >>> 0, reset: type, onWrite: () => {} };
}
