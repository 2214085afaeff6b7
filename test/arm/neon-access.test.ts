import test from 'ava';
import { installThumb } from '../../cores/arm/thumb/index.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';

installThumb();

/**
 * When Advanced SIMD instructions may run (ARM ARM B1.14.2, B4.1.40 CPACR,
 * B6.1.x FPEXC): CPACR.cp10/cp11 access for the current privilege level,
 * CPACR.ASEDIS (Advanced SIMD only, VFP still allowed), CPACR.D32DIS (D16–
 * D31), FPEXC.EN. A denied instruction takes the Undefined Instruction
 * exception (vector 0x04, LR_und = address + 4 in ARM state, + 2 for a T32
 * instruction, B1.9.2). Also: T32 encodings, and the JIT running the
 * interpreter's handlers for them (same results as the interpreter).
 */

const VADD_I8 = 0xf2010802; // vadd.i8 d0, d1, d2
const VADD_I8_HIGH = 0xf24108a2; // vadd.i8 d16, d17, d18
const VMOV_D0_R0_R1 = 0xec410b10; // vmov d0, r0, r1 (VFP)

function machine(cpacr: number, fpexc: number, jit: false | { threshold: number } = false): ArmTestMachine {
  const m = new ArmTestMachine({ jit });
  m.cpu.sys.cpacr = cpacr;
  m.cpu.vfp.fpexc = fpexc;
  m.bus.write32(0x4, 0xeafffffe); // Undefined vector: b .
  return m;
}

function setD(m: ArmTestMachine, n: number, lo: number, hi: number): void {
  m.cpu.vfp.words[2 * n] = lo;
  m.cpu.vfp.words[2 * n + 1] = hi;
}

test('with the unit enabled an Advanced SIMD instruction executes', (t) => {
  const m = machine(0x00f00000, 0x40000000);
  setD(m, 1, 0x01010101, 0x01010101);
  setD(m, 2, 0x02020202, 0x02020202);
  m.exec([VADD_I8]);
  t.is(m.cpu.mode, 0x13);
  t.is(m.cpu.vfp.words[0], 0x03030303);
});

test('FPEXC.EN clear: Undefined Instruction, LR = address + 4', (t) => {
  const m = machine(0x00f00000, 0);
  m.exec([VADD_I8]);
  t.is(m.cpu.mode, 0x1b);
  t.is(m.reg('lr') >>> 0, 0x1004);
  t.is(m.cpu.getPc(), 0x4);
});

test('CPACR.cp10 without access, or PL1-only access from User mode: Undefined', (t) => {
  const none = machine(0, 0x40000000);
  none.exec([VADD_I8]);
  t.is(none.cpu.mode, 0x1b);
  const pl1 = machine(0x00500000, 0x40000000);
  pl1.exec([VADD_I8], (c) => c.setRegister('cpsr', 0x10));
  t.is(pl1.cpu.mode, 0x1b, 'User mode with cp10 = 01');
  const privileged = machine(0x00500000, 0x40000000);
  privileged.exec([VADD_I8]);
  t.is(privileged.cpu.mode, 0x13, 'Supervisor mode with cp10 = 01');
});

test('CPACR.ASEDIS makes Advanced SIMD UNDEFINED but leaves VFP transfers alone', (t) => {
  const m = machine(0x80f00000, 0x40000000);
  m.exec([VMOV_D0_R0_R1], (c) => {
    c.setRegister('r0', 0x11);
    c.setRegister('r1', 0x22);
  });
  t.is(m.cpu.mode, 0x13);
  t.is(m.cpu.vfp.words[0], 0x11);
  m.exec([VADD_I8]);
  t.is(m.cpu.mode, 0x1b);
});

test('CPACR.D32DIS makes instructions naming D16-D31 UNDEFINED', (t) => {
  const low = machine(0x40f00000, 0x40000000);
  low.exec([VADD_I8]);
  t.is(low.cpu.mode, 0x13);
  const high = machine(0x40f00000, 0x40000000);
  high.exec([VADD_I8_HIGH]);
  t.is(high.cpu.mode, 0x1b);
});

/** Run T32 halfwords at 0x2000 in Thumb state for `steps` instructions. */
function runThumb(m: ArmTestMachine, halfwords: number[], steps: number): void {
  halfwords.forEach((h, k) => m.bus.write16(0x2000 + 2 * k, h));
  m.cpu.setRegister('cpsr', 0x13 | 0x20);
  m.cpu.setPc(0x2000);
  m.cpu.run(steps);
}

test('T32: VADD (111U 1111), VLD1 (1111 1001) and VDUP (core register) execute', (t) => {
  const m = machine(0x00f00000, 0x40000000);
  setD(m, 1, 0x01010101, 0x01010101);
  setD(m, 2, 0x02020202, 0x02020202);
  m.bus.write32(0x40000000, 0x44332211);
  m.bus.write32(0x40000004, 0x88776655);
  m.cpu.setRegister('r0', 0x40000000);
  m.cpu.setRegister('r1', 0xab);
  // vadd.i8 d0, d1, d2; vld1.8 {d3}, [r0]; vdup.8 d4, r1
  runThumb(m, [0xef01, 0x0802, 0xf920, 0x370f, 0xeec4, 0x1b10], 3);
  t.is(m.cpu.vfp.words[0], 0x03030303);
  t.is(m.cpu.vfp.words[6] >>> 0, 0x44332211);
  t.is(m.cpu.vfp.words[7] >>> 0, 0x88776655);
  t.is(m.cpu.vfp.words[8] >>> 0, 0xabababab);
  t.is(m.cpu.getPc(), 0x200c);
});

test('T32: a denied Advanced SIMD instruction takes Undefined with LR_und = address + 2', (t) => {
  const m = machine(0x00f00000, 0);
  runThumb(m, [0xef01, 0x0802], 1);
  t.is(m.cpu.mode, 0x1b);
  t.is(m.reg('lr') >>> 0, 0x2002);
});

for (const jit of [false, { threshold: 1 }] as const) {
  test(`${jit === false ? 'interpreter' : 'JIT'}: a loop of Advanced SIMD instructions gives the architectural result`, (t) => {
    const m = machine(0x00f00000, 0x40000000, jit);
    // 0x1000 mov r0, #20
    // 0x1004 L: vadd.i8 d0, d0, d1; vqadd.u8 d2, d2, d3; vld1.32 {d4}, [r1]!; subs r0, r0, #1; bne L
    m.load([0xe3a00014, 0xf2000801, 0xf3022013, 0xf421478d, 0xe2500001, 0x1afffffa]);
    setD(m, 1, 0x01010101, 0x01010101);
    setD(m, 3, 0x10101010, 0x10101010);
    for (let k = 0; k < 40; k++) m.bus.write32(0x40000000 + 4 * k, k);
    m.cpu.setRegister('r1', 0x40000000);
    m.cpu.run(1 + 20 * 5);
    t.is(m.cpu.vfp.words[0], 0x14141414, '20 × 1 per byte');
    t.is(m.cpu.vfp.words[4], 0xffffffff | 0, '20 × 0x10 saturates at 0xff');
    t.is(m.cpu.vfp.fpscr & 0x08000000, 0x08000000);
    t.deepEqual([m.cpu.vfp.words[8], m.cpu.vfp.words[9]], [38, 39]);
    t.is(m.reg('r1') >>> 0, 0x40000000 + 160);
    if (jit !== false) t.true(m.cpu.jit!.stats.regions > 0, 'the loop was compiled');
  });
}

test('HCPTR.TASE traps Advanced SIMD to Hyp mode (EC 0x07, TA = 1) but not VFP transfers', async (t) => {
  const { HVBAR, hypMachine } = await import('./HypTestMachine.ts');
  const m = hypMachine();
  m.cpu.sys.cpacr = 0x00f00000;
  m.cpu.vfp.fpexc = 0x40000000;
  m.cpu.sys.hcptr = 1 << 15;
  m.cpu.hypTrapConfigChanged();
  m.load([VMOV_D0_R0_R1, VADD_I8]);
  m.step(1);
  t.is(m.reg('pc'), 0x1004, 'the VFP transfer runs');
  m.step(1);
  t.is(m.reg('pc'), HVBAR + 0x14);
  t.is(m.cpu.elrHyp, 0x1004);
  t.is(m.cpu.sys.hsr >>> 0, 0x1fe00020); // EC 0x07 | IL | CV | COND=E | TA
});

test('T32: an Advanced SIMD instruction in an IT block runs only when its condition passes', (t) => {
  for (const z of [false, true]) {
    const m = machine(0x00f00000, 0x40000000);
    setD(m, 1, 1, 1);
    setD(m, 2, 2, 2);
    m.bus.write16(0x2000, 0xbf08); // it eq
    m.bus.write16(0x2002, 0xef01); // vaddeq.i8 d0, d1, d2
    m.bus.write16(0x2004, 0x0802);
    m.cpu.setRegister('cpsr', 0x13 | 0x20 | (z ? 0x40000000 : 0));
    m.cpu.setPc(0x2000);
    m.cpu.run(2);
    t.is(m.cpu.vfp.words[0], z ? 3 : 0, z ? 'Z set: executed' : 'Z clear: skipped');
    t.is(m.cpu.getPc(), 0x2006);
  }
});

test('encodings the manual makes UNDEFINED within a form take the Undefined Instruction exception', (t) => {
  const undefinedWords: [number, string][] = [
    [0xf2021844, 'vadd.i8 with Q = 1 and Vd odd'],
    [0xf2030844, 'vadd.i8 with Q = 1 and Vn odd'],
    [0xf2b10802, 'vext.8 of D registers with imm4 > 7'],
    [0xf420072f, 'vld1 (one register) with align = 10'],
    [0xf2811c02, 'vmull.s8 with Vd odd'],
    [0xf420042f, 'vld3 with align<1> = 1'],
    [0xf2010b02, 'vqdmulh with 8-bit elements'],
    [0xf2110d02, 'vadd.f32 with sz = 1'],
    [0xeec00b30, 'vdup (core register) with B:E = 11'],
    [0xf3b40101, 'vrev16 of halfwords'],
  ];
  for (const [word, what] of undefinedWords) {
    const m = machine(0x00f00000, 0x40000000);
    m.exec([word]);
    t.is(m.cpu.mode, 0x1b, what);
    t.is(m.reg('lr') >>> 0, 0x1004, what);
  }
});

test('JIT: with FPEXC.EN cleared after the loop was compiled, the NEON instruction takes Undefined with the exact state', (t) => {
  const m = machine(0x00f00000, 0x40000000, { threshold: 1 });
  // 0x1000 L: add r1, r1, #1; vadd.i8 d0, d0, d1; add r2, r2, #1; b L
  m.load([0xe2811001, 0xf2000801, 0xe2822001, 0xeafffffb]);
  m.cpu.run(40);
  t.true(m.cpu.jit!.stats.regions > 0);
  t.is(m.reg('r1'), 10);
  t.is(m.reg('r2'), 10);
  // As Linux does for lazy VFP/NEON switching: the unit is turned off, the next use traps.
  m.cpu.vfp.fpexc = 0;
  m.cpu.run(2);
  t.is(m.cpu.mode, 0x1b);
  t.is(m.reg('lr') >>> 0, 0x1008, 'LR_und = the VADD + 4');
  t.is(m.reg('r1'), 11, 'the ADD before it ran');
  t.is(m.reg('r2'), 10, 'the ADD after it did not');
});
