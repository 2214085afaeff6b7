import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import * as floatConversionsModule from './FloatConversions.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';
import * as neonLanesModule from './NeonLanes.ts';
import * as neonSaturationModule from './NeonSaturation.ts';
import * as threeRegisterSameModule from './ThreeRegisterSame.ts';
import * as wide64Module from './Wide64.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { fixedPointConversion } = floatConversionsModule;
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { oddQuad, quad, UNDEFINED, unsignedBit, vd, vm } = neonFieldsModule;
const { AREA_B, AREA_D, AREA_R, lane, loadRegisters, S32, setLane, storeRegisters, U32 } = neonLanesModule;
const { commitQc, qc, saturate } = neonSaturationModule;
const { saturatingShl64 } = threeRegisterSameModule;
const { add64, roundingShr64, shl64, shr64, W } = wide64Module;

/**
 * Advanced SIMD two registers and a shift amount (ARM ARM A7.4.4):
 * 1111 001U 1Dii iiii dddd oooo LQM1 mmmm. L:imm6 gives the element size
 * (the highest set bit: L → 64, imm6<5> → 32, <4> → 16, <3> → 8) and the
 * shift: right shifts 2·esize − imm6 (64 − imm6 for L = 1), left shifts
 * imm6 − esize. L = 0 with imm6<5:3> = 000 is the modified immediate class.
 */

interface Shift {
  readonly size: number;
  readonly right: number;
  readonly left: number;
}

function shiftOf(i: number): Shift {
  const imm6 = (i >>> 16) & 0x3f;
  if ((i & 0x80) !== 0) return { size: 64, right: 64 - imm6, left: imm6 };
  const size = imm6 >= 32 ? 32 : imm6 >= 16 ? 16 : 8;
  return { size, right: 2 * size - imm6, left: imm6 - size };
}

/** Elementwise shift forms on D or Q registers: `op(value, oldDest)` per lane, `pair` for 64-bit lanes. */
type LaneOp = (value: number, d: number, size: number, shift: number, unsigned: boolean) => number;
type PairOp = (vh: number, vl: number, dh: number, dl: number, shift: number, unsigned: boolean) => void;

function elementwise(op: LaneOp, pair: PairOp, left: boolean, readsDest: boolean, signedSource = false) {
  return (i: number): A32Handler => {
    const q = quad(i);
    const d = vd(i);
    const m = vm(i);
    if (oddQuad(q, d, m)) return UNDEFINED;
    const { size, right, left: leftShift } = shiftOf(i);
    const shift = left ? leftShift : right;
    const regs = q ? 2 : 1;
    const unsigned = unsignedBit(i) && !signedSource;
    const last = Math.max(d, m) + regs - 1;
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, m, regs, AREA_B);
      if (readsDest) loadRegisters(c, d, regs, AREA_D);
      if (size === 64) {
        for (let e = 0; e < regs; e++) {
          const w = 2 * e;
          pair(S32[(AREA_B >>> 2) + w + 1], U32[(AREA_B >>> 2) + w], S32[(AREA_D >>> 2) + w + 1], U32[(AREA_D >>> 2) + w], shift, unsigned);
          S32[(AREA_R >>> 2) + w] = W.lo;
          S32[(AREA_R >>> 2) + w + 1] = W.hi;
        }
      } else {
        const count = (regs * 64) / size;
        for (let e = 0; e < count; e++) {
          setLane(AREA_R, e, size, op(lane(AREA_B, e, size, unsigned), lane(AREA_D, e, size, unsigned), size, shift, unsigned));
        }
      }
      storeRegisters(c, d, regs, AREA_R);
      commitQc(c);
    };
  };
}

/** Shift right by 1..esize (Shift/RShift in the pseudocode), on exact integers. */
const shr = (v: number, n: number) => Math.floor(v / 2 ** n);
const rshr = (v: number, n: number) => Math.floor((v + 2 ** (n - 1)) / 2 ** n);

const VSHR: LaneOp = (v, _d, _s, n) => shr(v, n);
const VSRA: LaneOp = (v, d, _s, n) => d + shr(v, n);
const VRSHR: LaneOp = (v, _d, _s, n) => rshr(v, n);
const VRSRA: LaneOp = (v, d, _s, n) => d + rshr(v, n);
const VSHL: LaneOp = (v, _d, _s, n) => v << n;
function insertMask(size: number, n: number, right: boolean): number {
  const ones = size === 32 ? 0xffffffff : (1 << size) - 1;
  if (right) return n >= size ? 0 : Math.floor(ones / 2 ** n);
  return (ones << n) & ones;
}
const VSRI: LaneOp = (v, d, size, n) => {
  const mask = insertMask(size, n, true);
  return (d & ~mask) | (n >= size ? 0 : (v >>> n) & mask);
};
const VSLI: LaneOp = (v, d, size, n) => {
  const mask = insertMask(size, n, false);
  return (d & ~mask) | ((v << n) & mask);
};
const VQSHL: LaneOp = (v, _d, size, n, u) => saturate(v * 2 ** n, size, u);
/** VQSHLU: a signed value saturated to the unsigned range. */
const VQSHLU: LaneOp = (v, _d, size, n) => saturate(v * 2 ** n, size, true);

const VSHR64: PairOp = (vh, vl, _dh, _dl, n, u) => shr64(vh, vl, n, u);
const VRSHR64: PairOp = (vh, vl, _dh, _dl, n, u) => roundingShr64(vh, vl, n, u);
const VSRA64: PairOp = (vh, vl, dh, dl, n, u) => {
  shr64(vh, vl, n, u);
  add64(dh, dl, W.hi, W.lo);
};
const VRSRA64: PairOp = (vh, vl, dh, dl, n, u) => {
  roundingShr64(vh, vl, n, u);
  add64(dh, dl, W.hi, W.lo);
};
const VSHL64: PairOp = (vh, vl, _dh, _dl, n) => shl64(vh, vl, n);
const VSRI64: PairOp = (vh, vl, dh, dl, n) => {
  // mask = ones >> n; result = (d & ~mask) | (v >> n)
  shr64(-1, 0xffffffff, n, true);
  const mh = W.hi;
  const ml = W.lo;
  shr64(vh, vl, n, true);
  W.hi = (dh & ~mh) | W.hi;
  W.lo = ((dl & ~ml) | W.lo) >>> 0;
};
const VSLI64: PairOp = (vh, vl, dh, dl, n) => {
  shl64(-1, 0xffffffff, n);
  const mh = W.hi;
  const ml = W.lo;
  shl64(vh, vl, n);
  W.hi = (dh & ~mh) | W.hi;
  W.lo = ((dl & ~ml) | W.lo) >>> 0;
};
const VQSHL64: PairOp = (vh, vl, _dh, _dl, n, u) => saturatingShl64(vh, vl, n, u);
const VQSHLU64: PairOp = (vh, vl, _dh, _dl, n) => {
  if (vh < 0) {
    qc.hit = true;
    W.hi = 0;
    W.lo = 0;
  } else saturatingShl64(vh, vl, n, true);
};

// --- narrowing shifts: Q source, D result (A8.8.381 VSHRN, A8.8.336 VQSHRN…) -------------------

/** How the narrowed value is bounded: wrap (VSHRN), saturate to the source signedness, or signed → unsigned. */
const enum Narrow {
  Wrap,
  Saturate,
  ToUnsigned,
}

function narrowing(round: boolean, kind: Narrow) {
  return (i: number): A32Handler => {
    const d = vd(i);
    const m = vm(i);
    if ((m & 1) !== 0) return UNDEFINED;
    const { size, right } = shiftOf(i);
    // The source signedness: VQSHRUN/VQRSHRUN have U = 1 but signed sources.
    const unsignedSource = kind === Narrow.ToUnsigned ? false : unsignedBit(i);
    const unsignedResult = kind === Narrow.ToUnsigned ? true : unsignedSource;
    const last = Math.max(d, m + 1);
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, m, 2, AREA_B);
      const count = 64 / size;
      for (let e = 0; e < count; e++) {
        let v: number;
        if (size === 32) {
          const w = (AREA_B >>> 2) + 2 * e;
          if (round) roundingShr64(S32[w + 1], U32[w], right, unsignedSource);
          else shr64(S32[w + 1], U32[w], right, unsignedSource);
          v = narrow64(W.hi, W.lo, kind !== Narrow.Wrap, unsignedResult);
        } else {
          const x = lane(AREA_B, e, 2 * size, unsignedSource);
          v = round ? rshr(x, right) : shr(x, right);
          if (kind !== Narrow.Wrap) v = saturate(v, size, unsignedResult);
        }
        setLane(AREA_R, e, size, v);
      }
      storeRegisters(c, d, 1, AREA_R);
      commitQc(c);
    };
  };
}

/** A 64-bit value (hi, lo) narrowed to 32 bits: wrapped, or saturated to the signed or unsigned range. */
export function narrow64(hi: number, lo: number, saturating: boolean, unsignedResult: boolean): number {
  if (!saturating) return lo | 0;
  if (unsignedResult) {
    if (hi === 0) return lo | 0;
    qc.hit = true;
    return hi < 0 ? 0 : -1;
  }
  if (hi === lo >> 31) return lo | 0;
  qc.hit = true;
  return hi < 0 ? -0x80000000 : 0x7fffffff;
}

/** VSHLL (A8.8.380, encoding A1) and VMOVL (A8.8.352, shift 0): D source, Q result of double-width lanes. */
const VSHLL = (i: number): A32Handler => {
  const d = vd(i);
  const m = vm(i);
  if ((d & 1) !== 0) return UNDEFINED;
  const { size, left } = shiftOf(i);
  const unsigned = unsignedBit(i);
  const last = Math.max(d + 1, m);
  return (c, word) => {
    if (!simdEnabled(c, word)) return;
    if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
    loadRegisters(c, m, 1, AREA_B);
    const count = 64 / size;
    for (let e = 0; e < count; e++) {
      const v = lane(AREA_B, e, size, unsigned);
      if (size === 32) {
        shl64(unsigned ? 0 : v >> 31, v >>> 0, left);
        S32[(AREA_R >>> 2) + 2 * e] = W.lo;
        S32[(AREA_R >>> 2) + 2 * e + 1] = W.hi;
      } else setLane(AREA_R, e, 2 * size, v * 2 ** left);
    }
    storeRegisters(c, d, 2, AREA_R);
  };
};

// --- the table ---------------------------------------------------------------------------------

type Build = (i: number) => A32Handler;

/** The modified immediate class: L = 0 and imm6<5:3> = 000 (A7.4.6). */
const MODIFIED_IMMEDIATE = '1111 001- 1-00 0--- ---- ---- 0--1 ----';

function form(name: string, u: string, a: string, lq: string, build: Build): Encoding<A32Handler> {
  return {
    name,
    pattern: `1111 001${u} 1Dii iiii dddd ${a} ${lq}M1 mmmm`,
    unless: [MODIFIED_IMMEDIATE],
    exec: (cpu: ArmCpu, i: number) => build(i)(cpu, i),
    specialize: build,
  };
}

export const shiftByImmediateEncodings: Encoding<A32Handler>[] = [
  form('VSHR', 'U', '0000', 'LQ', elementwise(VSHR, VSHR64, false, false)),
  form('VSRA', 'U', '0001', 'LQ', elementwise(VSRA, VSRA64, false, true)),
  form('VRSHR', 'U', '0010', 'LQ', elementwise(VRSHR, VRSHR64, false, false)),
  form('VRSRA', 'U', '0011', 'LQ', elementwise(VRSRA, VRSRA64, false, true)),
  form('VSRI', '1', '0100', 'LQ', elementwise(VSRI, VSRI64, false, true)),
  form('VSHL (immediate)', '0', '0101', 'LQ', elementwise(VSHL, VSHL64, true, false)),
  form('VSLI', '1', '0101', 'LQ', elementwise(VSLI, VSLI64, true, true)),
  form('VQSHLU (immediate)', '1', '0110', 'LQ', elementwise(VQSHLU, VQSHLU64, true, false, true)),
  form('VQSHL (immediate)', 'U', '0111', 'LQ', elementwise(VQSHL, VQSHL64, true, false)),
  form('VSHRN', '0', '1000', '00', narrowing(false, Narrow.Wrap)),
  form('VRSHRN', '0', '1000', '01', narrowing(true, Narrow.Wrap)),
  form('VQSHRUN', '1', '1000', '00', narrowing(false, Narrow.ToUnsigned)),
  form('VQRSHRUN', '1', '1000', '01', narrowing(true, Narrow.ToUnsigned)),
  form('VQSHRN', 'U', '1001', '00', narrowing(false, Narrow.Saturate)),
  form('VQRSHRN', 'U', '1001', '01', narrowing(true, Narrow.Saturate)),
  form('VSHLL, VMOVL', 'U', '1010', '00', VSHLL),
  form('VCVT (between floating-point and fixed-point)', 'U', '111o', '0Q', fixedPointConversion),
];
