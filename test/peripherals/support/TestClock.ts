import type { Clock, ClockEventHandle } from '../../../src/machine/Clock.ts';

interface Pending extends ClockEventHandle {
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** A stepped virtual clock for device tests: time moves only when the test calls advance(). */
export class TestClock implements Clock {
  now = 0;
  private seq = 0;
  private events: Pending[] = [];

  schedule(when: number, callback: () => void): ClockEventHandle {
    if (when < this.now) throw new RangeError(`event scheduled in the past (${when} < ${this.now})`);
    const e: Pending = { when, seq: this.seq++, callback, cancelled: false };
    this.events.push(e);
    return e;
  }

  scheduleIn(delay: number, callback: () => void): ClockEventHandle {
    return this.schedule(this.now + delay, callback);
  }

  cancel(handle: ClockEventHandle): void {
    (handle as Pending).cancelled = true;
  }

  nextDeadline(): number {
    let best = Infinity;
    for (const e of this.events) if (!e.cancelled && e.when < best) best = e.when;
    return best;
  }

  /** Move time forward by `ns`, firing due events in (time, scheduling) order. */
  advance(ns: number): void {
    const target = this.now + ns;
    for (;;) {
      this.events = this.events.filter((e) => !e.cancelled);
      let next: Pending | undefined;
      for (const e of this.events) {
        if (e.when <= target && (next === undefined || e.when < next.when || (e.when === next.when && e.seq < next.seq))) next = e;
      }
      if (next === undefined) break;
      next.cancelled = true;
      this.now = next.when;
      next.callback();
    }
    this.now = target;
  }

  pendingCount(): number {
    return this.events.filter((e) => !e.cancelled).length;
  }
}
