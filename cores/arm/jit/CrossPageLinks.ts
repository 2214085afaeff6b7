import type { ArmCpu } from '../ArmCpu.ts';
import { SOFT_TLB_MASK } from '../SoftTlbGeometry.ts';
import type { DecodedPage } from '../DecodedPage.ts';
import type { PreparedRegion } from './CodeCache.ts';
import type { JitPage } from './JitPage.ts';
import { BlockEnd, type JitBlock, type LinkedPage, type Region } from './RegionBuilder.ts';

/**
 * Chaining across pages. A region's blocks that branch or fall out of its
 * page go back to the run loop, which looks the next page up through the
 * fetch path, stores and reloads every register, and enters the next
 * region. For a hot region (its second tier) the blocks its exits lead to
 * in other pages are compiled into the region itself, when those pages
 * have run already: the exit then becomes a check and a jump, registers
 * stay in locals.
 *
 * The check (RegionCompiler's BlockWriter.toOffset) is the fetch path's own
 * hit test: the core's fetch soft TLB must map the virtual page to the same
 * decoded page now, and that page's `jit` must be the one the blocks were
 * built from. TLB maintenance, ASID, TTBR and MMU changes flush the fetch
 * soft TLB or change its entry, and writing the page (from any core, a
 * loader, DMA) or a bus map change replaces its `jit`, so every such change
 * cuts the link; the region then leaves as before and the run loop finds
 * whatever is there now. Budget checks stay at every block start, so slices
 * end on the same instruction as without the JIT.
 */

/**
 * Whether the region installed at an entry should be compiled again as a
 * second tier: it is a first tier, or a second tier from the code cache
 * (CodeCache: same page contents seen before) whose linked pages are gone
 * (another core's, an earlier board's, or rewritten since): its links can
 * never be taken, so they are made again with the pages there now.
 */
export function needsTierUp(prepared: PreparedRegion | undefined, cpu: ArmCpu): boolean {
  if (prepared === undefined) return false;
  if (prepared.tier === 1) return true;
  return prepared.linked.some((l) => l.owner !== cpu || (l.page as DecodedPage<unknown>).jit !== l.code);
}

/** Most other pages one region links to, and most blocks taken from them. */
const MAX_PAGES = 2;
const MAX_BLOCKS = 24;

/**
 * Blocks of other pages that `region` (of the page at virtual address
 * `base`) leads to directly: branch targets off the page and the page end.
 * `build` makes a region of another page's words from an entry slot,
 * keeping the slots `include` accepts. Nothing here has a side effect: a
 * page not in the fetch soft TLB, or not run yet, is not linked.
 */
export function linkedPages(
  cpu: ArmCpu,
  region: Region,
  base: number,
  thumb: boolean,
  build: (words: Int32Array, slot: number, include: (slot: number) => boolean) => Region,
): LinkedPage[] {
  const unit = thumb ? 2 : 4;
  const targets = new Map<number, Set<number>>();
  const add = (offset: number) => {
    const delta = Math.floor(offset / 4096) * 4096;
    if (delta === 0) return;
    let slots = targets.get(delta);
    if (slots === undefined) targets.set(delta, (slots = new Set()));
    slots.add((offset - delta) / unit);
  };
  for (const b of region.blocks) {
    if (b.end === BlockEnd.Branch && (b.target < 0 || b.target >= 4096)) add(b.target);
    if (b.next * unit >= 4096) add(b.next * unit);
  }
  const out: LinkedPage[] = [];
  let taken = 0;
  const mask = SOFT_TLB_MASK;
  for (const [delta, slots] of targets) {
    if (out.length >= MAX_PAGES) break;
    const vpn = ((base + delta) | 0) >>> 12;
    const i = cpu.fetchBase + (vpn & mask);
    if (cpu.fetchTag[i] !== vpn) continue;
    const page = cpu.fetchPages[i] as DecodedPage<unknown>;
    const outer = page.jit as JitPage | null;
    if (!page.valid || outer === null) continue;
    const code = thumb ? outer.thumb : outer;
    if (code === null) continue;
    const include = (s: number) => code.hits[s] !== 0 || code.entries[s] !== undefined;
    const blocks: JitBlock[] = [];
    const starts = new Set<number>();
    for (const slot of [...slots].sort((a, b) => a - b)) {
      if (!include(slot) || starts.has(slot)) continue;
      for (const b of build(page.words, slot, include).blocks) {
        if (starts.has(b.start) || taken >= MAX_BLOCKS) continue;
        starts.add(b.start);
        blocks.push(b);
        taken++;
      }
    }
    if (blocks.length > 0) out.push({ delta, page, code: outer, owner: cpu, blocks });
  }
  return out;
}
