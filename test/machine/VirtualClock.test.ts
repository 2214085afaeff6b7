import test from 'ava';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';

test('events fire in time order, only when due, and time moves to each event', (t) => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  const log = (name: string) => () => fired.push(`${name}@${clock.now}`);
  clock.schedule(300, log('c'));
  clock.schedule(100, log('a'));
  clock.schedule(200, log('b'));
  clock.schedule(1000, log('late'));
  t.is(clock.nextDeadline(), 100);
  clock.advanceTo(250);
  t.deepEqual(fired, ['a@100', 'b@200']);
  t.is(clock.now, 250);
  t.is(clock.nextDeadline(), 300);
  clock.advanceTo(999);
  t.deepEqual(fired, ['a@100', 'b@200', 'c@300']);
  t.is(clock.pendingCount, 1);
});

test('events at the same time fire in scheduling order', (t) => {
  const clock = new VirtualClock();
  const fired: number[] = [];
  // Enough events that heap reshuffles would expose an unstable order.
  for (let i = 0; i < 50; i++) clock.schedule(i % 2 === 0 ? 500 : 400, () => fired.push(i));
  clock.advanceTo(500);
  const odd = Array.from({ length: 25 }, (_, k) => 2 * k + 1);
  const even = Array.from({ length: 25 }, (_, k) => 2 * k);
  t.deepEqual(fired, [...odd, ...even]);
});

test('cancel removes an event; cancelling twice or after firing is harmless', (t) => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  const a = clock.schedule(10, () => fired.push('a'));
  const b = clock.schedule(20, () => fired.push('b'));
  const c = clock.schedule(30, () => fired.push('c'));
  clock.cancel(b);
  clock.cancel(b);
  t.false(clock.isPending(b));
  t.true(clock.isPending(c));
  clock.advanceTo(100);
  t.deepEqual(fired, ['a', 'c']);
  clock.cancel(a);
  clock.cancel(c);
  t.is(clock.nextDeadline(), Infinity);
});

test('cancelling from the middle of a large heap keeps the rest in order', (t) => {
  const clock = new VirtualClock();
  const fired: number[] = [];
  const handles = [];
  // A fixed pseudo-random order of times.
  let x = 12345;
  for (let i = 0; i < 200; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const when = x % 1000;
    handles.push({ when, h: clock.schedule(when, () => fired.push(when)) });
  }
  for (let i = 0; i < 200; i += 3) clock.cancel(handles[i].h);
  clock.advanceTo(1000);
  const expected = handles.filter((_, i) => i % 3 !== 0).map((e) => e.when).sort((p, q) => p - q);
  t.deepEqual(fired, expected);
});

test('events may schedule and cancel events, including at the current time', (t) => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.schedule(100, () => {
    fired.push(`a@${clock.now}`);
    clock.scheduleIn(0, () => fired.push(`now@${clock.now}`));
    clock.scheduleIn(50, () => fired.push(`b@${clock.now}`));
    clock.scheduleIn(500, () => fired.push(`beyond@${clock.now}`));
  });
  clock.schedule(100, () => fired.push(`a2@${clock.now}`));
  const victim = clock.schedule(120, () => fired.push('victim'));
  clock.schedule(110, () => clock.cancel(victim));
  clock.advanceTo(200);
  // The same-time event scheduled by `a` comes after `a2`, which was scheduled earlier.
  t.deepEqual(fired, ['a@100', 'a2@100', 'now@100', 'b@150']);
  t.is(clock.nextDeadline(), 600);
});

test('time never moves backwards; past deadlines fire at the current time', (t) => {
  const clock = new VirtualClock();
  clock.advanceTo(1000);
  clock.advanceTo(500);
  t.is(clock.now, 1000);
  let at = -1;
  const h = clock.schedule(900, () => (at = clock.now));
  t.is(h.when, 1000);
  clock.advanceTo(1000);
  t.is(at, 1000);
  t.throws(() => clock.schedule(NaN, () => {}), { instanceOf: RangeError });
});

test('while a core runs, now follows its retired instructions and early events call back', (t) => {
  const clock = new VirtualClock();
  clock.advanceTo(1000);
  const core = { retired: 50 };
  let early = 0;
  clock.beginRun(core, 1000, 2, 1400, () => early++);
  t.is(clock.now, 1000);
  core.retired = 150;
  t.is(clock.now, 1200, '100 instructions at 2 ns each');
  clock.scheduleIn(500, () => {});
  t.is(early, 0, 'an event after the slice end does not cut the slice');
  clock.scheduleIn(100, () => {});
  t.is(early, 1, 'an event before the slice end does');
  clock.endRun();
  t.is(clock.now, 1200);
  clock.schedule(1300, () => {});
  t.is(early, 1, 'outside a run nothing is called');
  t.is(clock.nextDeadline(), 1300);
});

test('clear drops every pending event', (t) => {
  const clock = new VirtualClock();
  let fired = false;
  const h = clock.schedule(10, () => (fired = true));
  clock.clear();
  t.false(clock.isPending(h));
  clock.advanceTo(100);
  t.false(fired);
  clock.cancel(h);
});
