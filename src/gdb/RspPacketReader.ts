import { checksum } from './RspPacket.ts';

/** What the byte stream from the debugger carried. */
export type RspInput =
  /** A packet whose checksum matched; `payload` is raw (binary escapes are undone by the command that expects binary data). */
  | { readonly kind: 'packet'; readonly payload: string }
  /** A packet with a wrong or unreadable checksum (to be answered with '-' in ack mode). */
  | { readonly kind: 'bad-checksum' }
  /** A packet longer than the limit, dropped. */
  | { readonly kind: 'overlong' }
  /** Ctrl-C (0x03) between packets: stop the target. */
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak' };

const enum State {
  /** Between packets. */
  Idle,
  /** After '$', collecting the payload. */
  Payload,
  /** After '#', the first checksum digit. */
  Check1,
  /** The second checksum digit. */
  Check2,
}

/**
 * Splits the byte stream from gdb into packets, acknowledgements and
 * interrupts (GDB manual, E.1 "Overview" and E.9 "Interrupts"). Bytes
 * between packets other than '+', '-' and 0x03 are ignored; a '$' inside a
 * packet starts a new packet (what came before it is dropped).
 */
export class RspPacketReader {
  private state = State.Idle;
  private payload: string[] = [];
  private length = 0;
  private tooLong = false;
  private checkHigh = '';

  /** `maxPayload`: longest payload accepted (the PacketSize the stub advertised). */
  constructor(
    private readonly emit: (input: RspInput) => void,
    private readonly maxPayload: number,
  ) {}

  push(bytes: Uint8Array): void {
    for (const b of bytes) this.byte(b);
  }

  private byte(b: number): void {
    switch (this.state) {
      case State.Idle:
        if (b === 0x24) this.start();
        else if (b === 0x03) this.emit({ kind: 'interrupt' });
        else if (b === 0x2b) this.emit({ kind: 'ack' });
        else if (b === 0x2d) this.emit({ kind: 'nak' });
        return;
      case State.Payload:
        if (b === 0x23) this.state = State.Check1;
        else if (b === 0x24) this.start();
        else if (this.length >= this.maxPayload) this.tooLong = true;
        else {
          this.payload.push(String.fromCharCode(b));
          this.length++;
        }
        return;
      case State.Check1:
        this.checkHigh = String.fromCharCode(b);
        this.state = State.Check2;
        return;
      case State.Check2: {
        this.state = State.Idle;
        const digits = this.checkHigh + String.fromCharCode(b);
        const payload = this.payload.join('');
        this.payload = [];
        if (this.tooLong) this.emit({ kind: 'overlong' });
        else if (!/^[0-9a-fA-F]{2}$/.test(digits) || parseInt(digits, 16) !== checksum(payload)) this.emit({ kind: 'bad-checksum' });
        else this.emit({ kind: 'packet', payload });
        return;
      }
    }
  }

  private start(): void {
    this.state = State.Payload;
    this.payload = [];
    this.length = 0;
    this.tooLong = false;
  }
}
