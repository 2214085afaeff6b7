/**
 * `npm run bench`: tskvm's speed figures, printed and saved as JSON in
 * bench-results/ with the git commit. Speed is measured here, never asserted
 * by a timed test.
 *
 * Sections:
 *  - board-load: parse + check a generated board of several hundred nodes and compile its DTB
 *  - further sections (cores, firmware to prompt) register themselves in benchSections below
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBoard } from '../dts/board/BoardLoader.ts';
import { writeDtb } from '../dts/blob/DtbWriter.ts';
import { benchCoreSections } from './bench-cores.ts';

export interface BenchResult {
  readonly name: string;
  readonly figures: Record<string, number | string>;
}

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

function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const results: BenchResult[] = [benchBoardLoad(), ...(await benchCoreSections())];
  for (const r of results) {
    const parts = Object.entries(r.figures).map(([k, v]) => `${k}=${v}`);
    console.log(`${r.name.padEnd(24)} ${parts.join('  ')}`);
  }
  const out = { commit: gitCommit(), date: new Date().toISOString(), node: process.version, results };
  mkdirSync('bench-results', { recursive: true });
  const file = join('bench-results', `bench-${out.commit}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  writeFileSync(join('bench-results', 'latest.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(`saved ${file}`);
}

await main();
