import {
  DEFAULT_NAN_32,
  defaultNaN64,
  doubleFromWords,
  doubleHigh,
  doubleLow,
  roundDoubleTo,
  isNaN32,
  singleBits,
  singleValue,
  unpack32,
  unpack64,
} from './FpArithmetic.ts';
import {
  FPSCR_AHP,
  FPSCR_DN,
  HALF,
  HALF_ALTERNATIVE,
  IOC,
  IXC,
  RM,
  RMODE_SHIFT,
  RN,
  RP,
  RZ,
  SINGLE,
  exponentOf,
  fpExceptions,
  pow2,
  roundExact,
  rounded,
  scaleBy,
  setExact,
} from './FpExactRounding.ts';

/**
 * Conversions of the ARM ARM's FPConvert, FPToFixed and FixedToFP
 * (DDI 0406C A2.7, A8.8.305–A8.8.309): single ↔ double, single ↔ half
 * (IEEE or alternative half precision by FPSCR.AHP), floating point ↔
 * 32-bit integers and 16/32-bit fixed point. Same conventions as
 * FpArithmetic.ts: singles and halves as bit patterns, doubles as numbers,
 * exceptions ORed into fpExceptions.flags.
 */

/** FPConvert single → double: exact; NaNs keep their payload (quietened). */
export function fpSingleToDouble(a: number, fpscr: number): number {
  if (isNaN32(a)) {
    if ((a & 0x00400000) === 0) fpExceptions.flags |= IOC;
    if ((fpscr & FPSCR_DN) !== 0) return defaultNaN64();
    // sign : Ones(11) : '1' : fraction<21:0> : Zeros(29)
    const high = (a & 0x80000000) | 0x7ff80000 | ((a & 0x003fffff) >>> 3);
    return doubleFromWords(high >>> 0, (a << 29) >>> 0);
  }
  return unpack32(a, fpscr);
}

/** FPConvert double → single, rounded by FPSCR.RMode. */
export function fpDoubleToSingle(x: number, fpscr: number): number {
  if (x !== x) {
    const high = doubleHigh(x);
    if ((high & 0x00080000) === 0) fpExceptions.flags |= IOC;
    if ((fpscr & FPSCR_DN) !== 0) return DEFAULT_NAN_32;
    // sign : Ones(8) : '1' : fraction<50:29>
    return ((high & 0x80000000) | 0x7fc00000 | ((high & 0x7ffff) << 3) | (doubleLow(x) >>> 29)) >>> 0;
  }
  const v = unpack64(x, fpscr);
  if (v === 0 || v === Infinity || v === -Infinity) return singleBits(v);
  return singleBits(roundDoubleTo(v, SINGLE, fpscr));
}

/** FPConvert half → single (exact). AHP: exponent 31 is an ordinary binade. */
export function fpHalfToSingle(h: number, fpscr: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >>> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0x1f && (fpscr & FPSCR_AHP) === 0) {
    if (fraction === 0) return (sign | 0x7f800000) >>> 0;
    if ((fraction & 0x200) === 0) fpExceptions.flags |= IOC;
    if ((fpscr & FPSCR_DN) !== 0) return DEFAULT_NAN_32;
    return (sign | 0x7fc00000 | ((fraction & 0x1ff) << 13)) >>> 0;
  }
  // Half values (subnormals included; FZ does not apply to halves) are exact in single.
  const magnitude = exponent === 0 ? fraction * pow2(-24) : (1024 + fraction) * pow2(exponent - 25);
  return (sign | singleBits(magnitude)) >>> 0;
}

/** FPConvert single → half, rounded by FPSCR.RMode; AHP has no NaN or infinity (Invalid Operation). */
export function fpSingleToHalf(a: number, fpscr: number): number {
  const ahp = (fpscr & FPSCR_AHP) !== 0;
  const sign = (a >>> 16) & 0x8000;
  if (isNaN32(a)) {
    if (ahp) {
      fpExceptions.flags |= IOC;
      return sign;
    }
    if ((a & 0x00400000) === 0) fpExceptions.flags |= IOC;
    if ((fpscr & FPSCR_DN) !== 0) return 0x7e00;
    return sign | 0x7e00 | ((a >>> 13) & 0x1ff);
  }
  const v = unpack32(a, fpscr);
  if (v === Infinity || v === -Infinity) {
    if (ahp) {
      fpExceptions.flags |= IOC;
      return sign | 0x7fff;
    }
    return sign | 0x7c00;
  }
  if (v === 0) return sign;
  const e = exponentOf(v);
  setExact(e, scaleBy(v, -e));
  roundExact(ahp ? HALF_ALTERNATIVE : HALF, fpscr);
  return halfBits(rounded[0], sign);
}

function halfBits(r: number, sign: number): number {
  const m = Math.abs(r);
  if (m === Infinity) return sign | 0x7c00;
  if (m === 0) return sign;
  const e = exponentOf(m);
  if (e < -14) return sign | (m * pow2(24));
  return sign | ((e + 15) << 10) | (m * pow2(10 - e) - 1024);
}

/**
 * FPToFixed: the value times 2^fractionBits rounded to an integer (towards
 * zero, or by FPSCR.RMode) and saturated to `size` bits (16 or 32, signed or
 * unsigned). NaN gives 0; NaN and saturation raise Invalid Operation,
 * otherwise an inexact result raises Inexact. Returns the 32-bit register
 * value (16-bit results sign- or zero-extended).
 */
function toFixed(v: number, nan: boolean, fractionBits: number, unsigned: boolean, size: number, roundZero: boolean, fpscr: number): number {
  if (nan) {
    fpExceptions.flags |= IOC;
    return 0;
  }
  const mode = roundZero ? RZ : (fpscr >>> RMODE_SHIFT) & 3;
  const scaled = v * pow2(fractionBits); // exact: the result of a finite operand is within range of a double
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
    fpExceptions.flags |= IOC;
    n = n < min ? min : max;
  } else if (error !== 0) fpExceptions.flags |= IXC;
  if (size === 16) return unsigned ? n & 0xffff : (n << 16) >> 16;
  return n | 0;
}

export function fpSingleToFixed(a: number, fractionBits: number, unsigned: boolean, size: number, roundZero: boolean, fpscr: number): number {
  const v = unpack32(a, fpscr);
  return toFixed(v, isNaN32(a), fractionBits, unsigned, size, roundZero, fpscr);
}

export function fpDoubleToFixed(x: number, fractionBits: number, unsigned: boolean, size: number, roundZero: boolean, fpscr: number): number {
  const v = unpack64(x, fpscr);
  return toFixed(v, x !== x, fractionBits, unsigned, size, roundZero, fpscr);
}

/** The integer a FixedToFP operand stands for: the low `size` bits of the register, signed or not. */
function fixedOperand(bits: number, unsigned: boolean, size: number): number {
  if (size === 16) return unsigned ? bits & 0xffff : (bits << 16) >> 16;
  return unsigned ? bits >>> 0 : bits | 0;
}

/**
 * FixedToFP to single: rounded to nearest when `roundNearest` (VCVT from
 * fixed point, A8.8.308, and Advanced SIMD), else by FPSCR.RMode (VCVT from
 * integer, A8.8.306).
 */
export function fpFixedToSingle(bits: number, fractionBits: number, unsigned: boolean, size: number, roundNearest: boolean, fpscr: number): number {
  const v = fixedOperand(bits, unsigned, size) * pow2(-fractionBits); // exact in double
  if (v === 0) return 0;
  return singleBits(roundDoubleTo(v, SINGLE, roundNearest ? fpscr & ~(3 << RMODE_SHIFT) : fpscr));
}

/** FixedToFP to double: always exact. */
export function fpFixedToDouble(bits: number, fractionBits: number, unsigned: boolean, size: number): number {
  return fixedOperand(bits, unsigned, size) * pow2(-fractionBits);
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

export { singleValue };
