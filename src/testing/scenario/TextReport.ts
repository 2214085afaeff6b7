import { formatDiagnostic } from '../../../dts/model/SourcePos.ts';
import { printableConsoleText } from './ConsoleEscapes.ts';
import type { ScenarioResult, ScenarioStatus } from './ScenarioResult.ts';
import { describeStep } from './StepDescription.ts';
import { formatVirtualTime } from './VirtualDuration.ts';

/** Colours for a terminal; the identity for files and pipes. */
export interface Paint {
  readonly pass: (s: string) => string;
  readonly fail: (s: string) => string;
  readonly skip: (s: string) => string;
  readonly dim: (s: string) => string;
}

export const NO_PAINT: Paint = { pass: (s) => s, fail: (s) => s, skip: (s) => s, dim: (s) => s };

/** Lines of console output a failure shows. */
const TAIL_LINES = 15;
const LABELS: Record<ScenarioStatus, string> = { passed: 'PASS ', failed: 'FAIL ', skipped: 'SKIP ', error: 'ERROR' };
const INDENT = '       ';

/**
 * The report of one scenario: one line, and for a failure or error what went wrong (with
 * the end of the console output unless `outputTail` is false, when all of it is shown anyway).
 */
export function formatResult(r: ScenarioResult, paint: Paint = NO_PAINT, options: { outputTail?: boolean } = {}): string {
  const colour = r.status === 'passed' ? paint.pass : r.status === 'skipped' ? paint.skip : paint.fail;
  const ran = r.status === 'passed' || r.status === 'failed';
  const detail = ran
    ? `${formatVirtualTime(r.virtualNs)} virtual, ${r.instructions} instructions`
    : r.status === 'error' ? 'could not run:' : r.message ?? '';
  const lines = [`  ${colour(LABELS[r.status])} ${r.scenario.name}  ${paint.dim(detail)}`];
  if (r.status === 'failed' && r.failure) {
    const f = r.failure;
    const at = `${f.step.pos.file}:${f.step.pos.line}:${f.step.pos.column}`;
    lines.push(`${INDENT}step ${f.index + 1} (${at}): ${describeStep(f.step)}`);
    lines.push(`${INDENT}expected: ${f.expected}`);
    lines.push(`${INDENT}got:      ${f.got}`);
    if (options.outputTail !== false) lines.push(...outputTail(r.output));
  } else if (r.status === 'error') {
    for (const d of r.diagnostics) lines.push(`${INDENT}${formatDiagnostic(d)}`);
  }
  return lines.join('\n') + '\n';
}

function outputTail(output: string): string[] {
  if (output === '') return [`${INDENT}the console printed nothing`];
  const lines = printableConsoleText(output).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const shown = lines.slice(-TAIL_LINES);
  const head = lines.length > shown.length ? `last ${shown.length} of ${lines.length} lines of console output:` : 'console output:';
  return [`${INDENT}${head}`, ...shown.map((l) => `${INDENT}| ${l}`)];
}

/** The closing line: counts by status and the wall time of the whole run. */
export function formatSummary(results: readonly ScenarioResult[], wallSeconds: number, paint: Paint = NO_PAINT): string {
  const count = (s: ScenarioStatus) => results.filter((r) => r.status === s).length;
  const parts = [
    paint.pass(`${count('passed')} passed`),
    (count('failed') > 0 ? paint.fail : (s: string) => s)(`${count('failed')} failed`),
    `${count('skipped')} skipped`,
  ];
  if (count('error') > 0) parts.push(paint.fail(`${count('error')} could not run`));
  const n = results.length;
  return `${n} scenario${n === 1 ? '' : 's'}: ${parts.join(', ')} (${wallSeconds.toFixed(2)} s wall)\n`;
}
