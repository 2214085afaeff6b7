import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ArmCpu } from '../cores/arm/ArmCpu.ts';
import { BoardSession } from '../src/testing/BoardSession.ts';
import type { BenchResult } from './bench.ts';

const UBOOT_ARM = '/usr/lib/u-boot/qemu_arm/u-boot.bin';
const CACHED_UBOOT_ARM = '.cache/debian/u-boot-qemu/usr/lib/u-boot/qemu_arm/u-boot.bin';

/** Regions the ARM JIT compiled on the board's cores (0 with the interpreter). */
function regions(s: BoardSession): number {
  return (s.built.cpus as ArmCpu[]).reduce((n, c) => n + (c.jit?.stats.regions ?? 0), 0);
}

/**
 * MIPS of the ARM core on our CPU-bound firmware (CRC, sorting, matrix
 * multiply, string search), with the interpreter only or with the JIT.
 * Best of several runs in one process (the first pays for V8 compiling the
 * core, and with the JIT for compiling and optimizing the firmware's hot
 * code: later runs find it in the JIT's code cache); the first run's
 * figure is given too.
 */
function armCpuBound(jit: boolean): BenchResult {
  const runs = 5;
  let best = Infinity;
  let first = 0;
  let instructions = 0;
  let checksum = 'missing';
  let end = '';
  let compiled = 0;
  for (let i = 0; i < runs; i++) {
    const s = BoardSession.open('boards/virt-arm.xml', { firmware: 'boards/firmware/arm/bench.elf', jit });
    const t0 = performance.now();
    end = s.runToEnd({ maxTimeNs: 60e9 }).kind;
    const seconds = (performance.now() - t0) / 1000;
    if (i === 0) first = seconds;
    best = Math.min(best, seconds);
    instructions = s.instructions;
    compiled = regions(s);
    checksum = /BENCH checksum (0x[0-9a-f]+)/.exec(s.output)?.[1] ?? 'missing';
  }
  return {
    name: jit ? 'arm-cpu-bound-jit' : 'arm-cpu-bound',
    figures: {
      instructions,
      bestOfRuns: runs,
      seconds: Number(best.toFixed(3)),
      mips: Number((instructions / best / 1e6).toFixed(1)),
      firstRunMips: Number((instructions / first / 1e6).toFixed(1)),
      ...(jit ? { regions: compiled } : {}),
      checksum,
      end,
    },
  };
}

/** Debian's U-Boot on virt-arm: instructions and wall seconds to the prompt, a key sent at the countdown. One run: what a user waits. */
function armUBootToPrompt(jit: boolean): BenchResult {
  const name = jit ? 'arm-uboot-prompt-jit' : 'arm-uboot-prompt';
  const image = existsSync(UBOOT_ARM) ? UBOOT_ARM : existsSync(CACHED_UBOOT_ARM) ? CACHED_UBOOT_ARM : undefined;
  if (!image) return { name, figures: { skipped: 'u-boot-qemu not installed (scripts/fetch-debian-package.sh u-boot-qemu)' } };
  const t0 = performance.now();
  const s = BoardSession.open('boards/virt-arm.xml', { firmware: image, jit });
  s.waitFor('Hit any key to stop autoboot: ', { maxTimeNs: 10e9 });
  s.send(' ');
  s.waitFor('\n=> ', { maxTimeNs: 10e9 });
  const seconds = (performance.now() - t0) / 1000;
  return {
    name,
    figures: {
      instructions: s.instructionsAtLastOutput,
      seconds: Number(seconds.toFixed(3)),
      mips: Number((s.instructions / seconds / 1e6).toFixed(1)),
      ...(jit ? { regions: regions(s) } : {}),
      qemuInstructions: 28_442_129,
    },
  };
}

/** The JIT's row: its MIPS over the interpreter's. */
function withSpeedup(jitted: BenchResult, interpreted: BenchResult): BenchResult {
  const a = jitted.figures.mips;
  const b = interpreted.figures.mips;
  if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return jitted;
  return { name: jitted.name, figures: { ...jitted.figures, speedup: Number((a / b).toFixed(2)) } };
}

/**
 * Core and firmware speed sections of the bench: MIPS on our CPU-bound
 * firmware and instructions and seconds to U-Boot's prompt, each with the
 * interpreter (`run --no-jit`) and with the ARM JIT. The interpreter rows
 * run first, so that the JIT's code cache is empty when its rows start.
 */
export async function benchCoreSections(): Promise<BenchResult[]> {
  const cpuBound = armCpuBound(false);
  const uboot = armUBootToPrompt(false);
  const uBootJit = armUBootToPrompt(true);
  const cpuBoundJit = armCpuBound(true);
  return [cpuBound, withSpeedup(cpuBoundJit, cpuBound), uboot, withSpeedup(uBootJit, uboot)];
}
