import { PAGE_SIZE } from '../../machine/MemoryRegions.ts';
import { GuestPage, WriteTrack } from './GuestPage.ts';
import type { HostPagePool } from './HostPagePool.ts';
import { Memslot, type UserMemoryRegion } from './Memslot.ts';

/** Pages per chunk of the page table: one chunk covers 16 MiB of guest-physical space. */
export const PAGES_PER_CHUNK = 4096;
/** Slots must end at or below this guest-physical address (40-bit, as LPAE). */
export const MAX_GUEST_PHYS = 2 ** 40;
const MAX_SLOT_ID = 32767;

/** 16 MiB of the page table: the page objects made so far and which slot covers each page. */
export class PageChunk {
  readonly pages: Array<GuestPage | null> = new Array<GuestPage | null>(PAGES_PER_CHUNK).fill(null);
  /** Slot table index + 1 per page, 0 where no slot is. */
  readonly slotOf = new Uint16Array(PAGES_PER_CHUNK);
}

/** A VM's memory in a snapshot: per slot, in address order, its backed pages. */
export type GuestMemorySnapshot = ReadonlyArray<{
  readonly slot: number;
  readonly base: number;
  readonly size: number;
  readonly pages: Uint32Array;
  readonly data: Uint8Array;
}>;

/** What the memory layer tells the bus it sits under. */
export interface MemoryObserver {
  /** A page flagged in codePages was written. */
  codeWritten(pageAddr: number): void;
  /**
   * A page cores may have cached changed protection or backing (`pageAddr`:
   * only that page; omitted: slots changed): cores must drop cached pointers.
   */
  mapChanged(pageAddr?: number): void;
}

/** Told about stores to pages holding guest page-table entries that shadow entries were built from. */
export interface PageTableWriteHandler {
  pageTableWritten(gpa: number, size: number): void;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** Error for a bad setUserMemoryRegion call (KVM returns EINVAL/EEXIST; we say why). */
export class MemslotError extends Error {
  override readonly name = 'MemslotError';
}

/**
 * A VM's guest-physical memory: memory slots over a sparse page table of
 * GuestPage objects (two levels: 16 MiB chunks, then pages). Host pages are
 * attached on the first write to a page; reads of untouched pages see the
 * shared zero page. Write tracking (dirty logging, write-protected guest page
 * tables) works by making a page 'rom' so that stores reach `store`.
 */
export class GuestPhysicalMemory {
  /** Chunk by guest-physical address / 16 MiB. Read directly by the bus's fast paths. */
  readonly chunks: Array<PageChunk | undefined> = [];
  private readonly table: Array<Memslot | null> = [];
  private readonly byId = new Map<number, Memslot>();
  private pageTableHandler: PageTableWriteHandler | null = null;
  private protectedPages = 0;

  constructor(
    private readonly pool: HostPagePool,
    private readonly observer: MemoryObserver,
  ) {}

  // ---- slots ----------------------------------------------------------------------------------

  /**
   * Bumped whenever a slot is created or deleted: whoever caches translations
   * built from the slots (the nested-paging stage 2 tables) drops them when it
   * changes, as KVM unmaps stage 2 on a memslot change.
   */
  slotGeneration = 0;

  setUserMemoryRegion(region: UserMemoryRegion): void {
    this.slotGeneration++;
    const { slot: id, guestPhysAddr: base, size } = region;
    if (!Number.isInteger(id) || id < 0 || id > MAX_SLOT_ID) {
      throw new MemslotError(`memory slot number ${String(id)} is invalid (0 … ${MAX_SLOT_ID})`);
    }
    if (!Number.isSafeInteger(size) || size < 0 || size % PAGE_SIZE !== 0) {
      throw new MemslotError(`slot ${id}: size ${String(size)} must be a multiple of 4 KiB`);
    }
    if (!Number.isSafeInteger(base) || base < 0 || base % PAGE_SIZE !== 0) {
      throw new MemslotError(`slot ${id}: guest-physical address ${String(base)} must be 4 KiB aligned`);
    }
    if (base + size > MAX_GUEST_PHYS) {
      throw new MemslotError(`slot ${id}: ${hex(base)}+${hex(size)} ends above the 40-bit guest-physical space`);
    }
    const existing = this.byId.get(id);
    const readOnly = region.flags?.readonly ?? false;
    const dirtyLog = region.flags?.dirtyLog ?? false;
    const erased = region.flags?.erased ?? false;
    if (size === 0) {
      if (existing !== undefined) this.deleteSlot(existing);
      return;
    }
    if (existing !== undefined) {
      if (existing.base !== base || existing.size !== size) {
        throw new MemslotError(
          `slot ${id} already maps ${hex(existing.base)}-${hex(existing.end - 1)}; delete it (size 0) before mapping ${hex(base)}-${hex(base + size - 1)}`,
        );
      }
      if (existing.readOnly !== readOnly || existing.erased !== erased) {
        throw new MemslotError(`slot ${id}: the read-only and erased flags cannot change on an existing slot (delete and recreate it)`);
      }
      if (existing.dirtyLog !== dirtyLog) this.changeDirtyLog(existing, dirtyLog);
      return;
    }
    for (const other of this.byId.values()) {
      if (base < other.end && other.base < base + size) {
        throw new MemslotError(
          `slot ${id} (${hex(base)}-${hex(base + size - 1)}) overlaps ${other.describe()}`,
        );
      }
    }
    const slot = new Memslot(id, region.name ?? `slot${id}`, base, size, readOnly, dirtyLog, erased);
    let index = this.table.indexOf(null);
    if (index < 0) {
      index = this.table.length;
      this.table.push(slot);
    } else {
      this.table[index] = slot;
    }
    slot.tableIndex = index;
    this.byId.set(id, slot);
    this.forEachPage(slot, (chunk, i) => {
      chunk.slotOf[i] = index + 1;
    });
    this.observer.mapChanged();
  }

  /** Slots sorted by guest-physical address. */
  slots(): Memslot[] {
    return [...this.byId.values()].sort((a, b) => a.base - b.base);
  }

  slot(id: number): Memslot | undefined {
    return this.byId.get(id);
  }

  /** The slot covering `gpa`, or null. */
  slotAt(gpa: number): Memslot | null {
    const chunk = this.chunks[chunkIndex(gpa)];
    if (chunk === undefined) return null;
    const s = chunk.slotOf[pageIndex(gpa)];
    return s === 0 ? null : this.table[s - 1];
  }

  /**
   * KVM_GET_DIRTY_LOG: the slot's bitmap of pages written since the last call
   * (bit i = page i, least significant bit first in each byte), cleared as it
   * is returned; the pages are write-tracked again so later writes are seen.
   */
  getDirtyLog(id: number): Uint8Array {
    const slot = this.byId.get(id);
    if (slot === undefined) throw new MemslotError(`getDirtyLog: there is no memory slot ${id}`);
    if (slot.dirtyBitmap === null) throw new MemslotError(`getDirtyLog: ${slot.describe()} does not log dirty pages (set flags.dirtyLog)`);
    const bitmap = slot.dirtyBitmap;
    const out = bitmap.slice();
    bitmap.fill(0);
    let changed = false;
    for (let i = 0; i < slot.pageCount; i++) {
      if ((out[i >>> 3] & (1 << (i & 7))) === 0) continue;
      const page = this.existingPage(slot.base + i * PAGE_SIZE);
      if (page === null) continue;
      page.track |= WriteTrack.Dirty;
      changed = this.updateKind(page) || changed;
    }
    if (changed) this.observer.mapChanged();
    return out;
  }

  private changeDirtyLog(slot: Memslot, on: boolean): void {
    slot.setDirtyLog(on);
    let changed = false;
    this.forEachPage(slot, (chunk, i) => {
      const page = chunk.pages[i];
      if (page === null) return;
      if (on) page.track |= WriteTrack.Dirty;
      else page.track &= ~WriteTrack.Dirty;
      changed = this.updateKind(page) || changed;
    });
    if (changed) this.observer.mapChanged();
  }

  private deleteSlot(slot: Memslot): void {
    this.forEachPage(slot, (chunk, i) => {
      const page = chunk.pages[i];
      if (page !== null) {
        if ((page.track & WriteTrack.PageTable) !== 0) this.protectedPages--;
        const host = page.detach();
        if (host !== null) this.pool.give(host);
      }
      chunk.pages[i] = null;
      chunk.slotOf[i] = 0;
    });
    this.table[slot.tableIndex] = null;
    slot.tableIndex = -1;
    slot.backedPages = 0;
    this.byId.delete(slot.id);
    this.observer.mapChanged();
  }

  /** Give every host page back to the pool (VM teardown). */
  releaseAll(): void {
    for (const slot of [...this.byId.values()]) this.deleteSlot(slot);
  }

  private forEachPage(slot: Memslot, fn: (chunk: PageChunk, index: number) => void): void {
    for (let gpa = slot.base; gpa < slot.end; gpa += PAGE_SIZE) {
      const c = chunkIndex(gpa);
      let chunk = this.chunks[c];
      if (chunk === undefined) {
        while (this.chunks.length < c) this.chunks.push(undefined);
        chunk = new PageChunk();
        this.chunks[c] = chunk;
      }
      fn(chunk, pageIndex(gpa));
    }
  }

  // ---- pages ----------------------------------------------------------------------------------

  /** The page object at `gpa` if one was made, else null (no allocation of any kind). */
  existingPage(gpa: number): GuestPage | null {
    const chunk = this.chunks[chunkIndex(gpa)];
    return chunk === undefined ? null : chunk.pages[pageIndex(gpa)];
  }

  /**
   * The page object at `gpa`, made (showing the zero page, no host memory) if
   * needed; null when no slot covers `gpa`.
   */
  pageAt(gpa: number): GuestPage | null {
    const chunk = this.chunks[chunkIndex(gpa)];
    if (chunk === undefined) return null;
    const i = pageIndex(gpa);
    const page = chunk.pages[i];
    if (page !== null) return page;
    const s = chunk.slotOf[i];
    if (s === 0) return null;
    const slot = this.table[s - 1] as Memslot;
    const made = new GuestPage(slot, gpa - (gpa % PAGE_SIZE));
    if (slot.dirtyLog) made.track |= WriteTrack.Dirty;
    chunk.pages[i] = made;
    return made;
  }

  /** Give `page` a host page of its own if it has none (first touch). */
  ensureBacked(page: GuestPage): void {
    if (page.backed) return;
    page.attach(this.pool.take());
    page.slot.backedPages++;
    if (page.exposed) {
      // A core may hold the zero page for this address in its soft TLB.
      page.exposed = false;
      this.observer.mapChanged(page.base);
    }
  }

  /**
   * A store of `width` bytes at `gpa` (inside `page`, not crossing it) from a
   * vCPU, a loader or a device. Returns false, writing nothing, when the slot is
   * read-only and `force` is not set (the vCPU path then exits as MMIO).
   */
  store(page: GuestPage, gpa: number, width: 1 | 2 | 4, value: number, littleEndian: boolean, force = false): boolean {
    if (page.slot.readOnly && !force) return false;
    this.ensureBacked(page);
    const off = gpa - page.base;
    if (width === 4) page.view.setUint32(off, value, littleEndian);
    else if (width === 2) page.view.setUint16(off, value, littleEndian);
    else page.bytes[off] = value;
    this.written(page, gpa, width);
    return true;
  }

  /** Bookkeeping after bytes of `page` changed: code, dirty log, shadowed page tables, kind. */
  written(page: GuestPage, gpa: number, size: number): void {
    if (page.codePages[0] !== 0) this.observer.codeWritten(page.base);
    if (page.slot.dirtyLog) {
      page.slot.markDirty(page.base);
      page.track &= ~WriteTrack.Dirty;
    }
    if ((page.track & WriteTrack.PageTable) !== 0 && this.pageTableHandler !== null) {
      this.pageTableHandler.pageTableWritten(gpa, size);
    }
    if (this.updateKind(page)) this.observer.mapChanged(page.base);
  }

  /**
   * Bring `page` to the kind its state calls for. True when it went from 'ram'
   * to 'rom' (cores may hold it for writes and must be told).
   */
  private updateKind(page: GuestPage): boolean {
    const kind = page.wantedKind();
    if (kind === page.kind) return false;
    const wasRam = page.kind === 'ram';
    page.kind = kind;
    return wasRam;
  }

  // ---- write protection of guest page tables (the shadow MMU) ------------------------------------

  setPageTableWriteHandler(handler: PageTableWriteHandler | null): void {
    this.pageTableHandler = handler;
  }

  /** Catch stores to the page holding `gpa`; false when no slot covers it. */
  protectPageTable(gpa: number): boolean {
    const page = this.pageAt(gpa);
    if (page === null) return false;
    if ((page.track & WriteTrack.PageTable) === 0) {
      page.track |= WriteTrack.PageTable;
      this.protectedPages++;
      if (this.updateKind(page)) this.observer.mapChanged(page.base);
    }
    return true;
  }

  unprotectPageTable(gpa: number): void {
    const page = this.existingPage(gpa);
    if (page === null || (page.track & WriteTrack.PageTable) === 0) return;
    page.track &= ~WriteTrack.PageTable;
    this.protectedPages--;
    this.updateKind(page);
  }

  isPageTableProtected(gpa: number): boolean {
    const page = this.existingPage(gpa);
    return page !== null && (page.track & WriteTrack.PageTable) !== 0;
  }

  /** Pages currently write-protected for the shadow MMU. */
  get pageTablePagesProtected(): number {
    return this.protectedPages;
  }

  // ---- snapshots ---------------------------------------------------------------------------------------

  /** Every slot's backed pages (indices in the slot) and their bytes; untouched pages are not stored. */
  snapshotPages(): GuestMemorySnapshot {
    return this.slots().map((slot) => {
      const pages: number[] = [];
      for (let i = 0; i < slot.pageCount; i++) if (this.existingPage(slot.base + i * PAGE_SIZE)?.backed === true) pages.push(i);
      const data = new Uint8Array(pages.length * PAGE_SIZE);
      pages.forEach((p, k) => data.set(this.existingPage(slot.base + p * PAGE_SIZE)!.bytes, k * PAGE_SIZE));
      return { slot: slot.id, base: slot.base, size: slot.size, pages: Uint32Array.from(pages), data };
    });
  }

  /**
   * Put back a `snapshotPages` of the same slots. Pages backed here but not in
   * the snapshot are cleared to zero; page kinds and code flags are brought up
   * to date through `written` (the observer is told of the code pages).
   */
  restorePages(snapshot: GuestMemorySnapshot): void {
    const slots = this.slots();
    const describe = (list: ReadonlyArray<{ base: number; size: number }>) => list.map((s) => `${hex(s.base)}+${hex(s.size)}`).join(', ') || 'none';
    if (describe(slots) !== describe(snapshot)) throw new Error(`the snapshot's memory slots (${describe(snapshot)}) differ from the VM's (${describe(slots)})`);
    snapshot.forEach((saved, n) => {
      const slot = slots[n];
      const keep = new Set(saved.pages);
      for (let i = 0; i < slot.pageCount; i++) {
        const page = this.existingPage(slot.base + i * PAGE_SIZE);
        if (page !== null && page.backed && !keep.has(i)) {
          page.bytes.fill(0);
          this.written(page, page.base, PAGE_SIZE);
        }
      }
      saved.pages.forEach((p, k) => {
        const page = this.pageAt(slot.base + p * PAGE_SIZE)!;
        this.ensureBacked(page);
        page.bytes.set(saved.data.subarray(k * PAGE_SIZE, (k + 1) * PAGE_SIZE));
        this.written(page, page.base, PAGE_SIZE);
      });
    });
  }

  // ---- reads without side effects -----------------------------------------------------------------

  /** True when `gpa` lies in a memory slot. */
  isMemory(gpa: number): boolean {
    return this.slotAt(gpa) !== null;
  }

  /** Host pages attached to this VM's slots (4 KiB each). */
  get touchedPages(): number {
    let n = 0;
    for (const slot of this.byId.values()) n += slot.backedPages;
    return n;
  }
}

export function chunkIndex(gpa: number): number {
  return gpa < 4294967296 && gpa >= 0 ? gpa >>> 24 : Math.floor(gpa / 2 ** 24);
}

/** Index of `gpa`'s page in its chunk: bits 12…23 (ToUint32 keeps them, as 2^32 is a multiple of 16 MiB). */
export function pageIndex(gpa: number): number {
  return (gpa >>> 12) & 0xfff;
}
