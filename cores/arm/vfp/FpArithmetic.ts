import {
  DOUBLE,
  DZC,
  FPSCR_DN,
  FPSCR_FZ,
  IDC,
  IOC,
  IXC,
  OFC,
  UFC,
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
  rounded,
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
 * API (stable), two layers:
 * - Register-level, for the instruction handlers (no allocation: operands
 *   and results stay in typed arrays, only small integers cross calls):
 *   fpBinary32/64(regs, d, n, m, op, fpscr) with op FP_ADD/FP_SUB/FP_MUL/
 *   FP_DIV, fpSqrt32At/64At(regs, d, m, fpscr), fpMulAccumulate32/64 (VMLA
 *   family, two roundings), fpMulAdd32At/64At (fused, one rounding),
 *   fpCompare32At/64At (NZCV). `regs` is the register file's Int32Array
 *   (singles, word index) or Float64Array (doubles, D index).
 * - Value-level, for Advanced SIMD lanes and tests: single precision
 *   operands and results are raw bit patterns (uint32 as a JS number);
 *   double precision ones are JS numbers whose bits are the register's
 *   (NaN payloads survive Float64Array loads and stores in V8).
 * - Every operation takes the FPSCR value, which supplies RMode, FZ, DN and
 *   AHP (hot code passes only those bits, fpscr & 0x07c00000, so that the
 *   argument stays a small integer), and ORs the cumulative exception bits
 *   it raises (IOC DZC OFC UFC IXC IDC, at their FPSCR positions) into
 *   `fpExceptions.flags`. Callers clear that, run the operation, then OR it
 *   into FPSCR.
 * - Also exported for Advanced SIMD: unpack32/64 (FPUnpack), processNaN(s)32/64
 *   (FPProcessNaN(s)), the bit helpers, DEFAULT_NAN_32.
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
 * can arise. Only the exact path (results near overflow or in the
 * subnormal range, double fused results whose tail is near half an ulp)
 * allocates, a few heap numbers.
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

/** FPUnpack of the single at regs[i] into an operand cell (bits never leave the typed arrays). */
function unpack32From(regs: Int32Array, i: number, fpscr: number, slot: number): void {
  const bits = regs[i];
  if ((bits & 0x7f800000) === 0 && (bits & 0x007fffff) !== 0 && (fpscr & FPSCR_FZ) !== 0) {
    fpExceptions.flags |= IDC;
    cell[slot] = bits < 0 ? -0 : 0;
    return;
  }
  singleWord[0] = bits;
  cell[slot] = single[0];
}

/** Whether an int32 bit pattern is a single-precision NaN. */
function nanBits(bits: number): boolean {
  return (bits & 0x7fffffff) > 0x7f800000;
}

/** FPUnpack of the double in an operand cell, in place. */
function unpack64In(slot: number, fpscr: number): void {
  const x = cell[slot];
  if (x !== 0 && x > -MIN_NORMAL_DOUBLE && x < MIN_NORMAL_DOUBLE && (fpscr & FPSCR_FZ) !== 0) {
    fpExceptions.flags |= IDC;
    cell[slot] = x < 0 ? -0 : 0;
  }
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
//
// Operands and the result travel through the `cell` typed array, never as
// arguments or return values: V8 boxes a double that crosses a call it did
// not inline, and these functions are too large to be sure of inlining.

/** Operand and result cells: X and Y the operands (for fused forms X·Y + Z), R the result. */
const cell = new Float64Array(4);
const cellWords = new Uint32Array(cell.buffer);
const X = 0;
const Y = 1;
const Z = 2;
const R = 3;

function mode(fpscr: number): number {
  return (fpscr >>> RMODE_SHIFT) & 3;
}

/**
 * Directed rounding from the host's round-to-nearest result in cell R (a
 * normal, finite value): the exact value lies between it and its neighbour
 * on the side `direction` (sign of exact − result), so RP/RM/RZ give it or
 * that neighbour. Returns false, leaving R unusable, when the neighbour is
 * infinite (an overflow: the caller takes the exact path).
 */
function directed(direction: number, mode: number, single: boolean): boolean {
  const r = cell[R];
  const towardPlus = mode === RP ? direction > 0 : mode === RM ? false : direction > 0 && r < 0;
  const towardMinus = mode === RM ? direction < 0 : mode === RP ? false : direction < 0 && r > 0;
  if (!towardPlus && !towardMinus) return true;
  // One unit in the last place, away from or towards zero.
  const away = towardPlus === r > 0;
  if (single) {
    single32[0] = r;
    singleWord32[0] = away ? singleWord32[0] + 1 : singleWord32[0] - 1;
    cell[R] = single32[0];
  } else if (away) {
    const low = cellWords[2 * R];
    cellWords[2 * R] = low + 1;
    if (low === 0xffffffff) cellWords[2 * R + 1]++;
  } else {
    const low = cellWords[2 * R];
    cellWords[2 * R] = low - 1;
    if (low === 0) cellWords[2 * R + 1]--;
  }
  const next = cell[R];
  return next !== Infinity && next !== -Infinity;
}

const single32 = new Float32Array(1);
const singleWord32 = new Uint32Array(single32.buffer);

function invalid(): void {
  fpExceptions.flags |= IOC;
  cell[R] = NaN;
}

/** Significand of finite non-zero x scaled into [1, 2); its exponent is exponentOf(x). */
function significand(x: number, e: number): number {
  return scaleBy(Math.abs(x), -e);
}

/** Take the exact path: round what setExact() holds into R. */
function roundExactToCell(fmt: FpFormat, fpscr: number): void {
  roundExact(fmt, fpscr);
  cell[R] = rounded[0];
}

/** FPAdd on cells X, Y (not NaN, already unpacked) into R; NaN in R for Invalid Operation. */
function addValues(fmt: FpFormat, fpscr: number): void {
  const x = cell[X];
  const y = cell[Y];
  if (x === Infinity || x === -Infinity) {
    if (y === -x) return invalid();
    cell[R] = x;
    return;
  }
  if (y === Infinity || y === -Infinity) {
    cell[R] = y;
    return;
  }
  if (x === 0 && y === 0) {
    // Same signs keep theirs; opposite signs give +0, or −0 rounding towards minus infinity.
    cell[R] = Object.is(x, y) ? x : mode(fpscr) === RM ? -0 : 0;
    return;
  }
  if (x === 0 || y === 0) {
    cell[R] = x === 0 ? y : x;
    return;
  }
  // TwoSum (Knuth): s + err is x + y exactly.
  const s = x + y;
  const bb = s - x;
  const err = x - (s - bb) + (y - bb);
  if (fmt === DOUBLE) {
    if (Math.abs(s) > MIN_NORMAL_DOUBLE && Math.abs(s) !== Infinity) {
      cell[R] = s;
      if (err === 0) return;
      if (mode(fpscr) === RN || directed(err > 0 ? 1 : -1, mode(fpscr), false)) {
        fpExceptions.flags |= IXC;
        return;
      }
    }
    if (s === 0 && err === 0) {
      cell[R] = mode(fpscr) === RM ? -0 : 0;
      return;
    }
    return roundSum(x, y, fmt, fpscr);
  }
  // Single operands: the double sum is exact unless the exponents are far apart.
  cell[R] = s;
  if (err === 0) return roundDouble(fmt, fpscr);
  pairLow[0] = err;
  if (roundPairToSingle(fpscr)) return;
  return roundSum(x, y, fmt, fpscr);
}

/** The low part of an exact double-double value whose high part is in R. */
const pairLow = new Float64Array(1);

/**
 * Round the exact value R + pairLow[0] (R = its round-to-nearest double,
 * pairLow[0] ≠ 0) to single precision in R, when that can be done from R:
 * unless R is halfway between two singles (then the low part decides), the
 * single nearest R is the one nearest the exact value, and the exact value
 * lies on the same side of it as R (or as the low part when R is a single).
 * Returns false, R unchanged, for the exact path (a tie, or a result that
 * is tiny or overflows).
 */
function roundPairToSingle(fpscr: number): boolean {
  const s = cell[R];
  const r = Math.fround(s);
  const mirror = s + (s - r);
  if (Math.abs(r) <= MIN_NORMAL_SINGLE || Math.abs(r) === Infinity || (s !== r && Math.fround(mirror) === mirror)) return false;
  cell[R] = r;
  const above = s !== r ? s > r : pairLow[0] > 0;
  if (mode(fpscr) === RN || directed(above ? 1 : -1, mode(fpscr), true)) {
    fpExceptions.flags |= IXC;
    return true;
  }
  cell[R] = s;
  return false;
}

/** Round the exact sum x + y (both finite, non-zero) into R. */
function roundSum(x: number, y: number, fmt: FpFormat, fpscr: number): void {
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
  roundExactToCell(fmt, fpscr);
}

/** Round R, a double holding an exact result (single-precision work done exactly in double), to `fmt`. */
function roundDouble(fmt: FpFormat, fpscr: number): void {
  const v = cell[R];
  if (v === 0) {
    cell[R] = mode(fpscr) === RM ? -0 : 0;
    return;
  }
  if (fmt === SINGLE) {
    const r = Math.fround(v);
    if (Math.abs(v) > MIN_NORMAL_SINGLE && Math.abs(r) !== Infinity) {
      if (r === v) return;
      cell[R] = r;
      if (mode(fpscr) === RN || directed(v > r ? 1 : -1, mode(fpscr), true)) {
        fpExceptions.flags |= IXC;
        return;
      }
    }
  }
  const biased = (cellWords[2 * R + 1] >>> 20) & 0x7ff;
  if (biased === 0) {
    // A subnormal double (only from exact single work far below single's range): the general path.
    const e = exponentOf(v);
    setExact(e, scaleBy(v, -e));
    return roundExactToCell(fmt, fpscr);
  }
  roundNormalDouble(biased - 1023, fmt, fpscr);
}

/**
 * FPRound of the normal double in R (exponent e) to a narrower format,
 * with integer arithmetic on its scaled significand: every step is exact
 * because R has at most 53 significant bits.
 */
function roundNormalDouble(e: number, fmt: FpFormat, fpscr: number): void {
  const v = cell[R];
  const negative = v < 0;
  const tiny = e < fmt.emin;
  if (tiny && fmt.flushable && (fpscr & FPSCR_FZ) !== 0) {
    fpExceptions.flags |= UFC;
    cell[R] = negative ? -0 : 0;
    return;
  }
  const rmode = mode(fpscr);
  if (e > fmt.emax) return overflowTo(fmt, rmode, negative);
  const grid = (e > fmt.emin ? e : fmt.emin) - (fmt.precision - 1);
  const scaled = Math.abs(v) * pow2(-grid); // exact: a power-of-two scaling of a normal double
  let units = Math.floor(scaled);
  const fraction = scaled - units;
  if (fraction !== 0) {
    let up: boolean;
    if (rmode === RN) up = fraction > 0.5 || (fraction === 0.5 && units % 2 === 1);
    else up = (rmode === RP && !negative) || (rmode === RM && negative);
    if (up) units++;
    fpExceptions.flags |= tiny ? UFC | IXC : IXC;
  }
  if (units === pow2(fmt.precision) && grid + fmt.precision > fmt.emax) return overflowTo(fmt, rmode, negative);
  const magnitude = units * pow2(grid);
  cell[R] = negative ? -magnitude : magnitude;
}

/** FPRound's overflow: infinity or the largest finite number by mode (AHP: saturate, Invalid Operation). */
function overflowTo(fmt: FpFormat, rmode: number, negative: boolean): void {
  let magnitude: number;
  if (fmt.saturates) {
    fpExceptions.flags |= IOC;
    magnitude = fmt.max;
  } else {
    fpExceptions.flags |= OFC | IXC;
    const toInfinity = rmode === RN || (rmode === RP && !negative) || (rmode === RM && negative);
    magnitude = toInfinity ? Infinity : fmt.max;
  }
  cell[R] = negative ? -magnitude : magnitude;
}

/** Sign of X · Y (for zero or infinite results): the XOR of the cells' sign bits. */
function productNegative(): boolean {
  return ((cellWords[2 * X + 1] ^ cellWords[2 * Y + 1]) & 0x80000000) !== 0;
}

/** FPMul on cells X, Y into R. */
function mulValues(fmt: FpFormat, fpscr: number): void {
  const x = cell[X];
  const y = cell[Y];
  const xInf = x === Infinity || x === -Infinity;
  const yInf = y === Infinity || y === -Infinity;
  if (xInf || yInf) {
    if (x === 0 || y === 0) return invalid();
    cell[R] = (x < 0) !== (y < 0) ? -Infinity : Infinity;
    return;
  }
  if (x === 0 || y === 0) {
    cell[R] = productNegative() ? -0 : 0;
    return;
  }
  const p = x * y;
  cell[R] = p;
  if (fmt === SINGLE) return roundDouble(fmt, fpscr); // 24 × 24 bits: exact in double
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const ap = Math.abs(p);
  if (ap > PRODUCT_ERROR_NORMAL && ap !== Infinity && ax < SPLIT_LIMIT && ay < SPLIT_LIMIT) {
    // Dekker's TwoProduct: p + err is x · y exactly (no overflow in the split, err normal).
    let t = SPLITTER * x;
    const xh = t - (t - x);
    const xl = x - xh;
    t = SPLITTER * y;
    const yh = t - (t - y);
    const yl = y - yh;
    const err = xl * yl - (p - xh * yh - xl * yh - xh * yl);
    if (err === 0) return;
    if (mode(fpscr) === RN || directed(err > 0 ? 1 : -1, mode(fpscr), false)) {
      fpExceptions.flags |= IXC;
      return;
    }
  }
  roundProduct(x, y, fmt, fpscr);
}

const SPLITTER = 134217729; // 2^27 + 1
const SPLIT_LIMIT = pow2(995);
/** Above this the product's error term is a normal double (Dekker's algorithm is then exact). */
const PRODUCT_ERROR_NORMAL = pow2(-968);

function roundProduct(x: number, y: number, fmt: FpFormat, fpscr: number): void {
  const ex = exponentOf(x);
  const ey = exponentOf(y);
  const negative = (x < 0) !== (y < 0);
  const high = twoProduct(significand(x, ex), significand(y, ey));
  const low = errorTerm[0];
  setExact(ex + ey, negative ? -high : high, negative ? -low : low);
  roundExactToCell(fmt, fpscr);
}

/** FPDiv on cells X, Y into R. */
function divValues(fmt: FpFormat, fpscr: number): void {
  const x = cell[X];
  const y = cell[Y];
  const xInf = x === Infinity || x === -Infinity;
  const yInf = y === Infinity || y === -Infinity;
  const negative = productNegative();
  if ((xInf && yInf) || (x === 0 && y === 0)) return invalid();
  if (xInf || y === 0) {
    if (!xInf) fpExceptions.flags |= DZC; // FPDiv: ∞ / 0 is exact
    cell[R] = negative ? -Infinity : Infinity;
    return;
  }
  if (x === 0 || yInf) {
    cell[R] = negative ? -0 : 0;
    return;
  }
  if (fmt === SINGLE) {
    // Single operands: the double quotient rounded to single is the correctly
    // rounded quotient (53 ≥ 2·24 + 2), and r·y is exact, so x − r·y has the sign of the error.
    const r = Math.fround(x / y);
    const a = Math.abs(r);
    if (a > MIN_NORMAL_SINGLE && a !== Infinity) {
      const rest = x - r * y;
      cell[R] = r;
      if (rest === 0) return;
      if (mode(fpscr) === RN || (directed((y < 0) !== (rest < 0) ? -1 : 1, mode(fpscr), true) && Math.abs(cell[R]) > MIN_NORMAL_SINGLE)) {
        fpExceptions.flags |= IXC;
        return;
      }
    }
  }
  if (fmt === DOUBLE) {
    const r = x / y;
    const ar = Math.abs(r);
    const ay = Math.abs(y);
    if (ar > MIN_NORMAL_DOUBLE && ar < SPLIT_LIMIT && ay < SPLIT_LIMIT && Math.abs(x) > PRODUCT_ERROR_NORMAL) {
      // Dekker's TwoProduct of r and y (inline: no double crosses a call), then
      // x − r·y = (x − p) − err exactly, x − p by Sterbenz.
      const p = r * y;
      let t = SPLITTER * r;
      const rh = t - (t - r);
      const rl = r - rh;
      t = SPLITTER * y;
      const yh = t - (t - y);
      const yl = y - yh;
      const err = rl * yl - (p - rh * yh - rl * yh - rh * yl);
      const diff = x - p;
      cell[R] = r;
      if (diff === err) return;
      // The quotient is above r when the remainder has the divisor's sign.
      const above = diff > err === y > 0;
      if (mode(fpscr) === RN || directed(above ? 1 : -1, mode(fpscr), false)) {
        fpExceptions.flags |= IXC;
        return;
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
  const low = errorTerm[0];
  const rest = d > low ? 1 : d < low ? -1 : 0; // sign of mx − q·my
  if (fmt === DOUBLE) {
    const r = x / y;
    if (Math.abs(r) > MIN_NORMAL_DOUBLE && Math.abs(r) !== Infinity) {
      cell[R] = r;
      if (rest === 0) return;
      if (mode(fpscr) === RN || directed(negative ? -rest : rest, mode(fpscr), false)) {
        fpExceptions.flags |= IXC;
        return;
      }
    }
  }
  // q ± a stand-in far below its last place rounds like the true quotient.
  const s = negative ? -1 : 1;
  setExact(ex - ey, s * q, s * rest * pow2(-64));
  roundExactToCell(fmt, fpscr);
}

/** FPSqrt on cell X into R. */
function sqrtValue(fmt: FpFormat, fpscr: number): void {
  const x = cell[X];
  if (x === 0 || x === Infinity) {
    cell[R] = x;
    return;
  }
  if (x < 0) return invalid();
  if (fmt === SINGLE) {
    // As for division: the double root rounded to single is correct, and r·r is exact.
    const r = Math.fround(Math.sqrt(x));
    const rest = x - r * r;
    cell[R] = r;
    if (rest === 0) return;
    fpExceptions.flags |= IXC;
    if (mode(fpscr) !== RN) directed(rest > 0 ? 1 : -1, mode(fpscr), true); // roots of singles are normal and finite
    return;
  }
  if (x > PRODUCT_ERROR_NORMAL && x < SPLIT_LIMIT) {
    // r = √x rounded; x − r² = (x − p) − err exactly (TwoProduct inline).
    const r = Math.sqrt(x);
    const p = r * r;
    const t = SPLITTER * r;
    const rh = t - (t - r);
    const rl = r - rh;
    const err = rl * rl - (p - rh * rh - 2 * rl * rh);
    const diff = x - p;
    cell[R] = r;
    if (diff === err) return;
    fpExceptions.flags |= IXC;
    if (mode(fpscr) !== RN) directed(diff > err ? 1 : -1, mode(fpscr), false);
    return;
  }
  let e = exponentOf(x);
  if ((e & 1) !== 0) e--;
  const m = scaleBy(x, -e); // [1, 4)
  const r = Math.sqrt(m); // correctly rounded; never a 53-bit midpoint
  const p = twoProduct(r, r);
  const d = m - p;
  const low = errorTerm[0];
  const rest = d > low ? 1 : d < low ? -1 : 0;
  // Square roots of doubles are always normal and finite.
  cell[R] = scaleBy(r, e / 2);
  if (rest === 0) return;
  fpExceptions.flags |= IXC;
  if (mode(fpscr) !== RN) directed(rest, mode(fpscr), false);
}

/** FPMulAdd on cells: Z + X·Y rounded once, into R. */
function mulAddValues(fmt: FpFormat, fpscr: number): void {
  const addend = cell[Z];
  const x = cell[X];
  const y = cell[Y];
  const xInf = x === Infinity || x === -Infinity;
  const yInf = y === Infinity || y === -Infinity;
  const aInf = addend === Infinity || addend === -Infinity;
  const negativeProduct = productNegative();
  if ((xInf && y === 0) || (yInf && x === 0)) return invalid();
  if (xInf || yInf) {
    const product = negativeProduct ? -Infinity : Infinity;
    if (aInf && addend !== product) return invalid();
    cell[R] = product;
    return;
  }
  if (aInf) {
    cell[R] = addend;
    return;
  }
  if (x === 0 || y === 0) {
    if (addend !== 0 || Object.is(addend, -0) === negativeProduct) cell[R] = addend;
    else cell[R] = mode(fpscr) === RM ? -0 : 0;
    return;
  }
  if (addend === 0) return mulValues(fmt, fpscr);
  if (fmt === SINGLE) {
    // Single operands: x·y is exact in double and TwoSum makes s + e the exact sum.
    const p = x * y;
    const s = p + addend;
    const bb = s - p;
    const e = p - (s - bb) + (addend - bb);
    cell[R] = s;
    if (e === 0) return roundDouble(fmt, fpscr);
    pairLow[0] = e;
    if (roundPairToSingle(fpscr)) return;
  }
  if (fmt === DOUBLE && Math.abs(x) < SPLIT_LIMIT && Math.abs(y) < SPLIT_LIMIT) {
    const p = x * y;
    if (Math.abs(p) > PRODUCT_ERROR_NORMAL && Math.abs(addend) < SPLIT_LIMIT) {
      // Exact value = p + pe + addend (Dekker, inline), summed error-free:
      // s + e1 = p + addend, t + e2 = e1 + pe, u + e3 = s + t; exact = u + e3 + e2.
      let h = SPLITTER * x;
      const xh = h - (h - x);
      const xl = x - xh;
      h = SPLITTER * y;
      const yh = h - (h - y);
      const yl = y - yh;
      const pe = xl * yl - (p - xh * yh - xl * yh - xh * yl);
      const s = p + addend;
      let bb = s - p;
      const e1 = p - (s - bb) + (addend - bb);
      const t = e1 + pe;
      bb = t - e1;
      const e2 = e1 - (t - bb) + (pe - bb);
      const u = s + t;
      bb = u - s;
      const e3 = s - (u - bb) + (t - bb);
      const w = e3 + e2; // the tail, with its exact sign
      cell[R] = u;
      const biased = (cellWords[2 * R + 1] >>> 20) & 0x7ff;
      // u is the nearest double when the tail is clearly under half its last place.
      if (biased > 1 && biased < 0x7fe && Math.abs(w) < pow2(biased - 1023 - 54) * 0.999) {
        if (w === 0) return;
        if (mode(fpscr) === RN || directed(w > 0 ? 1 : -1, mode(fpscr), false)) {
          fpExceptions.flags |= IXC;
          return;
        }
      }
    }
  }
  const ex = exponentOf(x);
  const ey = exponentOf(y);
  let high = twoProduct(significand(x, ex), significand(y, ey));
  let low = errorTerm[0];
  if (negativeProduct) {
    high = -high;
    low = -low;
  }
  const scale = ex + ey;
  const productExponent = exponentOf(high) + scale;
  const addendExponent = exponentOf(addend);
  const gap = addendExponent - productExponent;
  if (gap > 110) {
    // The product only decides the direction below the addend's last place.
    setExact(addendExponent, scaleBy(addend, -addendExponent), negativeProduct ? -pow2(-120) : pow2(-120));
  } else if (gap < -110) {
    setExact(scale, high, low, addend < 0 ? -pow2(-130) : pow2(-130));
  } else {
    setExact(scale, high, low, scaleBy(addend, -scale));
  }
  roundExactToCell(fmt, fpscr);
}

/**
 * For FpConversions.ts: the result cell, and rounding of the exact double
 * in it to `fmt` (FPSCR's RMode and FZ) in place.
 */
export const fpResultCell = cell.subarray(R, R + 1);
export const fpResultWords = cellWords.subarray(2 * R, 2 * R + 2);
export function roundResultCell(fmt: FpFormat, fpscr: number): void {
  roundDouble(fmt, fpscr);
}

// --- single precision (bit patterns) ----------------------------------------------------

/** Store the single-precision value in R as bits at regs[d] (NaN: the default NaN). */
function storeSingle(regs: Int32Array, d: number): void {
  const v = cell[R];
  if (v !== v) regs[d] = DEFAULT_NAN_32;
  else {
    single32[0] = v;
    regs[d] = singleWord32[0];
  }
}

const enum Op {
  Add,
  Sub,
  Mul,
  Div,
}

/** Whether cells X and Y are 0 and ∞ in either order. */
function infinityTimesZero(): boolean {
  const x = cell[X];
  const y = cell[Y];
  return (Math.abs(x) === Infinity && y === 0) || (x === 0 && Math.abs(y) === Infinity);
}

// --- register-level operations -------------------------------------------------------------

export const FP_ADD = Op.Add;
export const FP_SUB = Op.Sub;
export const FP_MUL = Op.Mul;
export const FP_DIV = Op.Div;

/** S[d] = S[n] op S[m] on the register file's words (FPAdd, FPSub, FPMul, FPDiv). */
export function fpBinary32(regs: Int32Array, d: number, n: number, m: number, op: number, fpscr: number): void {
  unpack32From(regs, n, fpscr, X);
  unpack32From(regs, m, fpscr, Y);
  if (nanBits(regs[n]) || nanBits(regs[m])) {
    regs[d] = processNaNs32(regs[n] >>> 0, regs[m] >>> 0, fpscr);
    return;
  }
  switch (op) {
    case Op.Add: addValues(SINGLE, fpscr); break;
    case Op.Sub: cell[Y] = -cell[Y]; addValues(SINGLE, fpscr); break;
    case Op.Mul: mulValues(SINGLE, fpscr); break;
    default: divValues(SINGLE, fpscr); break;
  }
  storeSingle(regs, d);
}

/** D[d] = D[n] op D[m]. */
export function fpBinary64(regs: Float64Array, d: number, n: number, m: number, op: number, fpscr: number): void {
  cell[X] = regs[n];
  cell[Y] = regs[m];
  unpack64In(X, fpscr);
  unpack64In(Y, fpscr);
  if (cell[X] !== cell[X] || cell[Y] !== cell[Y]) processNaNs64Cells(X, Y, fpscr);
  else {
    switch (op) {
      case Op.Add: addValues(DOUBLE, fpscr); break;
      case Op.Sub: cell[Y] = -cell[Y]; addValues(DOUBLE, fpscr); break;
      case Op.Mul: mulValues(DOUBLE, fpscr); break;
      default: divValues(DOUBLE, fpscr); break;
    }
    if (cell[R] !== cell[R]) setDefaultNaN64();
  }
  regs[d] = cell[R];
}

export function fpSqrt32At(regs: Int32Array, d: number, m: number, fpscr: number): void {
  unpack32From(regs, m, fpscr, X);
  if (nanBits(regs[m])) {
    regs[d] = processNaN32(regs[m] >>> 0, fpscr);
    return;
  }
  sqrtValue(SINGLE, fpscr);
  storeSingle(regs, d);
}

export function fpSqrt64At(regs: Float64Array, d: number, m: number, fpscr: number): void {
  cell[X] = regs[m];
  unpack64In(X, fpscr);
  if (cell[X] !== cell[X]) processNaN64Cell(X, fpscr);
  else {
    sqrtValue(DOUBLE, fpscr);
    if (cell[R] !== cell[R]) setDefaultNaN64();
  }
  regs[d] = cell[R];
}

const SIGN = 0x80000000 | 0;

/**
 * VMLA, VMLS, VNMLA, VNMLS (A8.8.337, A8.8.343): product = FPMul(S[n], S[m]),
 * then S[d] = FPAdd(d', p') with d' = FPNeg(S[d]) when `negateD` and
 * p' = FPNeg(product) when `negateProduct` (a NaN's sign flips too).
 */
export function fpMulAccumulate32(regs: Int32Array, d: number, n: number, m: number, negateD: boolean, negateProduct: boolean, fpscr: number): void {
  temp32[1] = regs[n];
  temp32[2] = regs[m];
  fpBinary32(temp32, 0, 1, 2, Op.Mul, fpscr);
  if (negateProduct) temp32[0] ^= SIGN;
  temp32[3] = negateD ? regs[d] ^ SIGN : regs[d];
  fpBinary32(temp32, 4, 3, 0, Op.Add, fpscr);
  regs[d] = temp32[4];
}

export function fpMulAccumulate64(regs: Float64Array, d: number, n: number, m: number, negateD: boolean, negateProduct: boolean, fpscr: number): void {
  temp64[1] = regs[n];
  temp64[2] = regs[m];
  fpBinary64(temp64, 0, 1, 2, Op.Mul, fpscr);
  if (negateProduct) temp64Words[1] ^= SIGN;
  temp64[3] = regs[d];
  if (negateD) temp64Words[7] ^= SIGN;
  fpBinary64(temp64, 4, 3, 0, Op.Add, fpscr);
  regs[d] = temp64[4];
}

const temp32 = new Int32Array(8);
const fusedResult = new Int32Array(1);
const fusedOperands = new Int32Array(3);
const temp64 = new Float64Array(8);
const temp64Words = new Int32Array(temp64.buffer);

/**
 * VFMA, VFMS, VFNMA, VFNMS (A8.8.317–318): S[d] = FPMulAdd(d', n', S[m])
 * with d' = FPNeg(S[d]) when `negateD`, n' = FPNeg(S[n]) when `negateN`.
 */
export function fpMulAdd32At(regs: Int32Array, d: number, n: number, m: number, negateD: boolean, negateN: boolean, fpscr: number): void {
  fusedOperands[0] = negateD ? regs[d] ^ SIGN : regs[d];
  fusedOperands[1] = negateN ? regs[n] ^ SIGN : regs[n];
  fusedOperands[2] = regs[m];
  mulAdd32(fpscr);
  regs[d] = fusedResult[0];
}

/**
 * FPMulAdd (VFPv4 fused): addend + op1·op2 with one rounding. NaNs: the
 * addend counts as the first operand; a quiet NaN addend with 0 × ∞ gives
 * the default NaN and Invalid Operation.
 */
function mulAdd32(fpscr: number): void {
  unpack32From(fusedOperands, 0, fpscr, Z);
  unpack32From(fusedOperands, 1, fpscr, X);
  unpack32From(fusedOperands, 2, fpscr, Y);
  if (nanBits(fusedOperands[0]) || nanBits(fusedOperands[1]) || nanBits(fusedOperands[2])) {
    const addend = fusedOperands[0] >>> 0;
    const a = fusedOperands[1] >>> 0;
    const b = fusedOperands[2] >>> 0;
    let nan: number;
    if (isSignallingNaN32(addend)) nan = processNaN32(addend, fpscr);
    else if (isSignallingNaN32(a)) nan = processNaN32(a, fpscr);
    else if (isSignallingNaN32(b)) nan = processNaN32(b, fpscr);
    else nan = processNaN32(isNaN32(addend) ? addend : isNaN32(a) ? a : b, fpscr);
    if (isNaN32(addend) && !isSignallingNaN32(addend) && !isNaN32(a) && !isNaN32(b) && infinityTimesZero()) {
      fpExceptions.flags |= IOC;
      nan = DEFAULT_NAN_32;
    }
    fusedResult[0] = nan;
    return;
  }
  mulAddValues(SINGLE, fpscr);
  storeSingle(fusedResult, 0);
}

export function fpMulAdd64At(regs: Float64Array, d: number, n: number, m: number, negateD: boolean, negateN: boolean, fpscr: number): void {
  cell[Z] = regs[d];
  cell[X] = regs[n];
  cell[Y] = regs[m];
  if (negateD) cellWords[2 * Z + 1] ^= 0x80000000;
  if (negateN) cellWords[2 * X + 1] ^= 0x80000000;
  mulAdd64Cells(fpscr);
  regs[d] = cell[R];
}

function mulAdd64Cells(fpscr: number): void {
  const zNaN = cell[Z] !== cell[Z];
  const xNaN = cell[X] !== cell[X];
  const yNaN = cell[Y] !== cell[Y];
  unpack64In(Z, fpscr);
  unpack64In(X, fpscr);
  unpack64In(Y, fpscr);
  if (zNaN || xNaN || yNaN) {
    if (signallingCell(Z)) processNaN64Cell(Z, fpscr);
    else if (signallingCell(X)) processNaN64Cell(X, fpscr);
    else if (signallingCell(Y)) processNaN64Cell(Y, fpscr);
    else processNaN64Cell(zNaN ? Z : xNaN ? X : Y, fpscr);
    if (zNaN && !signallingCell(Z) && !xNaN && !yNaN && infinityTimesZero()) {
      fpExceptions.flags |= IOC;
      setDefaultNaN64();
    }
    return;
  }
  mulAddValues(DOUBLE, fpscr);
  if (cell[R] !== cell[R]) setDefaultNaN64();
}

/** FPCompare of S[n] with S[m] (or with +0 when m < 0): NZCV in bits 3:0. */
export function fpCompare32At(regs: Int32Array, n: number, m: number, quietNaNExc: boolean, fpscr: number): number {
  compareOperands[0] = regs[n];
  compareOperands[1] = m < 0 ? 0 : regs[m];
  return compare32(quietNaNExc, fpscr);
}

const compareOperands = new Int32Array(2);

function compare32(quietNaNExc: boolean, fpscr: number): number {
  unpack32From(compareOperands, 0, fpscr, X);
  unpack32From(compareOperands, 1, fpscr, Y);
  const a = compareOperands[0];
  const b = compareOperands[1];
  if (nanBits(a) || nanBits(b)) {
    const signalling = (nanBits(a) && (a & 0x00400000) === 0) || (nanBits(b) && (b & 0x00400000) === 0);
    if (quietNaNExc || signalling) fpExceptions.flags |= IOC;
    return 0b0011;
  }
  return compareValues();
}

export function fpCompare64At(regs: Float64Array, n: number, m: number, quietNaNExc: boolean, fpscr: number): number {
  cell[X] = regs[n];
  cell[Y] = m < 0 ? 0 : regs[m];
  return compareCells(quietNaNExc, fpscr);
}

/** FPCompare: NZCV (bits 3:0) of op1 vs op2; IOC for signalling NaNs, or any NaN when `quietNaNExc` (VCMPE). */
export function fpCompare32(a: number, b: number, quietNaNExc: boolean, fpscr: number): number {
  compareOperands[0] = a;
  compareOperands[1] = b;
  return compare32(quietNaNExc, fpscr);
}

function compareCells(quietNaNExc: boolean, fpscr: number): number {
  if (cell[X] !== cell[X] || cell[Y] !== cell[Y]) {
    unpack64In(X, fpscr);
    unpack64In(Y, fpscr);
    if (quietNaNExc || signallingCell(X) || signallingCell(Y)) fpExceptions.flags |= IOC;
    return 0b0011;
  }
  unpack64In(X, fpscr);
  unpack64In(Y, fpscr);
  return compareValues();
}

function compareValues(): number {
  const x = cell[X];
  const y = cell[Y];
  if (x === y) return 0b0110;
  return x < y ? 0b1000 : 0b0010;
}

// --- double NaNs in cells -------------------------------------------------------------------

function signallingCell(slot: number): boolean {
  return cell[slot] !== cell[slot] && (cellWords[2 * slot + 1] & 0x00080000) === 0;
}

/** FPProcessNaN of the NaN in `slot` into R. */
function processNaN64Cell(slot: number, fpscr: number): void {
  const high = cellWords[2 * slot + 1];
  if ((high & 0x00080000) === 0) fpExceptions.flags |= IOC;
  if ((fpscr & FPSCR_DN) !== 0) return setDefaultNaN64();
  cellWords[2 * R] = cellWords[2 * slot];
  cellWords[2 * R + 1] = high | 0x00080000;
}

/** FPProcessNaNs of cells a, b (at least one a NaN) into R. */
function processNaNs64Cells(a: number, b: number, fpscr: number): void {
  if (signallingCell(a)) return processNaN64Cell(a, fpscr);
  if (signallingCell(b)) return processNaN64Cell(b, fpscr);
  processNaN64Cell(cell[a] !== cell[a] ? a : b, fpscr);
}

function setDefaultNaN64(): void {
  cellWords[2 * R] = 0;
  cellWords[2 * R + 1] = 0x7ff80000;
}

// --- value-level API (Advanced SIMD lanes, tests) --------------------------------------------

const lanes32 = new Int32Array(4);
const lanes64 = new Float64Array(4);

function value32(a: number, b: number, op: Op, fpscr: number): number {
  lanes32[0] = a;
  lanes32[1] = b;
  fpBinary32(lanes32, 2, 0, 1, op, fpscr);
  return lanes32[2] >>> 0;
}

function value64(a: number, b: number, op: Op, fpscr: number): number {
  lanes64[0] = a;
  lanes64[1] = b;
  fpBinary64(lanes64, 2, 0, 1, op, fpscr);
  return lanes64[2];
}

export const fpAdd32 = (a: number, b: number, fpscr: number): number => value32(a, b, Op.Add, fpscr);
export const fpSub32 = (a: number, b: number, fpscr: number): number => value32(a, b, Op.Sub, fpscr);
export const fpMul32 = (a: number, b: number, fpscr: number): number => value32(a, b, Op.Mul, fpscr);
export const fpDiv32 = (a: number, b: number, fpscr: number): number => value32(a, b, Op.Div, fpscr);
export const fpAdd64 = (a: number, b: number, fpscr: number): number => value64(a, b, Op.Add, fpscr);
export const fpSub64 = (a: number, b: number, fpscr: number): number => value64(a, b, Op.Sub, fpscr);
export const fpMul64 = (a: number, b: number, fpscr: number): number => value64(a, b, Op.Mul, fpscr);
export const fpDiv64 = (a: number, b: number, fpscr: number): number => value64(a, b, Op.Div, fpscr);

export function fpSqrt32(a: number, fpscr: number): number {
  lanes32[0] = a;
  fpSqrt32At(lanes32, 1, 0, fpscr);
  return lanes32[1] >>> 0;
}

export function fpSqrt64(a: number, fpscr: number): number {
  lanes64[0] = a;
  fpSqrt64At(lanes64, 1, 0, fpscr);
  return lanes64[1];
}

/** FPMulAdd(addend, a, b) on single bit patterns. */
export function fpMulAdd32(addend: number, a: number, b: number, fpscr: number): number {
  fusedOperands[0] = addend;
  fusedOperands[1] = a;
  fusedOperands[2] = b;
  mulAdd32(fpscr);
  return fusedResult[0] >>> 0;
}

export function fpMulAdd64(addend: number, a: number, b: number, fpscr: number): number {
  lanes64[0] = addend;
  lanes64[1] = a;
  lanes64[2] = b;
  fpMulAdd64At(lanes64, 0, 1, 2, false, false, fpscr);
  return lanes64[0];
}

export function fpCompare64(a: number, b: number, quietNaNExc: boolean, fpscr: number): number {
  cell[X] = a;
  cell[Y] = b;
  return compareCells(quietNaNExc, fpscr);
}

export function fpNeg32(a: number): number {
  return (a ^ 0x80000000) >>> 0;
}

export function fpAbs32(a: number): number {
  return (a & 0x7fffffff) >>> 0;
}

export function fpNeg64(a: number): number {
  return doubleFromWords((doubleHigh(a) ^ 0x80000000) >>> 0, doubleLow(a));
}

export function fpAbs64(a: number): number {
  return doubleFromWords((doubleHigh(a) & 0x7fffffff) >>> 0, doubleLow(a));
}
