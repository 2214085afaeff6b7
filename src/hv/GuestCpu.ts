import type { PagingMode } from '../../dts/board/BoardSpec.ts';
import type { Cpu, Isa } from '../machine/Cpu.ts';
import type { IrqSink } from '../machine/IrqLine.ts';
import type { GuestPhysicalBus } from './GuestPhysicalBus.ts';
import type { PagingCounters } from './PagingCounters.ts';
import type { ShadowMmu } from './shadow/ShadowMmu.ts';
import type { VcpuExit } from './VcpuExit.ts';

/** What the hypervisor gives an ISA core when it creates a vCPU on it. */
export interface GuestCpuContext {
  readonly vmName: string;
  readonly vcpuId: number;
  /**
   * The VM's guest-physical address space. Fetch, load and store through it as
   * through a board's bus (memoryAt for soft-TLB fills, read32/write32 & co.
   * otherwise); its onMapChange/onCodeWrite listeners work the same way.
   */
  readonly bus: GuestPhysicalBus;
  /**
   * Non-zero: an exit was recorded in the exit object (an MMIO access, a VM
   * system event, a kick). Poll it where the stop flag is polled — and after
   * every bus access that did not go through the soft TLB — and return from
   * runGuest at once. See GuestCpu.runGuest for what happens to the instruction.
   */
  readonly exitRequest: Int32Array;
  /** The machine's stop cell (StopFlag): return from runGuest when non-zero, as from Cpu.run. */
  readonly stopFlag: Int32Array;
  readonly paging: PagingMode;
  /** The VM's shadow MMU when paging is 'shadow' (translate guest-virtual addresses through it), else null. */
  readonly shadow: ShadowMmu | null;
  /** Under 'nested' paging the core counts its walks here (walks, walkMemoryReferences, guestPageFaults). */
  readonly counters: PagingCounters;
}

/**
 * The seam between the ISA-neutral hypervisor and an ISA core's guest mode
 * (ARM: HYP mode, HCR traps, stage 2; MIPS: VZ; PowerPC: MSR[GS]; x86: VMX).
 * One GuestCpu is the state of one vCPU: the hypervisor enters it, runs it for
 * a budget of instructions and reads why it came back from the exit object.
 *
 * Interrupts: the VM's irqchip drives `setIrqLevel(irqInput, level)` (the
 * core's virtual IRQ input; ARM: HCR.VI or the vGIC's list registers).
 */
export interface GuestCpu extends IrqSink {
  readonly isa: Isa;
  /**
   * The ISA core as a debugger sees it (breakpoints, watchpoints, stepping,
   * translation), when the core supports debugging. A debug stop inside
   * runGuest is reported as an ExitKind.Debug exit (KVM_EXIT_DEBUG).
   */
  readonly debugCore?: Cpu;
  /** The input number the irqchip drives (ARM's virtual IRQ is input 2 of a Cpu; 0 for simple cores). */
  readonly irqInput: number;
  /**
   * Instructions retired in guest context. Must be exact whenever the core
   * makes a bus access (the virtual clock already needs that for devices), as
   * the MMIO replay uses it to tell when an abandoned instruction completed.
   */
  readonly retired: number;
  /** Architectural reset of the vCPU (KVM_ARM_VCPU_INIT; also a VM reset). */
  reset(): void;
  /**
   * World switch in: load guest state, check it. Returns 0, or a non-zero
   * ISA-specific reason when the state cannot be entered (→ FAIL_ENTRY).
   */
  enterGuest(): number;
  /**
   * Run at most `budget` guest instructions. Return when the budget is used,
   * when exitRequest or stopFlag becomes non-zero, or after recording an exit
   * in `exit` (set exit.kind and its part): HLT/WFI (the instruction
   * completes), HYPERCALL (completes; the result comes through
   * completeHypercall before the next run), IO, SHUTDOWN, INTERNAL_ERROR
   * (an instruction it cannot run in this guest, with pc and encoding).
   *
   * MMIO: when a bus access leads to an exit, the bus records it and sets
   * exitRequest. The core must then abandon the instruction with no
   * architectural effect, as for a synchronous data abort, not count it as
   * retired, and return. At the next runGuest it must execute that same
   * instruction again before anything else (no interrupt taken first): the
   * bus replays the accesses already answered (reads return their values,
   * writes already performed are skipped) so the instruction completes.
   */
  runGuest(budget: number, exit: VcpuExit): void;
  /** World switch out (save state the hypervisor may inspect). */
  leaveGuest(): void;
  /** Write a hypercall's result where the guest expects it (its ABI's return register). */
  completeHypercall(result: number): void;
  getPc(): number;
  setPc(value: number): void;
  getRegister(name: string): number;
  setRegister(name: string, value: number): void;
  registerNames(): readonly string[];
  /** The core's state as plain data between runs (src/snapshot); a VM whose cores lack it cannot be saved. */
  snapshot?(): unknown;
  /** Put back a `snapshot` of a core of the same kind (after the VM's memory and irqchip were restored). */
  restore?(state: unknown): void;
}

/** How a VM makes the core of each of its vCPUs (supplied per ISA). */
export type GuestCpuFactory = (ctx: GuestCpuContext) => GuestCpu;
