import type { PageRecord } from './CodeCache.ts';
import type { RegionFunction } from './RegionCompiler.ts';

/**
 * The JIT's state for one decoded page (`DecodedPage.jit`): how many
 * instructions the interpreter ran from each slot where it started (then,
 * once compiled, how often its region was entered there), and the compiled
 * region functions by the slots where they may be entered with the length
 * of the block there.
 * It lives and dies with the decoded page: a write to the page (or a map
 * change) drops it with the decoded handlers, so stale code is never run.
 */
export class JitPage {
  readonly hits = new Uint32Array(1024);
  readonly entries: (RegionFunction | undefined)[] = new Array<RegionFunction | undefined>(1024).fill(undefined);
  /** Instructions in the block starting at each entry (the budget it needs to start). */
  readonly lengths = new Uint16Array(1024);
  /** Entry slot of the region each compiled slot belongs to. */
  readonly owner = new Int16Array(1024);
  /** What the process compiled before from the same page contents, when known. */
  record: PageRecord | undefined;

  constructor(
    /** Instructions interpreted from a slot before it is compiled (raised for pages rewritten often). */
    readonly threshold: number,
  ) {}
}
