import { performance } from 'node:perf_hooks';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import type { VmStatus } from '../../src/hv/VmManager.ts';
import { mips, rounded, type BenchResult } from './BenchResult.ts';

/** A workload the bench runs as a guest: the firmware's checksum line tells a finished, correct run. */
export interface GuestWorkload {
  /** Row name part: `guest-<key>-<paging>`. */
  readonly key: string;
  /** The board that runs it as the only guest, per paging mode ({paging} is replaced). */
  readonly board: string;
  readonly checksum: RegExp;
  /** The host-without-virtualization row to compare with (its MIPS). */
  readonly hostMips?: number;
}

const RUNS = 3;

/**
 * One guest workload under one paging mode: best of RUNS runs of the board
 * (a fresh machine each), the wall time from the first guest instruction to
 * the VM's power-off. Guest instructions, exits by reason and the paging
 * counters come from the VM manager and the VM; the ratio is the guest's
 * MIPS over the same firmware's on the host without virtualization (1.0:
 * virtualization costs nothing).
 */
export function benchGuest(w: GuestWorkload, paging: 'nested' | 'shadow'): BenchResult {
  const name = `guest-${w.key}-${paging}`;
  let best = Infinity;
  let status: VmStatus | undefined;
  let counters: Record<string, number> = {};
  let checksum = 'missing';
  for (let i = 0; i < RUNS; i++) {
    const s = BoardSession.open(w.board.replace('{paging}', paging));
    const vms = s.built.vms;
    if (!vms) throw new Error(`${w.board}: the bench board has no <vm>`);
    let guestText = '';
    vms.vmms[0].attachConsole({ transmit: (b) => (guestText += String.fromCharCode(b)) });
    const t0 = performance.now();
    s.runToEnd({ maxTimeNs: 60e9 });
    const seconds = (performance.now() - t0) / 1000;
    best = Math.min(best, seconds);
    status = vms.manager.status()[0];
    const p = vms.vmms[0].vm.pagingCounters.snapshot();
    counters = { ...p, memoryReferencesPerWalk: rounded(p.memoryReferencesPerWalk, 2) };
    checksum = w.checksum.exec(guestText)?.[1] ?? 'missing';
    if (status.state !== 'powered-off') checksum = `not finished: ${status.state}${status.report ? ` (${status.report})` : ''}`;
  }
  const instructions = status?.instructions ?? 0;
  const guestMips = mips(instructions, best);
  const exits = Object.fromEntries(Object.entries(status?.exits ?? {}).filter(([, n]) => n > 0));
  return {
    name,
    figures: {
      instructions,
      bestOfRuns: RUNS,
      seconds: rounded(best, 3),
      mips: guestMips,
      ...(w.hostMips ? { ratioToHost: rounded(guestMips / w.hostMips, 2) } : {}),
      checksum,
      exits,
      paging: counters,
    },
  };
}
