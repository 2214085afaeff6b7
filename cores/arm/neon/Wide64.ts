/**
 * 64-bit integer lanes without BigInt (the hot path may not use it): a value
 * is a pair (hi, lo), hi a signed 32-bit number and lo an unsigned one. The
 * operations leave their result in `W`, a preallocated pair, so nothing is
 * allocated per element. Used by the .64 forms and by the long/narrow forms
 * whose wide elements are 64 bits (ARM ARM A8 pseudocode on integers).
 */
export const W = { hi: 0, lo: 0 };

const TWO32 = 4294967296;

/** An integer of magnitude below 2^53 as a pair. */
export function fromNumber(v: number): void {
  const hi = Math.floor(v / TWO32);
  W.hi = hi | 0;
  W.lo = (v - hi * TWO32) >>> 0;
}

/** The pair as a number (exact only when it fits in 53 bits). */
export function toNumber(hi: number, lo: number): number {
  return hi * TWO32 + (lo >>> 0);
}

export function add64(ah: number, al: number, bh: number, bl: number): void {
  const s = (al >>> 0) + (bl >>> 0);
  W.lo = s >>> 0;
  W.hi = (ah + bh + (s >= TWO32 ? 1 : 0)) | 0;
}

export function sub64(ah: number, al: number, bh: number, bl: number): void {
  const d = (al >>> 0) - (bl >>> 0);
  W.lo = d >>> 0;
  W.hi = (ah - bh - (d < 0 ? 1 : 0)) | 0;
}

export function neg64(h: number, l: number): void {
  sub64(0, 0, h, l);
}

/** Signed comparison: negative, zero or positive. */
export function compare64(ah: number, al: number, bh: number, bl: number, unsigned: boolean): number {
  if (ah !== bh) return unsigned ? (ah >>> 0) - (bh >>> 0) : ah - bh;
  return (al >>> 0) - (bl >>> 0);
}

/** Full product of two 32-bit values (signed or unsigned as given: the numbers carry their sign). */
export function mul32(a: number, b: number): void {
  const negative = (a < 0) !== (b < 0) && a !== 0 && b !== 0;
  const ua = Math.abs(a);
  const ub = Math.abs(b);
  const ah = Math.floor(ua / 65536);
  const al = ua - ah * 65536;
  const bh = Math.floor(ub / 65536);
  const bl = ub - bh * 65536;
  const middle = ah * bl + al * bh;
  const middleHigh = Math.floor(middle / 65536);
  const low = al * bl + (middle - middleHigh * 65536) * 65536;
  const carry = Math.floor(low / TWO32);
  W.lo = (low - carry * TWO32) >>> 0;
  W.hi = (ah * bh + middleHigh + carry) | 0;
  if (negative) neg64(W.hi, W.lo);
}

/** Logical shift left by 0–63 (64 and more give 0). */
export function shl64(h: number, l: number, n: number): void {
  if (n === 0) {
    W.hi = h | 0;
    W.lo = l >>> 0;
  } else if (n < 32) {
    W.hi = (h << n) | (l >>> (32 - n));
    W.lo = (l << n) >>> 0;
  } else if (n < 64) {
    W.hi = l << (n - 32);
    W.lo = 0;
  } else {
    W.hi = 0;
    W.lo = 0;
  }
}

/** Shift right by 0–64 and beyond: arithmetic (sign fill) or logical. */
export function shr64(h: number, l: number, n: number, unsigned: boolean): void {
  if (n === 0) {
    W.hi = h | 0;
    W.lo = l >>> 0;
  } else if (n < 32) {
    W.lo = ((l >>> n) | (h << (32 - n))) >>> 0;
    W.hi = unsigned ? (h >>> n) | 0 : h >> n;
  } else if (n < 64) {
    W.lo = (unsigned ? h >>> (n - 32) : h >> (n - 32)) >>> 0;
    W.hi = unsigned ? 0 : h >> 31;
  } else {
    W.hi = unsigned ? 0 : h >> 31;
    W.lo = W.hi >>> 0;
  }
}

/**
 * Shift right by n with rounding (add 2^(n−1) first, keeping the carry out of
 * 64 bits: the pseudocode works on unbounded integers), for n in 1–64.
 */
export function roundingShr64(h: number, l: number, n: number, unsigned: boolean): void {
  // Bit n−1 of the value decides the rounding: (x + 2^(n−1)) >> n = (x >> n) + bit(n−1).
  let bit: number;
  if (n <= 32) bit = (l >>> (n - 1)) & 1;
  else bit = (h >>> (n - 33)) & 1;
  shr64(h, l, n, unsigned);
  if (bit !== 0) add64(W.hi, W.lo, 0, 1);
}
