import type { MmioDevice } from './MmioDevice.ts';

/** What lives at a physical address range. */
export type RegionKind = 'ram' | 'rom' | 'mmio';

/** A RAM or ROM region: its bytes are in memory order (as they sit in the chips). */
export interface MemoryRegion {
  readonly kind: 'ram' | 'rom';
  readonly name: string;
  /** Physical base address (may exceed 2**32 on boards with 36/40-bit physical addresses). */
  readonly base: number;
  readonly size: number;
  readonly bytes: Uint8Array;
  /**
   * One flag per 4 KiB page: non-zero when a core has decoded instructions
   * from that page. Writers that bypass the bus (a core's soft-TLB store fast
   * path) must check it and call `PhysicalBus.codeWritten` when set.
   */
  readonly codePages: Uint8Array;
}

export interface MmioRegion {
  readonly kind: 'mmio';
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly device: MmioDevice;
  /** Offset of this window inside the device (a device may be mapped by several windows). */
  readonly deviceOffset: number;
}

export type Region = MemoryRegion | MmioRegion;

/**
 * The physical address space of one machine (or of one VM). Addresses are
 * plain numbers (up to 2**52); values are unsigned 32-bit numbers, 64-bit
 * accesses are two 32-bit halves combined in the bus's byte order.
 *
 * Accesses to unmapped addresses call the bus-error handler (a core turns it
 * into an external abort / bus error) and reads return 0.
 */
export interface PhysicalBus {
  readonly littleEndian: boolean;
  read8(addr: number): number;
  read16(addr: number): number;
  read32(addr: number): number;
  write8(addr: number, value: number): void;
  write16(addr: number, value: number): void;
  write32(addr: number, value: number): void;
  /** 64-bit access as [low, high] halves in numeric significance (not memory order). */
  read64(addr: number, out: Uint32Array): void;
  write64(addr: number, low: number, high: number): void;

  /** The RAM/ROM region containing `addr`, or null (MMIO or unmapped). Used to fill soft TLBs. */
  memoryAt(addr: number): MemoryRegion | null;
  /** Any region containing `addr`, or null when unmapped. */
  regionAt(addr: number): Region | null;
  /** All regions sorted by base address. */
  regions(): readonly Region[];

  /**
   * Give memory that is made on first use (an erased flash bank is a register
   * window until something writes it) its bytes in [addr, addr + size), so
   * that the range is RAM/ROM for `memoryAt` and `loadBytes`. Loaders call it
   * before placing an image. Buses without such memory need not have it.
   */
  materializeMemory?(addr: number, size: number): void;
  /** Copy bytes into RAM or ROM (loaders; ignores ROM write protection). Throws RangeError if not backed by memory. */
  loadBytes(addr: number, data: Uint8Array): void;
  /** Copy bytes out of RAM/ROM (debuggers, tests), and of devices with memory-like contents (MmioDevice.peek: flash). Other bytes read as 0. */
  readBytes(addr: number, length: number): Uint8Array;

  /** Register a listener told when a page marked in `codePages` is written. */
  onCodeWrite(listener: (pageAddr: number) => void): void;
  /** Tell code-write listeners that the page at `pageAddr` (4 KiB aligned) changed. */
  codeWritten(pageAddr: number): void;

  /**
   * Set the handler for accesses that hit nothing. It returns normally (the
   * access is then ignored / reads 0); a core that wants an abort records it
   * in the handler and checks after the access.
   */
  onBusError(handler: (addr: number, write: boolean, width: number) => void): void;

  /**
   * Told after every change of the address map (a region mapped or unmapped,
   * a flash bank switching between read-array and command mode, a guest page
   * getting host memory or losing write access): cores drop soft-TLB entries
   * and decoded pages that may point into old regions. `pageAddr` says when
   * only the 4 KiB page there changed (its contents and region stay the same).
   */
  onMapChange?(listener: (pageAddr?: number) => void): void;
}
