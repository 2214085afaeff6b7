import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';
import { installThumb } from '../../cores/arm/thumb/index.ts';

/**
 * IT blocks (ARM ARM DDI 0406C A2.5.2, A8.8.55): conditions applied to the
 * instructions an IT covers, ITSTATE advancing after each of them, the
 * 16-bit "flags only outside an IT block" rule, and ITSTATE across
 * exceptions (TakeSVCException advances it first, an Undefined Instruction
 * does not, an IRQ between two instructions of a block saves it, and the
 * exception return restores it). Encodings from GNU as (armv7-a, Thumb).
 */

installThumb();

/** SVC mode, A/I/F masked, Thumb state. */
const SVC_THUMB = 0x1d3 | 0x20;
const Z = 0x40000000;

/** A test machine in Thumb state at `at` with `code` (halfwords in memory order). */
function thumb(code: readonly number[], cpsr = SVC_THUMB, at = 0x1000): ArmTestMachine {
  const m = new ArmTestMachine();
  const bytes = new Uint8Array(code.length * 2);
  code.forEach((h, k) => {
    bytes[2 * k] = h & 0xff;
    bytes[2 * k + 1] = h >>> 8;
  });
  m.bus.loadBytes(at, bytes);
  m.cpu.setRegister('cpsr', cpsr);
  m.cpu.setPc(at);
  return m;
}

/** ITSTATE as the CPSR holds it: IT[1:0] in bits 26:25, IT[7:2] in bits 15:10 (B1.3.3). */
const itState = (psr: number) => ((psr >>> 25) & 3) | (((psr >>> 10) & 0x3f) << 2);

test('ITE EQ: the then-instruction runs when EQ passes, the else-instruction when it fails', (t) => {
  // ite eq; moveq r0, #1; movne r0, #2
  const code = [0xbf0c, 0x2001, 0x2002];
  for (const [flags, want] of [[Z, 1], [0, 2]] as const) {
    const m = thumb(code, SVC_THUMB | flags);
    m.step(3);
    t.is(m.reg('r0'), want);
    t.is(m.cpu.getPc(), 0x1006, 'skipped instructions still advance the PC');
    t.is(itState(m.reg('cpsr')), 0, 'the block is over');
  }
});

test('ITETE NE: ITSTATE after IT is firstcond:mask and its mask shifts left after each instruction (ITAdvance)', (t) => {
  // itete ne; movne r3, #3; moveq r3, #4; movne r4, #5; moveq r4, #6
  const code = [0xbf15, 0x2303, 0x2304, 0x2405, 0x2406];
  const m = thumb(code);
  const seen: number[] = [];
  for (let k = 0; k < 5; k++) {
    m.step(1);
    seen.push(itState(m.reg('cpsr')));
  }
  // 0x15 = 000 10101: IT[7:5] stays, IT[4:0] shifts left until IT[2:0] = 000 ends the block.
  t.deepEqual(seen, [0x15, 0x0a, 0x14, 0x08, 0x00]);
  t.is(m.reg('r3'), 3, 'NE passed (Z clear): movne ran, moveq did not');
  t.is(m.reg('r4'), 5);

  const z = thumb(code, SVC_THUMB | Z);
  z.step(5);
  t.is(z.reg('r3'), 4);
  t.is(z.reg('r4'), 6);
});

test('16-bit ADDS sets the flags outside an IT block only (A8.8.4 T1: setflags = !InITBlock())', (t) => {
  const setup = (m: ArmTestMachine) => {
    m.cpu.setRegister('r1', 0xffffffff);
    m.cpu.setRegister('r2', 1);
  };
  // it eq; addeq r0, r1, r2 — with only Z set, the result 0 leaves C and N as they were.
  const inside = thumb([0xbf08, 0x1888], SVC_THUMB | Z);
  setup(inside);
  inside.step(2);
  t.is(inside.reg('r0'), 0);
  t.is(inside.flags(), '-Z--');

  // adds r0, r1, r2 outside a block: 0xffffffff + 1 = 0 with carry out.
  const outside = thumb([0x1888]);
  setup(outside);
  outside.step(1);
  t.is(outside.reg('r0'), 0);
  t.is(outside.flags(), '-ZC-');
});

test('a CMP inside an IT block changes the flags the later instructions of the block test', (t) => {
  // itt eq; cmpeq r1, #1; moveq r0, #7
  const m = thumb([0xbf04, 0x2901, 0x2007], SVC_THUMB | Z);
  m.cpu.setRegister('r0', 0x55);
  m.cpu.setRegister('r1', 0);
  m.step(3);
  t.is(m.flags(), 'N---', '0 - 1: N set, Z clear, borrow');
  t.is(m.reg('r0'), 0x55, 'EQ now fails: moveq did not run');
});

test('an instruction whose IT condition fails makes no memory access (no Data Abort)', (t) => {
  // it ne; ldrne r0, [r1] with r1 pointing at no memory
  for (const [flags, aborted] of [[Z, false], [0, true]] as const) {
    const m = thumb([0xbf18, 0x6808], SVC_THUMB | flags);
    m.cpu.setRegister('r1', 0x80000000);
    m.step(2);
    t.is((m.reg('cpsr') & 0x1f) === 0x17, aborted, aborted ? 'NE passes: the load aborts' : 'NE fails: no access');
  }
});

test('a B.W ending an IT block branches only when its condition passes', (t) => {
  // it ne; bne.w .+0x100 (encoding T4 inside the block)
  for (const [flags, pc] of [[0, 0x1102], [Z, 0x1006]] as const) {
    const m = thumb([0xbf18, 0xf000, 0xb87e], SVC_THUMB | flags);
    m.step(2);
    t.is(m.cpu.getPc(), pc);
  }
});

test('SVC in an IT block: SPSR_svc holds the advanced ITSTATE, and the exception return finishes the block', (t) => {
  // itt eq; svceq #1; moveq r0, #1 — vector 0x08: movs pc, lr (A32)
  const m = thumb([0xbf04, 0xdf01, 0x2001], SVC_THUMB | Z);
  m.bus.write32(0x08, 0xe1b0f00e);
  m.step(2);
  t.is(m.cpu.getPc(), 0x08);
  t.is(m.reg('lr'), 0x1004, 'LR = the next instruction');
  t.is(itState(m.reg('spsr')), 0x08, 'ITT EQ is 0x04; TakeSVCException advances it to 0x08');
  t.is(itState(m.reg('cpsr')), 0, 'exception entry clears ITSTATE');
  m.step(1); // movs pc, lr: CPSR = SPSR_svc
  t.is(m.cpu.getPc(), 0x1004);
  t.is(itState(m.reg('cpsr')), 0x08);
  m.step(1);
  t.is(m.reg('r0'), 1, 'moveq ran under the restored block');
  t.is(itState(m.reg('cpsr')), 0);
});

test('an Undefined Instruction in an IT block saves its own ITSTATE (not advanced) and LR = address + 2', (t) => {
  // itt eq; mrceq p15, 7, r0, c15, c15, 7 (no such register); moveq r0, #1
  const m = thumb([0xbf04, 0xeeff, 0x0fff, 0x2001], SVC_THUMB | Z);
  m.step(2);
  t.is(m.reg('cpsr') & 0x1f, 0x1b, 'Undefined mode');
  t.is(m.cpu.getPc(), 0x04);
  t.is(m.reg('lr'), 0x1004, 'the 32-bit MRC at 0x1002: LR = 0x1002 + 2 (B1.9.2)');
  t.is(itState(m.reg('spsr')), 0x04);
});

test('an IRQ between two instructions of an IT block: SPSR_irq keeps ITSTATE and SUBS PC, LR, #4 resumes the block', (t) => {
  // ittt eq; moveq r0, #1; moveq r1, #2; moveq r2, #3 — IRQs unmasked (I clear)
  const m = thumb([0xbf02, 0x2001, 0x2102, 0x2203], 0x173 | Z);
  m.bus.write32(0x18, 0xe14f6000); // mrs r6, spsr
  m.bus.write32(0x1c, 0xe25ef004); // subs pc, lr, #4
  m.step(2);
  t.is(m.reg('r0'), 1);
  m.cpu.setIrqLevel(0, true);
  m.step(1); // the IRQ is taken, then mrs r6, spsr
  t.is(m.reg('cpsr') & 0x1f, 0x12, 'IRQ mode');
  t.is(m.reg('lr'), 0x1004 + 4, 'LR_irq = next instruction + 4');
  t.is(itState(m.reg('r6')), 0x04, 'ITTT EQ (0x02) advanced once');
  t.is(m.reg('r6') & 0x20, 0x20, 'SPSR.T');
  m.cpu.setIrqLevel(0, false);
  m.step(1);
  t.is(m.cpu.getPc(), 0x1004);
  t.is(m.reg('cpsr') & 0x3f, 0x33, 'back in SVC mode, Thumb state');
  m.step(2);
  t.is(m.reg('r1'), 2);
  t.is(m.reg('r2'), 3);
  t.is(itState(m.reg('cpsr')), 0);
});

test('BKPT in an IT block executes even when the condition fails (A8.8.24: unconditional)', (t) => {
  // it ne; bkpt #1 — with Z set, NE fails
  const m = thumb([0xbf18, 0xbe01], SVC_THUMB | Z);
  m.step(2);
  t.is(m.reg('cpsr') & 0x1f, 0x17, 'the debug event is a Prefetch Abort');
  t.is(m.reg('lr'), 0x1002 + 4);
});
