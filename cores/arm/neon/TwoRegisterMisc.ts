import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import * as floatConversionsModule from './FloatConversions.ts';
import * as halfPrecisionModule from './HalfPrecision.ts';
import * as floatLanesModule from './FloatLanes.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';
import * as neonLanesModule from './NeonLanes.ts';
import * as neonSaturationModule from './NeonSaturation.ts';
import * as shiftByImmediateModule from './ShiftByImmediate.ts';
import * as permutesModule from './Permutes.ts';
import * as standardFloatModule from './StandardFloat.ts';
import * as wide64Module from './Wide64.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { integerConversion } = floatConversionsModule;
const { halfConversion } = halfPrecisionModule;
const { floatUnary } = floatLanesModule;
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { oddQuad, quad, UNDEFINED, vd, vm } = neonFieldsModule;
const { AREA_B, AREA_D, AREA_R, lane, loadRegisters, S32, setLane, storeRegisters, U32 } = neonLanesModule;
const { commitQc, saturate } = neonSaturationModule;
const { narrow64 } = shiftByImmediateModule;
const { permuteEncodings } = permutesModule;
const { fpAbs, fpCompare, fpNeg, fpRecipEstimate, fpRecipSqrtEstimate, recipEstimate256, recipSqrtEstimate256 } = standardFloatModule;
const { add64, W } = wide64Module;

/**
 * Advanced SIMD two registers, miscellaneous (ARM ARM A7.4.5):
 * 1111 0011 1D11 zzAA dddd 0BBB BQM0 mmmm, the size field at bits 19:18.
 * Integer, float and narrowing forms; the permutes (VSWP, VTRN, VUZP, VZIP)
 * are in Permutes.ts.
 */

const sizeOf = (i: number): number => (i >>> 18) & 3;

type Unary = (v: number, size: number) => number;

/** Vd = op(Vm) lane by lane; `sizes` is the mask of allowed size fields, `unsigned` how lanes are read. */
function unary(op: Unary, sizes: number, unsigned: boolean) {
  return (i: number): A32Handler => {
    const q = quad(i);
    const d = vd(i);
    const m = vm(i);
    const z = sizeOf(i);
    if (((sizes >>> z) & 1) === 0 || oddQuad(q, d, m)) return UNDEFINED;
    const size = 8 << z;
    const regs = q ? 2 : 1;
    const last = Math.max(d, m) + regs - 1;
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, m, regs, AREA_B);
      const count = (regs * 64) / size;
      for (let e = 0; e < count; e++) setLane(AREA_R, e, size, op(lane(AREA_B, e, size, unsigned), size));
      storeRegisters(c, d, regs, AREA_R);
      commitQc(c);
    };
  };
}

/** VREV16/32/64 (A8.8.384–386): reverse the lanes within each `group`-bit container. */
function reverse(group: number) {
  return (i: number): A32Handler => {
    const q = quad(i);
    const d = vd(i);
    const m = vm(i);
    const size = 8 << sizeOf(i);
    if (size >= group || oddQuad(q, d, m)) return UNDEFINED;
    const regs = q ? 2 : 1;
    const per = group / size;
    const last = Math.max(d, m) + regs - 1;
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, m, regs, AREA_B);
      const count = (regs * 64) / size;
      for (let e = 0; e < count; e++) {
        const base = e - (e % per);
        setLane(AREA_R, base + per - 1 - (e % per), size, lane(AREA_B, e, size, true));
      }
      storeRegisters(c, d, regs, AREA_R);
    };
  };
}

/** VPADDL / VPADAL (A8.8.372, A8.8.365): pairs of lanes added into double-width lanes, optionally accumulated. */
function pairwiseLong(accumulate: boolean) {
  return (i: number): A32Handler => {
    const q = quad(i);
    const d = vd(i);
    const m = vm(i);
    const z = sizeOf(i);
    if (z === 3 || oddQuad(q, d, m)) return UNDEFINED;
    const size = 8 << z;
    const unsigned = (i & 0x80) !== 0;
    const regs = q ? 2 : 1;
    const last = Math.max(d, m) + regs - 1;
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, m, regs, AREA_B);
      if (accumulate) loadRegisters(c, d, regs, AREA_D);
      const count = (regs * 32) / size;
      for (let e = 0; e < count; e++) {
        const sum = lane(AREA_B, 2 * e, size, unsigned) + lane(AREA_B, 2 * e + 1, size, unsigned);
        if (size === 32) {
          const hi = Math.floor(sum / 4294967296);
          let rh = hi | 0;
          let rl = (sum - hi * 4294967296) >>> 0;
          if (accumulate) {
            add64(S32[(AREA_D >>> 2) + 2 * e + 1], U32[(AREA_D >>> 2) + 2 * e], rh, rl);
            rh = W.hi;
            rl = W.lo;
          }
          S32[(AREA_R >>> 2) + 2 * e] = rl;
          S32[(AREA_R >>> 2) + 2 * e + 1] = rh;
        } else {
          setLane(AREA_R, e, 2 * size, accumulate ? lane(AREA_D, e, 2 * size, unsigned) + sum : sum);
        }
      }
      storeRegisters(c, d, regs, AREA_R);
    };
  };
}

/** VMOVN, VQMOVN, VQMOVUN (A8.8.350, A8.8.328): Q source lanes narrowed to a D result. */
function narrow(kind: 'wrap' | 'signed' | 'unsigned' | 'toUnsigned') {
  return (i: number): A32Handler => {
    const d = vd(i);
    const m = vm(i);
    const z = sizeOf(i);
    if (z === 3 || (m & 1) !== 0) return UNDEFINED;
    const size = 8 << z;
    const unsignedSource = kind === 'unsigned';
    const unsignedResult = kind === 'unsigned' || kind === 'toUnsigned';
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
          const hi = S32[w + 1];
          // An unsigned source above 2^63 is still too big: any nonzero positive hi saturates.
          v = narrow64(unsignedSource && hi < 0 ? 1 : hi, U32[w], kind !== 'wrap', unsignedResult);
        } else {
          v = lane(AREA_B, e, 2 * size, unsignedSource);
          if (kind !== 'wrap') v = saturate(v, size, unsignedResult);
        }
        setLane(AREA_R, e, size, v);
      }
      storeRegisters(c, d, 1, AREA_R);
      commitQc(c);
    };
  };
}

/** VSHLL with the shift equal to the lane size (A8.8.380 encoding A2): D source, Q result. */
const VSHLL_max = (i: number): A32Handler => {
  const d = vd(i);
  const m = vm(i);
  const z = sizeOf(i);
  if (z === 3 || (d & 1) !== 0) return UNDEFINED;
  const size = 8 << z;
  const last = Math.max(d + 1, m);
  return (c, word) => {
    if (!simdEnabled(c, word)) return;
    if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
    loadRegisters(c, m, 1, AREA_B);
    const count = 64 / size;
    for (let e = 0; e < count; e++) {
      const v = lane(AREA_B, e, size, true);
      if (size === 32) {
        S32[(AREA_R >>> 2) + 2 * e] = 0;
        S32[(AREA_R >>> 2) + 2 * e + 1] = v;
      } else setLane(AREA_R, e, 2 * size, v * 2 ** size);
    }
    storeRegisters(c, d, 2, AREA_R);
  };
};

// --- lane operations -----------------------------------------------------------------------------

/** CountLeadingSignBits: leading bits equal to the sign bit, not counting the sign bit itself. */
const VCLS: Unary = (v, size) => {
  const x = v < 0 ? ~v : v;
  return Math.clz32(x) - (32 - size) - 1;
};
const VCLZ: Unary = (v, size) => Math.clz32(v) - (32 - size);
const VCNT: Unary = (v) => {
  let n = 0;
  for (let x = v; x !== 0; x &= x - 1) n++;
  return n;
};
const VMVN: Unary = (v) => ~v;
const VQABS: Unary = (v, size) => saturate(Math.abs(v), size, false);
const VQNEG: Unary = (v, size) => saturate(-v, size, false);
const VABS: Unary = (v) => Math.abs(v);
const VNEG: Unary = (v) => -v;
const ONES = -1;

/** Compare with zero: integer (signed lanes) or, with F = bit 10, single precision. */
function compareZero(test: (order: number) => boolean, quiet: boolean) {
  return (i: number): A32Handler => {
    if ((i & 0x400) !== 0) return floatUnary((m) => (test(fpCompare(m, 0, quiet)) ? 0xffffffff : 0))(i);
    return unary((v) => (test(v === 0 ? 0 : v < 0 ? -1 : 1) ? ONES : 0), 0b0111, false)(i);
  };
}

function absNeg(negate: boolean) {
  return (i: number): A32Handler => {
    if ((i & 0x400) !== 0) return floatUnary(negate ? fpNeg : fpAbs)(i);
    return unary(negate ? VNEG : VABS, 0b0111, false)(i);
  };
}

function estimate(sqrt: boolean) {
  return (i: number): A32Handler => {
    if ((i & 0x100) !== 0) return floatUnary(sqrt ? fpRecipSqrtEstimate : fpRecipEstimate)(i);
    return floatUnary(sqrt ? unsignedRecipSqrtEstimate : unsignedRecipEstimate)(i);
  };
}

/** UnsignedRecipEstimate (A2.10.x): operands below 2^31 give all ones. */
function unsignedRecipEstimate(v: number): number {
  if (v >>> 31 === 0) return 0xffffffff;
  const scaled = (v >>> 23) / 512; // 0.1 x8..x0 in [0.5, 1)
  return (recipEstimate256(scaled) << 23) >>> 0;
}

/** UnsignedRSqrtEstimate: operands below 2^30 give all ones. */
function unsignedRecipSqrtEstimate(v: number): number {
  if (v >>> 30 === 0) return 0xffffffff;
  const scaled = (v >>> 23) / 512; // in [0.25, 1)
  return (recipSqrtEstimate256(scaled) << 23) >>> 0;
}

// --- the table -------------------------------------------------------------------------------------

function form(name: string, a: string, b: string, qBit: string, build: (i: number) => A32Handler): Encoding<A32Handler> {
  return {
    name,
    pattern: `1111 0011 1D11 zz${a} dddd 0${b.slice(0, 3)} ${b[3]}${qBit}M0 mmmm`,
    exec: (cpu: ArmCpu, i: number) => build(i)(cpu, i),
    specialize: build,
  };
}

export const twoRegisterMiscEncodings: Encoding<A32Handler>[] = [
  form('VREV64', '00', '0000', 'Q', reverse(64)),
  form('VREV32', '00', '0001', 'Q', reverse(32)),
  form('VREV16', '00', '0010', 'Q', reverse(16)),
  form('VPADDL', '00', '010U', 'Q', pairwiseLong(false)),
  form('VCLS', '00', '1000', 'Q', unary(VCLS, 0b0111, false)),
  form('VCLZ', '00', '1001', 'Q', unary(VCLZ, 0b0111, true)),
  form('VCNT', '00', '1010', 'Q', unary(VCNT, 0b0001, true)),
  form('VMVN (register)', '00', '1011', 'Q', unary(VMVN, 0b0001, true)),
  form('VPADAL', '00', '110U', 'Q', pairwiseLong(true)),
  form('VQABS', '00', '1110', 'Q', unary(VQABS, 0b0111, false)),
  form('VQNEG', '00', '1111', 'Q', unary(VQNEG, 0b0111, false)),
  form('VCGT (immediate #0)', '01', 'F000', 'Q', compareZero((o) => o > 0, false)),
  form('VCGE (immediate #0)', '01', 'F001', 'Q', compareZero((o) => o >= 0, false)),
  form('VCEQ (immediate #0)', '01', 'F010', 'Q', compareZero((o) => o === 0, true)),
  form('VCLE (immediate #0)', '01', 'F011', 'Q', compareZero((o) => o <= 0, false)),
  form('VCLT (immediate #0)', '01', 'F100', 'Q', compareZero((o) => o < 0, false)),
  form('VABS', '01', 'F110', 'Q', absNeg(false)),
  form('VNEG', '01', 'F111', 'Q', absNeg(true)),
  ...permuteEncodings,
  form('VMOVN', '10', '0100', '0', narrow('wrap')),
  form('VQMOVUN', '10', '0100', '1', narrow('toUnsigned')),
  form('VQMOVN (signed)', '10', '0101', '0', narrow('signed')),
  form('VQMOVN (unsigned)', '10', '0101', '1', narrow('unsigned')),
  form('VSHLL (maximum shift)', '10', '0110', '0', VSHLL_max),
  form('VCVT (single to half precision)', '10', '1100', '0', halfConversion),
  form('VCVT (half to single precision)', '10', '1110', '0', halfConversion),
  form('VRECPE', '11', '10F0', 'Q', estimate(false)),
  form('VRSQRTE', '11', '10F1', 'Q', estimate(true)),
  form('VCVT (between floating-point and integer)', '11', '11oo', 'Q', integerConversion),
];
