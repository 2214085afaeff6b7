import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';
import { installThumb } from '../../cores/arm/thumb/index.ts';

/**
 * T32 instructions outside the reference vectors' classes (ARM ARM DDI
 * 0406C): conditional branches B T1/T3 (A8.8.18), SP arithmetic and
 * SP-relative loads/stores, SETEND (A8.8.168), hints and barriers, WFE/SEV
 * and the event register (B1.8.13), BXJ, LDREXH/STREXH, and the
 * Virtualization Extensions' HVC (B9.3.4, Hyp Trap entry), ERET (B9.3.3)
 * and MRS/MSR (banked register) (B9.3.9–10); SMC without the Security
 * Extensions is UNDEFINED. Encodings from GNU as.
 */

installThumb();

const SVC_THUMB = 0x1d3 | 0x20;
const Z = 0x40000000;

function thumb(code: readonly number[], cpsr = SVC_THUMB, m = new ArmTestMachine()): ArmTestMachine {
  const bytes = new Uint8Array(code.length * 2);
  code.forEach((h, k) => {
    bytes[2 * k] = h & 0xff;
    bytes[2 * k + 1] = h >>> 8;
  });
  m.bus.loadBytes(0x1000, bytes);
  m.cpu.setRegister('cpsr', cpsr);
  m.cpu.setPc(0x1000);
  return m;
}

test('B<cond> T1 (16-bit) and T3 (32-bit) branch only when the condition passes', (t) => {
  for (const [code, flags, pc] of [
    [[0xd00e], Z, 0x1020], // beq.n .+0x20
    [[0xd00e], 0, 0x1002],
    [[0xf47f, 0xaf7e], 0, 0x0f00], // bne.w .-0x100
    [[0xf47f, 0xaf7e], Z, 0x1004],
    [[0xf280, 0x87fe], 0x90000000, 0x2000], // bge.w .+0x1000 with N = V = 1
    [[0xf280, 0x87fe], 0x80000000, 0x1004], // N != V: LT
    [[0xf77e, 0xaffe], Z, 0x0000], // ble.w .-0x1000 with Z
  ] as const) {
    const m = thumb(code, SVC_THUMB | flags);
    m.step(1);
    t.is(m.cpu.getPc(), pc, `${code.map((h) => h.toString(16)).join(' ')} with flags ${(flags >>> 28).toString(2)}`);
  }
});

test('SP arithmetic and SP-relative loads and stores (imm7 × 4, imm8 × 4)', (t) => {
  // add sp, #0x1fc; sub sp, #0x10; ldr r3, [sp, #0x3fc]; str r4, [sp, #8]; add r1, sp, #0x3fc; add sp, r2
  const m = thumb([0xb07f, 0xb084, 0x9bff, 0x9402, 0xa9ff, 0x4495]);
  m.cpu.setRegister('sp', 0x8000);
  m.cpu.setRegister('r4', 0xfeed);
  m.cpu.setRegister('r2', 0x100);
  m.bus.write32(0x81ec + 0x3fc, 0xabcd);
  m.step(2);
  t.is(m.reg('sp'), 0x81ec);
  m.step(2);
  t.is(m.reg('r3'), 0xabcd);
  t.is(m.bus.read32(0x81f4), 0xfeed);
  m.step(2);
  t.is(m.reg('r1'), 0x81ec + 0x3fc);
  t.is(m.reg('sp'), 0x82ec);
});

test('SETEND BE makes data accesses big-endian until SETEND LE', (t) => {
  const m = thumb([0xb658, 0x6808, 0xb650, 0x680a]); // setend be; ldr r0, [r1]; setend le; ldr r2, [r1]
  m.bus.write32(0x2000, 0x11223344);
  m.cpu.setRegister('r1', 0x2000);
  m.step(2);
  t.is(m.reg('r0'), 0x44332211);
  t.is(m.reg('cpsr') & 0x200, 0x200, 'CPSR.E');
  m.step(2);
  t.is(m.reg('r2'), 0x11223344);
});

test('hints and barriers (YIELD, NOP.W, DMB, DSB, ISB) change nothing but the PC', (t) => {
  const m = thumb([0xbf10, 0xf3af, 0x8000, 0xf3bf, 0x8f5b, 0xf3bf, 0x8f4f, 0xf3bf, 0x8f6f]);
  const before = [...m.cpu.r.slice(0, 15)];
  m.step(5);
  t.deepEqual([...m.cpu.r.slice(0, 15)], before);
  t.is(m.cpu.getPc(), 0x1012);
  t.is(m.reg('cpsr'), SVC_THUMB);
});

test('SEV sets the event register, which the next WFE consumes instead of waiting; a second WFE waits', (t) => {
  const m = thumb([0xbf40, 0xbf20, 0xbf20]); // sev; wfe; wfe
  m.step(2);
  t.false(m.cpu.idle);
  t.is(m.cpu.getPc(), 0x1004);
  m.step(1);
  t.true(m.cpu.idle);
});

test('BXJ behaves as BX (trivial Jazelle)', (t) => {
  const m = thumb([0xf3c2, 0x8f00]); // bxj r2
  m.cpu.setRegister('r2', 0x3000);
  m.step(1);
  t.is(m.cpu.getPc(), 0x3000);
  t.is(m.reg('cpsr') & 0x20, 0);
});

test('LDREXH/STREXH: halfword exclusive pair succeeds and writes only its halfword', (t) => {
  const m = thumb([0xe8d1, 0x0f5f, 0xe8c1, 0x3f52]); // ldrexh r0, [r1]; strexh r2, r3, [r1]
  m.bus.write32(0x2000, 0xaaaa1234);
  m.cpu.setRegister('r1', 0x2000);
  m.cpu.setRegister('r3', 0x5678);
  m.step(2);
  t.is(m.reg('r0'), 0x1234);
  t.is(m.reg('r2'), 0);
  t.is(m.bus.read32(0x2000), 0xaaaa5678);
});

test('HVC from a PL1 mode with the Virtualization Extensions: Hyp Trap entry, ELR_hyp = next, HSR EC 0x12 with imm16', (t) => {
  const m = thumb([0xf7e1, 0x8234], SVC_THUMB, new ArmTestMachine({ virtualization: true })); // hvc #0x1234
  m.step(1);
  t.is(m.reg('cpsr') & 0x1f, 0x1a, 'Hyp mode');
  t.is(m.cpu.getPc(), 0x14, 'HVBAR + 0x14');
  t.is(m.cpu.elrHyp, 0x1004);
  t.is(m.cpu.sys.hsr >>> 26, 0x12);
  t.is(m.cpu.sys.hsr & 0xffff, 0x1234);
});

test('ERET (SUBS PC, LR, #0) in Hyp mode returns to ELR_hyp with SPSR_hyp', (t) => {
  const m = thumb([0xf3de, 0x8f00], 0x1da | 0x20, new ArmTestMachine({ virtualization: true }));
  m.cpu.elrHyp = 0x2000;
  m.cpu.setRegister('spsr', 0x1d3 | 0x20);
  m.step(1);
  t.is(m.cpu.getPc(), 0x2000);
  t.is(m.reg('cpsr') & 0x3f, 0x33, 'SVC mode, Thumb state');
});

test('MRS/MSR (banked register) read and write SP_usr from SVC mode', (t) => {
  const m = thumb([0xf3e5, 0x8020, 0xf381, 0x8520], SVC_THUMB, new ArmTestMachine({ virtualization: true }));
  m.cpu.bankedSp[0] = 0x1234;
  m.cpu.setRegister('r1', 0x5678);
  m.step(1);
  t.is(m.reg('r0'), 0x1234);
  m.step(1);
  t.is(m.cpu.bankedSp[0], 0x5678);
  t.is(m.reg('cpsr') & 0x1f, 0x13);
});

test('SMC without the Security Extensions (and no PSCI through SMC) is UNDEFINED, LR = address + 2', (t) => {
  const m = thumb([0xf7f0, 0x8000]); // smc #0
  m.step(1);
  t.is(m.reg('cpsr') & 0x1f, 0x1b);
  t.is(m.reg('lr'), 0x1002);
});
