import { DEFAULT_NAN_32, fpResultCell, fpResultWords, roundResultCell } from './FpArithmetic.ts';
import {
  FPSCR_AHP,
  FPSCR_DN,
  FPSCR_FZ,
  HALF,
  HALF_ALTERNATIVE,
  IDC,
  IOC,
  IXC,
  RM,
  RMODE_SHIFT,
  RN,
  RP,
  RZ,
  SINGLE,
  fpExceptions,
  pow2,
} from './FpExactRounding.ts';

/**
 * Conversions of the ARM ARM's FPConvert, FPToFixed and FixedToFP
 * (DDI 0406C A2.7, A8.8.305–A8.8.310): single ↔ double, single ↔ half
 * (IEEE or alternative half precision by FPSCR.AHP), floating point ↔
 * 32-bit integers and 16/32-bit fixed point.
 *
 * Register-level functions (`…At`) read and write the register file's
 * Int32Array words / Float64Array doubles by index, so no double or large
 * integer crosses a call (V8 would box it); the value-level wrappers at the
 * end (singles and halves as bit patterns, doubles as numbers) serve tests
 * and Advanced SIMD. Exceptions are ORed into fpExceptions.flags.
 */

const cell = fpResultCell;
const cellWords = fpResultWords;
const MIN_NORMAL_SINGLE = pow2(-126);
const MIN_NORMAL_DOUBLE = pow2(-1022);
const single = new Float32Array(1);
const singleWord = new Int32Array(single.buffer);

/** FPUnpack of the single at words[i] into the cell (FZ flushes a denormal, IDC). */
function unpackSingle(words: Int32Array, i: number, fpscr: number): void {
  const bits = words[i];
  if ((bits & 0x7f800000) === 0 && (bits & 0x007fffff) !== 0 && (fpscr & FPSCR_FZ) !== 0) {
    fpExceptions.flags |= IDC;
    cell[0] = bits < 0 ? -0 : 0;
    return;
  }
  singleWord[0] = bits;
  cell[0] = single[0];
}

/** FPUnpack of the double in the cell, in place. */
function unpackDouble(fpscr: number): void {
  const x = cell[0];
  if (x !== 0 && x > -MIN_NORMAL_DOUBLE && x < MIN_NORMAL_DOUBLE && (fpscr & FPSCR_FZ) !== 0) {
    fpExceptions.flags |= IDC;
    cell[0] = x < 0 ? -0 : 0;
  }
}

function isNaNBits(bits: number): boolean {
  return (bits & 0x7fffffff) > 0x7f800000;
}

/** The single-precision bits of the (representable) value in the cell. */
function cellAsSingle(): number {
  single[0] = cell[0];
  return singleWord[0];
}

/** VCVT.F64.F32: FPConvert single → double, exact; NaNs keep their payload (quietened). */
export function fpSingleToDoubleAt(words: Int32Array, doubles: Float64Array, d: number, m: number, fpscr: number): void {
  const a = words[m];
  if (isNaNBits(a)) {
    if ((a & 0x00400000) === 0) fpExceptions.flags |= IOC;
    if ((fpscr & FPSCR_DN) !== 0) {
      cellWords[1] = 0x7ff80000;
      cellWords[0] = 0;
    } else {
      // sign : Ones(11) : '1' : fraction<21:0> : Zeros(29)
      cellWords[1] = (a & 0x80000000) | 0x7ff80000 | ((a & 0x003fffff) >>> 3);
      cellWords[0] = a << 29;
    }
  } else unpackSingle(words, m, fpscr);
  doubles[d] = cell[0];
}

/** VCVT.F32.F64: FPConvert double → single, rounded by FPSCR.RMode. */
export function fpDoubleToSingleAt(words: Int32Array, doubles: Float64Array, d: number, m: number, fpscr: number): void {
  cell[0] = doubles[m];
  if (cell[0] !== cell[0]) {
    const high = cellWords[1];
    if ((high & 0x00080000) === 0) fpExceptions.flags |= IOC;
    // sign : Ones(8) : '1' : fraction<50:29>
    words[d] = (fpscr & FPSCR_DN) !== 0 ? DEFAULT_NAN_32 : (high & 0x80000000) | 0x7fc00000 | ((high & 0x7ffff) << 3) | (cellWords[0] >>> 29);
    return;
  }
  unpackDouble(fpscr);
  const v = cell[0];
  if (v !== 0 && v !== Infinity && v !== -Infinity) roundResultCell(SINGLE, fpscr);
  words[d] = cellAsSingle();
}

/** VCVTB/VCVTT.F32.F16: FPConvert half → single (exact; halves are never flushed). AHP: exponent 31 is a binade. */
export function fpHalfToSingleAt(words: Int32Array, d: number, m: number, shift: number, fpscr: number): void {
  const h = (words[m] >>> shift) & 0xffff;
  const sign = (h & 0x8000) << 16;
  const exponent = (h >>> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0x1f && (fpscr & FPSCR_AHP) === 0) {
    if (fraction === 0) words[d] = sign | 0x7f800000;
    else {
      if ((fraction & 0x200) === 0) fpExceptions.flags |= IOC;
      words[d] = (fpscr & FPSCR_DN) !== 0 ? DEFAULT_NAN_32 : sign | 0x7fc00000 | ((fraction & 0x1ff) << 13);
    }
    return;
  }
  cell[0] = exponent === 0 ? fraction * pow2(-24) : (1024 + fraction) * pow2(exponent - 25);
  words[d] = sign | cellAsSingle();
}

/** VCVTB/VCVTT.F16.F32: FPConvert single → half into bits [shift+15:shift] of words[d]. */
export function fpSingleToHalfAt(words: Int32Array, d: number, m: number, shift: number, fpscr: number): void {
  const h = singleToHalf(words, m, fpscr);
  words[d] = (words[d] & ~(0xffff << shift)) | (h << shift);
}

function singleToHalf(words: Int32Array, m: number, fpscr: number): number {
  const a = words[m];
  const ahp = (fpscr & FPSCR_AHP) !== 0;
  const sign = (a >>> 16) & 0x8000;
  if (isNaNBits(a)) {
    // No NaN in the alternative format: a zero and Invalid Operation.
    if (ahp) {
      fpExceptions.flags |= IOC;
      return sign;
    }
    if ((a & 0x00400000) === 0) fpExceptions.flags |= IOC;
    if ((fpscr & FPSCR_DN) !== 0) return 0x7e00;
    return sign | 0x7e00 | ((a >>> 13) & 0x1ff);
  }
  unpackSingle(words, m, fpscr);
  const v = cell[0];
  if (v === Infinity || v === -Infinity) {
    if (ahp) {
      fpExceptions.flags |= IOC;
      return sign | 0x7fff;
    }
    return sign | 0x7c00;
  }
  if (v === 0) return sign;
  roundResultCell(ahp ? HALF_ALTERNATIVE : HALF, fpscr);
  const r = Math.abs(cell[0]);
  if (r === Infinity) return sign | 0x7c00;
  if (r === 0) return sign;
  if (r < pow2(-14)) return sign | (r * pow2(24));
  const e = ((cellWords[1] >>> 20) & 0x7ff) - 1023;
  return sign | ((e + 15) << 10) | (r * pow2(10 - e) - 1024);
}

/**
 * FPToFixed of the value in the cell: times 2^fractionBits, rounded to an
 * integer (towards zero, or by FPSCR.RMode) and saturated to `size` bits
 * (16 or 32, signed or unsigned). NaN gives 0; NaN and saturation raise
 * Invalid Operation, otherwise an inexact result raises Inexact. Returns the
 * 32-bit register value as an int32 (16-bit results sign- or zero-extended).
 */
function toFixed(nan: boolean, fractionBits: number, unsigned: boolean, size: number, roundZero: boolean, fpscr: number): number {
  if (nan) {
    fpExceptions.flags |= IOC;
    return 0;
  }
  const mode = roundZero ? RZ : (fpscr >>> RMODE_SHIFT) & 3;
  const scaled = cell[0] * pow2(fractionBits); // exact: finite operands stay within a double's range
  let n = Math.floor(scaled);
  const error = scaled - n;
  if (error !== 0) {
    let up: boolean;
    switch (mode) {
      case RN: up = error > 0.5 || (error === 0.5 && n % 2 !== 0); break;
      case RP: up = true; break;
      case RM: up = false; break;
      default: up = n < 0; break; // towards zero: a negative value's floor is one too far
    }
    if (up) n += 1;
  }
  const min = unsigned ? 0 : -pow2(size - 1);
  const max = unsigned ? pow2(size) - 1 : pow2(size - 1) - 1;
  if (n < min || n > max) {
    // Infinities land here too (their error is NaN, their floor infinite).
    fpExceptions.flags |= IOC;
    n = n < min ? min : max;
  } else if (error !== 0) fpExceptions.flags |= IXC;
  if (size === 16) return unsigned ? n & 0xffff : (n << 16) >> 16;
  return n | 0;
}

/** VCVT/VCVTR to integer and VCVT to fixed point from the single at words[m] into words[d]. */
export function fpSingleToFixedAt(words: Int32Array, d: number, m: number, fractionBits: number, unsigned: boolean, size: number, roundZero: boolean, fpscr: number): void {
  unpackSingle(words, m, fpscr);
  words[d] = toFixed(isNaNBits(words[m]), fractionBits, unsigned, size, roundZero, fpscr);
}

/**
 * The same from the double doubles[m] into words[dWord]; with `extend` the
 * result is sign- or zero-extended into words[dWord + 1] (the in-place
 * fixed-point form on a D register).
 */
export function fpDoubleToFixedAt(words: Int32Array, doubles: Float64Array, dWord: number, m: number, fractionBits: number, unsigned: boolean, size: number, roundZero: boolean, extend: boolean, fpscr: number): void {
  cell[0] = doubles[m];
  const nan = cell[0] !== cell[0];
  if (!nan) unpackDouble(fpscr);
  const v = toFixed(nan, fractionBits, unsigned, size, roundZero, fpscr);
  words[dWord] = v;
  if (extend) words[dWord + 1] = unsigned || v >= 0 ? 0 : -1;
}

/** Put the integer a FixedToFP operand (the low `size` bits of a word) stands for, times 2^-fractionBits, in the cell (exact). */
function fixedOperand(bits: number, fractionBits: number, unsigned: boolean, size: number): void {
  let n: number;
  if (size === 16) n = unsigned ? bits & 0xffff : (bits << 16) >> 16;
  else n = unsigned ? bits >>> 0 : bits | 0;
  cell[0] = n * pow2(-fractionBits);
}

/**
 * FixedToFP to single from words[m] into words[d]: rounded to nearest when
 * `roundNearest` (VCVT from fixed point, A8.8.308, and Advanced SIMD), else
 * by FPSCR.RMode (VCVT from integer, A8.8.306).
 */
export function fpFixedToSingleAt(words: Int32Array, d: number, m: number, fractionBits: number, unsigned: boolean, size: number, roundNearest: boolean, fpscr: number): void {
  fixedOperand(words[m], fractionBits, unsigned, size);
  if (cell[0] !== 0) roundResultCell(SINGLE, roundNearest ? fpscr & ~(3 << RMODE_SHIFT) : fpscr);
  words[d] = cellAsSingle();
}

/** FixedToFP to double (always exact) from words[mWord] into doubles[d]. */
export function fpFixedToDoubleAt(words: Int32Array, doubles: Float64Array, d: number, mWord: number, fractionBits: number, unsigned: boolean, size: number): void {
  fixedOperand(words[mWord], fractionBits, unsigned, size);
  doubles[d] = cell[0];
}

// --- value-level wrappers (tests, Advanced SIMD) --------------------------------------------

const lanes = new Int32Array(4);
const lanes64 = new Float64Array(2);

export function fpSingleToDouble(a: number, fpscr: number): number {
  lanes[0] = a;
  fpSingleToDoubleAt(lanes, lanes64, 0, 0, fpscr);
  return lanes64[0];
}

export function fpDoubleToSingle(x: number, fpscr: number): number {
  lanes64[0] = x;
  fpDoubleToSingleAt(lanes, lanes64, 0, 0, fpscr);
  return lanes[0] >>> 0;
}

export function fpHalfToSingle(h: number, fpscr: number): number {
  lanes[0] = h;
  fpHalfToSingleAt(lanes, 1, 0, 0, fpscr);
  return lanes[1] >>> 0;
}

export function fpSingleToHalf(a: number, fpscr: number): number {
  lanes[0] = a;
  return singleToHalf(lanes, 0, fpscr);
}

export function fpSingleToFixed(a: number, fractionBits: number, unsigned: boolean, size: number, roundZero: boolean, fpscr: number): number {
  lanes[0] = a;
  fpSingleToFixedAt(lanes, 1, 0, fractionBits, unsigned, size, roundZero, fpscr);
  return lanes[1];
}

export function fpDoubleToFixed(x: number, fractionBits: number, unsigned: boolean, size: number, roundZero: boolean, fpscr: number): number {
  lanes64[0] = x;
  fpDoubleToFixedAt(lanes, lanes64, 0, 0, fractionBits, unsigned, size, roundZero, false, fpscr);
  return lanes[0];
}

export function fpFixedToSingle(bits: number, fractionBits: number, unsigned: boolean, size: number, roundNearest: boolean, fpscr: number): number {
  lanes[0] = bits;
  fpFixedToSingleAt(lanes, 1, 0, fractionBits, unsigned, size, roundNearest, fpscr);
  return lanes[1] >>> 0;
}

export function fpFixedToDouble(bits: number, fractionBits: number, unsigned: boolean, size: number): number {
  lanes[0] = bits;
  fpFixedToDoubleAt(lanes, lanes64, 0, 0, fractionBits, unsigned, size);
  return lanes64[0];
}

/** VFPExpandImm (A7.5.1): the single-precision constant of VMOV (immediate). */
export function vfpExpandImm32(imm8: number): number {
  const b6 = (imm8 >>> 6) & 1;
  const exponent = ((b6 ^ 1) << 7) | (b6 ? 0x7c : 0) | ((imm8 >>> 4) & 3);
  return (((imm8 & 0x80) << 24) | (exponent << 23) | ((imm8 & 15) << 19)) >>> 0;
}

/** VFPExpandImm for doubles: the high word (the low word is zero). */
export function vfpExpandImm64High(imm8: number): number {
  const b6 = (imm8 >>> 6) & 1;
  const exponent = ((b6 ^ 1) << 10) | (b6 ? 0x3fc : 0) | ((imm8 >>> 4) & 3);
  return (((imm8 & 0x80) << 24) | (exponent << 20) | ((imm8 & 15) << 16)) >>> 0;
}
