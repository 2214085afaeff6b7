import { a32AccessSyndrome, t16AccessSyndrome, t32AccessSyndrome } from './AccessSyndrome.ts';
import { ArmMode, Bank, Psr } from './ArmState.ts';
import { HsrEc, callSyndrome, dataAbortSyndrome, prefetchAbortSyndrome, unknownSyndrome } from './HypSyndrome.ts';
import { Hcr, Sctlr } from './SystemRegisterState.ts';
import { hpfarOf } from './mmu/AddressTranslation.ts';
import { FaultKind, faultStatus, longStatus, type FaultInfo } from './mmu/Fault.ts';
import type { ArmCpu } from './ArmCpu.ts';

/**
 * Exception entry (ARM ARM B1.8 "Exception handling"). Each function is
 * called while the faulting or interrupted instruction is current: R15
 * holds its address + 8 (A32) or + 4 (T32) and `nextPc` the address of the
 * instruction after it. The entry writes the return address to LR (Table
 * B1-7), the old CPSR to the SPSR of the target mode, switches mode, sets the
 * masks, picks the instruction set from SCTLR.TE and the data endianness from
 * SCTLR.EE, clears IT, and continues at the vector (Table B1-3).
 */

/** Vector offsets (B1.8.1). */
export const enum Vector {
  Reset = 0x00,
  Undefined = 0x04,
  SupervisorCall = 0x08,
  PrefetchAbort = 0x0c,
  DataAbort = 0x10,
  HypTrap = 0x14,
  Irq = 0x18,
  Fiq = 0x1c,
}

/** Address of the instruction being executed. */
export function currentInstructionAddress(cpu: ArmCpu): number {
  return (cpu.r[15] - (cpu.thumb ? 4 : 8)) | 0;
}

/** Whether the executing instruction is 32 bits long (always in A32; in T32 from where the next one starts). */
export function instructionIs32Bit(cpu: ArmCpu): boolean {
  return cpu.thumb === 0 || ((cpu.nextPc - currentInstructionAddress(cpu)) | 0) === 4;
}

function vectorBase(cpu: ArmCpu, mode: number): number {
  if (mode === ArmMode.Mon) return cpu.sys.mvbar & ~0x1f;
  if (mode === ArmMode.Hyp) return cpu.sys.hvbar & ~0x1f;
  return (cpu.sys.sctlr & Sctlr.V) !== 0 ? 0xffff0000 | 0 : cpu.sys.vbar & ~0x1f;
}

/**
 * Common entry to a PL1 mode. `maskBits` are the CPSR A/I/F bits to set
 * (B1.8.3 Table B1-6); `returnAddress` goes to LR.
 */
export function enterException(
  cpu: ArmCpu,
  kind: string,
  mode: number,
  offset: number,
  returnAddress: number,
  maskBits: number,
): void {
  const from = currentInstructionAddress(cpu);
  const savedCpsr = cpu.cpsr;
  cpu.switchMode(mode);
  cpu.spsr[cpu.currentBank] = savedCpsr;
  cpu.r[14] = returnAddress;
  cpu.masks |= maskBits;
  const sctlr = cpu.sys.sctlr;
  cpu.thumb = (sctlr & Sctlr.TE) !== 0 ? 1 : 0;
  cpu.endianBig = (sctlr & Sctlr.EE) !== 0 ? 1 : 0;
  cpu.it = 0;
  cpu.jazelle = 0;
  const vector = (vectorBase(cpu, mode) + offset) | 0;
  cpu.nextPc = vector;
  cpu.exceptionTaken();
  cpu.probe.exception(kind, from, vector >>> 0);
}

/** Undefined Instruction: LR = address of the next instruction (A32 +4, T32 +2/+4). */
export function takeUndefined(cpu: ArmCpu, encoding: number): void {
  cpu.probe.undefinedInstruction(currentInstructionAddress(cpu) >>> 0, encoding >>> 0, cpu.thumb === 1);
  // In Hyp mode, or from User mode with HCR.TGE (B1.14.1), it goes to Hyp mode: ELR_hyp = the instruction.
  if (cpu.mode === ArmMode.Hyp) {
    enterHyp(cpu, 'undefined', Vector.Undefined, currentInstructionAddress(cpu), unknownSyndrome());
    return;
  }
  if (routedByTge(cpu)) {
    enterHyp(cpu, 'undefined', Vector.HypTrap, currentInstructionAddress(cpu), unknownSyndrome());
    return;
  }
  enterException(cpu, 'undefined', ArmMode.Und, Vector.Undefined, cpu.nextPc, Psr.I);
}

/** HCR.TGE routes User mode's synchronous exceptions to Hyp mode (B1.14.1). */
function routedByTge(cpu: ArmCpu): boolean {
  return cpu.mode === ArmMode.Usr && cpu.virtualization && (cpu.sys.hcr & Hcr.TGE) !== 0;
}

/** Supervisor Call: LR = next instruction. `imm16` is the immediate's low 16 bits (HSR.ISS when it goes to Hyp mode). */
export function takeSupervisorCall(cpu: ArmCpu, imm16 = 0): void {
  if (cpu.mode === ArmMode.Hyp || routedByTge(cpu)) {
    const offset = cpu.mode === ArmMode.Hyp ? Vector.SupervisorCall : Vector.HypTrap;
    enterHyp(cpu, 'svc', offset, cpu.nextPc, callSyndrome(HsrEc.Svc, imm16, instructionIs32Bit(cpu)));
    return;
  }
  enterException(cpu, 'svc', ArmMode.Svc, Vector.SupervisorCall, cpu.nextPc, Psr.I);
}

/**
 * Prefetch Abort: IFSR/IFAR written, LR = faulting instruction + 4.
 * `faultAddress` differs from `instructionAddress` only for a 32-bit T32
 * instruction whose second halfword faults. Stage 2 faults, faults in Hyp
 * mode and (HCR.TGE) faults of User mode go to Hyp mode instead: HIFAR,
 * HSR, and HPFAR for stage 2 (B3.12.5).
 */
export function takePrefetchAbort(cpu: ArmCpu, instructionAddress: number, faultAddress: number, fault: FaultInfo): void {
  const sys = cpu.sys;
  const inHyp = cpu.mode === ArmMode.Hyp;
  if (fault.stage2 || inHyp || (routedByTge(cpu) && fault.kind !== FaultKind.Debug)) {
    sys.hifar = faultAddress | 0;
    if (fault.stage2) sys.hpfar = hpfarOf(fault.ipa);
    const ec = inHyp ? HsrEc.PrefetchAbortHyp : HsrEc.PrefetchAbortRouted;
    enterHyp(cpu, 'prefetch-abort', inHyp ? Vector.PrefetchAbort : Vector.HypTrap, instructionAddress,
      prefetchAbortSyndrome(ec, fault.s1ptw, longStatus(fault.kind, fault.level)));
    return;
  }
  sys.ifsr = faultStatus(fault, sys.longFormat, false);
  sys.ifar = faultAddress | 0;
  enterException(cpu, 'prefetch-abort', ArmMode.Abt, Vector.PrefetchAbort, (instructionAddress + 4) | 0, Psr.A | Psr.I);
}

/**
 * Data Abort: DFSR/DFAR written, LR = faulting instruction + 8. Stage 2
 * faults, faults in Hyp mode and (HCR.TGE) faults of User mode go to Hyp
 * mode: HDFAR, HSR with the instruction syndrome, HPFAR for stage 2.
 */
export function takeDataAbort(cpu: ArmCpu, address: number, fault: FaultInfo, write: boolean): void {
  const sys = cpu.sys;
  const inHyp = cpu.mode === ArmMode.Hyp;
  if (fault.stage2 || inHyp || (routedByTge(cpu) && fault.kind !== FaultKind.Debug)) {
    // Read the fault's fields first: finding the instruction syndrome translates the PC again.
    const stage2 = fault.stage2;
    const s1ptw = fault.s1ptw;
    const status = longStatus(fault.kind, fault.level);
    const ipa = fault.ipa;
    const instruction = currentInstructionAddress(cpu);
    // The instruction syndrome is given for stage 2 faults only, not for S1PTW ones (B3.13.6; QEMU likewise).
    const iss = stage2 && !s1ptw ? accessSyndromeAt(cpu, instruction) : 0;
    sys.hdfar = address | 0;
    if (stage2) sys.hpfar = hpfarOf(ipa);
    const ec = inHyp ? HsrEc.DataAbortHyp : HsrEc.DataAbortRouted;
    enterHyp(cpu, 'data-abort', inHyp ? Vector.DataAbort : Vector.HypTrap, instruction,
      dataAbortSyndrome(ec, iss, syndromeIs32Bit, s1ptw, write, status));
    cpu.aborted = true;
    return;
  }
  sys.dfsr = faultStatus(fault, sys.longFormat, write);
  sys.dfar = address | 0;
  enterException(cpu, 'data-abort', ArmMode.Abt, Vector.DataAbort, (currentInstructionAddress(cpu) + 8) | 0, Psr.A | Psr.I);
  cpu.aborted = true;
}

/** Set by accessSyndromeAt: the instruction it decoded was 32 bits long. */
let syndromeIs32Bit = true;

/** ISV | SAS | SSE | SRT of the instruction at `address` (0 when it has none or cannot be read). */
function accessSyndromeAt(cpu: ArmCpu, address: number): number {
  syndromeIs32Bit = true;
  const pa = cpu.translate(address, FETCH, cpu.privilegeLevel);
  if (pa < 0 || cpu.bus.regionAt(pa) === null) return 0;
  if (cpu.thumb === 0) return a32AccessSyndrome(cpu.bus.read32(pa));
  const hw1 = cpu.bus.read16(pa);
  if (hw1 < 0xe800) {
    syndromeIs32Bit = false;
    return t16AccessSyndrome(hw1);
  }
  const pa2 = (address & 0xfff) === 0xffe ? cpu.translate((address + 2) | 0, FETCH, cpu.privilegeLevel) : pa + 2;
  if (pa2 < 0) return 0;
  return t32AccessSyndrome(hw1, cpu.bus.read16(pa2));
}

/** The access kind ArmCpu.translate takes for instruction fetches. */
const FETCH = 2;

/** IRQ, taken between instructions: LR = next instruction + 4. */
export function takeIrq(cpu: ArmCpu): void {
  enterException(cpu, 'irq', ArmMode.Irq, Vector.Irq, (cpu.nextPc + 4) | 0, Psr.A | Psr.I);
}

/** FIQ: as IRQ, also masking FIQs. */
export function takeFiq(cpu: ArmCpu): void {
  enterException(cpu, 'fiq', ArmMode.Fiq, Vector.Fiq, (cpu.nextPc + 4) | 0, Psr.A | Psr.I | Psr.F);
}

/**
 * A virtual asynchronous abort (HCR.VA with HCR.AMO): a Data Abort in Abort
 * mode with DFSR = asynchronous external abort, LR = next instruction + 8;
 * HCR.VA is cleared as it is taken (B1.8.x, "Virtual exceptions").
 */
function takeVirtualAbort(cpu: ArmCpu): void {
  const sys = cpu.sys;
  sys.hcr &= ~Hcr.VA;
  // Asynchronous external abort: FS = 0b10110 (short format), STATUS = 0b010001 (long format).
  sys.dfsr = sys.longFormat ? 0x211 : 0x406;
  enterException(cpu, 'virtual-abort', ArmMode.Abt, Vector.DataAbort, (cpu.nextPc + 8) | 0, Psr.A | Psr.I);
}

/**
 * Whether an interrupt (physical, or virtual and routed by HCR) is pending
 * for the core, masked or not: what ends a WFI (B1.8.13).
 */
export function interruptPending(cpu: ArmCpu): boolean {
  if (cpu.irqLevel || cpu.fiqLevel) return true;
  if (!cpu.virtualization || cpu.mode === ArmMode.Hyp) return false;
  const hcr = cpu.sys.hcr;
  return (
    ((hcr & Hcr.IMO) !== 0 && (cpu.virqLevel || (hcr & Hcr.VI) !== 0)) ||
    ((hcr & Hcr.FMO) !== 0 && (cpu.vfiqLevel || (hcr & Hcr.VF) !== 0)) ||
    (hcr & (Hcr.AMO | Hcr.VA)) === (Hcr.AMO | Hcr.VA)
  );
}

/**
 * Take the highest-priority pending interrupt the current state allows
 * (B1.8.6, and with the Virtualization Extensions B1.8.x "Virtual
 * exceptions", Table B1-xx of routing):
 *
 * - physical FIQ and IRQ: with HCR.FMO/IMO set and the core in a Non-secure
 *   PL1/PL0 mode they go to Hyp mode whatever CPSR.F/I say; in Hyp mode they
 *   are taken in Hyp mode when unmasked; otherwise to FIQ/IRQ mode;
 * - virtual abort, FIQ and IRQ (HCR.VA/VF/VI, or the virtual inputs 3/2 a
 *   GIC's virtual CPU interface drives) only in PL1/PL0 with their routing
 *   bit set, masked by CPSR.A/F/I, taken to Abort/FIQ/IRQ mode.
 *
 * A core run by a host hypervisor has no physical interrupts of its own.
 */
export function takePendingInterrupt(cpu: ArmCpu): void {
  if (cpu.interruptsHeld) return;
  const masks = cpu.masks;
  if (!cpu.virtualization) {
    if (cpu.fiqLevel && (masks & Psr.F) === 0) takeFiq(cpu);
    else if (cpu.irqLevel && (masks & Psr.I) === 0) takeIrq(cpu);
    return;
  }
  const inHyp = cpu.mode === ArmMode.Hyp;
  const hcr = inHyp ? 0 : cpu.sys.hcr;
  if (cpu.hostHypervisor === null) {
    if (cpu.fiqLevel) {
      if ((hcr & Hcr.FMO) !== 0 || (inHyp && (masks & Psr.F) === 0)) return enterHyp(cpu, 'fiq', Vector.Fiq, cpu.nextPc, -1);
      if (!inHyp && (masks & Psr.F) === 0) return takeFiq(cpu);
    }
    if (cpu.irqLevel) {
      if ((hcr & Hcr.IMO) !== 0 || (inHyp && (masks & Psr.I) === 0)) return enterHyp(cpu, 'irq', Vector.Irq, cpu.nextPc, -1);
      if (!inHyp && (masks & Psr.I) === 0) return takeIrq(cpu);
    }
  }
  if (inHyp) return;
  if ((hcr & (Hcr.AMO | Hcr.VA)) === (Hcr.AMO | Hcr.VA) && (masks & Psr.A) === 0) return takeVirtualAbort(cpu);
  if ((hcr & Hcr.FMO) !== 0 && (cpu.vfiqLevel || (hcr & Hcr.VF) !== 0) && (masks & Psr.F) === 0) return takeFiq(cpu);
  if ((hcr & Hcr.IMO) !== 0 && (cpu.virqLevel || (hcr & Hcr.VI) !== 0) && (masks & Psr.I) === 0) return takeIrq(cpu);
}

/** Secure Monitor Call to Monitor mode (Security Extensions): LR = next instruction. */
export function takeSecureMonitorCall(cpu: ArmCpu): void {
  enterException(cpu, 'smc', ArmMode.Mon, Vector.SupervisorCall, cpu.nextPc, Psr.A | Psr.I | Psr.F);
}

/**
 * Entry to Hyp mode (B1.8.2, Virtualization Extensions): ELR_hyp holds the
 * preferred return address and SPSR_hyp the old CPSR; LR is untouched. HSR
 * gets `syndrome` (-1 leaves it: interrupts do not write it). A, I and F are
 * masked; SCTLR's TE/EE counterparts come from HSCTLR.
 *
 * When a host hypervisor runs the core (tskvm running it as a guest's vCPU)
 * the exception goes to it instead: the same registers are written (HSR,
 * ELR_hyp, SPSR_hyp, and the fault address registers by the callers), the
 * mode does not change, and the core stops so the host can handle it
 * (ArmCpu.hostTrapVector). One mechanism serves both kinds of hypervisor.
 */
export function enterHyp(cpu: ArmCpu, kind: string, offset: number, returnAddress: number, syndrome: number): void {
  const from = currentInstructionAddress(cpu);
  const savedCpsr = cpu.cpsr;
  if (syndrome !== -1) cpu.sys.hsr = syndrome;
  if (cpu.hostHypervisor !== null && cpu.mode !== ArmMode.Hyp) {
    cpu.spsr[Bank.Hyp] = savedCpsr;
    cpu.elrHyp = returnAddress;
    // As an exception entry would: ITSTATE is cleared (the T32 executor then leaves it alone) and restored from SPSR_hyp on return.
    cpu.it = 0;
    cpu.nextPc = returnAddress;
    cpu.hostTrapVector = offset;
    cpu.exitInner = true;
    // Reported with the address the host resumes at, since no vector is taken.
    cpu.probe.exception(kind, from, returnAddress >>> 0);
    return;
  }
  cpu.switchMode(ArmMode.Hyp);
  cpu.spsr[Bank.Hyp] = savedCpsr;
  cpu.elrHyp = returnAddress;
  cpu.masks |= Psr.A | Psr.I | Psr.F;
  cpu.thumb = (cpu.sys.hsctlr & Sctlr.TE) !== 0 ? 1 : 0;
  cpu.endianBig = (cpu.sys.hsctlr & Sctlr.EE) !== 0 ? 1 : 0;
  cpu.it = 0;
  cpu.jazelle = 0;
  const vector = (vectorBase(cpu, ArmMode.Hyp) + offset) | 0;
  cpu.nextPc = vector;
  cpu.exceptionTaken();
  cpu.probe.exception(kind, from, vector >>> 0);
}

/**
 * Hypervisor Call from a PL1 mode: taken to Hyp mode at the Hyp Trap vector
 * (from Hyp mode itself at HVBAR + 0x08). UNDEFINED when HCR.HCD is set and
 * the core is not in Hyp mode (B4.1.65).
 */
export function takeHypervisorCall(cpu: ArmCpu, imm16: number): void {
  if (cpu.mode !== ArmMode.Hyp && (cpu.sys.hcr & Hcr.HCD) !== 0) {
    takeUndefined(cpu, 0);
    return;
  }
  // HSR: EC = 0x12 (HVC), IL = 1: HVC is a 32-bit instruction in A32 and in T32, ISS = imm16 (B3.13.6).
  const offset = cpu.mode === ArmMode.Hyp ? Vector.SupervisorCall : Vector.HypTrap;
  enterHyp(cpu, 'hvc', offset, cpu.nextPc, callSyndrome(HsrEc.Hvc, imm16, true));
}
