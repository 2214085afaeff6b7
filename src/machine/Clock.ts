/**
 * Virtual time. Nanoseconds since power-on as a plain number (exact up to
 * 2**53 ns ≈ 104 days of simulated time). Nothing reads the wall clock unless
 * the user asks for real time.
 */
export interface ClockEventHandle {
  /** Absolute time (ns) the event fires at. */
  readonly when: number;
}

export interface Clock {
  /** Current virtual time in ns. */
  readonly now: number;
  /**
   * Schedule `callback` at absolute time `when` (>= now). Events at the same
   * time fire in the order they were scheduled, so runs are deterministic.
   */
  schedule(when: number, callback: () => void, name?: string): ClockEventHandle;
  /** Schedule `callback` after `delay` ns. */
  scheduleIn(delay: number, callback: () => void, name?: string): ClockEventHandle;
  /** Cancel a scheduled event; cancelling twice or after it fired is harmless. */
  cancel(handle: ClockEventHandle): void;
  /** Time of the earliest pending event, or Infinity. */
  nextDeadline(): number;
}
