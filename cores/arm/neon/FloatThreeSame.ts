import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import * as floatLanesModule from './FloatLanes.ts';
import * as standardFloatModule from './StandardFloat.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { floatPairwise, floatSame } = floatLanesModule;
const { fpAbs, fpAdd, fpCompare, fpMaxMin, fpMul, fpMulAdd, fpNeg, fpRecipSqrtStep, fpRecipStep, fpSub } = standardFloatModule;

/**
 * Advanced SIMD three registers of the same length, single-precision forms
 * (ARM ARM A7.4.1 with A = 1100–1111; A8.8 pages): 1111 001U 0Dos nnnn dddd
 * AAAA NQMB mmmm, o (bit 21) choosing between the two operations of a row,
 * s (bit 20) = 0 for .F32.
 */

const ONES = 0xffffffff;

function form(name: string, u: string, op: string, a: string, b: string, build: (i: number) => A32Handler): Encoding<A32Handler> {
  return {
    name,
    pattern: `1111 001${u} 0D${op}s nnnn dddd ${a} NQM${b} mmmm`,
    exec: (cpu: ArmCpu, i: number) => build(i)(cpu, i),
    specialize: build,
  };
}

export const floatThreeSameEncodings: Encoding<A32Handler>[] = [
  form('VFMA', '0', '0', '1100', '1', floatSame((n, m, d) => fpMulAdd(d, n, m))),
  form('VFMS', '0', '1', '1100', '1', floatSame((n, m, d) => fpMulAdd(d, fpNeg(n), m))),
  form('VADD (floating-point)', '0', '0', '1101', '0', floatSame((n, m) => fpAdd(n, m))),
  form('VSUB (floating-point)', '0', '1', '1101', '0', floatSame((n, m) => fpSub(n, m))),
  form('VPADD (floating-point)', '1', '0', '1101', '0', floatPairwise(fpAdd)),
  form('VABD (floating-point)', '1', '1', '1101', '0', floatSame((n, m) => fpAbs(fpSub(n, m)))),
  form('VMLA (floating-point)', '0', '0', '1101', '1', floatSame((n, m, d) => fpAdd(d, fpMul(n, m)))),
  form('VMLS (floating-point)', '0', '1', '1101', '1', floatSame((n, m, d) => fpSub(d, fpMul(n, m)))),
  form('VMUL (floating-point)', '1', '0', '1101', '1', floatSame((n, m) => fpMul(n, m))),
  form('VCEQ (register, floating-point)', '0', '0', '1110', '0', floatSame((n, m) => (fpCompare(n, m, true) === 0 ? ONES : 0))),
  form('VCGE (register, floating-point)', '1', '0', '1110', '0', floatSame((n, m) => (fpCompare(n, m, false) >= 0 ? ONES : 0))),
  form('VCGT (register, floating-point)', '1', '1', '1110', '0', floatSame((n, m) => (fpCompare(n, m, false) > 0 ? ONES : 0))),
  form('VACGE', '1', '0', '1110', '1', floatSame((n, m) => (fpCompare(fpAbs(n), fpAbs(m), false) >= 0 ? ONES : 0))),
  form('VACGT', '1', '1', '1110', '1', floatSame((n, m) => (fpCompare(fpAbs(n), fpAbs(m), false) > 0 ? ONES : 0))),
  form('VMAX (floating-point)', '0', '0', '1111', '0', floatSame((n, m) => fpMaxMin(n, m, true))),
  form('VMIN (floating-point)', '0', '1', '1111', '0', floatSame((n, m) => fpMaxMin(n, m, false))),
  form('VPMAX (floating-point)', '1', '0', '1111', '0', floatPairwise((a, b) => fpMaxMin(a, b, true))),
  form('VPMIN (floating-point)', '1', '1', '1111', '0', floatPairwise((a, b) => fpMaxMin(a, b, false))),
  form('VRECPS', '0', '0', '1111', '1', floatSame((n, m) => fpRecipStep(n, m))),
  form('VRSQRTS', '0', '1', '1111', '1', floatSame((n, m) => fpRecipSqrtStep(n, m))),
];
