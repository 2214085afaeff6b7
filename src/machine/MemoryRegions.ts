import type { MmioDevice } from './MmioDevice.ts';
import type { MemoryRegion, MmioRegion } from './PhysicalBus.ts';

/** Size of the pages the bus dispatches on and cores cache decoded code for. */
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

/**
 * RAM or ROM backed by bytes in memory order. `view` is a DataView over the
 * same bytes so cores filling a soft TLB can read multi-byte values without
 * building their own.
 */
export class MemoryBlock implements MemoryRegion {
  readonly codePages: Uint8Array;
  readonly view: DataView;

  constructor(
    readonly kind: 'ram' | 'rom',
    readonly name: string,
    readonly base: number,
    readonly bytes: Uint8Array,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // codePages[i] covers bytes [i*4096, (i+1)*4096) of the region; the bus
    // requires page-aligned bases, so region pages are physical pages.
    this.codePages = new Uint8Array(Math.ceil(bytes.length / PAGE_SIZE));
  }

  get size(): number {
    return this.bytes.length;
  }
}

/** Byte order a device's registers are defined in, relative to the bus. */
export type DeviceByteOrder = 'native' | 'little' | 'big';

/** A window of an MMIO device mapped at `base`. */
export class MmioWindow implements MmioRegion {
  readonly kind = 'mmio' as const;

  constructor(
    readonly name: string,
    readonly base: number,
    readonly size: number,
    readonly device: MmioDevice,
    readonly deviceOffset: number,
    /**
     * 'native' = the device's registers follow the bus's byte order (the
     * usual case). 'little'/'big' = the registers have a fixed order (PCI and
     * virtio-mmio are little-endian even on big-endian boards); when it
     * differs from the bus's, the bus swaps bytes so that memory order stays
     * consistent for every access width.
     */
    readonly byteOrder: DeviceByteOrder,
  ) {}
}
