import { itAdvance } from '../thumb/ThumbPseudocode.ts';
import { BlockEnd, Control, DEFAULT_LIMITS, type JitBlock, type Region, type RegionLimits } from './RegionBuilder.ts';
import { decodeThumbInsn, type ThumbInsn } from './ThumbInsnDecoder.ts';

/**
 * The T32 counterpart of `buildRegion`: the basic blocks of one page
 * reachable from an entry halfword through direct branches and
 * fall-throughs, slots being halfwords (2048 per page).
 *
 * IT blocks (A2.5.2) are followed statically: every block starts outside
 * an IT block (the run loop enters compiled code only with ITSTATE = 0, and
 * branches leave ITSTATE 0), so ITSTATE is known before each instruction
 * of a block; an IT instruction gives it to the instructions after it, which
 * are then compiled as conditional instructions, and ITAdvance is applied
 * after each. A block may end inside an IT block only by leaving the
 * region (its exit stores ITSTATE); it never continues into another block
 * there, and a length limit never cuts an IT block.
 */

/** Instructions past the block length limit an IT block may add (it holds at most four). */
const IT_SLACK = 4;

export function buildThumbRegion(
  words: Int32Array,
  entry: number,
  limits: RegionLimits = DEFAULT_LIMITS,
  include: (slot: number) => boolean = () => true,
  fallThroughs = true,
): Region {
  const decoded = new Map<number, ThumbInsn | null>();
  const insnAt = (slot: number, it: number): ThumbInsn | null => {
    const key = slot * 256 + it;
    let insn = decoded.get(key);
    if (insn === undefined) {
      insn = decodeThumbInsn(words, slot, it);
      decoded.set(key, insn);
    }
    return insn;
  };
  const itAfter = (insn: ThumbInsn) => (insn.itStart !== 0 ? insn.itStart : insn.it !== 0 ? itAdvance(insn.it) : 0);

  // Phase 1: leaders, breadth first from the entry, within the limits.
  const leaders = new Set<number>([entry]);
  const order: number[] = [entry];
  let scanned = 0;
  const addLeader = (slot: number, fallThrough = false) => {
    if (slot < 0 || slot >= 2048 || leaders.has(slot)) return;
    leaders.add(slot);
    if (order.length < limits.maxBlocks && ((fallThrough && fallThroughs) || include(slot))) order.push(slot);
  };
  const addTarget = (offset: number) => {
    if (offset >= 0 && offset < 4096) addLeader(offset >>> 1);
  };
  for (let q = 0; q < order.length && scanned < limits.maxInsns; q++) {
    let slot = order[q];
    let it = 0;
    for (let len = 0; slot < 2048 && (len < limits.maxBlock || (it !== 0 && len < limits.maxBlock + IT_SLACK)); len++) {
      if (len > 0 && leaders.has(slot)) break;
      const insn = insnAt(slot, it);
      if (insn === null) break;
      scanned++;
      const conditional = insn.cond < 14 || insn.test !== undefined;
      const next = slot + insn.size / 2;
      const after = itAfter(insn);
      if (insn.control === Control.Branch) {
        addTarget(insn.target);
        if (conditional || insn.link === true) addLeader(next, true);
        break;
      }
      if (insn.control === Control.Indirect) {
        if (conditional || insn.link === true) addLeader(next, true);
        break;
      }
      if (insn.control === Control.Stop) {
        if (after === 0) addLeader(next, true);
        break;
      }
      slot = next;
      it = after;
    }
  }

  // Phase 2: one block per leader, cut at the next leader.
  const blocks: JitBlock[] = [];
  for (const start of order) {
    const insns: ThumbInsn[] = [];
    let end = BlockEnd.Fall;
    let target = 0;
    let slot = start;
    let it = 0;
    while (slot < 2048 && (insns.length < limits.maxBlock || (it !== 0 && insns.length < limits.maxBlock + IT_SLACK))) {
      if (insns.length > 0 && leaders.has(slot)) break;
      const insn = insnAt(slot, it);
      if (insn === null) break;
      insns.push(insn);
      slot += insn.size / 2;
      it = itAfter(insn);
      if (insn.control === Control.Branch) {
        end = BlockEnd.Branch;
        target = insn.target;
        break;
      }
      if (insn.control === Control.Indirect) {
        end = BlockEnd.Indirect;
        break;
      }
      if (insn.control === Control.Stop) break;
    }
    // A 32-bit instruction across the page end as a leader: nothing to compile.
    if (insns.length === 0) continue;
    blocks.push({ start, insns, end, next: slot, target, itOut: end === BlockEnd.Fall ? it : 0 });
  }
  return { entry, blocks };
}
