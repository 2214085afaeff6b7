import type { TraceEventFile } from './TraceEventFile.ts';

/** Virtual ns → the format's microseconds, kept to the nanosecond. */
function micros(ns: number): number {
  return Math.round(ns) / 1000;
}

interface PendingInstant {
  readonly name: string;
  ts: number;
  readonly args?: Readonly<Record<string, string | number>>;
}

/** Instants held back on a track before its open slice is written anyway (bounds memory on one long slice). */
const MAX_HELD = 1000;

/**
 * One thread track of the timeline. Slices arrive after they ran (the
 * scheduler reports a slice when it ends) while instants arrive as they
 * happen, during the slice; so the track holds its open slice and the
 * instants inside it, and writes the slice first, then its instants. Each
 * track's events are thus in time order in the file, and back-to-back
 * slices of the same context are merged into one.
 */
export class TimelineTrack {
  private openName: string | null = null;
  private openStart = 0;
  private openEnd = 0;
  private held: PendingInstant[] = [];
  /** How many of `held` belong to the open slice (the rest happened in the slice not reported yet). */
  private heldForOpen = 0;

  constructor(
    private readonly file: TraceEventFile,
    readonly pid: number,
    readonly tid: number,
  ) {}

  /** The context `name` ran on this track from `startNs` to `endNs` (virtual). */
  slice(name: string, startNs: number, endNs: number): void {
    // Instants of this slice happened within it (the clock may have shown a later lane's time).
    for (let i = this.heldForOpen; i < this.held.length; i++) {
      const h = this.held[i];
      h.ts = Math.min(Math.max(h.ts, startNs), endNs);
    }
    if (this.openName === name && Math.abs(startNs - this.openEnd) < 1e-6) {
      this.openEnd = endNs;
    } else {
      this.writeOpen();
      this.openName = name;
      this.openStart = startNs;
      this.openEnd = endNs;
    }
    this.heldForOpen = this.held.length;
    if (this.held.length >= MAX_HELD) this.writeOpen();
  }

  /** Something happened on this track at `ns` (during the slice being run). */
  instant(name: string, ns: number, args?: Readonly<Record<string, string | number>>): void {
    this.held.push({ name, ts: ns, args });
  }

  /** Write everything held (end of the run). */
  finish(): void {
    this.writeOpen();
    this.writeInstants(this.held.length);
  }

  private writeOpen(): void {
    if (this.openName !== null) {
      this.file.write({
        name: this.openName, ph: 'X', pid: this.pid, tid: this.tid,
        ts: micros(this.openStart), dur: (Math.round(this.openEnd) - Math.round(this.openStart)) / 1000,
      });
      // The next slice starts after this one; it continues nothing.
      this.openName = null;
    }
    this.writeInstants(this.heldForOpen);
  }

  private writeInstants(n: number): void {
    for (let i = 0; i < n; i++) {
      const h = this.held[i];
      this.file.write({ name: h.name, ph: 'i', s: 't', pid: this.pid, tid: this.tid, ts: micros(h.ts), ...(h.args ? { args: h.args } : {}) });
    }
    this.held = this.held.slice(n);
    this.heldForOpen -= Math.min(n, this.heldForOpen);
  }
}

/**
 * A track with instants only (interrupt lines changing between slices, when
 * no core runs): written at once, in the order they happen, which is time
 * order since clock events fire in time order.
 */
export class InstantTrack {
  private last = 0;

  constructor(
    private readonly file: TraceEventFile,
    readonly pid: number,
    readonly tid: number,
  ) {}

  instant(name: string, ns: number, args?: Readonly<Record<string, string | number>>): void {
    this.last = Math.max(this.last, ns);
    this.file.write({ name, ph: 'i', s: 't', pid: this.pid, tid: this.tid, ts: micros(this.last), ...(args ? { args } : {}) });
  }
}
