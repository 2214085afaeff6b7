import { StopReason, type Cpu, type DataWatcher, type DebugResumeMode, type Isa } from '../machine/Cpu.ts';
import type { PhysicalBus } from '../machine/PhysicalBus.ts';
import { ExitKind } from './ExitKind.ts';
import type { Vcpu } from './Vcpu.ts';
import { VmmAction, type Vmm } from './Vmm.ts';

/** What a VcpuThread reports to its manager. */
export interface VcpuThreadOwner {
  /** True while the VM may run (not paused, stopped or killed). */
  readonly active: boolean;
  /** A watchdog limit: instructions without an exit before the VM counts as a runaway (Infinity: none). */
  readonly watchdogInstructions: number;
  poweredOff(thread: VcpuThread): void;
  fault(thread: VcpuThread, message: string): void;
  /** The vCPU just left guest mode (a killed VM frees its memory only then). */
  leftGuest(thread: VcpuThread): void;
}

/** Exits in a row that retire nothing before the guest counts as stuck. */
const MAX_EXITS_WITHOUT_PROGRESS = 10_000;

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

/**
 * A vCPU as the machine's Scheduler sees it (a Cpu on a lane, with a weight):
 * its run(budget) is the VMM loop — run the vCPU, let the VMM answer the
 * exit, go on — until the budget is used, the vCPU halts, or the VM stops.
 * KVM's "a vCPU is a thread of the VMM process", with the Scheduler as the
 * host's scheduler.
 */
export class VcpuThread implements Cpu {
  readonly name: string;
  readonly isa: Isa;
  private accumulated = 0;
  private liveBase = 0;
  private inRun = false;
  private sinceExit = 0;
  private stuck = 0;

  constructor(
    readonly vcpu: Vcpu,
    readonly vmm: Vmm,
    private readonly owner: VcpuThreadOwner,
    private readonly stopFlag: Int32Array,
  ) {
    this.name = vcpu.name;
    this.isa = vcpu.guest.isa;
  }

  get index(): number {
    return this.vcpu.id;
  }

  /** Guest instructions retired by this vCPU (exact during a slice, as the virtual clock needs). */
  get retired(): number {
    return this.inRun ? this.liveBase + this.vcpu.retired : this.accumulated;
  }

  get idle(): boolean {
    return this.owner.active && !this.vcpu.poweredOff && (!this.vcpu.runnable || this.debugHeld);
  }

  /** A debugger holds this vCPU's core (its last word was 'hold'): it looks idle to the scheduler without being halted. */
  private get debugHeld(): boolean {
    return this.heldByDebugger;
  }

  private heldByDebugger = false;

  get poweredOff(): boolean {
    return !this.owner.active || this.vcpu.poweredOff;
  }

  run(budget: number): StopReason {
    const vcpu = this.vcpu;
    let left = budget;
    while (left > 0) {
      if (this.stopFlag[0] !== 0) return StopReason.MachineStop;
      if (this.poweredOff) return StopReason.Idle;
      if (!vcpu.runnable) return StopReason.Idle;
      const watchdog = this.owner.watchdogInstructions;
      const chunk = Math.max(1, Math.min(left, watchdog - this.sinceExit));
      const before = vcpu.retired;
      this.liveBase = this.accumulated - before;
      this.inRun = true;
      let kind: number;
      try {
        kind = vcpu.run(chunk).kind;
      } catch (e) {
        this.settle(before);
        this.owner.fault(this, `${vcpu.name}: the core failed at pc ${hex(vcpu.getPc())}: ${(e as Error).message}`);
        return StopReason.Idle;
      }
      const ran = this.settle(before);
      left -= ran;
      // A debug stop goes to the debugger (through the scheduler), not to the VMM.
      if (kind === ExitKind.Debug) return this.heldByDebugger ? StopReason.Idle : StopReason.Breakpoint;
      if (kind === ExitKind.Intr) {
        this.sinceExit += ran;
        if (this.sinceExit >= watchdog) {
          this.owner.fault(this, `${vcpu.name}: runaway: ${this.sinceExit} instructions without an exit (pc ${hex(vcpu.getPc())})`);
          return StopReason.Idle;
        }
      } else {
        this.sinceExit = 0;
      }
      if (ran === 0 && kind !== ExitKind.Intr) {
        if (++this.stuck >= MAX_EXITS_WITHOUT_PROGRESS) {
          this.owner.fault(this, `${vcpu.name}: ${this.stuck} exits in a row without progress (pc ${hex(vcpu.getPc())})`);
          return StopReason.Idle;
        }
      } else if (ran > 0) {
        this.stuck = 0;
      }
      const action = this.vmm.handleExit(vcpu);
      if (action === VmmAction.Halt) return StopReason.Idle;
      if (action === VmmAction.PowerOff) {
        this.owner.poweredOff(this);
        return StopReason.Idle;
      }
      if (action === VmmAction.Fault) {
        this.owner.fault(this, this.vmm.faultMessage ?? `${vcpu.name}: fault`);
        return StopReason.Idle;
      }
    }
    return StopReason.Budget;
  }

  private settle(before: number): number {
    this.inRun = false;
    this.owner.leftGuest(this);
    const ran = this.vcpu.retired - before;
    this.accumulated += ran;
    return ran;
  }

  /** The thread's own counts (the vCPU is saved with its VM). */
  snapshot(): { accumulated: number; sinceExit: number; stuck: number } {
    return { accumulated: this.accumulated, sinceExit: this.sinceExit, stuck: this.stuck };
  }

  restore(state: unknown): void {
    const s = state as { accumulated: number; sinceExit: number; stuck: number };
    this.accumulated = s.accumulated;
    this.sinceExit = s.sinceExit;
    this.stuck = s.stuck;
    this.inRun = false;
  }

  // The VM's interrupts reach the vCPU through its in-kernel irqchip, not through the host's lines.
  setIrqLevel(): void {}

  reset(): void {}

  getPc(): number {
    return this.vcpu.getPc();
  }
  setPc(value: number): void {
    this.vcpu.setPc(value);
  }
  getRegister(name: string): number {
    return this.vcpu.getRegister(name);
  }
  setRegister(name: string, value: number): void {
    this.vcpu.setRegister(name, value);
  }
  registerNames(): readonly string[] {
    return this.vcpu.registerNames();
  }

  // --- Debugger support: the vCPU's core, through its guest-physical space (gdb sees each vCPU as a thread). ---

  get debugBus(): PhysicalBus {
    return this.vmm.vm.bus;
  }

  setBreakpoints(addresses: ReadonlySet<number> | null): void {
    this.vcpu.guest.debugCore?.setBreakpoints?.(addresses);
  }

  setWatcher(watcher: DataWatcher | null): void {
    this.vcpu.guest.debugCore?.setWatcher?.(watcher);
  }

  debugResume(mode: DebugResumeMode): void {
    this.heldByDebugger = mode === 'hold';
    this.vcpu.guest.debugCore?.debugResume?.(mode);
  }

  debugTranslate(address: number): number {
    const core = this.vcpu.guest.debugCore;
    return core?.debugTranslate ? core.debugTranslate(address) : address;
  }
}
