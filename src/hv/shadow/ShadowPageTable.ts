/** Entries per leaf: one leaf maps 4 MiB of guest-virtual space in 4 KiB pages. */
export const LEAF_ENTRIES = 1024;
/** Distinct guest page-table pages an entry can depend on. */
export const MAX_DEPS = 4;
/** Page-table words an entry's walk may read and still be remembered word by word (more: any store to its pages resyncs it). */
export const MAX_PTE_WORDS = 6;

/**
 * 4 MiB of one address space's shadow translations, in typed arrays: for each
 * 4 KiB guest-virtual page the guest-physical page it maps to, its permission
 * bits (0 = no entry), and the guest page-table pages the translation was read
 * from (the reverse map points back here).
 */
export class ShadowLeaf {
  /** Guest-physical page number (gpa / 4096) per entry. */
  readonly gpfn = new Uint32Array(LEAF_ENTRIES);
  /** Perm bits | VALID per entry; 0 = empty. */
  readonly perms = new Uint8Array(LEAF_ENTRIES);
  /** Page-table page numbers each entry depends on, MAX_DEPS per entry. */
  readonly deps = new Uint32Array(LEAF_ENTRIES * MAX_DEPS);
  readonly depCount = new Uint8Array(LEAF_ENTRIES);
  /**
   * Guest-physical addresses of the 32-bit page-table words each entry's walk
   * read, MAX_PTE_WORDS per entry; pteCount 0xff = not remembered. A store to
   * a protected page resyncs only the entries whose words it overwrote: page
   * tables smaller than a page (ARM's 1 KiB level 2 tables) share pages.
   */
  readonly pteAddr = new Float64Array(LEAF_ENTRIES * MAX_PTE_WORDS);
  readonly pteCount = new Uint8Array(LEAF_ENTRIES);
  /** Entries in use. */
  used = 0;
}

/** Marks an entry as present in ShadowLeaf.perms (the Perm bits use the low six). */
export const VALID = 0x80;

/**
 * The shadow translations of one guest address space, identified by the
 * guest-physical base of its page tables and its ASID. Leaves are made on
 * demand; a two-level array indexed by guest-virtual address (32-bit guests).
 */
export class ShadowPageTable {
  readonly leaves: Array<ShadowLeaf | undefined> = new Array<ShadowLeaf | undefined>(1024).fill(undefined);
  leafCount = 0;
  /** LRU tick of the last activation or lookup. */
  lastUsed = 0;

  constructor(
    /** Unique id (entry ids in the reverse map are id × 2^20 + virtual page number). */
    readonly id: number,
    readonly root: number,
    readonly asid: number,
  ) {}

  get entryCount(): number {
    let n = 0;
    for (const leaf of this.leaves) if (leaf !== undefined) n += leaf.used;
    return n;
  }
}
