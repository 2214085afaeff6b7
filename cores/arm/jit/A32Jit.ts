import type { ArmCpu } from '../ArmCpu.ts';
import type { DecodedPage } from '../DecodedPage.ts';
import { pageRecord, type PreparedRegion } from './CodeCache.ts';
import { JitPage } from './JitPage.ts';
import { buildRegion, DEFAULT_LIMITS, type RegionLimits } from './RegionBuilder.ts';
import { bindRegion, prepareRegion, type RegionFunction } from './RegionCompiler.ts';
import { ThumbJit, type JitSettings } from './ThumbJit.ts';
import { linkedPages, needsTierUp } from './CrossPageLinks.ts';

/**
 * Instructions the interpreter runs from a slot (where it started after a
 * taken branch) before the region there is compiled. High, because a new
 * region pays for itself only after hundreds of thousands of instructions:
 * V8 runs a new function unoptimized (slower than the interpreter) until it
 * has seen enough of it, then spends milliseconds optimizing it.
 */
export const DEFAULT_THRESHOLD = 150_000;
/** The same for a region this process compiled before from identical page contents (CodeCache). */
export const DEFAULT_KNOWN_THRESHOLD = 200;
/**
 * Entries into a first-tier region (blocks the interpreter had entered)
 * after which it is compiled again with the fall-through blocks it keeps
 * leaving for: its code has proved hot enough to pay for a bigger function.
 */
const TIER_UP_ENTRIES = 2048;

/** Pages compiled this many times (rewritten after compiling) wait twice as long each time after. */
const RECOMPILES_BEFORE_BACKOFF = 4;

/** Marks a slot whose compile failed: it stays interpreted. */
const NOT_COMPILED: RegionFunction = () => 0;

export interface A32JitOptions {
  /** Instructions interpreted from a slot before it is compiled (1: on its second entry; tests use that). */
  readonly threshold?: number;
  /** The same for a region compiled earlier from the same page contents. */
  readonly knownThreshold?: number;
  readonly limits?: RegionLimits;
  /** Entries into a first-tier region before its second tier (with blocks of linked pages) is compiled (default 2048). */
  readonly tierUpEntries?: number;
}

/** Counters for tests and the bench. */
export interface A32JitStats {
  regions: number;
  compiledInsns: number;
  /** T32 regions among `regions`. */
  thumbRegions: number;
  failures: number;
  /** Pages whose blocks second-tier regions took in (chaining across pages, CrossPageLinks). */
  links: number;
  /** The last compile error (a JIT bug: the slot is interpreted instead). */
  lastError: string;
}

/**
 * Runs A32 code for `ArmCpu` with a JIT: the interpreter's loop, plus
 * regions of hot code compiled to JavaScript functions (RegionCompiler).
 *
 * Same contract as a ThumbExecutor (see ArmCpu.ts): it runs while the core
 * is in A32 state, at most `budget` instructions, keeps
 * `cpu.instructionCount` exact whenever anything can observe it, and
 * returns the number retired as soon as `cpu.exitInner` is set. A compiled
 * block starts only when it fits in the budget left; otherwise the
 * interpreter runs the rest of the slice one instruction at a time, so
 * slices end on exactly the same instruction with the JIT on or off.
 *
 * Compiled code belongs to a physical page (`DecodedPage.jit`) and is
 * position-independent within it (it takes the page's virtual address), so
 * translation changes need no invalidation: every entry looks the page up
 * through the fetch path again. Writing the page drops its code.
 */
export class A32Jit implements JitSettings {
  readonly stats: A32JitStats = { regions: 0, thumbRegions: 0, compiledInsns: 0, failures: 0, links: 0, lastError: '' };
  threshold: number;
  knownThreshold: number;
  readonly limits: RegionLimits;
  readonly tierUpEntries: number;
  /** Regions compiled per physical page address (for the back-off of rewritten pages). */
  private readonly compiledPerPage = new Map<number, number>();
  /** The same JIT for T32 code (ThumbJit), sharing thresholds, pages and counters. */
  private readonly thumb: ThumbJit;

  constructor(
    private readonly cpu: ArmCpu,
    options: A32JitOptions = {},
  ) {
    this.threshold = DEFAULT_THRESHOLD;
    this.knownThreshold = DEFAULT_KNOWN_THRESHOLD;
    this.setThresholds(options.threshold ?? DEFAULT_THRESHOLD, options.knownThreshold);
    this.limits = options.limits ?? DEFAULT_LIMITS;
    this.tierUpEntries = Math.max(1, options.tierUpEntries ?? TIER_UP_ENTRIES);
    this.thumb = new ThumbJit(cpu, this);
  }

  /** Run T32 code (the core is in Thumb state): ThumbExecutor's contract, see ThumbJit. */
  runThumb(budget: number): number {
    return this.thumb.run(budget);
  }

  countCompile(page: DecodedPage<unknown>): void {
    this.compiledPerPage.set(page.address, (this.compiledPerPage.get(page.address) ?? 0) + 1);
  }

  /** Change the compile thresholds (tests compile everything early); pages already seen keep theirs. */
  setThresholds(threshold: number, knownThreshold = DEFAULT_KNOWN_THRESHOLD): void {
    this.threshold = Math.max(1, Math.min(threshold, 0x7fffffff));
    this.knownThreshold = Math.max(1, Math.min(knownThreshold, this.threshold));
  }

  run(budget: number): number {
    const cpu = this.cpu;
    const r = cpu.r;
    const start = cpu.instructionCount;
    let count = 0;
    while (count < budget) {
      let pc = cpu.nextPc;
      const page = cpu.fetchPageFor(pc);
      if (page === null) {
        // Prefetch Abort taken (exitInner is set): it counts as a step, as in the interpreter.
        cpu.instructionCount = start + ++count;
        return count;
      }
      cpu.execPage = page;
      let code = page.jit as JitPage | null;
      if (code === null) code = this.pageCode(page);
      const slot = (pc >>> 2) & 1023;
      const entry = code.entries[slot];
      if (entry !== undefined) {
        if (code.lengths[slot] <= budget - count) {
          if (++code.hits[slot] === this.tierUpEntries) this.tierUp(page, code, slot, pc & ~0xfff);
          const retired = entry(pc & ~0xfff, budget - count, slot);
          if (retired !== 0) {
            count += retired;
            cpu.instructionCount = start + count;
            // A branch to Thumb state leaves bit 0 set for BXWritePC (A2.3.1), which also sets exitInner.
            if ((cpu.nextPc & 1) !== 0) cpu.branchExchange(cpu.nextPc);
            if (cpu.exitInner) return count;
            continue;
          }
          // Nothing retired: the first instruction's fast path failed (or the compile did); interpret it.
        }
      } else if (code.hits[slot] >= code.threshold && this.compile(page, code, slot)) continue;

      // Interpret from here to the next taken branch, the end of the page, or an exit (as ArmCpu.runFast).
      const words = page.words;
      const handlers = page.handlers;
      const pageVa = pc & ~0xfff;
      const first = count;
      let expected: number;
      do {
        const s = (pc >>> 2) & 1023;
        const insn = words[s];
        r[15] = pc + 8;
        expected = (pc + 4) | 0;
        cpu.nextPc = expected;
        const cond = insn >>> 28;
        if (cond >= 14 || cpu.conditionPassed(cond)) handlers[s](cpu, insn);
        pc = cpu.nextPc;
        cpu.instructionCount = start + ++count;
      } while (count < budget && !cpu.exitInner && pc === expected && (pc & ~0xfff) === pageVa);
      if (entry === undefined) code.hits[slot] += count - first;
      if (cpu.exitInner) return count;
    }
    return count;
  }

  /**
   * The page's JIT table, created on first use with the page's threshold.
   * Slots where the process compiled a region before from the same words
   * start with their count near the threshold (CodeCache).
   */
  pageCode(page: DecodedPage<unknown>): JitPage {
    const compiled = this.compiledPerPage.get(page.address) ?? 0;
    const backoff = compiled < RECOMPILES_BEFORE_BACKOFF ? 0 : Math.min(compiled - RECOMPILES_BEFORE_BACKOFF + 1, 10);
    const code = new JitPage(Math.min(this.threshold * 2 ** backoff, 0x7fffffff));
    const record = pageRecord(page.words, false);
    if (record !== undefined) {
      code.record = record;
      const head = Math.max(0, code.threshold - this.knownThreshold);
      for (const slot of record.regions.keys()) code.hits[slot] = head;
    }
    page.jit = code;
    return code;
  }

  /**
   * Compile the region entered at `slot` (the shape the code cache knows for
   * these page contents, else the first tier); false when it could not be
   * (the slot stays interpreted).
   */
  private compile(page: DecodedPage<unknown>, code: JitPage, slot: number): boolean {
    this.countCompile(page);
    try {
      code.record ??= pageRecord(page.words, true)!;
      let prepared = code.record.regions.get(slot);
      if (prepared === undefined) {
        const hits = code.hits;
        prepared = prepareRegion(buildRegion(page.words, slot, this.limits, (s) => hits[s] !== 0, false), 1);
        code.record.regions.set(slot, prepared);
      }
      this.install(page, code, slot, prepared);
      return true;
    } catch (e) {
      this.stats.failures++;
      this.stats.lastError = `region at slot ${slot} of page 0x${page.address.toString(16)}: ${(e as Error).message}`;
      code.entries[slot] = NOT_COMPILED;
      code.owner[slot] = -1;
      return false;
    }
  }

  /** A first-tier region entered TIER_UP_ENTRIES times at `slot`: compile its second tier. */
  private tierUp(page: DecodedPage<unknown>, code: JitPage, slot: number, base: number): void {
    const entry = code.owner[slot];
    const record = code.record;
    if (entry < 0 || record === undefined || !needsTierUp(record.regions.get(entry), this.cpu)) return;
    try {
      const { hits, owner, entries } = code;
      // Blocks entered since, and every block of the first tier (reached inside it, they count no entries).
      const include = (s: number) => hits[s] !== 0 || (owner[s] === entry && entries[s] !== undefined);
      const region = buildRegion(page.words, entry, this.limits, include, true);
      const linked = linkedPages(this.cpu, region, base, false, (words, s, inc) => buildRegion(words, s, this.limits, inc, false));
      this.stats.links += linked.length;
      const prepared = prepareRegion({ ...region, linked }, 2);
      record.regions.set(entry, prepared);
      this.install(page, code, entry, prepared);
    } catch (e) {
      // The first tier stays.
      this.stats.failures++;
      this.stats.lastError = `second tier at slot ${entry} of page 0x${page.address.toString(16)}: ${(e as Error).message}`;
    }
  }

  /**
   * Enter a region's blocks in the page's table. Blocks another region owns
   * keep their entry, except the region's own entry; from now on the counts
   * of its blocks count entries into the region (for the second tier).
   */
  private install(page: DecodedPage<unknown>, code: JitPage, slot: number, prepared: PreparedRegion): void {
    const fn = bindRegion(this.cpu, prepared, page, page.jit);
    for (const block of prepared.blocks) {
      const start = block.start;
      if (code.entries[start] !== undefined && start !== slot && code.owner[start] !== slot) continue;
      code.entries[start] = fn;
      code.lengths[start] = block.length;
      code.owner[start] = slot;
      code.hits[start] = 0;
      this.stats.compiledInsns += block.length;
    }
    this.stats.regions++;
  }
}
