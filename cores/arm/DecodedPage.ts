import type { MemoryRegion, Region } from '../../src/machine/PhysicalBus.ts';

/**
 * Instructions of one 4 KiB physical page, decoded lazily: `words` is the
 * page's contents (copied when the page is first used or invalidated) and
 * `handlers[i]` the handler of word i, initially a stub that decodes word i,
 * stores its handler and runs it. Writing to the page resets it (the bus
 * calls back through `codePages`), so self-modifying code and loaders work.
 */
export class DecodedPage<H> {
  readonly words = new Int32Array(1024);
  readonly handlers: H[];
  /** True while `words` reflects memory and the page is flagged in the region's codePages. */
  valid = false;
  /**
   * Per-halfword T32 handlers (2048 slots), created and filled by the Thumb
   * support when it executes from this page; dropped with the rest when the
   * page is written, so T32 code shares the same invalidation.
   */
  thumbHandlers: unknown[] | null = null;
  /** The JIT's compiled code and counters for this page (cores/arm/jit/JitPage.ts), dropped with the rest. */
  jit: unknown = null;

  /** Backing RAM/ROM, or null when the page is device memory (flash in MMIO mode). */
  readonly region: MemoryRegion | null;

  constructor(
    /** Physical address of the page (4 KiB aligned; may exceed 2**32). */
    readonly address: number,
    /** The bus region the words come from (null only for the placeholder page). */
    readonly source: Region | null,
    private readonly stub: H,
  ) {
    this.region = source !== null && source.kind !== 'mmio' ? source : null;
    this.handlers = new Array<H>(1024).fill(stub);
  }

  /** Forget decoded handlers; the next use re-reads the words. */
  invalidate(): void {
    if (!this.valid) return;
    this.valid = false;
    this.handlers.fill(this.stub);
    this.thumbHandlers = null;
    this.jit = null;
  }
}
