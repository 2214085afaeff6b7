import { StopReason, type Cpu } from './Cpu.ts';
import type { VirtualClock } from './VirtualClock.ts';

/**
 * Values of the shared stop cell (`Scheduler.stopFlag[0]`). Cores poll it in
 * their run loop (once per block or every few instructions) and return
 * `StopReason.MachineStop` as soon as it is non-zero.
 */
export const StopFlag = {
  /** Keep running. */
  None: 0,
  /** The machine was asked to stop (power-off, reset, guest error, user quit). */
  Stop: 1,
  /** An event was scheduled before the end of the current slice: return so it can fire on time. */
  Kick: 2,
} as const;

export interface CpuScheduleOptions {
  /** Instructions per second (default 1e9: one instruction per ns). */
  readonly frequencyHz?: number;
  /**
   * Multiplier of the time-slice this context gets when it shares its lane
   * with others (vCPUs on one physical core; nice levels map onto it). Default 1.
   */
  readonly weight?: number;
  /**
   * Physical core this context runs on. Contexts on different lanes run in
   * parallel (each covers the same stretch of virtual time); contexts on the
   * same lane take turns. Default: a lane of its own.
   */
  readonly lane?: number;
}

export type SchedulerExit =
  | { readonly kind: 'stop' }
  | { readonly kind: 'limit'; readonly message: string }
  | { readonly kind: 'deadlock'; readonly message: string }
  | { readonly kind: 'breakpoint'; readonly cpu: Cpu };

/** The scheduler's part of a machine snapshot. */
export interface SchedulerSnapshot {
  readonly lanes: ReadonlyArray<{ readonly id: number; readonly current: number; readonly turnLeft: number; readonly time: number; readonly asleep: boolean }>;
  readonly weights: readonly number[];
  readonly windowEnd: number;
  readonly resumeLane: number;
  readonly quantum: number;
}

export interface SchedulerLimits {
  /** Stop after this many instructions (summed over all cores) in this call. */
  readonly maxInstructions?: number;
  /** Stop when virtual time reaches this absolute time (ns). */
  readonly untilNs?: number;
}

class Context {
  nsPerInstruction: number;
  instructionsPerNs: number;

  constructor(readonly cpu: Cpu, frequencyHz: number, public weight: number, readonly lane: Lane) {
    this.nsPerInstruction = 1e9 / frequencyHz;
    this.instructionsPerNs = frequencyHz / 1e9;
  }

  get runnable(): boolean {
    return !this.cpu.poweredOff && !this.cpu.idle;
  }
}

class Lane {
  readonly contexts: Context[] = [];
  /** Index in `contexts` of the context whose turn it is. */
  current = 0;
  /** Virtual ns left in the current context's turn. */
  turnLeft = 0;
  /** Virtual time this lane has executed up to. */
  time = 0;
  /** No context could run when the current window started. */
  asleep = false;

  constructor(readonly id: number) {}

  get hasRunnable(): boolean {
    for (const ctx of this.contexts) if (ctx.runnable) return true;
    return false;
  }
}

function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(6)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(3)} µs`;
  return `${ns} ns`;
}

function checkPositive(what: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${what} must be a positive finite number, got ${String(value)}`);
}

/**
 * Runs cores in slices of virtual time. Each round ("window") goes from the
 * current time to the earliest of: the clock's next event, `quantumNs` later,
 * the time limit. Every lane, in lane order, runs its contexts until it has
 * covered the window (a context's budget is the window's remaining ns times
 * its frequency); then the clock advances to the window's end and due events
 * fire. The order is fixed, so runs are deterministic. When no core can run
 * (all idle in WFI/HLT or powered off) the clock jumps straight to the next
 * event.
 */
export class Scheduler {
  /** Shared stop cell; see StopFlag. Hand it to every core. */
  readonly stopFlag = new Int32Array(1);
  /** Called at every window boundary (console input, host-side polling). */
  onBoundary: (() => void) | null = null;
  /** Instructions executed by the last `run` call. */
  instructionsRun = 0;
  /**
   * Told after every slice a context ran on a lane (a timeline trace): the
   * context, its lane, and the virtual time the slice covered. null when
   * nobody records; looked at once per slice, never per instruction.
   */
  onSlice: ((cpu: Cpu, lane: number, startNs: number, endNs: number) => void) | null = null;

  private readonly lanes: Lane[] = [];
  private readonly contexts = new Map<Cpu, Context>();
  private nextLaneId = 0;
  private running: Cpu | null = null;
  private quantum: number;
  private readonly kick = (): void => {
    if (this.stopFlag[0] === StopFlag.None) this.stopFlag[0] = StopFlag.Kick;
  };

  constructor(private readonly clock: VirtualClock, options: { quantumNs?: number } = {}) {
    this.quantum = options.quantumNs ?? 10_000;
    checkPositive('quantum', this.quantum);
  }

  /** Longest window in virtual ns (default 10 µs = 10 000 instructions at 1 GHz). */
  get quantumNs(): number {
    return this.quantum;
  }

  set quantumNs(ns: number) {
    checkPositive('quantum', ns);
    this.quantum = ns;
  }

  add(cpu: Cpu, options: CpuScheduleOptions = {}): void {
    if (this.contexts.has(cpu)) throw new Error(`${cpu.name} is already scheduled`);
    const frequency = options.frequencyHz ?? 1e9;
    const weight = options.weight ?? 1;
    checkPositive(`frequency of ${cpu.name}`, frequency);
    checkPositive(`weight of ${cpu.name}`, weight);
    const laneId = options.lane ?? this.nextLaneId;
    if (!Number.isSafeInteger(laneId) || laneId < 0) throw new RangeError(`invalid lane ${String(laneId)} for ${cpu.name}`);
    this.nextLaneId = Math.max(this.nextLaneId, laneId + 1);
    let lane = this.lanes.find((l) => l.id === laneId);
    if (lane === undefined) {
      lane = new Lane(laneId);
      lane.time = this.clock.now;
      this.lanes.push(lane);
      this.lanes.sort((a, b) => a.id - b.id);
    }
    const ctx = new Context(cpu, frequency, weight, lane);
    lane.contexts.push(ctx);
    this.contexts.set(cpu, ctx);
  }

  remove(cpu: Cpu): void {
    const ctx = this.contexts.get(cpu);
    if (ctx === undefined) return;
    this.contexts.delete(cpu);
    const lane = ctx.lane;
    const i = lane.contexts.indexOf(ctx);
    lane.contexts.splice(i, 1);
    if (lane.contexts.length === 0) {
      this.lanes.splice(this.lanes.indexOf(lane), 1);
    } else if (i < lane.current) {
      lane.current--;
    } else if (i === lane.current) {
      // The removed context's turn ends; the next one starts a fresh turn.
      lane.current %= lane.contexts.length;
      lane.turnLeft = this.quantum * lane.contexts[lane.current].weight;
    }
  }

  setWeight(cpu: Cpu, weight: number): void {
    checkPositive(`weight of ${cpu.name}`, weight);
    this.context(cpu).weight = weight;
  }

  setFrequency(cpu: Cpu, frequencyHz: number): void {
    checkPositive(`frequency of ${cpu.name}`, frequencyHz);
    const ctx = this.context(cpu);
    ctx.nsPerInstruction = 1e9 / frequencyHz;
    ctx.instructionsPerNs = frequencyHz / 1e9;
  }

  frequencyOf(cpu: Cpu): number {
    return 1e9 * this.context(cpu).instructionsPerNs;
  }

  /** All scheduled cores, in lane order then order of addition. */
  get cpus(): readonly Cpu[] {
    return this.lanes.flatMap((l) => l.contexts.map((c) => c.cpu));
  }

  /** The physical core (lane) `cpu` runs on. */
  laneOf(cpu: Cpu): number {
    return this.context(cpu).lane.id;
  }

  /** The core inside `run(budget)` right now, or null between slices. */
  get currentCpu(): Cpu | null {
    return this.running;
  }

  /** After a machine reset: lanes restart their turns at the current time. */
  restart(): void {
    this.resumeLane = -1;
    const now = this.clock.now;
    for (const lane of this.lanes) {
      lane.time = now;
      lane.current = 0;
      lane.turnLeft = 0;
    }
  }

  /** Lanes, turns, weights and the window in progress (contexts in `cpus` order). */
  snapshot(): SchedulerSnapshot {
    if (this.running !== null) throw new Error('cannot snapshot the scheduler while a core runs');
    return {
      lanes: this.lanes.map((l) => ({ id: l.id, current: l.current, turnLeft: l.turnLeft, time: l.time, asleep: l.asleep })),
      weights: this.lanes.flatMap((l) => l.contexts.map((c) => c.weight)),
      windowEnd: this.windowEnd,
      resumeLane: this.resumeLane,
      quantum: this.quantum,
    };
  }

  /** Put back a snapshot of a scheduler with the same lanes and contexts (the same board). */
  restore(s: SchedulerSnapshot): void {
    const ids = this.lanes.map((l) => l.id).join(',');
    const saved = s.lanes.map((l) => l.id).join(',');
    if (ids !== saved) throw new Error(`the snapshot's scheduler has lanes ${saved}, this machine's has ${ids}`);
    const contexts = this.lanes.flatMap((l) => l.contexts);
    if (contexts.length !== s.weights.length) throw new Error(`the snapshot schedules ${s.weights.length} cores and vCPUs, this machine ${contexts.length}`);
    s.lanes.forEach((l, i) => {
      const lane = this.lanes[i];
      lane.current = l.current;
      lane.turnLeft = l.turnLeft;
      lane.time = l.time;
      lane.asleep = l.asleep;
    });
    contexts.forEach((c, i) => (c.weight = s.weights[i]));
    this.windowEnd = s.windowEnd;
    this.resumeLane = s.resumeLane;
    this.quantum = s.quantum;
    this.stopFlag[0] = StopFlag.None;
  }

  private context(cpu: Cpu): Context {
    const ctx = this.contexts.get(cpu);
    if (ctx === undefined) throw new Error(`${cpu.name} is not scheduled`);
    return ctx;
  }

  run(limits: SchedulerLimits = {}): SchedulerExit {
    if (this.running !== null) throw new Error('Scheduler.run called from inside a core');
    const clock = this.clock;
    const untilNs = limits.untilNs ?? Infinity;
    const maxInstructions = limits.maxInstructions ?? Infinity;
    this.instructionsRun = 0;
    if (this.resumeLane >= 0) {
      // Finish the window a previous run left (no boundary work: we are inside it).
      if (this.stopFlag[0] === StopFlag.Stop) return { kind: 'stop' };
      this.stopFlag[0] = StopFlag.None;
      if (this.instructionsRun >= maxInstructions) return this.instructionLimit();
      const lane = this.resumeLane;
      this.resumeLane = -1;
      const exit = this.runWindow(Math.min(this.windowEnd, untilNs), maxInstructions, lane);
      if (exit !== null) return exit;
    }
    for (;;) {
      if (this.stopFlag[0] === StopFlag.Stop) return { kind: 'stop' };
      this.stopFlag[0] = StopFlag.None;
      if (this.onBoundary !== null) {
        this.onBoundary();
        if (this.stopFlag[0] === StopFlag.Stop) return { kind: 'stop' };
      }
      const now = clock.now;
      if (now >= untilNs) {
        return { kind: 'limit', message: `time limit reached at ${formatNs(now)} of virtual time` };
      }
      if (this.instructionsRun >= maxInstructions) return this.instructionLimit();
      if (!this.anyRunnable()) {
        const next = clock.nextDeadline();
        if (next === Infinity) return { kind: 'deadlock', message: this.deadlockMessage() };
        const target = Math.min(next, untilNs);
        clock.advanceTo(target);
        // Idle lanes follow the clock; they must not "catch up" the idle time once woken.
        for (const lane of this.lanes) if (lane.time < target) lane.time = target;
        continue;
      }
      const windowEnd = Math.min(clock.nextDeadline(), now + this.quantum, untilNs);
      if (windowEnd <= now) {
        clock.advanceTo(now);
        continue;
      }
      const exit = this.runWindow(windowEnd, maxInstructions);
      if (exit !== null) return exit;
    }
  }

  private windowEnd = 0;
  /**
   * Index in `lanes` of the lane to go on with when the last `run` returned
   * inside a window (an instruction limit, a stop, a breakpoint), or -1. The
   * next `run` finishes that window first, exactly as if it had never
   * stopped: so stopping at any instruction count (a snapshot, a debugger)
   * does not change what happens after.
   */
  private resumeLane = -1;

  /** Runs every lane up to `end` (the window end; a kick can bring it closer); returns an exit or null to go on. */
  private runWindow(end: number, maxInstructions: number, firstLane = -1): SchedulerExit | null {
    const clock = this.clock;
    const flag = this.stopFlag;
    this.windowEnd = end;
    if (firstLane < 0) for (const lane of this.lanes) lane.asleep = !lane.hasRunnable;
    for (let index = Math.max(firstLane, 0); index < this.lanes.length; index++) {
      const lane = this.lanes[index];
      // Where the next run goes on should this one return inside the window.
      this.resumeLane = index;
      // A lane behind the window start (it stopped early last time:
      // instruction limit, breakpoint, a shortened window) catches up. A lane
      // woken during this window by an earlier lane (an IPI) starts at the
      // time the clock has reached, never before the wake-up.
      if (lane.asleep && lane.time < clock.now) lane.time = clock.now;
      while (lane.time < this.windowEnd) {
        const ctx = this.pick(lane);
        if (ctx === null) break;
        const cpu = ctx.cpu;
        // Turns only matter between contexts sharing the lane.
        const target = lane.contexts.length > 1 ? Math.min(this.windowEnd, lane.time + lane.turnLeft) : this.windowEnd;
        let budget = Math.ceil((target - lane.time) * ctx.instructionsPerNs);
        if (budget < 1) budget = 1;
        const left = maxInstructions - this.instructionsRun;
        if (budget > left) budget = left;
        const before = cpu.retired;
        this.running = cpu;
        clock.beginRun(cpu, lane.time, ctx.nsPerInstruction, this.windowEnd, this.kick);
        let reason: StopReason;
        try {
          reason = cpu.run(budget);
        } finally {
          clock.endRun();
          this.running = null;
        }
        const retired = cpu.retired - before;
        const used = retired * ctx.nsPerInstruction;
        if (this.onSlice !== null && retired > 0) this.onSlice(cpu, lane.id, lane.time, lane.time + used);
        lane.time += used;
        lane.turnLeft -= used;
        this.instructionsRun += retired;
        const cell = flag[0];
        if (cell === StopFlag.Stop) return { kind: 'stop' };
        if (cell === StopFlag.Kick) {
          flag[0] = StopFlag.None;
          // The event that kicked us is the new end of this window for every lane.
          this.windowEnd = Math.min(this.windowEnd, clock.nextDeadline());
        }
        if (reason === StopReason.Breakpoint) {
          return { kind: 'breakpoint', cpu };
        } else if (cell !== StopFlag.Kick && retired === 0 && reason !== StopReason.Idle && !cpu.idle && !cpu.poweredOff) {
          throw new Error(`${cpu.name} retired no instruction with a budget of ${budget} (stop reason ${reason})`);
        }
        if (this.instructionsRun >= maxInstructions) return this.instructionLimit();
      }
      if (lane.time < this.windowEnd) lane.time = this.windowEnd;
    }
    this.resumeLane = -1;
    clock.advanceTo(this.windowEnd);
    return null;
  }

  /** The context that should run next on `lane`, rotating turns; null when none can run. */
  private pick(lane: Lane): Context | null {
    const n = lane.contexts.length;
    for (let i = 0; i <= n; i++) {
      const ctx = lane.contexts[lane.current];
      if (lane.turnLeft > 0 && ctx.runnable) return ctx;
      lane.current = (lane.current + 1) % n;
      lane.turnLeft = this.quantum * lane.contexts[lane.current].weight;
    }
    return null;
  }

  private anyRunnable(): boolean {
    for (const ctx of this.contexts.values()) if (ctx.runnable) return true;
    return false;
  }

  private instructionLimit(): SchedulerExit {
    return { kind: 'limit', message: `instruction limit reached after ${this.instructionsRun} instructions` };
  }

  private deadlockMessage(): string {
    const states = this.cpus.map((cpu) =>
      cpu.poweredOff ? `${cpu.name} powered off` : `${cpu.name} idle at pc 0x${(cpu.getPc() >>> 0).toString(16)}`,
    );
    return `all cores idle with no pending event (${states.length > 0 ? states.join(', ') : 'no cores'})`;
  }
}
