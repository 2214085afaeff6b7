import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * Advanced SIMD data processing, expected values worked out from the ARM
 * ARM (DDI 0406C) A8.8 pseudocode of each instruction: lane boundaries,
 * saturation and the sticky FPSCR.QC, rounding shifts, narrowing,
 * polynomial multiplication, table look-ups, and single precision under
 * the Standard FPSCR value (A2.7.4: flush to zero, default NaN, round to
 * nearest, whatever FPSCR says). Encodings are from GNU as.
 */

const QC = 0x08000000;
const IOC = 1;
const UFC = 8;
const IXC = 16;
const IDC = 128;

function neonMachine(): ArmTestMachine {
  const m = new ArmTestMachine();
  m.cpu.sys.cpacr = 0x00f00000;
  m.cpu.vfp.fpexc = 0x40000000;
  return m;
}

/** D register n as 16 hex digits. */
function d(m: ArmTestMachine, n: number): string {
  const w = m.cpu.vfp.words;
  return (w[2 * n + 1] >>> 0).toString(16).padStart(8, '0') + (w[2 * n] >>> 0).toString(16).padStart(8, '0');
}

function setD(m: ArmTestMachine, n: number, hex: string): void {
  const w = m.cpu.vfp.words;
  w[2 * n + 1] = parseInt(hex.slice(0, 8), 16) | 0;
  w[2 * n] = parseInt(hex.slice(8), 16) | 0;
}

/** Single-precision lanes of D n, low lane first, as bit patterns. */
function singles(m: ArmTestMachine, n: number): number[] {
  return [m.cpu.vfp.words[2 * n] >>> 0, m.cpu.vfp.words[2 * n + 1] >>> 0];
}

function setSingles(m: ArmTestMachine, n: number, lo: number, hi: number): void {
  m.cpu.vfp.words[2 * n] = lo | 0;
  m.cpu.vfp.words[2 * n + 1] = hi | 0;
}

test('VADD: the element size decides where carries stop (I8 vs I16)', (t) => {
  const m = neonMachine();
  setD(m, 1, '00ff00ff00ff00ff');
  setD(m, 2, '0001000100010001');
  m.exec([0xf2010802]); // vadd.i8 d0, d1, d2
  t.is(d(m, 0), '0000000000000000');
  m.exec([0xf2110802]); // vadd.i16 d0, d1, d2
  t.is(d(m, 0), '0100010001000100');
});

test('VADD reaches D16-D31 through the D/N/M bits', (t) => {
  const m = neonMachine();
  setD(m, 17, '0102030405060708');
  setD(m, 18, '1010101010101010');
  m.exec([0xf24108a2]); // vadd.i8 d16, d17, d18
  t.is(d(m, 16), '1112131415161718');
});

test('VQADD saturates per lane and sets FPSCR.QC, which stays set', (t) => {
  const m = neonMachine();
  setD(m, 1, '7f80017f80fe0010');
  setD(m, 2, '01ff0101ff010010');
  m.exec([0xf2010012]); // vqadd.s8 d0, d1, d2
  // 7f+01 → 7f (sat), 80+ff → 80 (sat), 01+01 = 02, 7f+01 → 7f, 80+ff → 80, fe+01 = ff, 00+00, 10+10 = 20
  t.is(d(m, 0), '7f80027f80ff0020');
  t.is(m.cpu.vfp.fpscr & QC, QC);
  setD(m, 1, '0000000000000001');
  setD(m, 2, '0000000000000001');
  m.exec([0xf2010012]);
  t.is(d(m, 0), '0000000000000002');
  t.is(m.cpu.vfp.fpscr & QC, QC, 'QC is cumulative');
  m.cpu.vfp.fpscr = 0;
  setD(m, 1, 'ff00000000000080');
  setD(m, 2, '0200000000000080');
  m.exec([0xf3013012]); // vqadd.u8 d3, d1, d2
  t.is(d(m, 3), 'ff000000000000ff');
  t.is(m.cpu.vfp.fpscr & QC, QC);
});

test('VSHR truncates towards minus infinity, VRSHR rounds (adds 2^(n-1) first)', (t) => {
  const m = neonMachine();
  setD(m, 1, '00000000000006fb'); // lanes 0xfb (−5), 0x06
  m.exec([0xf28e0011]); // vshr.s8 d0, d1, #2
  t.is(d(m, 0), '00000000000001fe'); // −5 >> 2 = −2, 6 >> 2 = 1
  m.exec([0xf28e0211]); // vrshr.s8 d0, d1, #2
  t.is(d(m, 0), '00000000000002ff'); // (−5 + 2) >> 2 = −1, (6 + 2) >> 2 = 2
});

test('VMOVN truncates, VQMOVN and VQMOVUN saturate with QC', (t) => {
  const m = neonMachine();
  // q1 lanes from the lowest: 0xffff (−1), 0x0180 (384), 0xff00 (−256), 0x0012, 0xfffe (−2), 0x8000, 0x7fff, 0x012c (300)
  setD(m, 2, '0012ff000180ffff');
  setD(m, 3, '012c7fff8000fffe');
  m.exec([0xf3b20202]); // vmovn.i16 d0, q1
  t.is(d(m, 0), '2cff00fe120080ff');
  t.is(m.cpu.vfp.fpscr & QC, 0, 'VMOVN never saturates');
  m.exec([0xf3b20282]); // vqmovn.s16 d0, q1
  t.is(d(m, 0), '7f7f80fe12807fff');
  t.is(m.cpu.vfp.fpscr & QC, QC);
  m.cpu.vfp.fpscr = 0;
  m.exec([0xf3b20242]); // vqmovun.s16 d0, q1
  t.is(d(m, 0), 'ffff00001200ff00');
  t.is(m.cpu.vfp.fpscr & QC, QC);
});

test('VMUL.P8 and VMULL.P8 multiply polynomials over {0, 1} (carry-less)', (t) => {
  const m = neonMachine();
  setD(m, 1, '00000000000380ff'); // lanes 0xff, 0x80, 0x03
  setD(m, 2, '00000000000302ff'); // lanes 0xff, 0x02, 0x03
  m.exec([0xf3010912]); // vmul.p8 d0, d1, d2
  // ff·ff = 0x5555 → 0x55; 80·02 = 0x100 → 0x00; 03·03 = (x+1)² = x²+1 = 0x05
  t.is(d(m, 0), '0000000000050055');
  m.exec([0xf2810e02]); // vmull.p8 q0, d1, d2
  t.is(d(m, 0), '0000000501005555');
  t.is(d(m, 1), '0000000000000000');
});

test('VTBL gives 0 for an index beyond the table, VTBX keeps the destination byte', (t) => {
  const m = neonMachine();
  setD(m, 1, '1716151413121110');
  setD(m, 2, '1f1e1d1c1b1a1918');
  setD(m, 3, '01c80807ff100f00'); // indices 0, 15, 16, 255, 7, 8, 200, 1
  setD(m, 0, 'aaaaaaaaaaaaaaaa');
  m.exec([0xf3b10943]); // vtbx.8 d0, {d1-d2}, d3
  t.is(d(m, 0), '11aa1817aaaa1f10');
  m.exec([0xf3b10903]); // vtbl.8 d0, {d1-d2}, d3
  t.is(d(m, 0), '1100181700001f10');
});

test('VQDMULH saturates −1 × −1; VQRDMULH rounds the high half', (t) => {
  const m = neonMachine();
  setD(m, 1, '0000000140008000'); // lanes 0x8000, 0x4000, 0x0001
  setD(m, 2, '0000400040008000'); // lanes 0x8000, 0x4000, 0x4000
  m.exec([0xf2110b02]); // vqdmulh.s16 d0, d1, d2
  // 2·(−32768)² >> 16 overflows → 0x7fff; 2·2^28 >> 16 = 0x2000; 2·16384 >> 16 = 0
  t.is(d(m, 0), '0000000020007fff');
  t.is(m.cpu.vfp.fpscr & QC, QC);
  m.cpu.vfp.fpscr = 0;
  m.exec([0xf3110b02]); // vqrdmulh.s16 d0, d1, d2
  // (2·16384 + 2^15) >> 16 = 1
  t.is(d(m, 0), '0000000120007fff');
});

test('VZIP, VUZP and VTRN rearrange the lanes of both registers', (t) => {
  const m = neonMachine();
  const a = '0706050403020100';
  const b = '1716151413121110';
  setD(m, 0, a);
  setD(m, 1, b);
  m.exec([0xf3b20181]); // vzip.8 d0, d1
  t.is(d(m, 0), '1303120211011000');
  t.is(d(m, 1), '1707160615051404');
  m.exec([0xf3b20101]); // vuzp.8 d0, d1: undoes the zip
  t.is(d(m, 0), a);
  t.is(d(m, 1), b);
  m.exec([0xf3b20081]); // vtrn.8 d0, d1
  t.is(d(m, 0), '1606140412021000');
  t.is(d(m, 1), '1707150513031101');
});

test('VEXT, VPADD, VPADDL, VCNT, VCLZ, VCLS, VREV64 follow their pseudocode', (t) => {
  const m = neonMachine();
  setD(m, 1, '0706050403020100');
  setD(m, 2, '1716151413121110');
  m.exec([0xf2b10302]); // vext.8 d0, d1, d2, #3: bytes 3… of d2:d1
  t.is(d(m, 0), '1211100706050403');
  m.exec([0xf2110b12]); // vpadd.i16 d0, d1, d2: pairs of d1's lanes, then d2's
  t.is(d(m, 0), '2c2a24220c0a0402'); // 0x0100+0x0302, 0x0504+0x0706, 0x1110+0x1312, 0x1514+0x1716
  setD(m, 1, '00000000000080ff');
  m.exec([0xf3b00281]); // vpaddl.u8 d0, d1: 0xff + 0x80 = 0x17f
  t.is(d(m, 0), '000000000000017f');
  setD(m, 1, '00000000000f80ff');
  m.exec([0xf3b00501]); // vcnt.8 d0, d1
  t.is(d(m, 0), '0000000000040108');
  setD(m, 1, '0000000100008000');
  m.exec([0xf3b40481]); // vclz.i16 d0, d1: 0x8000 → 0, 0 → 16, 1 → 15, 0 → 16
  t.is(d(m, 0), '0010000f00100000');
  setD(m, 1, '00000000000001ff');
  m.exec([0xf3b00401]); // vcls.s8 d0, d1: 0xff → 7, 0x01 → 6, 0x00 → 7
  t.is(d(m, 0), '0707070707070607');
  setD(m, 1, '4444333322221111');
  m.exec([0xf3b40001]); // vrev64.16 d0, d1
  t.is(d(m, 0), '1111222233334444');
});

test('VMOV (immediate) and VDUP (core register) replicate their value', (t) => {
  const m = neonMachine();
  m.exec([0xf387025f]); // vmov.i32 q0, #0xff00
  t.is(d(m, 0), '0000ff000000ff00');
  t.is(d(m, 1), '0000ff000000ff00');
  m.cpu.setRegister('r2', 0x12345678);
  m.exec([0xeea22b30]); // vdup.16 q1, r2
  t.is(d(m, 2), '5678567856785678');
  t.is(d(m, 3), '5678567856785678');
});

// --- single precision, Standard FPSCR value (A2.7.4) ---------------------------------------------

test('VADD.F32 flushes a denormal input to zero and sets IDC, whatever FPSCR.FZ says', (t) => {
  const m = neonMachine();
  m.cpu.vfp.fpscr = 0; // FZ = 0, round to nearest
  setSingles(m, 1, 0x3f800000, 0x00000001); // 1.0, the smallest denormal
  setSingles(m, 2, 0x00000001, 0x00000000); // denormal, +0
  m.exec([0xf2010d02]); // vadd.f32 d0, d1, d2
  t.deepEqual(singles(m, 0), [0x3f800000, 0x00000000]);
  t.is(m.cpu.vfp.fpscr & 0x9f, IDC, 'input denormal only: the sums are exact');
});

test('VMUL.F32 flushes a tiny result to zero with UFC; NaNs become the default NaN', (t) => {
  const m = neonMachine();
  setSingles(m, 1, 0x00800000, 0x7f800001); // 2^−126, a signalling NaN
  setSingles(m, 2, 0x3f000000, 0x3f800000); // 0.5, 1.0
  m.exec([0xf3010d12]); // vmul.f32 d0, d1, d2
  t.deepEqual(singles(m, 0), [0x00000000, 0x7fc00000]);
  t.is(m.cpu.vfp.fpscr & 0x9f, UFC | IOC);
  m.cpu.vfp.fpscr = 0;
  setSingles(m, 1, 0xffc12345, 0x3f800000); // a quiet NaN with a payload, 1.0
  m.exec([0xf3010d12]);
  t.deepEqual(singles(m, 0), [0x7fc00000, 0x3f800000], 'default NaN, not the operand NaN');
  t.is(m.cpu.vfp.fpscr & 0x9f, 0, 'a quiet NaN raises nothing');
});

test('VADD.F32 rounds to nearest even even when FPSCR selects round towards zero', (t) => {
  const m = neonMachine();
  m.cpu.vfp.fpscr = 0x00c00000; // RMode = RZ
  setSingles(m, 1, 0x3f800000, 0x3f800000); // 1.0, 1.0
  setSingles(m, 2, 0x33c00000, 0x33800000); // 1.5·2^−24, 2^−24 (half an ulp of 1.0: a tie)
  m.exec([0xf2010d02]);
  t.deepEqual(singles(m, 0), [0x3f800001, 0x3f800000], '1 + 0.75 ulp → 1 + ulp; the tie goes to even');
  t.is(m.cpu.vfp.fpscr & 0x9f, IXC);
});

test('VRECPE.F32 and VRSQRTE.F32 give the manual\'s 8-bit estimates', (t) => {
  const m = neonMachine();
  setSingles(m, 1, 0x3f800000, 0x40800000); // 1.0, 4.0
  m.exec([0xf3bb0501]); // vrecpe.f32 d0, d1
  // recip_estimate(0.5): 1/(256.5/512) = 1.99610…, ·256 rounds to 511: 511/256 · 2^−1, and 511/256 · 2^−3
  t.deepEqual(singles(m, 0), [0x3f7f8000, 0x3e7f8000]);
  m.exec([0xf3bb0581]); // vrsqrte.f32 d0, d1
  // 1.0: odd exponent, scaled 0.25: 1/sqrt(128.5/512) ·256 → 511: 511/256 · 2^−1; 4.0 likewise · 2^−2
  t.deepEqual(singles(m, 0), [0x3f7f8000, 0x3eff8000]);
});

test('VCVT to integer rounds towards zero and saturates with IOC; fixed point scales by 2^fbits', (t) => {
  const m = neonMachine();
  setSingles(m, 1, 0xbfc00000, 0x4f32d05e); // −1.5, 3e9
  m.exec([0xf3bb0701]); // vcvt.s32.f32 d0, d1
  t.deepEqual(singles(m, 0), [0xffffffff, 0x7fffffff]);
  t.is(m.cpu.vfp.fpscr & 0x9f, IOC | IXC);
  m.cpu.vfp.fpscr = 0;
  setSingles(m, 1, 0x00018000, 0xffffffff);
  m.exec([0xf3b00e11]); // vcvt.f32.u32 d0, d1, #16
  // 0x18000 / 2^16 = 1.5; 0xffffffff / 2^16 = 65535.99998… rounds to 65536.0
  t.deepEqual(singles(m, 0), [0x3fc00000, 0x47800000]);
  t.is(m.cpu.vfp.fpscr & 0x9f, IXC);
});
