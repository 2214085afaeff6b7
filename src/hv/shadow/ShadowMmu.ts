import type { GuestPhysicalMemory, PageTableWriteHandler } from '../memory/GuestPhysicalMemory.ts';
import type { PagingCounters } from '../PagingCounters.ts';
import {
  requiredPerm, WalkResult, type AccessKind, type GuestPageTableWalker, type PageTableMemory,
} from './GuestPageTableWalker.ts';
import { ENTRY_ID_SCALE, entryId, ReverseMap } from './ReverseMap.ts';
import { LEAF_ENTRIES, MAX_DEPS, MAX_PTE_WORDS, ShadowLeaf, ShadowPageTable, VALID } from './ShadowPageTable.ts';

const PAGE = 4096;

/** Where a translation went: out-parameter of ShadowMmu.translate (one object per core). */
export class ShadowTranslation {
  gpa = 0;
  perms = 0;
  /** When translate returns false: the walker's fault code, or 0 for a permission fault. */
  fault = 0;
}

export interface ShadowMmuOptions {
  /** Most shadow leaves (4 MiB each) kept; beyond it the least recently used address spaces are zapped. Default 1024. */
  readonly pageLimit?: number;
  /** Byte order of guest page-table entries (default little-endian). */
  readonly littleEndian?: boolean;
}

/** One address space in a listing. */
export interface AddressSpaceInfo {
  readonly root: number;
  readonly asid: number;
  readonly leaves: number;
  readonly entries: number;
  readonly lastUsed: number;
}

/**
 * Shadow paging, ISA-neutral (KVM's shadow MMU in spirit): translations from
 * guest-virtual pages to guest-physical pages, built from the guest's own page
 * tables by the ISA's walker and cached per guest address space (page-table
 * root + ASID). The guest-physical page then comes from the memslot layer.
 *
 * - Every guest page-table page a cached translation was read from is
 *   write-protected through the memslot layer; a store to it (caught by the
 *   bus) re-walks the dependent entries found through the reverse map:
 *   entries that still translate are resynced, the others zapped.
 * - Guest TLB maintenance and page-table base/ASID writes exit to the
 *   hypervisor, which calls invalidatePage / invalidateAsid / invalidateAll /
 *   activate.
 * - Beyond `pageLimit` leaves, whole address spaces are zapped, least
 *   recently used first.
 * - Cores cache translations in soft TLBs: onInvalidate tells them which
 *   guest-virtual page (or -1: all) to drop.
 */
/** The shadow MMU in a snapshot (Vm.snapshot). */
export interface ShadowMmuSnapshot {
  readonly tables: ReadonlyArray<{
    readonly id: number;
    readonly root: number;
    readonly asid: number;
    readonly lastUsed: number;
    readonly leaves: ReadonlyArray<{
      readonly index: number; readonly used: number; readonly gpfn: Uint32Array; readonly perms: Uint8Array; readonly deps: Uint32Array;
      readonly depCount: Uint8Array; readonly pteAddr: Float64Array; readonly pteCount: Uint8Array;
    }>;
  }>;
  readonly current: number | null;
  readonly rmap: ReadonlyArray<readonly [number, readonly number[]]>;
  readonly nextId: number;
  readonly tick: number;
}

export class ShadowMmu implements PageTableWriteHandler {
  readonly pageLimit: number;
  private readonly spaces = new Map<number, Map<number, ShadowPageTable>>();
  private readonly byId = new Map<number, ShadowPageTable>();
  private readonly rmap = new ReverseMap();
  private readonly walkOut = new WalkResult();
  private readonly reader: PageTableMemory;
  private readonly listeners: Array<(gva: number) => void> = [];
  private current: ShadowPageTable | null = null;
  private nextId = 1;
  private tick = 0;
  private leaves = 0;

  constructor(
    private readonly memory: GuestPhysicalMemory,
    private readonly walker: GuestPageTableWalker,
    private readonly counters: PagingCounters,
    options: ShadowMmuOptions = {},
  ) {
    this.pageLimit = options.pageLimit ?? 1024;
    if (!Number.isInteger(this.pageLimit) || this.pageLimit < 1) throw new RangeError(`shadow page limit ${this.pageLimit} must be at least 1`);
    const le = options.littleEndian ?? true;
    const out = this.walkOut;
    const mem = memory;
    this.reader = {
      read32(gpa: number): number {
        if (out.reads < out.pteAddresses.length) out.pteAddresses[out.reads] = gpa;
        out.reads++;
        const page = mem.existingPage(gpa);
        if (page === null || gpa % PAGE > PAGE - 4) return 0;
        return page.view.getUint32(gpa % PAGE, le);
      },
      isMemory: (gpa: number) => mem.isMemory(gpa),
    };
    memory.setPageTableWriteHandler(this);
  }

  /** Tell `listener` which guest-virtual page's translation changed (-1: possibly all of them). */
  onInvalidate(listener: (gva: number) => void): void {
    this.listeners.push(listener);
  }

  // ---- address spaces -------------------------------------------------------------------------------

  /** The guest switched to the address space with page tables at `root` and ASID `asid`. */
  activate(root: number, asid: number): void {
    let byRoot = this.spaces.get(asid);
    if (byRoot === undefined) {
      byRoot = new Map();
      this.spaces.set(asid, byRoot);
    }
    let table = byRoot.get(root);
    if (table === undefined) {
      table = new ShadowPageTable(this.nextId++, root, asid);
      byRoot.set(root, table);
      this.byId.set(table.id, table);
    }
    table.lastUsed = ++this.tick;
    if (this.current !== table) {
      const sameAsid = this.current !== null && this.current.asid === asid;
      this.current = table;
      // Caches tagged by ASID keep other address spaces' entries (every later change to those is
      // notified page by page or whole); only another table under the same ASID replaces theirs.
      if (!this.asidTaggedCaches || sameAsid) this.notify(-1);
    }
  }

  /**
   * Set when every onInvalidate listener's cache keeps translations per ASID
   * (ArmCpu's soft-TLB banks): switching to another ASID's address space then
   * needs no invalidation.
   */
  asidTaggedCaches = false;

  get activeRoot(): number | null {
    return this.current === null ? null : this.current.root;
  }

  /** Shadow leaves in use (the unit of the page limit). */
  get shadowPages(): number {
    return this.leaves;
  }

  // ---- translation ----------------------------------------------------------------------------------------

  /**
   * Translate `gva` for an access of `kind` (privileged or `user`). True with
   * out.gpa/out.perms set; false when the guest must take a fault: out.fault is
   * the walker's code, or 0 when the page is mapped without that permission.
   */
  translate(gva: number, kind: AccessKind, user: boolean, out: ShadowTranslation): boolean {
    const table = this.current;
    if (table === null) throw new Error('ShadowMmu.translate before activate(root, asid)');
    table.lastUsed = ++this.tick;
    const need = requiredPerm(kind, user);
    const vpn = gva >>> 12;
    const leaf = table.leaves[vpn >>> 10];
    if (leaf !== undefined) {
      const i = vpn & (LEAF_ENTRIES - 1);
      const p = leaf.perms[i];
      if ((p & need) !== 0) {
        out.gpa = leaf.gpfn[i] * PAGE + (gva & 0xfff);
        out.perms = p & ~VALID;
        out.fault = 0;
        return true;
      }
    }
    // A miss, or an entry without the permission (the guest may have granted it since): walk.
    const w = this.walk(table.root, gva >>> 0);
    if (w.fault !== 0) {
      this.counters.guestPageFaults++;
      out.fault = w.fault;
      return false;
    }
    this.install(table, vpn, w);
    out.gpa = w.gpa;
    out.perms = w.perms;
    out.fault = 0;
    if ((w.perms & need) === 0) {
      this.counters.guestPageFaults++;
      return false;
    }
    return true;
  }

  private walk(root: number, gva: number): WalkResult {
    const w = this.walkOut;
    w.clear();
    this.walker.walk(root, gva, this.reader, w);
    this.counters.walks++;
    this.counters.walkMemoryReferences += w.reads;
    return w;
  }

  /** Cache the walk's result for page `vpn` of `table`, protecting the page-table pages it came from. */
  private install(table: ShadowPageTable, vpn: number, w: WalkResult): void {
    const deps = this.distinctPages(w);
    if (deps === null) {
      // Read from outside guest memory, or from too many pages: nothing to protect, so nothing is cached.
      const stale = table.leaves[vpn >>> 10];
      if (stale !== undefined) this.dropEntry(table, stale, vpn);
      return;
    }
    let leaf = table.leaves[vpn >>> 10];
    if (leaf === undefined) {
      this.makeRoom(table);
      leaf = new ShadowLeaf();
      table.leaves[vpn >>> 10] = leaf;
      table.leafCount++;
      this.leaves++;
    }
    const i = vpn & (LEAF_ENTRIES - 1);
    const id = entryId(table.id, vpn);
    // New dependencies first, so a page the old and new walks share stays protected throughout.
    for (let k = 0; k < deps.length; k++) {
      if (this.rmap.add(deps[k], id)) this.memory.protectPageTable(deps[k] * PAGE);
    }
    if (leaf.perms[i] !== 0) {
      for (let k = 0; k < leaf.depCount[i]; k++) {
        const old = leaf.deps[i * MAX_DEPS + k];
        if (!deps.includes(old) && this.rmap.remove(old, id)) this.memory.unprotectPageTable(old * PAGE);
      }
    } else {
      leaf.used++;
      this.counters.shadowFills++;
    }
    leaf.gpfn[i] = Math.floor(w.gpa / PAGE);
    leaf.perms[i] = w.perms | VALID;
    for (let k = 0; k < deps.length; k++) leaf.deps[i * MAX_DEPS + k] = deps[k];
    leaf.depCount[i] = deps.length;
    if (w.reads <= MAX_PTE_WORDS) {
      for (let k = 0; k < w.reads; k++) leaf.pteAddr[i * MAX_PTE_WORDS + k] = w.pteAddresses[k];
      leaf.pteCount[i] = w.reads;
    } else {
      leaf.pteCount[i] = 0xff;
    }
  }

  /** Whether a store of `size` bytes at `gpa` overwrote a page-table word entry `i` of `leaf` was read from. */
  private storeHits(leaf: ShadowLeaf, i: number, gpa: number, size: number): boolean {
    const n = leaf.pteCount[i];
    if (n === 0xff) return true;
    for (let k = 0; k < n; k++) {
      const word = leaf.pteAddr[i * MAX_PTE_WORDS + k];
      if (word < gpa + size && gpa < word + 4) return true;
    }
    return false;
  }

  private readonly depScratch: number[] = [];

  private distinctPages(w: WalkResult): number[] | null {
    const out = this.depScratch;
    out.length = 0;
    if (w.reads > w.pteAddresses.length) return null;
    for (let k = 0; k < w.reads; k++) {
      const gpa = w.pteAddresses[k];
      if (!this.memory.isMemory(gpa)) return null;
      const gpfn = Math.floor(gpa / PAGE);
      if (!out.includes(gpfn)) out.push(gpfn);
    }
    return out.length <= MAX_DEPS ? out : null;
  }

  private dropEntry(table: ShadowPageTable, leaf: ShadowLeaf, vpn: number): void {
    const i = vpn & (LEAF_ENTRIES - 1);
    if (leaf.perms[i] === 0) return;
    const id = entryId(table.id, vpn);
    for (let k = 0; k < leaf.depCount[i]; k++) {
      const gpfn = leaf.deps[i * MAX_DEPS + k];
      if (this.rmap.remove(gpfn, id)) this.memory.unprotectPageTable(gpfn * PAGE);
    }
    leaf.perms[i] = 0;
    leaf.depCount[i] = 0;
    leaf.used--;
  }

  // ---- write protection ------------------------------------------------------------------------------------

  /**
   * The memslot layer caught a store to a guest page-table page: resync or zap
   * the entries built from the words it overwrote (other entries that merely
   * share the page keep their translation). Cores are told once per store.
   */
  pageTableWritten(gpa: number, size: number): void {
    this.counters.writeProtectFaults++;
    const gpfn = Math.floor(gpa / PAGE);
    let synced = 0;
    let lastGva = 0;
    for (const id of this.rmap.dependents(gpfn)) {
      const table = this.byId.get(Math.floor(id / ENTRY_ID_SCALE));
      if (table === undefined) continue;
      const vpn = id % ENTRY_ID_SCALE;
      const leaf = table.leaves[vpn >>> 10];
      if (leaf === undefined || !this.storeHits(leaf, vpn & (LEAF_ENTRIES - 1), gpa, size)) continue;
      this.counters.shadowSyncs++;
      const w = this.walk(table.root, vpn * PAGE);
      if (w.fault !== 0) this.dropEntry(table, leaf, vpn);
      else this.install(table, vpn, w);
      synced++;
      lastGva = vpn * PAGE;
    }
    if (synced === 1) this.notify(lastGva);
    else if (synced > 1) this.notify(-1);
  }

  // ---- invalidation (guest TLB maintenance) ------------------------------------------------------------------

  /** Drop the translation of `gva` in address spaces with ASID `asid` (all ASIDs when omitted). */
  invalidatePage(gva: number, asid?: number): void {
    const vpn = (gva >>> 0) >>> 12;
    for (const table of this.byId.values()) {
      if (asid !== undefined && table.asid !== asid) continue;
      const leaf = table.leaves[vpn >>> 10];
      if (leaf !== undefined) this.dropEntry(table, leaf, vpn);
    }
    this.notify(vpn * PAGE);
  }

  /** Drop every address space with ASID `asid`. */
  invalidateAsid(asid: number): void {
    for (const table of [...this.byId.values()]) if (table.asid === asid) this.zapTable(table);
    this.notify(-1);
  }

  /** Drop every shadow translation. */
  invalidateAll(): void {
    this.zapAll();
  }

  /** Drop every address space (VM teardown, invalidate-all). */
  zapAll(): void {
    for (const table of [...this.byId.values()]) this.zapTable(table);
    this.notify(-1);
  }

  /** Free leaves until one more fits under the limit: least recently used address spaces first, the active one last. */
  private makeRoom(active: ShadowPageTable): void {
    if (this.leaves < this.pageLimit) return;
    const others = [...this.byId.values()].filter((t) => t !== active && t.leafCount > 0).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const table of others) {
      this.zapTable(table);
      if (this.leaves < this.pageLimit) break;
    }
    if (this.leaves >= this.pageLimit) this.zapTable(active);
    this.notify(-1);
  }

  /** Drop all of `table`'s leaves; forget the table unless it is the active one. */
  private zapTable(table: ShadowPageTable): void {
    for (let l = 0; l < table.leaves.length; l++) {
      const leaf = table.leaves[l];
      if (leaf === undefined) continue;
      for (let i = 0; i < LEAF_ENTRIES; i++) if (leaf.perms[i] !== 0) this.dropEntry(table, leaf, l * LEAF_ENTRIES + i);
      table.leaves[l] = undefined;
      table.leafCount--;
      this.leaves--;
      this.counters.shadowZaps++;
    }
    if (table === this.current) return;
    this.byId.delete(table.id);
    const byRoot = this.spaces.get(table.asid);
    byRoot?.delete(table.root);
    if (byRoot !== undefined && byRoot.size === 0) this.spaces.delete(table.asid);
  }

  private notify(gva: number): void {
    for (const l of this.listeners) l(gva);
  }

  // ---- snapshots ------------------------------------------------------------------------------------------------

  /** Every address space with its leaves, the reverse map and the LRU clock, so a restored VM counts fills and zaps as the saved one. */
  snapshot(): ShadowMmuSnapshot {
    return {
      tables: [...this.byId.values()].map((t) => ({
        id: t.id, root: t.root, asid: t.asid, lastUsed: t.lastUsed,
        leaves: t.leaves.flatMap((leaf, index) =>
          leaf === undefined ? [] : [{
            index, used: leaf.used, gpfn: leaf.gpfn.slice(), perms: leaf.perms.slice(), deps: leaf.deps.slice(),
            depCount: leaf.depCount.slice(), pteAddr: leaf.pteAddr.slice(), pteCount: leaf.pteCount.slice(),
          }],
        ),
      })),
      current: this.current?.id ?? null,
      rmap: this.rmap.snapshot(),
      nextId: this.nextId,
      tick: this.tick,
    };
  }

  /**
   * Put back a snapshot, after the VM's memory: write protection of the
   * guest page-table pages is re-established from the reverse map.
   */
  restore(s: ShadowMmuSnapshot): void {
    this.zapAll();
    for (const gpfn of this.rmap.pages()) this.memory.unprotectPageTable(gpfn * PAGE);
    this.spaces.clear();
    this.byId.clear();
    this.current = null;
    this.leaves = 0;
    for (const saved of s.tables) {
      const table = new ShadowPageTable(saved.id, saved.root, saved.asid);
      table.lastUsed = saved.lastUsed;
      for (const l of saved.leaves) {
        const leaf = new ShadowLeaf();
        leaf.gpfn.set(l.gpfn);
        leaf.perms.set(l.perms);
        leaf.deps.set(l.deps);
        leaf.depCount.set(l.depCount);
        leaf.pteAddr.set(l.pteAddr);
        leaf.pteCount.set(l.pteCount);
        leaf.used = l.used;
        table.leaves[l.index] = leaf;
        table.leafCount++;
        this.leaves++;
      }
      this.byId.set(table.id, table);
      let byRoot = this.spaces.get(table.asid);
      if (byRoot === undefined) {
        byRoot = new Map();
        this.spaces.set(table.asid, byRoot);
      }
      byRoot.set(table.root, table);
    }
    this.current = s.current === null ? null : (this.byId.get(s.current) ?? null);
    this.rmap.restore(s.rmap);
    for (const gpfn of this.rmap.pages()) this.memory.protectPageTable(gpfn * PAGE);
    this.nextId = s.nextId;
    this.tick = s.tick;
    this.notify(-1);
  }

  // ---- introspection (monitor, tests) -------------------------------------------------------------------------

  addressSpaces(): AddressSpaceInfo[] {
    return [...this.byId.values()].map((t) => ({
      root: t.root, asid: t.asid, leaves: t.leafCount, entries: t.entryCount, lastUsed: t.lastUsed,
    }));
  }

  /** The cached translation of `gva` in address space (root, asid), or null. */
  entry(root: number, asid: number, gva: number): { gpa: number; perms: number } | null {
    const table = this.spaces.get(asid)?.get(root);
    const vpn = (gva >>> 0) >>> 12;
    const leaf = table?.leaves[vpn >>> 10];
    if (leaf === undefined) return null;
    const i = vpn & (LEAF_ENTRIES - 1);
    return leaf.perms[i] === 0 ? null : { gpa: leaf.gpfn[i] * PAGE, perms: leaf.perms[i] & ~VALID };
  }

  /** The shadow entries built from the guest page-table page holding `gpa`. */
  dependentsOf(gpa: number): Array<{ root: number; asid: number; gva: number }> {
    return this.rmap.dependents(Math.floor(gpa / PAGE)).map((id) => {
      const t = this.byId.get(Math.floor(id / ENTRY_ID_SCALE));
      return { root: t?.root ?? -1, asid: t?.asid ?? -1, gva: (id % ENTRY_ID_SCALE) * PAGE };
    });
  }

  /**
   * Problems in the reverse map, for tests: every entry must be listed under
   * each page it depends on, every listing must name a live entry depending on
   * that page, and exactly the listed pages must be write-protected.
   */
  checkReverseMap(): string[] {
    const problems: string[] = [];
    for (const table of this.byId.values()) {
      table.leaves.forEach((leaf, l) => {
        if (leaf === undefined) return;
        for (let i = 0; i < LEAF_ENTRIES; i++) {
          if (leaf.perms[i] === 0) continue;
          const vpn = l * LEAF_ENTRIES + i;
          for (let k = 0; k < leaf.depCount[i]; k++) {
            const gpfn = leaf.deps[i * MAX_DEPS + k];
            if (!this.rmap.has(gpfn, entryId(table.id, vpn))) problems.push(`entry 0x${(vpn * PAGE).toString(16)} is missing from the list of page 0x${(gpfn * PAGE).toString(16)}`);
          }
        }
      });
    }
    for (const gpfn of this.rmap.pages()) {
      if (!this.memory.isPageTableProtected(gpfn * PAGE)) problems.push(`page 0x${(gpfn * PAGE).toString(16)} has dependents but is not write-protected`);
      for (const id of this.rmap.dependents(gpfn)) {
        const t = this.byId.get(Math.floor(id / ENTRY_ID_SCALE));
        const vpn = id % ENTRY_ID_SCALE;
        const leaf = t?.leaves[vpn >>> 10];
        const i = vpn & (LEAF_ENTRIES - 1);
        const deps = leaf === undefined ? [] : Array.from(leaf.deps.subarray(i * MAX_DEPS, i * MAX_DEPS + leaf.depCount[i]));
        if (leaf === undefined || leaf.perms[i] === 0 || !deps.includes(gpfn)) {
          problems.push(`page 0x${(gpfn * PAGE).toString(16)} lists entry 0x${(vpn * PAGE).toString(16)}, which does not depend on it`);
        }
      }
    }
    if (this.memory.pageTablePagesProtected !== this.rmap.pageCount) {
      problems.push(`${this.memory.pageTablePagesProtected} pages are write-protected but ${this.rmap.pageCount} have dependents`);
    }
    return problems;
  }
}
