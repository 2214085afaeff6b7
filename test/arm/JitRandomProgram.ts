/**
 * Random A32 programs for the JIT's lockstep tests: data processing in all
 * operand forms, loads and stores of every size and indexing mode inside a
 * RAM window, LDM/STM, multiplies, extends and bit fields, flag transfers
 * (MRS/MSR), forward branches, calls, a counted loop, and instructions that
 * raise exceptions (SVC, UDF, a load from an address with no memory,
 * unaligned doubleword and multiple transfers). Encodings are built from the
 * ARM ARM's A5 tables. Register roles keep the accesses in the window:
 *   r0–r6 results, r7 loop counter, r8 window base, r9 small offset,
 *   r10 writeback base (reset from r8 before each use), r12 an address with
 *   no memory behind it, r13 stack.
 */

export class Xorshift {
  constructor(private state: number) {
    if (this.state === 0) this.state = 1;
  }

  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  below(n: number): number {
    return this.next() % n;
  }

  chance(p: number): boolean {
    return this.next() / 4294967296 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

export const WINDOW = 0x40001000;
export const NO_MEMORY = 0x80000000;
export const PROGRAM_AT = 0x1000;

/** Exception vectors at 0 that return to the instruction after the one that raised the exception. */
export const VECTORS: readonly [number, number][] = [
  [0x04, 0xe1b0f00e], // undefined: movs pc, lr
  [0x08, 0xe1b0f00e], // svc: movs pc, lr
  [0x0c, 0xeafffffe], // prefetch abort: b . (never expected)
  [0x10, 0xe25ef004], // data abort: subs pc, lr, #4
  [0x18, 0xe25ef004], // IRQ: subs pc, lr, #4 (back to the interrupted instruction)
];

const AL = 14;

function dataProcessing(r: Xorshift, cond: number): number {
  const opcode = r.below(16);
  const test = opcode >= 8 && opcode <= 11;
  const s = test ? 1 : r.below(2);
  const rd = test ? 0 : r.below(7);
  const rn = opcode === 13 || opcode === 15 ? 0 : r.pick([0, 1, 2, 3, 4, 5, 6, 8, 9, 13, 15]);
  const form = r.below(3);
  let op2: number;
  let imm = 0;
  if (form === 0) {
    imm = 1;
    op2 = (r.below(16) << 8) | r.below(256);
  } else if (form === 1) {
    op2 = (r.below(32) << 7) | (r.below(4) << 5) | r.pick([0, 1, 2, 3, 4, 5, 6, 8, 9, 15]);
  } else {
    op2 = (r.pick([0, 1, 2, 3, 4, 5, 6, 9]) << 8) | (r.below(4) << 5) | 0x10 | r.pick([0, 1, 2, 3, 4, 5, 6, 8, 9]);
  }
  return ((cond << 28) | (imm << 25) | (opcode << 21) | (s << 20) | (rn << 16) | (rd << 12) | op2) >>> 0;
}

/** `add r10, r8, #imm8` then the access through r10 (any indexing mode). */
function resetBase(r: Xorshift): number {
  return (0xe288a000 | r.below(256)) >>> 0;
}

function loadStoreWordByte(r: Xorshift, cond: number, out: number[]): void {
  const load = r.below(2);
  const byte = r.below(2);
  const rt = r.below(7);
  const registerOffset = r.chance(0.3);
  const offset = registerOffset ? (r.below(3) << 7) | 9 : r.below(4096);
  if (r.chance(0.5)) {
    // Offset form from r8 (P = 1, W = 0).
    const u = r.below(2);
    out.push(((cond << 28) | (1 << 26) | ((registerOffset ? 1 : 0) << 25) | (1 << 24) | (u << 23) | (byte << 22) | (load << 20) | (8 << 16) | (rt << 12) | offset) >>> 0);
    return;
  }
  out.push(resetBase(r));
  const p = r.below(2);
  const w = p === 1 ? r.below(2) : r.chance(0.2) ? 1 : 0; // P = 0, W = 1: LDRT and friends
  const u = r.below(2);
  // Now and then a load into the base it writes back (UNPREDICTABLE: the JIT must still do what the interpreter does).
  const t = load === 1 && r.chance(0.1) ? 10 : rt;
  out.push(((cond << 28) | (1 << 26) | ((registerOffset ? 1 : 0) << 25) | (p << 24) | (u << 23) | (byte << 22) | (w << 21) | (load << 20) | (10 << 16) | (t << 12) | offset) >>> 0);
}

function loadStoreExtra(r: Xorshift, cond: number, out: number[]): void {
  // [L, S, H]: STRH, LDRD, STRD, LDRH, LDRSB, LDRSH.
  const kind = r.pick([[0, 0, 1], [0, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0], [1, 1, 1]]);
  const [l, s, h] = kind;
  const double = l === 0 && s === 1;
  const rt = double ? r.pick([0, 2, 4]) : r.below(7);
  const registerOffset = r.chance(0.3);
  const imm8 = r.below(256);
  const low = registerOffset ? 9 : imm8 & 15;
  const high = registerOffset ? 0 : imm8 >>> 4;
  const i = registerOffset ? 0 : 1;
  let rn = 8;
  let p = 1;
  let w = 0;
  if (r.chance(0.5)) {
    out.push(resetBase(r));
    rn = 10;
    p = r.below(2);
    w = p === 1 ? r.below(2) : 0;
  }
  const u = r.below(2);
  const t = l === 1 && rn === 10 && r.chance(0.1) ? 10 : rt;
  out.push(((cond << 28) | (p << 24) | (u << 23) | (i << 22) | (w << 21) | (l << 20) | (rn << 16) | (t << 12) | (high << 8) | 0x90 | (s << 6) | (h << 5) | low) >>> 0);
}

function loadStoreMultiple(r: Xorshift, cond: number, out: number[]): void {
  out.push(resetBase(r));
  const load = r.below(2);
  const list = 1 + r.below(127); // r0–r6
  const pu = r.below(4);
  const w = r.below(2);
  out.push(((cond << 28) | (4 << 25) | (pu << 23) | (w << 21) | (load << 20) | (10 << 16) | list) >>> 0);
}

function multiply(r: Xorshift, cond: number): number {
  const rd = r.below(7);
  const ra = r.below(10);
  const rm = r.below(10);
  const rn = r.below(10);
  switch (r.below(5)) {
    case 0: return ((cond << 28) | (r.below(2) << 20) | (rd << 16) | (rm << 8) | 0x90 | rn) >>> 0; // MUL(S)
    case 1: return ((cond << 28) | (1 << 21) | (r.below(2) << 20) | (rd << 16) | (ra << 12) | (rm << 8) | 0x90 | rn) >>> 0; // MLA(S)
    case 2: return ((cond << 28) | (0x6 << 20) | (rd << 16) | (ra << 12) | (rm << 8) | 0x90 | rn) >>> 0; // MLS
    case 3: {
      // UMULL, UMLAL, SMULL, SMLAL (bit 22 signed, bit 21 accumulate), S or not.
      const lo = r.below(3);
      const kind = r.below(4);
      return ((cond << 28) | ((0x8 | (kind << 1) | r.below(2)) << 20) | ((lo + 3) << 16) | (lo << 12) | (rm << 8) | 0x90 | rn) >>> 0;
    }
    default: return ((cond << 28) | 0x016f0f10 | (rd << 12) | rn) >>> 0; // CLZ
  }
}

function media(r: Xorshift, cond: number): number {
  const rd = r.below(7);
  const rm = r.pick([0, 1, 2, 3, 4, 5, 6, 8, 9]);
  switch (r.below(6)) {
    case 0: // UXTB/UXTH/SXTB/SXTH and the adding forms
      return ((cond << 28) | (0x6 << 24) | (r.pick([0xa, 0xb, 0xe, 0xf]) << 20) | (r.pick([15, 15, 0, 1, 2]) << 16) | (rd << 12) | (r.below(4) << 10) | 0x70 | rm) >>> 0;
    case 1: { // UBFX/SBFX
      const lsb = r.below(32);
      const width = 1 + r.below(32 - lsb);
      return ((cond << 28) | (0x7 << 24) | (r.pick([0xa, 0xe]) << 20) | ((width - 1) << 16) | (rd << 12) | (lsb << 7) | 0x50 | rm) >>> 0;
    }
    case 2: { // BFI/BFC
      const lsb = r.below(32);
      const msb = lsb + r.below(32 - lsb);
      return ((cond << 28) | (0x7c << 20) | (msb << 16) | (rd << 12) | (lsb << 7) | 0x10 | (r.chance(0.3) ? 15 : rm)) >>> 0;
    }
    case 3: return ((cond << 28) | 0x06bf0f30 | (rd << 12) | rm) >>> 0; // REV
    case 4: return ((cond << 28) | 0x06bf0fb0 | (rd << 12) | rm) >>> 0; // REV16
    default: return ((cond << 28) | 0x01200000 | (0x8 << 16) | 0xf000 | r.below(7)) >>> 0; // MSR APSR_nzcvq, rX
  }
}

/**
 * A random program at PROGRAM_AT: a loop of `length` random instructions
 * run `r7` times, then `b` back to the start (it never ends). A function at
 * the end is the target of BL.
 */
export function randomProgram(seed: number, length: number): number[] {
  const r = new Xorshift(seed);
  const body: number[] = [];
  while (body.length < length) {
    const cond = r.chance(0.25) ? r.below(14) : AL;
    const what = r.below(100);
    if (what < 35) body.push(dataProcessing(r, cond));
    else if (what < 52) loadStoreWordByte(r, cond, body);
    else if (what < 62) loadStoreExtra(r, cond, body);
    else if (what < 68) loadStoreMultiple(r, cond, body);
    else if (what < 75) body.push(multiply(r, cond));
    else if (what < 82) body.push(media(r, cond));
    else if (what < 88) body.push(((cond << 28) | (0xa << 24) | r.below(3)) >>> 0); // B forward, skipping 1–3
    else if (what < 90) body.push(((cond << 28) | 0x010f0000 | (r.below(7) << 12)) >>> 0); // MRS rX, APSR
    else if (what < 92) body.push(((cond << 28) | 0x0f000000 | r.below(256)) >>> 0); // SVC
    else if (what < 93) body.push(0xe7f000f0); // UDF
    else if (what < 95) body.push(((cond << 28) | 0x059c0000 | (r.below(7) << 12)) >>> 0); // LDR rX, [r12]: no memory there
    else if (what < 97) body.push(((cond << 28) | 0x0b000000) >>> 0); // BL to the function (patched below)
    else body.push(((cond << 28) | 0x01a00000 | (r.below(7) << 12) | r.pick([0, 1, 2, 3, 4, 5, 6, 13, 14])) >>> 0); // MOV rX, rY
  }
  // Start: the loop counter. End of loop: subs r7, r7, #1; bne start; mov r7, #5; b start; function: add r0, r0, #1; bx lr.
  const words = [0xe3a07005, ...body, 0xe2577001, 0, 0xe3a07005, 0, 0xe2800001, 0xe12fff1e];
  const loopStart = 1;
  const bne = 1 + body.length + 1;
  words[bne] = ((1 << 28) | (0xa << 24) | ((loopStart - (bne + 2)) & 0xffffff)) >>> 0;
  const b = bne + 2;
  words[b] = ((AL << 28) | (0xa << 24) | ((loopStart - (b + 2)) & 0xffffff)) >>> 0;
  const fn = b + 1;
  for (let i = 1; i <= body.length; i++) {
    if ((words[i] & 0x0f000000) === 0x0b000000) words[i] = ((words[i] & 0xff000000) | ((fn - (i + 2)) & 0xffffff)) >>> 0;
  }
  return words;
}
