/**
 * Correct rounding of an exactly known real value to an IEEE 754 binary
 * format, as the ARM ARM's FPRound() does it (A2.7.x, DDI 0406C "FPRound"):
 * the four FPSCR.RMode rounding modes, flush-to-zero of tiny results (FZ,
 * setting UFC only), Underflow when the exact result is tiny *before*
 * rounding and inexact, Overflow to infinity or to the largest finite number
 * by mode, Inexact, and the alternative half-precision format (AHP) that
 * saturates with Invalid Operation instead of overflowing.
 *
 * The exact value is handed over as a floating-point expansion (Shewchuk):
 * a few doubles whose exact sum, times 2^scale, is the value. Callers build
 * it with error-free transformations (TwoSum, Dekker's TwoProduct), so no
 * information is lost before the single rounding here. Components must be
 * kept near 1 in magnitude (roughly 2^-300 … 2^300); the scale carries the
 * real exponent. Everything works on preallocated typed arrays: no
 * allocation per call.
 */

/** Parameters of an IEEE 754 binary format. */
export interface FpFormat {
  /** Significand bits including the implicit one. */
  readonly precision: number;
  /** Exponent of the smallest normal number. */
  readonly emin: number;
  /** Exponent of the largest finite number (for AHP half precision, 16). */
  readonly emax: number;
  /** Largest finite magnitude. */
  readonly max: number;
  /** Tiny results may be flushed (FZ applies to single and double only). */
  readonly flushable: boolean;
  /** Alternative half precision: no infinities, overflow saturates with Invalid Operation. */
  readonly saturates: boolean;
}

function format(precision: number, emin: number, emax: number, flushable: boolean, saturates: boolean): FpFormat {
  const max = (2 - Math.pow(2, 1 - precision)) * Math.pow(2, emax);
  return { precision, emin, emax, max, flushable, saturates };
}

export const DOUBLE: FpFormat = format(53, -1022, 1023, true, false);
export const SINGLE: FpFormat = format(24, -126, 127, true, false);
export const HALF: FpFormat = format(11, -14, 15, false, false);
export const HALF_ALTERNATIVE: FpFormat = format(11, -14, 16, false, true);

/** FPSCR cumulative exception bits (B6.1.x FPSCR). */
export const IOC = 1 << 0;
export const DZC = 1 << 1;
export const OFC = 1 << 2;
export const UFC = 1 << 3;
export const IXC = 1 << 4;
export const IDC = 1 << 7;
/** FPSCR control fields. */
export const FPSCR_AHP = 1 << 26;
export const FPSCR_DN = 1 << 25;
export const FPSCR_FZ = 1 << 24;
export const RMODE_SHIFT = 22;
export const RN = 0;
export const RP = 1;
export const RM = 2;
export const RZ = 3;

/** Exceptions raised since the caller last cleared it (FPSCR bit positions). */
export const fpExceptions = { flags: 0 };

/** Where roundExact() leaves its result (a typed-array cell: doubles returned from calls are boxed). */
export const rounded = new Float64Array(1);

// --- error-free transformations ---------------------------------------------------------

/**
 * Low part of the last twoSum/twoProduct (a + b = hi + errorTerm[0] exactly).
 * A typed-array cell, not a module variable: a double stored in a variable
 * would be boxed on every write.
 */
export const errorTerm = new Float64Array(1);

/** Knuth's TwoSum: returns fl(a + b) and leaves the exact error in errorTerm[0]. */
export function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  errorTerm[0] = a - (s - bb) + (b - bb);
  return s;
}

const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp)

/** Dekker's TwoProduct for |a|, |b| well inside the range: returns fl(a·b), exact error in errorTerm[0]. */
export function twoProduct(a: number, b: number): number {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  errorTerm[0] = al * bl - (p - ah * bh - al * bh - ah * bl);
  return p;
}

const pow2Table = new Float64Array(2401);
for (let e = -1200; e <= 1200; e++) pow2Table[e + 1200] = Math.pow(2, e);

/** 2^e for -1200 ≤ e ≤ 1200 (0 below the subnormal range). */
export function pow2(e: number): number {
  return pow2Table[e + 1200];
}

/** x · 2^e, exact while the result is representable (done in steps that stay normal). */
export function scaleBy(x: number, e: number): number {
  while (e > 1000) {
    x *= pow2(1000);
    e -= 1000;
  }
  while (e < -1000) {
    x *= pow2(-1000);
    e += 1000;
  }
  return x * pow2(e);
}

const bits = new Float64Array(1);
const bitsHigh = new Uint32Array(bits.buffer);

/** floor(log2 |x|) for finite non-zero x, subnormals included. */
export function exponentOf(x: number): number {
  bits[0] = x;
  const biased = (bitsHigh[1] >>> 20) & 0x7ff;
  if (biased !== 0) return biased - 1023;
  bits[0] = x * pow2(64);
  return ((bitsHigh[1] >>> 20) & 0x7ff) - 1023 - 64;
}

// --- expansions ---------------------------------------------------------------------------

/** The value being rounded: components exact[0 .. exactLength), times 2^exactScale. */
export const exact = new Float64Array(8);
export let exactLength = 0;
export let exactScale = 0;

/** Start a new exact value: the sum of the given components times 2^scale (unused components 0). */
export function setExact(scale: number, a: number, b = 0, c = 0): void {
  exact[0] = a;
  exact[1] = b;
  exact[2] = c;
  exactLength = 3;
  exactScale = scale;
}

const expansion = new Float64Array(16);
let expansionLength = 0;
const work = new Float64Array(16);

/** Shewchuk's GROW-EXPANSION with zero elimination, in place on `e` (length n); returns the new length. */
function grow(e: Float64Array, n: number, b: number): number {
  let q = b;
  let m = 0;
  for (let i = 0; i < n; i++) {
    q = twoSum(q, e[i]);
    const low = errorTerm[0];
    if (low !== 0) e[m++] = low;
  }
  if (q !== 0 || m === 0) e[m++] = q;
  return m;
}

/** Sign (-1, 0, 1) of (the canonical expansion) − a − b, exactly. */
function signMinus(a: number, b: number): number {
  for (let i = 0; i < expansionLength; i++) work[i] = expansion[i];
  let n = grow(work, expansionLength, -a);
  n = grow(work, n, -b);
  const top = work[n - 1];
  return top > 0 ? 1 : top < 0 ? -1 : 0;
}

// --- rounding -----------------------------------------------------------------------------

/**
 * Rounds the exact value set by setExact() to `fmt` under the FPSCR value's
 * RMode and FZ, records exceptions in fpExceptions and leaves the result in
 * rounded[0] as a double (exactly representable in `fmt`; ±Infinity on overflow). An
 * exactly zero value gives +0, or −0 when rounding towards minus infinity
 * (the IEEE rule for exact zero sums).
 */
export function roundExact(fmt: FpFormat, fpscr: number): void {
  rounded[0] = roundExactValue(fmt, fpscr);
}

function roundExactValue(fmt: FpFormat, fpscr: number): number {
  const mode = (fpscr >>> RMODE_SHIFT) & 3;
  let n = 0;
  for (let i = 0; i < exactLength; i++) {
    if (exact[i] !== 0) n = grow(expansion, n, exact[i]);
  }
  if (n === 0 || expansion[n - 1] === 0) return mode === RM ? -0 : 0;
  const negative = expansion[n - 1] < 0;
  if (negative) for (let i = 0; i < n; i++) expansion[i] = -expansion[i];
  expansionLength = n;
  // Summing the components smallest first is within a few units in the last place of the exact value.
  let approx = 0;
  for (let i = 0; i < n; i++) approx += expansion[i];
  // The binade of the exact value: approx's, or one off at a power of two.
  let e = exponentOf(approx);
  if (signMinus(pow2(e), 0) < 0) e--;
  else if (signMinus(pow2(e + 1), 0) >= 0) e++;
  const trueExponent = e + exactScale;
  const tiny = trueExponent < fmt.emin;
  const sign = negative ? -1 : 1;
  if (tiny && fmt.flushable && (fpscr & FPSCR_FZ) !== 0) {
    // FPRound: flush to zero, UFC only (never Inexact).
    fpExceptions.flags |= UFC;
    return negative ? -0 : 0;
  }
  if (trueExponent > fmt.emax) return overflow(fmt, mode, negative);
  if (trueExponent < fmt.emin - fmt.precision - 1) {
    // Below half the smallest subnormal: zero, or the smallest subnormal when rounding away.
    fpExceptions.flags |= UFC | IXC;
    const up = (mode === RP && !negative) || (mode === RM && negative);
    return up ? sign * pow2(fmt.emin - fmt.precision + 1) : negative ? -0 : 0;
  }
  const grid = Math.max(trueExponent, fmt.emin) - (fmt.precision - 1);
  const step = pow2(grid - exactScale);
  let units = Math.floor(approx / step);
  for (;;) {
    if (signMinus(units * step, 0) < 0) units--;
    else if (signMinus(units * step, step) >= 0) units++;
    else break;
  }
  const rest = signMinus(units * step, 0);
  let up = false;
  if (rest !== 0) {
    if (mode === RN) {
      const half = signMinus(units * step, step / 2);
      up = half > 0 || (half === 0 && units % 2 === 1);
    } else up = (mode === RP && !negative) || (mode === RM && negative);
    fpExceptions.flags |= tiny ? UFC | IXC : IXC;
  }
  if (up) units++;
  if (units === pow2(fmt.precision) && grid + fmt.precision > fmt.emax) return overflow(fmt, mode, negative);
  return sign * units * pow2(grid);
}

function overflow(fmt: FpFormat, mode: number, negative: boolean): number {
  if (fmt.saturates) {
    // FPRound, alternative half precision: sign:Ones(15), Invalid Operation, no Inexact.
    fpExceptions.flags |= IOC;
    return negative ? -fmt.max : fmt.max;
  }
  fpExceptions.flags |= OFC | IXC;
  const toInfinity = mode === RN || (mode === RP && !negative) || (mode === RM && negative);
  const magnitude = toInfinity ? Infinity : fmt.max;
  return negative ? -magnitude : magnitude;
}
