import type { A32Handler } from '../ArmCpu.ts';
import * as floatLanesModule from './FloatLanes.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';
import * as neonLanesModule from './NeonLanes.ts';
import * as standardFloatModule from './StandardFloat.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { commitFloatFlags } = floatLanesModule;
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { UNDEFINED, vd, vm } = neonFieldsModule;
const { AREA_B, AREA_R, loadRegisters, storeRegisters, U16, U32 } = neonLanesModule;
const { DEFAULT_NAN, flushInput, fpFlags, IOC, isNaNBits, IXC, OFC, toSingle, UFC } = standardFloatModule;

/**
 * VCVT between half and single precision (ARM ARM A8.8.307, two registers
 * misc): F16 ← F32 packs four singles of Qm into Dd, F32 ← F16 widens four
 * halves of Dm into Qd. The Standard FPSCR value applies (flush-to-zero of
 * single inputs, default NaN, round to nearest) but keeps FPSCR.AHP, the
 * alternative half-precision format without infinities or NaNs (A2.7.4).
 * Flush-to-zero never applies to half-precision values (A2.7.3).
 */

const AHP = 1 << 26;

/** Round half to even of a non-negative number to an integer. */
function roundEven(x: number): number {
  const f = Math.floor(x);
  const rest = x - f;
  if (rest > 0.5 || (rest === 0.5 && (f & 1) === 1)) return f + 1;
  return f;
}

export function singleToHalf(bits: number, alternative: boolean): number {
  bits = flushInput(bits);
  const sign = (bits >>> 16) & 0x8000;
  if (isNaNBits(bits)) {
    // IEEE: the default NaN (IOC for a signalling one); AHP: a zero of the NaN's sign and Invalid Operation.
    if (alternative || (bits & 0x00400000) === 0) fpFlags.bits |= IOC;
    return alternative ? sign : 0x7e00;
  }
  if ((bits & 0x7fffffff) === 0x7f800000) {
    if (!alternative) return sign | 0x7c00;
    fpFlags.bits |= IOC;
    return sign | 0x7fff;
  }
  const a = Math.abs(toSingle(bits));
  if (a === 0) return sign;
  let half: number;
  let inexact: boolean;
  let tiny = false;
  if (a < 2 ** -14) {
    // Below the smallest normal half: a denormal in units of 2^−24 (not flushed).
    const units = a / 2 ** -24;
    half = roundEven(units);
    inexact = half !== units;
    tiny = true;
  } else {
    let exponent = Math.floor(Math.log2(a));
    if (a >= 2 ** (exponent + 1)) exponent++;
    else if (a < 2 ** exponent) exponent--;
    const scaled = a / 2 ** (exponent - 10);
    const n = roundEven(scaled);
    inexact = n !== scaled;
    half = ((exponent + 15) << 10) + (n - 1024);
  }
  if (half >= (alternative ? 0x8000 : 0x7c00)) {
    if (alternative) {
      // AHP has no infinity: the largest value and Invalid Operation, not Inexact (FPRound, N = 16).
      fpFlags.bits |= IOC;
      return sign | 0x7fff;
    }
    fpFlags.bits |= OFC | IXC;
    return sign | 0x7c00;
  }
  if (inexact) fpFlags.bits |= tiny ? UFC | IXC : IXC;
  return sign | half;
}

export function halfToSingle(h: number, alternative: boolean): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >>> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0x1f && !alternative) {
    if (fraction === 0) return (sign | 0x7f800000) >>> 0;
    if ((fraction & 0x200) === 0) fpFlags.bits |= IOC;
    return DEFAULT_NAN;
  }
  if (exponent === 0) {
    if (fraction === 0) return sign >>> 0;
    // A half denormal, fraction × 2^−24, is a normal single: its leading one at bit p gives 2^(p−24).
    const p = 31 - Math.clz32(fraction);
    return (sign | ((p - 24 + 127) << 23) | ((fraction << (23 - p)) & 0x7fffff)) >>> 0;
  }
  return (sign | ((exponent - 15 + 127) << 23) | (fraction << 13)) >>> 0;
}

/** VCVT.F16.F32 Dd, Qm (op = 0) and VCVT.F32.F16 Qd, Dm (op = 1); the size field must be 01. */
export const halfConversion = (i: number): A32Handler => {
  const d = vd(i);
  const m = vm(i);
  const toSingleForm = (i & 0x100) !== 0;
  if (((i >>> 18) & 3) !== 1) return UNDEFINED;
  if (toSingleForm ? (d & 1) !== 0 : (m & 1) !== 0) return UNDEFINED;
  const last = toSingleForm ? Math.max(d + 1, m) : Math.max(d, m + 1);
  return (c, word) => {
    if (!simdEnabled(c, word)) return;
    if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
    const alternative = (c.vfp.fpscr & AHP) !== 0;
    if (toSingleForm) {
      loadRegisters(c, m, 1, AREA_B);
      for (let e = 0; e < 4; e++) U32[(AREA_R >>> 2) + e] = halfToSingle(U16[(AREA_B >>> 1) + e], alternative);
      storeRegisters(c, d, 2, AREA_R);
    } else {
      loadRegisters(c, m, 2, AREA_B);
      for (let e = 0; e < 4; e++) U16[(AREA_R >>> 1) + e] = singleToHalf(U32[(AREA_B >>> 2) + e], alternative);
      storeRegisters(c, d, 1, AREA_R);
    }
    commitFloatFlags(c);
  };
};
