import type { BenchResult } from './BenchResult.ts';

/** Figures shown as columns of the main table; every other figure is listed under its row. */
const COLUMNS: ReadonlyArray<{ key: string; title: string; width: number }> = [
  { key: 'instructions', title: 'instructions', width: 13 },
  { key: 'bestOfRuns', title: 'runs', width: 5 },
  { key: 'seconds', title: 'best s', width: 8 },
  { key: 'mips', title: 'MIPS', width: 8 },
  { key: 'medianMips', title: 'median', width: 8 },
];
/** The row's comparison figure, in this order of preference. */
const RATIOS = ['speedup', 'ratioToHost', 'ratio'] as const;
const NAME_WIDTH = 24;

function cell(v: unknown): string {
  return v === undefined ? '' : String(v);
}

function detail(key: string, v: BenchResult['figures'][string]): string {
  if (typeof v === 'object') return `${key}: ${Object.entries(v).map(([k, n]) => `${k}=${n}`).join(' ')}`;
  return `${key}=${v}`;
}

/** The bench's results as a fixed-width table: one line per row, then its other figures indented. */
export function formatTable(results: readonly BenchResult[]): string {
  const head =
    'row'.padEnd(NAME_WIDTH) + COLUMNS.map((c) => c.title.padStart(c.width)).join('') + '  ratio'.padEnd(16) + ' ' + '(ratio: JIT/interpreter, guest/host, tskvm/QEMU)';
  const lines = [head, '-'.repeat(head.length)];
  for (const r of results) {
    const f = r.figures;
    const ratioKey = RATIOS.find((k) => f[k] !== undefined);
    const ratio = ratioKey ? `${f[ratioKey]} (${ratioKey})` : '';
    lines.push(r.name.padEnd(NAME_WIDTH) + COLUMNS.map((c) => cell(f[c.key]).padStart(c.width)).join('') + '  ' + ratio);
    const shown = new Set<string>([...COLUMNS.map((c) => c.key), ...(ratioKey ? [ratioKey] : [])]);
    const rest = Object.entries(f).filter(([k]) => !shown.has(k));
    const scalars = rest.filter(([, v]) => typeof v !== 'object').map(([k, v]) => detail(k, v));
    if (scalars.length > 0) lines.push('    ' + scalars.join('  '));
    for (const [k, v] of rest.filter(([, v]) => typeof v === 'object')) lines.push('    ' + detail(k, v));
  }
  return lines.join('\n');
}
