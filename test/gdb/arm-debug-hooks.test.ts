import test from 'ava';
import { StopReason, type DataWatcher } from '../../src/machine/Cpu.ts';
import { ArmTestMachine } from '../arm/ArmTestMachine.ts';

/**
 * The ARM core's debugger hooks (Cpu.setBreakpoints, setWatcher,
 * debugResume): what the gdb stub builds on. Encodings from the ARM ARM
 * (A8.8), checked with arm-none-eabi-objdump.
 */

const MOV_R0_1 = 0xe3a00001; // mov r0, #1
const ADD_R0_1 = 0xe2800001; // add r0, r0, #1
const NOP = 0xe320f000;
const STR_R1_R0_4_WB = 0xe5a01004; // str r1, [r0, #4]!
const LDR_R0_R0 = 0xe5900000; // ldr r0, [r0]
const STM_R0_R1_R2 = 0xe8800006; // stm r0, {r1, r2}

class RecordingWatcher implements DataWatcher {
  readonly seen: string[] = [];
  constructor(
    private readonly start: number,
    private readonly end: number,
    private readonly onWrite: boolean,
  ) {}
  access(address: number, size: number, write: boolean): boolean {
    this.seen.push(`${write ? 'w' : 'r'}${size}@${address.toString(16)}`);
    return write === this.onWrite && address < this.end && address + size > this.start;
  }
}

test('a breakpoint stops before the instruction at its address, and the core stays stopped until resumed', (t) => {
  const m = new ArmTestMachine();
  m.load([MOV_R0_1, ADD_R0_1, ADD_R0_1, ADD_R0_1]);
  m.cpu.setBreakpoints(new Set([0x1008]));
  t.is(m.cpu.run(100), StopReason.Breakpoint);
  t.is(m.cpu.getPc(), 0x1008);
  t.is(m.reg('r0'), 2, 'the instruction at the breakpoint did not execute');
  t.is(m.cpu.retired, 2);
  t.is(m.cpu.run(100), StopReason.Breakpoint, 'a stop not yet resumed is reported again');
  t.is(m.cpu.retired, 2);
  m.cpu.debugResume('run');
  t.is(m.cpu.run(100), StopReason.Breakpoint, 'resuming on a breakpoint hits it again: stepping over is the debugger\'s job');
  t.is(m.cpu.retired, 2);
});

test('a step executes exactly one instruction, ignoring a breakpoint on it, then stops', (t) => {
  const m = new ArmTestMachine();
  m.load([MOV_R0_1, ADD_R0_1, ADD_R0_1, ADD_R0_1]);
  m.cpu.setBreakpoints(new Set([0x1000]));
  m.cpu.debugResume('step');
  t.is(m.cpu.run(100), StopReason.Breakpoint);
  t.is(m.cpu.getPc(), 0x1004);
  t.is(m.reg('r0'), 1);
  t.is(m.cpu.retired, 1);
  m.cpu.setBreakpoints(null);
  m.cpu.debugResume('run');
  t.is(m.cpu.run(2), StopReason.Budget);
  t.is(m.reg('r0'), 3);
});

test('a step takes no interrupt (as QEMU\'s gdb stub by default); the next run does', (t) => {
  const m = new ArmTestMachine();
  m.load([NOP, NOP, NOP]);
  m.cpu.setRegister('cpsr', 0x00000013); // SVC with IRQs unmasked
  m.cpu.setIrqLevel(0, true);
  m.cpu.debugResume('step');
  t.is(m.cpu.run(100), StopReason.Breakpoint);
  t.is(m.cpu.getPc(), 0x1004);
  t.is(m.cpu.mode, 0x13);
  m.cpu.debugResume('run');
  m.cpu.run(1);
  t.is(m.cpu.mode, 0x12, 'IRQ taken');
  t.is(m.reg('lr'), 0x1008);
});

test('a write watchpoint stops before the store: no memory change, no base writeback, PC on the store', (t) => {
  const m = new ArmTestMachine();
  m.load([STR_R1_R0_4_WB]);
  m.cpu.r[0] = 0x40000000 - 4;
  m.cpu.r[1] = 0x12345678;
  m.bus.write32(0x40000000, 0xaaaaaaaa);
  const watcher = new RecordingWatcher(0x40000000, 0x40000004, true);
  m.cpu.setWatcher(watcher);
  t.is(m.cpu.run(10), StopReason.Breakpoint);
  t.deepEqual(watcher.seen, ['w4@40000000']);
  t.is(m.cpu.getPc(), 0x1000);
  t.is(m.cpu.retired, 0);
  t.is(m.bus.read32(0x40000000), 0xaaaaaaaa);
  t.is(m.reg('r0'), 0x3ffffffc);
  // What gdb does next: remove the watchpoint, step over the store.
  m.cpu.setWatcher(null);
  m.cpu.debugResume('step');
  t.is(m.cpu.run(10), StopReason.Breakpoint);
  t.is(m.bus.read32(0x40000000), 0x12345678);
  t.is(m.reg('r0'), 0x40000000);
  t.is(m.cpu.getPc(), 0x1004);
});

test('a read watchpoint on LDR r0, [r0] leaves the base register intact, so the load runs again correctly', (t) => {
  const m = new ArmTestMachine();
  m.load([LDR_R0_R0]);
  m.cpu.r[0] = 0x40000010;
  m.bus.write32(0x40000010, 0xcafef00d);
  m.cpu.setWatcher(new RecordingWatcher(0x40000010, 0x40000011, false));
  t.is(m.cpu.run(10), StopReason.Breakpoint);
  t.is(m.reg('r0'), 0x40000010);
  m.cpu.setWatcher(null);
  m.cpu.debugResume('run');
  t.is(m.cpu.run(1), StopReason.Budget);
  t.is(m.reg('r0'), 0xcafef00d);
});

test('a watchpoint on the second word of an STM stops the instruction; resumed, it stores both words', (t) => {
  const m = new ArmTestMachine();
  m.load([STM_R0_R1_R2]);
  m.cpu.r[0] = 0x40000100;
  m.cpu.r[1] = 0x11111111;
  m.cpu.r[2] = 0x22222222;
  const watcher = new RecordingWatcher(0x40000104, 0x40000108, true);
  m.cpu.setWatcher(watcher);
  t.is(m.cpu.run(10), StopReason.Breakpoint);
  t.deepEqual(watcher.seen, ['w4@40000100', 'w4@40000104']);
  t.is(m.bus.read32(0x40000104), 0);
  t.is(m.cpu.getPc(), 0x1000);
  m.cpu.setWatcher(null);
  m.cpu.debugResume('run');
  m.cpu.run(1);
  t.is(m.bus.read32(0x40000100), 0x11111111);
  t.is(m.bus.read32(0x40000104), 0x22222222);
});

test('without a watcher, RAM accesses no longer reach it (back on the soft-TLB path)', (t) => {
  const m = new ArmTestMachine();
  m.load([STR_R1_R0_4_WB, STR_R1_R0_4_WB]);
  m.cpu.r[0] = 0x40000000;
  const watcher = new RecordingWatcher(0, 0, true);
  m.cpu.setWatcher(watcher);
  m.cpu.run(1);
  t.deepEqual(watcher.seen, ['w4@40000004']);
  m.cpu.setWatcher(null);
  m.cpu.run(1);
  t.deepEqual(watcher.seen, ['w4@40000004']);
  t.is(m.bus.read32(0x40000008), m.reg('r1'));
});

test('a held core looks idle and executes nothing until resumed', (t) => {
  const m = new ArmTestMachine();
  m.load([ADD_R0_1, ADD_R0_1]);
  m.cpu.debugResume('hold');
  t.true(m.cpu.idle);
  t.is(m.cpu.run(10), StopReason.Idle);
  t.is(m.cpu.retired, 0);
  m.cpu.debugResume('run');
  t.false(m.cpu.idle);
  t.is(m.cpu.run(2), StopReason.Budget);
  t.is(m.reg('r0'), 2);
});

test('debugTranslate is the identity with the MMU off', (t) => {
  const m = new ArmTestMachine();
  t.is(m.cpu.debugTranslate(0x40000123), 0x40000123);
});
