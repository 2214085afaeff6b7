import type { BenchResult } from './BenchResult.ts';

/** Figures shown as columns of the main table; every other figure is listed under its row. */
const COLUMNS: ReadonlyArray<{ key: string; title: string; width: number }> = [
  { key: 'instructions', title: 'instructions', width: 13 },
  { key: 'bestOfRuns', title: 'runs', width: 5 },
  { key: 'seconds', title: 'best s', width: 8 },
  { key: 'mips', title: 'MIPS', width: 8 },
  { key: 'medianMips', title: 'median', width: 8 },
  { key: 'cpuTimeMips', title: 'CPU-t', width: 8 },
];
/** The row's comparison figures. */
const RATIOS = ['speedup', 'ratioToHost', 'cpuTimeRatioToHost', 'ratio'] as const;
const RATIO_LABEL: Record<(typeof RATIOS)[number], string> = {
  speedup: 'JIT/interp',
  ratioToHost: 'guest/host',
  cpuTimeRatioToHost: 'by CPU time',
  ratio: 'tskvm/QEMU',
};
const NAME_WIDTH = 24;

function cell(v: unknown): string {
  return v === undefined ? '' : String(v);
}

function detail(key: string, v: BenchResult['figures'][string]): string {
  if (typeof v === 'object') return `${key}: ${Object.entries(v).map(([k, n]) => `${k}=${n}`).join(' ')}`;
  return `${key}=${v}`;
}

/**
 * The bench's results as a fixed-width table: one line per row, then its
 * other figures indented. MIPS is best of the runs by wall time, median the
 * median run, CPU-t by the process's CPU time.
 */
export function formatTable(results: readonly BenchResult[]): string {
  const head =
    'row'.padEnd(NAME_WIDTH) + COLUMNS.map((c) => c.title.padStart(c.width)).join('') + '  ratio';
  const lines = [head, '-'.repeat(head.length)];
  for (const r of results) {
    const f = r.figures;
    const ratioKeys = RATIOS.filter((k) => f[k] !== undefined);
    const ratio = ratioKeys.map((k) => `${f[k]} ${RATIO_LABEL[k]}`).join(', ');
    lines.push(r.name.padEnd(NAME_WIDTH) + COLUMNS.map((c) => cell(f[c.key]).padStart(c.width)).join('') + '  ' + ratio);
    const shown = new Set<string>([...COLUMNS.map((c) => c.key), ...ratioKeys]);
    const rest = Object.entries(f).filter(([k]) => !shown.has(k));
    const scalars = rest.filter(([, v]) => typeof v !== 'object').map(([k, v]) => detail(k, v));
    if (scalars.length > 0) lines.push('    ' + scalars.join('  '));
    for (const [k, v] of rest.filter(([, v]) => typeof v === 'object')) lines.push('    ' + detail(k, v));
  }
  return lines.join('\n');
}
