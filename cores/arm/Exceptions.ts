import { ArmMode, Bank, Psr } from './ArmState.ts';
import { Sctlr } from './SystemRegisterState.ts';
import { faultStatus, type FaultInfo } from './mmu/Fault.ts';
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
  if (cpu.mode === ArmMode.Hyp) {
    enterHyp(cpu, 'undefined', Vector.Undefined, cpu.nextPc, 0);
    return;
  }
  enterException(cpu, 'undefined', ArmMode.Und, Vector.Undefined, cpu.nextPc, Psr.I);
}

/** Supervisor Call: LR = next instruction. */
export function takeSupervisorCall(cpu: ArmCpu): void {
  if (cpu.mode === ArmMode.Hyp) {
    enterHyp(cpu, 'svc', Vector.SupervisorCall, cpu.nextPc, 0);
    return;
  }
  enterException(cpu, 'svc', ArmMode.Svc, Vector.SupervisorCall, cpu.nextPc, Psr.I);
}

/**
 * Prefetch Abort: IFSR/IFAR written, LR = faulting instruction + 4.
 * `faultAddress` differs from `instructionAddress` only for a 32-bit T32
 * instruction whose second halfword faults.
 */
export function takePrefetchAbort(cpu: ArmCpu, instructionAddress: number, faultAddress: number, fault: FaultInfo): void {
  const sys = cpu.sys;
  sys.ifsr = faultStatus(fault, sys.longFormat, false);
  sys.ifar = faultAddress | 0;
  enterException(cpu, 'prefetch-abort', ArmMode.Abt, Vector.PrefetchAbort, (instructionAddress + 4) | 0, Psr.A | Psr.I);
}

/** Data Abort: DFSR/DFAR written, LR = faulting instruction + 8. */
export function takeDataAbort(cpu: ArmCpu, address: number, fault: FaultInfo, write: boolean): void {
  const sys = cpu.sys;
  sys.dfsr = faultStatus(fault, sys.longFormat, write);
  sys.dfar = address | 0;
  enterException(cpu, 'data-abort', ArmMode.Abt, Vector.DataAbort, (currentInstructionAddress(cpu) + 8) | 0, Psr.A | Psr.I);
  cpu.aborted = true;
}

/** IRQ, taken between instructions: LR = next instruction + 4. */
export function takeIrq(cpu: ArmCpu): void {
  enterException(cpu, 'irq', ArmMode.Irq, Vector.Irq, (cpu.nextPc + 4) | 0, Psr.A | Psr.I);
}

/** FIQ: as IRQ, also masking FIQs. */
export function takeFiq(cpu: ArmCpu): void {
  enterException(cpu, 'fiq', ArmMode.Fiq, Vector.Fiq, (cpu.nextPc + 4) | 0, Psr.A | Psr.I | Psr.F);
}

/** Secure Monitor Call to Monitor mode (Security Extensions): LR = next instruction. */
export function takeSecureMonitorCall(cpu: ArmCpu): void {
  enterException(cpu, 'smc', ArmMode.Mon, Vector.SupervisorCall, cpu.nextPc, Psr.A | Psr.I | Psr.F);
}

/**
 * Entry to Hyp mode (B1.8.2, Virtualization Extensions): ELR_hyp holds the
 * return address and SPSR_hyp the old CPSR; LR is untouched. HSR describes
 * the cause (its contents belong to the guest-mode support; `syndrome` is
 * written as given).
 */
export function enterHyp(cpu: ArmCpu, kind: string, offset: number, returnAddress: number, syndrome: number): void {
  const from = currentInstructionAddress(cpu);
  const savedCpsr = cpu.cpsr;
  cpu.switchMode(ArmMode.Hyp);
  cpu.spsr[Bank.Hyp] = savedCpsr;
  cpu.elrHyp = returnAddress;
  cpu.sys.hsr = syndrome;
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

/** Hypervisor Call from a PL1 mode: taken to Hyp mode at HVBAR + 0x08 ("Hypervisor Call" vector). */
export function takeHypervisorCall(cpu: ArmCpu, imm16: number): void {
  // HSR: EC = 0x12 (HVC), IL = 1: HVC is a 32-bit instruction in A32 and in T32, ISS = imm16 (B3.13.6).
  const il = 1 << 25;
  const offset = cpu.mode === ArmMode.Hyp ? Vector.SupervisorCall : Vector.HypTrap;
  enterHyp(cpu, 'hvc', offset, cpu.nextPc, ((0x12 << 26) | il | (imm16 & 0xffff)) >>> 0);
}
