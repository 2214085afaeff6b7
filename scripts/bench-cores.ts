import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ArmCpu } from '../cores/arm/ArmCpu.ts';
import { BoardSession } from '../src/testing/BoardSession.ts';
import { mips, rounded, type BenchResult } from './bench/BenchResult.ts';

const UBOOT_ARM = '/usr/lib/u-boot/qemu_arm/u-boot.bin';
const CACHED_UBOOT_ARM = '.cache/debian/u-boot-qemu/usr/lib/u-boot/qemu_arm/u-boot.bin';

/** Debian's U-Boot for qemu_arm, installed or fetched by scripts/fetch-debian-package.sh; undefined when neither. */
export function uBootArmImage(): string | undefined {
  return existsSync(UBOOT_ARM) ? UBOOT_ARM : existsSync(CACHED_UBOOT_ARM) ? CACHED_UBOOT_ARM : undefined;
}

/** Regions the ARM JIT compiled on the board's cores (0 with the interpreter). */
function regions(s: BoardSession): number {
  return (s.built.cpus as ArmCpu[]).reduce((n, c) => n + (c.jit?.stats.regions ?? 0), 0);
}

export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** A bench firmware run bare-metal on virt-arm (no virtualization). */
export interface FirmwareWorkload {
  /** Row name; `-jit` is appended for the JIT row. */
  readonly name: string;
  readonly elf: string;
  /** Matches the firmware's checksum line; group 1 is the checksum. */
  readonly checksum: RegExp;
  /** At most this many runs… */
  readonly runs: number;
  /**
   * …and no new run once the runs took this many seconds of process CPU time
   * (at least one run is always made). CPU time, not wall time: on a loaded
   * machine a wall budget would cut the JIT's rows before they warm up.
   */
  readonly budgetSeconds: number;
}

/**
 * MIPS of the ARM core on one of our bench firmwares, with the interpreter
 * only or with the JIT. Best of several runs in one process, a fresh machine
 * each (the first pays for V8 compiling the core, and with the JIT for
 * compiling and optimizing the firmware's hot code: later runs find it in the
 * JIT's code cache); the first run's figure and the median are given too.
 * `cpuTimeMips` divides by the process's CPU time instead of the wall time
 * (less sensitive to other processes on a shared machine; V8's compiler and
 * GC threads count in it). `benchTicks` is the firmware's own count of counter ticks over its work
 * (virtual time: 16 instructions per tick), which the QEMU rows compare with.
 */
export function armFirmware(w: FirmwareWorkload, jit: boolean): BenchResult {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let instructions = 0;
  let checksum = 'missing';
  let end = '';
  let compiled = 0;
  let benchTicks = 0;
  while (times.length < w.runs && (times.length === 0 || cpuTimes.reduce((a, b) => a + b, 0) < w.budgetSeconds)) {
    const s = BoardSession.open('boards/virt-arm.xml', { firmware: w.elf, jit });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    end = s.runToEnd({ maxTimeNs: 60e9 }).kind;
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1e6);
    instructions = s.instructions;
    compiled = regions(s);
    checksum = w.checksum.exec(s.output)?.[1] ?? 'missing';
    benchTicks = Number(/INFO bench_ticks (\d+)/.exec(s.output)?.[1] ?? 0);
  }
  const best = Math.min(...times);
  return {
    name: jit ? `${w.name}-jit` : w.name,
    figures: {
      instructions,
      bestOfRuns: times.length,
      seconds: rounded(best, 3),
      mips: mips(instructions, best),
      medianMips: mips(instructions, median(times)),
      firstRunMips: mips(instructions, times[0]),
      cpuTimeMips: mips(instructions, Math.min(...cpuTimes)),
      ...(jit ? { regions: compiled } : {}),
      checksum,
      end,
      benchTicks,
    },
  };
}

/** Debian's U-Boot on virt-arm: instructions and wall seconds to the prompt, a key sent at the countdown. One run: what a user waits. */
export function armUBootToPrompt(jit: boolean): BenchResult {
  const name = jit ? 'arm-uboot-prompt-jit' : 'arm-uboot-prompt';
  const image = uBootArmImage();
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
      seconds: rounded(seconds, 3),
      mips: mips(s.instructions, seconds),
      ...(jit ? { regions: regions(s) } : {}),
      qemuInstructions: 28_442_129,
    },
  };
}

/** The JIT's row: its MIPS over the interpreter's. */
export function withSpeedup(jitted: BenchResult, interpreted: BenchResult): BenchResult {
  const a = jitted.figures.mips;
  const b = interpreted.figures.mips;
  if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return jitted;
  return { name: jitted.name, figures: { ...jitted.figures, speedup: rounded(a / b, 2) } };
}
