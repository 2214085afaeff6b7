import type { Clock, ClockEventHandle } from './Clock.ts';

/** A scheduled callback. `heapIndex` is -1 once it fired or was cancelled. */
class ClockEvent implements ClockEventHandle {
  heapIndex = -1;

  constructor(
    readonly when: number,
    /** Scheduling order, so events at the same time fire first-scheduled first (changed only by `reorder`). */
    public seq: number,
    readonly callback: () => void,
    readonly name: string,
  ) {}
}

/** The clock's part of a machine snapshot. */
export interface ClockSnapshot {
  readonly now: number;
  readonly seq: number;
  readonly events: ReadonlyArray<{ readonly when: number; readonly seq: number; readonly name: string }>;
}

/** Anything whose retired-instruction count tells how far it ran (a Cpu). */
export interface InstructionCounter {
  readonly retired: number;
}

function before(a: ClockEvent, b: ClockEvent): boolean {
  return a.when < b.when || (a.when === b.when && a.seq < b.seq);
}

/**
 * The machine's virtual time: nanoseconds since power-on, and a binary heap
 * of pending events ordered by (time, scheduling order).
 *
 * While a core runs a slice, the scheduler tells the clock which core and
 * where its slice started, so `now` read by a device during the slice is the
 * time that core has reached (slice start + retired instructions × ns per
 * instruction). `now` never goes backwards: with several cores taking turns
 * over the same window, a core that starts behind sees the time the previous
 * one reached.
 */
export class VirtualClock implements Clock {
  private current = 0;
  private seq = 0;
  private readonly heap: ClockEvent[] = [];

  private runner: InstructionCounter | null = null;
  private runStartNs = 0;
  private runStartRetired = 0;
  private runNsPerInstruction = 0;
  /** End of the slice being run; an event scheduled before it calls `onEarlyDeadline`. */
  private horizon = -Infinity;
  private earlyDeadline: (() => void) | null = null;

  get now(): number {
    const r = this.runner;
    if (r !== null) {
      const t = this.runStartNs + (r.retired - this.runStartRetired) * this.runNsPerInstruction;
      if (t > this.current) this.current = t;
    }
    return this.current;
  }

  schedule(when: number, callback: () => void, name = 'event'): ClockEventHandle {
    if (Number.isNaN(when)) throw new RangeError(`cannot schedule "${name}" at NaN ns`);
    const now = this.now;
    // A deadline computed a hair in the past (rounding) fires now rather than never.
    const at = when < now ? now : when;
    const ev = new ClockEvent(at, this.seq++, callback, name);
    this.push(ev);
    if (at < this.horizon) {
      this.horizon = at;
      if (this.earlyDeadline !== null) this.earlyDeadline();
    }
    return ev;
  }

  scheduleIn(delay: number, callback: () => void, name?: string): ClockEventHandle {
    return this.schedule(this.now + delay, callback, name);
  }

  cancel(handle: ClockEventHandle): void {
    const ev = handle as ClockEvent;
    if (ev.heapIndex < 0 || this.heap[ev.heapIndex] !== ev) return;
    this.removeAt(ev.heapIndex);
  }

  /** True while `handle` is scheduled and has not fired. */
  isPending(handle: ClockEventHandle): boolean {
    const ev = handle as ClockEvent;
    return ev.heapIndex >= 0 && this.heap[ev.heapIndex] === ev;
  }

  nextDeadline(): number {
    return this.heap.length > 0 ? this.heap[0].when : Infinity;
  }

  /** Number of pending events. */
  get pendingCount(): number {
    return this.heap.length;
  }

  /** Names and times of pending events, earliest first (for debug dumps and deadlock reports). */
  pendingEvents(): Array<{ when: number; name: string }> {
    return [...this.heap].sort((a, b) => (before(a, b) ? -1 : 1)).map((e) => ({ when: e.when, name: e.name }));
  }

  /**
   * Move time forward to `t`, firing every event due at or before it in
   * (time, scheduling order). Callbacks may schedule more events, including
   * at the current time; those fire in this same call when due. Time never
   * moves backwards: an earlier `t` only fires events already due.
   */
  advanceTo(t: number): void {
    const heap = this.heap;
    while (heap.length > 0 && heap[0].when <= t) {
      const ev = heap[0];
      this.removeAt(0);
      if (ev.when > this.current) this.current = ev.when;
      ev.callback();
    }
    if (t > this.current) this.current = t;
  }

  /** Drop every pending event (machine reset: devices re-arm their timers in reset()). */
  clear(): void {
    for (const ev of this.heap) ev.heapIndex = -1;
    this.heap.length = 0;
  }

  /**
   * Scheduler hook: `counter` (a core) starts a slice at `startNs`, taking
   * `nsPerInstruction` per retired instruction, planned to end at `horizon`.
   * `onEarly` is called when an event is scheduled before the horizon.
   */
  beginRun(counter: InstructionCounter, startNs: number, nsPerInstruction: number, horizon: number, onEarly: () => void): void {
    this.runner = counter;
    this.runStartNs = startNs;
    this.runStartRetired = counter.retired;
    this.runNsPerInstruction = nsPerInstruction;
    this.horizon = horizon;
    this.earlyDeadline = onEarly;
  }

  /** Scheduler hook: the slice is over; `now` stays at the time the core reached. */
  endRun(): void {
    void this.now;
    this.runner = null;
    this.horizon = -Infinity;
    this.earlyDeadline = null;
  }

  // ---- snapshots ------------------------------------------------------------

  /** Time, scheduling counter and pending events (their callbacks cannot be saved: their owners re-create them). */
  snapshot(): ClockSnapshot {
    if (this.runner !== null) throw new Error('cannot snapshot the clock while a core runs');
    return {
      now: this.current,
      seq: this.seq,
      events: [...this.heap].sort((a, b) => (before(a, b) ? -1 : 1)).map((e) => ({ when: e.when, seq: e.seq, name: e.name })),
    };
  }

  /**
   * Restore time first, before devices and cores re-arm their events: drops
   * every pending event and sets `now` (which may go backwards here, and only
   * here).
   */
  restoreTime(s: ClockSnapshot): void {
    this.clear();
    this.current = s.now;
    this.seq = s.seq;
  }

  /**
   * After the owners re-created their events: give each the scheduling order
   * it had in the snapshot, so events due at the same time fire in the same
   * order as in the run that was saved. Returns what does not match (events
   * missing, or not in the snapshot), empty when the restore is complete.
   */
  reorder(s: ClockSnapshot): string[] {
    const problems: string[] = [];
    const unmatched = [...this.heap].sort((a, b) => (before(a, b) ? -1 : 1));
    const events: ClockEvent[] = [];
    for (const saved of s.events) {
      const i = unmatched.findIndex((e) => e.when === saved.when && e.name === saved.name);
      if (i < 0) {
        problems.push(`event "${saved.name}" at ${saved.when} ns was not re-created`);
        continue;
      }
      const ev = unmatched.splice(i, 1)[0]!;
      events.push(ev);
      ev.seq = saved.seq;
    }
    for (const e of unmatched) problems.push(`event "${e.name}" at ${e.when} ns is not in the snapshot`);
    // Rebuild the heap under the new order.
    const all = [...this.heap];
    for (const e of all) e.heapIndex = -1;
    this.heap.length = 0;
    for (const e of all) this.push(e);
    this.seq = s.seq;
    return problems;
  }

  // ---- binary heap ------------------------------------------------------------

  private push(ev: ClockEvent): void {
    ev.heapIndex = this.heap.length;
    this.heap.push(ev);
    this.siftUp(ev.heapIndex);
  }

  private removeAt(i: number): void {
    const heap = this.heap;
    const removed = heap[i];
    removed.heapIndex = -1;
    const last = heap.pop() as ClockEvent;
    if (i < heap.length) {
      heap[i] = last;
      last.heapIndex = i;
      this.siftDown(i);
      this.siftUp(last.heapIndex);
    }
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const ev = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(ev, heap[parent])) break;
      heap[i] = heap[parent];
      heap[i].heapIndex = i;
      i = parent;
    }
    heap[i] = ev;
    ev.heapIndex = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const ev = heap[i];
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], ev)) break;
      heap[i] = heap[child];
      heap[i].heapIndex = i;
      i = child;
    }
    heap[i] = ev;
    ev.heapIndex = i;
  }
}
