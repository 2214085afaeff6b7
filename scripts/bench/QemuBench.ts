import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mips, rounded, type BenchResult } from './BenchResult.ts';

const QEMU = 'qemu-system-arm';
/** QEMU's virt board runs the generic timer's counter at 62.5 MHz (CNTFRQ; one tick per 16 ns), as tskvm's arm-virt does. */
const COUNTER_HZ = 62.5e6;
/** With `-icount shift=0` QEMU's virtual clock advances 1 ns per instruction, so one counter tick is 16 instructions. */
const INSTRUCTIONS_PER_TICK_ICOUNT = 16;
const RUNS = 10;

/** What the tskvm rows measured for the same firmware, to compare with. */
export interface TskvmFigures {
  /** Instructions of the whole program under tskvm. */
  readonly instructions: number;
  /** The firmware's own `INFO bench_ticks` under tskvm (virtual time: instructions / 16). */
  readonly benchTicks: number;
  /** Best MIPS of the tskvm JIT row. */
  readonly mips: number;
}

function qemuVersion(): string | undefined {
  const r = spawnSync(QEMU, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return /version (\S+)/.exec(r.stdout)?.[1] ?? 'unknown';
}

/** Boot one ELF under qemu-system-arm -M virt -cpu cortex-a15 until it powers off (PSCI SYSTEM_OFF); its console output. */
function runQemu(elf: string, extra: string[]): { output: string; seconds: number } {
  const args = ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '256M', '-nographic', '-net', 'none', '-no-reboot', ...extra, '-kernel', elf];
  const t0 = performance.now();
  const r = spawnSync(QEMU, args, { encoding: 'utf8', timeout: 60_000, input: '' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) throw new Error(`${QEMU} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${QEMU} ${args.join(' ')} exited with ${r.status}: ${r.stderr.trim()}`);
  return { output: r.stdout, seconds };
}

function benchTicks(output: string, elf: string): number {
  const m = /INFO bench_ticks (\d+)/.exec(output);
  if (!m) throw new Error(`${elf} under QEMU printed no bench_ticks:\n${output.slice(-400)}`);
  return Number(m[1]);
}

/**
 * The same bare-metal firmware under qemu-system-arm, in the same bench run.
 * The firmware times its own work with the generic timer's counter
 * (`INFO bench_ticks`, read before and after the work):
 *  - instruction count: one run with `-icount shift=0`, where the counter
 *    follows QEMU's instruction count (16 instructions per tick), so QEMU
 *    itself says how many instructions the work took; it must agree with
 *    tskvm's count of the same part (tskvm's virtual time is also 1 ns per
 *    instruction), which the row shows as `instructionCountsAgree`: within
 *    one tick, since where the work starts inside a 16-instruction tick
 *    depends on the instructions before it, which differ (QEMU's boot stub);
 *  - speed: RUNS runs without icount (TCG at full speed; the counter then
 *    follows the host clock), best of them: `mips` is the work's instructions
 *    over the counter's time, without QEMU's start-up; `processMips` is the
 *    whole program's instructions over the process's wall time, start-up
 *    included, as a user sees it.
 * `ratio` is tskvm's JIT MIPS over QEMU's `mips`.
 */
export function benchQemu(name: string, elf: string, tskvm: TskvmFigures): BenchResult {
  const version = qemuVersion();
  if (version === undefined) {
    return { name, figures: { skipped: `${QEMU} not installed (apt-get install qemu-system-arm); the QEMU comparison needs it` } };
  }
  const counted = benchTicks(runQemu(elf, ['-icount', 'shift=0']).output, elf);
  const workInstructions = counted * INSTRUCTIONS_PER_TICK_ICOUNT;
  let bestWork = Infinity;
  let bestProcess = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const r = runQemu(elf, []);
    bestWork = Math.min(bestWork, benchTicks(r.output, elf) / COUNTER_HZ);
    bestProcess = Math.min(bestProcess, r.seconds);
  }
  const qemuMips = mips(workInstructions, bestWork);
  return {
    name,
    figures: {
      qemu: version,
      workInstructions,
      instructionCountsAgree: Math.abs(counted - tskvm.benchTicks) <= 1 ? 'yes' : `no (tskvm ${tskvm.benchTicks * INSTRUCTIONS_PER_TICK_ICOUNT})`,
      tskvmWorkInstructions: tskvm.benchTicks * INSTRUCTIONS_PER_TICK_ICOUNT,
      bestOfRuns: RUNS,
      workSeconds: rounded(bestWork, 4),
      mips: qemuMips,
      processSeconds: rounded(bestProcess, 3),
      processMips: mips(tskvm.instructions, bestProcess),
      tskvmJitMips: tskvm.mips,
      ratio: qemuMips > 0 ? rounded(tskvm.mips / qemuMips, 3) : 0,
    },
  };
}
