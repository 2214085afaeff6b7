import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import { buildMachine, type BuiltMachine } from '../board/MachineBuilder.ts';
import type { Machine, RunResult } from '../machine/Machine.ts';
import { loadMachineSnapshot, saveMachineSnapshot } from '../snapshot/MachineSnapshot.ts';

/** Virtual time run between two looks at the console output. Fixed, so waits are deterministic. */
const SLICE_NS = 1_000_000;

export interface WaitLimits {
  /** Give up after this much more virtual time (ns). Default 60 s. */
  readonly maxTimeNs?: number;
}

/** A wait that did not see what it expected: says what the console showed last and where the cores were. */
export class WaitError extends Error {
  constructor(
    message: string,
    readonly outputTail: string,
  ) {
    super(message);
    this.name = 'WaitError';
  }
}

/**
 * A board under test: build it from a board file, run it until its console
 * shows some text, type into the console, read what it printed. Everything
 * runs in virtual time, so a session is deterministic.
 *
 *   const s = BoardSession.open('boards/virt-arm.xml', { firmware: 'u-boot.bin' });
 *   s.waitFor('=> ');
 *   const prompt = s.snapshot();   // the whole machine, as bytes
 *   s.send('version\r');
 *   s.restore(prompt);             // back at the prompt, as if version was never typed
 */
export class BoardSession {
  private text = '';
  private consumed = 0;
  private finished: RunResult | undefined;
  /** Set when the last slice found every core idle with nothing scheduled; cleared by input. */
  private idle: RunResult | undefined;

  private outputAt = 0;

  private constructor(readonly built: BuiltMachine) {
    built.consoleDevice?.attachBackend({
      transmit: (b) => {
        this.text += String.fromCharCode(b);
        this.outputAt = this.instructions;
      },
    });
  }

  /** Instructions retired when the console printed its latest character (as QEMU's oracle counts them). */
  get instructionsAtLastOutput(): number {
    return this.outputAt;
  }

  /** `jit: false` runs the cores' interpreters only (as `run --no-jit`); undefined: the core model's default. */
  static open(boardFile: string, options: { firmware?: string; jit?: boolean } = {}): BoardSession {
    const { board, diagnostics } = loadBoard(boardFile);
    if (!board) throw new InputError(diagnostics);
    const built = buildMachine(board, { firmwarePath: options.firmware, jit: options.jit });
    if (!built.coreModel) throw new InputError([{ severity: 'error', message: `cannot run ${boardFile}: ${built.noCore}` }]);
    return new BoardSession(built);
  }

  get machine(): Machine {
    return this.built.machine;
  }

  /** Everything the console printed so far. */
  get output(): string {
    return this.text;
  }

  /** Instructions retired by all cores. */
  get instructions(): number {
    return this.built.cpus.reduce((s, c) => s + c.retired, 0);
  }

  /** Why the machine stopped for good, once it has (power-off, guest error). */
  get result(): RunResult | undefined {
    return this.finished;
  }

  /** Queue text for the console UART; it is fed as the UART can take it. */
  send(text: string): void {
    this.machine.console.push(text);
    this.idle = undefined;
  }

  /**
   * Run until the console shows `pattern` in output printed since the last
   * wait; returns that output up to and including the match.
   */
  waitFor(pattern: string | RegExp, limits: WaitLimits = {}): string {
    const deadline = this.machine.clock.now + (limits.maxTimeNs ?? 60e9);
    for (;;) {
      const fresh = this.text.slice(this.consumed);
      const m = typeof pattern === 'string' ? indexMatch(fresh, pattern) : regexMatch(fresh, pattern);
      if (m !== undefined) {
        this.consumed += m;
        return fresh.slice(0, m);
      }
      if (this.finished) throw this.failure(`the board stopped (${this.finished.kind}) before the console showed ${String(pattern)}`);
      if (this.idle) throw this.failure(`the board went idle with nothing scheduled before the console showed ${String(pattern)}`);
      if (this.machine.clock.now >= deadline) throw this.failure(`the console did not show ${String(pattern)} within the time limit`);
      this.step(Math.min(SLICE_NS, deadline - this.machine.clock.now));
    }
  }

  /**
   * The whole machine (cores, memory, devices, guests, virtual time) and this
   * session's console text, as the bytes of a snapshot file (what `run
   * --snapshot-at` writes). Take it between waits; `restore` brings it back.
   */
  snapshot(): Uint8Array {
    return saveMachineSnapshot(this.built, { 'session.text': this.text, 'session.consumed': this.consumed, 'session.outputAt': this.outputAt });
  }

  /**
   * Go back to a snapshot taken of this board (by this session, another one,
   * or `run --snapshot-at`): the machine continues exactly as it did from
   * there, and the console text is what it was then. A snapshot of another
   * board, or a corrupt one, throws a SnapshotError saying so.
   */
  restore(bytes: Uint8Array): void {
    const extras = loadMachineSnapshot(this.built, bytes, 'the snapshot');
    const text = extras['session.text'];
    this.text = typeof text === 'string' ? text : '';
    const consumed = extras['session.consumed'];
    this.consumed = typeof consumed === 'number' ? consumed : this.text.length;
    const at = extras['session.outputAt'];
    this.outputAt = typeof at === 'number' ? at : 0;
    this.finished = undefined;
    this.idle = undefined;
  }

  /** Run until the machine stops for good (power-off…) or the time limit; returns why. */
  runToEnd(limits: WaitLimits = {}): RunResult {
    const deadline = this.machine.clock.now + (limits.maxTimeNs ?? 60e9);
    while (!this.finished && !this.idle && this.machine.clock.now < deadline) this.step(Math.min(SLICE_NS * 100, deadline - this.machine.clock.now));
    return this.finished ?? this.idle ?? { kind: 'limit', message: 'time limit of the wait reached' };
  }

  /** Run up to `ns` more, ending at the next multiple of SLICE_NS (so a session restored from a snapshot slices time as the saved one did). */
  private step(ns: number): void {
    const now = this.machine.clock.now;
    const r = this.machine.run({ maxTimeNs: Math.min(ns, (Math.floor(now / SLICE_NS) + 1) * SLICE_NS - now) });
    if (r.kind === 'deadlock') this.idle = r;
    else if (r.kind !== 'limit') this.finished = r;
  }

  private failure(message: string): WaitError {
    const tail = this.text.slice(-600);
    const where = this.built.cpus.map((c) => `${c.name} pc=0x${c.getPc().toString(16)}`).join(', ');
    return new WaitError(`${message}; cores: ${where}; last console output:\n${tail}`, tail);
  }
}

function indexMatch(text: string, needle: string): number | undefined {
  const i = text.indexOf(needle);
  return i < 0 ? undefined : i + needle.length;
}

function regexMatch(text: string, re: RegExp): number | undefined {
  const m = new RegExp(re.source, re.flags.replace('g', '')).exec(text);
  return m ? m.index + m[0].length : undefined;
}
