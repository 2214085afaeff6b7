import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Lazy RAM is a correctness property, not a speed figure: a 512 MiB board
 * with two 64 MiB guests must not make the simulator resident for the RAM it
 * declares, only for what the firmware touches (issue 6: "a 512 MiB board
 * stays under about 600 MiB of resident memory"). The board is built and run
 * in a child process (scripts/bench/rss-probe.ts) so that the test runner's
 * own memory is not counted.
 */

interface ProbeReport {
  readonly hostRamMiB: number;
  readonly declaredMiB: number;
  readonly rssMiB: { readonly built: number; readonly vmsDone: number };
  readonly guests: ReadonlyArray<{ name: string; state: string; checksum: string; memoryTouchedMiB: number }>;
}

/** The checksum a firmware's host build computes, as its header records it (scripts/build-firmware.sh checks the two agree). */
function expectedChecksum(header: string, macro: string): string {
  const m = new RegExp(`#define ${macro} (0x[0-9a-f]+)u`).exec(readFileSync(header, 'utf8'));
  if (!m) throw new Error(`${header} defines no ${macro}`);
  return m[1];
}

test('a 512 MiB board with two 64 MiB guests stays under 600 MiB resident after building and running its guests', (t) => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench/rss-probe.ts'], { encoding: 'utf8', timeout: 240_000 });
  t.is(child.status, 0, child.stderr);
  const line = child.stdout.split('\n').find((l) => l.startsWith('RSS-PROBE '));
  if (line === undefined) return t.fail(`the probe printed no report:\n${child.stdout}\n${child.stderr}`);
  const report = JSON.parse(line.slice('RSS-PROBE '.length)) as ProbeReport;

  // The board really declares 512 MiB for the host and 640 MiB in all.
  t.is(report.hostRamMiB, 512);
  t.is(report.declaredMiB, 640);
  // The guests really ran: both powered off after printing the checksum their host builds compute.
  const byName = new Map(report.guests.map((g) => [g.name, g]));
  t.is(byName.get('cpu-shadow')?.state, 'powered-off');
  t.is(byName.get('cpu-shadow')?.checksum, expectedChecksum('boards/firmware/arm/bench/bench_core.h', 'BENCH_EXPECTED_CHECKSUM'));
  t.is(byName.get('mmu-nested')?.state, 'powered-off');
  t.is(byName.get('mmu-nested')?.checksum, expectedChecksum('boards/firmware/arm/bench-mmu/bench_mmu_core.h', 'BENCH_MMU_EXPECTED_CHECKSUM'));
  // bench-mmu writes 576 frames of 4 KiB (2.25 MiB) in its guest: those pages, and not its 64 MiB, get host memory.
  const touched = byName.get('mmu-nested')?.memoryTouchedMiB ?? 0;
  t.true(touched >= 2.25 && touched < 8, `mmu-nested touched ${touched} MiB`);

  t.true(report.rssMiB.built < 600, `RSS after building the machine: ${report.rssMiB.built} MiB`);
  t.true(report.rssMiB.vmsDone < 600, `RSS after the guests ran: ${report.rssMiB.vmsDone} MiB`);
});
