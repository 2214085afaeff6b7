import { Xorshift } from './JitRandomProgram.ts';

/**
 * Random T32 programs for the JIT's lockstep tests: 16- and 32-bit data
 * processing in every operand form (modified immediates, shifted
 * registers, shifts by register, ADDW/SUBW, MOVW/MOVT, ADR), loads and
 * stores of every size and addressing form (immediate, pre/post-indexed,
 * register, literal, SP-relative), LDM/STM/PUSH/POP, LDRD/STRD, extends,
 * bit fields, multiplies, flag transfers, IT blocks of one to four
 * instructions (with flag-setting instructions inside them, which then set
 * no flags, or compares, which do), forward branches of every encoding
 * (B, B<c>, B.W, B<c>.W, CBZ/CBNZ, a branch ending an IT block), calls and
 * a counted loop, and instructions that raise exceptions (SVC, UDF, a load
 * from an address with no memory, unaligned LDRD and LDM). Encodings follow
 * the ARM ARM's A6.2/A6.3 tables. Register roles keep accesses in the RAM
 * window:
 *   r0–r3, r11 results; r4 small offset; r5 writeback base for 16-bit
 *   forms (reset from r6); r6 and r8 window base; r7 loop counter; r9 small
 *   offset; r10 writeback base for 32-bit forms (reset from r8); r12 an
 *   address with no memory; r13 stack.
 */

/** A piece of the program: its halfwords, or a forward branch to be patched once the layout is known. */
interface Item {
  hws: number[];
  /** Forward branch over `skip` items, of this encoding. */
  branch?: { kind: 'b16' | 'bcond16' | 'bw' | 'bcondw' | 'cbz'; skip: number; cond: number; reg: number; nonzero: boolean };
  /** BL to the function at the end. */
  call?: boolean;
}

const LOW = [0, 1, 2, 3];
const RESULTS32 = [0, 1, 2, 3, 11];
const SOURCES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11];

const wide = (hw1: number, hw2: number): number[] => [hw1 & 0xffff, hw2 & 0xffff];

/** T32 data-processing ops (A6.3.1, hw1[8:5]) with a register destination; the test and move aliases are made from them below. */
const OPS32: readonly [number, string][] = [
  [0, 'AND'], [1, 'BIC'], [2, 'ORR'], [3, 'ORN'], [4, 'EOR'], [8, 'ADD'], [10, 'ADC'], [11, 'SBC'], [13, 'SUB'], [14, 'RSB'],
];

function dataProcessing32(r: Xorshift): number[] {
  const [op] = r.pick(OPS32);
  const s = r.below(2);
  const rd = r.pick(RESULTS32);
  let rn = r.pick(SOURCES);
  // Compares (Rd = 1111, S) for AND/EOR/ADD/SUB; moves (Rn = 1111) for ORR/ORN.
  if ((op === 0 || op === 4 || op === 8 || op === 13) && r.chance(0.3)) return dataProcessingTest32(r, op, rn);
  if ((op === 2 || op === 3) && r.chance(0.4)) rn = 15;
  if (r.chance(0.5)) {
    const imm12 = r.below(4096);
    return wide(0xf000 | ((imm12 >>> 11) << 10) | (op << 5) | (s << 4) | rn, (((imm12 >>> 8) & 7) << 12) | (rd << 8) | (imm12 & 0xff));
  }
  const imm5 = r.below(32);
  return wide(0xea00 | (op << 5) | (s << 4) | rn, ((imm5 >>> 2) << 12) | (rd << 8) | ((imm5 & 3) << 6) | (r.below(4) << 4) | r.pick(SOURCES));
}

function dataProcessingTest32(r: Xorshift, op: number, rn: number): number[] {
  if (r.chance(0.5)) {
    const imm12 = r.below(4096);
    return wide(0xf010 | ((imm12 >>> 11) << 10) | (op << 5) | rn, (((imm12 >>> 8) & 7) << 12) | 0xf00 | (imm12 & 0xff));
  }
  const imm5 = r.below(32);
  return wide(0xea10 | (op << 5) | rn, ((imm5 >>> 2) << 12) | 0xf00 | ((imm5 & 3) << 6) | (r.below(4) << 4) | r.pick(SOURCES));
}

function otherData32(r: Xorshift): number[] {
  const rd = r.pick(RESULTS32);
  const imm12 = r.below(4096);
  const i = imm12 >>> 11;
  const imm3 = (imm12 >>> 8) & 7;
  switch (r.below(8)) {
    case 0: return wide(0xf200 | (i << 10) | r.pick(SOURCES), (imm3 << 12) | (rd << 8) | (imm12 & 0xff)); // ADDW
    case 1: return wide(0xf2a0 | (i << 10) | r.pick(SOURCES), (imm3 << 12) | (rd << 8) | (imm12 & 0xff)); // SUBW
    case 2: return wide(0xf20f | (i << 10), (imm3 << 12) | (rd << 8) | (imm12 & 0xff)); // ADR.W (add)
    case 3: return wide(0xf240 | (i << 10) | r.below(16), (imm3 << 12) | (rd << 8) | (imm12 & 0xff)); // MOVW
    case 4: return wide(0xf2c0 | (i << 10) | r.below(16), (imm3 << 12) | (rd << 8) | (imm12 & 0xff)); // MOVT
    case 5: // LSL/LSR/ASR/ROR.W Rd, Rn, Rm (S or not)
      return wide(0xfa00 | (r.below(4) << 5) | (r.below(2) << 4) | r.pick(SOURCES), 0xf000 | (rd << 8) | r.pick(SOURCES));
    case 6: // SXTB/UXTB/SXTH/UXTH (and the adding forms) with a rotation
      return wide(0xfa00 | (r.pick([0, 1, 4, 5]) << 4) | r.pick([15, 15, 0, 1, 9]), 0xf080 | (rd << 8) | (r.below(4) << 4) | r.pick(SOURCES));
    default: { // UBFX/SBFX/BFI/BFC
      const lsb = r.below(32);
      const kind = r.below(4);
      const imm = (lsb >>> 2) << 12 | ((lsb & 3) << 6);
      if (kind < 2) return wide((kind === 0 ? 0xf3c0 : 0xf340) | r.pick(SOURCES), imm | (rd << 8) | r.below(32 - lsb));
      return wide(0xf360 | (kind === 2 ? r.pick(SOURCES) : 15), imm | (rd << 8) | (lsb + r.below(32 - lsb)));
    }
  }
}

function multiply32(r: Xorshift): number[] {
  const rd = r.pick(RESULTS32);
  const rn = r.pick(SOURCES);
  const rm = r.pick(SOURCES);
  switch (r.below(7)) {
    case 0: return wide(0xfb00 | rn, 0xf000 | (rd << 8) | rm); // MUL
    case 1: return wide(0xfb00 | rn, (r.pick(SOURCES) << 12) | (rd << 8) | rm); // MLA
    case 2: return wide(0xfb00 | rn, (r.pick(SOURCES) << 12) | (rd << 8) | 0x10 | rm); // MLS
    case 3: { // SMULL/UMULL/SMLAL/UMLAL with RdLo ≠ RdHi
      const lo = r.below(3);
      return wide(r.pick([0xfb80, 0xfba0, 0xfbc0, 0xfbe0]) | rn, (lo << 12) | ((lo + 1) << 8) | rm);
    }
    case 4: return wide(0xfab0 | rm, 0xf080 | (rd << 8) | rm); // CLZ
    case 5: return wide(0xfa90 | rm, 0xf080 | (rd << 8) | (r.below(2) << 4) | rm); // REV, REV16
    default: return wide(r.pick([0xfb90, 0xfbb0]) | rn, 0xf0f0 | (rd << 8) | rm); // SDIV/UDIV (through the handler)
  }
}

function dataProcessing16(r: Xorshift): number[] {
  const d = r.pick(LOW);
  const m = r.below(8);
  switch (r.below(12)) {
    case 0: return [(r.below(3) << 11) | (r.below(32) << 6) | (m << 3) | d]; // LSL/LSR/ASR #imm
    case 1: return [0x1800 | (r.below(2) << 9) | (r.below(8) << 6) | (m << 3) | d]; // ADD/SUB reg
    case 2: return [0x1c00 | (r.below(2) << 9) | (r.below(8) << 6) | (m << 3) | d]; // ADD/SUB #imm3
    case 3: return [0x2000 | (r.below(4) << 11) | (d << 8) | r.below(256)]; // MOV/CMP/ADD/SUB #imm8 (CMP on r0–r3)
    case 4: case 5: return [0x4000 | (r.below(16) << 6) | (m << 3) | d]; // A6.2.2, all sixteen
    case 6: { // ADD/MOV high registers into r0–r3 or r11, CMP high
      const dd = r.pick([0, 1, 2, 3, 11]);
      const mm = r.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 15]);
      return [0x4400 | (r.pick([0, 1, 2]) << 8) | ((dd & 8) << 4) | (mm << 3) | (dd & 7)];
    }
    case 7: return [0xa000 | (r.below(2) << 11) | (d << 8) | r.below(256)]; // ADR, ADD Rd, SP, #imm
    case 8: return [0xb200 | (r.below(4) << 6) | (m << 3) | d]; // SXTH/SXTB/UXTH/UXTB
    case 9: return [0xba00 | (r.pick([0, 1, 3]) << 6) | (m << 3) | d]; // REV/REV16/REVSH
    case 10: return [0x4240 | (m << 3) | d]; // RSBS #0 (NEG)
    default: return [0x4340 | (m << 3) | d]; // MULS
  }
}

function loadStore16(r: Xorshift): number[] {
  const t = r.pick(LOW);
  switch (r.below(6)) {
    case 0: return [r.pick([0x6000, 0x6800, 0x7000, 0x7800, 0x8000, 0x8800]) | (r.below(32) << 6) | (6 << 3) | t]; // imm5 from r6
    case 1: return [0x5000 | (r.below(8) << 9) | (4 << 6) | (6 << 3) | t]; // register: [r6, r4]
    case 2: return [0x9000 | (r.below(2) << 11) | (t << 8) | r.below(256)]; // LDR/STR [sp, #imm]
    case 3: return [0x4800 | (t << 8) | r.below(256)]; // LDR literal
    case 4: { // add.w r5, r6, #imm (aligned); LDM/STM r5!, {list}
      const list = 1 + r.below(15);
      return [...wide(0xf106, 0x0500 | (r.below(64) << 2)), (r.below(2) === 0 ? 0xc000 : 0xc800) | (5 << 8) | list];
    }
    default: // PUSH {list(, lr)} / POP {list}
      return [r.below(2) === 0 ? 0xb400 | (r.below(2) << 8) | (1 + r.below(15)) : 0xbc00 | (1 + r.below(15))];
  }
}

function loadStore32(r: Xorshift): number[] {
  const t = r.pick(RESULTS32);
  const [s, sz] = r.pick([[0, 0], [1, 0], [0, 1], [1, 1], [0, 2]]);
  const load = s === 1 ? 1 : r.below(2);
  const hw1 = (n: number, u: number) => 0xf800 | (s << 8) | (u << 7) | (sz << 5) | (load << 4) | n;
  switch (r.below(7)) {
    case 0: return wide(hw1(8, 1), (t << 12) | r.below(4096)); // imm12 from r8
    case 1: { // imm8 from r10 (reset): offset, pre- or post-indexed, or the unprivileged form
      const [p, u, w] = r.pick([[1, 0, 0], [1, 1, 1], [1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 0]]);
      const tt = load === 1 && w === 1 && r.chance(0.1) ? 10 : t; // a load into the base it writes back
      return [...wide(0xf108, 0x0a00 | r.below(256)), ...wide(hw1(10, 0), (tt << 12) | 0x800 | (p << 10) | (u << 9) | (w << 8) | r.below(256))];
    }
    case 2: return wide(hw1(8, 0), (t << 12) | (r.below(3) << 4) | 9); // [r8, r9, LSL #0–2]
    case 3: return load === 1 ? wide(hw1(15, r.below(2)), (t << 12) | r.below(1024)) : wide(hw1(8, 1), t << 12); // literal
    case 4: { // LDRD/STRD [r10, #±imm8*4](!) or post-indexed; r10 sometimes unaligned (alignment fault)
      const [p, w] = r.pick([[1, 0], [1, 1], [0, 1]]);
      const pair = r.pick([[0, 1], [2, 3], [1, 11]]);
      return [...wide(0xf108, 0x0a00 | r.below(256)), ...wide(0xe840 | (p << 8) | (r.below(2) << 7) | (w << 5) | (r.below(2) << 4) | 10, (pair[0] << 12) | (pair[1] << 8) | r.below(64))];
    }
    case 5: { // LDM/STM(DB).W r10(!), {at least two of r0–r3, r11}
      let list = 0;
      while (list === 0 || (list & (list - 1)) === 0) list = r.below(16) | (r.chance(0.3) ? 0x800 : 0);
      return [...wide(0xf108, 0x0a00 | r.below(256)), ...wide(r.pick([0xe880, 0xe900]) | (r.below(2) << 5) | (r.below(2) << 4) | 10, list)];
    }
    default: return wide(0xf8dc, t << 12); // LDR.W rX, [r12]: no memory there (Data Abort)
  }
}

function flags32(r: Xorshift): number[] {
  return r.below(2) === 0 ? wide(0xf3ef, 0x8000 | (r.pick(RESULTS32) << 8)) : wide(0xf380 | r.pick(SOURCES), 0x8800); // MRS / MSR APSR_nzcvq
}

/** An instruction allowed in an IT block (no branch, no IT). */
function plain(r: Xorshift): number[] {
  const what = r.below(100);
  if (what < 30) return dataProcessing16(r);
  if (what < 50) return dataProcessing32(r);
  if (what < 58) return otherData32(r);
  if (what < 64) return multiply32(r);
  if (what < 76) return loadStore16(r);
  if (what < 90) return loadStore32(r);
  if (what < 94) return flags32(r);
  if (what < 96) return [0xdf00 | r.below(256)]; // SVC
  if (what < 97) return [0xde00 | r.below(256)]; // UDF
  return [0xbf00]; // NOP
}

/** IT with a random condition (not AL) and mask for `n` instructions (A8.8.55). */
function itInstruction(r: Xorshift, n: number): number {
  const firstcond = r.below(14);
  const pattern = r.below(8) << 1; // then/else bits for the instructions after the first
  const mask = ((pattern | 1) << (4 - n)) & 0xf;
  return 0xbf00 | (firstcond << 4) | mask;
}

/** An IT block of one to four instructions, each a single instruction (base resets left out); sometimes the last is a branch (B T2). */
function itBlock(r: Xorshift): Item {
  const n = 1 + r.below(4);
  const hws = [itInstruction(r, n)];
  for (let k = 0; k < n; k++) {
    if (k === n - 1 && r.chance(0.2)) return { hws, branch: { kind: 'b16', skip: 1 + r.below(3), cond: 14, reg: 0, nonzero: false } };
    let insn = plain(r);
    while (insn.length === 4 && (insn[0] === 0xf106 || insn[0] === 0xf108)) insn = plain(r);
    if (insn.length === 3) insn = insn.slice(2);
    hws.push(...insn);
  }
  return { hws };
}

function items(r: Xorshift, length: number): Item[] {
  const body: Item[] = [];
  let size = 0;
  while (size < length) {
    const what = r.below(100);
    let item: Item;
    if (what < 62) item = { hws: plain(r) };
    else if (what < 74) item = itBlock(r);
    else if (what < 88) {
      const kind = r.pick(['b16', 'bcond16', 'bw', 'bcondw', 'cbz'] as const);
      // CBZ reaches 126 bytes forward: it skips one item (at most 17 halfwords), the others up to three.
      item = { hws: [], branch: { kind, skip: kind === 'cbz' ? 1 : 1 + r.below(3), cond: r.below(14), reg: r.pick(LOW), nonzero: r.chance(0.5) } };
    } else if (what < 92) item = { hws: [], call: true };
    else item = { hws: dataProcessing16(r) };
    body.push(item);
    size++;
  }
  return body;
}

const branchSize = (kind: string) => (kind === 'bw' || kind === 'bcondw' ? 2 : 1);

/** Encode B/B<c>/B.W/B<c>.W/CBZ/BL with `offset` = target − (address + 4). */
function encodeBranch(kind: string, offset: number, cond: number, reg: number, nonzero: boolean): number[] {
  switch (kind) {
    case 'b16': return [0xe000 | ((offset >>> 1) & 0x7ff)];
    case 'bcond16': return [0xd000 | (cond << 8) | ((offset >>> 1) & 0xff)];
    case 'cbz': return [0xb100 | (nonzero ? 0x800 : 0) | (((offset >>> 6) & 1) << 9) | (((offset >>> 1) & 31) << 3) | reg];
    case 'bcondw': {
      const v = offset & 0x1fffff;
      return wide(0xf000 | ((v >>> 20) << 10) | (cond << 6) | ((v >>> 12) & 0x3f), 0x8000 | (((v >>> 18) & 1) << 13) | (((v >>> 19) & 1) << 11) | ((v >>> 1) & 0x7ff));
    }
    default: { // bw, bl
      const v = offset & 0x1ffffff;
      const s = v >>> 24;
      const j1 = (1 ^ ((v >>> 23) & 1)) ^ s;
      const j2 = (1 ^ ((v >>> 22) & 1)) ^ s;
      return wide(0xf000 | (s << 10) | ((v >>> 12) & 0x3ff), (kind === 'bl' ? 0xd000 : 0x9000) | (j1 << 13) | (j2 << 11) | ((v >>> 1) & 0x7ff));
    }
  }
}

/**
 * A random T32 program (as halfwords, to load at an address that is a
 * multiple of 4): `movs r7, #5`, then a loop of `length` random items run
 * r7 times, then back to the start (it never ends); a function at the end
 * (`adds r0, #1; bx lr`) is the target of BL.
 */
export function randomThumbProgram(seed: number, length: number): number[] {
  const r = new Xorshift(seed);
  const body = items(r, length);
  // Sizes (halfwords) of each item once encoded: branches have fixed sizes.
  const sizes = body.map((it) => it.hws.length + (it.branch !== undefined ? branchSize(it.branch.kind) : it.call === true ? 2 : 0));
  const starts: number[] = [];
  let at = 1; // after movs r7, #5
  for (const s of sizes) {
    starts.push(at);
    at += s;
  }
  const loopEnd = at; // subs r7, #1; bne.w start; movs r7, #5; b.w start; function
  const fn = loopEnd + 1 + 2 + 1 + 2;
  const out: number[] = [0x2705];
  body.forEach((item, k) => {
    out.push(...item.hws);
    const here = starts[k] + item.hws.length;
    if (item.branch !== undefined) {
      const { kind, skip, cond, reg, nonzero } = item.branch;
      const targetIndex = k + 1 + skip;
      const target = targetIndex < body.length ? starts[targetIndex] : loopEnd;
      const offset = (target - here) * 2 - 4;
      if ((kind === 'cbz' && offset > 126) || (kind === 'bcond16' && offset > 254)) throw new Error(`seed ${seed}: ${kind} out of range`);
      out.push(...encodeBranch(kind, offset, cond, reg, nonzero));
    } else if (item.call === true) out.push(...encodeBranch('bl', (fn - here) * 2 - 4, 0, 0, false));
  });
  out.push(0x3f01); // subs r7, #1
  out.push(...encodeBranch('bcondw', (1 - (loopEnd + 1)) * 2 - 4, 1, 0, false)); // bne.w start
  out.push(0x2705); // movs r7, #5
  out.push(...encodeBranch('bw', (1 - (loopEnd + 4)) * 2 - 4, 0, 0, false)); // b.w start
  out.push(0x3001, 0x4770); // adds r0, #1; bx lr
  if (out.length % 2 !== 0) out.push(0xbf00);
  return out;
}

/** Halfwords as little-endian words. */
export function halfwordsToWords(hws: readonly number[]): number[] {
  const words: number[] = [];
  for (let k = 0; k < hws.length; k += 2) words.push(((hws[k] & 0xffff) | ((hws[k + 1] ?? 0xbf00) << 16)) >>> 0);
  return words;
}
