import type { AccessWidth, MmioDevice } from './MmioDevice.ts';
import type { MemoryRegion, PhysicalBus, Region } from './PhysicalBus.ts';
import { MemoryBlock, MmioWindow, PAGE_SIZE, type DeviceByteOrder } from './MemoryRegions.ts';
import { adaptedRead, adaptedWrite, swapBytes, widthMaskOf } from './MmioWidthAdapter.ts';

/*
 * Dispatch: a two-level table indexed by page. Level 1 is indexed by the
 * 16 MiB chunk number, level 2 is a Uint16Array of 4096 slot indices, one per
 * 4 KiB page, allocated when something is mapped in that chunk. A page fully
 * covered by one region holds that region's slot. A page shared by several
 * regions, or only partly covered (virtio-mmio transports are 0x200 bytes),
 * holds a "page list" slot whose 64 granules of 64 bytes each name the region
 * covering them, resolved when the map changes; only a granule shared by two
 * regions (regions smaller than 64 bytes or misaligned) needs a scan of the
 * page's few members.
 */

const RAM = 0;
const ROM = 1;
const MMIO = 2;
const PAGE_LIST = 3;
const UNMAPPED = 4;

const CHUNK_SCALE = 1 / 2 ** 24;
const PAGES_PER_CHUNK = 4096;
/** Chunks at or above this index (addresses >= 2**44) are kept in a short list instead of the table. */
const DENSE_CHUNK_LIMIT = 2 ** 20;
const FAR_BASE = DENSE_CHUNK_LIMIT * 2 ** 24;
const MAX_ADDRESS = 2 ** 52;
const GRANULE_SHIFT = 6;
const GRANULES_PER_PAGE = PAGE_SIZE >> GRANULE_SHIFT;
/** Granule entry meaning "several regions share this granule: scan the members". */
const MIXED = 0xffff;
const MAX_SLOTS = 0xfffe;

const NO_BYTES = new Uint8Array(0);
const NO_VIEW = new DataView(NO_BYTES.buffer);

/**
 * The bus's internal record for a region or a shared page. Every slot has
 * the same shape so the hot path's property loads stay monomorphic.
 */
class Slot {
  code = UNMAPPED;
  base = 0;
  end = 0;
  view: DataView = NO_VIEW;
  bytes: Uint8Array = NO_BYTES;
  codePages: Uint8Array = NO_BYTES;
  device: MmioDevice | null = null;
  deviceOffset = 0;
  widthMask = 0;
  deviceLittleEndian = false;
  swap = false;
  region: Region | null = null;
  members: Slot[] = [];
  granules: Uint16Array = new Uint16Array(0);
  far = false;
  /** Level-2 table shared by every 16 MiB chunk this region covers whole (created on demand). */
  fullChunk: Uint16Array | null = null;

  constructor(readonly index: number) {}
}

export interface MmioMapOptions {
  /** Offset of this window inside the device (default 0). */
  readonly deviceOffset?: number;
  /** Byte order of the device's registers (default 'native': the bus's order). */
  readonly byteOrder?: DeviceByteOrder;
}

/**
 * Level-1 index of `addr`. Below 4 GiB a shift does it; above, a float
 * division (exact: the scale is a power of two). Negative or NaN addresses
 * give an index with no table, so they take the slow path and fault.
 */
function chunkOf(addr: number): number {
  return addr < 4294967296 && addr >= 0 ? addr >>> 24 : Math.floor(addr * CHUNK_SCALE);
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function describe(r: Region): string {
  return `"${r.name}" at ${hex(r.base)}-${hex(r.base + r.size - 1)}`;
}

export class Bus implements PhysicalBus {
  readonly littleEndian: boolean;

  private readonly emptyChunk = new Uint16Array(PAGES_PER_CHUNK);
  private level1: Uint16Array[] = [];
  private readonly slots: Slot[] = [new Slot(0)];
  private readonly freeSlots: number[] = [];
  private readonly regionSlots = new Map<Region, Slot>();
  private readonly farSlots: Slot[] = [];
  private sortedRegions: Region[] | null = null;
  private readonly codeListeners: Array<(pageAddr: number) => void> = [];
  private readonly mapListeners: Array<() => void> = [];
  private busError: (addr: number, write: boolean, width: number) => void = () => {};
  private romWrite: ((addr: number, width: number, value: number) => void) | null = null;

  constructor(options: { littleEndian: boolean }) {
    this.littleEndian = options.littleEndian;
  }

  // ---- building the map -------------------------------------------------

  /** Add zero-filled RAM. */
  addRam(name: string, base: number, size: number): MemoryBlock {
    this.checkRange(name, base, size);
    return this.mapMemory(name, base, new Uint8Array(size), false);
  }

  /** Add zero-filled ROM (fill it with loadBytes; CPU writes are ignored). */
  addRom(name: string, base: number, size: number): MemoryBlock {
    this.checkRange(name, base, size);
    return this.mapMemory(name, base, new Uint8Array(size), true);
  }

  /**
   * Map existing bytes as RAM or ROM (a device's backing store, e.g. NOR flash
   * in read-array mode). The bus reads and writes `bytes` in place.
   */
  mapMemory(name: string, base: number, bytes: Uint8Array, readOnly: boolean): MemoryBlock {
    this.checkRange(name, base, bytes.length);
    if (base % PAGE_SIZE !== 0) {
      throw new RangeError(`cannot map "${name}" at ${hex(base)}: RAM and ROM must start on a 4 KiB boundary`);
    }
    const region = new MemoryBlock(readOnly ? 'rom' : 'ram', name, base, bytes);
    const slot = this.newSlot();
    slot.code = readOnly ? ROM : RAM;
    slot.bytes = bytes;
    slot.view = region.view;
    slot.codePages = region.codePages;
    this.install(slot, region);
    return region;
  }

  /**
   * Put `wrap(device, window)` between the bus and every device window, those
   * mapped already and those mapped later; null takes the wrappers out. A
   * device trace uses it: the per-access path stays the same (it calls
   * whatever the window's slot holds), so it costs nothing when not set.
   */
  interposeMmio(wrap: ((device: MmioDevice, window: MmioWindow) => MmioDevice) | null): void {
    this.mmioWrapper = wrap;
    for (const [region, slot] of this.regionSlots) {
      if (slot.code !== MMIO) continue;
      const window = region as MmioWindow;
      slot.device = wrap === null ? window.device : wrap(window.device, window);
    }
  }

  private mmioWrapper: ((device: MmioDevice, window: MmioWindow) => MmioDevice) | null = null;

  /** Map `size` bytes of `device` at `base`. */
  mapMmio(name: string, base: number, size: number, device: MmioDevice, options: MmioMapOptions = {}): MmioWindow {
    this.checkRange(name, base, size);
    const order = options.byteOrder ?? 'native';
    const deviceOffset = options.deviceOffset ?? 0;
    if (!Number.isSafeInteger(deviceOffset) || deviceOffset < 0) {
      throw new RangeError(`cannot map "${name}": invalid device offset ${String(deviceOffset)}`);
    }
    const mask = widthMaskOf(device.widths);
    if (mask === 0) throw new RangeError(`cannot map "${name}": device ${device.name} declares no access widths`);
    const region = new MmioWindow(name, base, size, device, deviceOffset, order);
    const slot = this.newSlot();
    slot.code = MMIO;
    slot.device = this.mmioWrapper === null ? device : this.mmioWrapper(device, region);
    slot.deviceOffset = deviceOffset;
    slot.widthMask = mask;
    slot.deviceLittleEndian = order === 'native' ? this.littleEndian : order === 'little';
    slot.swap = slot.deviceLittleEndian !== this.littleEndian;
    this.install(slot, region);
    return region;
  }

  /** Remove a region (PCI BAR moves, flash mode switches, VM teardown). */
  unmap(region: Region): void {
    const slot = this.regionSlots.get(region);
    if (slot === undefined) throw new Error(`region ${describe(region)} is not mapped on this bus`);
    this.regionSlots.delete(region);
    this.sortedRegions = null;
    if (slot.far) {
      this.farSlots.splice(this.farSlots.indexOf(slot), 1);
    } else {
      this.forEachPage(slot, (chunk) => {
        this.level1[chunk] = this.emptyChunk;
      }, (chunk, page, pageAddr) => {
        const l2 = this.level1[chunk];
        const entry = l2[page];
        if (entry === slot.index) {
          l2[page] = 0;
          return;
        }
        const list = this.slots[entry];
        list.members.splice(list.members.indexOf(slot), 1);
        if (list.members.length === 0) {
          l2[page] = 0;
          this.releaseSlot(list);
        } else {
          this.resolveGranules(list, pageAddr);
        }
      });
    }
    this.releaseSlot(slot);
    this.notifyMapChange();
  }

  /** Told after every map or unmap: cores drop soft-TLB entries that may point into old regions. */
  onMapChange(listener: () => void): void {
    this.mapListeners.push(listener);
  }

  /** Optional: told about CPU writes to ROM (which are ignored), for logs. */
  onRomWrite(handler: ((addr: number, width: number, value: number) => void) | null): void {
    this.romWrite = handler;
  }

  private readonly materializers: Array<(addr: number, size: number) => void> = [];

  /** Register memory made on first use (FlashRomdMapper): `make` gives the part in a range its bytes. */
  onMaterialize(make: (addr: number, size: number) => void): void {
    this.materializers.push(make);
  }

  materializeMemory(addr: number, size: number): void {
    for (const make of this.materializers) make(addr, size);
  }

  private checkRange(name: string, base: number, size: number): void {
    if (!Number.isSafeInteger(base) || base < 0 || !Number.isSafeInteger(size) || size <= 0 || base + size > MAX_ADDRESS) {
      throw new RangeError(`cannot map "${name}" at ${String(base)} size ${String(size)}: base and size must be integers with size > 0 and end <= 2**52`);
    }
  }

  private newSlot(): Slot {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) {
      const slot = new Slot(reused);
      this.slots[reused] = slot;
      return slot;
    }
    if (this.slots.length >= MAX_SLOTS) throw new RangeError('too many regions mapped on one bus');
    const slot = new Slot(this.slots.length);
    this.slots.push(slot);
    return slot;
  }

  private releaseSlot(slot: Slot): void {
    this.slots[slot.index] = this.slots[0];
    this.freeSlots.push(slot.index);
  }

  private install(slot: Slot, region: Region): void {
    slot.base = region.base;
    slot.end = region.base + region.size;
    slot.region = region;
    for (const [other] of this.regionSlots) {
      if (region.base < other.base + other.size && other.base < slot.end) {
        this.releaseSlot(slot);
        throw new RangeError(`cannot map ${describe(region)}: overlaps ${describe(other)}`);
      }
    }
    this.regionSlots.set(region, slot);
    this.sortedRegions = null;
    if (slot.end > FAR_BASE) {
      slot.far = true;
      this.farSlots.push(slot);
    } else {
      this.forEachPage(slot, (chunk) => {
        slot.fullChunk ??= new Uint16Array(PAGES_PER_CHUNK).fill(slot.index);
        this.level1[chunk] = slot.fullChunk;
      }, (chunk, page, pageAddr) => {
        let l2 = this.level1[chunk];
        if (l2 === this.emptyChunk) {
          l2 = new Uint16Array(PAGES_PER_CHUNK);
          this.level1[chunk] = l2;
        }
        if (slot.base <= pageAddr && slot.end >= pageAddr + PAGE_SIZE) {
          l2[page] = slot.index;
          return;
        }
        let list: Slot;
        if (l2[page] === 0) {
          list = this.newSlot();
          list.code = PAGE_LIST;
          list.base = pageAddr;
          list.end = pageAddr + PAGE_SIZE;
          list.granules = new Uint16Array(GRANULES_PER_PAGE);
          l2[page] = list.index;
        } else {
          list = this.slots[l2[page]];
        }
        list.members.push(slot);
        list.members.sort((a, b) => a.base - b.base);
        this.resolveGranules(list, pageAddr);
      });
    }
    this.notifyMapChange();
  }

  /**
   * Walks the pages of a slot's range, making sure level 1 reaches them:
   * `whole` for each 16 MiB chunk the slot covers entirely (so a large window,
   * such as a 512 GiB PCIe memory range, costs one call per chunk and one
   * shared table, not a walk of every page), `fn` for each page of the others.
   */
  private forEachPage(slot: Slot, whole: (chunk: number) => void, fn: (chunk: number, page: number, pageAddr: number) => void): void {
    const first = Math.floor(slot.base / PAGE_SIZE);
    const last = Math.floor((slot.end - 1) / PAGE_SIZE);
    const lastChunk = Math.floor(last / PAGES_PER_CHUNK);
    while (this.level1.length <= lastChunk) this.level1.push(this.emptyChunk);
    for (let p = first; p <= last; ) {
      const chunk = Math.floor(p / PAGES_PER_CHUNK);
      const chunkFirst = chunk * PAGES_PER_CHUNK;
      if (p === chunkFirst && chunkFirst + PAGES_PER_CHUNK - 1 <= last && slot.base <= p * PAGE_SIZE && slot.end >= (chunkFirst + PAGES_PER_CHUNK) * PAGE_SIZE) {
        whole(chunk);
        p += PAGES_PER_CHUNK;
        continue;
      }
      fn(chunk, p % PAGES_PER_CHUNK, p * PAGE_SIZE);
      p++;
    }
  }

  private resolveGranules(list: Slot, pageAddr: number): void {
    for (let g = 0; g < GRANULES_PER_PAGE; g++) {
      const start = pageAddr + (g << GRANULE_SHIFT);
      const end = start + (1 << GRANULE_SHIFT);
      let entry = 0;
      for (const m of list.members) {
        if (m.base >= end || m.end <= start) continue;
        const covers = m.base <= start && m.end >= end;
        entry = entry === 0 && covers ? m.index : MIXED;
        if (!covers) break;
      }
      list.granules[g] = entry;
    }
  }

  private notifyMapChange(): void {
    for (const l of this.mapListeners) l();
  }

  // ---- lookup ---------------------------------------------------------------

  /** The slot whose region contains `addr`, or the unmapped slot. */
  private resolve(addr: number): Slot {
    const l2 = this.level1[chunkOf(addr)];
    if (l2 !== undefined) {
      const s = this.slots[l2[(addr >>> 12) & 0xfff]];
      if (s.code === PAGE_LIST) {
        const g = s.granules[(addr & 0xfff) >>> GRANULE_SHIFT];
        if (g !== MIXED) return this.slots[g];
        for (const m of s.members) if (addr >= m.base && addr < m.end) return m;
        return this.slots[0];
      }
      if (s.code !== UNMAPPED) return s;
    }
    for (const s of this.farSlots) if (addr >= s.base && addr < s.end) return s;
    return this.slots[0];
  }

  memoryAt(addr: number): MemoryRegion | null {
    const s = this.resolve(addr);
    return s.code === RAM || s.code === ROM ? (s.region as MemoryRegion) : null;
  }

  regionAt(addr: number): Region | null {
    return this.resolve(addr).region;
  }

  regions(): readonly Region[] {
    if (this.sortedRegions === null) {
      this.sortedRegions = [...this.regionSlots.keys()].sort((a, b) => a.base - b.base);
    }
    return this.sortedRegions;
  }

  // ---- CPU accesses: RAM fast paths, everything else in accessSlow ----------

  read8(addr: number): number {
    const l2 = this.level1[chunkOf(addr)];
    if (l2 !== undefined) {
      const s = this.slots[l2[(addr >>> 12) & 0xfff]];
      if (s.code <= ROM) return s.bytes[addr - s.base];
    }
    return this.readSlow(addr, 1);
  }

  read16(addr: number): number {
    const l2 = this.level1[chunkOf(addr)];
    if (l2 !== undefined && (addr & 0xfff) <= 0xffe) {
      const s = this.slots[l2[(addr >>> 12) & 0xfff]];
      if (s.code <= ROM) return s.view.getUint16(addr - s.base, this.littleEndian);
    }
    return this.readSlow(addr, 2);
  }

  read32(addr: number): number {
    const l2 = this.level1[chunkOf(addr)];
    if (l2 !== undefined && (addr & 0xfff) <= 0xffc) {
      const s = this.slots[l2[(addr >>> 12) & 0xfff]];
      if (s.code <= ROM) return s.view.getUint32(addr - s.base, this.littleEndian);
    }
    return this.readSlow(addr, 4);
  }

  write8(addr: number, value: number): void {
    const l2 = this.level1[chunkOf(addr)];
    if (l2 !== undefined) {
      const s = this.slots[l2[(addr >>> 12) & 0xfff]];
      if (s.code === RAM) {
        const off = addr - s.base;
        s.bytes[off] = value;
        if (s.codePages[off >>> 12] !== 0) this.codeWritten(addr - (addr & 0xfff));
        return;
      }
    }
    this.writeSlow(addr, 1, value);
  }

  write16(addr: number, value: number): void {
    const l2 = this.level1[chunkOf(addr)];
    if (l2 !== undefined && (addr & 0xfff) <= 0xffe) {
      const s = this.slots[l2[(addr >>> 12) & 0xfff]];
      if (s.code === RAM) {
        const off = addr - s.base;
        s.view.setUint16(off, value, this.littleEndian);
        if (s.codePages[off >>> 12] !== 0) this.codeWritten(addr - (addr & 0xfff));
        return;
      }
    }
    this.writeSlow(addr, 2, value);
  }

  write32(addr: number, value: number): void {
    const l2 = this.level1[chunkOf(addr)];
    if (l2 !== undefined && (addr & 0xfff) <= 0xffc) {
      const s = this.slots[l2[(addr >>> 12) & 0xfff]];
      if (s.code === RAM) {
        const off = addr - s.base;
        s.view.setUint32(off, value, this.littleEndian);
        if (s.codePages[off >>> 12] !== 0) this.codeWritten(addr - (addr & 0xfff));
        return;
      }
    }
    this.writeSlow(addr, 4, value);
  }

  read64(addr: number, out: Uint32Array): void {
    const l2 = this.level1[chunkOf(addr)];
    if (l2 !== undefined && (addr & 0xfff) <= 0xff8) {
      const m = this.slots[l2[(addr >>> 12) & 0xfff]];
      if (m.code <= ROM) {
        const off = addr - m.base;
        const le = this.littleEndian;
        out[le ? 0 : 1] = m.view.getUint32(off, le);
        out[le ? 1 : 0] = m.view.getUint32(off + 4, le);
        return;
      }
    }
    const s = this.resolve(addr);
    if (s.code === UNMAPPED) {
      this.busError(addr, false, 8);
      out[0] = 0;
      out[1] = 0;
      return;
    }
    // Two 32-bit halves in memory order; which one is the high half depends on the bus order.
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
    const s = this.resolve(addr);
    if (s.code === UNMAPPED) {
      this.busError(addr, true, 8);
      return;
    }
    this.write32(addr, this.littleEndian ? low : high);
    this.write32(addr + 4, this.littleEndian ? high : low);
  }

  private readSlow(addr: number, width: AccessWidth): number {
    const s = this.resolve(addr);
    if (s.code === UNMAPPED) {
      this.busError(addr, false, width);
      return 0;
    }
    if (addr + width > s.end) return this.readAcross(addr, width);
    const off = addr - s.base;
    if (s.code === MMIO) {
      const v = adaptedRead(s.device as MmioDevice, off + s.deviceOffset, width, s.widthMask, s.deviceLittleEndian);
      return s.swap ? swapBytes(v, width) : v;
    }
    if (width === 1) return s.bytes[off];
    if (width === 2) return s.view.getUint16(off, this.littleEndian);
    return s.view.getUint32(off, this.littleEndian);
  }

  /** An access that runs past the end of its region: one byte at a time, each routed on its own. */
  private readAcross(addr: number, width: AccessWidth): number {
    let value = 0;
    for (let i = 0; i < width; i++) {
      const b = this.readSlow(addr + i, 1);
      if (this.littleEndian) value += b * 2 ** (8 * i);
      else value = value * 256 + b;
    }
    return value;
  }

  private writeSlow(addr: number, width: AccessWidth, value: number): void {
    const s = this.resolve(addr);
    if (s.code === UNMAPPED) {
      this.busError(addr, true, width);
      return;
    }
    if (addr + width > s.end) {
      for (let i = 0; i < width; i++) {
        const shift = 8 * (this.littleEndian ? i : width - 1 - i);
        this.writeSlow(addr + i, 1, (value >>> shift) & 0xff);
      }
      return;
    }
    const off = addr - s.base;
    switch (s.code) {
      case MMIO: {
        const v = s.swap ? swapBytes(value, width) : value;
        adaptedWrite(s.device as MmioDevice, off + s.deviceOffset, width, v, s.widthMask, s.deviceLittleEndian);
        return;
      }
      case ROM:
        if (this.romWrite !== null) this.romWrite(addr, width, value >>> 0);
        return;
      default:
        if (width === 1) s.bytes[off] = value;
        else if (width === 2) s.view.setUint16(off, value, this.littleEndian);
        else s.view.setUint32(off, value, this.littleEndian);
        if (s.codePages[off >>> 12] !== 0) this.codeWritten(addr - (addr & 0xfff));
        // A write ending in the next page of a code-flagged region.
        if (((off + width - 1) >>> 12) !== off >>> 12 && s.codePages[(off + width - 1) >>> 12] !== 0) {
          const last = addr + width - 1;
          this.codeWritten(last - (last & 0xfff));
        }
    }
  }

  // ---- loaders and debuggers ----------------------------------------------------

  loadBytes(addr: number, data: Uint8Array): void {
    // Check everything first so a failed load leaves memory untouched.
    this.walkMemory(addr, data.length, (s, pos) => {
      if (s.code !== RAM && s.code !== ROM) {
        throw new RangeError(
          `cannot load ${data.length} bytes at ${hex(addr)}: ${hex(pos)} is not RAM or ROM` +
          (s.region !== null ? ` (it is ${describe(s.region)})` : ' (nothing is mapped there)'),
        );
      }
    });
    this.walkMemory(addr, data.length, (s, pos, n) => {
      const off = pos - s.base;
      s.bytes.set(data.subarray(pos - addr, pos - addr + n), off);
      for (let p = off >>> 12; p <= (off + n - 1) >>> 12; p++) {
        if (s.codePages[p] !== 0) this.codeWritten(s.base + p * PAGE_SIZE);
      }
    });
  }

  readBytes(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.walkMemory(addr, length, (s, pos, n) => {
      if (s.code === RAM || s.code === ROM) out.set(s.bytes.subarray(pos - s.base, pos - s.base + n), pos - addr);
      else if (s.device?.peek !== undefined) {
        for (let k = 0; k < n; k++) out[pos - addr + k] = s.device.peek(s.deviceOffset + pos - s.base + k);
      }
    });
    return out;
  }

  /** Visit [addr, addr+length) as runs that each lie in one slot (or one unmapped byte). */
  private walkMemory(addr: number, length: number, fn: (s: Slot, pos: number, n: number) => void): void {
    let pos = addr;
    const end = addr + length;
    while (pos < end) {
      const s = this.resolve(pos);
      const n = s.code === UNMAPPED ? 1 : Math.min(s.end, end) - pos;
      fn(s, pos, n);
      pos += n;
    }
  }

  // ---- listeners ---------------------------------------------------------------

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
