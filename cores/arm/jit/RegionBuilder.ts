import type { A32Handler } from '../ArmCpu.ts';
import { a32Table, decodeA32 } from '../a32/A32Decoder.ts';

/**
 * Finds the code a region function will hold: the basic blocks of one 4 KiB
 * page reachable from an entry slot through direct branches and
 * fall-throughs that stay in the page. Instructions are classified by the
 * encoding the interpreter's own decode table picks (so the JIT and the
 * interpreter never disagree on what a word is), then by whether they end a
 * block: branches, writes to the PC, and instructions that change the mode,
 * the MMU state or raise an exception.
 */

/** One instruction of a block. */
export interface JitInsn {
  /** Index in the page: of the word (A32, address = base + 4 × slot) or of the halfword (T32, base + 2 × slot). */
  readonly slot: number;
  /** Byte offset of the instruction from the page base. */
  readonly offset: number;
  /** 4, or 2 for a 16-bit T32 instruction. */
  readonly size: number;
  /**
   * The A32 word the emitters inline: the instruction itself in A32; for a
   * T32 instruction the A32 word with the same operation (fields moved, see
   * ThumbInsnDecoder), or 0 when there is none.
   */
  readonly word: number;
  /** Encoding name in the A32 table of `word`, '' when there is none (UNDEFINED, or T32 without an A32 form). */
  readonly name: string;
  /** The interpreter's handler (used when the instruction is not inlined), called with `raw`. */
  readonly handler: A32Handler;
  /** What the interpreter passes its handler: the A32 word, or the T32 halfword / hw1:hw2. */
  readonly raw: number;
  /** Condition the instruction executes under (A32 bits 31:28; T32 ITSTATE[7:4] in an IT block; 14 = always). */
  readonly cond: number;
  /** T32: ITSTATE while the instruction executes (0 outside IT blocks); always 0 in A32. */
  readonly it: number;
  /** T32 only: the second operand as an expanded immediate (ThumbExpandImm, plain imm12), replacing bits 11:0. */
  readonly imm?: number;
  /** T32 only: the immediate came from a rotation (ThumbExpandImm_C carry = bit 31), else the carry is unchanged. */
  readonly immRotated?: boolean;
  /** T32 only: R15 reads as Align(PC, 4) (literal loads, ADR). */
  readonly pcAligned?: boolean;
  /** T32 CBZ/CBNZ: branch when register `reg` is zero (`zero`) or non-zero. */
  readonly test?: { readonly reg: number; readonly zero: boolean };
  /** T32 LDRD/STRD: the second register (A32 uses Rt + 1). */
  readonly rt2?: number;
  /** T32: links (BL, BLX register). */
  readonly link?: boolean;
}

/** How a block ends. */
export const enum BlockEnd {
  /** Falls through to `next` (a leader, the length limit, an instruction that ends blocks, or the page end). */
  Fall = 0,
  /** B or BL: to `target` (byte offset from the page base, may lie outside the page) when taken, else `next`. */
  Branch = 1,
  /** A PC write whose target is only known at run time (BX, BLX, LDR PC, LDM with PC); `next` when its condition fails. */
  Indirect = 2,
}

export interface JitBlock {
  readonly start: number;
  readonly insns: readonly JitInsn[];
  readonly end: BlockEnd;
  /** Slot after the last instruction (1024 = the next page). */
  readonly next: number;
  /** Branch target as a byte offset from the page base (Branch only). */
  readonly target: number;
  /** T32: ITSTATE after the last instruction when the block falls through (the next block is then left to the interpreter unless 0). */
  readonly itOut?: number;
}

export interface Region {
  readonly entry: number;
  /** Blocks by start slot; the entry's block first. */
  readonly blocks: readonly JitBlock[];
  /** Blocks of other pages the region's blocks branch or fall into (chained, see CrossPageLinks). */
  readonly linked?: readonly LinkedPage[];
}

/** Blocks of another page placed in a region, and what must still hold for the region to enter them. */
export interface LinkedPage {
  /** Virtual address of the page minus that of the region's page (a multiple of 4096, not 0). */
  readonly delta: number;
  /** The decoded page (DecodedPage) the fetch path must give for that virtual page. */
  readonly page: unknown;
  /** Its `jit` when the blocks were built: a write to the page replaces it, so the link is cut. */
  readonly code: unknown;
  /** The core whose decoded page it is (the code cache shares regions between cores and boards). */
  readonly owner: unknown;
  readonly blocks: readonly JitBlock[];
}

/** What an instruction does to the block around it. */
export const enum Control {
  None = 0,
  /** Direct branch (B, BL): ends the block, target known. */
  Branch = 1,
  /** PC write the JIT inlines (BX, BLX register, LDR PC, LDM with PC). */
  Indirect = 2,
  /** Runs through the interpreter's handler and ends the block (exceptions, mode/MMU changes, other PC writes). */
  Stop = 3,
}

/** Encodings that end a block whatever their operands: exceptions, mode, state or MMU changes, waits. */
const STOPPERS = new Set([
  '', 'SVC', 'BKPT', 'HVC', 'SMC', 'ERET', 'UDF', 'BLX (immediate)',
  'MSR (register)', 'MSR (immediate)', 'MSR (banked register)', 'CPS', 'SETEND', 'SRS', 'RFE',
  'MCR (CP15)', 'MCRR (CP15)', 'MCR (CP14)', 'WFI', 'WFE', 'LDM (exception return)', 'ISB',
]);

/** Data-processing forms that write Rd (not TST/TEQ/CMP/CMN). */
const DP_WRITERS = /^(AND|EOR|SUB|RSB|ADD|ADC|SBC|RSC|ORR|BIC|MVN|MOV|LSL|LSR|ASR|ROR|RRX|MOVW|MOVT)\b/;
/** Single loads (every form writes Rt = bits 15:12). */
const LOADS = /^LDR/;

export function controlOf(name: string, word: number): Control {
  if (name === 'B' || name === 'BL (immediate)') return Control.Branch;
  if (name === 'BX' || name === 'BXJ' || name === 'BLX (register)') return Control.Indirect;
  if (STOPPERS.has(name)) return Control.Stop;
  const rd = (word >>> 12) & 15;
  if (name === 'LDM (LDMDA, LDMIA, LDMDB, LDMIB)') return (word & 0x8000) !== 0 ? Control.Indirect : Control.None;
  if (LOADS.test(name)) {
    if (name === 'LDRD (immediate)' || name === 'LDRD (register)') return rd >= 14 ? Control.Stop : Control.None;
    if (rd !== 15) return Control.None;
    return name === 'LDR (immediate)' || name === 'LDR (register)' ? Control.Indirect : Control.Stop;
  }
  if (DP_WRITERS.test(name) && rd === 15) return Control.Stop;
  return Control.None;
}

export function decodeInsn(words: Int32Array, slot: number): JitInsn {
  const word = words[slot] | 0;
  const e = a32Table.lookup(word >>> 0);
  return { slot, offset: slot * 4, size: 4, word, name: e === null ? '' : e.name, handler: decodeA32(word >>> 0), raw: word, cond: word >>> 28, it: 0 };
}

export interface RegionLimits {
  /** Most instructions in one block. */
  readonly maxBlock: number;
  /** Most instructions in the region. */
  readonly maxInsns: number;
  /** Most blocks in the region. */
  readonly maxBlocks: number;
}

export const DEFAULT_LIMITS: RegionLimits = { maxBlock: 64, maxInsns: 512, maxBlocks: 48 };

/** Byte offset from the page base a B/BL at `slot` branches to (PC reads as address + 8). */
function branchTarget(slot: number, word: number): number {
  return slot * 4 + 8 + ((word << 8) >> 6);
}

/**
 * Discover the region of the page reachable from `entry`: leaders are the
 * entry, in-page branch targets, and the instructions after conditional
 * branches, calls, conditional indirect branches and block-ending
 * instructions. Blocks run from a leader to the next terminator or leader.
 * Only leaders `include` accepts get a block (the JIT takes those the
 * interpreter has entered: code that never ran stays out, where it costs
 * nothing), and with `fallThroughs` the instructions after conditional
 * branches, calls and block-ending instructions too (the interpreter runs on
 * into them without counting an entry); the others still end the blocks
 * before them, and branches to them leave the region.
 */
export function buildRegion(
  words: Int32Array,
  entry: number,
  limits: RegionLimits = DEFAULT_LIMITS,
  include: (slot: number) => boolean = () => true,
  fallThroughs = true,
): Region {
  const decoded = new Map<number, JitInsn>();
  const insnAt = (slot: number): JitInsn => {
    let insn = decoded.get(slot);
    if (insn === undefined) {
      insn = decodeInsn(words, slot);
      decoded.set(slot, insn);
    }
    return insn;
  };

  // Phase 1: leaders, breadth first from the entry, within the limits.
  const leaders = new Set<number>([entry]);
  const order: number[] = [entry];
  let scanned = 0;
  const addLeader = (slot: number, fallThrough = false) => {
    if (slot < 0 || slot >= 1024 || leaders.has(slot)) return;
    leaders.add(slot);
    if (order.length < limits.maxBlocks && ((fallThrough && fallThroughs) || include(slot))) order.push(slot);
  };
  for (let q = 0; q < order.length && scanned < limits.maxInsns; q++) {
    let slot = order[q];
    for (let len = 0; slot < 1024 && len < limits.maxBlock; len++, slot++) {
      if (len > 0 && leaders.has(slot)) break;
      const insn = insnAt(slot);
      scanned++;
      const control = controlOf(insn.name, insn.word);
      const conditional = insn.word >>> 28 < 14;
      if (control === Control.Branch) {
        const t = branchTarget(slot, insn.word);
        if (t >= 0 && t < 4096) addLeader(t >>> 2);
        if (conditional || insn.name === 'BL (immediate)') addLeader(slot + 1, true);
        break;
      }
      if (control === Control.Indirect) {
        if (conditional || insn.name === 'BLX (register)') addLeader(slot + 1, true);
        break;
      }
      if (control === Control.Stop) {
        addLeader(slot + 1, true);
        break;
      }
    }
  }

  // Phase 2: one block per leader, cut at the next leader.
  const blocks: JitBlock[] = [];
  for (const start of order) {
    const insns: JitInsn[] = [];
    let end = BlockEnd.Fall;
    let target = 0;
    let slot = start;
    while (slot < 1024 && insns.length < limits.maxBlock) {
      if (insns.length > 0 && leaders.has(slot)) break;
      const insn = insnAt(slot);
      insns.push(insn);
      slot++;
      const control = controlOf(insn.name, insn.word);
      if (control === Control.Branch) {
        end = BlockEnd.Branch;
        target = branchTarget(insn.slot, insn.word);
        break;
      }
      if (control === Control.Indirect) {
        end = BlockEnd.Indirect;
        break;
      }
      if (control === Control.Stop) break;
    }
    blocks.push({ start, insns, end, next: slot, target });
  }
  return { entry, blocks };
}
