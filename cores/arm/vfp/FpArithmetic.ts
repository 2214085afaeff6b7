import {
  DOUBLE,
  DZC,
  FPSCR_DN,
  FPSCR_FZ,
  IDC,
  IOC,
  IXC,
  RM,
  RMODE_SHIFT,
  RN,
  RP,
  SINGLE,
  errorTerm,
  exponentOf,
  fpExceptions,
  pow2,
  roundExact,
  scaleBy,
  setExact,
  twoProduct,
  twoSum,
  type FpFormat,
} from './FpExactRounding.ts';

/**
 * IEEE 754 arithmetic as the ARM ARM specifies it for VFP (DDI 0406C A2.7,
 * the FPxxx pseudocode functions), shared by the VFP instructions and by
 * Advanced SIMD (which passes the "standard FPSCR value": FZ = 1, DN = 1,
 * round to nearest).
 *
 * API (stable):
 * - Single precision operands and results are raw bit patterns (uint32 as a
 *   JS number); double precision ones are JS numbers whose bits are the
 *   register's (NaN payloads survive Float64Array loads and stores in V8).
 * - Every operation takes the FPSCR value, which supplies RMode, FZ, DN and
 *   AHP, and ORs the cumulative exception bits it raises (IOC DZC OFC UFC
 *   IXC IDC, at their FPSCR positions) into `fpExceptions.flags`. Callers
 *   clear that, run the operation, then OR it into FPSCR.
 * - fpAdd32/64, fpSub32/64, fpMul32/64, fpDiv32/64, fpSqrt32/64,
 *   fpMulAdd32/64(addend, op1, op2) (fused, one rounding), fpCompare32/64
 *   (returns NZCV in bits 3:0), fpNeg/fpAbs (sign-bit operations, no
 *   exceptions), fpMax/Min are not here (Advanced SIMD owns them).
 *
 * Exactness: results are computed from the exact value of the operation
 * (error-free transformations, FpExactRounding.ts) and rounded once, so
 * directed rounding, tininess before rounding, and fused multiply-add are
 * exact. Fast paths use the host's round-to-nearest result only where it is
 * provably the correctly rounded one and no exception other than Inexact
 * can arise.
 */

export { fpExceptions } from './FpExactRounding.ts';

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const single = new Float32Array(1);
const singleWord = new Uint32Array(single.buffer);

const MIN_NORMAL_SINGLE = pow2(-126);
const MIN_NORMAL_DOUBLE = pow2(-1022);
export const DEFAULT_NAN_32 = 0x7fc00000;

// --- bit conversions ------------------------------------------------------------------

/** The single-precision value of a non-NaN bit pattern, as a double (exact). */
export function singleValue(bits: number): number {
  singleWord[0] = bits;
  return single[0];
}

/** Bit pattern of a double that is exactly representable in single precision (not NaN). */
export function singleBits(value: number): number {
  single[0] = value;
  return singleWord[0];
}

/** High word of a double's bits. */
export function doubleHigh(x: number): number {
  scratch[0] = x;
  return scratchWords[1];
}

/** Low word of a double's bits. */
export function doubleLow(x: number): number {
  scratch[0] = x;
  return scratchWords[0];
}

/** The double with the given bits. */
export function doubleFromWords(high: number, low: number): number {
  scratchWords[1] = high;
  scratchWords[0] = low;
  return scratch[0];
}

export function isNaN32(bits: number): boolean {
  return (bits & 0x7fffffff) > 0x7f800000;
}

function isSignallingNaN32(bits: number): boolean {
  return isNaN32(bits) && (bits & 0x00400000) === 0;
}

function isSignallingNaN64(x: number): boolean {
  return x !== x && (doubleHigh(x) & 0x00080000) === 0;
}

/** The default NaN (A2.7.x): positive, quiet, fraction zero apart from the quiet bit. */
export function defaultNaN64(): number {
  return doubleFromWords(0x7ff80000, 0);
}

// --- operand unpacking (FPUnpack: flush-to-zero of denormal inputs) ------------------------

/** FPUnpack of a single: its value, with a denormal flushed to a zero of its sign (IDC) when FZ is set. */
export function unpack32(bits: number, fpscr: number): number {
  if ((bits & 0x7f800000) === 0 && (bits & 0x007fffff) !== 0 && (fpscr & FPSCR_FZ) !== 0) {
    fpExceptions.flags |= IDC;
    return (bits & 0x80000000) !== 0 ? -0 : 0;
  }
  return singleValue(bits);
}

/** FPUnpack of a double (flushing a denormal under FZ, with IDC). */
export function unpack64(x: number, fpscr: number): number {
  if (x !== 0 && x > -MIN_NORMAL_DOUBLE && x < MIN_NORMAL_DOUBLE && (fpscr & FPSCR_FZ) !== 0) {
    fpExceptions.flags |= IDC;
    return x < 0 ? -0 : 0;
  }
  return x;
}

// --- NaN handling (FPProcessNaN, FPProcessNaNs, FPProcessNaNs3) -----------------------------

/** FPProcessNaN for a single NaN: quietened (IOC for a signalling one), or the default NaN under DN. */
export function processNaN32(bits: number, fpscr: number): number {
  if ((bits & 0x00400000) === 0) fpExceptions.flags |= IOC;
  return (fpscr & FPSCR_DN) !== 0 ? DEFAULT_NAN_32 : (bits | 0x00400000) >>> 0;
}

export function processNaN64(x: number, fpscr: number): number {
  const high = doubleHigh(x);
  if ((high & 0x00080000) === 0) fpExceptions.flags |= IOC;
  if ((fpscr & FPSCR_DN) !== 0) return defaultNaN64();
  return doubleFromWords(high | 0x00080000, doubleLow(x));
}

/**
 * FPProcessNaNs: signalling NaNs before quiet ones, the first operand before
 * the second. Returns the result bits, or -1 when neither operand is a NaN.
 */
export function processNaNs32(a: number, b: number, fpscr: number): number {
  if (isSignallingNaN32(a)) return processNaN32(a, fpscr);
  if (isSignallingNaN32(b)) return processNaN32(b, fpscr);
  if (isNaN32(a)) return processNaN32(a, fpscr);
  if (isNaN32(b)) return processNaN32(b, fpscr);
  return -1;
}

/** FPProcessNaNs for doubles; the caller knows at least one operand is a NaN. */
export function processNaNs64(a: number, b: number, fpscr: number): number {
  if (isSignallingNaN64(a)) return processNaN64(a, fpscr);
  if (isSignallingNaN64(b)) return processNaN64(b, fpscr);
  return processNaN64(a !== a ? a : b, fpscr);
}

// --- the operations on values (NaN operands already handled) --------------------------------

function mode(fpscr: number): number {
  return (fpscr >>> RMODE_SHIFT) & 3;
}

/**
 * Directed rounding from the host's round-to-nearest result r of a normal,
 * finite value: the exact value lies between r and its neighbour on the
 * side `direction` (sign of exact − r), so RP/RM/RZ give r or that
 * neighbour. Returns NaN when the neighbour leaves the normal range (an
 * overflow: the caller takes the exact path).
 */
function directed(r: number, direction: number, mode: number, single: boolean): number {
  const towardPlus = mode === RP ? direction > 0 : mode === RM ? false : direction > 0 && r < 0;
  const towardMinus = mode === RM ? direction < 0 : mode === RP ? false : direction < 0 && r > 0;
  if (!towardPlus && !towardMinus) return r;
  // One unit in the last place, away from or towards zero.
  const away = towardPlus === r > 0;
  let next: number;
  if (single) {
    const bits = singleBits(r);
    next = singleValue(away ? bits + 1 : bits - 1);
  } else {
    scratch[0] = r;
    let low = scratchWords[0];
    let high = scratchWords[1];
    if (away) {
      low = (low + 1) >>> 0;
      if (low === 0) high++;
    } else {
      if (low === 0) high--;
      low = (low - 1) >>> 0;
    }
    next = doubleFromWords(high >>> 0, low);
  }
  return next === Infinity || next === -Infinity ? NaN : next;
}

function invalid(): number {
  fpExceptions.flags |= IOC;
  return NaN;
}

/** Significand of finite non-zero x scaled into [1, 2); its exponent is exponentOf(x). */
function significand(x: number, e: number): number {
  return scaleBy(Math.abs(x), -e);
}

/** FPAdd on values (x, y not NaN, already unpacked). Returns NaN for Invalid Operation. */
function addValues(x: number, y: number, fmt: FpFormat, fpscr: number): number {
  if (x === Infinity || x === -Infinity) {
    if (y === -x) return invalid();
    return x;
  }
  if (y === Infinity || y === -Infinity) return y;
  if (x === 0 && y === 0) {
    // Same signs keep theirs; opposite signs give +0, or −0 rounding towards minus infinity.
    if (Object.is(x, y)) return x;
    return mode(fpscr) === RM ? -0 : 0;
  }
  if (x === 0) return y;
  if (y === 0) return x;
  const s = twoSum(x, y);
  const err = errorTerm[0];
  if (fmt === DOUBLE) {
    if (Math.abs(s) > MIN_NORMAL_DOUBLE && Math.abs(s) !== Infinity) {
      if (err === 0) return s;
      const r = mode(fpscr) === RN ? s : directed(s, err, mode(fpscr), false);
      if (r === r) {
        fpExceptions.flags |= IXC;
        return r;
      }
    }
    if (s === 0 && err === 0) return mode(fpscr) === RM ? -0 : 0;
    return roundSum(x, y, fmt, fpscr);
  }
  // Single operands: the double sum is exact unless the exponents are far apart.
  if (err === 0) return roundDouble(s, fmt, fpscr);
  return roundSum(x, y, fmt, fpscr);
}

/** Round the exact sum x + y (both finite, non-zero). */
function roundSum(x: number, y: number, fmt: FpFormat, fpscr: number): number {
  const ex = exponentOf(x);
  const ey = exponentOf(y);
  const big = Math.max(ex, ey);
  // A far smaller operand only decides the direction: replace it by a
  // same-signed stand-in below a quarter of the larger's last place.
  let sx = x;
  let sy = y;
  if (ex < big - 60) sx = x < 0 ? -pow2(big - 60) : pow2(big - 60);
  if (ey < big - 60) sy = y < 0 ? -pow2(big - 60) : pow2(big - 60);
  setExact(big, scaleBy(sx, -big), scaleBy(sy, -big));
  return roundExact(fmt, fpscr);
}

/** Round a double holding the exact result (used for single-precision work done exactly in double). */
function roundDouble(v: number, fmt: FpFormat, fpscr: number): number {
  if (v === 0) return mode(fpscr) === RM ? -0 : 0;
  if (fmt === SINGLE) {
    const r = Math.fround(v);
    const a = Math.abs(r);
    if (Math.abs(v) > MIN_NORMAL_SINGLE && a !== Infinity) {
      if (r === v) return r;
      const d = mode(fpscr) === RN ? r : directed(r, v - r, mode(fpscr), true);
      if (d === d) {
        fpExceptions.flags |= IXC;
        return d;
      }
    }
  }
  const e = exponentOf(v);
  setExact(e, scaleBy(v, -e));
  return roundExact(fmt, fpscr);
}

/** FPMul on values. */
function mulValues(x: number, y: number, fmt: FpFormat, fpscr: number): number {
  const xInf = x === Infinity || x === -Infinity;
  const yInf = y === Infinity || y === -Infinity;
  if (xInf || yInf) {
    if (x === 0 || y === 0) return invalid();
    return (x < 0) !== (y < 0) ? -Infinity : Infinity;
  }
  if (x === 0 || y === 0) return productZeroSign(x, y) ? -0 : 0;
  if (fmt === SINGLE) return roundDouble(x * y, fmt, fpscr); // 24 × 24 bits: exact in double
  const p = x * y;
  if (Math.abs(p) > MIN_NORMAL_DOUBLE && Math.abs(p) !== Infinity) {
    const ex = exponentOf(x);
    const ey = exponentOf(y);
    twoProduct(significand(x, ex), significand(y, ey));
    const err = errorTerm[0]; // of the product of the significands: same sign as exact − p
    if (err === 0) return p;
    const negative = (x < 0) !== (y < 0);
    const r = mode(fpscr) === RN ? p : directed(p, negative ? -err : err, mode(fpscr), false);
    if (r === r) {
      fpExceptions.flags |= IXC;
      return r;
    }
  }
  return roundProduct(x, y, fmt, fpscr);
}

function roundProduct(x: number, y: number, fmt: FpFormat, fpscr: number): number {
  const ex = exponentOf(x);
  const ey = exponentOf(y);
  const negative = (x < 0) !== (y < 0);
  const high = twoProduct(significand(x, ex), significand(y, ey));
  const low = errorTerm[0];
  setExact(ex + ey, negative ? -high : high, negative ? -low : low);
  return roundExact(fmt, fpscr);
}

/** Sign of a zero result of x · y (x or y zero). */
function productZeroSign(x: number, y: number): boolean {
  const nx = x < 0 || Object.is(x, -0);
  const ny = y < 0 || Object.is(y, -0);
  return nx !== ny;
}

/** FPDiv on values. */
function divValues(x: number, y: number, fmt: FpFormat, fpscr: number): number {
  const xInf = x === Infinity || x === -Infinity;
  const yInf = y === Infinity || y === -Infinity;
  const negative = productZeroSign(x, y);
  if ((xInf && yInf) || (x === 0 && y === 0)) return invalid();
  if (xInf || y === 0) {
    if (!xInf) fpExceptions.flags |= DZC; // FPDiv: ∞ / 0 is exact
    return negative ? -Infinity : Infinity;
  }
  if (x === 0 || yInf) return negative ? -0 : 0;
  if (fmt === SINGLE) {
    // Single operands: the double quotient rounded to single is the correctly
    // rounded quotient (53 ≥ 2·24 + 2), and r·y is exact, so x − r·y has the sign of the error.
    const r = Math.fround(x / y);
    const a = Math.abs(r);
    if (a > MIN_NORMAL_SINGLE && a !== Infinity) {
      const rest = x - r * y;
      if (rest === 0) return r;
      const d = mode(fpscr) === RN ? r : directed(r, (y < 0) !== (rest < 0) ? -1 : 1, mode(fpscr), true);
      if (d === d && Math.abs(d) > MIN_NORMAL_SINGLE) {
        fpExceptions.flags |= IXC;
        return d;
      }
    }
  }
  const ex = exponentOf(x);
  const ey = exponentOf(y);
  const mx = significand(x, ex);
  const my = significand(y, ey);
  const q = mx / my; // correctly rounded to 53 bits; never a 53-bit midpoint
  const p = twoProduct(q, my);
  const d = mx - p; // exact (Sterbenz)
  const rest = d > errorTerm[0] ? 1 : d < errorTerm[0] ? -1 : 0; // sign of mx − q·my
  if (fmt === DOUBLE) {
    const r = x / y;
    if (Math.abs(r) > MIN_NORMAL_DOUBLE && Math.abs(r) !== Infinity) {
      if (rest === 0) return r;
      const d = mode(fpscr) === RN ? r : directed(r, negative ? -rest : rest, mode(fpscr), false);
      if (d === d) {
        fpExceptions.flags |= IXC;
        return d;
      }
    }
  }
  // q ± a stand-in far below its last place rounds like the true quotient.
  const s = negative ? -1 : 1;
  setExact(ex - ey, s * q, s * rest * pow2(-64));
  return roundExact(fmt, fpscr);
}

/** FPSqrt on a value. */
function sqrtValue(x: number, fmt: FpFormat, fpscr: number): number {
  if (x === 0 || x === Infinity) return x;
  if (x < 0) return invalid();
  if (fmt === SINGLE) {
    // As for division: the double root rounded to single is correct, and r·r is exact.
    const r = Math.fround(Math.sqrt(x));
    const rest = x - r * r;
    if (rest === 0) return r;
    const d = mode(fpscr) === RN ? r : directed(r, rest, mode(fpscr), true);
    fpExceptions.flags |= IXC;
    return d; // roots of singles are normal and finite
  }
  let e = exponentOf(x);
  if ((e & 1) !== 0) e--;
  const m = scaleBy(x, -e); // [1, 4)
  const r = Math.sqrt(m); // correctly rounded; never a 53-bit midpoint
  const p = twoProduct(r, r);
  const d = m - p;
  const rest = d > errorTerm[0] ? 1 : d < errorTerm[0] ? -1 : 0;
  if (fmt === DOUBLE) {
    // Square roots of doubles are always normal and finite.
    const root = scaleBy(r, e / 2);
    if (rest === 0) return root;
    fpExceptions.flags |= IXC;
    return mode(fpscr) === RN ? root : directed(root, rest, mode(fpscr), false);
  }
  setExact(e / 2, r, rest * pow2(-64));
  return roundExact(fmt, fpscr);
}

/** FPMulAdd on values: addend + x·y rounded once. */
function mulAddValues(addend: number, x: number, y: number, fmt: FpFormat, fpscr: number): number {
  const xInf = x === Infinity || x === -Infinity;
  const yInf = y === Infinity || y === -Infinity;
  const aInf = addend === Infinity || addend === -Infinity;
  const productNegative = productZeroSign(x, y);
  if ((xInf && y === 0) || (yInf && x === 0)) return invalid();
  if (xInf || yInf) {
    const product = productNegative ? -Infinity : Infinity;
    if (aInf && addend !== product) return invalid();
    return product;
  }
  if (aInf) return addend;
  if (x === 0 || y === 0) {
    if (addend !== 0) return addend;
    const addendNegative = Object.is(addend, -0);
    if (addendNegative === productNegative) return addend;
    return mode(fpscr) === RM ? -0 : 0;
  }
  if (addend === 0) return mulValues(x, y, fmt, fpscr);
  if (fmt === SINGLE) {
    // Single operands: x·y is exact in double and TwoSum makes s + e the exact sum.
    const s = twoSum(x * y, addend);
    const e = errorTerm[0];
    if (e === 0) return roundDouble(s, fmt, fpscr);
    const r = Math.fround(s);
    const mirror = s + (s - r);
    // Unless s is halfway between two singles (then e decides), r is the nearest single to s + e.
    if (Math.abs(r) > MIN_NORMAL_SINGLE && Math.abs(r) !== Infinity && (s === r || Math.fround(mirror) !== mirror)) {
      const d = mode(fpscr) === RN ? r : directed(r, s !== r ? s - r : e, mode(fpscr), true);
      if (d === d) {
        fpExceptions.flags |= IXC;
        return d;
      }
    }
  }
  const ex = exponentOf(x);
  const ey = exponentOf(y);
  let high = twoProduct(significand(x, ex), significand(y, ey));
  let low = errorTerm[0];
  if (productNegative) {
    high = -high;
    low = -low;
  }
  const scale = ex + ey;
  const productExponent = exponentOf(high) + scale;
  const addendExponent = exponentOf(addend);
  const gap = addendExponent - productExponent;
  if (gap > 110) {
    // The product only decides the direction below the addend's last place.
    setExact(addendExponent, scaleBy(addend, -addendExponent), productNegative ? -pow2(-120) : pow2(-120));
  } else if (gap < -110) {
    setExact(scale, high, low, addend < 0 ? -pow2(-130) : pow2(-130));
  } else {
    setExact(scale, high, low, scaleBy(addend, -scale));
  }
  return roundExact(fmt, fpscr);
}

// --- single precision (bit patterns) ----------------------------------------------------

/** Result bits of a single-precision value computed by the operations above (NaN: the default NaN). */
function toSingle(v: number): number {
  if (v !== v) return DEFAULT_NAN_32;
  return singleBits(v);
}

export function fpAdd32(a: number, b: number, fpscr: number): number {
  const x = unpack32(a, fpscr);
  const y = unpack32(b, fpscr);
  const nan = processNaNs32(a, b, fpscr);
  if (nan >= 0) return nan;
  return toSingle(addValues(x, y, SINGLE, fpscr));
}

export function fpSub32(a: number, b: number, fpscr: number): number {
  const x = unpack32(a, fpscr);
  const y = unpack32(b, fpscr);
  const nan = processNaNs32(a, b, fpscr);
  if (nan >= 0) return nan;
  return toSingle(addValues(x, -y, SINGLE, fpscr));
}

export function fpMul32(a: number, b: number, fpscr: number): number {
  const x = unpack32(a, fpscr);
  const y = unpack32(b, fpscr);
  const nan = processNaNs32(a, b, fpscr);
  if (nan >= 0) return nan;
  return toSingle(mulValues(x, y, SINGLE, fpscr));
}

export function fpDiv32(a: number, b: number, fpscr: number): number {
  const x = unpack32(a, fpscr);
  const y = unpack32(b, fpscr);
  const nan = processNaNs32(a, b, fpscr);
  if (nan >= 0) return nan;
  return toSingle(divValues(x, y, SINGLE, fpscr));
}

export function fpSqrt32(a: number, fpscr: number): number {
  const x = unpack32(a, fpscr);
  if (isNaN32(a)) return processNaN32(a, fpscr);
  return toSingle(sqrtValue(x, SINGLE, fpscr));
}

/**
 * FPMulAdd (VFPv4 fused): addend + op1·op2 with one rounding. NaNs: the
 * addend counts as the first operand; a quiet NaN addend with 0 × ∞ gives
 * the default NaN and Invalid Operation.
 */
export function fpMulAdd32(addend: number, a: number, b: number, fpscr: number): number {
  const z = unpack32(addend, fpscr);
  const x = unpack32(a, fpscr);
  const y = unpack32(b, fpscr);
  if (isNaN32(addend) || isNaN32(a) || isNaN32(b)) {
    let nan: number;
    if (isSignallingNaN32(addend)) nan = processNaN32(addend, fpscr);
    else if (isSignallingNaN32(a)) nan = processNaN32(a, fpscr);
    else if (isSignallingNaN32(b)) nan = processNaN32(b, fpscr);
    else nan = processNaN32(isNaN32(addend) ? addend : isNaN32(a) ? a : b, fpscr);
    if (isNaN32(addend) && !isSignallingNaN32(addend) && infTimesZero(x, y, a, b)) {
      fpExceptions.flags |= IOC;
      return DEFAULT_NAN_32;
    }
    return nan;
  }
  return toSingle(mulAddValues(z, x, y, SINGLE, fpscr));
}

function infTimesZero(x: number, y: number, a: number, b: number): boolean {
  if (isNaN32(a) || isNaN32(b)) return false;
  return (Math.abs(x) === Infinity && y === 0) || (x === 0 && Math.abs(y) === Infinity);
}

/** FPCompare: NZCV (bits 3:0) of op1 vs op2; IOC for signalling NaNs, or any NaN when `quietNaNExc` (VCMPE). */
export function fpCompare32(a: number, b: number, quietNaNExc: boolean, fpscr: number): number {
  const x = unpack32(a, fpscr);
  const y = unpack32(b, fpscr);
  if (isNaN32(a) || isNaN32(b)) {
    if (quietNaNExc || isSignallingNaN32(a) || isSignallingNaN32(b)) fpExceptions.flags |= IOC;
    return 0b0011;
  }
  return compareValues(x, y);
}

function compareValues(x: number, y: number): number {
  if (x === y) return 0b0110;
  return x < y ? 0b1000 : 0b0010;
}

export function fpNeg32(a: number): number {
  return (a ^ 0x80000000) >>> 0;
}

export function fpAbs32(a: number): number {
  return (a & 0x7fffffff) >>> 0;
}

// --- double precision (JS numbers) --------------------------------------------------------

function toDouble(v: number): number {
  return v !== v ? defaultNaN64() : v;
}

export function fpAdd64(a: number, b: number, fpscr: number): number {
  const x = unpack64(a, fpscr);
  const y = unpack64(b, fpscr);
  if (a !== a || b !== b) return processNaNs64(a, b, fpscr);
  return toDouble(addValues(x, y, DOUBLE, fpscr));
}

export function fpSub64(a: number, b: number, fpscr: number): number {
  const x = unpack64(a, fpscr);
  const y = unpack64(b, fpscr);
  if (a !== a || b !== b) return processNaNs64(a, b, fpscr);
  return toDouble(addValues(x, -y, DOUBLE, fpscr));
}

export function fpMul64(a: number, b: number, fpscr: number): number {
  const x = unpack64(a, fpscr);
  const y = unpack64(b, fpscr);
  if (a !== a || b !== b) return processNaNs64(a, b, fpscr);
  return toDouble(mulValues(x, y, DOUBLE, fpscr));
}

export function fpDiv64(a: number, b: number, fpscr: number): number {
  const x = unpack64(a, fpscr);
  const y = unpack64(b, fpscr);
  if (a !== a || b !== b) return processNaNs64(a, b, fpscr);
  return toDouble(divValues(x, y, DOUBLE, fpscr));
}

export function fpSqrt64(a: number, fpscr: number): number {
  const x = unpack64(a, fpscr);
  if (a !== a) return processNaN64(a, fpscr);
  return toDouble(sqrtValue(x, DOUBLE, fpscr));
}

export function fpMulAdd64(addend: number, a: number, b: number, fpscr: number): number {
  const z = unpack64(addend, fpscr);
  const x = unpack64(a, fpscr);
  const y = unpack64(b, fpscr);
  if (addend !== addend || a !== a || b !== b) {
    let nan: number;
    if (isSignallingNaN64(addend)) nan = processNaN64(addend, fpscr);
    else if (isSignallingNaN64(a)) nan = processNaN64(a, fpscr);
    else if (isSignallingNaN64(b)) nan = processNaN64(b, fpscr);
    else nan = processNaN64(addend !== addend ? addend : a !== a ? a : b, fpscr);
    if (addend !== addend && !isSignallingNaN64(addend) && a === a && b === b &&
        ((Math.abs(x) === Infinity && y === 0) || (x === 0 && Math.abs(y) === Infinity))) {
      fpExceptions.flags |= IOC;
      return defaultNaN64();
    }
    return nan;
  }
  return toDouble(mulAddValues(z, x, y, DOUBLE, fpscr));
}

export function fpCompare64(a: number, b: number, quietNaNExc: boolean, fpscr: number): number {
  const x = unpack64(a, fpscr);
  const y = unpack64(b, fpscr);
  if (a !== a || b !== b) {
    if (quietNaNExc || isSignallingNaN64(a) || isSignallingNaN64(b)) fpExceptions.flags |= IOC;
    return 0b0011;
  }
  return compareValues(x, y);
}

export function fpNeg64(a: number): number {
  return doubleFromWords((doubleHigh(a) ^ 0x80000000) >>> 0, doubleLow(a));
}

export function fpAbs64(a: number): number {
  return doubleFromWords((doubleHigh(a) & 0x7fffffff) >>> 0, doubleLow(a));
}

/** Internal value-level operations, for conversions and tests. */
export const fpValues = { roundDouble, mode: (fpscr: number) => mode(fpscr) };
