import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstantTrack, TimelineTrack } from '../../src/trace/Timeline.ts';
import { TraceEventFile } from '../../src/trace/TraceEventFile.ts';
import { traceEventProblems } from './TraceEventChecker.ts';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'tskvm-timeline-')), 'trace.json');
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: Array<Record<string, unknown>>; displayTimeUnit: string };

test('an empty trace file is still a JSON object with a traceEvents array', (t) => {
  const path = tempFile();
  const f = new TraceEventFile(path);
  f.close({ board: 'b' });
  const doc = read(path);
  t.deepEqual(doc.traceEvents, []);
  t.deepEqual(traceEventProblems(doc), []);
});

test('a track merges back-to-back slices of one context and writes each slice before the instants inside it', (t) => {
  const path = tempFile();
  const f = new TraceEventFile(path);
  const track = new TimelineTrack(f, 1, 1);
  // cpu0 runs 0-1000 ns then 1000-2000 ns (one slice), an exit happens at 1500 ns, then vcpu0 runs 2000-2500 ns.
  track.slice('cpu0', 0, 1000);
  track.instant('irq taken', 1500);
  track.slice('cpu0', 1000, 2000);
  track.instant('exit mmio', 2100);
  track.slice('vcpu0', 2000, 2500);
  track.finish();
  f.close();
  const doc = read(path);
  t.deepEqual(traceEventProblems(doc), []);
  t.deepEqual(
    doc.traceEvents.map((e) => [e.ph, e.name, e.ts, e.dur]),
    [
      ['X', 'cpu0', 0, 2],
      ['i', 'irq taken', 1.5, undefined],
      ['X', 'vcpu0', 2, 0.5],
      ['i', 'exit mmio', 2.1, undefined],
    ],
  );
});

test('an instant stamped outside its slice (the clock showed another lane\'s time) is kept inside it', (t) => {
  const path = tempFile();
  const f = new TraceEventFile(path);
  const track = new TimelineTrack(f, 1, 2);
  track.instant('ack INTID 30', 5000);
  track.slice('cpu1', 1000, 2000);
  track.finish();
  f.close();
  const doc = read(path);
  t.is(doc.traceEvents[1]!.ts, 2);
  t.deepEqual(traceEventProblems(doc), []);
});

test('instants on an instant-only track never go back in time', (t) => {
  const path = tempFile();
  const f = new TraceEventFile(path);
  const track = new InstantTrack(f, 1, 999);
  track.instant('line 30 raised', 3000);
  track.instant('line 33 raised', 2000);
  f.close();
  t.deepEqual(read(path).traceEvents.map((e) => e.ts), [3, 3]);
});

test('the checker finds what breaks the format: a bad phase, time going back, overlapping slices, unmatched B/E', (t) => {
  const bad = {
    traceEvents: [
      { name: 'a', ph: 'Q', pid: 1, tid: 1, ts: 0 },
      { name: 'b', ph: 'X', pid: 1, tid: 1, ts: 5, dur: 10 },
      { name: 'c', ph: 'X', pid: 1, tid: 1, ts: 8, dur: 1 },
      { name: 'd', ph: 'i', pid: 1, tid: 1, ts: 2 },
      { name: 'e', ph: 'B', pid: 1, tid: 2, ts: 0 },
      { name: 'f', ph: 'E', pid: 1, tid: 3, ts: 0 },
      { name: 'thread_name', ph: 'M', pid: 1, tid: 1, args: {} },
      { name: 'g', ph: 'X', pid: '1', tid: 1, ts: 1, dur: 1 },
    ],
  };
  const problems = traceEventProblems(bad);
  t.true(problems.some((p) => p.includes('ph Q')));
  t.true(problems.some((p) => p.includes('before the previous one')));
  t.true(problems.some((p) => p.includes('goes back')));
  t.true(problems.some((p) => p.includes('never ended')));
  t.true(problems.some((p) => p.includes('E without a B')));
  t.true(problems.some((p) => p.includes('args.name')));
  t.true(problems.some((p) => p.includes('integers')));
  t.deepEqual(traceEventProblems({ events: [] }), ['the document is not an object with a "traceEvents" array']);
});
