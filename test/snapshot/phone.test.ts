import test from 'ava';
import { loadMachineSnapshot, saveMachineSnapshot } from '../../src/snapshot/MachineSnapshot.ts';
import { BoardRun } from './SnapshotRuns.ts';

// boards/phone.xml: the phone host kernel (MMU on, timer interrupts, five tasks) runs while two
// guests run the phone guest OS (two address spaces switched on the virtual timer tick), one on
// nested paging (stage 2 tables) and one on shadow paging (shadow tables, write-protected guest
// page tables), printing through MMIO exits to their own PL011s. A snapshot holds the host core,
// both VMs' memory, vCPUs, irqchips, devices, stage 2 and shadow tables, and the VM manager.

const BOARD = 'boards/phone.xml';
/**
 * Snapshot points: guest-nested in the middle of a console line; exactly at 6 ms of virtual time,
 * when a generic-timer expiry is due but not fired yet; all three busy with their tasks.
 */
const POINTS = [153_500, 6_000_000];
const SPAN = 2_000_000;

interface Reference {
  consoles: string[];
  /** Console lengths at each checkpoint (instruction count). */
  marks: Map<number, number[]>;
  instructions: number;
  now: number;
  vms: unknown;
}
let reference: Reference | undefined;
function uninterrupted(): Reference {
  if (reference === undefined) {
    const run = new BoardRun(BOARD);
    const marks = new Map<number, number[]>();
    for (const n of POINTS.flatMap((p) => [p, p + SPAN]).sort((a, b) => a - b)) {
      run.runTo(n);
      marks.set(n, run.marks());
    }
    const end = run.runTo();
    if (end.kind !== 'poweroff') throw new Error(`phone.xml did not power off: ${JSON.stringify(end)}`);
    const vms = run.built.vms!.manager.status().map((s) => [s.name, s.state, s.instructions]);
    reference = { consoles: [...run.consoles], marks, instructions: run.instructions, now: run.now, vms };
  }
  return reference;
}

test('the reference run: host and both guests finish their tasks and power off', (t) => {
  const a = uninterrupted();
  t.regex(a.consoles[0], /^Booting tskvm phone host kernel\r\n[^]*All tasks finished; power off\r\n$/);
  t.regex(a.consoles[1], /^Booting tskvm phone guest OS\r\n/);
  // The same guest OS under both paging modes prints the same.
  t.is(a.consoles[2], a.consoles[1]);
  t.deepEqual((a.vms as unknown[][]).map((v) => v[1]), ['powered-off', 'powered-off']);
});

test('restored at N, the machine prints what the uninterrupted run printed next, and matches the saving run state for state', (t) => {
  const a = uninterrupted();
  for (const n of POINTS) {
    const saving = new BoardRun(BOARD);
    t.is(saving.runTo(n).kind, 'reached');
    t.is(saving.instructions, n);
    t.deepEqual(saving.marks(), a.marks.get(n));
    const bytes = saveMachineSnapshot(saving.built);
    const restored = new BoardRun(BOARD);
    loadMachineSnapshot(restored.built, bytes, `snapshot at ${n}`);
    restored.runTo(n + SPAN);
    saving.runTo(n + SPAN);
    const from = a.marks.get(n)!;
    const to = a.marks.get(n + SPAN)!;
    t.deepEqual(restored.consoles, a.consoles.map((c, i) => c.slice(from[i], to[i])), `output from ${n}`);
    t.true(restored.consoles[1].length > 0 && restored.consoles[0].length > 0, 'host and guest printed in the span');
    // Registers, memory, devices, stage 2 and shadow tables, counters: the same.
    t.is(restored.stateDigest(), saving.stateDigest(), `state at ${n + SPAN}`);
  }
});

test('restored late in the run, it ends as the uninterrupted run: same count, time and guest states', (t) => {
  const a = uninterrupted();
  const n = 12_000_000;
  const saving = new BoardRun(BOARD);
  saving.runTo(n);
  const marks = saving.marks();
  const restored = new BoardRun(BOARD);
  loadMachineSnapshot(restored.built, saveMachineSnapshot(saving.built), 'late snapshot');
  t.is(restored.runTo().kind, 'poweroff');
  t.deepEqual(restored.consoles, a.consoles.map((c, i) => c.slice(marks[i])));
  t.deepEqual([restored.instructions, restored.now], [a.instructions, a.now]);
  t.deepEqual(restored.built.vms!.manager.status().map((s) => [s.name, s.state, s.instructions]), a.vms);
});

test('the snapshot points are what they claim: a guest mid-line, then a timer expiry due at that very instant', (t) => {
  const run = new BoardRun(BOARD);
  run.runTo(POINTS[0]!);
  t.false(run.consoles[1]!.endsWith('\n'), JSON.stringify(run.consoles[1]));
  t.true(run.consoles[1]!.length > 0);
  run.runTo(POINTS[1]!);
  t.true(run.built.machine.clock.pendingEvents().some((e) => e.when === run.now && e.name.startsWith('cpu0.cnt')), JSON.stringify(run.built.machine.clock.pendingEvents()));
});

test('snapshots at every few counts through a stretch of guest console output (MMIO exits) restore exactly', (t) => {
  for (let n = 153_400; n < 153_600; n += 20) {
    const saving = new BoardRun(BOARD);
    saving.runTo(n);
    const restored = new BoardRun(BOARD);
    loadMachineSnapshot(restored.built, saveMachineSnapshot(saving.built), `snapshot at ${n}`);
    saving.runTo(n + 3000);
    restored.runTo(n + 3000);
    t.is(restored.stateDigest(), saving.stateDigest(), `at ${n}`);
  }
});
