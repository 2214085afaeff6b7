import { PAGE_SIZE } from '../../machine/MemoryRegions.ts';
import type { MemoryRegion, PhysicalBus, Region } from '../../machine/PhysicalBus.ts';
import type { GuestPhysicalBus } from '../GuestPhysicalBus.ts';

/** Every DMA page view says "tell the bus after writing me": that is how device writes are seen. */
const ALWAYS_NOTIFY = new Uint8Array([1]);

/**
 * The VM's guest-physical space as the VMM's device models see it for DMA
 * (DeviceContext.bus; QEMU's address_space_rw over guest RAM). Differences
 * from the vCPU's GuestPhysicalBus:
 *
 * - memoryAt gives a device a page it may write: the page gets host memory
 *   at once (a device handed a page may write it; reads through it are the
 *   rare case), and its view has codePages set, so a writer that follows the
 *   MemoryRegion contract calls codeWritten afterwards — which is where this
 *   bus marks the page dirty, resyncs shadows built from it and tells cores
 *   about code in it.
 * - Accesses outside memory and in-kernel devices are bus errors for the
 *   device, never vCPU exits.
 * - Everything else is the vCPU's bus.
 */
export class VmDmaBus implements PhysicalBus {
  constructor(private readonly bus: GuestPhysicalBus) {}

  get littleEndian(): boolean {
    return this.bus.littleEndian;
  }

  memoryAt(addr: number): MemoryRegion | null {
    const memory = this.bus.memory;
    const page = memory.pageAt(addr);
    if (page === null) return null;
    memory.ensureBacked(page);
    return { kind: page.slot.readOnly ? 'rom' : 'ram', name: page.name, base: page.base, size: PAGE_SIZE, bytes: page.bytes, codePages: ALWAYS_NOTIFY };
  }

  /** After a device wrote the page at `pageAddr` through memoryAt: the same bookkeeping as a CPU store. */
  codeWritten(pageAddr: number): void {
    const memory = this.bus.memory;
    const page = memory.existingPage(pageAddr);
    if (page === null) return;
    memory.written(page, pageAddr, PAGE_SIZE);
  }

  onCodeWrite(listener: (pageAddr: number) => void): void {
    this.bus.onCodeWrite(listener);
  }

  regionAt(addr: number): Region | null {
    return this.bus.regionAt(addr);
  }
  regions(): readonly Region[] {
    return this.bus.regions();
  }
  read8(addr: number): number {
    return this.claimed(addr, false, 1) ? this.bus.read8(addr) : 0;
  }
  read16(addr: number): number {
    return this.claimed(addr, false, 2) ? this.bus.read16(addr) : 0;
  }
  read32(addr: number): number {
    return this.claimed(addr, false, 4) ? this.bus.read32(addr) : 0;
  }
  write8(addr: number, value: number): void {
    if (this.claimed(addr, true, 1)) this.bus.write8(addr, value);
  }
  write16(addr: number, value: number): void {
    if (this.claimed(addr, true, 2)) this.bus.write16(addr, value);
  }
  write32(addr: number, value: number): void {
    if (this.claimed(addr, true, 4)) this.bus.write32(addr, value);
  }
  read64(addr: number, out: Uint32Array): void {
    const first = this.read32(addr);
    const second = this.read32(addr + 4);
    out[0] = this.littleEndian ? first : second;
    out[1] = this.littleEndian ? second : first;
  }
  write64(addr: number, low: number, high: number): void {
    this.write32(addr, this.littleEndian ? low : high);
    this.write32(addr + 4, this.littleEndian ? high : low);
  }
  loadBytes(addr: number, data: Uint8Array): void {
    this.bus.loadBytes(addr, data);
  }
  readBytes(addr: number, length: number): Uint8Array {
    return this.bus.readBytes(addr, length);
  }
  /** Device accesses that hit neither memory nor an in-kernel device (they never become vCPU exits). */
  onBusError(handler: (addr: number, write: boolean, width: number) => void): void {
    this.busError = handler;
  }

  private busError: (addr: number, write: boolean, width: number) => void = () => {};

  private claimed(addr: number, write: boolean, width: number): boolean {
    if (this.bus.memory.isMemory(addr) || this.bus.inKernelRegionAt(addr) !== null) return true;
    this.busError(addr, write, width);
    return false;
  }
}
