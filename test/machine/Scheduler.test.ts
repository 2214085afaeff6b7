import test from 'ava';
import { StopReason, type Cpu } from '../../src/machine/Cpu.ts';
import { Scheduler } from '../../src/machine/Scheduler.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import { FakeCpu } from './FakeCpu.ts';

function setup(quantumNs = 1000) {
  const clock = new VirtualClock();
  const scheduler = new Scheduler(clock, { quantumNs });
  const order: string[] = [];
  const cpu = (name: string, index: number): FakeCpu => {
    const c = new FakeCpu(name, index, clock, scheduler.stopFlag);
    const run = c.run.bind(c);
    c.run = (budget: number) => {
      order.push(`${name}:${budget}`);
      return run(budget);
    };
    return c;
  };
  return { clock, scheduler, order, cpu };
}

test('two cores take turns over the same windows, in a fixed order', (t) => {
  const runOnce = () => {
    const { clock, scheduler, order, cpu } = setup();
    const a = cpu('cpu0', 0);
    const b = cpu('cpu1', 1);
    scheduler.add(a);
    scheduler.add(b);
    const exit = scheduler.run({ untilNs: 3000 });
    return { exit, order, a, b, now: clock.now };
  };
  const first = runOnce();
  t.deepEqual(first.exit, { kind: 'limit', message: 'time limit reached at 3.000 µs of virtual time' });
  t.deepEqual(first.order, ['cpu0:1000', 'cpu1:1000', 'cpu0:1000', 'cpu1:1000', 'cpu0:1000', 'cpu1:1000']);
  t.is(first.a.retired, 3000);
  t.is(first.b.retired, 3000);
  t.is(first.now, 3000);
  // The second core of a window starts where the first left the clock: time never goes backwards.
  t.deepEqual(first.a.runs.map((r) => r[0]), [0, 1000, 2000]);
  t.deepEqual(first.b.runs.map((r) => r[0]), [1000, 2000, 3000]);
  const second = runOnce();
  t.deepEqual(second.order, first.order);
});

test('each core retires instructions at its own frequency', (t) => {
  const { clock, scheduler, cpu } = setup();
  const fast = cpu('fast', 0);
  const slow = cpu('slow', 1);
  scheduler.add(fast);
  scheduler.add(slow, { frequencyHz: 250e6 });
  t.is(scheduler.frequencyOf(slow), 250e6);
  scheduler.run({ untilNs: 4000 });
  t.is(fast.retired, 4000);
  t.is(slow.retired, 1000, '250 MHz = 4 ns per instruction');
  t.is(clock.now, 4000);
});

test('a slice ends at the next clock event, which sees every core at its time', (t) => {
  const { clock, scheduler, order, cpu } = setup();
  const a = cpu('cpu0', 0);
  const b = cpu('cpu1', 1);
  scheduler.add(a);
  scheduler.add(b);
  const seen: number[] = [];
  clock.schedule(250, () => seen.push(clock.now, a.retired, b.retired));
  scheduler.run({ untilNs: 1000 });
  t.deepEqual(seen, [250, 250, 250]);
  t.deepEqual(order, ['cpu0:250', 'cpu1:250', 'cpu0:750', 'cpu1:750']);
});

test('an event scheduled inside a slice cuts it short when the core polls the stop cell', (t) => {
  const { clock, scheduler, cpu } = setup();
  const a = cpu('cpu0', 0);
  scheduler.add(a);
  let firedAt: number[] = [];
  a.step = (c) => {
    // Instruction 100 programs a "timer" 10 ns ahead, as a device write would.
    if (c.retired === 100) clock.scheduleIn(10, () => (firedAt = [clock.now, a.retired]));
  };
  scheduler.run({ untilNs: 2000 });
  t.deepEqual(firedAt, [110, 110]);
  t.deepEqual(a.runs.slice(0, 3), [[0, 1000], [100, 10], [110, 1000]]);
  t.is(scheduler.stopFlag[0], 0, 'the kick is cleared');
});

test('when every core is idle the clock jumps straight to the next event', (t) => {
  const { clock, scheduler, cpu } = setup();
  const a = cpu('cpu0', 0);
  scheduler.add(a);
  a.step = (c) => (c.retired === 100 ? StopReason.Idle : undefined);
  let wokeAt = -1;
  clock.schedule(1_000_000, () => {
    wokeAt = clock.now;
    a.setIrqLevel(0, true);
  });
  const exit = scheduler.run({ untilNs: 1_000_500 });
  t.is(exit.kind, 'limit');
  t.is(wokeAt, 1_000_000);
  // One run before WFI, one after the wake-up: nothing in between.
  t.deepEqual(a.runs, [[0, 1000], [1_000_000, 500]]);
  t.is(a.retired, 600);
});

test('all cores idle and nothing scheduled is reported, naming each core', (t) => {
  const { scheduler, cpu } = setup();
  const a = cpu('cpu0', 0);
  const b = cpu('cpu1', 1);
  b.poweredOff = true;
  scheduler.add(a);
  scheduler.add(b);
  a.step = (c) => (c.retired === 10 ? StopReason.Idle : undefined);
  const exit = scheduler.run({ untilNs: 1e9 });
  t.deepEqual(exit, { kind: 'deadlock', message: 'all cores idle with no pending event (cpu0 idle at pc 0x28, cpu1 powered off)' });
  t.deepEqual(b.runs, [], 'a powered-off core never runs');
});

test('the instruction limit stops mid-window, and resuming loses no core time', (t) => {
  const { scheduler, order, cpu } = setup();
  const a = cpu('cpu0', 0);
  const b = cpu('cpu1', 1);
  scheduler.add(a);
  scheduler.add(b);
  const exit = scheduler.run({ maxInstructions: 2500 });
  t.deepEqual(exit, { kind: 'limit', message: 'instruction limit reached after 2500 instructions' });
  t.is(scheduler.instructionsRun, 2500);
  t.deepEqual(order, ['cpu0:1000', 'cpu1:1000', 'cpu0:500']);
  scheduler.run({ untilNs: 3000 });
  // Same totals as an uninterrupted run to 3 µs.
  t.is(a.retired, 3000);
  t.is(b.retired, 3000);
});

test('contexts sharing a lane take turns in proportion to their weights', (t) => {
  const { scheduler, cpu } = setup();
  const light = cpu('vcpu-light', 0);
  const heavy = cpu('vcpu-heavy', 1);
  const own = cpu('host', 2);
  scheduler.add(light, { lane: 0, weight: 1 });
  scheduler.add(heavy, { lane: 0, weight: 3 });
  scheduler.add(own, { lane: 1 });
  scheduler.run({ untilNs: 40_000 });
  t.is(light.retired, 10_000);
  t.is(heavy.retired, 30_000);
  t.is(own.retired, 40_000, 'a core on its own lane runs all the time');
  // Reweighting takes effect from the next turn.
  scheduler.setWeight(light, 3);
  scheduler.run({ untilNs: 100_000 });
  t.true(Math.abs(light.retired - 10_000 - (heavy.retired - 30_000)) <= 3000);
});

test('an idle context gives its lane to the others', (t) => {
  const { clock, scheduler, cpu } = setup();
  const a = cpu('a', 0);
  const b = cpu('b', 1);
  scheduler.add(a, { lane: 0 });
  scheduler.add(b, { lane: 0 });
  a.step = (c) => (c.retired === 100 ? StopReason.Idle : undefined);
  scheduler.run({ untilNs: 10_000 });
  t.is(a.retired, 100);
  t.is(b.retired, 9900);
  t.is(clock.now, 10_000);
});

test('a breakpoint returns at once and the run can go on', (t) => {
  const { scheduler, cpu } = setup();
  const a = cpu('cpu0', 0);
  scheduler.add(a);
  a.step = (c) => (c.retired === 42 ? StopReason.Breakpoint : undefined);
  const exit = scheduler.run({ untilNs: 1000 });
  t.deepEqual(exit, { kind: 'breakpoint', cpu: a });
  t.is(a.retired, 42);
  scheduler.run({ untilNs: 1000 });
  t.is(a.retired, 1000);
});

test('a core that makes no progress is an error, not a hang', (t) => {
  const clock = new VirtualClock();
  const scheduler = new Scheduler(clock);
  const stuck = new FakeCpu('stuck', 0, clock);
  stuck.run = () => StopReason.Budget;
  scheduler.add(stuck);
  t.throws(() => scheduler.run({ untilNs: 1000 }), { message: /stuck retired no instruction/ });
});

test('removing a context and bad options', (t) => {
  const { scheduler, cpu } = setup();
  const a = cpu('a', 0);
  const b = cpu('b', 1);
  scheduler.add(a, { lane: 0 });
  scheduler.add(b, { lane: 0 });
  t.throws(() => scheduler.add(a), { message: /already scheduled/ });
  t.throws(() => scheduler.add(cpu('c', 2), { frequencyHz: 0 }), { message: /frequency of c/ });
  t.throws(() => scheduler.setWeight(cpu('d', 3) as Cpu, 1), { message: /not scheduled/ });
  scheduler.remove(a);
  t.deepEqual(scheduler.cpus.map((c) => c.name), ['b']);
  scheduler.run({ untilNs: 5000 });
  t.is(a.retired, 0);
  t.is(b.retired, 5000);
});

test('a core woken by another core during a window starts after the wake-up, not before', (t) => {
  for (const wakerFirst of [true, false]) {
    const { clock, scheduler, cpu } = setup();
    const waker = cpu('waker', 0);
    const sleeper = cpu('sleeper', 1);
    if (wakerFirst) {
      scheduler.add(waker);
      scheduler.add(sleeper);
    } else {
      scheduler.add(sleeper);
      scheduler.add(waker);
    }
    sleeper.idle = true;
    // At instruction 500 the waker sends an inter-processor interrupt.
    waker.step = (c) => {
      if (c.retired === 500) sleeper.setIrqLevel(0, true);
    };
    scheduler.run({ untilNs: 3000 });
    // It sits out the rest of the window it was woken in ([0, 1000)), then
    // covers [1000, 3000): 2000 instructions. (The clock it sees at the start
    // of a slice is never below what the other core reached.)
    t.true(sleeper.runs[0][0] >= 1000);
    t.is(sleeper.runs[0][1], 1000);
    t.is(sleeper.retired, 2000);
    t.is(waker.retired, 3000);
    t.is(clock.now, 3000);
  }
});
