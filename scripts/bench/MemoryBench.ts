import { spawnSync } from 'node:child_process';
import type { BenchResult } from './BenchResult.ts';

/**
 * Resident memory of a 512 MiB board: scripts/bench/rss-probe.ts in a child
 * process (so that the bench's own heap is not counted), with Debian's
 * U-Boot as the host firmware when it is installed.
 */
export function benchMemory(uboot: string | undefined): BenchResult {
  const args = ['--import', 'tsx', 'scripts/bench/rss-probe.ts', ...(uboot ? ['--uboot', uboot] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 180_000 });
  const line = r.stdout?.split('\n').find((l) => l.startsWith('RSS-PROBE '));
  if (r.status !== 0 || line === undefined) {
    return { name: 'memory-512mib', figures: { failed: `rss-probe exited with ${r.status}: ${(r.stderr ?? '').trim().slice(-300)}` } };
  }
  const p = JSON.parse(line.slice('RSS-PROBE '.length)) as {
    hostRamMiB: number;
    declaredMiB: number;
    rssMiB: Record<string, number>;
    guests: Array<{ name: string; state: string; memoryTouchedMiB: number; checksum: string }>;
  };
  return {
    name: 'memory-512mib',
    figures: {
      board: 'boards/bench/phone-512.xml',
      hostFirmware: uboot ? 'u-boot (to its prompt)' : 'bench-idle (u-boot-qemu not installed)',
      declaredMiB: p.declaredMiB,
      rssMiB: p.rssMiB,
      guestTouchedMiB: Object.fromEntries(p.guests.map((g) => [g.name, g.memoryTouchedMiB])),
      guests: p.guests.map((g) => `${g.name} ${g.state} ${g.checksum}`).join(', '),
    },
  };
}
