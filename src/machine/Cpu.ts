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
}
