import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { BoardSession } from '../src/testing/BoardSession.ts';
import type { BenchResult } from './bench.ts';

const UBOOT_ARM = '/usr/lib/u-boot/qemu_arm/u-boot.bin';
const CACHED_UBOOT_ARM = '.cache/debian/u-boot-qemu/usr/lib/u-boot/qemu_arm/u-boot.bin';

/** MIPS of the ARM core on our CPU-bound firmware (CRC, sorting, matrix multiply, string search). */
function armCpuBound(): BenchResult {
  // Best of several runs in one process: the first pays for V8 compiling the core.
  const runs = 5;
  let best = Infinity;
  let instructions = 0;
  let checksum = 'missing';
  let end = '';
  for (let i = 0; i < runs; i++) {
    const s = BoardSession.open('boards/virt-arm.xml', { firmware: 'boards/firmware/arm/bench.elf' });
    const t0 = performance.now();
    end = s.runToEnd({ maxTimeNs: 60e9 }).kind;
    best = Math.min(best, (performance.now() - t0) / 1000);
    instructions = s.instructions;
    checksum = /BENCH checksum (0x[0-9a-f]+)/.exec(s.output)?.[1] ?? 'missing';
  }
  return {
    name: 'arm-cpu-bound',
    figures: { instructions, bestOfRuns: runs, seconds: Number(best.toFixed(3)), mips: Number((instructions / best / 1e6).toFixed(1)), checksum, end },
  };
}

/** Debian's U-Boot on virt-arm: instructions and wall seconds to the prompt, a key sent at the countdown. */
function armUBootToPrompt(): BenchResult | undefined {
  const image = existsSync(UBOOT_ARM) ? UBOOT_ARM : existsSync(CACHED_UBOOT_ARM) ? CACHED_UBOOT_ARM : undefined;
  if (!image) return { name: 'arm-uboot-prompt', figures: { skipped: 'u-boot-qemu not installed (scripts/fetch-debian-package.sh u-boot-qemu)' } };
  const t0 = performance.now();
  const s = BoardSession.open('boards/virt-arm.xml', { firmware: image });
  s.waitFor('Hit any key to stop autoboot: ', { maxTimeNs: 10e9 });
  s.send(' ');
  s.waitFor('\n=> ', { maxTimeNs: 10e9 });
  const seconds = (performance.now() - t0) / 1000;
  return {
    name: 'arm-uboot-prompt',
    figures: {
      instructions: s.instructionsAtLastOutput,
      seconds: Number(seconds.toFixed(3)),
      mips: Number((s.instructions / seconds / 1e6).toFixed(1)),
      qemuInstructions: 28_442_129,
    },
  };
}

/**
 * Core and firmware speed sections of the bench: MIPS on our CPU-bound
 * firmware and instructions and seconds to U-Boot's prompt.
 */
export async function benchCoreSections(): Promise<BenchResult[]> {
  const out: BenchResult[] = [armCpuBound()];
  const uboot = armUBootToPrompt();
  if (uboot) out.push(uboot);
  return out;
}
