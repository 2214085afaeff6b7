import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';
import { installThumb } from '../../cores/arm/thumb/index.ts';

/**
 * T32 memory instructions the reference vectors do not cover (ARM ARM DDI
 * 0406C): the exclusives with their T32-only forms (LDREX/STREX offset
 * imm8 × 4, LDREXD/STREXD with two independent registers, A8.8.75–79,
 * A8.8.212–216) and the monitor rules of A3.4, alignment faults of
 * exclusives (A3.2.1), unprivileged loads/stores (Rn + imm8, no writeback,
 * A8.8.92), memory hints (no effect, never a fault, A8.8.127–130), POP T3,
 * and VFP transfers from Thumb code (VMRS/VMSR, VMOV, VLDR with the
 * Align(PC, 4) base). Encodings from GNU as.
 */

installThumb();

const SVC_THUMB = 0x1d3 | 0x20;

function thumb(code: readonly number[], at = 0x1000): ArmTestMachine {
  const m = new ArmTestMachine();
  const bytes = new Uint8Array(code.length * 2);
  code.forEach((h, k) => {
    bytes[2 * k] = h & 0xff;
    bytes[2 * k + 1] = h >>> 8;
  });
  m.bus.loadBytes(at, bytes);
  m.cpu.setRegister('cpsr', SVC_THUMB);
  m.cpu.setPc(at);
  return m;
}

const LDREX_R0_R1_8 = [0xe851, 0x0f02]; // ldrex r0, [r1, #8]
const STREX_R2_R3_R1_8 = [0xe841, 0x3202]; // strex r2, r3, [r1, #8]
const CLREX = [0xf3bf, 0x8f2f];

test('LDREX/STREX with an immediate offset: the store succeeds once after the load, then fails and leaves memory', (t) => {
  const m = thumb([...LDREX_R0_R1_8, ...STREX_R2_R3_R1_8, ...STREX_R2_R3_R1_8]);
  m.bus.write32(0x2008, 41);
  m.cpu.setRegister('r1', 0x2000);
  m.cpu.setRegister('r3', 99);
  m.step(2);
  t.is(m.reg('r0'), 41);
  t.is(m.reg('r2'), 0, 'status 0: stored');
  t.is(m.bus.read32(0x2008), 99);
  m.bus.write32(0x2008, 5);
  m.step(1);
  t.is(m.reg('r2'), 1, 'the first STREX cleared the monitor');
  t.is(m.bus.read32(0x2008), 5);
});

test('CLREX between LDREX and STREX makes the store fail', (t) => {
  const m = thumb([...LDREX_R0_R1_8, ...CLREX, ...STREX_R2_R3_R1_8]);
  m.cpu.setRegister('r1', 0x2000);
  m.cpu.setRegister('r3', 99);
  m.step(3);
  t.is(m.reg('r2'), 1);
  t.is(m.bus.read32(0x2008), 0);
});

test('LDREXD/STREXD take two independent registers (T32 only)', (t) => {
  // ldrexd r4, r6, [r1]; strexd r2, r6, r4, [r1]
  const m = thumb([0xe8d1, 0x467f, 0xe8c1, 0x6472]);
  m.bus.write32(0x2000, 1);
  m.bus.write32(0x2004, 2);
  m.cpu.setRegister('r1', 0x2000);
  m.step(1);
  t.is(m.reg('r4'), 1);
  t.is(m.reg('r6'), 2);
  m.step(1);
  t.is(m.reg('r2'), 0);
  t.is(m.bus.read32(0x2000), 2, 'Rt (r6) to the lower address');
  t.is(m.bus.read32(0x2004), 1, 'Rt2 (r4) to the upper one');
});

test('LDREXB zero-extends its byte', (t) => {
  const m = thumb([0xe8d1, 0x0f4f]); // ldrexb r0, [r1]
  m.bus.write32(0x2000, 0x123456f0);
  m.cpu.setRegister('r1', 0x2000);
  m.step(1);
  t.is(m.reg('r0'), 0xf0);
});

test('exclusives check alignment whatever SCTLR.A says: Data Abort with DFAR = the unaligned address', (t) => {
  for (const [code, base, far] of [
    [LDREX_R0_R1_8, 0x2001, 0x2009],
    [[0xe8d1, 0x467f], 0x2004, 0x2004], // ldrexd at a word, not doubleword, boundary
    [[0xe8c1, 0x3f52], 0x2001, 0x2001], // strexh r2, r3, [r1] at an odd address
  ] as const) {
    const m = thumb(code);
    m.cpu.setRegister('r1', base);
    m.step(1);
    t.is(m.reg('cpsr') & 0x1f, 0x17, 'Abort mode');
    t.is(m.cpu.sys.dfsr & 0x40f, 0x001, 'alignment fault');
    t.is(m.cpu.sys.dfar >>> 0, far);
  }
});

test('LDRT/STRBT address Rn + imm8 and leave Rn alone', (t) => {
  const m = thumb([0xf851, 0x0e04, 0xf801, 0x0e04]); // ldrt r0, [r1, #4]; strbt r0, [r1, #4]
  m.bus.write32(0x2004, 0xaabbccdd);
  m.cpu.setRegister('r1', 0x2000);
  m.step(1);
  t.is(m.reg('r0'), 0xaabbccdd);
  t.is(m.reg('r1'), 0x2000);
  m.cpu.setRegister('r0', 0x11);
  m.step(1);
  t.is(m.bus.read32(0x2004), 0xaabbcc11);
  t.is(m.reg('r1'), 0x2000);
});

test('PLD, PLI and PLD (literal) have no effect, even for addresses with no memory', (t) => {
  // pld [r1, #0x40]; pli [r1, r2]; pld [pc, #-8]
  const m = thumb([0xf891, 0xf040, 0xf911, 0xf002, 0xf81f, 0xf008]);
  m.cpu.setRegister('r1', 0x80000000);
  m.cpu.setRegister('r2', 0x100);
  m.step(3);
  t.is(m.reg('cpsr') & 0x1f, 0x13, 'still SVC: no abort');
  t.is(m.cpu.getPc(), 0x100c);
});

test('LDR Rt, [SP], #4 (POP T3) loads and writes SP back', (t) => {
  const m = thumb([0xf85d, 0x0b04]);
  m.bus.write32(0x8000, 0xcafe);
  m.cpu.setRegister('sp', 0x8000);
  m.step(1);
  t.is(m.reg('r0'), 0xcafe);
  t.is(m.reg('sp'), 0x8004);
});

test('VFP transfers from Thumb code: FPEXC, VMOV both ways, VLDR with an Align(PC, 4) base', (t) => {
  // 0x1000 vmsr fpexc, r1; vmov s0, r2; vmov r3, s0; nop; 0x100e vldr d1, [pc, #8]
  const m = thumb([0xeee8, 0x1a10, 0xee00, 0x2a10, 0xee10, 0x3a10, 0xbf00, 0xed9f, 0x1b02]);
  m.cpu.sys.cpacr = 0x00f00000; // CP10 and CP11: full access
  m.cpu.setRegister('r1', 0x40000000); // FPEXC.EN
  m.cpu.setRegister('r2', 0x3f800000);
  m.bus.write32(0x101c, 0x01234567); // Align(0x1012, 4) + 8 = 0x1018: the doubleword at 0x1018
  m.bus.write32(0x1018, 0x89abcdef);
  m.step(3);
  t.is(m.reg('r3'), 0x3f800000);
  m.step(2);
  t.is(m.cpu.vfp.words[2] >>> 0, 0x89abcdef, 'D1 low word');
  t.is(m.cpu.vfp.words[3] >>> 0, 0x01234567, 'D1 high word');
});

test('a VFP instruction with the unit off is UNDEFINED with the Thumb LR (address + 2)', (t) => {
  const m = thumb([0xee00, 0x2a10]); // vmov s0, r2 — CPACR grants nothing at reset
  m.step(1);
  t.is(m.reg('cpsr') & 0x1f, 0x1b);
  t.is(m.reg('lr'), 0x1002);
  t.is(m.cpu.getPc(), 0x04);
});
