import test from 'ava';
import { StopReason } from '../../src/machine/Cpu.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';
import { installThumb } from '../../cores/arm/thumb/index.ts';

/**
 * Exceptions taken from and returning to T32 code, and the system
 * instructions of T32 (ARM ARM DDI 0406C): return addresses of Table B1-7
 * and the TakeXxxException pseudocode of B1.9 (SVC: next instruction;
 * Undefined: address + 2 for 16- and 32-bit instructions, PC − 2 with PC =
 * address + 4, which QEMU 7.2 also gives for UDF.W; Prefetch Abort: + 4;
 * Data Abort: + 8), fault registers, SUBS PC, LR and SRS/RFE in T32,
 * SCTLR.TE, CPS, MRS/MSR, WFI, HVC to PSCI, a 32-bit instruction across a
 * page boundary, and code that rewrites itself. Encodings from GNU as.
 */

installThumb();

const SVC_THUMB = 0x1d3 | 0x20;
const USER_THUMB = 0x1d0 | 0x20;
const T = 0x20;

function thumb(code: readonly number[], at = 0x1000, m = new ArmTestMachine()): ArmTestMachine {
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

const mode = (m: ArmTestMachine) => m.reg('cpsr') & 0x1f;

test('SVC from Thumb User code: SVC mode at 0x08, LR = next instruction, SPSR = the Thumb User CPSR', (t) => {
  const m = thumb([0xbf00, 0xdf12]); // nop; svc #0x12
  m.cpu.setRegister('cpsr', USER_THUMB | 0x80000000);
  m.step(2);
  t.is(mode(m), 0x13);
  t.is(m.cpu.getPc(), 0x08);
  t.is(m.reg('lr'), 0x1004);
  t.is(m.reg('spsr'), (0x80000000 | USER_THUMB) >>> 0);
  t.is(m.reg('cpsr') & T, 0, 'SCTLR.TE = 0: the handler runs in ARM state');
});

test('UDF (16- and 32-bit) and an MRC of an absent CP15 register: Undefined mode, LR = address + 2', (t) => {
  for (const code of [[0xde34], [0xf7f0, 0xa056], [0xeeff, 0x0fff]]) {
    const m = thumb(code);
    m.step(1);
    t.is(mode(m), 0x1b, `${code.map((h) => h.toString(16)).join(' ')} is UNDEFINED`);
    t.is(m.cpu.getPc(), 0x04);
    t.is(m.reg('lr'), 0x1002);
    t.is(m.reg('spsr') & T, T);
  }
});

test('MRC p15 from Thumb reads the system register (MIDR of the Cortex-A15 r2p1 model)', (t) => {
  const m = thumb([0xee10, 0x0f10]); // mrc p15, 0, r0, c0, c0, 0
  m.step(1);
  t.is(m.reg('r0'), 0x412fc0f1);
  t.is(m.cpu.getPc(), 0x1004);
});

test('BKPT: Prefetch Abort with IFSR = debug event, LR = address + 4', (t) => {
  const m = thumb([0xbf00, 0xbe01]); // nop; bkpt #1
  m.step(2);
  t.is(mode(m), 0x17);
  t.is(m.cpu.getPc(), 0x0c);
  t.is(m.reg('lr'), 0x1006);
  t.is(m.cpu.sys.ifsr & 0x40f, 0x002);
});

test('Data Abort from 16- and 32-bit loads: LR = address + 8, DFAR = the address, Rt untouched', (t) => {
  for (const [code, far] of [[[0x6808], 0x80000000], [[0xf8d1, 0x0004], 0x80000004]] as const) {
    const m = thumb(code); // ldr r0, [r1] / ldr.w r0, [r1, #4]
    m.cpu.setRegister('r0', 0x55);
    m.cpu.setRegister('r1', 0x80000000);
    m.step(1);
    t.is(mode(m), 0x17);
    t.is(m.cpu.getPc(), 0x10);
    t.is(m.reg('lr'), 0x1008);
    t.is(m.cpu.sys.dfar >>> 0, far);
    t.is(m.reg('r0'), 0x55);
  }
});

test('Prefetch Abort fetching Thumb code: IFAR = the address, LR = address + 4, SPSR.T set', (t) => {
  const m = thumb([0x4710]); // bx r2
  m.cpu.setRegister('r2', 0x80000001);
  m.step(2);
  t.is(mode(m), 0x17);
  t.is(m.cpu.getPc(), 0x0c);
  t.is(m.cpu.sys.ifar >>> 0, 0x80000000);
  t.is(m.reg('lr'), 0x80000004);
  t.is(m.reg('spsr') & T, T);
});

test('a 32-bit instruction across a page boundary executes, also in a loop', (t) => {
  const m = thumb([0xf241, 0x2034, 0xf2c5, 0x6078], 0x1ffe); // movw r0, #0x1234; movt r0, #0x5678
  m.step(2);
  t.is(m.reg('r0'), 0x56781234);
  t.is(m.cpu.getPc(), 0x2006);
  const loop = thumb([0xf241, 0x2034, 0xe7fc], 0x1ffe); // movw r0, #0x1234; b.n .-4
  loop.cpu.setRegister('r0', 0);
  loop.step(5);
  t.is(loop.reg('r0'), 0x1234);
  t.is(loop.cpu.getPc(), 0x2002);
});

test('a 32-bit instruction whose second halfword has no memory: Prefetch Abort of the instruction, IFAR = second halfword', (t) => {
  const m = thumb([0xf241], 0xffffe); // first halfword of movw at the end of the RAM at 0
  m.step(1);
  t.is(mode(m), 0x17);
  t.is(m.reg('lr'), 0xffffe + 4);
  t.is(m.cpu.sys.ifar >>> 0, 0x100000);
  t.is(m.cpu.sys.ifsr & 0x40f, 0x008, 'external abort');
});

test('code that rewrites the next instruction it runs: the new instruction executes', (t) => {
  // 0x1000 movs r0, #1 (rewritten to movs r0, #2); strh r1, [r2]; b.n 0x1000
  const m = thumb([0x2001, 0x8011, 0xe7fc]);
  m.cpu.setRegister('r1', 0x2002);
  m.cpu.setRegister('r2', 0x1000);
  m.step(4);
  t.is(m.reg('r0'), 2);
});

test('SUBS PC, LR, #4 (T32): CPSR = SPSR and PC = LR − 4, into Thumb or ARM code', (t) => {
  for (const [spsr, inThumb] of [[0x30, true], [0x10, false]] as const) {
    const m = thumb([0xf3de, 0x8f04]);
    m.cpu.setRegister('spsr', spsr);
    m.cpu.setRegister('lr', 0x2004);
    m.step(1);
    t.is(m.cpu.getPc(), 0x2000);
    t.is(mode(m), 0x10);
    t.is((m.reg('cpsr') & T) !== 0, inThumb);
  }
});

test('SRSDB sp!, #0x13 then RFEIA sp!: LR and SPSR to the stack and back as PC and CPSR', (t) => {
  const m = thumb([0xe82d, 0xc013, 0xe9bd, 0xc000]);
  m.cpu.setRegister('sp', 0x8000);
  m.cpu.setRegister('lr', 0x2000);
  m.cpu.setRegister('spsr', 0x30);
  m.step(1);
  t.is(m.bus.read32(0x7ff8), 0x2000);
  t.is(m.bus.read32(0x7ffc), 0x30);
  t.is(m.reg('sp'), 0x7ff8);
  m.step(1);
  t.is(m.cpu.getPc(), 0x2000);
  t.is(m.reg('cpsr') & 0x3f, 0x30, 'User mode, Thumb state');
  t.is(m.cpu.bankedSp[3], 0x8000, 'SP_svc written back');
});

test('with SCTLR.TE set, exceptions are taken to Thumb state and the handler runs as T32', (t) => {
  const m = thumb([0xdf01]); // svc #1
  m.cpu.sys.sctlr |= 1 << 30;
  thumb([0x2509], 0x08, m); // at the SVC vector: movs r5, #9
  m.cpu.setPc(0x1000);
  m.step(2);
  t.is(m.reg('r5'), 9);
  t.is(m.reg('cpsr') & T, T);
  t.is(m.cpu.getPc(), 0x0a);
});

test('CPS: CPSID/CPSIE i change the I mask and CPS #0x1f the mode; all are NOPs in User mode', (t) => {
  const code = [0xb672, 0xb662, 0xf3af, 0x811f]; // cpsid i; cpsie i; cps #0x1f
  const m = thumb(code);
  m.cpu.setRegister('cpsr', 0x153 | T);
  m.step(1);
  t.is(m.reg('cpsr') & 0x80, 0x80);
  m.step(1);
  t.is(m.reg('cpsr') & 0x80, 0);
  m.step(1);
  t.is(mode(m), 0x1f);
  const user = thumb(code);
  user.cpu.setRegister('cpsr', 0x150 | T);
  user.step(3);
  t.is(user.reg('cpsr') & 0x1ff, 0x150 | T);
});

test('MRS reads the CPSR without its execution-state bits; MSR CPSR_f writes the flags', (t) => {
  const m = thumb([0xf3ef, 0x8000, 0xf381, 0x8800]); // mrs r0, cpsr; msr cpsr_f, r1
  m.cpu.setRegister('cpsr', 0xc0000000 | SVC_THUMB);
  m.cpu.setRegister('r1', 0x30000000);
  m.step(2);
  t.is(m.reg('r0'), 0xc00001d3, 'T (and IT, J) read as zero (B9.3.9)');
  t.is(m.flags(), '--CV');
});

test('WFI from Thumb code idles the core until an interrupt', (t) => {
  const m = thumb([0xbf30, 0xbf00]);
  t.is(m.cpu.run(5), StopReason.Idle);
  t.true(m.cpu.idle);
  t.is(m.cpu.getPc(), 0x1002);
});

test('HVC from Thumb reaches PSCI on a board that routes PSCI through HVC', (t) => {
  const m = thumb([0xf7e0, 0x8000], 0x1000, new ArmTestMachine({ psci: 'hvc' })); // hvc #0
  m.cpu.setRegister('r0', 0x84000000); // PSCI_VERSION
  m.step(1);
  t.is(m.reg('r0'), 0x10000, 'PSCI 1.0');
  t.is(m.cpu.getPc(), 0x1004);
});

test('run(n) retires exactly n Thumb instructions and counts them', (t) => {
  const m = thumb([0x3001, 0x3001, 0x3001, 0x3001, 0x3001]); // adds r0, #1 (×5)
  m.cpu.setRegister('r0', 0);
  const before = m.cpu.retired;
  m.step(3);
  t.is(m.reg('r0'), 3);
  t.is(m.cpu.retired - before, 3);
  t.is(m.cpu.getPc(), 0x1006);
});
