import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';
import * as neonLanesModule from './NeonLanes.ts';
import * as neonSaturationModule from './NeonSaturation.ts';
import * as threeRegisterSameModule from './ThreeRegisterSame.ts';
import * as wide64Module from './Wide64.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { sizeField, UNDEFINED, unsignedBit, vd, vm, vn } = neonFieldsModule;
const { AREA_A, AREA_B, AREA_D, AREA_R, lane, loadRegisters, S32, setLane, storeRegisters, U32 } = neonLanesModule;
const { commitQc, qc, saturate } = neonSaturationModule;
const { polynomialMultiply } = threeRegisterSameModule;
const { add64, compare64, mul32, sub64, W } = wide64Module;

/**
 * Advanced SIMD three registers of different lengths (ARM ARM A7.4.2):
 * 1111 001U 1Dzz nnnn dddd AAAA N0M0 mmmm, zz ≠ 11. Long forms (…L) take D
 * operands to a Q result of double-width lanes, wide forms (…W) a Q and a D
 * operand, narrow forms (…HN) keep the high halves of Q lanes in a D result.
 * The same lane operations serve the scalar class (A7.4.3, ScalarForms.ts).
 */

export const enum LongOp {
  Add,
  Sub,
  AbsDiff,
  AbsDiffAccumulate,
  MulAccumulate,
  MulSubtract,
  Mul,
  DoublingMul,
  DoublingMulAccumulate,
  DoublingMulSubtract,
  PolyMul,
}

function accumulates(op: LongOp): boolean {
  return op === LongOp.AbsDiffAccumulate || op === LongOp.MulAccumulate || op === LongOp.MulSubtract ||
    op === LongOp.DoublingMulAccumulate || op === LongOp.DoublingMulSubtract;
}

/** Doubled product 2·a·b of size-bit lanes, saturated (only −2^(size−1) squared overflows). */
function doubledProduct(a: number, b: number, size: number): number {
  return saturate(2 * a * b, 2 * size, false);
}

/** One lane of a long operation on 8- or 16-bit sources (results fit exactly in a double). */
function longLane(op: LongOp, a: number, b: number, d: number, size: number): number {
  switch (op) {
    case LongOp.Add: return a + b;
    case LongOp.Sub: return a - b;
    case LongOp.AbsDiff: return Math.abs(a - b);
    case LongOp.AbsDiffAccumulate: return d + Math.abs(a - b);
    case LongOp.MulAccumulate: return d + a * b;
    case LongOp.MulSubtract: return d - a * b;
    case LongOp.Mul: return a * b;
    case LongOp.DoublingMul: return doubledProduct(a, b, size);
    case LongOp.DoublingMulAccumulate: return saturate(d + doubledProduct(a, b, size), 2 * size, false);
    case LongOp.DoublingMulSubtract: return saturate(d - doubledProduct(a, b, size), 2 * size, false);
    case LongOp.PolyMul: return polynomialMultiply(a, b);
  }
  return 0;
}

/** Saturating signed 64-bit addition (hi, lo) + (W), result in W. */
function saturatingAdd64(ah: number, al: number, bh: number, bl: number): void {
  add64(ah, al, bh, bl);
  if (ah < 0 === bh < 0 && W.hi < 0 !== ah < 0) {
    qc.hit = true;
    W.hi = ah < 0 ? -0x80000000 : 0x7fffffff;
    W.lo = ah < 0 ? 0 : 0xffffffff;
  }
}

/** 2·a·b of 32-bit lanes as a 64-bit pair, saturated. */
function doubledProduct64(a: number, b: number): void {
  if (a === -0x80000000 && b === -0x80000000) {
    qc.hit = true;
    W.hi = 0x7fffffff;
    W.lo = 0xffffffff;
    return;
  }
  mul32(a, b);
  add64(W.hi, W.lo, W.hi, W.lo);
}

/** One lane of a long operation on 32-bit sources: (ah, al) is the first operand widened (or the wide lane), (dh, dl) the accumulator. */
function longLane64(op: LongOp, ah: number, al: number, b: number, dh: number, dl: number, unsigned: boolean): void {
  const bh = unsigned ? 0 : b >> 31;
  const bl = b >>> 0;
  switch (op) {
    case LongOp.Add: return add64(ah, al, bh, bl);
    case LongOp.Sub: return sub64(ah, al, bh, bl);
    case LongOp.AbsDiff:
    case LongOp.AbsDiffAccumulate: {
      if (compare64(ah, al, bh, bl, false) >= 0) sub64(ah, al, bh, bl);
      else sub64(bh, bl, ah, al);
      if (op === LongOp.AbsDiffAccumulate) add64(dh, dl, W.hi, W.lo);
      return;
    }
  }
  const a = unsigned ? al >>> 0 : al | 0;
  switch (op) {
    case LongOp.MulAccumulate:
      mul32(a, unsigned ? bl : b | 0);
      return add64(dh, dl, W.hi, W.lo);
    case LongOp.MulSubtract:
      mul32(a, unsigned ? bl : b | 0);
      return sub64(dh, dl, W.hi, W.lo);
    case LongOp.Mul:
      return mul32(a, unsigned ? bl : b | 0);
    case LongOp.DoublingMul:
      return doubledProduct64(a, b | 0);
    case LongOp.DoublingMulAccumulate:
      doubledProduct64(a, b | 0);
      return saturatingAdd64(dh, dl, W.hi, W.lo);
    case LongOp.DoublingMulSubtract: {
      doubledProduct64(a, b | 0);
      const ph = W.hi;
      const pl = W.lo;
      // d − p: saturating add of −p (−p cannot overflow: p ≤ 2^63 − 1).
      sub64(0, 0, ph, pl);
      return saturatingAdd64(dh, dl, W.hi, W.lo);
    }
  }
  W.hi = 0;
  W.lo = 0;
}

/**
 * Run a long or wide operation: lanes of size `size` from `AREA_A` (or
 * double-width lanes when `wide`) and the lane function of `mLane(e)` from
 * `AREA_B`, accumulating into the old Vd (AREA_D), result in AREA_R (Q).
 */
export function runLong(op: LongOp, size: number, unsigned: boolean, wide: boolean, mLane: (e: number) => number): void {
  const count = 64 / size;
  if (size === 32) {
    for (let e = 0; e < count; e++) {
      let ah: number;
      let al: number;
      if (wide) {
        ah = S32[(AREA_A >>> 2) + 2 * e + 1];
        al = U32[(AREA_A >>> 2) + 2 * e];
      } else {
        const a = unsigned ? U32[(AREA_A >>> 2) + e] : S32[(AREA_A >>> 2) + e];
        ah = unsigned ? 0 : a >> 31;
        al = a >>> 0;
      }
      const b = mLane(e);
      longLane64(op, ah, al, b, S32[(AREA_D >>> 2) + 2 * e + 1], U32[(AREA_D >>> 2) + 2 * e], unsigned);
      S32[(AREA_R >>> 2) + 2 * e] = W.lo;
      S32[(AREA_R >>> 2) + 2 * e + 1] = W.hi;
    }
    return;
  }
  // Doubling forms are signed; others take the U bit. The accumulator lanes read with the same signedness.
  for (let e = 0; e < count; e++) {
    const a = wide ? lane(AREA_A, e, 2 * size, unsigned) : lane(AREA_A, e, size, unsigned);
    const r = longLane(op, a, mLane(e), lane(AREA_D, e, 2 * size, unsigned), size);
    setLane(AREA_R, e, 2 * size, r);
  }
}

function longForm(op: LongOp, wide: boolean, sizes = 0b0111) {
  return (i: number): A32Handler => {
    const d = vd(i);
    const n = vn(i);
    const m = vm(i);
    const z = sizeField(i);
    if (((sizes >>> z) & 1) === 0) return UNDEFINED;
    if ((d & 1) !== 0 || (wide && (n & 1) !== 0)) return UNDEFINED;
    const size = 8 << z;
    const unsigned = op === LongOp.PolyMul ? true : unsignedBit(i);
    const last = Math.max(d + 1, wide ? n + 1 : n, m);
    const mLane = (e: number) => lane(AREA_B, e, size, unsigned);
    const reads = accumulates(op);
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, n, wide ? 2 : 1, AREA_A);
      loadRegisters(c, m, 1, AREA_B);
      if (reads) loadRegisters(c, d, 2, AREA_D);
      runLong(op, size, unsigned, wide, mLane);
      storeRegisters(c, d, 2, AREA_R);
      commitQc(c);
    };
  };
}

/** VADDHN, VRADDHN, VSUBHN, VRSUBHN (A8.8.285 etc.): the high halves of Q lanes, D result. */
function narrowHigh(subtract: boolean, round: boolean) {
  return (i: number): A32Handler => {
    const d = vd(i);
    const n = vn(i);
    const m = vm(i);
    if ((n & 1) !== 0 || (m & 1) !== 0) return UNDEFINED;
    const size = 8 << sizeField(i);
    const last = Math.max(d, n + 1, m + 1);
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, n, 2, AREA_A);
      loadRegisters(c, m, 2, AREA_B);
      const count = 64 / size;
      for (let e = 0; e < count; e++) {
        let r: number;
        if (size === 32) {
          const a = (AREA_A >>> 2) + 2 * e;
          const b = (AREA_B >>> 2) + 2 * e;
          if (subtract) sub64(S32[a + 1], U32[a], S32[b + 1], U32[b]);
          else add64(S32[a + 1], U32[a], S32[b + 1], U32[b]);
          if (round) add64(W.hi, W.lo, 0, 0x80000000);
          r = W.hi;
        } else {
          const x = lane(AREA_A, e, 2 * size, true);
          const y = lane(AREA_B, e, 2 * size, true);
          const v = (subtract ? x - y : x + y) + (round ? 2 ** (size - 1) : 0);
          r = Math.floor(v / 2 ** size);
        }
        setLane(AREA_R, e, size, r);
      }
      storeRegisters(c, d, 1, AREA_R);
    };
  };
}

// --- the table ---------------------------------------------------------------------------------

/** zz = 11 in this space belongs to VEXT, VTBL, VDUP and two registers misc (A7.4). */
const SIZE_11 = '1111 001- 1-11 ---- ---- ---- ---- ----';

function form(name: string, u: string, a: string, build: (i: number) => A32Handler): Encoding<A32Handler> {
  return {
    name,
    pattern: `1111 001${u} 1Dzz nnnn dddd ${a} N0M0 mmmm`,
    unless: [SIZE_11],
    exec: (cpu: ArmCpu, i: number) => build(i)(cpu, i),
    specialize: build,
  };
}

export const threeDifferentEncodings: Encoding<A32Handler>[] = [
  form('VADDL', 'U', '0000', longForm(LongOp.Add, false)),
  form('VADDW', 'U', '0001', longForm(LongOp.Add, true)),
  form('VSUBL', 'U', '0010', longForm(LongOp.Sub, false)),
  form('VSUBW', 'U', '0011', longForm(LongOp.Sub, true)),
  form('VADDHN', '0', '0100', narrowHigh(false, false)),
  form('VRADDHN', '1', '0100', narrowHigh(false, true)),
  form('VABAL', 'U', '0101', longForm(LongOp.AbsDiffAccumulate, false)),
  form('VSUBHN', '0', '0110', narrowHigh(true, false)),
  form('VRSUBHN', '1', '0110', narrowHigh(true, true)),
  form('VABDL (integer)', 'U', '0111', longForm(LongOp.AbsDiff, false)),
  form('VMLAL (integer)', 'U', '1000', longForm(LongOp.MulAccumulate, false)),
  form('VQDMLAL', '0', '1001', longForm(LongOp.DoublingMulAccumulate, false, 0b0110)),
  form('VMLSL (integer)', 'U', '1010', longForm(LongOp.MulSubtract, false)),
  form('VQDMLSL', '0', '1011', longForm(LongOp.DoublingMulSubtract, false, 0b0110)),
  form('VMULL (integer)', 'U', '1100', longForm(LongOp.Mul, false)),
  form('VQDMULL', '0', '1101', longForm(LongOp.DoublingMul, false, 0b0110)),
  form('VMULL (polynomial)', '0', '1110', longForm(LongOp.PolyMul, false, 0b0001)),
];
