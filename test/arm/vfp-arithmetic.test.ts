import test from 'ava';
import {
  fpAdd32,
  fpAdd64,
  fpCompare32,
  fpCompare64,
  fpDiv32,
  fpDiv64,
  fpAbs64,
  fpExceptions,
  fpMul32,
  fpMul64,
  fpMulAdd32,
  fpMulAdd64,
  fpNeg32,
  fpSqrt32,
  fpSqrt64,
  fpSub64,
} from '../../cores/arm/vfp/FpArithmetic.ts';
import {
  fpDoubleToFixed,
  fpDoubleToSingle,
  fpFixedToDouble,
  fpFixedToSingle,
  fpHalfToSingle,
  fpSingleToDouble,
  fpSingleToFixed,
  fpSingleToHalf,
  vfpExpandImm32,
  vfpExpandImm64High,
} from '../../cores/arm/vfp/FpConversions.ts';

/**
 * The IEEE core (cores/arm/vfp/FpArithmetic.ts, FpConversions.ts) against
 * the ARM ARM's rules (DDI 0406C A2.7 and the FPRound, FPProcessNaN(s),
 * FPUnpack, FPCompare, FPToFixed, FPConvert pseudocode):
 *
 * - random operands in all four rounding modes against an exact reference
 *   written here with BigInt rationals (the value of the operation, then
 *   FPRound's rule: round per mode, Overflow when the rounded exponent is too
 *   large, Underflow when the exact value is tiny and the result inexact,
 *   Inexact), for +, ×, ÷, √ and fused multiply-add, single and double;
 * - hand-picked cases for the special rules: NaN order, DN, FZ, signs of
 *   zero, Invalid Operation, Division by Zero, comparisons, conversions at
 *   their boundaries, VFPExpandImm.
 */

const IOC = 1;
const DZC = 2;
const OFC = 4;
const UFC = 8;
const IXC = 16;
const IDC = 128;
const FZ = 1 << 24;
const DN = 1 << 25;
const AHP = 1 << 26;
const rmode = (m: number) => m << 22;
const [RN, RP, RM, RZ] = [0, 1, 2, 3];

const f64 = new Float64Array(1);
const w64 = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const w32 = new Uint32Array(f32.buffer);
const single = (bits: number) => ((w32[0] = bits), f32[0]);
const bitsOf = (v: number) => ((f32[0] = v), w32[0]);
const double = (high: number, low: number) => ((w64[1] = high), (w64[0] = low), f64[0]);
const highOf = (v: number) => ((f64[0] = v), w64[1]);
const lowOf = (v: number) => ((f64[0] = v), w64[0]);

/** Run an operation with flags cleared; returns [result, flags]. */
function run<T>(f: () => T): [T, number] {
  fpExceptions.flags = 0;
  const r = f();
  return [r, fpExceptions.flags];
}

// --- exact reference (BigInt rationals; test code only) --------------------------------------

interface Format {
  p: number;
  emin: number;
  emax: number;
}
const DOUBLE: Format = { p: 53, emin: -1022, emax: 1023 };
const SINGLE: Format = { p: 24, emin: -126, emax: 127 };

/** A finite double as m · 2^k with integer m. */
function decompose(x: number): [bigint, number] {
  if (x === 0) return [0n, 0];
  const neg = x < 0;
  const high = highOf(x);
  const low = lowOf(x);
  const biased = (high >>> 20) & 0x7ff;
  let m = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let k: number;
  if (biased === 0) k = -1074;
  else {
    m |= 1n << 52n;
    k = biased - 1075;
  }
  return [neg ? -m : m, k];
}

const bitLength = (n: bigint) => n.toString(2).length;

/** A rational num / den (den > 0) as an exact value; `sticky` marks a value just above |num/den|. */
interface Exact {
  num: bigint;
  den: bigint;
}

function rational(m: bigint, k: number): Exact {
  return k >= 0 ? { num: m << BigInt(k), den: 1n } : { num: m, den: 1n << BigInt(-k) };
}

function add(a: Exact, b: Exact): Exact {
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

function mul(a: Exact, b: Exact): Exact {
  return { num: a.num * b.num, den: a.den * b.den };
}

/** FPRound's result and flags (FZ off) for a non-zero exact value. */
function referenceRound(x: Exact, fmt: Format, mode: number): [number, number] {
  const negative = x.num < 0n;
  const n = negative ? -x.num : x.num;
  const den = x.den;
  let e = bitLength(n) - bitLength(den);
  const below = e >= 0 ? n < den << BigInt(e) : n << BigInt(-e) < den;
  if (below) e--;
  const g = Math.max(e, fmt.emin) - (fmt.p - 1);
  let q: bigint;
  let r: bigint;
  let d: bigint;
  if (g >= 0) {
    d = den << BigInt(g);
    q = n / d;
    r = n % d;
  } else {
    d = den;
    q = (n << BigInt(-g)) / den;
    r = (n << BigInt(-g)) % den;
  }
  let flags = 0;
  let up = false;
  if (r !== 0n) {
    flags |= IXC;
    if (e < fmt.emin) flags |= UFC;
    if (mode === RN) up = 2n * r > d || (2n * r === d && (q & 1n) === 1n);
    else up = (mode === RP && !negative) || (mode === RM && negative);
  }
  if (up) q += 1n;
  const sign = negative ? -1 : 1;
  if (bitLength(q) + g - 1 > fmt.emax) {
    const toInfinity = mode === RN || (mode === RP && !negative) || (mode === RM && negative);
    const max = (2 - 2 ** (1 - fmt.p)) * 2 ** fmt.emax;
    return [sign * (toInfinity ? Infinity : max), OFC | IXC];
  }
  let v = Number(q);
  let s = g;
  while (s > 0) (v *= 2), s--;
  while (s < -1000) (v *= 2 ** -1000), (s += 1000);
  v *= 2 ** s;
  return [sign * v, flags];
}

function randomDouble(rand: () => number, exponentRange: [number, number]): number {
  const [lo, hi] = exponentRange;
  const biased = lo + Math.floor(rand() * (hi - lo + 1));
  const high = ((rand() < 0.5 ? 0x80000000 : 0) | (biased << 20) | Math.floor(rand() * 0x100000)) >>> 0;
  return double(high, Math.floor(rand() * 0x100000000) >>> 0);
}

function randomSingle(rand: () => number, exponentRange: [number, number]): number {
  const [lo, hi] = exponentRange;
  const biased = lo + Math.floor(rand() * (hi - lo + 1));
  return ((rand() < 0.5 ? 0x80000000 : 0) | (biased << 23) | Math.floor(rand() * 0x800000)) >>> 0;
}

/** Deterministic generator (mulberry32). */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Square root as an exact-enough rational: floor(√x · 2^S) plus a sticky half when inexact. */
function sqrtReference(x: number): Exact {
  let [m, k] = decompose(x);
  if ((k & 1) !== 0) {
    m <<= 1n;
    k -= 1;
  }
  const S = 200n;
  const target = m << (2n * S);
  // Newton's method on integers from above converges to floor(√target).
  let r = 1n << BigInt((bitLength(target) >> 1) + 1);
  for (;;) {
    const next = (r + target / r) / 2n;
    if (next >= r) break;
    r = next;
  }
  while (r * r > target) r -= 1n;
  while ((r + 1n) * (r + 1n) <= target) r += 1n;
  const exact = r * r === target;
  const num = exact ? r : 2n * r + 1n;
  const scale = Number(exact ? S : S + 1n) - k / 2;
  return scale >= 0 ? { num, den: 1n << BigInt(scale) } : { num: num << BigInt(-scale), den: 1n };
}

const MODES = [RN, RP, RM, RZ];
const EXPONENTS_DOUBLE: [number, number][] = [[1000, 1046], [0, 60], [1, 2046], [2000, 2046]];
const EXPONENTS_SINGLE: [number, number][] = [[110, 144], [0, 30], [1, 254], [230, 254]];

function checkAgainstReference(
  t: import('ava').ExecutionContext,
  name: string,
  count: number,
  make: (rand: () => number, range: [number, number]) => number[],
  compute: (operands: number[], fpscr: number) => [number, number],
  exact: (operands: number[]) => Exact | null,
  fmt: Format,
): void {
  const rand = generator(name.length * 7919 + count);
  const ranges = fmt === DOUBLE ? EXPONENTS_DOUBLE : EXPONENTS_SINGLE;
  let failures = 0;
  for (let k = 0; k < count; k++) {
    const operands = make(rand, ranges[k % ranges.length]);
    const value = exact(operands);
    if (value === null || value.num === 0n) continue;
    for (const mode of MODES) {
      const [want, wantFlags] = referenceRound(value, fmt, mode);
      const [got, gotFlags] = compute(operands, rmode(mode));
      if (!Object.is(got, want) || gotFlags !== wantFlags) {
        if (failures++ < 5) t.log(`${name} mode ${mode} operands ${operands.join(', ')}: got ${got} flags ${gotFlags}, want ${want} flags ${wantFlags}`);
      }
    }
  }
  t.is(failures, 0);
}

const pairDouble = (rand: () => number, range: [number, number]) => [randomDouble(rand, range), randomDouble(rand, range)];
const tripleDouble = (rand: () => number, range: [number, number]) => [randomDouble(rand, range), randomDouble(rand, range), randomDouble(rand, range)];
const pairSingle = (rand: () => number, range: [number, number]) => [randomSingle(rand, range), randomSingle(rand, range)];
const tripleSingle = (rand: () => number, range: [number, number]) => [randomSingle(rand, range), randomSingle(rand, range), randomSingle(rand, range)];
const exactOf = (x: number) => rational(...decompose(x));

test('double add, multiply, divide, square root and fused multiply-add round as FPRound in every mode', (t) => {
  checkAgainstReference(t, 'add64', 1500, pairDouble, ([a, b], f) => run(() => fpAdd64(a, b, f)), ([a, b]) => add(exactOf(a), exactOf(b)), DOUBLE);
  checkAgainstReference(t, 'mul64', 1500, pairDouble, ([a, b], f) => run(() => fpMul64(a, b, f)), ([a, b]) => mul(exactOf(a), exactOf(b)), DOUBLE);
  checkAgainstReference(
    t, 'div64', 1500, pairDouble, ([a, b], f) => run(() => fpDiv64(a, b, f)),
    ([a, b]) => {
      const x = exactOf(a);
      const y = exactOf(b);
      const num = x.num * y.den;
      const den = x.den * y.num;
      return den < 0n ? { num: -num, den: -den } : { num, den };
    },
    DOUBLE,
  );
  checkAgainstReference(t, 'sqrt64', 1500, (r, range) => [Math.abs(randomDouble(r, range))], ([a], f) => run(() => fpSqrt64(a, f)), ([a]) => sqrtReference(a), DOUBLE);
  checkAgainstReference(
    t, 'fma64', 1500,
    (r, range) => {
      const [a, b, c] = tripleDouble(r, range);
      // Half the time an addend that nearly cancels the product.
      return r() < 0.5 ? [-(a * b) * (1 + (r() - 0.5) * 2 ** -40) || c, a, b] : [c, a, b];
    },
    ([c, a, b], f) => run(() => fpMulAdd64(c, a, b, f)),
    ([c, a, b]) => (Number.isFinite(c) ? add(exactOf(c), mul(exactOf(a), exactOf(b))) : null),
    DOUBLE,
  );
});

test('single add, multiply, divide, square root and fused multiply-add round as FPRound in every mode', (t) => {
  const s = single;
  const roundTrip = (f: () => number): [number, number] => {
    const [bits, flags] = run(f);
    return [s(bits), flags];
  };
  checkAgainstReference(t, 'add32', 1500, pairSingle, ([a, b], f) => roundTrip(() => fpAdd32(a, b, f)), ([a, b]) => add(exactOf(s(a)), exactOf(s(b))), SINGLE);
  checkAgainstReference(t, 'mul32', 1500, pairSingle, ([a, b], f) => roundTrip(() => fpMul32(a, b, f)), ([a, b]) => mul(exactOf(s(a)), exactOf(s(b))), SINGLE);
  checkAgainstReference(
    t, 'div32', 1500, pairSingle, ([a, b], f) => roundTrip(() => fpDiv32(a, b, f)),
    ([a, b]) => {
      const x = exactOf(s(a));
      const y = exactOf(s(b));
      const num = x.num * y.den;
      const den = x.den * y.num;
      return den < 0n ? { num: -num, den: -den } : { num, den };
    },
    SINGLE,
  );
  checkAgainstReference(t, 'sqrt32', 1500, (r, range) => [randomSingle(r, range) & 0x7fffffff], ([a], f) => roundTrip(() => fpSqrt32(a, f)), ([a]) => sqrtReference(s(a)), SINGLE);
  checkAgainstReference(
    t, 'fma32', 1500,
    (r, range) => {
      const [a, b, c] = tripleSingle(r, range);
      const product = s(a) * s(b);
      const near = bitsOf(-product);
      return r() < 0.5 && Number.isFinite(-product) && near !== 0 ? [(near + Math.floor(r() * 5) - 2) >>> 0, a, b] : [c, a, b];
    },
    ([c, a, b], f) => roundTrip(() => fpMulAdd32(c, a, b, f)),
    ([c, a, b]) => (Number.isFinite(s(c)) ? add(exactOf(s(c)), mul(exactOf(s(a)), exactOf(s(b)))) : null),
    SINGLE,
  );
});

test('double to single conversion rounds as FPRound in every mode', (t) => {
  checkAgainstReference(
    t, 'cvt64to32', 3000, (r, range) => [randomDouble(r, [range[0] + 770, Math.min(range[1] + 770, 1200)])],
    ([a], f) => {
      const [bits, flags] = run(() => fpDoubleToSingle(a, f));
      return [single(bits), flags];
    },
    ([a]) => exactOf(a),
    SINGLE,
  );
});

// --- NaNs (FPProcessNaN, FPProcessNaNs, A2.7.x) --------------------------------------------

test('NaN operands: signalling before quiet, first operand before second, quietened, IOC only for signalling', (t) => {
  const qa = 0x7fc00aaa;
  const qb = 0xffc00bbb;
  const sa = 0x7f800aaa;
  const sb = 0xff800bbb;
  t.deepEqual(run(() => fpAdd32(qa, qb, 0)), [qa, 0], 'first quiet NaN');
  t.deepEqual(run(() => fpAdd32(qa, sb, 0)), [(sb | 0x400000) >>> 0, IOC], 'signalling NaN wins over an earlier quiet one');
  t.deepEqual(run(() => fpAdd32(sa, sb, 0)), [(sa | 0x400000) >>> 0, IOC], 'first signalling NaN');
  t.deepEqual(run(() => fpMul32(0x3f800000, qb, 0)), [qb, 0], 'a NaN second operand');
  t.deepEqual(run(() => fpAdd32(sa, 0x3f800000, DN)), [0x7fc00000, IOC], 'DN: default NaN, IOC kept');
  t.deepEqual(run(() => fpAdd32(qb, 0x3f800000, DN)), [0x7fc00000, 0], 'DN with a quiet NaN');
  // Fused: the addend is the first operand; a quiet NaN addend with 0 × ∞ is Invalid (default NaN).
  t.deepEqual(run(() => fpMulAdd32(qa, sb, 0x3f800000, 0)), [(sb | 0x400000) >>> 0, IOC]);
  t.deepEqual(run(() => fpMulAdd32(qa, qb, 0x3f800000, 0)), [qa, 0]);
  t.deepEqual(run(() => fpMulAdd32(qa, 0, 0x7f800000, 0)), [0x7fc00000, IOC]);
  // Doubles keep the payload too.
  const [r, flags] = run(() => fpSub64(double(0x7ff40000, 0x12345678), 1, 0));
  t.deepEqual([highOf(r), lowOf(r), flags], [0x7ffc0000, 0x12345678, IOC]);
});

test('Invalid Operation and Division by Zero give the default NaN and infinities', (t) => {
  const inf = 0x7f800000;
  const ninf = 0xff800000;
  t.deepEqual(run(() => fpAdd32(inf, ninf, 0)), [0x7fc00000, IOC], '∞ − ∞');
  t.deepEqual(run(() => fpMul32(0, ninf, 0)), [0x7fc00000, IOC], '0 × ∞');
  t.deepEqual(run(() => fpDiv32(0x80000000, 0, 0)), [0x7fc00000, IOC], '0 / 0');
  t.deepEqual(run(() => fpDiv32(0xbf800000, 0, 0)), [ninf, DZC], '−1 / +0');
  t.deepEqual(run(() => fpDiv32(inf, 0, 0)), [inf, 0], '∞ / 0 is exact');
  t.deepEqual(run(() => fpSqrt32(0xbf800000, 0)), [0x7fc00000, IOC], '√−1');
  t.deepEqual(run(() => fpSqrt32(0x80000000, 0)), [0x80000000, 0], '√−0 = −0');
  const [d, f] = run(() => fpDiv64(1, 0, 0));
  t.deepEqual([d, f], [Infinity, DZC]);
});

test('signs of exact zeros: x + (−x) is +0, or −0 rounding towards minus infinity', (t) => {
  t.is(run(() => fpAdd32(0x3f800000, 0xbf800000, 0))[0], 0);
  t.is(run(() => fpAdd32(0x3f800000, 0xbf800000, rmode(RM)))[0], 0x80000000);
  t.is(run(() => fpAdd32(0x80000000, 0x80000000, 0))[0], 0x80000000, '−0 + −0');
  t.is(run(() => fpAdd32(0x80000000, 0, 0))[0], 0, '−0 + +0');
  t.true(Object.is(run(() => fpSub64(1, 1, rmode(RM)))[0], -0));
  t.true(Object.is(run(() => fpMulAdd64(-0, -0, 5, 0))[0], -0), '−0 + (−0)·5 keeps −0');
  t.true(Object.is(run(() => fpMulAdd64(-0, 0, 5, 0))[0], 0), '−0 + 0·5 is +0');
  t.true(Object.is(run(() => fpMulAdd64(0, -1, 0, 0))[0], 0), '+0 + (−0) is +0');
});

// --- flush-to-zero (FPUnpack, FPRound) -------------------------------------------------------

test('FZ flushes denormal inputs (IDC) and tiny results (UFC, no IXC); off, they are exact or underflow', (t) => {
  const denormal = 0x00000123;
  t.deepEqual(run(() => fpAdd32(denormal, 0x3f800000, FZ)), [0x3f800000, IDC]);
  t.deepEqual(run(() => fpMul32(0x80000001, 0x3f800000, FZ)), [0x80000000, IDC], 'flushed to a zero of its sign');
  // 2^-126 × 0.5: tiny before rounding.
  t.deepEqual(run(() => fpMul32(0x00800000, 0x3f000000, FZ)), [0, UFC]);
  t.deepEqual(run(() => fpMul32(0x00800000, 0x3f000000, 0)), [0x00400000, 0], 'exact subnormal: no Underflow');
  t.deepEqual(run(() => fpMul32(0x00800001, 0x3f000000, 0)), [0x00400000, UFC | IXC], 'inexact subnormal: Underflow and Inexact');
  // Tininess is before rounding: (2^-126)(1 − 2^-24) rounds up to 2^-126 yet underflows.
  const [v, flags] = run(() => fpMul32(0x00800000, 0x3f7fffff, 0));
  t.deepEqual([v, flags], [0x00800000, UFC | IXC]);
  t.deepEqual(run(() => fpMul32(0x00800000, 0x3f7fffff, FZ)), [0, UFC], 'and FZ flushes it');
  t.deepEqual(run(() => fpCompare32(denormal, 0, false, FZ)), [0b0110, IDC], 'compare sees the flushed zero');
  t.deepEqual(run(() => fpAdd64(5e-324, 0, FZ)), [0, IDC]);
});

// --- comparisons (FPCompare) -----------------------------------------------------------------

test('VCMP/VCMPE flags: equal 0110, less 1000, greater 0010, unordered 0011; IOC for signalling NaNs, or any NaN in VCMPE', (t) => {
  t.deepEqual(run(() => fpCompare32(0x3f800000, 0x40000000, false, 0)), [0b1000, 0]);
  t.deepEqual(run(() => fpCompare32(0x40000000, 0x3f800000, false, 0)), [0b0010, 0]);
  t.deepEqual(run(() => fpCompare32(0x80000000, 0, false, 0)), [0b0110, 0], '−0 = +0');
  t.deepEqual(run(() => fpCompare32(0x7f800000, 0x7f800000, false, 0)), [0b0110, 0]);
  t.deepEqual(run(() => fpCompare32(0x7fc00000, 0, false, 0)), [0b0011, 0]);
  t.deepEqual(run(() => fpCompare32(0x7fc00000, 0, true, 0)), [0b0011, IOC], 'VCMPE');
  t.deepEqual(run(() => fpCompare32(0, 0x7f800001, false, 0)), [0b0011, IOC], 'signalling');
  t.deepEqual(run(() => fpCompare64(-Infinity, -1e308, false, 0)), [0b1000, 0]);
  t.deepEqual(run(() => fpCompare64(NaN, NaN, true, 0)), [0b0011, IOC]);
});

// --- conversions (FPToFixed, FixedToFP, FPConvert) ---------------------------------------------

test('float to integer: rounding modes, saturation with IOC, NaN to 0 with IOC, Inexact', (t) => {
  const toS32 = (v: number, round: boolean, f = 0) => run(() => fpDoubleToFixed(v, 0, false, 32, round, f));
  const toU32 = (v: number, round: boolean, f = 0) => run(() => fpDoubleToFixed(v, 0, true, 32, round, f));
  t.deepEqual(toS32(2.5, true), [2, IXC], 'towards zero');
  t.deepEqual(toS32(-2.5, true), [-2, IXC]);
  t.deepEqual(toS32(2.5, false, rmode(RN)), [2, IXC], 'ties to even');
  t.deepEqual(toS32(3.5, false, rmode(RN)), [4, IXC]);
  t.deepEqual(toS32(-2.5, false, rmode(RM)), [-3, IXC]);
  t.deepEqual(toS32(-2.5, false, rmode(RP)), [-2, IXC]);
  t.deepEqual(toS32(2147483647, true), [2147483647, 0], 'max int exact');
  t.deepEqual(toS32(2147483648, true), [2147483647, IOC], '2^31 saturates');
  t.deepEqual(toS32(-2147483648, true), [-2147483648, 0], '−2^31 exact');
  t.deepEqual(toS32(-2147483649, true), [-2147483648, IOC], '−2^31 − 1 saturates');
  t.deepEqual(toS32(-2147483648.5, true), [-2147483648, IXC], 'truncates into range: only Inexact');
  t.deepEqual(toS32(Infinity, true), [2147483647, IOC]);
  t.deepEqual(toS32(NaN, true), [0, IOC]);
  t.deepEqual(toU32(-0.75, true), [0, IXC], 'truncates to 0');
  t.deepEqual(toU32(-1, true), [0, IOC]);
  t.deepEqual(toU32(4294967295, true), [-1, 0], '2^32 − 1 exact (register 0xffffffff)');
  t.deepEqual(toU32(4294967296, true), [-1, IOC]);
  t.deepEqual(toS32(-0, true), [0, 0]);
  t.deepEqual(toS32(5e-324, true, FZ), [0, IDC], 'FZ: denormal input flushed, no Inexact');
  t.deepEqual(toS32(5e-324, true), [0, IXC]);
  // Fixed point: 16-bit results are sign- or zero-extended.
  t.deepEqual(run(() => fpSingleToFixed(bitsOf(-1.25), 8, false, 16, true, 0)), [-320, 0]);
  t.deepEqual(run(() => fpSingleToFixed(bitsOf(300), 8, false, 16, true, 0)), [32767, IOC]);
  t.deepEqual(run(() => fpSingleToFixed(bitsOf(255.99), 8, true, 16, true, 0)), [65533, IXC]);
});

test('integer and fixed point to float: FPSCR rounding for integers, nearest for fixed point', (t) => {
  t.deepEqual(run(() => fpFixedToSingle(16777217, 0, false, 32, false, rmode(RN))), [bitsOf(16777216), IXC]);
  t.deepEqual(run(() => fpFixedToSingle(16777217, 0, false, 32, false, rmode(RP))), [bitsOf(16777218), IXC]);
  t.deepEqual(run(() => fpFixedToSingle(-1, 0, true, 32, false, rmode(RZ))), [bitsOf(4294967040), IXC]);
  t.deepEqual(run(() => fpFixedToSingle(-1, 0, true, 32, true, rmode(RZ))), [bitsOf(4294967296), IXC]);
  t.deepEqual(run(() => fpFixedToSingle(0x8000, 16, false, 16, true, 0)), [bitsOf(-0.5), 0]);
  t.deepEqual(run(() => fpFixedToSingle(0, 0, false, 32, false, rmode(RM))), [0, 0], 'zero is +0 in every mode');
});

test('single ↔ double: exact widening, NaN payloads, rounding and overflow of narrowing', (t) => {
  t.deepEqual(run(() => fpSingleToDouble(0x00000001, 0)), [2 ** -149, 0]);
  t.deepEqual(run(() => fpSingleToDouble(0x00000001, FZ)), [0, IDC]);
  const [nan, flags] = run(() => fpSingleToDouble(0x7f800abc, 0));
  t.deepEqual([highOf(nan), lowOf(nan), flags], [0x7ff80157, 0x80000000, IOC], 'payload moves up, quietened');
  t.deepEqual(run(() => fpDoubleToSingle(double(0xfff00001, 0xe0000000), 0)), [0xffc0000f, IOC]);
  t.deepEqual(run(() => fpDoubleToSingle(1e300, rmode(RZ))), [0x7f7fffff, OFC | IXC]);
  t.deepEqual(run(() => fpDoubleToSingle(1e300, 0)), [0x7f800000, OFC | IXC]);
  t.deepEqual(run(() => fpDoubleToSingle(1e-50, rmode(RP))), [1, UFC | IXC], 'smallest subnormal rounding up');
  t.deepEqual(run(() => fpDoubleToSingle(1e-50, FZ)), [0, UFC]);
  t.deepEqual(run(() => fpDoubleToSingle(1 + 2 ** -24, 0)), [0x3f800000, IXC], 'tie to even');
  t.deepEqual(run(() => fpDoubleToSingle(1 + 2 ** -24 + 2 ** -50, 0)), [0x3f800001, IXC], 'above the tie');
});

test('half precision: IEEE and alternative formats (FPSCR.AHP)', (t) => {
  t.deepEqual(run(() => fpHalfToSingle(0x3c00, 0)), [0x3f800000, 0]);
  t.deepEqual(run(() => fpHalfToSingle(0x0001, FZ)), [bitsOf(2 ** -24), 0], 'half subnormals are never flushed');
  t.deepEqual(run(() => fpHalfToSingle(0x7c00, 0)), [0x7f800000, 0]);
  t.deepEqual(run(() => fpHalfToSingle(0x7c00, AHP)), [bitsOf(65536), 0], 'AHP: exponent 31 is a number');
  t.deepEqual(run(() => fpHalfToSingle(0x7d01, 0)), [0x7fe02000, IOC], 'signalling: quietened, payload moved up');
  t.deepEqual(run(() => fpSingleToHalf(bitsOf(65520), 0)), [0x7c00, OFC | IXC], '65520 rounds to infinity');
  t.deepEqual(run(() => fpSingleToHalf(bitsOf(65519), 0)), [0x7bff, IXC]);
  t.deepEqual(run(() => fpSingleToHalf(bitsOf(65520), rmode(RZ))), [0x7bff, IXC], 'towards zero it stays finite: no Overflow');
  t.deepEqual(run(() => fpSingleToHalf(bitsOf(131072), AHP)), [0x7fff, IOC], 'AHP saturates with Invalid');
  t.deepEqual(run(() => fpSingleToHalf(0x7f800000, AHP)), [0x7fff, IOC]);
  t.deepEqual(run(() => fpSingleToHalf(0xffc00000, AHP)), [0x8000, IOC], 'AHP: NaN becomes a zero');
  t.deepEqual(run(() => fpSingleToHalf(bitsOf(2 ** -25), 0)), [0x0000, UFC | IXC], 'tie to even at the smallest subnormal');
  t.deepEqual(run(() => fpSingleToHalf(bitsOf(2 ** -30), FZ)), [0x0000, UFC | IXC], 'FZ does not flush half results');
  t.deepEqual(run(() => fpSingleToHalf(0x7f812345, 0)), [0x7e09, IOC]);
});

test('FPNeg/FPAbs flip or clear the sign bit only, NaNs included; FixedToFP to double is exact', (t) => {
  t.is(fpNeg32(0x7f800001), 0xff800001);
  t.is(fpNeg32(0), 0x80000000);
  const abs = fpAbs64(double(0xfff40000, 0x1234));
  t.deepEqual([highOf(abs), lowOf(abs)], [0x7ff40000, 0x1234]);
  t.is(fpFixedToDouble(0x80000000, 32, false, 32), -0.5);
  t.is(fpFixedToDouble(0xffffffff, 0, true, 32), 4294967295);
  t.is(fpFixedToDouble(0x12348000, 15, false, 16), -1);
});

test('VFPExpandImm: the VMOV immediate constants', (t) => {
  t.is(vfpExpandImm32(0x70), 0x3f800000, '1.0');
  t.is(vfpExpandImm32(0x00), 0x40000000, '2.0');
  t.is(vfpExpandImm32(0xf0), 0xbf800000, '−1.0');
  t.is(vfpExpandImm32(0x60), 0x3f000000, '0.5');
  t.is(vfpExpandImm32(0x40), 0x3e000000, '0.125');
  t.is(vfpExpandImm32(0x3f), 0x41f80000, '31.0');
  t.is(vfpExpandImm64High(0x70), 0x3ff00000);
  t.is(vfpExpandImm64High(0x7f), 0x3fff0000, '1.9375');
  t.is(vfpExpandImm64High(0x40), 0x3fc00000, '0.125');
});
