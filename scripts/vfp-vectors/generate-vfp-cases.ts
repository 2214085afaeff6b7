/**
 * Writes the VFP reference-vector cases: an assembly file with one stub per
 * case (the instruction under test as gas assembles it from its mnemonic,
 * then `bx lr`) and a table of records (FPSCR and all 32 D registers going
 * in, the stub address) for vfp-harness.c, plus cases.json with each case's
 * file, class, asm text and the registers it set, for collect-vfp-vectors.ts.
 *
 * Operands mix edge values (zeros, subnormals, extremes, infinities, quiet
 * and signalling NaNs, integer boundaries) with random bit patterns and
 * values built to round (near ties, near cancellation for fused forms); the
 * FPSCR takes every rounding mode with FZ, DN (and AHP for half precision)
 * on and off, some sticky flags already set, and random NZCV.
 *
 * Usage: tsx scripts/vfp-vectors/generate-vfp-cases.ts <out-dir>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Change it and the committed vectors change. */
const SEED = 0x5eed7f9;

class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  /** xorshift32 */
  u32(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  below(n: number): number {
    return this.u32() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }
}

const rng = new Random(SEED);

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new Uint32Array(f64.buffer);

const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
const bitsOf32 = (v: number) => ((f32[0] = v), u32[0]);
const valueOf32 = (b: number) => ((u32[0] = b), f32[0]);
function bitsOf64(v: number): string {
  f64[0] = v;
  return hex8(u64[1]) + hex8(u64[0]);
}
function valueOf64(h: string): number {
  u64[1] = parseInt(h.slice(0, 8), 16);
  u64[0] = parseInt(h.slice(8), 16);
  return f64[0];
}

// --- operand pools -------------------------------------------------------------------------

const EDGE_32 = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40000000, 0x3f000000, 0x00000001, 0x80000001,
  0x007fffff, 0x807fffff, 0x00800000, 0x80800000, 0x00400000, 0x7f7fffff, 0xff7fffff, 0x7f000000, 0x7f800000,
  0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f800001, 0xff812345, 0x7fbfffff, 0x4f000000, 0xcf000000,
  0x4f800000, 0x4effffff, 0xcf000001, 0x4f7fffff, 0x3f800001, 0x3f7fffff, 0x40200000, 0x40600000, 0xc0200000,
  0x3effffff, 0x00800001, 0x01000000, 0x34000000, 0x0c000000, 0x73800000,
];
const EDGE_64 = [
  '0000000000000000', '8000000000000000', '3ff0000000000000', 'bff0000000000000', '3ff8000000000000',
  '3fe0000000000000', '0000000000000001', '8000000000000001', '000fffffffffffff', '800fffffffffffff',
  '0010000000000000', '8010000000000000', '0008000000000000', '7fefffffffffffff', 'ffefffffffffffff',
  '7fe0000000000000', '7ff0000000000000', 'fff0000000000000', '7ff8000000000000', 'fff8000000000000',
  '7ff80000deadbeef', '7ff0000000000001', 'fff0000012345678', '7ff7ffffffffffff', '41e0000000000000',
  'c1e0000000000000', '41f0000000000000', '41dfffffffc00000', 'c1e0000000200000', '41efffffffe00000',
  'c1e0000000100000', '41dfffffffe00000', '3ff0000000000001', '3fefffffffffffff', '4004000000000000',
  '400c000000000000', 'c004000000000000', '47efffffe0000000', '47efffff00000000', '380fffffe0000000',
  '3810000000000000', '36a0000000000000', '3690000000000000', '36a8000000000000', '7e37e43c8800759c',
];

/** A random single with an exponent near 0 (so that sums and products round), or near the extremes. */
function randomSingle(): number {
  const r = rng.below(10);
  if (r < 2) return rng.pick(EDGE_32);
  if (r < 4) return rng.u32();
  const sign = rng.chance(0.5) ? 0x80000000 : 0;
  let exponent: number;
  if (r < 7) exponent = 120 + rng.below(16);
  else if (r < 8) exponent = rng.below(6); // near the subnormal range
  else if (r < 9) exponent = 248 + rng.below(7); // near overflow
  else exponent = rng.below(255);
  return (sign | (exponent << 23) | (rng.u32() & 0x7fffff)) >>> 0;
}

function randomDouble(): string {
  const r = rng.below(10);
  if (r < 2) return rng.pick(EDGE_64);
  const high = rng.u32();
  const low = rng.u32();
  if (r < 4) return hex8(high) + hex8(low);
  const sign = rng.chance(0.5) ? 0x80000000 : 0;
  let exponent: number;
  if (r < 7) exponent = 1015 + rng.below(16);
  else if (r < 8) exponent = rng.below(6);
  else if (r < 9) exponent = 2040 + rng.below(7);
  else exponent = rng.below(2047);
  return hex8(sign | (exponent << 20) | (high & 0xfffff)) + hex8(low);
}

/** A single close to `v` (a few units in the last place away), or exactly it. */
function nearSingle(v: number): number {
  const b = bitsOf32(Math.fround(v));
  if ((b & 0x7f800000) === 0x7f800000) return b;
  return (b + rng.below(5) - 2) >>> 0;
}

function nearDouble(v: number): string {
  const h = bitsOf64(v);
  if (v !== v || !isFinite(v)) return h;
  const low = (parseInt(h.slice(8), 16) + rng.below(5) - 2) >>> 0;
  return h.slice(0, 8) + hex8(low);
}

/** Values around integer boundaries for conversions to integers (scaled by 2^-fbits for fixed point). */
function conversionValue(double: boolean, scale: number): number | string {
  const r = rng.below(8);
  if (r < 2) return double ? randomDouble() : randomSingle();
  const bases = [0, 0.5, 1, 1.5, 2.5, -0.5, -1.5, -2.5, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 16, 2 ** 15, -(2 ** 15), 32767.5, 65535.5, -32768.5, 4294967295.5];
  let v = rng.pick(bases);
  if (r < 5) v = (rng.u32() - 0x80000000) / (1 << rng.below(20));
  v *= scale;
  return double ? nearDouble(v) : nearSingle(v);
}

// --- FPSCR ---------------------------------------------------------------------------------

function randomFpscr(half: boolean): number {
  let v = rng.below(4) << 22; // RMode
  if (rng.chance(0.35)) v |= 1 << 24; // FZ
  if (rng.chance(0.3)) v |= 1 << 25; // DN
  if (half && rng.chance(0.4)) v |= 1 << 26; // AHP
  if (rng.chance(0.2)) v |= rng.pick([0x01, 0x02, 0x04, 0x08, 0x10, 0x80, 0x9f]);
  v |= (rng.below(16) << 28) >>> 0;
  return v >>> 0;
}

// --- cases ---------------------------------------------------------------------------------

interface VfpCase {
  file: string;
  class: string;
  isa: 'a32' | 't32';
  asm: string;
  fpscr: number;
  /** Registers set going in: sN → 8 hex digits, dN → 16 hex digits. */
  regs: Record<string, string>;
}

const cases: VfpCase[] = [];

function singleRegister(avoid: number[] = []): number {
  for (;;) {
    const r = rng.below(32);
    if (!avoid.includes(r)) return r;
  }
}

function doubleRegister(avoid: number[] = []): number {
  for (;;) {
    const r = rng.below(32);
    if (!avoid.includes(r)) return r;
  }
}

/** Binary and fused arithmetic: the operands, with the destination an input for accumulating forms. */
function addArithmetic(isa: 'a32' | 't32', count: number): void {
  const ops: [string, boolean][] = [
    ['vadd', false], ['vsub', false], ['vmul', false], ['vnmul', false], ['vdiv', false],
    ['vmla', true], ['vmls', true], ['vnmla', true], ['vnmls', true],
    ['vfma', true], ['vfms', true], ['vfnma', true], ['vfnms', true],
  ];
  for (const [op, accumulates] of ops) {
    for (const double of [false, true]) {
      const cls = `${op}.${double ? 'f64' : 'f32'}`;
      for (let k = 0; k < count; k++) {
        const fpscr = randomFpscr(false);
        const regs: Record<string, string> = {};
        if (double) {
          const d = doubleRegister();
          const n = doubleRegister([d]);
          const m = rng.chance(0.1) ? n : doubleRegister([d, n]);
          let a = randomDouble();
          let b = randomDouble();
          let acc = randomDouble();
          if (rng.chance(0.3)) {
            // Operands that nearly cancel: the accumulator near −(n·m) or n near ∓m.
            const x = valueOf64(a);
            const y = valueOf64(b);
            if (accumulates) acc = nearDouble(-(x * y) * (op === 'vmls' || op === 'vfms' || op === 'vnmla' || op === 'vfnma' ? -1 : 1));
            else b = nearDouble(op === 'vsub' ? x : -x);
            if (op === 'vdiv' || op === 'vmul' || op === 'vnmul') a = nearDouble(1 + rng.u32() / 2 ** 40);
          }
          regs[`d${n}`] = a;
          regs[`d${m}`] = b;
          if (accumulates) regs[`d${d}`] = acc;
          cases.push({ file: `vfp-${isa}-arithmetic`, class: cls, isa, asm: `${op}.f64 d${d}, d${n}, d${m}`, fpscr, regs });
        } else {
          const d = singleRegister();
          const n = singleRegister([d]);
          const m = rng.chance(0.1) ? n : singleRegister([d, n]);
          let a = randomSingle();
          let b = randomSingle();
          let acc = randomSingle();
          if (rng.chance(0.3)) {
            const x = valueOf32(a);
            const y = valueOf32(b);
            if (accumulates) acc = nearSingle(-(x * y) * (op === 'vmls' || op === 'vfms' || op === 'vnmla' || op === 'vfnma' ? -1 : 1));
            else b = nearSingle(op === 'vsub' ? x : -x);
          }
          regs[`s${n}`] = hex8(a);
          regs[`s${m}`] = hex8(b);
          if (accumulates) regs[`s${d}`] = hex8(acc);
          cases.push({ file: `vfp-${isa}-arithmetic`, class: cls, isa, asm: `${op}.f32 s${d}, s${n}, s${m}`, fpscr, regs });
        }
      }
    }
  }
}

function addUnary(isa: 'a32' | 't32', count: number): void {
  for (const op of ['vmov', 'vabs', 'vneg', 'vsqrt']) {
    for (const double of [false, true]) {
      for (let k = 0; k < count; k++) {
        const regs: Record<string, string> = {};
        const d = double ? doubleRegister() : singleRegister();
        const m = double ? doubleRegister([d]) : singleRegister([d]);
        if (double) regs[`d${m}`] = op === 'vsqrt' && rng.chance(0.5) ? bitsOf64(Math.abs(valueOf64(randomDouble()))) : randomDouble();
        else regs[`s${m}`] = hex8(op === 'vsqrt' && rng.chance(0.5) ? randomSingle() & 0x7fffffff : randomSingle());
        const t = double ? 'f64' : 'f32';
        const r = double ? 'd' : 's';
        cases.push({ file: `vfp-${isa}-unary`, class: `${op}.${t}`, isa, asm: `${op}.${t} ${r}${d}, ${r}${m}`, fpscr: randomFpscr(false), regs });
      }
    }
  }
  // VMOV (immediate): every imm8 for singles and doubles (A32), a sample in T32.
  for (const double of [false, true]) {
    for (let imm8 = 0; imm8 < 256; imm8++) {
      if (isa === 't32' && imm8 % 8 !== 3) continue;
      // The constant written in the mnemonic: VFPExpandImm(imm8) for single precision (the same value as double).
      const b6 = (imm8 >>> 6) & 1;
      const value = valueOf32((((imm8 & 0x80) << 24) | ((((b6 ^ 1) << 7) | (b6 ? 0x7c : 0) | ((imm8 >>> 4) & 3)) << 23) | ((imm8 & 15) << 19)) >>> 0);
      const d = double ? doubleRegister() : singleRegister();
      const r = double ? 'd' : 's';
      const regs: Record<string, string> = double ? { [`d${d}`]: randomDouble() } : { [`s${d}`]: hex8(randomSingle()) };
      cases.push({ file: `vfp-${isa}-unary`, class: `vmov.${double ? 'f64' : 'f32'} #imm`, isa, asm: `vmov.${double ? 'f64' : 'f32'} ${r}${d}, #${value}`, fpscr: randomFpscr(false), regs });
    }
  }
}

function addCompare(isa: 'a32' | 't32', count: number): void {
  for (const op of ['vcmp', 'vcmpe']) {
    for (const double of [false, true]) {
      for (const zero of [false, true]) {
        for (let k = 0; k < count; k++) {
          const regs: Record<string, string> = {};
          const d = double ? doubleRegister() : singleRegister();
          const m = double ? doubleRegister([d]) : singleRegister([d]);
          const t = double ? 'f64' : 'f32';
          const r = double ? 'd' : 's';
          const a = double ? randomDouble() : hex8(randomSingle());
          regs[`${r}${d}`] = a;
          if (!zero) regs[`${r}${m}`] = rng.chance(0.25) ? a : double ? randomDouble() : hex8(randomSingle());
          const asm = zero ? `${op}.${t} ${r}${d}, #0` : `${op}.${t} ${r}${d}, ${r}${m}`;
          cases.push({ file: `vfp-${isa}-compare`, class: `${op}.${t}${zero ? ' #0' : ''}`, isa, asm, fpscr: randomFpscr(false), regs });
        }
      }
    }
  }
}

function addConversions(isa: 'a32' | 't32', count: number): void {
  const file = `vfp-${isa}-convert`;
  // Between precisions.
  for (let k = 0; k < count; k++) {
    const d = doubleRegister();
    const s = singleRegister();
    cases.push({ file, class: 'vcvt.f64.f32', isa, asm: `vcvt.f64.f32 d${d}, s${s}`, fpscr: randomFpscr(false), regs: { [`s${s}`]: hex8(randomSingle()) } });
    const v = rng.chance(0.5) ? randomDouble() : bitsOf64(valueOf32(randomSingle()) * (1 + rng.u32() / 2 ** 33));
    cases.push({ file, class: 'vcvt.f32.f64', isa, asm: `vcvt.f32.f64 s${s}, d${d}`, fpscr: randomFpscr(false), regs: { [`d${d}`]: v } });
  }
  // Floating point to integer (towards zero, and by FPSCR with VCVTR), and back.
  for (const double of [false, true]) {
    const t = double ? 'f64' : 'f32';
    for (const op of ['vcvt', 'vcvtr']) {
      for (const to of ['s32', 'u32']) {
        for (let k = 0; k < count; k++) {
          const s = singleRegister();
          const m = double ? doubleRegister() : singleRegister();
          const v = conversionValue(double, 1);
          const regs = double ? { [`d${m}`]: v as string } : { [`s${m}`]: hex8(v as number) };
          cases.push({ file, class: `${op}.${to}.${t}`, isa, asm: `${op}.${to}.${t} s${s}, ${double ? 'd' : 's'}${m}`, fpscr: randomFpscr(false), regs });
        }
      }
    }
    for (const from of ['s32', 'u32']) {
      for (let k = 0; k < count; k++) {
        const d = double ? doubleRegister() : singleRegister();
        const s = singleRegister();
        const v = rng.chance(0.3) ? rng.pick([0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x01000001, 0x00ffffff, 0x7fffffc0, 0xfffffff0]) : rng.u32() >>> rng.below(32);
        cases.push({ file, class: `vcvt.${t}.${from}`, isa, asm: `vcvt.${t}.${from} ${double ? 'd' : 's'}${d}, s${s}`, fpscr: randomFpscr(false), regs: { [`s${s}`]: hex8(v) } });
      }
    }
    // Fixed point, in place.
    for (const fixed of ['s16', 'u16', 's32', 'u32']) {
      const size = fixed.endsWith('16') ? 16 : 32;
      for (let k = 0; k < count; k++) {
        const fbits = rng.chance(0.2) ? rng.pick([1, size]) : 1 + rng.below(size);
        const d = double ? doubleRegister() : singleRegister();
        const r = double ? 'd' : 's';
        const v = conversionValue(double, size === 16 ? 2 ** -(fbits + 16) * rng.pick([1, 2 ** 16]) : 2 ** -fbits);
        const regs = double ? { [`d${d}`]: v as string } : { [`s${d}`]: hex8(v as number) };
        cases.push({ file, class: `vcvt.${fixed}.${t} #fbits`, isa, asm: `vcvt.${fixed}.${t} ${r}${d}, ${r}${d}, #${fbits}`, fpscr: randomFpscr(false), regs });
        const raw = rng.chance(0.3) ? rng.pick([0, 1, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x12348000]) : rng.u32();
        const high = rng.u32();
        const back = double ? { [`d${d}`]: hex8(high) + hex8(raw) } : { [`s${d}`]: hex8(raw) };
        cases.push({ file, class: `vcvt.${t}.${fixed} #fbits`, isa, asm: `vcvt.${t}.${fixed} ${r}${d}, ${r}${d}, #${fbits}`, fpscr: randomFpscr(false), regs: back });
      }
    }
  }
  // Half precision, bottom and top halves.
  for (const half of ['b', 't']) {
    for (let k = 0; k < count; k++) {
      const d = singleRegister();
      const m = singleRegister([d]);
      const h = rng.chance(0.3) ? rng.pick([0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfd23, 0x3c00, 0x7fff]) : rng.below(0x10000);
      const other = rng.below(0x10000);
      const word = half === 'b' ? (other << 16) | h : (h << 16) | other;
      cases.push({ file, class: `vcvt${half}.f32.f16`, isa, asm: `vcvt${half}.f32.f16 s${d}, s${m}`, fpscr: randomFpscr(true), regs: { [`s${m}`]: hex8(word) } });
      const sv = rng.chance(0.5) ? randomSingle() : nearSingle(rng.pick([65504, 65520, 65536, 131008, 131072, 6.1e-5, 5.96e-8, 2.98e-8, 1.5, 3.0e-5, 1e-9]) * (rng.chance(0.5) ? -1 : 1));
      cases.push({ file, class: `vcvt${half}.f16.f32`, isa, asm: `vcvt${half}.f16.f32 s${d}, s${m}`, fpscr: randomFpscr(true), regs: { [`s${m}`]: hex8(sv), [`s${d}`]: hex8(rng.u32()) } });
    }
  }
}

addArithmetic('a32', 160);
addUnary('a32', 40);
addCompare('a32', 60);
addConversions('a32', 80);
addArithmetic('t32', 24);
addUnary('t32', 8);
addCompare('t32', 12);
addConversions('t32', 12);

/**
 * Hand-aimed cases (appended last, so the random cases above keep their
 * values): division by zero, tininess before rounding, fused results near
 * the subnormal range, NaN operands of the accumulating forms (FPNeg flips
 * a NaN's sign), the quiet-NaN addend with 0 × ∞, and FPSCR.LEN/STRIDE set
 * around the scalar-only forms (VCMP, VCVT), which still execute.
 */
function addSpecial(isa: 'a32' | 't32', count: number): void {
  const file = `vfp-${isa}-special`;
  const zeros = [0x00000000, 0x80000000, 0x00000001, 0x807fffff];
  for (let k = 0; k < count; k++) {
    const d = singleRegister();
    const n = singleRegister([d]);
    const m = singleRegister([d, n]);
    const fpscr = randomFpscr(false);
    cases.push({ file, class: 'vdiv.f32 by zero', isa, asm: `vdiv.f32 s${d}, s${n}, s${m}`, fpscr, regs: { [`s${n}`]: hex8(randomSingle()), [`s${m}`]: hex8(rng.pick(zeros)) } });
    const dd = doubleRegister();
    const dn = doubleRegister([dd]);
    const dm = doubleRegister([dd, dn]);
    cases.push({ file, class: 'vdiv.f64 by zero', isa, asm: `vdiv.f64 d${dd}, d${dn}, d${dm}`, fpscr: randomFpscr(false), regs: { [`d${dn}`]: randomDouble(), [`d${dm}`]: rng.pick(['0000000000000000', '8000000000000000', '0000000000000001']) } });
    // Products just around the smallest normal: 2^-126 · (1 − ε) and friends.
    const a = nearSingle(2 ** -63 * (1 + rng.below(64) / 64));
    const target = 2 ** -126 / valueOf32(a);
    cases.push({ file, class: 'vmul.f32 at the normal boundary', isa, asm: `vmul.f32 s${d}, s${n}, s${m}`, fpscr: randomFpscr(false), regs: { [`s${n}`]: hex8(a), [`s${m}`]: hex8(nearSingle(target)) } });
    const x = nearDouble(2 ** -511 * (1 + rng.below(64) / 64));
    cases.push({ file, class: 'vmul.f64 at the normal boundary', isa, asm: `vmul.f64 d${dd}, d${dn}, d${dm}`, fpscr: randomFpscr(false), regs: { [`d${dn}`]: x, [`d${dm}`]: nearDouble(2 ** -1022 / valueOf64(x)) } });
    // Fused: product and addend cancelling into the subnormal range.
    const p = nearSingle(2 ** -60 * (1 + rng.below(1000) / 1000));
    const q = nearSingle(2 ** -60 * (1 + rng.below(1000) / 1000));
    const acc = nearSingle(-(valueOf32(p) * valueOf32(q)));
    const fop = rng.pick(['vfma', 'vfms', 'vfnma', 'vfnms']);
    cases.push({ file, class: `${fop}.f32 cancelling`, isa, asm: `${fop}.f32 s${d}, s${n}, s${m}`, fpscr: randomFpscr(false), regs: { [`s${n}`]: hex8(p), [`s${m}`]: hex8(q), [`s${d}`]: hex8(fop === 'vfms' || fop === 'vfnma' ? (acc ^ 0x80000000) >>> 0 : acc) } });
    // NaNs in the accumulating forms and the 0 × ∞ rule.
    const nanOp = rng.pick(['vmla', 'vmls', 'vnmla', 'vnmls', 'vfma', 'vfms', 'vfnma', 'vfnms']);
    const nans = [0x7fc00123, 0xffc00456, 0x7f800789, 0xff800abc];
    const pickOperand = () => (rng.chance(0.5) ? rng.pick(nans) : rng.pick([0, 0x80000000, 0x7f800000, 0xff800000, 0x3f800000]));
    cases.push({ file, class: `${nanOp}.f32 NaN and infinity operands`, isa, asm: `${nanOp}.f32 s${d}, s${n}, s${m}`, fpscr: randomFpscr(false), regs: { [`s${n}`]: hex8(pickOperand()), [`s${m}`]: hex8(pickOperand()), [`s${d}`]: hex8(pickOperand()) } });
    // LEN and STRIDE set: the scalar-only forms still execute and the fields stay.
    const lenStride = ((1 + rng.below(7)) << 16) | (rng.below(4) << 20);
    const scalar = rng.pick([`vcmp.f32 s${d}, s${n}`, `vcmpe.f64 d${dd}, #0`, `vcvt.s32.f32 s${d}, s${n}`, `vcvt.f64.f32 d${dd}, s${n}`, `vcvtb.f16.f32 s${d}, s${n}`, `vcvt.f32.u32 s${d}, s${d}, #7`]);
    cases.push({ file, class: 'scalar forms with FPSCR.LEN/STRIDE set', isa, asm: scalar, fpscr: (randomFpscr(false) | lenStride) >>> 0, regs: { [`s${n}`]: hex8(randomSingle()), [`s${d}`]: hex8(randomSingle()), [`d${dd}`]: randomDouble() } });
  }
}

addSpecial('a32', 60);
addSpecial('t32', 10);

// --- output --------------------------------------------------------------------------------

/** The 64 register words a case starts with (little-endian word order within each D register). */
function registerWords(regs: Record<string, string>): number[] {
  const words = new Array<number>(64).fill(0);
  for (const [name, value] of Object.entries(regs)) {
    const n = Number(name.slice(1));
    if (name[0] === 's') words[n] = parseInt(value, 16) >>> 0;
    else {
      words[2 * n + 1] = parseInt(value.slice(0, 8), 16) >>> 0;
      words[2 * n] = parseInt(value.slice(8), 16) >>> 0;
    }
  }
  return words;
}

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: generate-vfp-cases.ts <out-dir>\n');
  process.exit(1);
}
mkdirSync(out, { recursive: true });
const asm: string[] = [
  '@ Generated by scripts/vfp-vectors/generate-vfp-cases.ts: do not edit.',
  '        .syntax unified',
  '        .arch armv7ve',
  '        .fpu neon-vfpv4',
  '        .text',
];
cases.forEach((c, i) => {
  asm.push(c.isa === 'a32' ? '        .arm' : '        .thumb');
  asm.push('        .align 2');
  asm.push(`        .type case_${i}, %function`);
  asm.push(`case_${i}:`);
  asm.push(`        ${c.asm}`);
  asm.push('        bx lr');
});
asm.push('        .section .rodata', '        .align 3', '        .global vfp_case_count', 'vfp_case_count:', `        .word ${cases.length}`);
asm.push('        .global vfp_case_table', 'vfp_case_table:');
cases.forEach((c, i) => {
  const words = registerWords(c.regs);
  for (let k = 0; k < 64; k += 8) asm.push(`        .word ${words.slice(k, k + 8).map((w) => '0x' + hex8(w)).join(', ')}`);
  asm.push(`        .word 0x${hex8(c.fpscr)}, case_${i}`);
});
writeFileSync(join(out, 'vfp-cases.S'), asm.join('\n') + '\n');
writeFileSync(join(out, 'vfp-cases.json'), JSON.stringify(cases));
process.stderr.write(`${cases.length} cases\n`);
