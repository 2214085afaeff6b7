/**
 * Single-precision arithmetic as Advanced SIMD does it (ARM ARM A2.7.4 "The
 * Standard FPSCR value"): flush-to-zero (denormal inputs become zeros and set
 * IDC, results below 2^−126 become zeros and set UFC), default NaN (any NaN
 * result is 0x7fc00000; a signalling NaN operand sets IOC), round to nearest
 * even, no traps. The FPSCR cumulative flags raised are collected in
 * `fpFlags.bits` for the handler to OR into FPSCR once (B6.1.x FPSCR).
 *
 * Values are the lanes' bit patterns (unsigned 32-bit numbers). JS numbers
 * are doubles: a product of two singles is exact in a double, a sum is
 * rounded once to double and the exact error recovered (TwoSum), so every
 * result below is the correctly rounded single and its flags are exact.
 */

export const IOC = 1;
export const DZC = 2;
export const OFC = 4;
export const UFC = 8;
export const IXC = 16;
export const IDC = 128;

export const fpFlags = { bits: 0 };

export const DEFAULT_NAN = 0x7fc00000;
const SIGN = 0x80000000;
const MIN_NORMAL = 2 ** -126;

const single = new Float32Array(1);
const singleBits = new Uint32Array(single.buffer);
const double = new Float64Array(1);
const doubleWords = new Int32Array(double.buffer);

export function toSingle(bits: number): number {
  singleBits[0] = bits;
  return single[0];
}

export function bitsOf(value: number): number {
  single[0] = value;
  return singleBits[0];
}

export const isNaNBits = (b: number): boolean => (b & 0x7fffffff) > 0x7f800000;
const isSignalling = (b: number): boolean => isNaNBits(b) && (b & 0x00400000) === 0;
const isInfinity = (b: number): boolean => (b & 0x7fffffff) === 0x7f800000;
const isZero = (b: number): boolean => (b & 0x7fffffff) === 0;

/** FPUnpack's flush of a denormal input to a zero of its sign (IDC). */
export function flushInput(b: number): number {
  b >>>= 0;
  if ((b & 0x7f800000) === 0 && (b & 0x007fffff) !== 0) {
    fpFlags.bits |= IDC;
    return (b & SIGN) >>> 0;
  }
  return b;
}

/** FPProcessNaNs with the default NaN: the default NaN when an operand is a NaN (IOC for a signalling one), else −1. */
function processNaNs(a: number, b: number): number {
  if (!isNaNBits(a) && !isNaNBits(b)) return -1;
  if (isSignalling(a) || isSignalling(b)) fpFlags.bits |= IOC;
  return DEFAULT_NAN;
}

/**
 * FPRound to single with FZ = 1 and round to nearest: `x` is the double
 * nearest the exact result and `error` the exact residual (0 when x is exact).
 */
export function roundSingle(x: number, error: number): number {
  if (x === 0 && error === 0) return bitsOf(x);
  if (Math.abs(x) < MIN_NORMAL) {
    fpFlags.bits |= UFC;
    return x < 0 || (x === 0 && error < 0) ? SIGN : 0;
  }
  if (error !== 0) x = roundToOdd(x, error);
  const f = Math.fround(x);
  if (!Number.isFinite(f) && Number.isFinite(x)) fpFlags.bits |= OFC | IXC;
  else if (f !== x || error !== 0) fpFlags.bits |= IXC;
  return bitsOf(f);
}

/**
 * The double next to `x` towards the exact value when x is inexact and even
 * (rounding to odd): rounding that double to single then gives the single
 * nearest the exact value, ties included.
 */
function roundToOdd(x: number, error: number): number {
  double[0] = x;
  if ((doubleWords[0] & 1) !== 0) return x;
  const away = error > 0 === x > 0;
  let lo = doubleWords[0] >>> 0;
  let hi = doubleWords[1];
  if (away) {
    lo += 1;
    if (lo > 0xffffffff) {
      lo = 0;
      hi += 1;
    }
  } else {
    lo -= 1;
    if (lo < 0) {
      lo = 0xffffffff;
      hi -= 1;
    }
  }
  doubleWords[0] = lo | 0;
  doubleWords[1] = hi;
  return double[0];
}

/** a + b exactly as a double plus its residual (TwoSum), then rounded. */
function sumRounded(a: number, b: number): number {
  const s = a + b;
  const bv = s - a;
  const error = a - (s - bv) + (b - bv);
  if (s === 0 && error === 0) return bitsOf(a + b);
  return roundSingle(s, error);
}

export function fpAdd(a: number, b: number): number {
  a = flushInput(a);
  b = flushInput(b);
  const nan = processNaNs(a, b);
  if (nan >= 0) return nan;
  if (isInfinity(a) && isInfinity(b) && ((a ^ b) & SIGN) !== 0) {
    fpFlags.bits |= IOC;
    return DEFAULT_NAN;
  }
  if (isInfinity(a)) return a;
  if (isInfinity(b)) return b;
  return sumRounded(toSingle(a), toSingle(b));
}

export function fpSub(a: number, b: number): number {
  if (isNaNBits(b)) return fpAdd(a, b);
  return fpAdd(a, (b ^ SIGN) >>> 0);
}

export function fpMul(a: number, b: number): number {
  a = flushInput(a);
  b = flushInput(b);
  const nan = processNaNs(a, b);
  if (nan >= 0) return nan;
  if ((isInfinity(a) && isZero(b)) || (isZero(a) && isInfinity(b))) {
    fpFlags.bits |= IOC;
    return DEFAULT_NAN;
  }
  return roundSingle(toSingle(a) * toSingle(b), 0);
}

/** FPMulAdd (fused): addend + a·b rounded once (A2.7.x, VFMA). */
export function fpMulAdd(addend: number, a: number, b: number): number {
  addend = flushInput(addend);
  a = flushInput(a);
  b = flushInput(b);
  const infZero = (isInfinity(a) && isZero(b)) || (isZero(a) && isInfinity(b));
  if (isNaNBits(addend) || isNaNBits(a) || isNaNBits(b)) {
    if (isSignalling(addend) || isSignalling(a) || isSignalling(b) || infZero) fpFlags.bits |= IOC;
    return DEFAULT_NAN;
  }
  if (infZero) {
    fpFlags.bits |= IOC;
    return DEFAULT_NAN;
  }
  const product = toSingle(a) * toSingle(b);
  const c = toSingle(addend);
  if (!Number.isFinite(product) || !Number.isFinite(c)) {
    const r = c + product;
    if (Number.isNaN(r)) {
      fpFlags.bits |= IOC;
      return DEFAULT_NAN;
    }
    return bitsOf(r);
  }
  if (product === 0 && c === 0) return bitsOf(c + product);
  return sumRounded(c, product);
}

/** Comparisons (A8.8.292 VCEQ, VCGE, VCGT): NaN compares false; IOC for any NaN unless `quiet` (VCEQ: signalling only). */
export function fpCompare(a: number, b: number, quiet: boolean): number {
  a = flushInput(a);
  b = flushInput(b);
  if (isNaNBits(a) || isNaNBits(b)) {
    if (!quiet || isSignalling(a) || isSignalling(b)) fpFlags.bits |= IOC;
    return NaN;
  }
  const x = toSingle(a);
  const y = toSingle(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** VMAX/VMIN (A8.8.334): a NaN operand gives the default NaN; +0 is above −0. */
export function fpMaxMin(a: number, b: number, max: boolean): number {
  a = flushInput(a);
  b = flushInput(b);
  const nan = processNaNs(a, b);
  if (nan >= 0) return nan;
  const x = toSingle(a);
  const y = toSingle(b);
  if (x === y && x === 0) {
    const negative = max ? (a & b & SIGN) !== 0 : ((a | b) & SIGN) !== 0;
    return negative ? SIGN : 0;
  }
  return (max ? x > y : x < y) ? a : b;
}

export const fpAbs = (a: number): number => (a & 0x7fffffff) >>> 0;
export const fpNeg = (a: number): number => (a ^ SIGN) >>> 0;

/**
 * FPToFixed with round towards zero (VCVT to integer or fixed point,
 * A8.8.306/307): NaN gives 0 and IOC, out-of-range values saturate with IOC,
 * inexact ones set IXC.
 */
export function fpToFixed(a: number, fractionBits: number, unsigned: boolean): number {
  a = flushInput(a);
  if (isNaNBits(a)) {
    fpFlags.bits |= IOC;
    return 0;
  }
  const x = toSingle(a) * 2 ** fractionBits;
  const t = Math.trunc(x);
  const min = unsigned ? 0 : -0x80000000;
  const max = unsigned ? 0xffffffff : 0x7fffffff;
  if (t > max || t < min) {
    fpFlags.bits |= IOC;
    return t > max ? max | 0 : min;
  }
  if (t !== x) fpFlags.bits |= IXC;
  return t | 0;
}

/** FixedToFP with round to nearest (VCVT from integer or fixed point). */
export function fixedToFp(v: number, fractionBits: number): number {
  if (v === 0) return 0;
  return roundSingle(v / 2 ** fractionBits, 0);
}

// --- estimates and Newton-Raphson steps (A2.7.x FPRecipEstimate, FPRSqrtEstimate) ------------

/** recip_estimate(): a in [0.5, 1) to 9 bits, the result in [1, 2) with 8 fraction bits, as 256·result. */
export function recipEstimate256(a: number): number {
  const q = Math.floor(a * 512);
  const r = 1 / ((q + 0.5) / 512);
  return Math.floor(r * 256 + 0.5);
}

/** recip_sqrt_estimate(): a in [0.25, 1), the result in [1, 2) as 256·result. */
export function recipSqrtEstimate256(a: number): number {
  let r: number;
  if (a < 0.5) {
    const q0 = Math.floor(a * 512);
    r = 1 / Math.sqrt((q0 + 0.5) / 512);
  } else {
    const q1 = Math.floor(a * 256);
    r = 1 / Math.sqrt((q1 + 0.5) / 256);
  }
  return Math.floor(r * 256 + 0.5);
}

/** VRECPE.F32 (A8.8.347). */
export function fpRecipEstimate(a: number): number {
  a = flushInput(a);
  if (isNaNBits(a)) return processNaNs(a, 0);
  const sign = (a & SIGN) >>> 0;
  if (isInfinity(a)) return sign;
  if (isZero(a)) {
    fpFlags.bits |= DZC;
    return (sign | 0x7f800000) >>> 0;
  }
  const exponent = (a >>> 23) & 0xff;
  if (exponent >= 253) {
    // The reciprocal is below 2^−126: flushed (Standard FPSCR value, FZ = 1).
    fpFlags.bits |= UFC;
    return sign;
  }
  const scaled = 0.5 + (a & 0x7fffff) / 2 ** 24;
  const estimate = recipEstimate256(scaled);
  return (sign | ((253 - exponent) << 23) | ((estimate - 256) << 15)) >>> 0;
}

/** VRSQRTE.F32 (A8.8.353). */
export function fpRecipSqrtEstimate(a: number): number {
  a = flushInput(a);
  if (isNaNBits(a)) return processNaNs(a, 0);
  if (isZero(a)) {
    fpFlags.bits |= DZC;
    return ((a & SIGN) | 0x7f800000) >>> 0;
  }
  if ((a & SIGN) !== 0) {
    fpFlags.bits |= IOC;
    return DEFAULT_NAN;
  }
  if (isInfinity(a)) return 0;
  const exponent = (a >>> 23) & 0xff;
  const fraction = (a & 0x7fffff) / 2 ** 23;
  // Even exponents scale into [0.5, 1), odd ones into [0.25, 0.5).
  const scaled = (exponent & 1) === 0 ? (1 + fraction) / 2 : (1 + fraction) / 4;
  const estimate = recipSqrtEstimate256(scaled);
  return ((((380 - exponent) >> 1) & 0xff) << 23 | ((estimate - 256) << 15)) >>> 0;
}

const TWO = 0x40000000;

/** VRECPS (A8.8.348): 2 − a·b, with ∞·0 giving 2. */
export function fpRecipStep(a: number, b: number): number {
  a = flushInput(a);
  b = flushInput(b);
  const nan = processNaNs(a, b);
  if (nan >= 0) return nan;
  if ((isInfinity(a) && isZero(b)) || (isZero(a) && isInfinity(b))) return TWO;
  return fpSub(TWO, fpMul(a, b));
}

/** VRSQRTS (A8.8.354): (3 − a·b) / 2, with ∞·0 giving 1.5. */
export function fpRecipSqrtStep(a: number, b: number): number {
  a = flushInput(a);
  b = flushInput(b);
  const nan = processNaNs(a, b);
  if (nan >= 0) return nan;
  if ((isInfinity(a) && isZero(b)) || (isZero(a) && isInfinity(b))) return 0x3fc00000;
  const product = fpMul(a, b);
  if (isInfinity(product)) return (product ^ SIGN) >>> 0;
  const p = toSingle(product);
  // (3 − p) / 2 rounded once: the halving is exact unless it underflows.
  const s = 3 - p;
  const bv = s - 3;
  const error = 3 - (s - bv) + (-p - bv);
  if (s === 0 && error === 0) return 0;
  return roundSingle(s / 2, error / 2);
}
