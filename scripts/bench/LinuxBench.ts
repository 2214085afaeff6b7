import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { mips, rounded, type BenchResult } from './BenchResult.ts';

/** busybox ash's prompt; its line editor then asks where the cursor is (ESC [ 6 n). */
const PROMPT = /\n[~/][^\n]*# (\x1b\[6n)?$/;
const KERNEL = '.cache/linux-arm/zImage';

function skipped(name: string): BenchResult {
  return { name, figures: { skipped: `no ${KERNEL}: run scripts/fetch-linux-arm.sh first` } };
}

/** Debian's kernel on virt-arm-linux (two cores) from reset to the busybox shell prompt. */
export function benchLinuxToShell(): BenchResult {
  const name = 'linux-virt-arm-to-shell';
  if (!existsSync(KERNEL)) return skipped(name);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const s = BoardSession.open('boards/virt-arm-linux.xml');
  s.waitFor(PROMPT, { maxTimeNs: 60e9 });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    name,
    figures: {
      seconds: rounded(seconds, 2),
      cpuSeconds: rounded((cpu.user + cpu.system) / 1e6, 2),
      instructions: s.instructions,
      virtualSeconds: rounded(s.machine.clock.now / 1e9, 3),
      mips: mips(s.instructions, seconds),
    },
  };
}

/** The same kernel as the phone's two guests (phone-linux.xml): each VM's instructions to its prompt, exits and paging counters. */
export function benchLinuxGuestsToShell(): BenchResult[] {
  if (!existsSync(KERNEL)) return [skipped('linux-guest-nested-to-shell'), skipped('linux-guest-shadow-to-shell')];
  const { board, diagnostics } = loadBoard('boards/phone-linux.xml');
  if (board === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const t0 = performance.now();
  const built = buildMachine(board);
  const vmms = built.vms!.vmms;
  const text = new Map<string, string>(vmms.map((v) => [v.vm.name, '']));
  for (const v of vmms) v.attachConsole({ transmit: (b) => text.set(v.vm.name, text.get(v.vm.name)! + String.fromCharCode(b)) });
  const reached = new Map<string, { seconds: number; virtualSeconds: number; instructions: number }>();
  for (let i = 0; i < 6000 && reached.size < vmms.length; i++) {
    const r = built.machine.run({ maxTimeNs: 20_000_000 });
    for (const s of built.vms!.manager.status()) {
      if (reached.has(s.name) || !PROMPT.test(text.get(s.name)!.replace(/\r/g, ''))) continue;
      reached.set(s.name, { seconds: (performance.now() - t0) / 1000, virtualSeconds: built.machine.clock.now / 1e9, instructions: s.instructions });
    }
    if (r.kind !== 'limit') break;
  }
  return vmms.map((v): BenchResult => {
    const s = built.vms!.manager.status().find((x) => x.name === v.vm.name)!;
    const at = reached.get(v.vm.name);
    const p = v.vm.pagingCounters;
    const name = `linux-guest-${v.vm.paging}-to-shell`;
    if (at === undefined) return { name, figures: { failed: 'no shell prompt' } };
    return {
      name,
      figures: {
            seconds: rounded(at.seconds, 2),
            virtualSeconds: rounded(at.virtualSeconds, 3),
            instructions: at.instructions,
            exits: s.exits as Record<string, number>,
            paging: v.vm.paging === 'nested'
              ? { walks: p.walks, referencesPerWalk: rounded(p.memoryReferencesPerWalk, 2), stage2Faults: p.stage2Faults }
              : { fills: p.shadowFills, syncs: p.shadowSyncs, zaps: p.shadowZaps, writeProtectFaults: p.writeProtectFaults },
      },
    };
  });
}
