import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * VFP register file and transfers (ARM ARM A7.6, A7.8, A7.9, B1.14, B4.1.40
 * CPACR, B6.1 FPEXC/FPSID/MVFR): gated by CPACR and FPEXC.EN, VMRS/VMSR,
 * VMOV in all its core-register forms, VLDR/VSTR, VLDM/VSTM, VPUSH/VPOP.
 */

const CPACR_FULL = 0x00f00000;

function exec(m: ArmTestMachine, words: number[], regs: Record<string, number> = {}): void {
  m.load(words);
  for (const [r, v] of Object.entries(regs)) m.cpu.setRegister(r, v);
  m.step(words.length);
}

/** CPACR grants CP10/CP11 and FPEXC.EN is set, as firmware does before using VFP. */
function enabledMachine(): ArmTestMachine {
  const m = new ArmTestMachine();
  m.load([0xee010f50]); // mcr p15, 0, r0, c1, c0, 2 (CPACR)
  m.cpu.r[0] = CPACR_FULL;
  m.step(1);
  m.load([0xeee80a10]); // vmsr fpexc, r0
  m.cpu.r[0] = 0x40000000;
  m.step(1);
  if (m.cpu.mode !== 0x13) throw new Error('enabling VFP trapped');
  return m;
}

test('with CPACR denying CP10, VMRS is UNDEFINED', (t) => {
  const m = new ArmTestMachine();
  exec(m, [0xeef00a10]); // vmrs r0, fpsid
  t.is(m.cpu.mode, 0x1b);
});

test('FPSID, MVFR0 and FPEXC are reachable at PL1 before FPEXC.EN is set; FPSCR is not', (t) => {
  const m = new ArmTestMachine();
  m.load([0xee010f50]);
  m.cpu.r[0] = CPACR_FULL;
  m.step(1);
  exec(m, [0xeef00a10]);
  t.is(m.reg('r0'), 0x410430f0, 'FPSID');
  exec(m, [0xeef70a10]);
  t.is(m.reg('r0'), 0x10110222, 'MVFR0');
  exec(m, [0xeef80a10]);
  t.is(m.reg('r0'), 0, 'FPEXC.EN clear at reset');
  exec(m, [0xeef1fa10]); // vmrs APSR_nzcv, fpscr
  t.is(m.cpu.mode, 0x1b);
});

test('VMSR FPEXC enables the unit; VMSR/VMRS FPSCR and VMRS APSR_nzcv', (t) => {
  const m = enabledMachine();
  exec(m, [0xeef80a10]);
  t.is(m.reg('r0'), 0x40000000);
  exec(m, [0xeee10a10], { r0: 0xa0000000 }); // vmsr fpscr, r0
  exec(m, [0xeef1fa10]); // vmrs APSR_nzcv, fpscr
  t.is(m.flags(), 'N-C-');
});

test('CPACR granting PL1 only makes VFP UNDEFINED in User mode', (t) => {
  const m = enabledMachine();
  m.load([0xee010f50]);
  m.cpu.r[0] = 0x00500000;
  m.step(1);
  m.load([0xee010a90]); // vmov s3, r0
  m.cpu.setRegister('cpsr', 0x10);
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
});

test('VMOV between core registers and single, double and scalar registers', (t) => {
  const m = enabledMachine();
  exec(m, [0xee010a90, 0xee111a90], { r0: 0x3f800000 }); // vmov s3, r0; vmov r1, s3
  t.is(m.reg('r1'), 0x3f800000);
  t.is(m.cpu.vfp.words[3], 0x3f800000);
  exec(m, [0xec410b31, 0xec532b31], { r0: 0x11111111, r1: 0x22222222 }); // vmov d17, r0, r1; vmov r2, r3, d17
  t.is(m.reg('r2'), 0x11111111);
  t.is(m.reg('r3'), 0x22222222);
  t.is(m.cpu.vfp.words[34], 0x11111111, 'D17 low word');
  exec(m, [0xec410a12], { r0: 5, r1: 6 }); // vmov s4, s5, r0, r1
  t.is(m.cpu.vfp.words[4], 5);
  t.is(m.cpu.vfp.words[5], 6);
  exec(m, [0xee220b10], { r0: 0x80ff7f01 }); // vmov.32 d2[1], r0
  t.is(m.cpu.vfp.words[5] >>> 0, 0x80ff7f01);
  exec(m, [0xeef21b70]); // vmov.u8 r1, d2[7]
  t.is(m.reg('r1'), 0x80);
  exec(m, [0xee321b70]); // vmov.s16 r1, d2[3]
  t.is(m.reg('r1'), 0xffff80ff);
});

test('VLDR and VSTR move doubles and singles', (t) => {
  const m = enabledMachine();
  m.bus.write32(0x40000008, 0xaaaa0001);
  m.bus.write32(0x4000000c, 0xbbbb0002);
  exec(m, [0xed900b02], { r0: 0x40000000 }); // vldr d0, [r0, #8]
  t.is(m.cpu.vfp.words[0] >>> 0, 0xaaaa0001);
  t.is(m.cpu.vfp.words[1] >>> 0, 0xbbbb0002);
  exec(m, [0xed400a01], { r0: 0x40000020 }); // vstr s1, [r0, #-4]
  t.is(m.bus.read32(0x4000001c), 0xbbbb0002);
});

test('VPUSH and VPOP round-trip D8-D9 through the stack', (t) => {
  const m = enabledMachine();
  for (let k = 16; k < 20; k++) m.cpu.vfp.words[k] = k;
  exec(m, [0xed2d8b04], { sp: 0x40000100 }); // vpush {d8-d9}
  t.is(m.reg('sp'), 0x400000f0);
  t.is(m.bus.read32(0x400000f0), 16);
  t.is(m.bus.read32(0x400000fc), 19);
  m.cpu.vfp.words.fill(0, 16, 20);
  exec(m, [0xecbd8b04]); // vpop {d8-d9}
  t.is(m.reg('sp'), 0x40000100);
  t.deepEqual([...m.cpu.vfp.words.subarray(16, 20)], [16, 17, 18, 19]);
});

test('VLDMIA with writeback and VSTMIA of D16-D17', (t) => {
  const m = enabledMachine();
  for (let k = 0; k < 4; k++) m.bus.write32(0x40000000 + 4 * k, 100 + k);
  exec(m, [0xecb00a04], { r0: 0x40000000 }); // vldmia r0!, {s0-s3}
  t.deepEqual([...m.cpu.vfp.words.subarray(0, 4)], [100, 101, 102, 103]);
  t.is(m.reg('r0'), 0x40000010);
  m.cpu.vfp.words.set([1, 2, 3, 4], 32);
  exec(m, [0xecc00b04], { r0: 0x40000040 }); // vstmia r0, {d16-d17}
  t.is(m.bus.read32(0x40000040), 1);
  t.is(m.bus.read32(0x4000004c), 4);
  t.is(m.reg('r0'), 0x40000040);
});
