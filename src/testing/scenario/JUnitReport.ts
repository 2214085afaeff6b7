import { formatDiagnostic } from '../../../dts/model/SourcePos.ts';
import { printableConsoleText } from './ConsoleEscapes.ts';
import type { ScenarioResult } from './ScenarioResult.ts';
import { describeStep } from './StepDescription.ts';
import { formatVirtualTime } from './VirtualDuration.ts';

/** The scenarios of one file that ran: one `<testsuite>`. */
export interface JUnitSuite {
  readonly name: string;
  readonly file: string;
  readonly results: readonly ScenarioResult[];
}

/**
 * A JUnit XML report as Jenkins, GitLab and other CI systems read it: `<testsuites>` with
 * one `<testsuite>` per scenario file and one `<testcase>` per scenario, elements and
 * attributes in the order and with the names of the common junit-4 schema (testcase holds
 * skipped?, error*, failure*, system-out*; a passed case holds only its output). `time` is
 * wall-clock seconds, as CI systems expect; the virtual time is in the case's output.
 */
export function junitReport(suites: readonly JUnitSuite[], options: { name?: string; timestamp?: string; hostname?: string } = {}): string {
  const all = suites.flatMap((s) => s.results);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attributes({ name: options.name ?? 'tskvm-board test', ...counts(all) })}>`);
  suites.forEach((suite, id) => {
    const head = attributes({
      name: suite.name,
      ...counts(suite.results),
      skipped: suite.results.filter((r) => r.status === 'skipped').length,
      timestamp: options.timestamp,
      hostname: options.hostname,
      id,
      package: packageName(suite.file),
    });
    out.push(`  <testsuite${head}>`);
    for (const r of suite.results) out.push(...testcase(r, packageName(suite.file)));
    out.push('  </testsuite>');
  });
  out.push('</testsuites>', '');
  return out.join('\n');
}

function counts(results: readonly ScenarioResult[]) {
  return {
    tests: results.length,
    failures: results.filter((r) => r.status === 'failed').length,
    errors: results.filter((r) => r.status === 'error').length,
    time: seconds(results.reduce((s, r) => s + r.wallSeconds, 0)),
  };
}

function testcase(r: ScenarioResult, classname: string): string[] {
  const open = `    <testcase${attributes({ name: r.scenario.name, classname, time: seconds(r.wallSeconds) })}`;
  const lines: string[] = [];
  if (r.status === 'skipped') lines.push(`      <skipped${attributes({ message: r.message })}/>`);
  if (r.status === 'error') {
    const body = r.diagnostics.map(formatDiagnostic).join('\n');
    lines.push(`      <error${attributes({ message: r.message, type: 'scenario cannot run' })}>${text(body)}</error>`);
  }
  if (r.status === 'failed' && r.failure) {
    const f = r.failure;
    const body = [
      `step ${f.index + 1} at ${f.step.pos.file}:${f.step.pos.line}:${f.step.pos.column}: ${describeStep(f.step)}`,
      `expected: ${f.expected}`,
      `got: ${f.got}`,
    ].join('\n');
    lines.push(`      <failure${attributes({ message: r.message, type: f.step.kind })}>${text(body)}</failure>`);
  }
  if (r.status === 'passed' || r.status === 'failed') {
    const header = `[tskvm] ${r.instructions} instructions in ${formatVirtualTime(r.virtualNs)} of virtual time`;
    lines.push(`      <system-out>${text(`${header}\n${printableConsoleText(r.output)}`)}</system-out>`);
  }
  if (lines.length === 0) return [`${open}/>`];
  return [`${open}>`, ...lines, '    </testcase>'];
}

/** "boards/virt-arm.test.xml" → "boards.virt-arm": CI tools show classnames as package.class. */
function packageName(file: string): string {
  return file
    .replace(/^([\\/]|\.\.?[\\/])+/, '')
    .replace(/(\.test)?\.xml$/, '')
    .split(/[\\/]+/)
    .join('.');
}

function seconds(s: number): string {
  return s.toFixed(3);
}

function attributes(values: Record<string, string | number | undefined>): string {
  let s = '';
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined) s += ` ${k}="${escape(String(v), true)}"`;
  }
  return s;
}

function text(s: string): string {
  return escape(s, false);
}

/**
 * XML character data: markup characters as entities; in attributes also line ends and tabs
 * as character references, which attribute-value normalization would otherwise turn into
 * spaces (XML 1.0 section 3.3.3). Characters XML 1.0 cannot hold at all (most C0 controls,
 * lone surrogates, U+FFFE/U+FFFF) become U+FFFD.
 */
function escape(s: string, attribute: boolean): string {
  return s
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"\n\r\t]/g, (c) => {
      switch (c) {
        case '&': return '&amp;';
        case '<': return '&lt;';
        case '>': return '&gt;';
        case '"': return attribute ? '&quot;' : c;
        case '\r': return '&#13;';
        case '\n': return attribute ? '&#10;' : c;
        default: return attribute ? '&#9;' : c;
      }
    });
}
