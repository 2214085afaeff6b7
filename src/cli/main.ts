import chalk from 'chalk';
import { InputError, formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { parseCommandArgs, type CliIo, type Command } from './Command.ts';
import { ExitCode } from './ExitCode.ts';
import { UsageError } from './UsageError.ts';
import { commands } from './commands/index.ts';

const PROGRAM = 'tskvm-board';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'Simulate an embedded board described in XML and boot its firmware.',
    '',
    'commands:',
    ...lines,
    '',
    `Run '${PROGRAM} <command> --help' for a command's options.`,
    'Exit codes: 0 ok / board powered off, 1 firmware failure or limit reached, 2 bad input, 3 internal error.',
    '',
  ].join('\n');
}

export function defaultIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    flush: () => new Promise<void>((resolve) => process.stdout.write('', () => resolve())),
    isTty: Boolean(process.stdout.isTTY),
    stderrIsTty: Boolean(process.stderr.isTTY),
    stderrColumns: () => process.stderr.columns,
  };
}

/** Run the CLI with `argv` (without node and script); returns the exit code. Never throws. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(overview());
    return name === undefined ? ExitCode.BadInput : ExitCode.Ok;
  }
  if (name === '--version') {
    io.stdout('tskvm 0.1.0\n');
    return ExitCode.Ok;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`${PROGRAM}: unknown command '${name}'\n\n${overview()}`);
    return ExitCode.BadInput;
  }
  try {
    const parsed = parseCommandArgs(command, rest);
    if (parsed.help) {
      io.stdout(command.help);
      return ExitCode.Ok;
    }
    return await command.run(parsed.positionals, parsed.values, io);
  } catch (e) {
    return reportError(e, command, io);
  }
}

function reportError(e: unknown, command: Command, io: CliIo): number {
  const red = (s: string) => (io.isTty ? chalk.red(s) : s);
  if (e instanceof UsageError) {
    io.stderr(`${PROGRAM} ${command.name}: ${e.message}\n\n${command.help}`);
    return ExitCode.BadInput;
  }
  if (e instanceof InputError) {
    for (const d of e.diagnostics) io.stderr(`${d.severity === 'error' ? red(formatDiagnostic(d)) : formatDiagnostic(d)}\n`);
    return ExitCode.BadInput;
  }
  // A bug in tskvm: say so plainly; the stack only with TSKVM_DEBUG=1.
  const message = e instanceof Error ? e.message : String(e);
  io.stderr(red(`${PROGRAM}: internal error: ${message}\n`));
  if (process.env.TSKVM_DEBUG && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  else io.stderr('(set TSKVM_DEBUG=1 to see where; please report this as a tskvm bug)\n');
  return ExitCode.Internal;
}
