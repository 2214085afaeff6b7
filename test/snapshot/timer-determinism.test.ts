import test from 'ava';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { saveMachineSnapshot, loadMachineSnapshot } from '../../src/snapshot/MachineSnapshot.ts';
import { SnapshotError } from '../../src/snapshot/SnapshotFile.ts';
import { after, BoardRun } from './SnapshotRuns.ts';

// Determinism on boards/virt-arm.xml with boards/firmware/arm/timer.elf, which programs the generic
// timer, takes its interrupts through the GIC and sleeps in WFI: clock events, interrupt lines and
// idle cores are all in play when a snapshot is taken.

const BOARD = 'boards/virt-arm.xml';
const FIRMWARE = 'boards/firmware/arm/timer.elf';

interface Reference {
  consoles: string[];
  instructions: number;
  now: number;
  digest: string;
}
const references = new Map<boolean, Reference>();
function reference(jit: boolean): Reference {
  let r = references.get(jit);
  if (r === undefined) {
    const run = new BoardRun(BOARD, { firmware: FIRMWARE, jit });
    const end = run.runTo();
    if (end.kind !== 'poweroff') throw new Error(`the timer firmware did not power off: ${JSON.stringify(end)}`);
    r = { consoles: [...run.consoles], instructions: run.instructions, now: run.now, digest: run.stateDigest() };
    references.set(jit, r);
  }
  return r;
}

for (const jit of [false, true]) {
  const mode = jit ? 'JIT' : 'interpreter';

  test(`${mode}: two runs give the same output, instruction count, virtual time and final state`, (t) => {
    const a = reference(jit);
    const b = new BoardRun(BOARD, { firmware: FIRMWARE, jit });
    b.runTo();
    t.regex(a.consoles[0], /SUMMARY timer: 25 passed, 0 failed\r\n$/);
    t.deepEqual([b.consoles, b.instructions, b.now, b.stateDigest()], [a.consoles, a.instructions, a.now, a.digest]);
  });

  test(`${mode}: a run restored from a snapshot at N prints what the uninterrupted run prints after N, and ends at its count`, (t) => {
    const a = reference(jit);
    // N: at reset, inside a slice while the physical timer is armed (its event pending), and late in the run.
    for (const n of jit ? [0, 777_777, 4_000_001] : [1, 777_777, 2_500_001]) {
      const saving = new BoardRun(BOARD, { firmware: FIRMWARE, jit });
      t.is(saving.runTo(n).kind, 'reached');
      t.is(saving.instructions, n);
      const marks = saving.marks();
      const bytes = saveMachineSnapshot(saving.built);
      const restored = new BoardRun(BOARD, { firmware: FIRMWARE, jit });
      loadMachineSnapshot(restored.built, bytes, `snapshot at ${n}`);
      t.is(restored.instructions, n);
      t.is(restored.runTo().kind, 'poweroff');
      t.deepEqual(after(restored.consoles, [0]), after(a.consoles, marks), `output after ${n}`);
      t.deepEqual([restored.instructions, restored.now], [a.instructions, a.now], `end after ${n}`);
      // Taking the snapshot changed nothing either: the saving run, let go on, ends as the others.
      saving.runTo();
      t.deepEqual([saving.consoles, saving.instructions], [a.consoles, a.instructions]);
      t.is(restored.stateDigest(), saving.stateDigest(), `final state after ${n}`);
    }
  });
}

test('the timer is armed and its interrupt in flight at the snapshot points used above', (t) => {
  // Guards the test above: a snapshot with no pending clock event would not exercise re-arming.
  const run = new BoardRun(BOARD, { firmware: FIRMWARE, jit: false });
  run.runTo(777_777);
  t.true(run.built.machine.clock.pendingEvents().some((e) => e.name === 'cpu0.cntp' || e.name === 'cpu0.cntv'), JSON.stringify(run.built.machine.clock.pendingEvents()));
});

test('a snapshot taken with the JIT restores under the interpreter, and the other way round', (t) => {
  const a = reference(false);
  for (const [from, to] of [[true, false], [false, true]]) {
    const saving = new BoardRun(BOARD, { firmware: FIRMWARE, jit: from });
    saving.runTo(3_141_593);
    const marks = saving.marks();
    const restored = new BoardRun(BOARD, { firmware: FIRMWARE, jit: to });
    loadMachineSnapshot(restored.built, saveMachineSnapshot(saving.built), 'snapshot');
    restored.runTo();
    t.deepEqual(after(restored.consoles, [0]), after(a.consoles, marks));
    t.is(restored.instructions, a.instructions);
  }
});

test('restoring into a machine that ran on brings it back: the same run repeats from the snapshot', (t) => {
  const a = reference(true);
  const run = new BoardRun(BOARD, { firmware: FIRMWARE });
  run.runTo(1_234_567);
  const marks = run.marks();
  const bytes = saveMachineSnapshot(run.built);
  const digest = run.stateDigest();
  run.runTo(); // to power-off: memory, devices, timer and GIC all moved on
  loadMachineSnapshot(run.built, bytes, 'snapshot');
  t.is(run.stateDigest(), digest);
  const start = run.marks();
  run.runTo();
  t.deepEqual(after(run.consoles, start), after(a.consoles, marks));
  t.is(run.instructions, a.instructions);
});

test('the test API: snapshot() and restore(bytes) on a BoardSession, console text included', (t) => {
  const s = BoardSession.open(BOARD, { firmware: FIRMWARE });
  s.waitFor('PASS CNTVCT advances\r\n');
  const bytes = s.snapshot();
  const seen = s.output;
  const rest = s.waitFor('SUMMARY timer: 25 passed, 0 failed\r\n');
  const count = s.instructions;
  const fresh = BoardSession.open(BOARD, { firmware: FIRMWARE });
  fresh.restore(bytes);
  t.is(fresh.output, seen);
  t.is(fresh.waitFor('SUMMARY timer: 25 passed, 0 failed\r\n'), rest);
  t.is(fresh.instructions, count);
  t.is(fresh.runToEnd().kind, 'poweroff');
});

test('restoring into another firmware is refused, naming both boards', (t) => {
  const s = BoardSession.open(BOARD, { firmware: FIRMWARE });
  const bytes = s.snapshot();
  const hello = BoardSession.open(BOARD); // the board's own firmware, hello.elf
  const e = t.throws(() => hello.restore(bytes), { instanceOf: SnapshotError });
  t.regex(e!.message, /^the snapshot was taken on board "virt-arm" \(virt-arm\.xml, firmware timer\.elf\) \(board hash [0-9a-f]{16}…\), not on "virt-arm" \(virt-arm\.xml, firmware hello\.elf\)/);
});

test('a snapshot of a powered-off board restores powered off: the run ends at once, with the same exit', (t) => {
  const s = BoardSession.open(BOARD); // hello.elf prints and powers off (PSCI SYSTEM_OFF)
  const end = s.runToEnd();
  t.like(end, { kind: 'poweroff', exitCode: 0 });
  const fresh = BoardSession.open(BOARD);
  fresh.restore(s.snapshot());
  t.like(fresh.runToEnd(), { kind: 'poweroff', exitCode: 0 });
  t.is(fresh.instructions, s.instructions);
  t.is(fresh.output, 'Hello from tskvm on virt-arm\r\n');
});
