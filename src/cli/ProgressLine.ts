/** What the status line shows: totals since the run started. */
export interface ProgressSample {
  readonly instructions: number;
  readonly virtualNs: number;
}

export interface ProgressLineOptions {
  /** Wall-clock ms before the line first appears (short runs never show it). Default 1000. */
  readonly delayMs?: number;
  /** Wall-clock ms between redraws. Default 250. */
  readonly intervalMs?: number;
  /** The wall clock, in ms (default performance.now; tests give their own). */
  readonly now?: () => number;
  /** Terminal width; the line is cut to fit (a wrapped line could not be redrawn in place). */
  readonly columns?: number;
}

/** Carriage return, then "erase in line" (ECMA-48 EL, CSI K): the cursor's line is blank again. */
const ERASE = '\r\x1b[K';

/**
 * The status line of a long run on a terminal's stderr: instructions,
 * virtual time and MIPS, redrawn in place a few times a second. The CLI's
 * run loop calls `tick` between pieces of machine time; the wall clock is
 * read here, in the CLI, never in the simulation (which it only samples),
 * so the run itself is the same with or without the line. It stays off the
 * console's lines: it is drawn only while the console's output sits at the
 * start of a line, erased before the console writes, and erased for good by
 * `stop`.
 */
export class ProgressLine {
  private nextDraw = Infinity;
  private drawn = false;
  private startedAt = 0;
  private last: { wall: number; instructions: number } | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly sample: () => ProgressSample,
    /** False while the line would land in the middle of console output. */
    private readonly mayDraw: () => boolean,
    private readonly options: ProgressLineOptions = {},
  ) {}

  start(): void {
    this.startedAt = this.wall();
    this.nextDraw = this.startedAt + (this.options.delayMs ?? 1000);
  }

  /** Redraw when it is time to (cheap otherwise: one look at the wall clock). */
  tick(): void {
    const wall = this.wall();
    if (wall < this.nextDraw) return;
    this.nextDraw = wall + (this.options.intervalMs ?? 250);
    this.redraw(wall);
  }

  /** Erase the line (before other output goes to the terminal); it comes back at the next redraw. */
  clear(): void {
    if (!this.drawn) return;
    this.write(ERASE);
    this.drawn = false;
  }

  stop(): void {
    this.nextDraw = Infinity;
    this.clear();
  }

  /** The text of the line: the totals of `sample`, and the MIPS of the last interval. */
  static format(sample: ProgressSample, mips: number): string {
    return `[tskvm-board] ${sample.instructions} instructions, ${formatVirtual(sample.virtualNs)} virtual, ${mips.toFixed(1)} MIPS`;
  }

  private wall(): number {
    return this.options.now?.() ?? performance.now();
  }

  private redraw(wall: number): void {
    const s = this.sample();
    // MIPS over the last interval: what the run does now, not its average since start.
    const prev = this.last ?? { wall: this.startedAt, instructions: 0 };
    const mips = (s.instructions - prev.instructions) / Math.max(wall - prev.wall, 1) / 1000;
    this.last = { wall, instructions: s.instructions };
    if (!this.mayDraw()) return;
    let text = ProgressLine.format(s, mips);
    const columns = this.options.columns;
    if (columns !== undefined && columns > 1 && text.length > columns - 1) text = text.slice(0, columns - 1);
    this.write(ERASE + text);
    this.drawn = true;
  }
}

function formatVirtual(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${(ns / 1e3).toFixed(3)} us`;
}
