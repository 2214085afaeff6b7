import { add64, multiplySigned64, multiplyUnsigned64, productHigh, productLow } from '../AluOperations.ts';
import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';

/**
 * Multiplies and divides: A5.2.5 "Multiply and multiply accumulate",
 * A5.2.7 "Halfword multiply and multiply accumulate", A5.4.4 "Signed
 * multiply, signed and unsigned divide". Field letters: d Rd, a Ra, h RdHi,
 * l RdLo, n Rn, m Rm, S setflags, M/N operand half selects, R round.
 *
 * 64-bit results are built from two 32-bit halves (no BigInt).
 */

const S = 1 << 20;
const TWO_32 = 0x100000000;

const rdHigh = (i: number) => (i >>> 16) & 15; // Rd / RdHi
const rdLow = (i: number) => (i >>> 12) & 15; // Ra / RdLo
const rm = (i: number) => (i >>> 8) & 15;
const rn = (i: number) => i & 15;

function setNZ(cpu: ArmCpu, v: number): void {
  cpu.n = v >>> 31;
  cpu.z = v === 0 ? 1 : 0;
}

/** Flags of a 64-bit result: N from bit 63, Z when all 64 bits are zero (C, V unchanged on ARMv7). */
function setNZ64(cpu: ArmCpu, hi: number, lo: number): void {
  cpu.n = hi >>> 31;
  cpu.z = hi === 0 && lo === 0 ? 1 : 0;
}

// --- A5.2.5 ----------------------------------------------------------------

/** MUL (A8.8.114): Rd = Rn × Rm (low 32 bits). */
const MUL: A32Handler = (c, i) => {
  const v = Math.imul(c.r[rn(i)], c.r[rm(i)]);
  c.r[rdHigh(i)] = v;
  if ((i & S) !== 0) setNZ(c, v);
};

/** MLA (A8.8.100): Rd = Rn × Rm + Ra. */
const MLA: A32Handler = (c, i) => {
  const v = (Math.imul(c.r[rn(i)], c.r[rm(i)]) + c.r[rdLow(i)]) | 0;
  c.r[rdHigh(i)] = v;
  if ((i & S) !== 0) setNZ(c, v);
};

/** MLS (A8.8.101): Rd = Ra − Rn × Rm. */
const MLS: A32Handler = (c, i) => {
  c.r[rdHigh(i)] = (c.r[rdLow(i)] - Math.imul(c.r[rn(i)], c.r[rm(i)])) | 0;
};

/** UMULL (A8.8.257): RdHi:RdLo = Rn × Rm, unsigned. */
const UMULL: A32Handler = (c, i) => {
  multiplyUnsigned64(c.r[rn(i)], c.r[rm(i)]);
  c.r[rdLow(i)] = productLow;
  c.r[rdHigh(i)] = productHigh;
  if ((i & S) !== 0) setNZ64(c, productHigh, productLow);
};

/** UMLAL (A8.8.256): RdHi:RdLo += Rn × Rm, unsigned. */
const UMLAL: A32Handler = (c, i) => {
  multiplyUnsigned64(c.r[rn(i)], c.r[rm(i)]);
  add64(productHigh, productLow, c.r[rdHigh(i)], c.r[rdLow(i)]);
  c.r[rdLow(i)] = productLow;
  c.r[rdHigh(i)] = productHigh;
  if ((i & S) !== 0) setNZ64(c, productHigh, productLow);
};

/** SMULL (A8.8.189): signed. */
const SMULL: A32Handler = (c, i) => {
  multiplySigned64(c.r[rn(i)], c.r[rm(i)]);
  c.r[rdLow(i)] = productLow;
  c.r[rdHigh(i)] = productHigh;
  if ((i & S) !== 0) setNZ64(c, productHigh, productLow);
};

/** SMLAL (A8.8.178): RdHi:RdLo += Rn × Rm, signed. */
const SMLAL: A32Handler = (c, i) => {
  multiplySigned64(c.r[rn(i)], c.r[rm(i)]);
  add64(productHigh, productLow, c.r[rdHigh(i)], c.r[rdLow(i)]);
  c.r[rdLow(i)] = productLow;
  c.r[rdHigh(i)] = productHigh;
  if ((i & S) !== 0) setNZ64(c, productHigh, productLow);
};

/** UMAAL (A8.8.255): RdHi:RdLo = Rn × Rm + RdHi + RdLo, unsigned (never overflows 64 bits). */
const UMAAL: A32Handler = (c, i) => {
  multiplyUnsigned64(c.r[rn(i)], c.r[rm(i)]);
  add64(productHigh, productLow, 0, c.r[rdHigh(i)]);
  add64(productHigh, productLow, 0, c.r[rdLow(i)]);
  c.r[rdLow(i)] = productLow;
  c.r[rdHigh(i)] = productHigh;
};

// --- A5.2.7 halfword multiplies ----------------------------------------------

/** The signed bottom (sel = 0) or top (sel = 1) halfword. */
function half(v: number, top: number): number {
  return top ? v >> 16 : (v << 16) >> 16;
}

/** Signed 32-bit add that sets Q on overflow (the "if result != SInt(result<31:0>)" of SMLA*). */
function addSetQ(cpu: ArmCpu, a: number, b: number): number {
  const sum = a + b;
  const r = sum | 0;
  if (r !== sum) cpu.q = 1;
  return r;
}

/** SMLA<x><y> (A8.8.176): Rd = Rn.x × Rm.y + Ra, Q on overflow. */
const SMLAxy: A32Handler = (c, i) => {
  const p = half(c.r[rn(i)], (i >>> 5) & 1) * half(c.r[rm(i)], (i >>> 6) & 1);
  c.r[rdHigh(i)] = addSetQ(c, p, c.r[rdLow(i)]);
};

/** SMUL<x><y> (A8.8.188). */
const SMULxy: A32Handler = (c, i) => {
  c.r[rdHigh(i)] = half(c.r[rn(i)], (i >>> 5) & 1) * half(c.r[rm(i)], (i >>> 6) & 1);
};

/** The top 32 bits of the 48-bit product Rn × Rm.y (SMULW/SMLAW). */
function wideProduct(cpu: ArmCpu, i: number): number {
  const p = cpu.r[rn(i)] * half(cpu.r[rm(i)], (i >>> 6) & 1); // |p| < 2^47: exact
  return Math.floor(p / 65536) | 0;
}

/** SMLAW<y> (A8.8.180): Rd = (Rn × Rm.y)[47:16] + Ra, Q on overflow. */
const SMLAWy: A32Handler = (c, i) => {
  c.r[rdHigh(i)] = addSetQ(c, wideProduct(c, i), c.r[rdLow(i)]);
};

/** SMULW<y> (A8.8.190). */
const SMULWy: A32Handler = (c, i) => {
  c.r[rdHigh(i)] = wideProduct(c, i);
};

/** Add a signed value (|v| < 2^53) to the 64-bit RdHi:RdLo and write it back. */
function accumulate64(cpu: ArmCpu, i: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  const lo = v - hi * TWO_32;
  add64(cpu.r[rdHigh(i)], cpu.r[rdLow(i)], hi | 0, lo | 0);
  cpu.r[rdLow(i)] = productLow;
  cpu.r[rdHigh(i)] = productHigh;
}

/** SMLAL<x><y> (A8.8.179): RdHi:RdLo += Rn.x × Rm.y. */
const SMLALxy: A32Handler = (c, i) => {
  accumulate64(c, i, half(c.r[rn(i)], (i >>> 5) & 1) * half(c.r[rm(i)], (i >>> 6) & 1));
};

// --- A5.4.4 signed multiplies and divides ------------------------------------

/** The two halfword products of SMUAD/SMLAD/SMUSD/SMLSD/SMLALD/SMLSLD, Rm swapped when M (bit 5). */
function dualProducts(cpu: ArmCpu, i: number, subtract: boolean): number {
  const n = cpu.r[rn(i)];
  let m = cpu.r[rm(i)];
  if ((i & 0x20) !== 0) m = (m >>> 16) | (m << 16);
  const p1 = ((n << 16) >> 16) * ((m << 16) >> 16);
  const p2 = (n >> 16) * (m >> 16);
  return subtract ? p1 - p2 : p1 + p2;
}

/** SMLAD (A8.8.177): Rd = p1 + p2 + Ra, Q on overflow. SMUAD (A8.8.187) when Ra = 1111. */
const SMLAD: A32Handler = (c, i) => {
  const sum = dualProducts(c, i, false);
  const ra = (i >>> 12) & 15;
  c.r[rdHigh(i)] = ra === 15 ? addSetQ(c, sum, 0) : addSetQ(c, sum, c.r[ra]);
};

/** SMLSD (A8.8.182) / SMUSD (A8.8.191): p1 − p2 (+ Ra); the difference itself cannot overflow. */
const SMLSD: A32Handler = (c, i) => {
  const diff = dualProducts(c, i, true);
  const ra = (i >>> 12) & 15;
  c.r[rdHigh(i)] = ra === 15 ? diff | 0 : addSetQ(c, diff, c.r[ra]);
};

/** SMLALD (A8.8.181): RdHi:RdLo += p1 + p2. */
const SMLALD: A32Handler = (c, i) => accumulate64(c, i, dualProducts(c, i, false));

/** SMLSLD (A8.8.183): RdHi:RdLo += p1 − p2. */
const SMLSLD: A32Handler = (c, i) => accumulate64(c, i, dualProducts(c, i, true));

/**
 * SMMLA (A8.8.184) / SMMUL (A8.8.186, Ra = 1111) / SMMLS (A8.8.185): the top
 * word of (Ra << 32) ± Rn × Rm, rounded when R (bit 5) by adding 0x80000000.
 */
function mostSignificant(cpu: ArmCpu, i: number, subtract: boolean): void {
  multiplySigned64(cpu.r[rn(i)], cpu.r[rm(i)]);
  let hi = productHigh;
  let lo = productLow;
  if (subtract) {
    // Negate the product: two's complement of the 64-bit value.
    lo = (~lo + 1) | 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) | 0;
  }
  const ra = (i >>> 12) & 15;
  if (ra !== 15 || subtract) hi = (hi + cpu.r[ra]) | 0;
  if ((i & 0x20) !== 0) {
    add64(hi, lo, 0, 0x80000000 | 0);
    hi = productHigh;
  }
  cpu.r[rdHigh(i)] = hi;
}

const SMMLA: A32Handler = (c, i) => mostSignificant(c, i, false);
const SMMLS: A32Handler = (c, i) => mostSignificant(c, i, true);

/** SDIV (A8.8.165): signed, rounding towards zero; x/0 = 0; −2^31/−1 = −2^31. */
const SDIV: A32Handler = (c, i) => {
  const m = c.r[rm(i)];
  c.r[rdHigh(i)] = m === 0 ? 0 : Math.trunc(c.r[rn(i)] / m) | 0;
};

/** UDIV (A8.8.248): unsigned; x/0 = 0. */
const UDIV: A32Handler = (c, i) => {
  const m = c.r[rm(i)] >>> 0;
  c.r[rdHigh(i)] = m === 0 ? 0 : Math.trunc((c.r[rn(i)] >>> 0) / m) | 0;
};

/** USAD8 / USADA8 (A8.8.253–254): sum of absolute byte differences (+ Ra). */
const USADA8: A32Handler = (c, i) => {
  const n = c.r[rn(i)];
  const m = c.r[rm(i)];
  let sum = 0;
  for (let k = 0; k < 32; k += 8) sum += Math.abs(((n >>> k) & 0xff) - ((m >>> k) & 0xff));
  const ra = (i >>> 12) & 15;
  c.r[rdHigh(i)] = ra === 15 ? sum : (sum + c.r[ra]) | 0;
};

export const multiplyEncodings: Encoding<A32Handler>[] = [
  { name: 'MUL', pattern: 'cccc 0000 000S dddd (0)(0)(0)(0) mmmm 1001 nnnn', exec: MUL },
  { name: 'MLA', pattern: 'cccc 0000 001S dddd aaaa mmmm 1001 nnnn', exec: MLA },
  { name: 'UMAAL', pattern: 'cccc 0000 0100 hhhh llll mmmm 1001 nnnn', exec: UMAAL },
  { name: 'MLS', pattern: 'cccc 0000 0110 dddd aaaa mmmm 1001 nnnn', exec: MLS },
  { name: 'UMULL', pattern: 'cccc 0000 100S hhhh llll mmmm 1001 nnnn', exec: UMULL },
  { name: 'UMLAL', pattern: 'cccc 0000 101S hhhh llll mmmm 1001 nnnn', exec: UMLAL },
  { name: 'SMULL', pattern: 'cccc 0000 110S hhhh llll mmmm 1001 nnnn', exec: SMULL },
  { name: 'SMLAL', pattern: 'cccc 0000 111S hhhh llll mmmm 1001 nnnn', exec: SMLAL },

  { name: 'SMLA<x><y>', pattern: 'cccc 0001 0000 dddd aaaa mmmm 1MN0 nnnn', exec: SMLAxy },
  { name: 'SMLAW<y>', pattern: 'cccc 0001 0010 dddd aaaa mmmm 1M00 nnnn', exec: SMLAWy },
  { name: 'SMULW<y>', pattern: 'cccc 0001 0010 dddd (0)(0)(0)(0) mmmm 1M10 nnnn', exec: SMULWy },
  { name: 'SMLAL<x><y>', pattern: 'cccc 0001 0100 hhhh llll mmmm 1MN0 nnnn', exec: SMLALxy },
  { name: 'SMUL<x><y>', pattern: 'cccc 0001 0110 dddd (0)(0)(0)(0) mmmm 1MN0 nnnn', exec: SMULxy },

  { name: 'SMLAD', pattern: 'cccc 0111 0000 dddd aaaa mmmm 00M1 nnnn', exec: SMLAD, unless: ['---- ---- ---- ---- 1111 ---- ---- ----'] },
  { name: 'SMUAD', pattern: 'cccc 0111 0000 dddd 1111 mmmm 00M1 nnnn', exec: SMLAD },
  { name: 'SMLSD', pattern: 'cccc 0111 0000 dddd aaaa mmmm 01M1 nnnn', exec: SMLSD, unless: ['---- ---- ---- ---- 1111 ---- ---- ----'] },
  { name: 'SMUSD', pattern: 'cccc 0111 0000 dddd 1111 mmmm 01M1 nnnn', exec: SMLSD },
  { name: 'SDIV', pattern: 'cccc 0111 0001 dddd (1)(1)(1)(1) mmmm 0001 nnnn', exec: SDIV },
  { name: 'UDIV', pattern: 'cccc 0111 0011 dddd (1)(1)(1)(1) mmmm 0001 nnnn', exec: UDIV },
  { name: 'SMLALD', pattern: 'cccc 0111 0100 hhhh llll mmmm 00M1 nnnn', exec: SMLALD },
  { name: 'SMLSLD', pattern: 'cccc 0111 0100 hhhh llll mmmm 01M1 nnnn', exec: SMLSLD },
  { name: 'SMMLA', pattern: 'cccc 0111 0101 dddd aaaa mmmm 00R1 nnnn', exec: SMMLA, unless: ['---- ---- ---- ---- 1111 ---- ---- ----'] },
  { name: 'SMMUL', pattern: 'cccc 0111 0101 dddd 1111 mmmm 00R1 nnnn', exec: SMMLA },
  { name: 'SMMLS', pattern: 'cccc 0111 0101 dddd aaaa mmmm 11R1 nnnn', exec: SMMLS },
  { name: 'USADA8', pattern: 'cccc 0111 1000 dddd aaaa mmmm 0001 nnnn', exec: USADA8, unless: ['---- ---- ---- ---- 1111 ---- ---- ----'] },
  { name: 'USAD8', pattern: 'cccc 0111 1000 dddd 1111 mmmm 0001 nnnn', exec: USADA8 },
];
