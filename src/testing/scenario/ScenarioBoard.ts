import type { BoardSession } from '../BoardSession.ts';
import type { RunResult } from '../../machine/Machine.ts';

/**
 * Virtual time run between two looks at the console output. Fixed, so the instant a wait
 * ends (and so the time later input arrives) is the same on every run.
 */
const SLICE_NS = 1_000_000;

/** Why a wait ended without seeing what it waited for. */
export type WaitOutcome =
  | { readonly kind: 'seen' }
  | { readonly kind: 'timeout' }
  /** The board powered off or failed for good. */
  | { readonly kind: 'stopped'; readonly result: RunResult }
  /** Every core idle and nothing scheduled: nothing happens until console input arrives. */
  | { readonly kind: 'idle'; readonly message: string };

/**
 * Drives a BoardSession for a scenario: waits in virtual time for console text or for the
 * board to stop. Unlike BoardSession.waitFor it ends a wait when the machine reports that
 * nothing can happen any more (every core idle, no clock event), which would otherwise
 * be waited on forever since virtual time does not move then.
 */
export class ScenarioBoard {
  private stopResult: RunResult | undefined;
  /** How much of the console output earlier expects have consumed. */
  private consumed = 0;

  constructor(readonly session: BoardSession) {}

  /** Virtual time now (ns since power-on). */
  get now(): number {
    return this.session.machine.clock.now;
  }

  get output(): string {
    return this.session.output;
  }

  /** Why the board stopped for good, once it has. */
  get stopped(): RunResult | undefined {
    return this.stopResult;
  }

  /** Console output after what earlier expects matched. */
  get unconsumed(): string {
    return this.session.output.slice(this.consumed);
  }

  /**
   * Run until `match` finds its text in the output not yet consumed, or `withinNs` of
   * virtual time passed. `match` returns the end of its match in the text it is given;
   * output up to there is consumed.
   */
  waitFor(match: (text: string) => number | undefined, withinNs: number): WaitOutcome {
    const deadline = this.now + withinNs;
    for (;;) {
      const end = match(this.unconsumed);
      if (end !== undefined) {
        this.consumed += end;
        return { kind: 'seen' };
      }
      if (this.stopResult) return { kind: 'stopped', result: this.stopResult };
      if (this.now >= deadline) return { kind: 'timeout' };
      const idle = this.advance(Math.min(SLICE_NS, deadline - this.now));
      if (idle === undefined) continue;
      // The board went idle, maybe right after printing what we wait for.
      const last = match(this.unconsumed);
      if (last === undefined) return { kind: 'idle', message: idle };
      this.consumed += last;
      return { kind: 'seen' };
    }
  }

  /** Run until the board stops for good or `withinNs` of virtual time passed. */
  waitForStop(withinNs: number): WaitOutcome {
    const deadline = this.now + withinNs;
    while (!this.stopResult && this.now < deadline) {
      const idle = this.advance(Math.min(SLICE_NS * 100, deadline - this.now));
      if (idle !== undefined) return { kind: 'idle', message: idle };
    }
    return this.stopResult ? { kind: 'stopped', result: this.stopResult } : { kind: 'timeout' };
  }

  /**
   * Let `ns` of virtual time pass (less when the board stops, or goes idle with nothing
   * scheduled: then time stands still until input comes). Returns the idle message then.
   */
  runFor(ns: number): string | undefined {
    const deadline = this.now + ns;
    while (!this.stopResult && this.now < deadline) {
      const idle = this.advance(Math.min(SLICE_NS * 100, deadline - this.now));
      if (idle !== undefined) return idle;
    }
    return undefined;
  }

  /** Save the machine under `name` (in memory, for this scenario only). */
  saveSnapshot(name: string): void {
    this.snapshots.set(name, { bytes: this.session.snapshot(), consumed: this.consumed, stopResult: this.stopResult });
  }

  /** Go back to the snapshot saved under `name`: machine, console output and what expects consumed of it. */
  restoreSnapshot(name: string): boolean {
    const saved = this.snapshots.get(name);
    if (saved === undefined) return false;
    this.session.restore(saved.bytes);
    this.consumed = saved.consumed;
    this.stopResult = saved.stopResult;
    return true;
  }

  private readonly snapshots = new Map<string, { bytes: Uint8Array; consumed: number; stopResult: RunResult | undefined }>();

  send(bytes: Uint8Array): void {
    this.session.machine.console.push(bytes);
  }

  /** One run of the machine; the deadlock message when nothing can happen without input. */
  private advance(ns: number): string | undefined {
    // Slices end at multiples of SLICE_NS, so a scenario that restores a snapshot slices time as the saved run did.
    const now = this.now;
    const r = this.session.machine.run({ maxTimeNs: Math.min(ns, (Math.floor(now / SLICE_NS) + 1) * SLICE_NS - now) });
    if (r.kind === 'limit') return undefined;
    if (r.kind === 'deadlock') return r.message;
    this.stopResult = r;
    return undefined;
  }
}
