import { closeSync, openSync, writeSync } from 'node:fs';
import { InputError } from '../../dts/model/SourcePos.ts';
import { TRACE_KINDS, type TraceKind } from '../machine/Trace.ts';
import type { CliIo } from './Command.ts';
import { UsageError } from './UsageError.ts';
import type { BuiltMachine } from '../board/MachineBuilder.ts';
import { MachineTrace } from '../trace/MachineTrace.ts';
import { TraceEventFile } from '../trace/TraceEventFile.ts';

/** `--trace insn,mem,…[:FILE]` → the kinds and the file (undefined = stderr). */
export function parseTraceOption(text: string): { kinds: Set<TraceKind>; file?: string } {
  const colon = text.indexOf(':');
  const list = colon < 0 ? text : text.slice(0, colon);
  const file = colon < 0 ? undefined : text.slice(colon + 1);
  if (file === '') throw new UsageError('--trace: a file name must follow the colon', 'run');
  const kinds = new Set<TraceKind>();
  for (const k of list.split(',')) {
    if (!(TRACE_KINDS as readonly string[]).includes(k)) {
      throw new UsageError(`--trace: unknown kind '${k}' (kinds: ${TRACE_KINDS.join(', ')})`, 'run');
    }
    kinds.add(k as TraceKind);
  }
  return { kinds, file };
}

/** Trace lines go to a file (buffered, written in blocks) or to stderr. */
export class TraceFile {
  private fd: number | undefined;
  private buffer: string[] = [];
  private size = 0;

  constructor(
    private readonly path: string | undefined,
    private readonly io: CliIo,
  ) {
    if (path !== undefined) {
      try {
        this.fd = openSync(path, 'w');
      } catch (e) {
        throw new InputError([{ severity: 'error', message: `--trace: cannot write ${path}: ${(e as Error).message}` }]);
      }
    }
  }

  line(text: string): void {
    this.buffer.push(text);
    this.size += text.length + 1;
    if (this.size > 1 << 16) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.size = 0;
    if (this.fd !== undefined) writeSync(this.fd, chunk);
    else this.io.stderr(chunk);
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The traces of one run (`--trace`, `--trace-out`): close them however the run ends. */
export interface RunTraces {
  close(): void;
}

/**
 * Attach what `--trace KINDS[:FILE]` and `--trace-out FILE.json` ask for to a
 * built machine; undefined when neither was given (then nothing is attached).
 */
export function openTraces(traceText: string | undefined, traceOut: string | undefined, built: BuiltMachine, io: CliIo): RunTraces | undefined {
  const trace = traceText !== undefined ? parseTraceOption(traceText) : undefined;
  if (traceOut !== undefined && traceOut === '') throw new UsageError('--trace-out: a file name is required', 'run');
  if (trace === undefined && traceOut === undefined) return undefined;
  const textFile = trace ? new TraceFile(trace.file, io) : undefined;
  let timeline: TraceEventFile | undefined;
  if (traceOut !== undefined) {
    try {
      timeline = new TraceEventFile(traceOut);
    } catch (e) {
      textFile?.close();
      throw new InputError([{ severity: 'error', message: `--trace-out: cannot write ${traceOut}: ${(e as Error).message}` }]);
    }
  }
  const machineTrace = new MachineTrace(built, {
    kinds: trace?.kinds ?? new Set(),
    sink: textFile ? (line) => textFile.line(line) : undefined,
    timeline,
  });
  return {
    close() {
      machineTrace.close();
      textFile?.close();
    },
  };
}
