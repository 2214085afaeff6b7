import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';
import * as neonLanesModule from './NeonLanes.ts';
import * as neonSaturationModule from './NeonSaturation.ts';
import * as wide64Module from './Wide64.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { oddQuad, quad, sizeField, UNDEFINED, unsignedBit, vd, vm, vn } = neonFieldsModule;
const { AREA_A, AREA_B, AREA_D, AREA_R, areaIndex, lane, laneView, loadRegisters, S32, setLane, storeRegisters, U32 } = neonLanesModule;
const { commitQc, qc, saturate } = neonSaturationModule;
const { add64, compare64, mul32: mulFull, roundingShr64, shl64, shr64, sub64, W } = wide64Module;

/**
 * Advanced SIMD three registers of the same length, integer and bitwise
 * forms (ARM ARM A7.4.1; A8.8 pages of each instruction). Encoding
 * 1111 001U 0Dzz nnnn dddd oooo NQMb mmmm: element size 8 << zz, Q selects
 * D or Q registers. One lane function per instruction; size 11 (64-bit
 * lanes) has its own pair function where the manual allows it.
 */

/** One lane: Elem[Vn], Elem[Vm], the old Elem[Vd] → the new Elem[Vd] (truncated to the element). */
type LaneOp = (n: number, m: number, d: number, size: number, unsigned: boolean) => number;
/** One 64-bit lane as (hi, lo) pairs; the result is left in W. */
type PairOp = (nh: number, nl: number, mh: number, ml: number, unsigned: boolean) => void;

const ONES = -1;

/** Run a same-length form: operands copied to scratch, lanes computed, Vd written, QC updated. */
function sameLength(op: LaneOp, pairOp: PairOp | null, sizes = 0b0111, signed = false, readsDest = false) {
  return (i: number): A32Handler => {
    const q = quad(i);
    const d = vd(i);
    const n = vn(i);
    const m = vm(i);
    const z = sizeField(i);
    const regs = q ? 2 : 1;
    if (((sizes >>> z) & 1) === 0 || (z === 3 && pairOp === null)) return UNDEFINED;
    if (oddQuad(q, d, n, m)) return UNDEFINED;
    const size = 8 << z;
    // U selects signedness, except for VQRDMULH, where it selects the operation (always signed).
    const unsigned = unsignedBit(i) && !signed;
    const last = Math.max(d, n, m) + regs - 1;
    // Lanes are read and written through one scratch view of the element size (no per-lane dispatch).
    const view = laneView(size === 64 ? 32 : size, unsigned);
    const count = (regs * 64) / size;
    const a = areaIndex(AREA_A, size === 64 ? 32 : size);
    const b = areaIndex(AREA_B, size === 64 ? 32 : size);
    const dd = areaIndex(AREA_D, size === 64 ? 32 : size);
    const r = areaIndex(AREA_R, size === 64 ? 32 : size);
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, n, regs, AREA_A);
      loadRegisters(c, m, regs, AREA_B);
      if (readsDest) loadRegisters(c, d, regs, AREA_D);
      if (size === 64) {
        for (let e = 0; e < regs; e++) {
          const w = 2 * e;
          pairOp!(S32[(AREA_A >>> 2) + w + 1], U32[(AREA_A >>> 2) + w], S32[(AREA_B >>> 2) + w + 1], U32[(AREA_B >>> 2) + w], unsigned);
          S32[(AREA_R >>> 2) + w] = W.lo;
          S32[(AREA_R >>> 2) + w + 1] = W.hi;
        }
      } else {
        for (let e = 0; e < count; e++) view[r + e] = op(view[a + e], view[b + e], view[dd + e], size, unsigned);
      }
      storeRegisters(c, d, regs, AREA_R);
      commitQc(c);
    };
  };
}

/** Pairwise forms (VPADD, VPMAX, VPMIN; A8.8.373 etc.): D registers only, lanes of Vn then of Vm. */
function pairwise(op: (a: number, b: number) => number) {
  return (i: number): A32Handler => {
    if (quad(i) || sizeField(i) === 3) return UNDEFINED;
    const d = vd(i);
    const n = vn(i);
    const m = vm(i);
    const size = 8 << sizeField(i);
    const unsigned = unsignedBit(i);
    const last = Math.max(d, n, m);
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, n, 1, AREA_A);
      loadRegisters(c, m, 1, AREA_B);
      const half = 32 / size;
      for (let e = 0; e < half; e++) {
        setLane(AREA_R, e, size, op(lane(AREA_A, 2 * e, size, unsigned), lane(AREA_A, 2 * e + 1, size, unsigned)));
        setLane(AREA_R, e + half, size, op(lane(AREA_B, 2 * e, size, unsigned), lane(AREA_B, 2 * e + 1, size, unsigned)));
      }
      storeRegisters(c, d, 1, AREA_R);
    };
  };
}

/** Bitwise forms on whole words (VAND… A8.8.280 etc.): `op(n, m, d)` on 32 bits at a time. */
function bitwise(op: (n: number, m: number, d: number) => number) {
  return (i: number): A32Handler => {
    const q = quad(i);
    const d = vd(i);
    const n = vn(i);
    const m = vm(i);
    if (oddQuad(q, d, n, m)) return UNDEFINED;
    const words = q ? 4 : 2;
    const last = Math.max(d, n, m) + words / 2 - 1;
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      const r = c.vfp.words;
      for (let k = 0; k < words; k++) r[2 * d + k] = op(r[2 * n + k], r[2 * m + k], r[2 * d + k]);
    };
  };
}

// --- lane operations (A8.8 pseudocode) ---------------------------------------------------------

const VHADD: LaneOp = (a, b) => Math.floor((a + b) / 2);
const VRHADD: LaneOp = (a, b) => Math.floor((a + b + 1) / 2);
const VHSUB: LaneOp = (a, b) => Math.floor((a - b) / 2);
const VQADD: LaneOp = (a, b, _d, size, u) => saturate(a + b, size, u);
const VQSUB: LaneOp = (a, b, _d, size, u) => saturate(a - b, size, u);
const VCGT: LaneOp = (a, b) => (a > b ? ONES : 0);
const VCGE: LaneOp = (a, b) => (a >= b ? ONES : 0);
const VMAX: LaneOp = (a, b) => (a >= b ? a : b);
const VMIN: LaneOp = (a, b) => (a >= b ? b : a);
const VABD: LaneOp = (a, b) => Math.abs(a - b);
const VABA: LaneOp = (a, b, d) => d + Math.abs(a - b);
const VADD: LaneOp = (a, b) => (a + b) | 0;
const VSUB: LaneOp = (a, b) => (a - b) | 0;
const VTST: LaneOp = (a, b) => ((a & b) !== 0 ? ONES : 0);
const VCEQ: LaneOp = (a, b) => (a === b ? ONES : 0);
const VMLA: LaneOp = (a, b, d) => (d + Math.imul(a, b)) | 0;
const VMLS: LaneOp = (a, b, d) => (d - Math.imul(a, b)) | 0;
const VMUL: LaneOp = (a, b) => Math.imul(a, b);

/** Polynomial multiplication over GF(2) of two 8-bit lanes, low 8 bits (A2.9.x PolynomialMult). */
export function polynomialMultiply(a: number, b: number): number {
  let r = 0;
  for (let k = 0; k < 16; k++) if ((b >>> k) & 1) r ^= a << k;
  return r;
}
const VMUL_P8: LaneOp = (a, b) => polynomialMultiply(a & 0xff, b & 0xff);

/**
 * VQDMULH / VQRDMULH (A8.8.326, A8.8.330): the high half of 2·a·b (+ 2^(esize−1)
 * when rounding), saturated: only −2^(esize−1) squared overflows.
 */
export function doublingHigh(a: number, b: number, size: number, round: boolean): number {
  if (size === 16) {
    const p = 2 * a * b + (round ? 0x8000 : 0);
    return saturate(Math.floor(p / 65536), 16, false);
  }
  // 32-bit lanes: the product needs 64 bits; (2ab + 2^31) >> 32 = (ab + 2^30) >> 31.
  mulFull(a, b);
  if (round) add64(W.hi, W.lo, 0, 0x40000000);
  const hi = W.hi;
  const lo = W.lo;
  if (a === -0x80000000 && b === -0x80000000) return saturate(0x80000000, 32, false);
  return (hi << 1) | (lo >>> 31);
}
const VQDMULH: LaneOp = (a, b, _d, size) => doublingHigh(a, b, size, false);
const VQRDMULH: LaneOp = (a, b, _d, size) => doublingHigh(a, b, size, true);

// Shifts by register: the shift is the signed bottom byte of the Vn lane, the value the Vm lane (A8.8.395 etc.).

function shiftLane(value: number, shift: number, size: number, unsigned: boolean, round: boolean, sat: boolean): number {
  if (shift >= 0) {
    if (sat) {
      if (value === 0) return 0;
      return saturate(shift >= size + 1 ? (value < 0 ? -Infinity : Infinity) : value * 2 ** shift, size, unsigned);
    }
    return shift >= 32 ? 0 : value << shift;
  }
  const k = -shift;
  if (round) {
    if (k > size + 1) return 0;
    return Math.floor((value + 2 ** (k - 1)) / 2 ** k);
  }
  if (k >= size) return unsigned || value >= 0 ? 0 : -1;
  return Math.floor(value / 2 ** k);
}
const shiftByte = (n: number) => (n << 24) >> 24;
const VSHL_reg: LaneOp = (n, m, _d, size, u) => shiftLane(m, shiftByte(n), size, u, false, false);
const VQSHL_reg: LaneOp = (n, m, _d, size, u) => shiftLane(m, shiftByte(n), size, u, false, true);
const VRSHL: LaneOp = (n, m, _d, size, u) => shiftLane(m, shiftByte(n), size, u, true, false);
const VQRSHL: LaneOp = (n, m, _d, size, u) => {
  const s = shiftByte(n);
  return s >= 0 ? shiftLane(m, s, size, u, false, true) : shiftLane(m, s, size, u, true, false);
};

// --- 64-bit lanes ----------------------------------------------------------------------------

const MIN_HI = -0x80000000;

function saturate64(negative: boolean, unsigned: boolean): void {
  qc.hit = true;
  if (unsigned) {
    W.hi = negative ? 0 : -1;
    W.lo = negative ? 0 : 0xffffffff;
  } else {
    W.hi = negative ? MIN_HI : 0x7fffffff;
    W.lo = negative ? 0 : 0xffffffff;
  }
}

const VADD64: PairOp = (nh, nl, mh, ml) => add64(nh, nl, mh, ml);
const VSUB64: PairOp = (nh, nl, mh, ml) => sub64(nh, nl, mh, ml);
const VQADD64: PairOp = (nh, nl, mh, ml, u) => {
  add64(nh, nl, mh, ml);
  if (u) {
    if (compare64(W.hi, W.lo, nh, nl, true) < 0) saturate64(false, true);
  } else if (nh < 0 === mh < 0 && W.hi < 0 !== nh < 0) saturate64(nh < 0, false);
};
const VQSUB64: PairOp = (nh, nl, mh, ml, u) => {
  sub64(nh, nl, mh, ml);
  if (u) {
    if (compare64(nh, nl, mh, ml, true) < 0) saturate64(true, true);
  } else if (nh < 0 !== mh < 0 && W.hi < 0 !== nh < 0) saturate64(nh < 0, false);
};

/** Saturating left shift of a 64-bit lane: the value must survive the shift back (A8.8.330 VQSHL). */
export function saturatingShl64(h: number, l: number, s: number, unsigned: boolean): void {
  if (h === 0 && l === 0) {
    W.hi = 0;
    W.lo = 0;
    return;
  }
  const negative = !unsigned && h < 0;
  if (s < 64) {
    shl64(h, l, s);
    const rh = W.hi;
    const rl = W.lo;
    shr64(rh, rl, s, unsigned);
    if (W.hi === (h | 0) && W.lo === l >>> 0 && (unsigned || rh < 0 === negative)) {
      W.hi = rh;
      W.lo = rl;
      return;
    }
  }
  saturate64(negative, unsigned);
}

function shiftPair(mh: number, ml: number, shift: number, unsigned: boolean, round: boolean, sat: boolean): void {
  if (shift >= 0) {
    if (sat) saturatingShl64(mh, ml, shift, unsigned);
    else shl64(mh, ml, shift);
  } else if (round) {
    if (-shift > 64) {
      W.hi = 0;
      W.lo = 0;
    } else roundingShr64(mh, ml, -shift, unsigned);
  } else shr64(mh, ml, -shift, unsigned);
}
const VSHL64: PairOp = (_nh, nl, mh, ml, u) => shiftPair(mh, ml, shiftByte(nl), u, false, false);
const VQSHL64: PairOp = (_nh, nl, mh, ml, u) => shiftPair(mh, ml, shiftByte(nl), u, false, true);
const VRSHL64: PairOp = (_nh, nl, mh, ml, u) => shiftPair(mh, ml, shiftByte(nl), u, true, false);
const VQRSHL64: PairOp = (_nh, nl, mh, ml, u) => {
  const s = shiftByte(nl);
  shiftPair(mh, ml, s, u, s < 0, s >= 0);
};

// --- the table -------------------------------------------------------------------------------

type Build = (i: number) => A32Handler;

/** A form: the encoding bits of A7.4.1 (A = bits 11:8, B = bit 4, U, C = bits 21:20). */
function form(name: string, u: string, c: string, a: string, b: string, build: Build): Encoding<A32Handler> {
  return {
    name,
    pattern: `1111 001${u} 0D${c} nnnn dddd ${a} NQM${b} mmmm`,
    exec: (cpu: ArmCpu, i: number) => build(i)(cpu, i),
    specialize: build,
  };
}

const lowBits8 = 0b0001;

export const threeSameIntegerEncodings: Encoding<A32Handler>[] = [
  form('VHADD', 'U', 'zz', '0000', '0', sameLength(VHADD, null)),
  form('VQADD', 'U', 'zz', '0000', '1', sameLength(VQADD, VQADD64, 0b1111)),
  form('VRHADD', 'U', 'zz', '0001', '0', sameLength(VRHADD, null)),
  form('VAND (register)', '0', '00', '0001', '1', bitwise((n, m) => n & m)),
  form('VBIC (register)', '0', '01', '0001', '1', bitwise((n, m) => n & ~m)),
  form('VORR (register)', '0', '10', '0001', '1', bitwise((n, m) => n | m)),
  form('VORN (register)', '0', '11', '0001', '1', bitwise((n, m) => n | ~m)),
  form('VEOR', '1', '00', '0001', '1', bitwise((n, m) => n ^ m)),
  form('VBSL', '1', '01', '0001', '1', bitwise((n, m, d) => (n & d) | (m & ~d))),
  form('VBIT', '1', '10', '0001', '1', bitwise((n, m, d) => (n & m) | (d & ~m))),
  form('VBIF', '1', '11', '0001', '1', bitwise((n, m, d) => (d & m) | (n & ~m))),
  form('VHSUB', 'U', 'zz', '0010', '0', sameLength(VHSUB, null)),
  form('VQSUB', 'U', 'zz', '0010', '1', sameLength(VQSUB, VQSUB64, 0b1111)),
  form('VCGT (register)', 'U', 'zz', '0011', '0', sameLength(VCGT, null)),
  form('VCGE (register)', 'U', 'zz', '0011', '1', sameLength(VCGE, null)),
  form('VSHL (register)', 'U', 'zz', '0100', '0', sameLength(VSHL_reg, VSHL64, 0b1111)),
  form('VQSHL (register)', 'U', 'zz', '0100', '1', sameLength(VQSHL_reg, VQSHL64, 0b1111)),
  form('VRSHL', 'U', 'zz', '0101', '0', sameLength(VRSHL, VRSHL64, 0b1111)),
  form('VQRSHL', 'U', 'zz', '0101', '1', sameLength(VQRSHL, VQRSHL64, 0b1111)),
  form('VMAX (integer)', 'U', 'zz', '0110', '0', sameLength(VMAX, null)),
  form('VMIN (integer)', 'U', 'zz', '0110', '1', sameLength(VMIN, null)),
  form('VABD (integer)', 'U', 'zz', '0111', '0', sameLength(VABD, null)),
  form('VABA', 'U', 'zz', '0111', '1', sameLength(VABA, null, 0b0111, false, true)),
  form('VADD (integer)', '0', 'zz', '1000', '0', sameLength(VADD, VADD64, 0b1111)),
  form('VSUB (integer)', '1', 'zz', '1000', '0', sameLength(VSUB, VSUB64, 0b1111)),
  form('VTST', '0', 'zz', '1000', '1', sameLength(VTST, null)),
  form('VCEQ (register, integer)', '1', 'zz', '1000', '1', sameLength(VCEQ, null)),
  form('VMLA (integer)', '0', 'zz', '1001', '0', sameLength(VMLA, null, 0b0111, false, true)),
  form('VMLS (integer)', '1', 'zz', '1001', '0', sameLength(VMLS, null, 0b0111, false, true)),
  form('VMUL (integer)', '0', 'zz', '1001', '1', sameLength(VMUL, null)),
  form('VMUL (polynomial)', '1', 'zz', '1001', '1', sameLength(VMUL_P8, null, lowBits8)),
  form('VPMAX (integer)', 'U', 'zz', '1010', '0', pairwise((a, b) => (a >= b ? a : b))),
  form('VPMIN (integer)', 'U', 'zz', '1010', '1', pairwise((a, b) => (a >= b ? b : a))),
  form('VQDMULH', '0', 'zz', '1011', '0', sameLength(VQDMULH, null, 0b0110)),
  form('VQRDMULH', '1', 'zz', '1011', '0', sameLength(VQRDMULH, null, 0b0110, true)),
  form('VPADD (integer)', '0', 'zz', '1011', '1', pairwise((a, b) => a + b)),
];
