import type { ArmCpu } from '../ArmCpu.ts';
import type { DecodedPage } from '../DecodedPage.ts';
import { decodeThumb16, decodeThumb32 } from '../thumb/ThumbDecoder.ts';
import { thumbExecutor } from '../thumb/ThumbExecutor.ts';
import { itAdvance, itWrite, type ThumbHandler } from '../thumb/ThumbPseudocode.ts';
import { pageRecord, type PreparedRegion } from './CodeCache.ts';
import { JitPage } from './JitPage.ts';
import type { RegionLimits } from './RegionBuilder.ts';
import { bindRegion, prepareRegion, type RegionFunction } from './RegionCompiler.ts';
import { buildThumbRegion } from './ThumbRegionBuilder.ts';
import { linkedPages, needsTierUp } from './CrossPageLinks.ts';

/** What the T32 side shares with the A32 JIT of the same core (A32Jit). */
export interface JitSettings {
  readonly threshold: number;
  readonly knownThreshold: number;
  readonly limits: RegionLimits;
  readonly tierUpEntries: number;
  readonly stats: { regions: number; thumbRegions: number; compiledInsns: number; failures: number; links: number; lastError: string };
  /** The page's A32 table (created with the page's threshold and code-cache record). */
  pageCode(page: DecodedPage<unknown>): JitPage;
  /** Count a compile for the back-off of pages rewritten often. */
  countCompile(page: DecodedPage<unknown>): void;
}

const NOT_COMPILED: RegionFunction = () => 0;

/** Decode-on-first-use of a halfword slot (the same contract as the T32 executor's stubs). */
function decodeSlot(cpu: ArmCpu, insn: number): void {
  const handler = insn < 0 ? decodeThumb32(insn) : decodeThumb16(insn);
  (cpu.execPage.thumbHandlers as ThumbHandler[])[((cpu.r[15] - 4) >>> 1) & 2047] = handler;
  handler(cpu, insn);
}

/**
 * Runs T32 code with the JIT: the T32 executor's loop (cores/arm/thumb,
 * same IT rules, same decoded halfword slots) plus regions compiled by the
 * same RegionCompiler from T32 blocks (ThumbRegionBuilder). Same contract
 * as a ThumbExecutor: at most `budget` instructions, the instruction count
 * exact whenever something can observe it, return as soon as `exitInner`
 * is set. A region is entered only outside IT blocks (ITSTATE = 0), and
 * only when its first block fits in the budget left, so slices end on the
 * same instruction with the JIT on or off.
 */
export class ThumbJit {
  constructor(
    private readonly cpu: ArmCpu,
    private readonly settings: JitSettings,
  ) {}

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
      let code = (page.jit as JitPage | null)?.thumb ?? null;
      if (code === null) code = this.pageCode(page);
      const slot = (pc >>> 1) & 2047;
      const entry = code.entries[slot];
      if (cpu.it === 0) {
        if (entry !== undefined) {
          if (code.lengths[slot] <= budget - count) {
            if (++code.hits[slot] === this.settings.tierUpEntries) this.tierUp(page, code, slot, pc & ~0xfff);
            const retired = entry(pc & ~0xfff, budget - count, slot);
            if (retired !== 0) {
              count += retired;
              cpu.instructionCount = start + count;
              if (cpu.exitInner) return count;
              continue;
            }
          }
        } else if (code.hits[slot] >= code.threshold && this.compile(page, code, slot)) continue;
      }

      // Interpret from here to the next taken branch, the end of the page, or an exit (as the T32 executor).
      let handlers = page.thumbHandlers as ThumbHandler[] | null;
      if (handlers === null) {
        handlers = new Array<ThumbHandler>(2048).fill(decodeSlot);
        page.thumbHandlers = handlers;
      }
      const words = page.words;
      const pageVa = pc & ~0xfff;
      const first = count;
      let expected: number;
      do {
        const w = words[(pc >>> 2) & 1023];
        const hw = (pc & 2) === 0 ? w & 0xffff : w >>> 16;
        let insn: number;
        if (hw < 0xe800) {
          insn = hw;
          expected = (pc + 2) | 0;
        } else if ((pc & 0xffe) !== 0xffe) {
          insn = (hw << 16) | ((pc & 2) === 0 ? w >>> 16 : words[((pc >>> 2) + 1) & 1023] & 0xffff);
          expected = (pc + 4) | 0;
        } else {
          // The second halfword is on the next page: the executor's own path (faults, decoding apart).
          cpu.instructionCount = start + count;
          thumbExecutor.run(cpu, 1);
          cpu.instructionCount = start + ++count;
          break;
        }
        cpu.nextPc = expected;
        r[15] = (pc + 4) | 0;
        const it = cpu.it;
        if (it === 0) handlers[(pc >>> 1) & 2047](cpu, insn);
        else {
          if (cpu.conditionPassed(it >>> 4) || insn >>> 8 === 0xbe) handlers[(pc >>> 1) & 2047](cpu, insn);
          if (itWrite.byHandler) itWrite.byHandler = false;
          else if (cpu.it === it) cpu.it = itAdvance(it);
        }
        cpu.instructionCount = start + ++count;
        pc = cpu.nextPc;
      } while (count < budget && !cpu.exitInner && pc === expected && (pc & ~0xfff) === pageVa);
      if (entry === undefined) code.hits[slot] += count - first;
      if (cpu.exitInner) return count;
    }
    return count;
  }

  /** The page's T32 table, created on first use; slots compiled before from the same words start near the threshold. */
  private pageCode(page: DecodedPage<unknown>): JitPage {
    const outer = (page.jit as JitPage | null) ?? this.settings.pageCode(page);
    const code = new JitPage(outer.threshold, 2048);
    const record = outer.record ?? pageRecord(page.words, false);
    if (record !== undefined) {
      code.record = record;
      const head = Math.max(0, code.threshold - this.settings.knownThreshold);
      for (const slot of record.thumbRegions.keys()) code.hits[slot] = head;
    }
    outer.thumb = code;
    return code;
  }

  private compile(page: DecodedPage<unknown>, code: JitPage, slot: number): boolean {
    this.settings.countCompile(page);
    if (slot === 2047 && (page.words[1023] >>> 16) >= 0xe800) {
      // A 32-bit instruction across the page end: always the interpreter's.
      code.entries[slot] = NOT_COMPILED;
      code.owner[slot] = -1;
      return false;
    }
    try {
      code.record ??= pageRecord(page.words, true)!;
      let prepared = code.record.thumbRegions.get(slot);
      if (prepared === undefined) {
        const hits = code.hits;
        prepared = this.prepare(page, slot, (s) => hits[s] !== 0, false, 1, -1);
        code.record.thumbRegions.set(slot, prepared);
      }
      this.install(page, code, slot, prepared);
      return true;
    } catch (e) {
      this.settings.stats.failures++;
      this.settings.stats.lastError = `T32 region at halfword ${slot} of page 0x${page.address.toString(16)}: ${(e as Error).message}`;
      code.entries[slot] = NOT_COMPILED;
      code.owner[slot] = -1;
      return false;
    }
  }

  /** Build and compile a region; a second tier (`base` ≥ 0: the page's virtual address) takes in blocks of linked pages. */
  private prepare(page: DecodedPage<unknown>, slot: number, include: (s: number) => boolean, fallThroughs: boolean, tier: 1 | 2, base: number): PreparedRegion {
    const limits = this.settings.limits;
    const region = buildThumbRegion(page.words, slot, limits, include, fallThroughs);
    if (!region.blocks.some((b) => b.start === slot)) throw new Error('no block at the entry');
    if (tier === 1) return prepareRegion(region, tier, true);
    const linked = linkedPages(this.cpu, region, base, true, (words, s, inc) => buildThumbRegion(words, s, limits, inc, false));
    this.settings.stats.links += linked.length;
    return prepareRegion({ ...region, linked }, tier, true);
  }

  private tierUp(page: DecodedPage<unknown>, code: JitPage, slot: number, base: number): void {
    const entry = code.owner[slot];
    const record = code.record;
    if (entry < 0 || record === undefined || !needsTierUp(record.thumbRegions.get(entry), this.cpu)) return;
    try {
      const { hits, owner, entries } = code;
      const include = (s: number) => hits[s] !== 0 || (owner[s] === entry && entries[s] !== undefined);
      const prepared = this.prepare(page, entry, include, true, 2, base);
      record.thumbRegions.set(entry, prepared);
      this.install(page, code, entry, prepared);
    } catch (e) {
      this.settings.stats.failures++;
      this.settings.stats.lastError = `T32 second tier at halfword ${entry} of page 0x${page.address.toString(16)}: ${(e as Error).message}`;
    }
  }

  private install(page: DecodedPage<unknown>, code: JitPage, slot: number, prepared: PreparedRegion): void {
    const fn = bindRegion(this.cpu, prepared, page, page.jit);
    for (const block of prepared.blocks) {
      const start = block.start;
      if (code.entries[start] !== undefined && start !== slot && code.owner[start] !== slot) continue;
      code.entries[start] = fn;
      code.lengths[start] = block.length;
      code.owner[start] = slot;
      code.hits[start] = 0;
      this.settings.stats.compiledInsns += block.length;
    }
    this.settings.stats.regions++;
    this.settings.stats.thumbRegions++;
  }
}
