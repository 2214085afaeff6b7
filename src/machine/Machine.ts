import type { Cpu } from './Cpu.ts';
import type { PcProvider } from './MmioDevice.ts';
import type { StopRequest, StopRequester } from './StopRequest.ts';
import { Bus } from './Bus.ts';
import { ConsoleQueue } from './ConsoleQueue.ts';
import { Scheduler, StopFlag, type CpuScheduleOptions } from './Scheduler.ts';
import { VirtualClock } from './VirtualClock.ts';

/** Why `Machine.run` returned. Every kind except poweroff/guest-error/user-quit can be resumed by calling run again. */
export type RunResult =
  | { readonly kind: 'poweroff'; readonly exitCode: number; readonly message?: string }
  | { readonly kind: 'guest-error'; readonly message: string }
  | { readonly kind: 'user-quit' }
  /** An instruction or time limit of this run was reached. */
  | { readonly kind: 'limit'; readonly message: string }
  /** Every core idle or off and nothing scheduled: nothing can ever happen again (unless input arrives). */
  | { readonly kind: 'deadlock'; readonly message: string }
  | { readonly kind: 'breakpoint'; readonly cpu: Cpu };

export interface RunOptions {
  /** Stop after this many more instructions (all cores together). */
  readonly maxInstructions?: number;
  /** Stop after this much more virtual time, in ns. */
  readonly maxTimeNs?: number;
}

export interface MachineOptions {
  readonly littleEndian: boolean;
  /** Longest scheduling window in virtual ns (see Scheduler). */
  readonly quantumNs?: number;
}

/** Anything the machine resets: device models, interrupt controllers. */
export interface Resettable {
  reset(): void;
}

/**
 * One board: physical bus, virtual clock, cores and their scheduler, the
 * devices (by name), the console input queue, and the stop/reset logic.
 */
export class Machine implements StopRequester, PcProvider {
  readonly bus: Bus;
  readonly clock = new VirtualClock();
  readonly scheduler: Scheduler;
  readonly console = new ConsoleQueue();
  /**
   * Shared cell cores poll in their run loop: non-zero means "return from
   * run() now" (values in StopFlag). The same array for the machine's life.
   */
  readonly stopFlag: Int32Array;
  /** How many reset requests were carried out. */
  resetCount = 0;

  private request: StopRequest | null = null;
  /** `pause` was called during this run. */
  private pauseRequested = false;
  private readonly devices = new Map<string, Resettable>();
  private readonly resetListeners: Array<() => void> = [];
  private running = false;

  constructor(options: MachineOptions) {
    this.bus = new Bus({ littleEndian: options.littleEndian });
    this.scheduler = new Scheduler(this.clock, { quantumNs: options.quantumNs });
    this.stopFlag = this.scheduler.stopFlag;
    this.scheduler.onBoundary = () => {
      this.console.pump();
    };
  }

  get littleEndian(): boolean {
    return this.bus.littleEndian;
  }

  get cpus(): readonly Cpu[] {
    return this.scheduler.cpus;
  }

  addCpu(cpu: Cpu, options?: CpuScheduleOptions): void {
    this.scheduler.add(cpu, options);
  }

  /** Register a device under a unique name; it is reset, in order of addition, on every machine reset. */
  addDevice(name: string, device: Resettable): void {
    if (this.devices.has(name)) throw new Error(`two devices named "${name}"`);
    this.devices.set(name, device);
  }

  device(name: string): Resettable | undefined {
    return this.devices.get(name);
  }

  deviceNames(): string[] {
    return [...this.devices.keys()];
  }

  /**
   * Called after devices and cores were reset (power-on or a reset request):
   * the board builder reloads firmware images and sets boot registers here.
   */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  /** The pending stop request, or null. The first request wins until the machine handles it. */
  get stopRequest(): StopRequest | null {
    return this.request;
  }

  requestStop(request: StopRequest): void {
    if (this.request !== null) return;
    this.request = request;
    this.stopFlag[0] = StopFlag.Stop;
  }

  /**
   * Make the current `run` return (as a 'limit' result) as soon as the cores
   * notice: at the end of the instruction or compiled block being run, so a
   * test waiting for console text stops at the instruction that printed it.
   * The next `run` goes on from there. No effect once a stop was requested.
   */
  pause(): void {
    if (this.request !== null || !this.running) return;
    this.pauseRequested = true;
    this.stopFlag[0] = StopFlag.Stop;
  }

  /** Forget a final stop (poweroff, guest-error, user-quit) so `run` can go on, e.g. after the user resumes. */
  clearStopRequest(): void {
    this.request = null;
    this.stopFlag[0] = StopFlag.None;
  }

  currentPc(): number | undefined {
    const cpu = this.scheduler.currentCpu;
    return cpu === null ? undefined : cpu.getPc();
  }

  /** Index of the core being run (for banked per-core device registers); 0 between slices. */
  currentCpu(): number {
    const cpu = this.scheduler.currentCpu;
    return cpu === null ? 0 : cpu.index;
  }

  /**
   * Reset everything as a reset line would: pending clock events are dropped
   * (devices re-arm theirs in reset()), devices then cores are reset in the
   * order they were added, then the reset listeners run. Memory keeps its
   * contents and virtual time keeps going.
   */
  reset(): void {
    this.clock.clear();
    for (const device of this.devices.values()) device.reset();
    for (const cpu of this.scheduler.cpus) cpu.reset();
    for (const listener of this.resetListeners) listener();
    this.scheduler.restart();
  }

  /** Run until a stop request, a limit, a breakpoint or a deadlock. */
  run(options: RunOptions = {}): RunResult {
    if (this.running) throw new Error('Machine.run is already running');
    this.running = true;
    try {
      return this.runLoop(options);
    } finally {
      this.running = false;
      this.pauseRequested = false;
    }
  }

  private runLoop(options: RunOptions): RunResult {
    const untilNs = options.maxTimeNs !== undefined ? this.clock.now + options.maxTimeNs : undefined;
    let instructionsLeft = options.maxInstructions ?? Infinity;
    for (;;) {
      const pending = this.request;
      if (pending !== null) {
        if (pending.kind !== 'reset') return pending;
        this.request = null;
        this.stopFlag[0] = StopFlag.None;
        this.resetCount++;
        this.reset();
      }
      const exit = this.scheduler.run({ maxInstructions: instructionsLeft, untilNs });
      instructionsLeft -= this.scheduler.instructionsRun;
      switch (exit.kind) {
        case 'stop':
          // A stop flag without a request (set directly by a core, or a pause) has nothing to report.
          if (this.request === null) {
            this.stopFlag[0] = StopFlag.None;
            if (this.pauseRequested) {
              this.pauseRequested = false;
              return { kind: 'limit', message: 'paused' };
            }
          }
          continue;
        case 'deadlock':
          return { kind: 'deadlock', message: exit.message + this.consoleNote() };
        default:
          return exit;
      }
    }
  }

  private consoleNote(): string {
    const c = this.console;
    if (c.attached === null) return '';
    if (c.pending > 0) return `; ${c.pending} console input byte(s) wait for the UART to accept them`;
    return c.open ? '; waiting for console input' : '';
  }
}
