import type { SerialBackend } from '../machine/SerialPort.ts';

/**
 * The console UART's transmit side: bytes collect in a buffer that is
 * written to stdout between run chunks, not one write per byte.
 */
export class ConsoleOutput implements SerialBackend {
  private buffer = new Uint8Array(4096);
  private length = 0;
  /** Every byte ever transmitted, kept only when asked (tests, --expect). */
  private lastByte = -1;

  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  transmit(byte: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Uint8Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = byte;
    this.lastByte = byte;
  }

  /** True when the console's last output byte ended a line (or nothing was written). */
  get atLineStart(): boolean {
    return this.lastByte === -1 || this.lastByte === 0x0a;
  }

  flush(): void {
    if (this.length === 0) return;
    this.sink(this.buffer.slice(0, this.length));
    this.length = 0;
  }
}
