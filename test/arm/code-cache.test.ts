import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * Decoded instructions are cached per physical page and dropped when the
 * page is written, whoever writes it (the core itself, a loader, a device):
 * self-modifying code sees its new instructions.
 */

test('a store over a later instruction of the same page takes effect', (t) => {
  const m = new ArmTestMachine();
  // ldr r1, [pc, #8] (the replacement word at 0x1010); str r1, [pc, #0] (over 0x100c);
  // nop; mov r0, #1 (replaced by mov r0, #2); literal: mov r0, #2
  m.load([0xe59f1008, 0xe58f1000, 0xe320f000, 0xe3a00001, 0xe3a00002]);
  m.step(4);
  t.is(m.reg('r0'), 2);
});

test('code rewritten through the bus between runs is decoded again', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe3a00001, 0xeafffffd]); // mov r0, #1; b .-4
  m.step(2);
  t.is(m.reg('r0'), 1);
  m.bus.write32(0x1000, 0xe3a00007); // mov r0, #7
  m.step(2);
  t.is(m.reg('r0'), 7);
});

test('a loop keeps running correctly across a page boundary', (t) => {
  const m = new ArmTestMachine();
  // Straddle 0x2000: add r0, r0, #1 at 0x1ffc and 0x2000, then branch back.
  m.bus.write32(0x1ffc, 0xe2800001);
  m.bus.write32(0x2000, 0xe2800001);
  m.bus.write32(0x2004, 0xeafffffc); // b 0x1ffc
  m.cpu.setPc(0x1ffc);
  m.step(30);
  t.is(m.reg('r0'), 20);
});
