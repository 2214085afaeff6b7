import { performance } from 'node:perf_hooks';
import type { VmStatus } from '../../src/hv/VmManager.ts';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { median } from '../bench-cores.ts';
import { mips, rounded, type BenchResult } from './BenchResult.ts';

/** A bench firmware run bare-metal on the host and as the only guest of a VM, to compare the two. */
export interface GuestWorkload {
  /** Row names: `guest-<key>-nested`, `guest-<key>-shadow`. */
  readonly key: string;
  /** The firmware, run bare-metal on boards/virt-arm.xml for the host figure. */
  readonly elf: string;
  /** The board that runs it as the only guest ({paging} is replaced by the mode). */
  readonly board: string;
  /** Matches the firmware's checksum line; group 1 is the checksum. */
  readonly checksum: RegExp;
  /** At most this many rounds… */
  readonly rounds: number;
  /** …and a mode gets no new run once its runs took this many seconds of process CPU time (at least one run each). */
  readonly budgetSeconds: number;
}

type Mode = 'host' | 'nested' | 'shadow';

/** Rounds left out of the per-round ratios. */
const WARMUP_ROUNDS = 2;

/** What one run measured: wall and process CPU seconds, and what the run left. */
interface Sample {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly instructions: number;
  readonly checksum: string;
  readonly status?: VmStatus;
  readonly paging?: Record<string, number>;
}

/** The firmware bare-metal: the host without virtualization. */
function runHost(w: GuestWorkload): Sample {
  const s = BoardSession.open('boards/virt-arm.xml', { firmware: w.elf });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  s.runToEnd({ maxTimeNs: 60e9 });
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { seconds, cpuSeconds: (c.user + c.system) / 1e6, instructions: s.instructions, checksum: w.checksum.exec(s.output)?.[1] ?? 'missing' };
}

/** The firmware as the guest of the bench board: wall time from the first instruction to the VM's power-off (the idle host's few hundred instructions included). */
function runGuest(w: GuestWorkload, paging: 'nested' | 'shadow'): Sample {
  const s = BoardSession.open(w.board.replace('{paging}', paging));
  const vms = s.built.vms;
  if (!vms) throw new Error(`${w.board}: the bench board has no <vm>`);
  let text = '';
  vms.vmms[0].attachConsole({ transmit: (b) => (text += String.fromCharCode(b)) });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  s.runToEnd({ maxTimeNs: 60e9 });
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const status = vms.manager.status()[0];
  const p = vms.vmms[0].vm.pagingCounters.snapshot();
  const finished = status.state === 'powered-off';
  return {
    seconds,
    cpuSeconds: (c.user + c.system) / 1e6,
    instructions: status.instructions,
    checksum: finished ? (w.checksum.exec(text)?.[1] ?? 'missing') : `not finished: ${status.state}${status.report ? ` (${status.report})` : ''}`,
    status,
    paging: { ...p, memoryReferencesPerWalk: rounded(p.memoryReferencesPerWalk, 2) },
  };
}

/**
 * A guest workload under nested and under shadow paging, relative to the
 * same firmware on the host without virtualization (ratio 1.0: the
 * virtualization costs nothing). The three run interleaved, round by round
 * (host, nested, shadow, host, …), each a fresh machine with the JIT (a
 * vCPU's core has no interpreter-only switch), so that warm-up (V8, the JIT's
 * code cache, which the three share since the code is the same) and the load
 * of a shared machine fall on all three alike. Reported: best and median
 * MIPS, MIPS over process CPU time (less sensitive to other processes), the
 * ratio of best to best by wall time and by CPU time, the medians of the
 * per-round ratios by wall and CPU time (each guest run against the host run
 * just before it; the first WARMUP_ROUNDS rounds left out), exits by reason and the paging
 * counters.
 */
export function benchGuests(w: GuestWorkload): BenchResult[] {
  const samples: Record<Mode, Sample[]> = { host: [], nested: [], shadow: [] };
  const spent: Record<Mode, number> = { host: 0, nested: 0, shadow: 0 };
  const pairs: Record<'nested' | 'shadow', number[]> = { nested: [], shadow: [] };
  const cpuPairs: Record<'nested' | 'shadow', number[]> = { nested: [], shadow: [] };
  const wants = (m: 'nested' | 'shadow') => samples[m].length === 0 || spent[m] < w.budgetSeconds;
  for (let round = 0; round < w.rounds && (wants('nested') || wants('shadow')); round++) {
    const host = runHost(w);
    samples.host.push(host);
    for (const m of ['nested', 'shadow'] as const) {
      if (!wants(m)) continue;
      const g = runGuest(w, m);
      samples[m].push(g);
      spent[m] += g.cpuSeconds;
      pairs[m].push(g.instructions / g.seconds / (host.instructions / host.seconds));
      cpuPairs[m].push(g.instructions / g.cpuSeconds / (host.instructions / host.cpuSeconds));
    }
  }
  const hostBest = Math.min(...samples.host.map((s) => s.seconds));
  const hostInstructions = samples.host[0].instructions;
  const hostMips = mips(hostInstructions, hostBest);
  // Per-round ratios after the warm-up rounds (V8 and the JIT's code cache are still cold in the
  // first), unless a mode's runs are so slow that it ran no more rounds than that.
  const settled = (ratios: number[]) => (ratios.length > WARMUP_ROUNDS ? ratios.slice(WARMUP_ROUNDS) : ratios);
  return (['nested', 'shadow'] as const).map((m) => {
    const runs = samples[m];
    const last = runs[runs.length - 1];
    const best = Math.min(...runs.map((s) => s.seconds));
    const bestCpu = Math.min(...runs.map((s) => s.cpuSeconds));
    const guestMips = mips(last.instructions, best);
    const guestCpuMips = mips(last.instructions, bestCpu);
    const hostCpuMips = mips(hostInstructions, Math.min(...samples.host.map((s) => s.cpuSeconds)));
    const exits = Object.fromEntries(Object.entries(last.status?.exits ?? {}).filter(([, n]) => n > 0));
    return {
      name: `guest-${w.key}-${m}`,
      figures: {
        instructions: last.instructions,
        bestOfRuns: runs.length,
        seconds: rounded(best, 3),
        mips: guestMips,
        medianMips: mips(last.instructions, median(runs.map((s) => s.seconds))),
        cpuTimeMips: guestCpuMips,
        hostMips,
        hostCpuTimeMips: hostCpuMips,
        ratioToHost: hostMips > 0 ? rounded(guestMips / hostMips, 2) : 0,
        cpuTimeRatioToHost: hostCpuMips > 0 ? rounded(guestCpuMips / hostCpuMips, 2) : 0,
        pairedRatioMedian: rounded(median(settled(pairs[m])), 2),
        pairedCpuTimeRatioMedian: rounded(median(settled(cpuPairs[m])), 2),
        checksum: last.checksum,
        hostChecksum: samples.host[0].checksum,
        exits,
        paging: last.paging ?? {},
      },
    };
  });
}
