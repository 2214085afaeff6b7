import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import chalk from 'chalk';
import { InputError, type Diagnostic } from '../../../dts/model/SourcePos.ts';
import type { Command } from '../Command.ts';
import { ExitCode } from '../ExitCode.ts';
import { UsageError } from '../UsageError.ts';
import { printableConsoleText } from '../../testing/scenario/ConsoleEscapes.ts';
import { junitReport } from '../../testing/scenario/JUnitReport.ts';
import type { Scenario, ScenarioFile } from '../../testing/scenario/Scenario.ts';
import { readScenarioFile } from '../../testing/scenario/ScenarioParser.ts';
import type { ScenarioResult } from '../../testing/scenario/ScenarioResult.ts';
import { runScenario } from '../../testing/scenario/ScenarioRunner.ts';
import { inShard, parseShard, type Shard } from '../../testing/scenario/Shard.ts';
import { describeStep } from '../../testing/scenario/StepDescription.ts';
import { formatResult, formatSummary, NO_PAINT, type Paint } from '../../testing/scenario/TextReport.ts';
import { formatVirtualTime } from '../../testing/scenario/VirtualDuration.ts';

export const testCommand: Command = {
  name: 'test',
  summary: 'run scenario files (expect console text, type, check registers and memory) and report',
  help: `usage: tskvm-board test FILE.test.xml... [options]

Run every scenario of the scenario files: each builds its board, then waits
for console text, types input, checks registers, memory and the exit code,
all in virtual time (docs/TEST-FORMAT.md describes the format). Prints one
line per scenario; a failure shows the step, what was expected, what
happened and the last console output.

options:
  --junit FILE     also write a JUnit XML report to FILE (for CI systems)
  --shard I/N      run only part I of N (1-based): the scenarios whose index,
                   counting every scenario of every file in the order given,
                   is I-1 modulo N. Jobs 1/N … N/N together run everything.
  -v, --verbose    show each step as it runs and each scenario's console output

exit codes: 0 every scenario passed (or was skipped), 1 a scenario failed,
            2 bad input (a scenario file, a board file, the command line)
`,
  options: {
    junit: { type: 'string' },
    shard: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  },
  positionals: [1, Infinity],
  async run(files, values, io) {
    const shard = values.shard !== undefined ? shardOption(values.shard as string) : undefined;
    const junitPath = values.junit as string | undefined;
    if (junitPath === '') throw new UsageError('--junit needs a file name');
    const verbose = Boolean(values.verbose);
    const paint = io.isTty ? colours() : NO_PAINT;

    // Every file is checked before anything runs: a typo in the last file is found at once.
    const parsed: ScenarioFile[] = [];
    const problems: Diagnostic[] = [];
    for (const file of files) {
      const r = readScenarioFile(file);
      problems.push(...r.diagnostics);
      if (r.file) parsed.push(r.file);
    }
    if (problems.length > 0) throw new InputError(problems);

    const all = parsed.flatMap((f) => f.scenarios);
    const chosen = new Set(all.filter((_, i) => !shard || inShard(i, shard)));
    if (shard) io.stdout(`shard ${shard.index}/${shard.count}: ${chosen.size} of ${all.length} scenarios\n`);

    const started = performance.now();
    const timestamp = new Date().toISOString().replace(/\.\d+Z$/, '');
    const suites: { name: string; file: string; results: ScenarioResult[] }[] = [];
    for (const file of parsed) {
      const results: ScenarioResult[] = [];
      for (const scenario of file.scenarios.filter((s) => chosen.has(s))) {
        if (results.length === 0) io.stdout(`${file.file}\n`);
        if (verbose) io.stdout(`  ${paint.dim(`running ${scenario.name} (${scenario.file}:${scenario.pos.line})`)}\n`);
        const result = runScenario(scenario, { onStep: verbose ? stepLogger(io, paint) : undefined });
        results.push(result);
        io.stdout(formatResult(result, paint, { outputTail: !verbose }));
        if (verbose && result.output !== '') io.stdout(transcript(result.output));
      }
      if (results.length > 0) suites.push({ name: file.suiteName, file: file.file, results });
    }
    const results = suites.flatMap((s) => s.results);
    io.stdout(`\n${formatSummary(results, (performance.now() - started) / 1000, paint)}`);

    if (junitPath !== undefined) {
      try {
        writeFileSync(junitPath, junitReport(suites, { timestamp, hostname: hostname() }));
      } catch (e) {
        throw new InputError([{ severity: 'error', message: `cannot write the JUnit report '${junitPath}': ${(e as Error).message}` }]);
      }
    }
    if (results.some((r) => r.status === 'error')) return ExitCode.BadInput;
    if (results.some((r) => r.status === 'failed')) return ExitCode.Failure;
    return ExitCode.Ok;
  },
};

function shardOption(text: string): Shard {
  const shard = parseShard(text);
  if (!shard) throw new UsageError(`--shard: '${text}' is not a shard (expected I/N with 1 <= I <= N, e.g. 1/4)`);
  return shard;
}

function stepLogger(io: { stdout(t: string): void }, paint: Paint) {
  return (index: number, step: Scenario['steps'][number], ok: boolean, virtualNs: number) => {
    const mark = ok ? paint.pass('ok  ') : paint.fail('FAIL');
    io.stdout(`       ${paint.dim(`[${formatVirtualTime(virtualNs).padStart(12)}]`)} ${mark} step ${index + 1}: ${describeStep(step)}\n`);
  };
}

function transcript(output: string): string {
  const lines = printableConsoleText(output).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return ['       console output:', ...lines.map((l) => `       | ${l}`)].join('\n') + '\n';
}

function colours(): Paint {
  return { pass: chalk.green, fail: chalk.red, skip: chalk.yellow, dim: chalk.dim };
}
