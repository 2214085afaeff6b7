/**
 * `npm run bench`: tskvm's speed and memory figures, printed as a table and
 * saved as JSON in bench-results/ with the git commit, date, Node version
 * and machine. Speed is measured here, never asserted by a timed test.
 *
 * Rows:
 *  - board-load: parse + check a generated board of several hundred nodes and compile its DTB
 *  - arm-cpu-bound[-jit]: our CPU-bound firmware (boards/firmware/arm/bench), interpreter and JIT
 *  - arm-uboot-prompt[-jit]: Debian's U-Boot to its prompt (skipped when not installed)
 *  - arm-uboot-prompt-cold: the same as a user waits for it: `tskvm-board run` in a new process
 *  - arm-mmu[-jit]: bench-mmu, 8 address spaces switched through TTBR0/CONTEXTIDR, TLB maintenance
 *  - guest-{cpu,mmu}-{nested,shadow}: the same firmwares as a VM's guest (boards/bench/), run
 *    interleaved with bare-metal runs for the ratio to the host; exits by reason and paging counters
 *  - qemu-{cpu-bound,mmu}: the same ELFs under qemu-system-arm (skipped when not installed)
 *  - memory-512mib: resident memory of a 512 MiB board with two guests, in a child process
 */
import { benchLinuxGuestsToShell, benchLinuxToShell } from './bench/LinuxBench.ts';
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBoard } from '../dts/board/BoardLoader.ts';
import { writeDtb } from '../dts/blob/DtbWriter.ts';
import { armFirmware, armUBootToPrompt, uBootArmImage, withSpeedup, type FirmwareWorkload } from './bench-cores.ts';
import type { BenchResult } from './bench/BenchResult.ts';
import { formatTable } from './bench/BenchTable.ts';
import { benchGuests, type GuestWorkload } from './bench/GuestBench.ts';
import { benchColdUBoot } from './bench/ColdUBootBench.ts';
import { benchMemory } from './bench/MemoryBench.ts';
import { benchQemu } from './bench/QemuBench.ts';

export type { BenchResult } from './bench/BenchResult.ts';

/** A board with `n` UART-like nodes under a simple-bus, each with reg, interrupts and a clock reference. */
function generatedBoard(n: number): string {
  const nodes: string[] = [];
  for (let i = 0; i < n; i++) {
    const addr = 0x10000000 + i * 0x1000;
    nodes.push(
      `      <node name="serial@${addr.toString(16)}" label="s${i}" compatible="vendor,uart${i % 7} ns16550a" ` +
        `reg="0x${addr.toString(16)} 0x1000" interrupts="0 ${i % 900} 4" clocks="&amp;clk" status="okay"/>`,
    );
  }
  return `<?xml version="1.0"?>
<board name="bench">
  <node name="/" _address-cells="1" _size-cells="1" interrupt-parent="&amp;gic" compatible="bench,board">
    <node name="memory@80000000" device_type="memory" reg="0x80000000 1G"/>
    <node name="clk" label="clk" compatible="fixed-clock" _clock-cells="0" clock-frequency="24000000"/>
    <node name="gic@8000000" label="gic" compatible="arm,cortex-a15-gic" interrupt-controller=""
          _interrupt-cells="3" reg="0x8000000 0x10000 0x8010000 0x10000"/>
    <node name="soc" compatible="simple-bus" _address-cells="1" _size-cells="1" ranges="">
${nodes.join('\n')}
    </node>
  </node>
</board>
`;
}

function benchBoardLoad(): BenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-bench-'));
  const nodes = 400;
  const file = join(dir, 'bench.xml');
  writeFileSync(file, generatedBoard(nodes));
  const runs = 5;
  let best = Infinity;
  let dtbBytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const { board, diagnostics } = loadBoard(file);
    if (!board) throw new Error(`bench board has errors: ${diagnostics.map((d) => d.message).join('; ')}`);
    dtbBytes = writeDtb(board.tree).length;
    best = Math.min(best, performance.now() - t0);
  }
  return { name: 'board-load', figures: { nodes: nodes + 5, bestOfRuns: runs, milliseconds: Number(best.toFixed(2)), dtbBytes } };
}

function git(args: string): string {
  try {
    return execSync(`git ${args}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

const CPU_BOUND: FirmwareWorkload = {
  name: 'arm-cpu-bound',
  elf: 'boards/firmware/arm/bench.elf',
  checksum: /BENCH checksum (0x[0-9a-f]+)/,
  // A JIT run is ~50 ms and the first three warm V8 up: enough runs that the best is not luck of the machine's load.
  runs: 20,
  budgetSeconds: 10,
};
const MMU: FirmwareWorkload = {
  name: 'arm-mmu',
  elf: 'boards/firmware/arm/bench-mmu.elf',
  checksum: /BENCH-MMU checksum (0x[0-9a-f]+)/,
  runs: 12,
  budgetSeconds: 8,
};

function figure(r: BenchResult, key: string): number {
  const v = r.figures[key];
  return typeof v === 'number' ? v : 0;
}

/** One row at a time, printed as it is measured (the whole run takes a minute or two). */
function row(results: BenchResult[], r: BenchResult): BenchResult {
  results.push(r);
  console.error(`  measured ${r.name}`);
  return r;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const loadAtStart = loadavg()[0];
  const results: BenchResult[] = [];
  row(results, benchBoardLoad());
  // Interpreter rows first, so that the JIT's code cache is empty when its rows start.
  const cpu = row(results, armFirmware(CPU_BOUND, false));
  const uboot = row(results, armUBootToPrompt(false));
  const mmu = row(results, armFirmware(MMU, false));
  const cpuJit = row(results, withSpeedup(armFirmware(CPU_BOUND, true), cpu));
  row(results, withSpeedup(armUBootToPrompt(true), uboot));
  const mmuJit = row(results, withSpeedup(armFirmware(MMU, true), mmu));

  const guests: GuestWorkload[] = [
    { key: 'cpu', elf: CPU_BOUND.elf, board: 'boards/bench/guest-cpu-{paging}.xml', checksum: CPU_BOUND.checksum, rounds: 8, budgetSeconds: 8 },
    { key: 'mmu', elf: MMU.elf, board: 'boards/bench/guest-mmu-{paging}.xml', checksum: MMU.checksum, rounds: 5, budgetSeconds: 8 },
  ];
  for (const g of guests) for (const r of benchGuests(g)) row(results, r);

  for (const [name, w, r] of [['qemu-cpu-bound', CPU_BOUND, cpuJit], ['qemu-mmu', MMU, mmuJit]] as const) {
    row(results, benchQemu(name, w.elf, { instructions: figure(r, 'instructions'), benchTicks: figure(r, 'benchTicks'), mips: figure(r, 'mips') }));
  }
  row(results, await benchColdUBoot(uBootArmImage()));
  row(results, benchMemory(uBootArmImage()));
  // Debian's Linux to its shell prompt, bare and as the phone's two guests (skipped until fetched).
  row(results, benchLinuxToShell());
  for (const r of benchLinuxGuestsToShell()) row(results, r);

  console.log(formatTable(results));
  const cpuInfo = cpus();
  const out = {
    commit: git('rev-parse HEAD'),
    commitShort: git('rev-parse --short HEAD'),
    worktreeClean: git('status --porcelain --untracked-files=no') === '',
    date: new Date().toISOString(),
    node: process.version,
    machine: {
      os: `${platform()} ${release()}`,
      cpuModel: cpuInfo[0]?.model ?? 'unknown',
      cpus: cpuInfo.length,
      memoryMiB: Math.round(totalmem() / 2 ** 20),
      // Other processes' load: wall-time figures are only comparable between runs on an idle machine.
      loadAverage1m: { start: Number(loadAtStart.toFixed(2)), end: Number(loadavg()[0].toFixed(2)) },
    },
    benchSeconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    results,
  };
  mkdirSync('bench-results', { recursive: true });
  const file = join('bench-results', `bench-${out.commitShort}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  writeFileSync(join('bench-results', 'latest.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(
    `${out.machine.cpus} × ${out.machine.cpuModel}, Node ${out.node}, load average ${out.machine.loadAverage1m.start} → ${out.machine.loadAverage1m.end}` +
      ` (wall-time MIPS fall with load; CPU-t less so)\nbench took ${out.benchSeconds} s; saved ${file}`,
  );
}

await main();
