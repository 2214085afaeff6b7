import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';
import * as neonLanesModule from './NeonLanes.ts';
import * as standardFloatModule from './StandardFloat.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { oddQuad, quad, UNDEFINED, vd, vm, vn } = neonFieldsModule;
const { AREA_A, AREA_B, AREA_D, AREA_R, loadRegisters, storeRegisters, U32 } = neonLanesModule;
const { fpFlags } = standardFloatModule;

/**
 * Loops over single-precision lanes for the Advanced SIMD floating-point
 * forms (ARM ARM A7.4.1, A7.4.5): lanes are bit patterns (see
 * StandardFloat.ts), the cumulative exception flags are ORed into FPSCR once
 * per instruction.
 */

export type FloatBinary = (n: number, m: number, d: number) => number;
export type FloatUnary = (m: number) => number;

export function commitFloatFlags(c: ArmCpu): void {
  if (fpFlags.bits !== 0) {
    c.vfp.fpscr |= fpFlags.bits;
    fpFlags.bits = 0;
  }
}

/** Vd = op(Vn, Vm, Vd) lane by lane; sz (bit 20) must be 0 (F32). */
export function floatSame(op: FloatBinary) {
  return (i: number): A32Handler => {
    const q = quad(i);
    const d = vd(i);
    const n = vn(i);
    const m = vm(i);
    if ((i & 0x100000) !== 0 || oddQuad(q, d, n, m)) return UNDEFINED;
    const regs = q ? 2 : 1;
    const last = Math.max(d, n, m) + regs - 1;
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, n, regs, AREA_A);
      loadRegisters(c, m, regs, AREA_B);
      loadRegisters(c, d, regs, AREA_D);
      for (let e = 0; e < 2 * regs; e++) {
        U32[(AREA_R >>> 2) + e] = op(U32[(AREA_A >>> 2) + e], U32[(AREA_B >>> 2) + e], U32[(AREA_D >>> 2) + e]);
      }
      storeRegisters(c, d, regs, AREA_R);
      commitFloatFlags(c);
    };
  };
}

/** Pairwise float forms (VPADD, VPMAX, VPMIN .F32): D registers only. */
export function floatPairwise(op: (a: number, b: number) => number) {
  return (i: number): A32Handler => {
    if (quad(i) || (i & 0x100000) !== 0) return UNDEFINED;
    const d = vd(i);
    const n = vn(i);
    const m = vm(i);
    const last = Math.max(d, n, m);
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, n, 1, AREA_A);
      loadRegisters(c, m, 1, AREA_B);
      const a = AREA_A >>> 2;
      const b = AREA_B >>> 2;
      U32[AREA_R >>> 2] = op(U32[a], U32[a + 1]);
      U32[(AREA_R >>> 2) + 1] = op(U32[b], U32[b + 1]);
      storeRegisters(c, d, 1, AREA_R);
      commitFloatFlags(c);
    };
  };
}

/** Vd = op(Vm) lane by lane for 32-bit lanes (size field bits 19:18 must be 10). */
export function floatUnary(op: FloatUnary) {
  return (i: number): A32Handler => {
    const q = quad(i);
    const d = vd(i);
    const m = vm(i);
    if (((i >>> 18) & 3) !== 2 || oddQuad(q, d, m)) return UNDEFINED;
    const regs = q ? 2 : 1;
    const last = Math.max(d, m) + regs - 1;
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, m, regs, AREA_B);
      for (let e = 0; e < 2 * regs; e++) U32[(AREA_R >>> 2) + e] = op(U32[(AREA_B >>> 2) + e]);
      storeRegisters(c, d, regs, AREA_R);
      commitFloatFlags(c);
    };
  };
}
