import type { MmioDevice } from '../../src/machine/MmioDevice.ts';

/**
 * What a PCI function is, as data: the identity a type 0 configuration header
 * shows (PCI Local Bus Specification 3.0 §6.2, PCI Express Base Specification
 * §7.5.1) and the address ranges its Base Address Registers ask for.
 * PciConfigSpace turns one of these into registers.
 */

/** Kinds of Base Address Register (PCI 3.0 §6.2.5.1): bit 0 = 1 for I/O; bits 2:1 = 00 / 10 for 32- / 64-bit memory. */
export type PciBarKind = 'memory32' | 'memory64' | 'io';

export interface PciBarSpec {
  readonly kind: PciBarKind;
  /**
   * Bytes the BAR decodes: a power of two, at least 16 for memory and 4 for
   * I/O, at most 256 for I/O (PCI 3.0 §6.2.5.1) and 2 GiB for 32-bit memory.
   */
  readonly size: number;
  /** Memory BARs only: bit 3, Prefetchable. */
  readonly prefetchable?: boolean;
  /**
   * What answers bus accesses inside the BAR once software has placed it and
   * enabled its space in the Command register; offsets are from the BAR's base.
   * Without one, the BAR sizes and moves but nothing answers inside it.
   */
  readonly device?: MmioDevice;
}

export interface PciFunctionSpec {
  readonly vendorId: number;
  readonly deviceId: number;
  readonly revisionId: number;
  /** Class code, 24 bits: base class << 16 | sub-class << 8 | programming interface. */
  readonly classCode: number;
  readonly subsystemVendorId?: number;
  readonly subsystemId?: number;
  /** Header Type bit 7: the device has functions other than 0. */
  readonly multiFunction?: boolean;
  /** Interrupt Pin: 0 = none, 1..4 = INTA#..INTD#. */
  readonly interruptPin?: number;
  /**
   * BAR0..BAR5; undefined (or missing) entries are unimplemented BARs, which
   * read 0 whatever is written (PCI 3.0 §6.2.5.1). A 64-bit memory BAR also
   * takes the next slot (its upper 32 bits), which must then be left empty.
   */
  readonly bars?: ReadonlyArray<PciBarSpec | undefined>;
  /** Expansion ROM size in bytes (a power of two, at least 2 KiB); 0 or absent: no ROM, the register reads 0. */
  readonly expansionRomSize?: number;
  /**
   * Command register bits software can change. Default 0x0507 — I/O Space,
   * Memory Space, Bus Master, SERR# Enable and Interrupt Disable — the set
   * QEMU makes writable on every function (writing 0xffff to 00:00.0 of its
   * virt machine reads back 0x0507); the other bits are hardwired 0.
   */
  readonly commandWritable?: number;
  /**
   * Whether the Latency Timer is writable. PCI Express functions hardwire it
   * to 0 (PCIe Base Spec §7.5.1.1, "Latency Timer"); default false.
   */
  readonly latencyTimerWritable?: boolean;
}

/** Command register bits (PCI 3.0 §6.2.2). */
export const PCI_COMMAND_IO = 0x1;
export const PCI_COMMAND_MEMORY = 0x2;
export const PCI_COMMAND_MASTER = 0x4;

/** Status bits that are RW1C, "write 1 to clear" (PCI 3.0 §6.2.3): parity and abort reports. */
export const PCI_STATUS_ERROR_BITS = 0xf900;

/** Size of the conventional configuration space of a function (PCI 3.0 §6.1). */
export const PCI_CONFIG_SPACE_SIZE = 0x100;
