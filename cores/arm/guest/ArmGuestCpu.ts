import { ExitKind, InternalErrorKind } from '../../../src/hv/ExitKind.ts';
import type { GuestCpu, GuestCpuContext, GuestCpuFactory } from '../../../src/hv/GuestCpu.ts';
import type { VcpuExit } from '../../../src/hv/VcpuExit.ts';
import type { Clock } from '../../../src/machine/Clock.ts';
import { StopReason } from '../../../src/machine/Cpu.ts';
import type { IrqLine } from '../../../src/machine/IrqLine.ts';
import { ArmCpu } from '../ArmCpu.ts';
import type { ArmCpuSnapshot } from '../ArmCpuSnapshot.ts';
import { ArmMode, Bank, bankOf } from '../ArmState.ts';
import { DataAbortIss, HSR_IL, HsrEc } from '../HypSyndrome.ts';
import { Hcr } from '../SystemRegisterState.ts';
import { installThumb } from '../thumb/index.ts';
import { itAdvance } from '../thumb/ThumbPseudocode.ts';
import type { ArmPageTableWalker } from './ArmPageTableWalker.ts';
import { MemslotStage2 } from './MemslotStage2.ts';
import { ShadowStage1 } from './ShadowStage1.ts';

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

export interface ArmGuestCpuSnapshot {
  readonly cpu: ArmCpuSnapshot;
  readonly read: {
    readonly pending: boolean; readonly address: number; readonly size: number;
    readonly register: number; readonly signed: boolean; readonly length: number;
  };
  readonly passingThrough: boolean;
  /** The VM's stage 2 tables as this vCPU filled them (nested paging). */
  readonly stage2?: { readonly tables: Uint32Array | null; readonly generation: number };
}

export interface ArmGuestCpuOptions {
  /** The machine's clock (the vCPU's generic timer counts its virtual time). */
  readonly clock: Clock;
  /** Guest instructions per second of virtual time (default 1e9). */
  readonly frequencyHz?: number;
  /** CNTFRQ (default 62.5 MHz). */
  readonly counterFrequencyHz?: number;
  /** MIDR the guest sees (default Cortex-A15 r2p1). */
  readonly midr?: number;
  /** The vCPU's generic timer outputs, into the VM's irqchip (a vGIC: PPIs 30, 27, 26, 29). */
  readonly timerIrqs?: (ctx: GuestCpuContext) => { phys?: IrqLine; virt?: IrqLine; hyp?: IrqLine; sec?: IrqLine };
  /** For `paging: 'shadow'`: the walker given to the VM as its `pageTableWalker` (it walks with the running vCPU's registers). */
  readonly pageTableWalker?: ArmPageTableWalker;
}

/**
 * HCR for a guest (B4.1.65), as KVM sets it for its ARMv7 guests: stage 2,
 * physical interrupts to the hypervisor and virtual ones to the guest, WFI
 * and WFE trapped (a halted vCPU gives its core away), SMC trapped (PSCI
 * through SMC reaches the hypervisor). Shadow paging adds the virtual memory
 * control (TVM) and TLB maintenance (TTLB) traps that keep shadows in sync.
 */
const HCR_NESTED = Hcr.VM | Hcr.IMO | Hcr.FMO | Hcr.AMO | Hcr.TWI | Hcr.TWE | Hcr.TSC;
const HCR_SHADOW = HCR_NESTED | Hcr.TVM | Hcr.TTLB;

/** The ARM core of a tskvm vCPU: `GuestCpuFactory` for `Hypervisor.createVm` / `Vmm`. */
export function armGuestCpuFactory(options: ArmGuestCpuOptions): GuestCpuFactory {
  installThumb();
  return (ctx) => new ArmGuestCpu(ctx, options);
}

/**
 * An ArmCpu run as a vCPU of a src/hv VM, with tskvm in the role Hyp-mode
 * software has on hardware (ARM ARM B1.7, B3.6; KVM/ARM's world switch).
 *
 * The core sits on the VM's guest-physical bus and runs the guest's PL1 and
 * PL0 code with HCR set as KVM sets it. Its stage 2 is the VM's memory slots
 * (MemslotStage2), its stage 1 its own walk of the guest's tables (nested
 * paging) or the VM's shadow MMU (shadow paging, ShadowStage1). Every
 * exception the architecture takes to Hyp mode comes here instead
 * (ArmCpu.hostHypervisor): the core stops with HSR, ELR_hyp, SPSR_hyp,
 * HDFAR/HIFAR/HPFAR written as for Hyp mode, and `handleTrap` answers it the
 * way KVM's handle_exit does, recording an exit for src/hv when the VMM must
 * act:
 *
 * - WFI → HLT exit (the instruction completes); WFE → end of the run (a yield);
 * - HVC, and SMC (trapped by HCR.TSC) → HYPERCALL exit, function in r0,
 *   arguments r1–r6, result to r0 (the VM's in-kernel PSCI answers its calls);
 * - a stage 2 Data Abort: an access outside the memory slots, emulated from
 *   the syndrome (ISV, SAS, SSE, SRT, WnR) through the VM's bus — in-kernel
 *   devices answer at once, anything else becomes an MMIO exit; a read waits
 *   for its data and completes at the next run, before any other instruction,
 *   as KVM's kvm_handle_mmio_return does;
 * - under shadow paging, trapped writes of the MMU registers and TLB
 *   maintenance → the shadow MMU, then the instruction completes;
 * - anything the hypervisor cannot emulate → INTERNAL_ERROR with the guest pc.
 */
export class ArmGuestCpu implements GuestCpu {
  readonly isa = 'arm' as const;
  /** The irqchip drives the core's virtual IRQ input (HCR.IMO routes it to the guest). */
  readonly irqInput = 2;
  readonly cpu: ArmCpu;
  private readonly hcr: number;
  private readonly shadow: ShadowStage1 | null;
  private readonly stage2: MemslotStage2;
  /** Re-executing an instruction without a syndrome whose device accesses go to the bus (MemslotStage2.passThrough). */
  private passingThrough = false;
  private leavingPassThrough = false;

  // A guest MMIO read that exited, completed at the next runGuest (no allocation: plain fields).
  private readPending = false;
  private readAddress = 0;
  private readSize = 4;
  private readRegister = 0;
  private readSigned = false;
  private readLength = 4;

  constructor(
    private readonly ctx: GuestCpuContext,
    options: ArmGuestCpuOptions,
  ) {
    const exitRequest = ctx.exitRequest;
    const stopFlag = ctx.stopFlag;
    this.cpu = new ArmCpu({
      index: ctx.vcpuId,
      bus: ctx.bus,
      clock: options.clock,
      // A guest core never stops the machine; PSCI is the hypervisor's, not the core's.
      stop: { requestStop: () => {} },
      stopFlag: () => exitRequest[0] !== 0 || stopFlag[0] !== 0,
      frequencyHz: options.frequencyHz,
      counterFrequencyHz: options.counterFrequencyHz,
      midr: options.midr,
      virtualization: true,
      startPoweredOff: false,
      timerIrqs: options.timerIrqs?.(ctx),
    });
    this.stage2 = new MemslotStage2(ctx.bus, ctx.exitRequest, ctx.paging === 'nested' ? ctx.counters : null);
    this.cpu.hostHypervisor = this.stage2;
    this.cpu.mmu.counters = ctx.counters;
    if (ctx.paging === 'shadow') {
      const walker = options.pageTableWalker;
      if (ctx.shadow === null || walker === undefined) {
        throw new Error(`VM "${ctx.vmName}": shadow paging needs the VM's ArmPageTableWalker in the ARM guest options (pageTableWalker)`);
      }
      this.shadow = new ShadowStage1(this.cpu, ctx.shadow, walker);
      this.hcr = HCR_SHADOW;
    } else {
      this.shadow = null;
      this.hcr = HCR_NESTED;
    }
  }

  get retired(): number {
    return this.cpu.instructionCount;
  }

  setIrqLevel(input: number, level: boolean): void {
    this.cpu.setIrqLevel(input, level);
  }

  reset(): void {
    this.cpu.reset();
    this.readPending = false;
    this.endPassThrough();
    this.shadow?.reset();
  }

  /** PSCI CPU_ON on this vCPU: reset, then start at `entry` (bit 0: Thumb) with r0 = `contextId`. */
  powerOn(entry: number, contextId: number): void {
    this.reset();
    this.cpu.powerOn(entry, contextId);
  }

  enterGuest(): number {
    const cpu = this.cpu;
    // A guest cannot be entered in Hyp mode or with a CPSR.M that is no mode (KVM refuses such a state too).
    if (cpu.mode === ArmMode.Hyp || bankOf(cpu.mode) < 0) return 1;
    if (cpu.sys.hcr !== this.hcr) {
      cpu.sys.hcr = this.hcr;
      cpu.hypTrapConfigChanged();
    }
    return 0;
  }

  leaveGuest(): void {}

  runGuest(budget: number, exit: VcpuExit): void {
    const cpu = this.cpu;
    const ctx = this.ctx;
    const start = cpu.instructionCount;
    if (this.readPending) {
      this.finishMmioRead(exit);
      if (exit.kind !== ExitKind.None || ctx.exitRequest[0] !== 0) return;
    }
    if (this.passingThrough && this.passThrough(exit)) return;
    // The budget counts every retired instruction, those the trap handlers complete (skip) included.
    for (let left = budget - (cpu.instructionCount - start); left > 0; left = budget - (cpu.instructionCount - start)) {
      const why = cpu.run(left);
      if (cpu.hostTrapVector >= 0) {
        cpu.hostTrapVector = -1;
        if (this.handleTrap(exit)) return;
        if (ctx.exitRequest[0] !== 0 || ctx.stopFlag[0] !== 0) return;
        continue;
      }
      if (why === StopReason.Breakpoint || (why === StopReason.Idle && cpu.debugHeld)) {
        // A debugger stopped or holds the core: KVM_EXIT_DEBUG, with nothing halted.
        exit.kind = ExitKind.Debug;
        return;
      }
      if (why === StopReason.Idle) {
        // Only a WFE/WFI the traps did not catch idles the core; report it as a halt.
        exit.kind = ExitKind.Hlt;
        return;
      }
      if (why !== StopReason.Budget) return;
    }
  }

  /** The core's state and an MMIO read or pass-through instruction still to complete (cores/arm/ArmCpuSnapshot.ts). */
  snapshot(): ArmGuestCpuSnapshot {
    return {
      cpu: this.cpu.snapshot(),
      read: { pending: this.readPending, address: this.readAddress, size: this.readSize, register: this.readRegister, signed: this.readSigned, length: this.readLength },
      passingThrough: this.passingThrough,
      stage2: this.stage2.snapshot(),
    };
  }

  restore(state: unknown): void {
    const s = state as ArmGuestCpuSnapshot;
    this.cpu.restore(s.cpu);
    const r = s.read;
    this.readPending = r.pending;
    this.readAddress = r.address;
    this.readSize = r.size;
    this.readRegister = r.register;
    this.readSigned = r.signed;
    this.readLength = r.length;
    this.passingThrough = s.passingThrough;
    this.stage2.passThrough = s.passingThrough;
    if (s.stage2 !== undefined) this.stage2.restore(s.stage2);
    this.leavingPassThrough = false;
  }

  get debugCore(): ArmCpu {
    return this.cpu;
  }

  completeHypercall(result: number): void {
    this.cpu.r[0] = result;
  }

  getPc(): number {
    return this.cpu.getPc();
  }
  setPc(value: number): void {
    this.cpu.setPc(value);
  }
  getRegister(name: string): number {
    return this.cpu.getRegister(name);
  }
  setRegister(name: string, value: number): void {
    this.cpu.setRegister(name, value);
  }
  registerNames(): readonly string[] {
    return this.cpu.registerNames();
  }

  // ---- traps: what Hyp-mode software does with them ------------------------------------------------

  /** Answer the exception the core took to "Hyp mode"; true to leave runGuest (an exit was recorded). */
  private handleTrap(exit: VcpuExit): boolean {
    const cpu = this.cpu;
    const hsr = cpu.sys.hsr >>> 0;
    switch (hsr >>> 26) {
      case HsrEc.WfiWfe:
        this.resume(true);
        // WFI halts the vCPU until the irqchip has an interrupt for it; WFE is a yield (KVM's kvm_vcpu_on_spin).
        if ((hsr & 1) === 0) exit.kind = ExitKind.Hlt;
        return true;
      case HsrEc.Hvc:
        // ELR_hyp already points after HVC.
        this.resume(false);
        cpu.instructionCount++;
        this.hypercallExit(exit);
        return true;
      case HsrEc.Smc:
        this.resume(true);
        this.hypercallExit(exit);
        return true;
      case HsrEc.DataAbortRouted:
        return this.dataAbort(exit, hsr);
      case HsrEc.PrefetchAbortRouted:
        return this.internalError(exit, cpu.elrHyp, `instruction fetch from guest-physical ${hex(this.faultIpa(cpu.sys.hifar))}, outside the VM's memory`);
      case HsrEc.Mcr15:
      case HsrEc.Mcrr15:
        if (this.shadow !== null && this.shadow.emulate(hsr)) {
          this.resume(true);
          return false;
        }
        return this.internalError(exit, cpu.elrHyp, `trapped system register access the hypervisor does not emulate (HSR ${hex(hsr)})`);
      default:
        return this.internalError(exit, cpu.elrHyp, `unexpected exception to Hyp mode (HSR ${hex(hsr)})`);
    }
  }

  /**
   * Return to the guest as ERET would: CPSR from SPSR_hyp, PC from ELR_hyp;
   * with `skip`, past the trapped instruction (its length from HSR.IL),
   * which then counts as retired and advances ITSTATE.
   */
  private resume(skip: boolean): void {
    const cpu = this.cpu;
    const elr = cpu.elrHyp;
    cpu.writeCpsrExceptionReturn(cpu.spsr[Bank.Hyp]);
    cpu.nextPc = elr;
    if (skip) this.skip((cpu.sys.hsr & HSR_IL) !== 0 ? 4 : 2);
  }

  private skip(length: number): void {
    const cpu = this.cpu;
    cpu.nextPc = (cpu.nextPc + length) | 0;
    if (cpu.thumb && cpu.it !== 0) cpu.it = itAdvance(cpu.it);
    cpu.instructionCount++;
  }

  private hypercallExit(exit: VcpuExit): void {
    const r = this.cpu.r;
    exit.kind = ExitKind.Hypercall;
    exit.hypercall.nr = r[0] >>> 0;
    for (let i = 0; i < 6; i++) exit.hypercall.args[i] = r[1 + i];
  }

  /** The IPA of a stage 2 fault: HPFAR has bits [39:12], the fault address register the page offset. */
  private faultIpa(far: number): number {
    return (this.cpu.sys.hpfar >>> 4) * 4096 + (far & 0xfff);
  }

  /** A stage 2 Data Abort: emulate the access from the instruction syndrome (B3.13.6). */
  private dataAbort(exit: VcpuExit, hsr: number): boolean {
    const cpu = this.cpu;
    const ipa = this.faultIpa(cpu.sys.hdfar);
    if ((hsr & DataAbortIss.S1ptw) !== 0) {
      return this.internalError(exit, cpu.elrHyp, `the guest's translation tables at guest-physical ${hex(ipa)} are outside its memory`);
    }
    if ((hsr & DataAbortIss.Isv) === 0) {
      // No syndrome to emulate from (LDM/STM, LDRD/STRD, writeback forms): run the instruction again with
      // its device accesses going to the VM's bus, which exits for each one not answered yet (src/hv's
      // MMIO replay protocol). The access that exited made the core abandon the instruction here.
      this.resume(false);
      if (this.passingThrough || this.leavingPassThrough) {
        return this.internalError(exit, cpu.elrHyp, `access to guest-physical ${hex(ipa)} failed even with its device accesses passed through`);
      }
      this.passingThrough = true;
      this.stage2.passThrough = true;
      return this.passThrough(exit);
    }
    const size = 1 << ((hsr >>> 22) & 3);
    const rt = (hsr >>> 16) & 15;
    const signed = (hsr & DataAbortIss.SseBit) !== 0;
    const length = (hsr & HSR_IL) !== 0 ? 4 : 2;
    const bus = this.ctx.bus;
    this.resume(false);
    if ((hsr & DataAbortIss.WnR) !== 0) {
      let value = rt === 15 ? (cpu.elrHyp + (cpu.thumb ? 4 : 8)) | 0 : cpu.r[rt];
      if (cpu.endianBig) value = swap(value, size);
      if (size === 4) bus.write32(ipa, value >>> 0);
      else if (size === 2) bus.write16(ipa, value & 0xffff);
      else bus.write8(ipa, value & 0xff);
      // Performed in-kernel, or recorded as an MMIO exit the VMM performs: the store is complete either way.
      if (exit.kind === ExitKind.InternalError) return true;
      this.skip(length);
      return exit.kind !== ExitKind.None || this.ctx.exitRequest[0] !== 0;
    }
    const value = size === 4 ? bus.read32(ipa) : size === 2 ? bus.read16(ipa) : bus.read8(ipa);
    if (this.ctx.exitRequest[0] !== 0) {
      // An MMIO exit: the load completes when the VMM has supplied the data (next runGuest).
      this.readPending = true;
      this.readAddress = ipa;
      this.readSize = size;
      this.readRegister = rt;
      this.readSigned = signed;
      this.readLength = length;
      return true;
    }
    this.completeLoad(value, size, rt, signed, length);
    return false;
  }

  /**
   * Execute the pass-through instruction (first, with no interrupt taken
   * before it). True when one of its accesses exited again (or it failed): it
   * stays pending. When it completes, pass-through ends.
   */
  private passThrough(exit: VcpuExit): boolean {
    const cpu = this.cpu;
    const before = cpu.instructionCount;
    cpu.interruptsHeld = true;
    cpu.run(1);
    cpu.interruptsHeld = false;
    if (cpu.instructionCount !== before) {
      this.endPassThrough();
      return exit.kind !== ExitKind.None || this.ctx.exitRequest[0] !== 0;
    }
    if (cpu.hostTrapVector >= 0) {
      cpu.hostTrapVector = -1;
      if (this.ctx.exitRequest[0] !== 0) {
        // An access exited: run it again once answered.
        this.resume(false);
        return true;
      }
      // Any other exception to the hypervisor during the instruction: end pass-through and handle it.
      this.endPassThrough();
      this.leavingPassThrough = true;
      try {
        return this.handleTrap(exit);
      } finally {
        this.leavingPassThrough = false;
      }
    }
    return true;
  }

  private endPassThrough(): void {
    if (!this.passingThrough) return;
    this.passingThrough = false;
    this.stage2.passThrough = false;
    // Translations made while everything was mapped must not outlive it.
    this.cpu.tlb.invalidateAll();
    this.cpu.flushSoftTlb();
  }

  /** The VMM answered the MMIO read: the bus replays it with the data; write the register and go past the load. */
  private finishMmioRead(exit: VcpuExit): void {
    this.readPending = false;
    const bus = this.ctx.bus;
    const a = this.readAddress;
    const value = this.readSize === 4 ? bus.read32(a) : this.readSize === 2 ? bus.read16(a) : bus.read8(a);
    if (exit.kind !== ExitKind.None || this.ctx.exitRequest[0] !== 0) return;
    this.completeLoad(value, this.readSize, this.readRegister, this.readSigned, this.readLength);
  }

  private completeLoad(raw: number, size: number, rt: number, signed: boolean, length: number): void {
    const cpu = this.cpu;
    let v = size === 4 ? raw | 0 : size === 2 ? raw & 0xffff : raw & 0xff;
    if (cpu.endianBig) v = swap(v, size);
    if (signed) v = size === 2 ? (v << 16) >> 16 : size === 1 ? (v << 24) >> 24 : v;
    this.skip(length);
    if (rt === 15) {
      // LDR PC (LoadWritePC): interworking branch.
      cpu.branchExchange(v);
    } else cpu.r[rt] = v;
  }

  private internalError(exit: VcpuExit, pc: number, reason: string): boolean {
    exit.setInternalError(InternalErrorKind.Emulation, pc, 0, reason);
    return true;
  }
}

function swap(v: number, size: number): number {
  if (size === 2) return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
  if (size === 4) return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | ((v >>> 24) & 0xff);
  return v;
}
