import { connect, createServer, type Socket } from 'node:net';

/**
 * A debugger for tests: speaks the GDB remote protocol over TCP as gdb does
 * (frames packets, acknowledges replies until no-ack mode, undoes run-length
 * encoding), written from the manual independently of the stub's code.
 */
export class RspTestClient {
  private buffer = '';
  private readonly packets: string[] = [];
  private waiter: (() => void) | null = null;
  private acks = true;
  private closed = false;
  /** '+' and '-' received from the stub. */
  readonly acknowledgements: string[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.buffer += data.toString('latin1');
      this.parse();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
  }

  static connect(port: number): Promise<RspTestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(new RspTestClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Connect, retrying while the stub is not listening yet. */
  static async connectWhenReady(port: number, timeoutMs = 20_000): Promise<RspTestClient> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await RspTestClient.connect(port);
      } catch (e) {
        if (Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Frame and send a packet. */
  send(payload: string): void {
    let sum = 0;
    for (const ch of payload) sum = (sum + ch.charCodeAt(0)) % 256;
    this.sendRaw(`$${payload}#${sum.toString(16).padStart(2, '0')}`);
  }

  sendRaw(text: string): void {
    this.socket.write(Buffer.from(text, 'latin1'));
  }

  /** Send a packet and wait for the reply packet. */
  async request(payload: string, timeoutMs = 10_000): Promise<string> {
    this.send(payload);
    return this.next(timeoutMs);
  }

  /** QStartNoAckMode, then stop acknowledging. */
  async noAckMode(): Promise<string> {
    const reply = await this.request('QStartNoAckMode');
    this.acks = false;
    return reply;
  }

  /** The next packet from the stub (run-length encoding undone). */
  async next(timeoutMs = 10_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    while (this.packets.length === 0) {
      if (this.closed) throw new Error('the stub closed the connection');
      const left = until - Date.now();
      if (left <= 0) throw new Error(`no packet from the stub within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.packets.shift()!;
  }

  /** True when a packet arrives within `ms` (for "no reply" checks). */
  async hasPacketWithin(ms: number): Promise<boolean> {
    try {
      this.packets.unshift(await this.next(ms));
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.socket.destroy();
  }

  /** Resolves when the stub closed the connection. */
  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  private parse(): void {
    for (;;) {
      const b = this.buffer;
      if (b.length === 0) return;
      if (b[0] === '+' || b[0] === '-') {
        this.acknowledgements.push(b[0]);
        this.buffer = b.slice(1);
        continue;
      }
      if (b[0] !== '$') {
        this.buffer = b.slice(1);
        continue;
      }
      const hash = b.indexOf('#');
      if (hash < 0 || b.length < hash + 3) return;
      const body = b.slice(1, hash);
      let sum = 0;
      for (const ch of body) sum = (sum + ch.charCodeAt(0)) % 256;
      if (parseInt(b.slice(hash + 1, hash + 3), 16) !== sum) throw new Error(`bad checksum from the stub: ${b.slice(0, hash + 3)}`);
      this.buffer = b.slice(hash + 3);
      if (this.acks) this.sendRaw('+');
      this.packets.push(expandRuns(body));
      this.waiter?.();
    }
  }
}

/** Run-length decoding (manual: a '*' then a count character N means N - 29 more copies of the previous character). */
function expandRuns(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '*' && i + 1 < text.length) {
      out += out[out.length - 1]!.repeat(text.charCodeAt(++i) - 29);
    } else out += text[i];
  }
  return out;
}

/** A TCP port free on 127.0.0.1 right now (the system picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Little-endian 32-bit register from 8 hex digits. */
export function registerValue(hex: string): number {
  return Number.parseInt(hex.match(/../g)!.reverse().join(''), 16);
}

/** 8 hex digits of a little-endian 32-bit value. */
export function registerHex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0').match(/../g)!.reverse().join('');
}
