import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './UsageError.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Where a command writes: injectable so tests capture output without spawning. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves once everything written to stdout has been handed to the OS (so stderr lines come after it). */
  flush?(): Promise<void>;
  /** True when stdout is a terminal (colour, progress lines). */
  readonly isTty: boolean;
  /** True when stderr is a terminal (`run` then shows a progress line there). */
  readonly stderrIsTty?: boolean;
  /** Width of the terminal stderr writes to, when it is one. */
  stderrColumns?(): number | undefined;
}

/** One `tskvm-board` subcommand. */
export interface Command {
  readonly name: string;
  /** One line for the overview. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  readonly options: OptionSpec;
  /** Minimum and maximum number of positional arguments. */
  readonly positionals: readonly [number, number];
  run(
    positionals: string[],
    values: Record<string, string | boolean | string[] | boolean[] | undefined>,
    io: CliIo,
  ): Promise<number>;
}

/** Parse argv for a command; unknown options and wrong arity become UsageErrors. */
export function parseCommandArgs(command: Command, argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    // node:util reports e.g. "Unknown option '--foo'"; keep its words, drop its hints about '--'.
    const msg = e instanceof Error ? e.message.split('. ')[0]! : String(e);
    throw new UsageError(msg, command.name);
  }
  if (parsed.values.help) return { help: true as const };
  const [min, max] = command.positionals;
  const n = parsed.positionals.length;
  if (n < min) throw new UsageError(`missing argument${min - n > 1 ? 's' : ''}`, command.name);
  if (n > max) throw new UsageError(`unexpected argument '${parsed.positionals[max]}'`, command.name);
  return { help: false as const, positionals: parsed.positionals, values: parsed.values };
}
