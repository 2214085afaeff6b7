import { escapeBinary, framePacket, runLengthEncode } from './RspPacket.ts';
import { RspPacketReader } from './RspPacketReader.ts';

/** What the connection hands to the command layer. */
export interface RspHandlers {
  /** A well-formed packet (already acknowledged). */
  packet(payload: string): void;
  /** A packet that could not be taken (bad checksum without acks, or too long): answer with an error. */
  malformed(): void;
  /** Ctrl-C. */
  interrupt(): void;
}

/**
 * One debugger connection at the packet level (GDB manual, E.1 and E.11
 * "Packet Acknowledgment"): acknowledges packets with '+' (or asks for a
 * resend with '-' after a bad checksum) until no-ack mode is entered, resends
 * the last reply when gdb answers '-', and frames replies.
 */
export class RspConnection {
  private readonly reader: RspPacketReader;
  private acks = true;
  private lastSent = '';

  constructor(
    private readonly write: (latin1: string) => void,
    private readonly handlers: RspHandlers,
    readonly maxPayload: number,
  ) {
    this.reader = new RspPacketReader((input) => {
      switch (input.kind) {
        case 'packet':
          if (this.acks) this.write('+');
          this.handlers.packet(input.payload);
          return;
        case 'bad-checksum':
          if (this.acks) this.write('-');
          else this.handlers.malformed();
          return;
        case 'overlong':
          if (this.acks) this.write('+');
          this.handlers.malformed();
          return;
        case 'interrupt':
          this.handlers.interrupt();
          return;
        case 'nak':
          if (this.acks && this.lastSent !== '') this.write(this.lastSent);
          return;
        case 'ack':
          return;
      }
    }, maxPayload);
  }

  /** True until QStartNoAckMode was answered. */
  get acknowledging(): boolean {
    return this.acks;
  }

  /** Stop sending and expecting acknowledgements (after the OK to QStartNoAckMode has gone out). */
  stopAcknowledging(): void {
    this.acks = false;
  }

  receive(bytes: Uint8Array): void {
    this.reader.push(bytes);
  }

  /** Send a text reply (run-length encoded). */
  send(payload: string): void {
    this.sendFramed(framePacket(runLengthEncode(payload)));
  }

  /** Send a reply whose tail is binary data (escaped, never run-length encoded): `prefix` + data. */
  sendBinary(prefix: string, data: Uint8Array): void {
    this.sendFramed(framePacket(prefix + escapeBinary(data)));
  }

  private sendFramed(frame: string): void {
    this.lastSent = frame;
    this.write(frame);
  }
}
