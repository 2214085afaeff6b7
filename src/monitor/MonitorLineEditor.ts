import type { Monitor } from './Monitor.ts';

export const MONITOR_PROMPT = '(tskvm) ';

/**
 * The monitor's side of a raw terminal: echoes what is typed, handles
 * backspace and Ctrl-U, runs the line on Enter and prints the answer. Line
 * ends stay "\n": Node's raw mode (libuv's UV_TTY_MODE_RAW) keeps the
 * terminal's ONLCR output translation, so the terminal adds the CR itself.
 */
export class MonitorLineEditor {
  private line = '';
  private lastWasCr = false;
  /** 0: plain keys; 1: after ESC; 2: inside a CSI sequence (arrow keys send ESC [ A …). */
  private escapeState = 0;

  constructor(
    private readonly monitor: Monitor,
    private readonly write: (text: string) => void,
  ) {}

  /** Ctrl-A c from the console. */
  enter(): void {
    this.line = '';
    this.write(`\ntskvm monitor: 'help' lists the commands; Ctrl-A c goes back to the console\n${MONITOR_PROMPT}`);
  }

  /** Ctrl-A c from the monitor. */
  leave(): void {
    this.write('\n');
  }

  feed(byte: number): void {
    const afterCr = this.lastWasCr;
    this.lastWasCr = byte === 0x0d;
    if (byte === 0x0a && afterCr) return; // CR LF is one Enter
    if (this.escapeState === 1) {
      this.escapeState = byte === 0x5b ? 2 : 0;
      return;
    }
    if (this.escapeState === 2) {
      // ECMA-48 §5.4: parameter and intermediate bytes are 0x20–0x3f, the final byte 0x40–0x7e.
      if (byte >= 0x40 && byte <= 0x7e) this.escapeState = 0;
      return;
    }
    if (byte === 0x1b) {
      this.escapeState = 1;
      return;
    }
    if (byte === 0x0d || byte === 0x0a) {
      this.write('\n');
      const answer = this.monitor.execute(this.line);
      this.line = '';
      this.write(answer);
      if (!this.monitor.quitting) this.write(MONITOR_PROMPT);
    } else if (byte === 0x7f || byte === 0x08) {
      if (this.line.length > 0) {
        this.line = this.line.slice(0, -1);
        this.write('\b \b');
      }
    } else if (byte === 0x15) {
      this.write('\b \b'.repeat(this.line.length));
      this.line = '';
    } else if (byte >= 0x20 && byte < 0x7f) {
      const ch = String.fromCharCode(byte);
      this.line += ch;
      this.write(ch);
    }
    // Other control bytes (tabs, escape sequences of arrow keys) are ignored rather than put into the command.
  }
}
