import type { A32Handler } from '../ArmCpu.ts';
import type { RegionFunction } from './RegionCompiler.ts';

/**
 * What the JIT has compiled in this process, by page contents. A page whose
 * words were compiled before (the same firmware on another core, after a
 * reset, in the next board of a test run) finds its regions here: they are
 * compiled again after a few entries instead of thousands, with the same
 * blocks, hence the same JavaScript source and the same V8 factory, whose
 * closures share V8's feedback and optimized code. Pages are matched by a
 * hash and then word for word, so a collision never runs the wrong code.
 */

/** Makes a region's function for one core (see RegionCompiler.compileRegion). */
export type RegionFactory = (...args: unknown[]) => RegionFunction;

/** A compiled region, ready to be bound to a core. */
export interface PreparedRegion {
  readonly factory: RegionFactory;
  readonly handlers: readonly A32Handler[];
  /** Start slot and length of each block: where the region may be entered. */
  readonly blocks: readonly { readonly start: number; readonly length: number }[];
  /** 1: the blocks the interpreter had entered; 2: also their fall-through successors (see A32Jit). */
  readonly tier: 1 | 2;
  /** Pages whose blocks the region holds (bound with it; see RegionBuilder's LinkedPage). */
  readonly linked: readonly { readonly page: unknown; readonly code: unknown; readonly owner: unknown }[];
}

/** Regions compiled from one page's contents, by entry slot. */
export class PageRecord {
  readonly regions = new Map<number, PreparedRegion>();
  /** T32 regions of the same contents, by halfword slot. */
  readonly thumbRegions = new Map<number, PreparedRegion>();
  constructor(readonly words: Int32Array) {}
}

const MAX_PAGES = 4096;
const pages = new Map<number, PageRecord[]>();
let pageCount = 0;

function hashWords(words: Int32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193) ^ (h >>> 15);
  return h | 0;
}

function sameWords(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The record for pages holding exactly `words`, created (with a copy of them) when `create`. */
export function pageRecord(words: Int32Array, create: boolean): PageRecord | undefined {
  const h = hashWords(words);
  let bucket = pages.get(h);
  if (bucket !== undefined) for (const p of bucket) if (sameWords(p.words, words)) return p;
  if (!create) return undefined;
  if (pageCount >= MAX_PAGES) {
    pages.clear();
    pageCount = 0;
  }
  const record = new PageRecord(words.slice());
  if (bucket === undefined) {
    bucket = [];
    pages.set(h, bucket);
  }
  bucket.push(record);
  pageCount++;
  return record;
}
