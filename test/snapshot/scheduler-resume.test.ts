import test from 'ava';
import { Scheduler } from '../../src/machine/Scheduler.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import { FakeCpu } from '../machine/FakeCpu.ts';

// Stopping a run at any instruction count must not change what happens next: the scheduler goes
// on with the window it was in. Two cores on two lanes (parallel) and two sharing one lane (taking
// turns), a periodic event that reads which core has run how far: the log of what each event saw
// is the observable history. Frequencies whose ns per instruction are whole numbers (1 GHz, 500 MHz):
// with others, lane times are sums of fractions, and rounding depends on where a run was cut.

function board() {
  const clock = new VirtualClock();
  const scheduler = new Scheduler(clock, { quantumNs: 1000 });
  const a = new FakeCpu('a', 0, clock, scheduler.stopFlag);
  const b = new FakeCpu('b', 1, clock, scheduler.stopFlag);
  const c = new FakeCpu('c', 2, clock, scheduler.stopFlag);
  scheduler.add(a, { lane: 0 });
  scheduler.add(b, { lane: 1, frequencyHz: 5e8 });
  scheduler.add(c, { lane: 1, weight: 2 });
  const log: string[] = [];
  const tick = () => {
    log.push(`${clock.now}: a=${a.retired} b=${b.retired} c=${c.retired}`);
    clock.schedule(clock.now + 1337, tick, 'tick');
  };
  clock.schedule(1337, tick, 'tick');
  return { clock, scheduler, log, cpus: [a, b, c] };
}

function runFor(s: ReturnType<typeof board>, untilNs: number, stopEvery: number): void {
  for (;;) {
    const exit = s.scheduler.run({ untilNs, ...(stopEvery > 0 ? { maxInstructions: stopEvery } : {}) });
    // Done when the time limit is reported (an instruction stop can come with lanes still behind).
    if (exit.kind === 'limit' && exit.message.startsWith('time limit')) return;
    if (exit.kind !== 'limit') throw new Error(`unexpected ${exit.kind}`);
  }
}

test('runs stopped every k instructions, for many k, see the same history as an uninterrupted run', (t) => {
  const whole = board();
  runFor(whole, 50_000, 0);
  t.true(whole.log.length > 30);
  for (const k of [1, 7, 333, 1000, 4096]) {
    const cut = board();
    runFor(cut, 50_000, k);
    t.deepEqual(cut.log, whole.log, `stopping every ${k}`);
    t.deepEqual(cut.cpus.map((c) => c.retired), whole.cpus.map((c) => c.retired), `counts stopping every ${k}`);
  }
});

test('a scheduler restored from a snapshot taken mid-window goes on as the original', (t) => {
  const whole = board();
  runFor(whole, 50_000, 0);
  const cut = board();
  cut.scheduler.run({ maxInstructions: 12_345 });
  const state = cut.scheduler.snapshot();
  t.true(state.resumeLane >= 0, 'the snapshot is inside a window');
  // A second board brought to the same point by hand: cores' counts, time and the pending tick.
  const copy = board();
  copy.cpus.forEach((c, i) => (c.retired = cut.cpus[i].retired));
  const clockState = cut.clock.snapshot();
  copy.clock.restoreTime(clockState);
  copy.log.push(...cut.log);
  const tick = () => {
    copy.log.push(`${copy.clock.now}: a=${copy.cpus[0].retired} b=${copy.cpus[1].retired} c=${copy.cpus[2].retired}`);
    copy.clock.schedule(copy.clock.now + 1337, tick, 'tick');
  };
  for (const e of clockState.events) copy.clock.schedule(e.when, tick, e.name);
  t.deepEqual(copy.clock.reorder(clockState), []);
  copy.scheduler.restore(state);
  runFor(copy, 50_000, 0);
  t.deepEqual(copy.log, whole.log);
});

test('the clock reports events a restore failed to re-create, and events it should not have', (t) => {
  const clock = new VirtualClock();
  clock.schedule(100, () => {}, 'uart rx timeout');
  clock.schedule(200, () => {}, 'cpu0.cntv');
  const saved = clock.snapshot();
  const other = new VirtualClock();
  other.restoreTime(saved);
  other.schedule(200, () => {}, 'cpu0.cntv');
  other.schedule(300, () => {}, 'rtc match');
  t.deepEqual(other.reorder(saved), ['event "uart rx timeout" at 100 ns was not re-created', 'event "rtc match" at 300 ns is not in the snapshot']);
});

test('events due at the same time fire in their saved order whatever order they were re-created in', (t) => {
  const clock = new VirtualClock();
  clock.schedule(50, () => {}, 'first');
  clock.schedule(50, () => {}, 'second');
  const saved = clock.snapshot();
  const other = new VirtualClock();
  other.restoreTime(saved);
  const fired: string[] = [];
  other.schedule(50, () => fired.push('second'), 'second');
  other.schedule(50, () => fired.push('first'), 'first');
  t.deepEqual(other.reorder(saved), []);
  other.advanceTo(50);
  t.deepEqual(fired, ['first', 'second']);
});
