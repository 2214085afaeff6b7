import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';
import { VfpRegisters } from '../../cores/arm/vfp/VfpRegisters.ts';

/**
 * VFP data processing as instructions (ARM ARM A7.5, B1.14, B4.1.40 CPACR,
 * B6.1 FPEXC/FPSCR/MVFR): the enable checks, CPACR.D32DIS, FPSCR.LEN/STRIDE
 * on a core without short vectors, the ID registers against what is
 * implemented, and the JIT handing the instructions to the interpreter.
 * Encodings are arm-none-eabi-as output for the mnemonics in the comments.
 */

const UND = 0x1b;
const SVC = 0x13;

/** A machine at PL1 with CPACR granting CP10/CP11 and, unless told otherwise, FPEXC.EN set. */
function machine(options: { enable?: boolean; cpacr?: number; jit?: false | { threshold: number } } = {}): ArmTestMachine {
  const m = new ArmTestMachine(options.jit === undefined ? {} : { jit: options.jit });
  m.cpu.sys.cpacr = options.cpacr ?? 0x00f00000;
  m.cpu.vfp.fpexc = options.enable === false ? 0 : VfpRegisters.FPEXC_EN;
  return m;
}

const single = new Float32Array(1);
const singleWord = new Uint32Array(single.buffer);
const bitsOf = (v: number) => ((single[0] = v), singleWord[0]);

test('VADD runs when enabled; with FPEXC.EN clear or CPACR denying CP10 it is UNDEFINED', (t) => {
  const on = machine();
  on.cpu.vfp.words[1] = bitsOf(1.5);
  on.cpu.vfp.words[2] = bitsOf(2.25);
  on.exec([0xee300a81]); // vadd.f32 s0, s1, s2
  t.is(on.cpu.mode, SVC);
  t.is(on.cpu.vfp.words[0], bitsOf(3.75));
  const off = machine({ enable: false });
  off.exec([0xee300a81]);
  t.is(off.cpu.mode, UND, 'FPEXC.EN = 0');
  const denied = machine({ cpacr: 0 });
  denied.exec([0xee300a81]);
  t.is(denied.cpu.mode, UND, 'CPACR.cp10 = 0');
  const userOnly = machine({ cpacr: 0x00500000 }); // PL1-only access
  userOnly.cpu.setRegister('cpsr', 0x10);
  userOnly.exec([0xee300a81]);
  t.is(userOnly.cpu.mode, UND, 'CPACR.cp10 = 01 denies PL0');
});

test('CPACR.D32DIS makes a double-precision form naming D16–D31 UNDEFINED', (t) => {
  const m = machine({ cpacr: 0x40f00000 });
  m.exec([0xee310b02]); // vadd.f64 d0, d1, d2
  t.is(m.cpu.mode, SVC);
  m.exec([0xee710b02]); // vadd.f64 d16, d1, d2
  t.is(m.cpu.mode, UND);
  const full = machine();
  full.cpu.vfp.doubles[1] = 0.5;
  full.cpu.vfp.doubles[2] = 0.25;
  full.exec([0xee710b02]);
  t.is(full.cpu.vfp.doubles[16], 0.75);
});

test('FPSCR.LEN/STRIDE are kept, and make vector-capable forms UNDEFINED while VCMP still runs (no short vectors)', (t) => {
  const m = machine();
  m.exec([0xeee10a10, 0xeef11a10], (c) => c.setRegister('r0', 0x00310000)); // vmsr fpscr, r0; vmrs r1, fpscr
  t.is(m.reg('r1'), 0x00310000, 'LEN = 1, STRIDE = 3 read back');
  m.cpu.vfp.words[0] = bitsOf(1);
  m.cpu.vfp.words[1] = bitsOf(2);
  m.exec([0xeeb40a60, 0xeef1fa10]); // vcmp.f32 s0, s1; vmrs APSR_nzcv, fpscr
  t.is(m.cpu.mode, SVC);
  t.is(m.flags(), 'N---', '1 < 2');
  m.exec([0xee300a81]); // vadd.f32 s0, s1, s2
  t.is(m.cpu.mode, UND);
});

test('trap enable bits read as zero: VMSR of FPSCR keeps only the bits Cortex-A15 has', (t) => {
  const m = machine();
  m.exec([0xeee10a10, 0xeef11a10], (c) => c.setRegister('r0', 0xffffffff));
  t.is(m.reg('r1') >>> 0, 0xfff7009f);
});

test('the ID registers describe what is implemented: VFPv4-D32 with division, square root, all rounding modes, half precision, fused MAC, no traps or short vectors', (t) => {
  const m = machine();
  m.exec([0xeef70a10, 0xeef61a10, 0xeef02a10]); // vmrs r0, mvfr0; vmrs r1, mvfr1; vmrs r2, fpsid
  const mvfr0 = m.reg('r0');
  const mvfr1 = m.reg('r1');
  const field = (v: number, lsb: number) => (v >>> lsb) & 15;
  t.is(field(mvfr0, 0), 2, 'A_SIMD registers: 32 × 64-bit');
  t.is(field(mvfr0, 4), 2, 'single precision (VFPv3 or later)');
  t.is(field(mvfr0, 8), 2, 'double precision (VFPv3 or later)');
  t.is(field(mvfr0, 12), 0, 'no exception trapping');
  t.is(field(mvfr0, 16), 1, 'VDIV');
  t.is(field(mvfr0, 20), 1, 'VSQRT');
  t.is(field(mvfr0, 24), 0, 'no short vectors');
  t.is(field(mvfr0, 28), 1, 'all rounding modes');
  t.is(field(mvfr1, 0), 1, 'flush-to-zero');
  t.is(field(mvfr1, 4), 1, 'default NaN');
  t.is(field(mvfr1, 24), 1, 'half-precision conversion');
  t.is(field(mvfr1, 28), 1, 'fused multiply-add');
  t.is((m.reg('r2') >>> 24) & 0xff, 0x41, 'FPSID implementer ARM');
  // And each of those instructions executes.
  for (const word of [0xee823b01, 0xeeb10ac0, 0xeea02b01, 0xeeb30a60]) {
    m.exec([word]); // vdiv.f64 d3, d2, d1; vsqrt.f32 s0, s0; vfma.f64 d2, d0, d1; vcvtb.f16.f32 s0, s1
    t.is(m.cpu.mode, SVC, `0x${word.toString(16)} executes`);
  }
});

/** 0x1000: vmul.f64 d0, d0, d1; vfma.f64 d2, d0, d1; vdiv.f64 d3, d2, d1; subs r2, r2, #1; bne 0x1000; b . */
const LOOP = [0xee200b01, 0xeea02b01, 0xee823b01, 0xe2522001, 0x1afffffa, 0xeafffffe];

function runLoop(jit: false | { threshold: number }, rmode: number): { words: number[]; fpscr: number; regions: number } {
  const m = machine({ jit });
  m.cpu.vfp.doubles[0] = 1.0000001;
  m.cpu.vfp.doubles[1] = 1.0000003;
  m.cpu.vfp.fpscr = rmode << 22;
  m.load(LOOP);
  m.cpu.setRegister('r2', 200);
  for (let left = 1000; left > 0; left -= 50) m.step(50);
  return { words: [...m.cpu.vfp.words.slice(0, 8)], fpscr: m.cpu.vfp.fpscr, regions: m.cpu.jit?.stats.regions ?? 0 };
}

test('the JIT runs VFP instructions through the interpreter: same registers and FPSCR in every rounding mode', (t) => {
  for (let rmode = 0; rmode < 4; rmode++) {
    const interpreted = runLoop(false, rmode);
    const compiled = runLoop({ threshold: 1 }, rmode);
    t.true(compiled.regions > 0, 'the loop was compiled');
    t.deepEqual(compiled.words, interpreted.words);
    t.is(compiled.fpscr, interpreted.fpscr);
    t.is(interpreted.fpscr & 0x10, 0x10, 'Inexact raised');
  }
});

test('in a compiled block, a VFP instruction with the unit disabled takes the Undefined Instruction exception at its address', (t) => {
  const m = machine({ jit: { threshold: 1 } });
  m.bus.write32(0x4, 0xeafffffe); // Undefined vector: b .
  m.load(LOOP);
  m.cpu.setRegister('r2', 1000);
  m.step(40);
  m.cpu.vfp.fpexc = 0; // disable between passes
  m.step(10);
  t.is(m.cpu.mode, UND);
  t.is(m.reg('lr') - 4, 0x1000, 'LR_und = address of the vmul + 4');
});

test('A32 condition codes apply: VADDNE does nothing with Z set, runs with Z clear', (t) => {
  const m = machine();
  m.cpu.vfp.words[1] = bitsOf(1);
  m.cpu.vfp.words[2] = bitsOf(2);
  m.cpu.setRegister('cpsr', 0x40000013); // Z set, SVC mode
  m.exec([0x1e300a81]); // vaddne.f32 s0, s1, s2
  t.is(m.cpu.vfp.words[0], 0);
  m.cpu.setRegister('cpsr', 0x00000013);
  m.exec([0x1e300a81]);
  t.is(m.cpu.vfp.words[0], bitsOf(3));
});
