import test from 'ava';
import { StopReason } from '../../src/machine/Cpu.ts';
import { IrqLine, type IrqSink } from '../../src/machine/IrqLine.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * Generic timer (ARM ARM B8, CP15 c14): the counter follows virtual time at
 * CNTFRQ = 62.5 MHz, the timers compare against it and drive their lines
 * from clock events (no polling), ISTATUS/IMASK/ENABLE behave as in B4.1.26,
 * and PL0 access follows CNTKCTL.
 */

const MRRC_CNTPCT = 0xec510f0e; // mrrc p15, 0, r0, r1, c14
const MRRC_CNTVCT = 0xec510f1e; // mrrc p15, 1, r0, r1, c14
const MCR_CNTP_TVAL = 0xee0e0f12;
const MRC_CNTP_TVAL = 0xee1e0f12;
const MCR_CNTP_CTL = 0xee0e0f32;
const MRC_CNTP_CTL = 0xee1e0f32;
const MCRR_CNTP_CVAL = 0xec410f2e; // mcrr p15, 2, r0, r1, c14
const MCR_CNTV_TVAL = 0xee0e0f13;
const MCR_CNTV_CTL = 0xee0e0f33;
const NOP = 0xe320f000;

class Recorder implements IrqSink {
  readonly levels: boolean[] = [];
  setIrqLevel(_input: number, level: boolean): void {
    this.levels.push(level);
  }
}

function exec(m: ArmTestMachine, insn: number, r0 = 0, r1 = 0): void {
  m.load([insn]);
  m.cpu.r[0] = r0;
  m.cpu.r[1] = r1;
  m.step(1);
}

test('CNTPCT counts virtual time at 62.5 MHz (16 ns per tick)', (t) => {
  const m = new ArmTestMachine();
  exec(m, MRRC_CNTPCT);
  t.is(m.reg('r0'), 0);
  m.clock.advanceTo(1_000_000); // 1 ms
  exec(m, MRRC_CNTPCT);
  t.is(m.reg('r0'), 62_500);
  t.is(m.reg('r1'), 0);
});

test('CNTPCT advances with the instructions retired in the slice', (t) => {
  // One instruction every 16 ns: one counter tick per instruction.
  const m = new ArmTestMachine({ frequencyHz: 62_500_000 });
  m.load([NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, MRRC_CNTPCT]);
  m.step(11);
  t.is(m.reg('r0'), 10);
});

test('the 64-bit count splits across MRRC registers', (t) => {
  const m = new ArmTestMachine();
  m.clock.advanceTo(2 ** 32 * 16 + 160); // 2^32 + 10 ticks
  exec(m, MRRC_CNTPCT);
  t.is(m.reg('r0'), 10);
  t.is(m.reg('r1'), 1);
});

test('the physical timer raises its line when the count reaches CVAL, from a clock event', (t) => {
  const sink = new Recorder();
  const line = new IrqLine(sink, 30, 'cntp');
  const m = new ArmTestMachine({ timerIrqs: { phys: line } });
  exec(m, MCR_CNTP_TVAL, 1000); // 1000 ticks = 16 us
  exec(m, MCR_CNTP_CTL, 1);
  t.false(line.level);
  m.clock.advanceTo(15_999);
  t.false(line.level);
  m.clock.advanceTo(16_000);
  t.true(line.level);
  exec(m, MRC_CNTP_CTL);
  t.is(m.reg('r0'), 5, 'ENABLE and ISTATUS');
  exec(m, MRC_CNTP_TVAL);
  t.true((m.reg('r0') | 0) <= 0, 'TVAL counts down past zero');
  exec(m, MCR_CNTP_CTL, 3); // IMASK
  t.false(line.level);
  exec(m, MRC_CNTP_CTL);
  t.is(m.reg('r0'), 7, 'ISTATUS still set while masked');
  exec(m, MCR_CNTP_CTL, 0);
  exec(m, MRC_CNTP_CTL);
  t.is(m.reg('r0'), 0, 'ISTATUS reads 0 when disabled');
  t.deepEqual(sink.levels, [true, false]);
});

test('writing a CVAL in the past asserts the line at once; a later CVAL lowers it', (t) => {
  const line = new IrqLine(null, 30);
  const m = new ArmTestMachine({ timerIrqs: { phys: line } });
  m.clock.advanceTo(160); // count 10
  exec(m, MCR_CNTP_CTL, 1);
  exec(m, MCRR_CNTP_CVAL, 5, 0);
  t.true(line.level);
  exec(m, MCRR_CNTP_CVAL, 100, 0);
  t.false(line.level);
  m.clock.advanceTo(1600);
  t.true(line.level);
});

test('the virtual timer drives its own line', (t) => {
  const phys = new IrqLine(null, 30);
  const virt = new IrqLine(null, 27);
  const m = new ArmTestMachine({ timerIrqs: { phys, virt } });
  exec(m, MCR_CNTV_TVAL, 10);
  exec(m, MCR_CNTV_CTL, 1);
  m.clock.advanceTo(160);
  t.true(virt.level);
  t.false(phys.level);
  exec(m, MRRC_CNTVCT);
  t.is(m.reg('r0'), 10, 'CNTVOFF is 0');
});

test('PL0 reads of CNTPCT need CNTKCTL.PL0PCTEN', (t) => {
  const m = new ArmTestMachine();
  m.load([MRRC_CNTPCT]);
  m.cpu.setRegister('cpsr', 0x10);
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
  const k = new ArmTestMachine();
  exec(k, 0xee0e0f11, 1); // mcr p15, 0, r0, c14, c1, 0: CNTKCTL.PL0PCTEN
  k.load([MRRC_CNTPCT]);
  k.cpu.setRegister('cpsr', 0x10);
  k.step(1);
  t.is(k.cpu.mode, 0x10);
});

test('WFI idles until the timer interrupt reaches the core, then execution goes on', (t) => {
  // The timer's line is wired to the core's own IRQ input, as the GIC would deliver it.
  const forward: IrqSink & { target?: IrqSink } = {
    setIrqLevel(_input, level) {
      forward.target?.setIrqLevel(0, level);
    },
  };
  const m = new ArmTestMachine({ timerIrqs: { phys: new IrqLine(forward, 30) } });
  forward.target = m.cpu;
  // mov r0, #100; mcr CNTP_TVAL; mov r0, #1; mcr CNTP_CTL; wfi; nop
  m.load([0xe3a00064, MCR_CNTP_TVAL, 0xe3a00001, MCR_CNTP_CTL, 0xe320f003, NOP]);
  t.is(m.cpu.run(100), StopReason.Idle);
  t.is(m.cpu.retired, 5);
  t.is(m.cpu.run(100), StopReason.Idle);
  t.is(m.cpu.retired, 5, 'nothing runs while idle');
  t.is(m.clock.nextDeadline(), 1600, 'the expiry is a clock event');
  m.clock.advanceTo(1600);
  t.false(m.cpu.idle);
  m.cpu.run(1);
  t.is(m.reg('pc'), 0x1018, 'IRQs are masked at reset: the NOP after WFI ran');
});
