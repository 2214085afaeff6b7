import test from 'ava';
import { Pl031Rtc, pl031Model, DEFAULT_RTC_START } from '../../peripherals/rtc/Pl031Rtc.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import { IrqLine } from '../../src/machine/IrqLine.ts';
import { RecordingSink, advance, cellsProp, testContext } from './support/deviceContext.ts';

const DR = 0x00, MR = 0x04, LR = 0x08, CR = 0x0c, IMSC = 0x10, RIS = 0x14, MIS = 0x18, ICR = 0x1c;
const S = 1_000_000_000;

function make(startTime?: number) {
  const clock = new VirtualClock();
  const sink = new RecordingSink();
  const rtc = new Pl031Rtc({ name: 'pl031@9010000', clock, irq: new IrqLine(sink, 34), startTime });
  return { rtc, clock, irq: () => sink.level(34) };
}

test('the counter starts at the configured time and counts whole seconds of virtual time', (t) => {
  const { rtc, clock } = make(1000);
  t.is(rtc.read(DR, 4), 1000);
  advance(clock, S - 1);
  t.is(rtc.read(DR, 4), 1000);
  advance(clock, 1);
  t.is(rtc.read(DR, 4), 1001);
  advance(clock, 59 * S);
  t.is(rtc.read(DR, 4), 1060);
});

test('default start time is fixed (2024-01-01T00:00:00Z), so runs repeat', (t) => {
  t.is(make().rtc.read(DR, 4), DEFAULT_RTC_START);
  t.is(new Date(DEFAULT_RTC_START * 1000).toISOString(), '2024-01-01T00:00:00.000Z');
});

test('reset values: MR, LR, IMSC, RIS, MIS 0; CR reads 1 (always running, as QEMU)', (t) => {
  const { rtc } = make();
  for (const off of [MR, LR, IMSC, RIS, MIS]) t.is(rtc.read(off, 4), 0);
  t.is(rtc.read(CR, 4), 1);
  rtc.write(CR, 4, 0);
  t.is(rtc.read(CR, 4), 1);
});

test('PeriphID/CellID as QEMU\'s pl031', (t) => {
  const { rtc } = make();
  const ids = [];
  for (let off = 0xfe0; off < 0x1000; off += 4) ids.push(rtc.read(off, 4));
  t.deepEqual(ids, [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
});

test('loading RTCLR sets the counter, which keeps counting from there; LR reads back', (t) => {
  const { rtc, clock } = make(5);
  advance(clock, 2.5 * S);
  rtc.write(LR, 4, 0x12345678);
  t.is(rtc.read(DR, 4), 0x12345678);
  t.is(rtc.read(LR, 4), 0x12345678);
  advance(clock, S);
  t.is(rtc.read(DR, 4), 0x12345679);
});

test('the counter wraps at 2^32', (t) => {
  const { rtc, clock } = make(0xffffffff);
  advance(clock, S);
  t.is(rtc.read(DR, 4), 0);
});

test('match interrupt when the counter reaches MR, masked by IMSC, cleared by ICR', (t) => {
  const { rtc, clock, irq } = make(100);
  rtc.write(MR, 4, 103);
  advance(clock, 3 * S - 1);
  t.is(rtc.read(RIS, 4), 0);
  advance(clock, 1);
  t.is(rtc.read(RIS, 4), 1);
  t.false(irq(), 'masked');
  t.is(rtc.read(MIS, 4), 0);
  rtc.write(IMSC, 4, 1);
  t.true(irq());
  t.is(rtc.read(MIS, 4), 1);
  rtc.write(ICR, 4, 1);
  t.is(rtc.read(RIS, 4), 0);
  t.false(irq());
});

test('a match value equal to the counter matches at once; moving MR re-arms the alarm', (t) => {
  const { rtc, clock } = make(50);
  rtc.write(IMSC, 4, 1);
  rtc.write(MR, 4, 60);
  rtc.write(MR, 4, 52);
  advance(clock, 2 * S);
  t.is(rtc.read(RIS, 4), 1);
  rtc.write(ICR, 4, 1);
  rtc.write(MR, 4, 52);
  t.is(rtc.read(RIS, 4), 1, 'MR == counter now');
});

test('a match in the past waits for the counter to wrap (not reachable: no event scheduled)', (t) => {
  const { rtc, clock } = make(50);
  rtc.write(MR, 4, 10);
  advance(clock, 100 * S);
  t.is(rtc.read(RIS, 4), 0);
  t.is(clock.nextDeadline(), Infinity);
});

test('snapshot and restore keep time, match and interrupt state', (t) => {
  const a = make(100);
  a.rtc.write(MR, 4, 110);
  a.rtc.write(IMSC, 4, 1);
  advance(a.clock, 4 * S);
  const snap = JSON.parse(JSON.stringify(a.rtc.snapshot()));
  const b = make(0);
  advance(b.clock, 4 * S);
  b.rtc.restore(snap);
  t.is(b.rtc.read(DR, 4), 104);
  advance(b.clock, 6 * S);
  t.true(b.irq());
});

test('factory: tskvm,start-time sets the counter, the first interrupt is the match line', (t) => {
  const ctx = testContext({ name: 'pl031@9010000', regs: [{ address: 0x9010000, size: 0x1000 }], props: [cellsProp('tskvm,start-time', 1234)] });
  const inst = pl031Model.factory(ctx);
  const dev = inst.mappings[0].device;
  t.is(dev.read(DR, 4), 1234);
  dev.write(IMSC, 4, 1);
  dev.write(MR, 4, 1234);
  t.true(ctx.sink.level(0));
});

test('reset clears match, mask and interrupt but the counter keeps its time', (t) => {
  const { rtc, clock, irq } = make(100);
  rtc.write(IMSC, 4, 1);
  rtc.write(MR, 4, 101);
  advance(clock, S);
  t.true(irq());
  rtc.reset();
  t.false(irq());
  t.is(rtc.read(MR, 4), 0);
  t.is(rtc.read(IMSC, 4), 0);
  t.is(rtc.read(DR, 4), 101);
});
