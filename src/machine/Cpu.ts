import type { PhysicalBus } from './PhysicalBus.ts';
import type { IrqSink } from './IrqLine.ts';

/** Why `Cpu.run` returned. Numeric so the hot loop never allocates. */
export const enum StopReason {
  /** The instruction budget was used up. */
  Budget = 0,
  /** The core is idle (WFI/WAIT/HLT) until an interrupt or the next clock event. */
  Idle = 1,
  /** The core hit a breakpoint or watchpoint (gdb stub, test API). */
  Breakpoint = 2,
  /** The machine was asked to stop (power-off, reset, fatal error); see Machine.stopRequest. */
  MachineStop = 3,
}

export type Isa = 'arm' | 'mips' | 'ppc' | 'x86';

/**
 * Sees every data access of a core while a debugger watches memory (gdb
 * watchpoints). Returning true stops the core before the access is made:
 * the instruction is abandoned as on a Data Abort, nothing is written back,
 * and it runs again when the core is resumed (gdb then steps over it).
 */
export interface DataWatcher {
  /** `address` is virtual, `size` in bytes (1, 2, 4 or 8). */
  access(address: number, size: number, write: boolean): boolean;
}

/** How a core goes on after a debug stop (see `Cpu.debugResume`). */
export type DebugResumeMode = 'run' | 'step' | 'hold';

/**
 * The interface every core model presents to the machine, whatever its ISA.
 * Interrupt inputs arrive through `IrqSink.setIrqLevel` (input numbers are
 * ISA-specific: for ARM 0 = IRQ, 1 = FIQ, 2 = virtual IRQ, 3 = virtual FIQ).
 */
export interface Cpu extends IrqSink {
  readonly name: string;
  readonly isa: Isa;
  /** Index of this core on the board (0 for the boot CPU). */
  readonly index: number;
  /** Power-on reset: registers, system registers, MMU state. */
  reset(): void;
  /**
   * Execute at most `budget` instructions. Returns early when the core goes
   * idle, hits a breakpoint or the machine requests a stop.
   */
  run(budget: number): StopReason;
  /** Instructions retired since reset (or since restored snapshot). */
  readonly retired: number;
  /** True while the core waits for an interrupt (WFI/HLT); cleared by an interrupt. */
  readonly idle: boolean;
  /** True when the core is powered off (secondary cores before PSCI CPU_ON). */
  readonly poweredOff: boolean;
  /** Program counter. */
  getPc(): number;
  setPc(value: number): void;
  /** General-purpose register by ISA name ("r0", "sp", "pc", "cpsr", "eax"…). */
  getRegister(name: string): number;
  setRegister(name: string, value: number): void;
  /** Names of the registers `getRegister` understands, in gdb order. */
  registerNames(): readonly string[];

  // --- Debugger support (gdb stub). Optional: a core without it cannot be debugged. ---
  // Debug stops make run() return StopReason.Breakpoint. After one, every run() returns
  // StopReason.Breakpoint again without executing anything until `debugResume` is called,
  // so a stop the scheduler did not report at once is never lost.

  /**
   * Stop before executing an instruction at one of these virtual addresses.
   * null (or an empty set) removes them; the core then runs at full speed.
   * The set is read, not copied: change it only between runs.
   */
  setBreakpoints?(addresses: ReadonlySet<number> | null): void;
  /** Show every data access to `watcher` (slower while set); null removes it. */
  setWatcher?(watcher: DataWatcher | null): void;
  /**
   * Leave a debug stop (or prepare the next run): 'run' goes on normally;
   * 'step' executes exactly one instruction at the next run() (breakpoints at
   * it ignored, no interrupt taken) and stops; 'hold' keeps the core still:
   * it looks idle to the scheduler until resumed with 'run' or 'step'.
   */
  debugResume?(mode: DebugResumeMode): void;
  /** Physical address of virtual `address` as the core would read it now, or -1 when it does not translate. */
  debugTranslate?(address: number): number;
  /**
   * The address space `debugTranslate`'s addresses are in, when it is not the
   * machine's bus: a vCPU's guest-physical space.
   */
  readonly debugBus?: PhysicalBus;

  // --- Snapshots (src/snapshot). Optional: a machine with a core without them cannot be saved. ---

  /** The core's state as plain data (src/snapshot/Snapshottable.ts), taken between slices. */
  snapshot?(): unknown;
  /**
   * Put back a state from `snapshot` of a core of the same model. Called after
   * the clock's time and the devices were restored (the core's timers re-arm
   * their events, its input lines take the saved levels).
   */
  restore?(state: unknown): void;
}
