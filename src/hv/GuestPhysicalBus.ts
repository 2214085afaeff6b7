import { Bus, type MmioMapOptions } from '../machine/Bus.ts';
import { PAGE_SIZE } from '../machine/MemoryRegions.ts';
import type { MmioDevice } from '../machine/MmioDevice.ts';
import type { MemoryRegion, PhysicalBus, Region } from '../machine/PhysicalBus.ts';
import type { GuestPage } from './memory/GuestPage.ts';
import { GuestPhysicalMemory, MemslotError, type PageChunk } from './memory/GuestPhysicalMemory.ts';
import type { HostPagePool } from './memory/HostPagePool.ts';
import type { Memslot } from './memory/Memslot.ts';

/**
 * Where accesses go that hit neither a memory slot nor an in-kernel device:
 * the running vCPU, which turns them into MMIO exits (see Vcpu).
 */
export interface MmioExitPort {
  /** Returns the value for a read (0 while the exit is pending: the core abandons the instruction). */
  mmioAccess(gpa: number, width: 1 | 2 | 4, isWrite: boolean, value: number): number;
}

/** A memory slot as listed by regions(): extent and kind only (see GuestPhysicalBus.regions). */
class MemslotRegion implements MemoryRegion {
  readonly bytes = new Uint8Array(0);
  readonly codePages = new Uint8Array(0);

  constructor(private readonly slot: Memslot) {}

  get kind(): 'ram' | 'rom' {
    return this.slot.readOnly ? 'rom' : 'ram';
  }
  get name(): string {
    return this.slot.name;
  }
  get base(): number {
    return this.slot.base;
  }
  get size(): number {
    return this.slot.size;
  }
}

function chunkOf(addr: number): number {
  return addr < 4294967296 && addr >= 0 ? addr >>> 24 : Math.floor(addr / 2 ** 24);
}

/**
 * A VM's guest-physical address space as a PhysicalBus, so an ISA core runs a
 * guest with the same memory code it uses on a board. Three things live here:
 *
 * - memory slots, through a page table of GuestPage objects (one MemoryRegion
 *   per 4 KiB page: `memoryAt` hands out pages, never whole slots);
 * - in-kernel MMIO devices (KVM's in-kernel device bus: the irqchip's
 *   registers, or every VMM device with `dispatch: 'direct'`), dispatched here
 *   as on a board's Bus;
 * - everything else, which goes to the running vCPU's exit port: an MMIO exit.
 *
 * Fast paths (read32 on a page with bytes, write32 on a 'ram' page) are two
 * array loads and a DataView access, as on the board's Bus.
 */
export class GuestPhysicalBus implements PhysicalBus {
  readonly memory: GuestPhysicalMemory;
  /** Set by the VM while a vCPU runs; null otherwise (then unclaimed accesses are bus errors). */
  exitPort: MmioExitPort | null = null;

  private readonly chunks: Array<PageChunk | undefined>;
  private readonly inKernel: Bus;
  private readonly codeListeners: Array<(pageAddr: number) => void> = [];
  private readonly mapListeners: Array<(pageAddr?: number) => void> = [];
  private busError: (addr: number, write: boolean, width: number) => void = () => {};
  private readonly slotRegions = new WeakMap<Memslot, MemslotRegion>();

  constructor(pool: HostPagePool, readonly littleEndian: boolean) {
    this.memory = new GuestPhysicalMemory(pool, {
      codeWritten: (pageAddr) => this.codeWritten(pageAddr),
      mapChanged: (pageAddr) => this.notifyMapChange(pageAddr),
    });
    this.chunks = this.memory.chunks;
    this.inKernel = new Bus({ littleEndian });
  }

  // ---- building --------------------------------------------------------------------------------

  /** Map an in-kernel device: accesses call it directly, without an exit. */
  mapInKernelMmio(name: string, base: number, size: number, device: MmioDevice, options?: MmioMapOptions): Region {
    for (const slot of this.memory.slots()) {
      if (base < slot.end && slot.base < base + size) {
        throw new MemslotError(`cannot map device "${name}" at 0x${base.toString(16)}: it overlaps memory ${slot.describe()}`);
      }
    }
    return this.inKernel.mapMmio(name, base, size, device, options);
  }

  /** Put a wrapper around every in-kernel device (a device access trace; see Bus.interposeMmio). */
  interposeMmio(wrap: Parameters<Bus['interposeMmio']>[0]): void {
    this.inKernel.interposeMmio(wrap);
  }

  /** An in-kernel device window at `gpa`, if any (used to reject slots that would hide it). */
  inKernelRegionAt(gpa: number): Region | null {
    return this.inKernel.regionAt(gpa);
  }

  inKernelRegions(): readonly Region[] {
    return this.inKernel.regions();
  }

  onMapChange(listener: (pageAddr?: number) => void): void {
    this.mapListeners.push(listener);
  }

  /** Tell the cores the map changed: at the page `pageAddr` only (its backing or protection), or everywhere. */
  notifyMapChange(pageAddr?: number): void {
    for (const l of this.mapListeners) l(pageAddr);
  }

  // ---- lookups -------------------------------------------------------------------------------------

  /**
   * The page holding `addr` (a GuestPage: base = the page's address, size 4 KiB),
   * or null outside memory slots. An untouched page is returned showing the zero
   * page as 'rom': reads through it see zeros, a store goes through write32 & co,
   * which gives the page its own host memory.
   */
  memoryAt(addr: number): MemoryRegion | null {
    const page = this.memory.pageAt(addr);
    if (page !== null && !page.backed) page.exposed = true;
    return page;
  }

  regionAt(addr: number): Region | null {
    return this.memoryAt(addr) ?? this.inKernel.regionAt(addr);
  }

  /**
   * Memory slots (one region each, sorted with the in-kernel device windows).
   * A slot's region tells kind and extent only: its `bytes` are empty because
   * guest memory is page-granular; use memoryAt per page, or readBytes.
   */
  regions(): readonly Region[] {
    const out: Region[] = [...this.inKernel.regions()];
    for (const slot of this.memory.slots()) {
      let r = this.slotRegions.get(slot);
      if (r === undefined) {
        r = new MemslotRegion(slot);
        this.slotRegions.set(slot, r);
      }
      out.push(r);
    }
    return out.sort((a, b) => a.base - b.base);
  }

  // ---- CPU accesses ----------------------------------------------------------------------------------

  read8(addr: number): number {
    const c = this.chunks[chunkOf(addr)];
    if (c !== undefined) {
      const p = c.pages[(addr >>> 12) & 0xfff];
      if (p !== null) return p.bytes[addr & 0xfff];
    }
    return this.readSlow(addr, 1);
  }

  read16(addr: number): number {
    const c = this.chunks[chunkOf(addr)];
    if (c !== undefined && (addr & 0xfff) <= 0xffe) {
      const p = c.pages[(addr >>> 12) & 0xfff];
      if (p !== null) return p.view.getUint16(addr & 0xfff, this.littleEndian);
    }
    return this.readSlow(addr, 2);
  }

  read32(addr: number): number {
    const c = this.chunks[chunkOf(addr)];
    if (c !== undefined && (addr & 0xfff) <= 0xffc) {
      const p = c.pages[(addr >>> 12) & 0xfff];
      if (p !== null) return p.view.getUint32(addr & 0xfff, this.littleEndian);
    }
    return this.readSlow(addr, 4);
  }

  write8(addr: number, value: number): void {
    const c = this.chunks[chunkOf(addr)];
    if (c !== undefined) {
      const p = c.pages[(addr >>> 12) & 0xfff];
      if (p !== null && p.kind === 'ram') {
        p.bytes[addr & 0xfff] = value;
        if (p.codePages[0] !== 0) this.codeWritten(p.base);
        return;
      }
    }
    this.writeSlow(addr, 1, value);
  }

  write16(addr: number, value: number): void {
    const c = this.chunks[chunkOf(addr)];
    if (c !== undefined && (addr & 0xfff) <= 0xffe) {
      const p = c.pages[(addr >>> 12) & 0xfff];
      if (p !== null && p.kind === 'ram') {
        p.view.setUint16(addr & 0xfff, value, this.littleEndian);
        if (p.codePages[0] !== 0) this.codeWritten(p.base);
        return;
      }
    }
    this.writeSlow(addr, 2, value);
  }

  write32(addr: number, value: number): void {
    const c = this.chunks[chunkOf(addr)];
    if (c !== undefined && (addr & 0xfff) <= 0xffc) {
      const p = c.pages[(addr >>> 12) & 0xfff];
      if (p !== null && p.kind === 'ram') {
        p.view.setUint32(addr & 0xfff, value, this.littleEndian);
        if (p.codePages[0] !== 0) this.codeWritten(p.base);
        return;
      }
    }
    this.writeSlow(addr, 4, value);
  }

  read64(addr: number, out: Uint32Array): void {
    const first = this.read32(addr);
    const second = this.read32(addr + 4);
    if (this.littleEndian) {
      out[0] = first;
      out[1] = second;
    } else {
      out[0] = second;
      out[1] = first;
    }
  }

  write64(addr: number, low: number, high: number): void {
    this.write32(addr, this.littleEndian ? low : high);
    this.write32(addr + 4, this.littleEndian ? high : low);
  }

  private readSlow(addr: number, width: 1 | 2 | 4): number {
    if ((addr % PAGE_SIZE) + width > PAGE_SIZE) return this.readStraddling(addr, width);
    const page = this.memory.existingPage(addr);
    if (page !== null) {
      const off = addr - page.base;
      return width === 4 ? page.view.getUint32(off, this.littleEndian) : width === 2 ? page.view.getUint16(off, this.littleEndian) : page.bytes[off];
    }
    // An untouched page of a slot reads as zero (all ones in an erased slot) without being allocated.
    const slot = this.memory.slotAt(addr);
    if (slot !== null) return slot.erased ? (width === 4 ? 0xffffffff : width === 2 ? 0xffff : 0xff) : 0;
    if (this.inKernel.regionAt(addr) !== null) {
      return width === 4 ? this.inKernel.read32(addr) : width === 2 ? this.inKernel.read16(addr) : this.inKernel.read8(addr);
    }
    return this.unclaimed(addr, width, false, 0);
  }

  private writeSlow(addr: number, width: 1 | 2 | 4, value: number): void {
    if ((addr % PAGE_SIZE) + width > PAGE_SIZE) {
      this.writeStraddling(addr, width, value);
      return;
    }
    const page = this.memory.pageAt(addr);
    if (page !== null) {
      // A read-only slot refuses: the store exits as an MMIO write (KVM_MEM_READONLY).
      if (!this.memory.store(page, addr, width, value, this.littleEndian)) this.unclaimed(addr, width, true, value);
      return;
    }
    if (this.inKernel.regionAt(addr) !== null) {
      if (width === 4) this.inKernel.write32(addr, value);
      else if (width === 2) this.inKernel.write16(addr, value);
      else this.inKernel.write8(addr, value);
      return;
    }
    this.unclaimed(addr, width, true, value);
  }

  private unclaimed(addr: number, width: 1 | 2 | 4, isWrite: boolean, value: number): number {
    const port = this.exitPort;
    if (port !== null) return port.mmioAccess(addr, width, isWrite, value >>> 0);
    this.busError(addr, isWrite, width);
    return 0;
  }

  private readStraddling(addr: number, width: number): number {
    let value = 0;
    for (let i = 0; i < width; i++) {
      const b = this.read8(addr + i);
      if (this.littleEndian) value += b * 2 ** (8 * i);
      else value = value * 256 + b;
    }
    return value >>> 0;
  }

  private writeStraddling(addr: number, width: number, value: number): void {
    for (let i = 0; i < width; i++) {
      const shift = 8 * (this.littleEndian ? i : width - 1 - i);
      this.write8(addr + i, (value >>> shift) & 0xff);
    }
  }

  // ---- loaders and debuggers ---------------------------------------------------------------------------

  /** Copy into memory slots (read-only slots included, as a loader fills ROM). Throws RangeError outside slots. */
  loadBytes(addr: number, data: Uint8Array): void {
    for (let pos = addr; pos < addr + data.length; pos = pos - (pos % PAGE_SIZE) + PAGE_SIZE) {
      if (this.memory.slotAt(pos) === null) {
        const r = this.inKernel.regionAt(pos);
        throw new RangeError(
          `cannot load ${data.length} bytes at 0x${addr.toString(16)}: 0x${pos.toString(16)} is not guest memory` +
            (r !== null ? ` (it is device "${r.name}")` : ' (no memory slot covers it)'),
        );
      }
    }
    let done = 0;
    while (done < data.length) {
      const pos = addr + done;
      const page = this.memory.pageAt(pos) as GuestPage;
      const off = pos - page.base;
      const n = Math.min(PAGE_SIZE - off, data.length - done);
      this.memory.ensureBacked(page);
      page.bytes.set(data.subarray(done, done + n), off);
      this.memory.written(page, pos, n);
      done += n;
    }
  }

  /** Copy out of memory slots without allocating; bytes outside slots read as 0. */
  readBytes(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const pos = addr + done;
      const off = pos % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - off, length - done);
      const page = this.memory.existingPage(pos);
      if (page !== null) out.set(page.bytes.subarray(off, off + n), done);
      else if (this.memory.slotAt(pos)?.erased === true) out.fill(0xff, done, done + n);
      done += n;
    }
    return out;
  }

  // ---- listeners ------------------------------------------------------------------------------------------

  onCodeWrite(listener: (pageAddr: number) => void): void {
    this.codeListeners.push(listener);
  }

  codeWritten(pageAddr: number): void {
    const listeners = this.codeListeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](pageAddr);
  }

  onBusError(handler: (addr: number, write: boolean, width: number) => void): void {
    this.busError = handler;
  }
}
