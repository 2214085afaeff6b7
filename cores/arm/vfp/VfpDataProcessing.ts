import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import {
  FP_ADD,
  FP_DIV,
  FP_MUL,
  FP_SUB,
  fpBinary32,
  fpBinary64,
  fpCompare32At,
  fpCompare64At,
  fpExceptions,
  fpMulAccumulate32,
  fpMulAccumulate64,
  fpMulAdd32At,
  fpMulAdd64At,
  fpSqrt32At,
  fpSqrt64At,
} from './FpArithmetic.ts';
import {
  fpDoubleToFixedAt,
  fpDoubleToSingleAt,
  fpFixedToDoubleAt,
  fpFixedToSingleAt,
  fpHalfToSingleAt,
  fpSingleToDoubleAt,
  fpSingleToFixedAt,
  fpSingleToHalfAt,
  vfpExpandImm32,
  vfpExpandImm64High,
} from './FpConversions.ts';
import { dRegisterOk, enabled } from './VfpTransfers.ts';
import type { VfpRegisters } from './VfpRegisters.ts';

/**
 * VFP data-processing instructions (ARM ARM A7.5, DDI 0406C), single and
 * double precision, as on a Cortex-A15 (VFPv4-D32: fused multiply-add and
 * half-precision conversion; no short vectors — a non-zero FPSCR.LEN or
 * STRIDE makes the vector-capable forms UNDEFINED — and no trapped
 * exceptions: the enable bits read as zero). Each word is decoded once
 * (`specialize`) into a closure holding its register numbers; executing it
 * allocates nothing. The arithmetic itself is FpArithmetic.ts and
 * FpConversions.ts.
 *
 * The T32 encodings are these words with condition 1110 (A6.3.18); the
 * Thumb decoder runs the same handlers.
 */

/** Cumulative exception bits an instruction raised, merged into FPSCR. */
function finish(c: ArmCpu, fpscr: number): void {
  c.vfp.fpscr = fpscr | fpExceptions.flags;
}


const UNDEFINED: A32Handler = (c, i) => c.undefinedInstruction(i);

// Register numbers (A7.5): single Sd = Vd:D, double Dd = D:Vd, likewise N and M.
const singleD = (i: number) => (((i >>> 12) & 15) << 1) | ((i >>> 22) & 1);
const singleN = (i: number) => (((i >>> 16) & 15) << 1) | ((i >>> 7) & 1);
const singleM = (i: number) => ((i & 15) << 1) | ((i >>> 5) & 1);
const doubleD = (i: number) => (((i >>> 22) & 1) << 4) | ((i >>> 12) & 15);
const doubleN = (i: number) => (((i >>> 7) & 1) << 4) | ((i >>> 16) & 15);
const doubleM = (i: number) => (((i >>> 5) & 1) << 4) | (i & 15);

/** FPSCR.LEN and FPSCR.STRIDE (bits 18:16, 21:20). */
const SHORT_VECTOR_BITS = 0x00370000;

/**
 * The enable check of the forms that short vectors would make vector
 * operations (A2.7.x "VFP vector operations"): Cortex-A15 has no short
 * vectors (MVFR0.ShortVectors = 0), so with FPSCR.LEN or STRIDE non-zero
 * they are UNDEFINED. VCMP, VCVT and the transfers are always scalar and run.
 */
function scalarEnabled(c: ArmCpu, w: number): boolean {
  if (!enabled(c, w)) return false;
  if ((c.vfp.fpscr & SHORT_VECTOR_BITS) === 0) return true;
  c.undefinedInstruction(w);
  return false;
}

/** Whether the D registers used exist (CPACR.D32DIS hides D16–D31). */
function doublesOk(c: ArmCpu, a: number, b: number, d: number): boolean {
  return (a | b | d) < 16 || (dRegisterOk(c, a) && dRegisterOk(c, b) && dRegisterOk(c, d));
}

// --- three-register arithmetic ----------------------------------------------------------

/**
 * FPSCR bits the operations read (RMode, FZ, DN, AHP): passing only these
 * keeps the argument a small integer, which V8 never boxes.
 */
const CONTROL = 0x07c00000;
const SIGN = 0x80000000 | 0;

/**
 * A three-register form on singles (Sd, Sn, Sm) or doubles (Dd, Dn, Dm): the
 * checks each makes (enabled, no short vectors, the D registers exist), then
 * `run` on the register file with FPSCR's controls, then the flags it raised
 * into FPSCR (or the trap).
 */
function threeRegister(i: number, double: boolean, run: (vfp: VfpRegisters, d: number, n: number, m: number, control: number) => void): A32Handler {
  const d = double ? doubleD(i) : singleD(i);
  const n = double ? doubleN(i) : singleN(i);
  const m = double ? doubleM(i) : singleM(i);
  return (c, w) => {
    if (!scalarEnabled(c, w)) return;
    if (double && !doublesOk(c, d, n, m)) return c.undefinedInstruction(w);
    const fpscr = c.vfp.fpscr;
    fpExceptions.flags = 0;
    run(c.vfp, d, n, m, fpscr & CONTROL);
    finish(c, fpscr);
  };
}

/** VADD, VSUB, VMUL, VNMUL (negated result), VDIV: `op` is FP_ADD … FP_DIV. */
function binary(i: number, double: boolean, op: number, negate: boolean): A32Handler {
  // The sign of the result's top word: Sd, or the high half of Dd.
  return double
    ? threeRegister(i, true, (vfp, d, n, m, control) => {
        fpBinary64(vfp.doubles, d, n, m, op, control);
        if (negate) vfp.words[2 * d + 1] ^= SIGN;
      })
    : threeRegister(i, false, (vfp, d, n, m, control) => {
        fpBinary32(vfp.words, d, n, m, op, control);
        if (negate) vfp.words[d] ^= SIGN;
      });
}

/**
 * VMLA, VMLS, VNMLA, VNMLS (A8.8.337, A8.8.343): the product rounded, then
 * FPAdd(d', p') with d' = −d for the N forms and p' = −product for VMLS
 * and VNMLA (FPNeg flips a NaN's sign too). Two roundings.
 */
function multiplyAccumulate(i: number, double: boolean, negateD: boolean, negateProduct: boolean): A32Handler {
  return double
    ? threeRegister(i, true, (vfp, d, n, m, control) => fpMulAccumulate64(vfp.doubles, d, n, m, negateD, negateProduct, control))
    : threeRegister(i, false, (vfp, d, n, m, control) => fpMulAccumulate32(vfp.words, d, n, m, negateD, negateProduct, control));
}

/**
 * VFMA, VFMS, VFNMA, VFNMS (A8.8.317–318): FPMulAdd(d', n', m) with one
 * rounding; VFMS and VFNMA negate n, VFNMA and VFNMS negate d (FPNeg, before
 * NaN processing).
 */
function fused(i: number, double: boolean, negateD: boolean, negateN: boolean): A32Handler {
  return double
    ? threeRegister(i, true, (vfp, d, n, m, control) => fpMulAdd64At(vfp.doubles, d, n, m, negateD, negateN, control))
    : threeRegister(i, false, (vfp, d, n, m, control) => fpMulAdd32At(vfp.words, d, n, m, negateD, negateN, control));
}

// --- two-register and immediate forms ------------------------------------------------------

/** VMOV (immediate), A8.8.339: VFPExpandImm(imm4H:imm4L). */
function moveImmediate(i: number, double: boolean): A32Handler {
  const imm8 = (((i >>> 16) & 15) << 4) | (i & 15);
  if (double) {
    const d = doubleD(i);
    const high = vfpExpandImm64High(imm8) | 0;
    return (c, w) => {
      if (!scalarEnabled(c, w)) return;
      if (!dRegisterOk(c, d)) return c.undefinedInstruction(w);
      c.vfp.words[2 * d] = 0;
      c.vfp.words[2 * d + 1] = high;
    };
  }
  const d = singleD(i);
  const value = vfpExpandImm32(imm8) | 0;
  return (c, w) => {
    if (!scalarEnabled(c, w)) return;
    c.vfp.words[d] = value;
  };
}

/** VMOV (register), VABS, VNEG: bit operations on the sign, no exceptions and no flushing (A8.8.340, A8.8.280, A8.8.355). */
function signOperation(i: number, double: boolean, kind: 'move' | 'abs' | 'neg'): A32Handler {
  if (double) {
    const d = doubleD(i);
    const m = doubleM(i);
    return (c, w) => {
      if (!scalarEnabled(c, w)) return;
      if (!doublesOk(c, d, m, 0)) return c.undefinedInstruction(w);
      const r = c.vfp.words;
      const high = r[2 * m + 1];
      r[2 * d] = r[2 * m];
      r[2 * d + 1] = kind === 'move' ? high : kind === 'abs' ? high & 0x7fffffff : high ^ 0x80000000;
    };
  }
  const d = singleD(i);
  const m = singleM(i);
  return (c, w) => {
    if (!scalarEnabled(c, w)) return;
    const r = c.vfp.words;
    const v = r[m];
    r[d] = kind === 'move' ? v : kind === 'abs' ? v & 0x7fffffff : v ^ 0x80000000;
  };
}

function squareRoot(i: number, double: boolean): A32Handler {
  if (double) {
    const d = doubleD(i);
    const m = doubleM(i);
    return (c, w) => {
      if (!scalarEnabled(c, w)) return;
      if (!doublesOk(c, d, m, 0)) return c.undefinedInstruction(w);
      const fpscr = c.vfp.fpscr;
      fpExceptions.flags = 0;
      fpSqrt64At(c.vfp.doubles, d, m, fpscr & CONTROL);
      finish(c, fpscr);
    };
  }
  const d = singleD(i);
  const m = singleM(i);
  return (c, w) => {
    if (!scalarEnabled(c, w)) return;
    const fpscr = c.vfp.fpscr;
    fpExceptions.flags = 0;
    fpSqrt32At(c.vfp.words, d, m, fpscr & CONTROL);
    finish(c, fpscr);
  };
}

/** VCMP, VCMPE (A8.8.301): FPSCR.NZCV from FPCompare; the E form signals Invalid on quiet NaNs too; opc2<0> compares with +0. */
function compare(i: number, double: boolean): A32Handler {
  const quietNaNExc = (i & 0x80) !== 0;
  const withZero = (i & 0x10000) !== 0;
  if (double) {
    const d = doubleD(i);
    const m = doubleM(i);
    return (c, w) => {
      if (!enabled(c, w)) return;
      if (!doublesOk(c, d, withZero ? 0 : m, 0)) return c.undefinedInstruction(w);
      const fpscr = c.vfp.fpscr;
      fpExceptions.flags = 0;
      const nzcv = fpCompare64At(c.vfp.doubles, d, withZero ? -1 : m, quietNaNExc, fpscr & CONTROL);
      c.vfp.fpscr = (fpscr & 0x0fffffff) | (nzcv << 28) | fpExceptions.flags;
    };
  }
  const d = singleD(i);
  const m = singleM(i);
  return (c, w) => {
    if (!enabled(c, w)) return;
    const fpscr = c.vfp.fpscr;
    fpExceptions.flags = 0;
    const nzcv = fpCompare32At(c.vfp.words, d, withZero ? -1 : m, quietNaNExc, fpscr & CONTROL);
    c.vfp.fpscr = (fpscr & 0x0fffffff) | (nzcv << 28) | fpExceptions.flags;
  };
}

/** VCVT (between double-precision and single-precision), A8.8.309: sz = 1 converts D[m] to S[d]. */
function convertPrecision(i: number, double: boolean): A32Handler {
  if (double) {
    const d = singleD(i);
    const m = doubleM(i);
    return (c, w) => {
      if (!enabled(c, w)) return;
      if (!dRegisterOk(c, m)) return c.undefinedInstruction(w);
      const fpscr = c.vfp.fpscr;
      fpExceptions.flags = 0;
      fpDoubleToSingleAt(c.vfp.words, c.vfp.doubles, d, m, fpscr & CONTROL);
      finish(c, fpscr);
    };
  }
  const d = doubleD(i);
  const m = singleM(i);
  return (c, w) => {
    if (!enabled(c, w)) return;
    if (!dRegisterOk(c, d)) return c.undefinedInstruction(w);
    const fpscr = c.vfp.fpscr;
    fpExceptions.flags = 0;
    fpSingleToDoubleAt(c.vfp.words, c.vfp.doubles, d, m, fpscr & CONTROL);
    finish(c, fpscr);
  };
}

/** VCVTB, VCVTT (A8.8.310): half precision in the bottom or top half of S[d]/S[m], converted to or from single. */
function convertHalf(i: number, double: boolean): A32Handler {
  if (double) return UNDEFINED; // half ↔ double is ARMv8
  const toHalf = (i & 0x10000) !== 0;
  const shift = (i & 0x80) !== 0 ? 16 : 0;
  const d = singleD(i);
  const m = singleM(i);
  return (c, w) => {
    if (!enabled(c, w)) return;
    const fpscr = c.vfp.fpscr;
    fpExceptions.flags = 0;
    if (toHalf) fpSingleToHalfAt(c.vfp.words, d, m, shift, fpscr & CONTROL);
    else fpHalfToSingleAt(c.vfp.words, d, m, shift, fpscr & CONTROL);
    finish(c, fpscr);
  };
}

/**
 * VCVT, VCVTR (between floating-point and integer), A8.8.306: opc2 = 000
 * integer (S[m], op = 1 signed) to floating point by FPSCR.RMode;
 * opc2 = 10U: to integer in S[d] (opc2<0> = 1 signed), op = 1 rounding
 * towards zero, op = 0 (VCVTR) by FPSCR.RMode.
 */
function convertInteger(i: number, double: boolean): A32Handler {
  const opc2 = (i >>> 16) & 7;
  const op = (i >>> 7) & 1;
  if (opc2 === 0) {
    const unsigned = op === 0;
    const m = singleM(i);
    if (double) {
      const d = doubleD(i);
      return (c, w) => {
        if (!enabled(c, w)) return;
        if (!dRegisterOk(c, d)) return c.undefinedInstruction(w);
        fpFixedToDoubleAt(c.vfp.words, c.vfp.doubles, d, m, 0, unsigned, 32);
      };
    }
    const d = singleD(i);
    return (c, w) => {
      if (!enabled(c, w)) return;
      const fpscr = c.vfp.fpscr;
      fpExceptions.flags = 0;
      fpFixedToSingleAt(c.vfp.words, d, m, 0, unsigned, 32, false, fpscr & CONTROL);
      finish(c, fpscr);
    };
  }
  if ((opc2 & 6) !== 4) return UNDEFINED;
  const unsigned = (opc2 & 1) === 0;
  const roundZero = op === 1;
  const d = singleD(i);
  if (double) {
    const m = doubleM(i);
    return (c, w) => {
      if (!enabled(c, w)) return;
      if (!dRegisterOk(c, m)) return c.undefinedInstruction(w);
      const fpscr = c.vfp.fpscr;
      fpExceptions.flags = 0;
      fpDoubleToFixedAt(c.vfp.words, c.vfp.doubles, d, m, 0, unsigned, 32, roundZero, false, fpscr & CONTROL);
      finish(c, fpscr);
    };
  }
  const m = singleM(i);
  return (c, w) => {
    if (!enabled(c, w)) return;
    const fpscr = c.vfp.fpscr;
    fpExceptions.flags = 0;
    fpSingleToFixedAt(c.vfp.words, d, m, 0, unsigned, 32, roundZero, fpscr & CONTROL);
    finish(c, fpscr);
  };
}

/**
 * VCVT (between floating-point and fixed-point, VFP), A8.8.308: in place on
 * S[d]/D[d]; op (bit 18) = 1 converts to fixed point rounding towards zero,
 * op = 0 from fixed point rounding to nearest (whatever FPSCR.RMode says),
 * U unsigned, sx selects 32- or 16-bit fixed point, fraction bits =
 * size − imm4:i (a negative count is UNPREDICTABLE: treated as UNDEFINED).
 */
function convertFixed(i: number, double: boolean): A32Handler {
  const toFixed = (i & 0x40000) !== 0;
  const unsigned = (i & 0x10000) !== 0;
  const size = (i & 0x80) !== 0 ? 32 : 16;
  const fractionBits = size - (((i & 15) << 1) | ((i >>> 5) & 1));
  if (fractionBits < 0) return UNDEFINED;
  if (double) {
    const d = doubleD(i);
    return (c, w) => {
      if (!enabled(c, w)) return;
      if (!dRegisterOk(c, d)) return c.undefinedInstruction(w);
      const fpscr = c.vfp.fpscr;
      fpExceptions.flags = 0;
      // To fixed point: the manual's sign/zero extension to 64 bits.
      if (toFixed) fpDoubleToFixedAt(c.vfp.words, c.vfp.doubles, 2 * d, d, fractionBits, unsigned, size, true, true, fpscr & CONTROL);
      else fpFixedToDoubleAt(c.vfp.words, c.vfp.doubles, d, 2 * d, fractionBits, unsigned, size);
      finish(c, fpscr);
    };
  }
  const d = singleD(i);
  return (c, w) => {
    if (!enabled(c, w)) return;
    const fpscr = c.vfp.fpscr;
    fpExceptions.flags = 0;
    if (toFixed) fpSingleToFixedAt(c.vfp.words, d, d, fractionBits, unsigned, size, true, fpscr & CONTROL);
    else fpFixedToSingleAt(c.vfp.words, d, d, fractionBits, unsigned, size, true, fpscr & CONTROL);
    finish(c, fpscr);
  };
}

/** Decode one VFP data-processing word (A7.5 table A7-16) into its handler. */
export function decodeVfpDataProcessing(i: number): A32Handler {
  const double = (i & 0x100) !== 0;
  const opc1 = (((i >>> 23) & 1) << 2) | ((i >>> 20) & 3);
  const op = (i >>> 6) & 1;
  switch (opc1) {
    case 0b000: return multiplyAccumulate(i, double, false, op === 1); // VMLA, VMLS
    case 0b001: return multiplyAccumulate(i, double, true, op === 1); // VNMLS, VNMLA
    case 0b010: return binary(i, double, FP_MUL, op === 1); // VMUL, VNMUL
    case 0b011: return binary(i, double, op ? FP_SUB : FP_ADD, false);
    case 0b100: return op ? UNDEFINED : binary(i, double, FP_DIV, false);
    case 0b101: return fused(i, double, true, op === 1); // VFNMS, VFNMA
    case 0b110: return fused(i, double, false, op === 1); // VFMA, VFMS
    default: break;
  }
  if (op === 0) return moveImmediate(i, double);
  const opc2 = (i >>> 16) & 15;
  const high = (i >>> 7) & 1;
  switch (opc2) {
    case 0b0000: return signOperation(i, double, high ? 'abs' : 'move');
    case 0b0001: return high ? squareRoot(i, double) : signOperation(i, double, 'neg');
    case 0b0010:
    case 0b0011: return convertHalf(i, double);
    case 0b0100:
    case 0b0101: return compare(i, double);
    case 0b0111: return high ? convertPrecision(i, double) : UNDEFINED;
    case 0b1000:
    case 0b1100:
    case 0b1101: return convertInteger(i, double);
    case 0b1010:
    case 0b1011:
    case 0b1110:
    case 0b1111: return convertFixed(i, double);
    default: return UNDEFINED;
  }
}

/** The VFP data-processing space: coprocessor 10/11 CDP-class words (bit 4 = 0). */
export const vfpDataProcessingEncodings: Encoding<A32Handler>[] = [
  {
    name: 'VFP data-processing',
    pattern: 'cccc 1110 ---- ---- ---- 101- ---0 ----',
    exec: (c, i) => decodeVfpDataProcessing(i)(c, i),
    specialize: decodeVfpDataProcessing,
  },
];
