import type { SerialDevice } from './SerialPort.ts';

/**
 * Input for the console UART. Bytes from stdin (or a test) wait here, in
 * order, and are handed to the UART only while it says it can take them
 * (`canReceive()`), so piped input is never dropped however long the guest
 * leaves its receive FIFO full. The machine calls `pump()` at slice
 * boundaries, which are fixed points in virtual time: bytes queued before a
 * run are delivered at the same guest instants on every run.
 */
export class ConsoleQueue {
  private buffer = new Uint8Array(256);
  private head = 0;
  private count = 0;
  private device: SerialDevice | null = null;
  private ended = false;
  private deliveredTotal = 0;

  /** Connect the UART that is the terminal (null to disconnect). */
  attach(device: SerialDevice | null): void {
    this.device = device;
  }

  get attached(): SerialDevice | null {
    return this.device;
  }

  /** Queue input; strings are encoded as UTF-8. */
  push(data: Uint8Array | string | readonly number[]): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    this.reserve(bytes.length);
    const cap = this.buffer.length;
    let tail = (this.head + this.count) % cap;
    for (let i = 0; i < bytes.length; i++) {
      this.buffer[tail] = bytes[i] & 0xff;
      tail = tail + 1 === cap ? 0 : tail + 1;
    }
    this.count += bytes.length;
  }

  /** No more input will come (stdin reached end of file). */
  end(): void {
    this.ended = true;
  }

  /** True until `end()`: more input may still arrive. */
  get open(): boolean {
    return !this.ended;
  }

  /** Bytes waiting for the UART. */
  get pending(): number {
    return this.count;
  }

  /** Bytes handed to the UART so far. */
  get delivered(): number {
    return this.deliveredTotal;
  }

  /** Hand the UART as many waiting bytes as it accepts now; returns how many. */
  pump(): number {
    const device = this.device;
    if (device === null) return 0;
    let n = 0;
    while (this.count > 0 && device.canReceive()) {
      const byte = this.buffer[this.head];
      this.head = this.head + 1 === this.buffer.length ? 0 : this.head + 1;
      this.count--;
      n++;
      device.receive(byte);
    }
    this.deliveredTotal += n;
    return n;
  }

  /** Input still waiting for the UART, and how much was delivered (for snapshots). */
  snapshot(): { pending: Uint8Array; delivered: number } {
    const pending = new Uint8Array(this.count);
    for (let i = 0; i < this.count; i++) pending[i] = this.buffer[(this.head + i) % this.buffer.length];
    return { pending, delivered: this.deliveredTotal };
  }

  /** Replace the waiting input by a snapshot's (whether more input may come is the terminal's business, not saved). */
  restore(s: { pending: Uint8Array; delivered: number }): void {
    this.head = 0;
    this.count = 0;
    this.push(s.pending);
    this.deliveredTotal = s.delivered;
  }

  /** Grow the ring so `extra` more bytes fit, keeping their order. */
  private reserve(extra: number): void {
    const needed = this.count + extra;
    if (needed <= this.buffer.length) return;
    let cap = this.buffer.length * 2;
    while (cap < needed) cap *= 2;
    const next = new Uint8Array(cap);
    for (let i = 0; i < this.count; i++) next[i] = this.buffer[(this.head + i) % this.buffer.length];
    this.buffer = next;
    this.head = 0;
  }
}
