import { S2Perm } from '../mmu/WalkResult.ts';

/** Counts the descriptor reads of each walk (the VM's PagingCounters). */
export interface Stage2WalkCounter {
  walkMemoryReferences: number;
}

const ENTRIES = 512;
/** Level 1 of a 40-bit IPA space: two concatenated tables (VTCR.T0SZ = 24, SL0 = 1; B3.6.6). */
const ROOT_ENTRIES = 1024;
const WORDS_PER_TABLE = ENTRIES * 2;
const TWO_30 = 0x40000000;
/** Descriptor bits [1:0] = 0b11: a table (levels 1, 2) or a page (level 3); 0b00 is invalid (B3.6.1). */
const VALID_TABLE_OR_PAGE = 0b11;
/** Page descriptor lower attributes: MemAttr[5:2] = 0b1111 (Normal, write-back), SH[9:8] = inner shareable, AF[10]. */
const PAGE_ATTRIBUTES = (0b1111 << 2) | (0b11 << 8) | (1 << 10);
const S2AP_READ = 1 << 6;
const S2AP_WRITE = 1 << 7;
/** XN is bit 54: bit 22 of the upper word. */
const XN_HIGH = 1 << 22;

/**
 * The stage 2 translation tables of one VM under nested paging, as KVM keeps
 * them: long-descriptor (LPAE) stage 2 tables (ARM ARM B3.6) in hypervisor
 * memory the guest cannot see, filled lazily — a guest access to a page with
 * no entry is a stage 2 fault the hypervisor answers by mapping the page from
 * its memory slot (KVM's user_mem_abort) — and emptied when the slots change.
 *
 * Tables live in one growing Uint32Array, 512 descriptors (two words each, low
 * word first) per table; a table's "address" in a descriptor is its index
 * << 12. A lookup walks the three levels and counts each descriptor read, so
 * the VM's references per walk show the two-dimensional cost of nested paging.
 */
export class Stage2PageTables {
  private words = new Uint32Array((ROOT_ENTRIES / ENTRIES + 16) * WORDS_PER_TABLE);
  /** Tables in use; the first two are the concatenated level 1 root. */
  private tables = ROOT_ENTRIES / ENTRIES;

  /** Stage 2 permissions (S2Perm) of the page holding `ipa`, or -1 when it has no entry. */
  lookup(ipa: number, counter: Stage2WalkCounter): number {
    const words = this.words;
    const l1 = Math.floor(ipa / TWO_30);
    if (l1 >= ROOT_ENTRIES) return -1;
    counter.walkMemoryReferences++;
    const d1 = words[l1 * 2]!;
    if ((d1 & 3) !== VALID_TABLE_OR_PAGE) return -1;
    counter.walkMemoryReferences++;
    const at2 = (d1 >>> 12) * WORDS_PER_TABLE + ((ipa >>> 21) & 511) * 2;
    const d2 = words[at2]!;
    if ((d2 & 3) !== VALID_TABLE_OR_PAGE) return -1;
    counter.walkMemoryReferences++;
    const at3 = (d2 >>> 12) * WORDS_PER_TABLE + ((ipa >>> 12) & 511) * 2;
    const low = words[at3]!;
    if ((low & 3) !== VALID_TABLE_OR_PAGE) return -1;
    const high = words[at3 + 1]!;
    return ((low & S2AP_READ) !== 0 ? S2Perm.Read : 0) | ((low & S2AP_WRITE) !== 0 ? S2Perm.Write : 0) | ((high & XN_HIGH) === 0 ? S2Perm.Exec : 0);
  }

  /** Map the 4 KiB page holding `ipa` to itself with `perms` (S2Perm bits), making the tables on the way. */
  map(ipa: number, perms: number): void {
    const l1 = Math.floor(ipa / TWO_30);
    if (l1 >= ROOT_ENTRIES) throw new RangeError(`IPA 0x${ipa.toString(16)} is beyond the 40-bit stage 2 input range`);
    const t2 = this.tableAt(l1 * 2);
    const t3 = this.tableAt(t2 * WORDS_PER_TABLE + ((ipa >>> 21) & 511) * 2);
    const at = t3 * WORDS_PER_TABLE + ((ipa >>> 12) & 511) * 2;
    const page = Math.floor(ipa / 4096);
    // Output address bits [39:12]: bits [31:12] in the low word, [39:32] in the high word.
    this.words[at] =
      (((page & 0xfffff) << 12) | PAGE_ATTRIBUTES | ((perms & S2Perm.Read) !== 0 ? S2AP_READ : 0) | ((perms & S2Perm.Write) !== 0 ? S2AP_WRITE : 0) | VALID_TABLE_OR_PAGE) >>> 0;
    this.words[at + 1] = (Math.floor(page / 0x100000) & 0xff) | ((perms & S2Perm.Exec) !== 0 ? 0 : XN_HIGH);
  }

  /** Drop every entry (a memslot changed). */
  clear(): void {
    this.words.fill(0, 0, this.tables * WORDS_PER_TABLE);
    this.tables = ROOT_ENTRIES / ENTRIES;
  }

  /** Tables in use, the root included (for tests and `info mmu`). */
  /** The tables in use (root first), for snapshots. */
  snapshot(): Uint32Array {
    return this.words.slice(0, this.tables * WORDS_PER_TABLE);
  }

  restore(words: Uint32Array): void {
    if (words.length % WORDS_PER_TABLE !== 0 || words.length < (ROOT_ENTRIES / ENTRIES) * WORDS_PER_TABLE) throw new Error('stage 2 tables in a snapshot have a wrong size');
    if (this.words.length < words.length) this.words = new Uint32Array(Math.max(words.length, this.words.length * 2));
    this.words.fill(0);
    this.words.set(words);
    this.tables = words.length / WORDS_PER_TABLE;
  }

  get tableCount(): number {
    return this.tables;
  }

  /** The next-level table a descriptor at word `at` points to, made (zeroed) if it is invalid. */
  private tableAt(at: number): number {
    const d = this.words[at]!;
    if ((d & 3) === VALID_TABLE_OR_PAGE) return d >>> 12;
    const index = this.tables++;
    if (this.tables * WORDS_PER_TABLE > this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words[at] = ((index << 12) | VALID_TABLE_OR_PAGE) >>> 0;
    this.words[at + 1] = 0;
    return index;
  }
}
