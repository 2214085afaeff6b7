import type { PageRecord } from './CodeCache.ts';
import type { RegionFunction } from './RegionCompiler.ts';

/**
 * The JIT's state for one decoded page (`DecodedPage.jit`): how many
 * instructions the interpreter ran from each slot where it started (then,
 * once compiled, how often its region was entered there), and the compiled
 * region functions by the slots where they may be entered with the length
 * of the block there. Slots are words for A32 code; T32 code of the same
 * page has a table of its own by halfword (`thumb`).
 * It lives and dies with the decoded page: a write to the page (or a map
 * change) drops it with the decoded handlers, so stale code is never run.
 */
export class JitPage {
  readonly hits: Uint32Array;
  readonly entries: (RegionFunction | undefined)[];
  /** Instructions in the block starting at each entry (the budget it needs to start). */
  readonly lengths: Uint16Array;
  /** Entry slot of the region each compiled slot belongs to. */
  readonly owner: Int16Array;
  /** What the process compiled before from the same page contents, when known. */
  record: PageRecord | undefined;
  /** The T32 table of the same page (2048 halfword slots), created when T32 code runs from it. */
  thumb: JitPage | null = null;

  constructor(
    /** Instructions interpreted from a slot before it is compiled (raised for pages rewritten often). */
    readonly threshold: number,
    slots = 1024,
  ) {
    this.hits = new Uint32Array(slots);
    this.entries = new Array<RegionFunction | undefined>(slots).fill(undefined);
    this.lengths = new Uint16Array(slots);
    this.owner = new Int16Array(slots);
  }
}
