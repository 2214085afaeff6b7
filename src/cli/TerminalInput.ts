import type { ConsoleQueue } from '../machine/ConsoleQueue.ts';
import type { MonitorLineEditor } from '../monitor/MonitorLineEditor.ts';

const CTRL_A = 0x01;

/**
 * Feeds the process's stdin to the console queue.
 * - On a terminal: raw mode; Ctrl-A x quits, Ctrl-A c switches between the
 *   console and the monitor (when there is one), Ctrl-A Ctrl-A sends one
 *   Ctrl-A (the escapes QEMU's -nographic users know).
 * - Piped: every byte is queued (the queue holds them until the UART can take
 *   them, so nothing is lost); end of input closes the queue.
 */
export class TerminalInput {
  private escape = false;
  private waiters: Array<() => void> = [];
  private closed = false;
  private inMonitor = false;
  quitRequested = false;

  constructor(
    private readonly queue: ConsoleQueue,
    private readonly stream: NodeJS.ReadStream = process.stdin,
    private readonly monitor?: MonitorLineEditor,
  ) {}

  /** True while keys go to the monitor rather than the console. */
  get monitorActive(): boolean {
    return this.inMonitor;
  }

  get isTty(): boolean {
    return Boolean(this.stream.isTTY);
  }

  get ended(): boolean {
    return this.closed;
  }

  start(): void {
    if (this.isTty) this.stream.setRawMode(true);
    this.stream.on('data', (chunk: Buffer) => this.onData(chunk));
    this.stream.on('end', () => this.close());
    this.stream.on('error', () => this.close());
    this.stream.resume();
  }

  stop(): void {
    if (this.isTty) this.stream.setRawMode(false);
    this.stream.pause();
    this.stream.removeAllListeners('data');
    this.stream.destroy();
  }

  /** Resolves when more input arrives or input ends (or after `ms` of wall time, if given). */
  waitForInput(ms?: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (ms !== undefined) setTimeout(resolve, ms).unref();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.end();
    this.wake();
  }

  private onData(chunk: Buffer): void {
    if (!this.isTty) {
      this.queue.push(new Uint8Array(chunk));
      this.wake();
      return;
    }
    const out: number[] = [];
    for (const b of chunk) {
      if (this.escape) {
        this.escape = false;
        if (b === 0x78 /* x */ || b === 0x58) {
          this.quitRequested = true;
        } else if ((b === 0x63 /* c */ || b === 0x43) && this.monitor) {
          this.inMonitor = !this.inMonitor;
          if (this.inMonitor) this.monitor.enter();
          else this.monitor.leave();
        } else if (b === CTRL_A) {
          if (this.inMonitor) continue;
          out.push(CTRL_A);
        }
        continue;
      }
      if (b === CTRL_A) this.escape = true;
      else if (this.inMonitor) this.monitor!.feed(b);
      else out.push(b);
    }
    if (out.length) this.queue.push(out);
    this.wake();
  }
}
