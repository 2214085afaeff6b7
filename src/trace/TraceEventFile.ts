import { closeSync, openSync, writeSync } from 'node:fs';

/** One event of the Trace Event Format (Chrome's "JSON Object Format", which Perfetto imports). */
export interface TraceEvent {
  readonly name: string;
  /** Phase: X complete, i instant, M metadata (B/E are not written by tskvm). */
  readonly ph: 'X' | 'i' | 'M';
  readonly pid: number;
  readonly tid: number;
  /** Microseconds (here of virtual time); absent on metadata events. */
  readonly ts?: number;
  /** Duration in microseconds, X events only. */
  readonly dur?: number;
  /** Scope of an instant event: t = its thread's track. */
  readonly s?: 't';
  readonly cat?: string;
  readonly args?: Readonly<Record<string, string | number>>;
}

/**
 * Writes `{"traceEvents":[ … ], "displayTimeUnit":"ns", …}` to a file as the
 * events come, in blocks of about 64 KiB, so that a long run never holds its
 * trace in memory; `close` ends the array and the object, so the file is
 * valid JSON whichever way the run ended (the CLI closes it in a finally).
 */
export class TraceEventFile {
  private fd: number | undefined;
  private chunks: string[] = [];
  private size = 0;
  private count = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    this.put('{"traceEvents":[\n');
  }

  get eventCount(): number {
    return this.count;
  }

  write(event: TraceEvent): void {
    if (this.fd === undefined) return;
    this.put((this.count === 0 ? '' : ',\n') + JSON.stringify(event));
    this.count++;
  }

  /** End the JSON document; `otherData` is free-form information about the run (board, time base). */
  close(otherData: Readonly<Record<string, string | number>> = {}): void {
    if (this.fd === undefined) return;
    this.put(`\n],\n"displayTimeUnit":"ns",\n"otherData":${JSON.stringify(otherData)}}\n`);
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
  }

  private put(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.fd === undefined || this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }
}
