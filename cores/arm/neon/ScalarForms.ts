import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import * as floatLanesModule from './FloatLanes.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';
import * as neonLanesModule from './NeonLanes.ts';
import * as neonSaturationModule from './NeonSaturation.ts';
import * as standardFloatModule from './StandardFloat.ts';
import * as threeRegisterDifferentModule from './ThreeRegisterDifferent.ts';
import type { LongOp as LongOpType } from './ThreeRegisterDifferent.ts';
import * as threeRegisterSameModule from './ThreeRegisterSame.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { commitFloatFlags } = floatLanesModule;
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { sizeField, UNDEFINED, unsignedBit, vd, vn } = neonFieldsModule;
const { AREA_A, AREA_B, AREA_D, AREA_R, lane, loadRegisters, setLane, storeRegisters, U32 } = neonLanesModule;
const { commitQc } = neonSaturationModule;
const { fpAdd, fpMul, fpSub } = standardFloatModule;
const { LongOp, runLong } = threeRegisterDifferentModule;
const { doublingHigh } = threeRegisterSameModule;

/**
 * Advanced SIMD two registers and a scalar (ARM ARM A7.4.3):
 * 1111 001Q 1Dzz nnnn dddd AAAA N1M0 mmmm, zz ≠ 11. The scalar is
 * Dm[index]: for 16-bit lanes Dm = Vm<2:0>, index = M:Vm<3>; for 32-bit
 * lanes Dm = Vm, index = M (A7.4.3). Bit 24 is Q for the same-length forms
 * and U for the long ones.
 */

function scalarOf(i: number, size: number): { m: number; index: number } {
  const vmField = i & 15;
  const M = (i >>> 5) & 1;
  if (size === 16) return { m: vmField & 7, index: (M << 1) | (vmField >>> 3) };
  return { m: vmField, index: M };
}

const enum SameOp {
  Mla,
  Mls,
  Mul,
  FloatMla,
  FloatMls,
  FloatMul,
  DoublingHigh,
  RoundingDoublingHigh,
}

function sameForm(op: SameOp) {
  const float = op === SameOp.FloatMla || op === SameOp.FloatMls || op === SameOp.FloatMul;
  const doubling = op === SameOp.DoublingHigh || op === SameOp.RoundingDoublingHigh;
  return (i: number): A32Handler => {
    const z = sizeField(i);
    if (z === 0 || (float && z !== 2)) return UNDEFINED;
    const q = (i & 0x1000000) !== 0;
    const d = vd(i);
    const n = vn(i);
    if (q && ((d & 1) !== 0 || (n & 1) !== 0)) return UNDEFINED;
    const size = 8 << z;
    const { m, index } = scalarOf(i, size);
    const regs = q ? 2 : 1;
    const last = Math.max(d + regs - 1, n + regs - 1, m);
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, n, regs, AREA_A);
      loadRegisters(c, m, 1, AREA_B);
      loadRegisters(c, d, regs, AREA_D);
      const count = (regs * 64) / size;
      if (float) {
        const s = U32[(AREA_B >>> 2) + index];
        for (let e = 0; e < count; e++) {
          const a = U32[(AREA_A >>> 2) + e];
          const old = U32[(AREA_D >>> 2) + e];
          let r: number;
          if (op === SameOp.FloatMul) r = fpMul(a, s);
          else if (op === SameOp.FloatMla) r = fpAdd(old, fpMul(a, s));
          else r = fpSub(old, fpMul(a, s));
          U32[(AREA_R >>> 2) + e] = r;
        }
        storeRegisters(c, d, regs, AREA_R);
        commitFloatFlags(c);
        return;
      }
      const s = lane(AREA_B, index, size, false);
      for (let e = 0; e < count; e++) {
        const a = lane(AREA_A, e, size, false);
        let r: number;
        if (doubling) r = doublingHigh(a, s, size, op === SameOp.RoundingDoublingHigh);
        else if (op === SameOp.Mul) r = Math.imul(a, s);
        else if (op === SameOp.Mla) r = lane(AREA_D, e, size, false) + Math.imul(a, s);
        else r = lane(AREA_D, e, size, false) - Math.imul(a, s);
        setLane(AREA_R, e, size, r);
      }
      storeRegisters(c, d, regs, AREA_R);
      commitQc(c);
    };
  };
}

function longForm(op: LongOpType) {
  return (i: number): A32Handler => {
    const z = sizeField(i);
    if (z === 0) return UNDEFINED;
    const d = vd(i);
    const n = vn(i);
    if ((d & 1) !== 0) return UNDEFINED;
    const size = 8 << z;
    const { m, index } = scalarOf(i, size);
    const unsigned = unsignedBit(i);
    const last = Math.max(d + 1, n, m);
    const accumulate = op !== LongOp.Mul && op !== LongOp.DoublingMul;
    let scalar = 0;
    const mLane = () => scalar;
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, n, 1, AREA_A);
      loadRegisters(c, m, 1, AREA_B);
      if (accumulate) loadRegisters(c, d, 2, AREA_D);
      scalar = lane(AREA_B, index, size, unsigned);
      runLong(op, size, unsigned, false, mLane);
      storeRegisters(c, d, 2, AREA_R);
      commitQc(c);
    };
  };
}

const SIZE_11 = '1111 001- 1-11 ---- ---- ---- ---- ----';

function form(name: string, u: string, a: string, build: (i: number) => A32Handler): Encoding<A32Handler> {
  return {
    name,
    pattern: `1111 001${u} 1Dzz nnnn dddd ${a} N1M0 mmmm`,
    unless: [SIZE_11],
    exec: (cpu: ArmCpu, i: number) => build(i)(cpu, i),
    specialize: build,
  };
}

export const scalarEncodings: Encoding<A32Handler>[] = [
  form('VMLA (by scalar, integer)', 'Q', '0000', sameForm(SameOp.Mla)),
  form('VMLA (by scalar, floating-point)', 'Q', '0001', sameForm(SameOp.FloatMla)),
  form('VMLAL (by scalar)', 'U', '0010', longForm(LongOp.MulAccumulate)),
  form('VQDMLAL (by scalar)', '0', '0011', longForm(LongOp.DoublingMulAccumulate)),
  form('VMLS (by scalar, integer)', 'Q', '0100', sameForm(SameOp.Mls)),
  form('VMLS (by scalar, floating-point)', 'Q', '0101', sameForm(SameOp.FloatMls)),
  form('VMLSL (by scalar)', 'U', '0110', longForm(LongOp.MulSubtract)),
  form('VQDMLSL (by scalar)', '0', '0111', longForm(LongOp.DoublingMulSubtract)),
  form('VMUL (by scalar, integer)', 'Q', '1000', sameForm(SameOp.Mul)),
  form('VMUL (by scalar, floating-point)', 'Q', '1001', sameForm(SameOp.FloatMul)),
  form('VMULL (by scalar)', 'U', '1010', longForm(LongOp.Mul)),
  form('VQDMULL (by scalar)', '0', '1011', longForm(LongOp.DoublingMul)),
  form('VQDMULH (by scalar)', 'Q', '1100', sameForm(SameOp.DoublingHigh)),
  form('VQRDMULH (by scalar)', 'Q', '1101', sameForm(SameOp.RoundingDoublingHigh)),
];
