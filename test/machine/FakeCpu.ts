import { StopReason, type Cpu } from '../../src/machine/Cpu.ts';
import type { VirtualClock } from '../../src/machine/VirtualClock.ts';

/**
 * A stand-in core for machine tests: every "instruction" adds 4 to the pc
 * and then calls `step` (which may return a stop reason, e.g. to go idle as
 * WFI would). It polls the stop cell after each instruction, as real cores
 * must, and any raised interrupt input wakes it.
 */
export class FakeCpu implements Cpu {
  readonly isa = 'arm' as const;
  retired = 0;
  idle = false;
  poweredOff = false;
  pc = 0;
  resets = 0;
  /** [clock.now, budget] at the start of every run() call. */
  readonly runs: Array<[number, number]> = [];
  step: ((cpu: FakeCpu) => StopReason | void) | null = null;

  constructor(
    readonly name: string,
    readonly index: number,
    private readonly clock: VirtualClock,
    private readonly stopFlag: Int32Array | null = null,
  ) {}

  run(budget: number): StopReason {
    this.runs.push([this.clock.now, budget]);
    if (this.idle) return StopReason.Idle;
    for (let i = 0; i < budget; i++) {
      this.retired++;
      this.pc += 4;
      const reason = this.step?.(this);
      if (reason !== undefined) {
        if (reason === StopReason.Idle) this.idle = true;
        return reason;
      }
      if (this.stopFlag !== null && this.stopFlag[0] !== 0) return StopReason.MachineStop;
    }
    return StopReason.Budget;
  }

  reset(): void {
    this.resets++;
    this.retired = 0;
    this.pc = 0;
    this.idle = false;
  }

  setIrqLevel(_input: number, level: boolean): void {
    if (level) this.idle = false;
  }

  getPc(): number {
    return this.pc;
  }
  setPc(value: number): void {
    this.pc = value;
  }
  getRegister(name: string): number {
    if (name === 'pc') return this.pc;
    throw new Error(`no register ${name}`);
  }
  setRegister(name: string, value: number): void {
    if (name !== 'pc') throw new Error(`no register ${name}`);
    this.pc = value;
  }
  registerNames(): readonly string[] {
    return ['pc'];
  }
}
