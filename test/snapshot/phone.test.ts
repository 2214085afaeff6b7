import test from 'ava';
import { captureMachine, loadMachineSnapshot, saveMachineSnapshot } from '../../src/snapshot/MachineSnapshot.ts';
import { after, BoardRun } from './SnapshotRuns.ts';

// boards/phone.xml: the host runs the timer firmware while two guests (one with nested paging, one
// with shadow paging) print through MMIO exits to their own PL011s. A snapshot holds the host core,
// both VMs' memory, vCPUs, irqchips, devices and the VM manager's threads.

const BOARD = 'boards/phone.xml';
let reference: { consoles: string[]; instructions: number; now: number; vms: unknown } | undefined;
function uninterrupted() {
  if (reference === undefined) {
    const run = new BoardRun(BOARD);
    const end = run.runTo();
    if (end.kind !== 'poweroff') throw new Error(`phone.xml did not power off: ${JSON.stringify(end)}`);
    reference = { consoles: [...run.consoles], instructions: run.instructions, now: run.now, vms: run.built.vms!.manager.status().map((s) => [s.name, s.state, s.instructions]) };
  }
  return reference;
}

test('the reference run: every console printed, both guests powered off', (t) => {
  const a = uninterrupted();
  t.is(a.consoles[1], 'Hello from tskvm on virt-arm\r\n');
  t.is(a.consoles[2], 'Hello from tskvm on virt-arm\r\n');
  t.regex(a.consoles[0], /SUMMARY timer: 25 passed, 0 failed\r\n$/);
  t.deepEqual((a.vms as unknown[][]).map((v) => v[1]), ['powered-off', 'powered-off']);
});

test('a snapshot mid-run, guests mid-line included, restores to the same remaining output on every console', (t) => {
  const a = uninterrupted();
  // 60: the guests are starting; 300 and 700: one guest is in the middle of its line (an MMIO
  // exit per character); 1_500_000: the guests are done, the host runs on.
  for (const n of [60, 300, 700, 1_500_000]) {
    const saving = new BoardRun(BOARD);
    t.is(saving.runTo(n).kind, 'reached');
    t.is(saving.instructions, n);
    const marks = saving.marks();
    const bytes = saveMachineSnapshot(saving.built);
    const restored = new BoardRun(BOARD);
    loadMachineSnapshot(restored.built, bytes, `snapshot at ${n}`);
    t.is(restored.runTo().kind, 'poweroff');
    t.deepEqual(restored.consoles, after(a.consoles, marks), `after ${n}`);
    t.deepEqual([restored.instructions, restored.now], [a.instructions, a.now], `end after ${n}`);
    const vms = restored.built.vms!.manager.status().map((s) => [s.name, s.state, s.instructions]);
    t.deepEqual(vms, a.vms, `guests after ${n}`);
    // The run that took the snapshot and the restored one end in the same state, counters included
    // (the uninterrupted run may count one vCPU exit less: stopping at N ends a vCPU's slice there).
    saving.runTo();
    t.is(restored.stateDigest(), saving.stateDigest(), `final state after ${n}`);
  }
});

test('the N above are really mid-guest: a guest has printed part of its line', (t) => {
  const run = new BoardRun(BOARD);
  run.runTo(300);
  const partial = run.consoles.slice(1).find((c) => c.length > 0 && !c.endsWith('\n'));
  t.truthy(partial, JSON.stringify(run.consoles));
});

test('snapshots at every count through a stretch of guest MMIO traffic, pending MMIO reads included, restore exactly', (t) => {
  let pendingReads = 0;
  // Each snapshot is restored into a fresh board; both then run 1500 more instructions.
  for (let n = 240; n < 300; n += 4) {
    const saving = new BoardRun(BOARD);
    saving.runTo(n);
    const bytes = saveMachineSnapshot(saving.built);
    const state = captureMachine(saving.built);
    for (const vmm of state.vms!.vmms) {
      if (vmm.vm.destroyed) continue;
      for (const v of vmm.vm.vcpus) if ((v.guest as { read: { pending: boolean } }).read.pending || v.replay.length > 0) pendingReads++;
    }
    const restored = new BoardRun(BOARD);
    loadMachineSnapshot(restored.built, bytes, `snapshot at ${n}`);
    saving.runTo(n + 1500);
    restored.runTo(n + 1500);
    t.is(restored.stateDigest(), saving.stateDigest(), `at ${n}`);
  }
  t.true(pendingReads > 0, 'some snapshot caught a vCPU between an MMIO exit and the end of its instruction');
});
