import type { ArmCpu } from './ArmCpu.ts';
import { mayAccess, type SystemRegister32, type SystemRegister64 } from './Cp15Registers.ts';
import { currentInstructionAddress, enterHyp, instructionIs32Bit, Vector } from './Exceptions.ts';
import { HsrEc, hsr, mcrrSyndrome, mcrSyndrome, smcSyndrome, wfxSyndrome } from './HypSyndrome.ts';
import { HCPTR_TCPAC, Hcr } from './SystemRegisterState.ts';

/**
 * Traps of Non-secure PL1 and PL0 operations to Hyp mode (ARM ARM B1.14,
 * "Traps to the hypervisor"): HCR's instruction and register traps, HSTR's
 * per-CRn CP15 traps, HCPTR.TCPAC, and CNTHCTL's timer access controls. Each
 * check runs only while `cpu.hypTraps` says some trap is configured and the
 * core is at PL0/PL1, so a core without a hypervisor pays one boolean test.
 *
 * A trapped instruction has no effect; Hyp mode is entered at the Hyp Trap
 * vector with ELR_hyp = the instruction's address and HSR describing it.
 */

/** HCR bits that trap something. */
const HCR_TRAP_BITS =
  Hcr.TWI | Hcr.TWE | Hcr.TID0 | Hcr.TID1 | Hcr.TID2 | Hcr.TID3 | Hcr.TSC | Hcr.TIDCP | Hcr.TAC | Hcr.TSW |
  Hcr.TPC | Hcr.TPU | Hcr.TTLB | Hcr.TVM | Hcr.TGE;

/** HCPTR bits that trap: TCP10, TCP11 (VFP and Advanced SIMD), TASE, TCPAC. */
const HCPTR_TRAPS = HCPTR_TCPAC | 0x8c00;

/** HDCR bits that trap CP14 debug register accesses (B4.1.66): TDE (8), TDA (9), TDOSA (10), TDRA (11). */
/** HSTR.TTEE: trap ThumbEE register accesses to Hyp mode. */
const HSTR_TTEE = 1 << 16;
const HDCR_TDE = 1 << 8;
const HDCR_TDA = 1 << 9;
const HDCR_TDOSA = 1 << 10;
const HDCR_TDRA = 1 << 11;
const HDCR_TRAPS = HDCR_TDE | HDCR_TDA | HDCR_TDOSA | HDCR_TDRA;

/** Whether any trap is configured (the core combines this with its mode into `hypTraps`). */
export function hypTrapsConfigured(cpu: ArmCpu): boolean {
  const sys = cpu.sys;
  return (
    cpu.virtualization &&
    ((sys.hcr & HCR_TRAP_BITS) !== 0 || sys.hstr !== 0 || (sys.hcptr & HCPTR_TRAPS) !== 0 || (sys.hdcr & HDCR_TRAPS) !== 0 ||
      (cpu.timer.hctl & 3) !== 3)
  );
}

/** Take the Hyp Trap exception for the current instruction with `syndrome`. */
export function takeHypTrap(cpu: ArmCpu, syndrome: number): void {
  enterHyp(cpu, 'hyp-trap', Vector.HypTrap, currentInstructionAddress(cpu), syndrome);
}

/**
 * CRn regions HCR.TIDCP traps (B4.1.65): the IMPLEMENTATION DEFINED
 * lockdown, DMA and TCM spaces of c9, c10 and c11.
 */
function implementationDefined(crn: number, crm: number): boolean {
  if (crn === 9) return crm <= 2 || (crm >= 5 && crm <= 8);
  if (crn === 10) return crm === 0 || crm === 1 || crm === 4 || crm === 8;
  if (crn === 11) return crm <= 8 || crm === 15;
  return false;
}

/**
 * MCR/MRC to CP15: true when the access was trapped (the caller then does
 * nothing more). An access that is UNDEFINED at PL0 stays UNDEFINED; at PL1
 * HSTR and TIDCP trap even registers the core does not have.
 */
export function trapCp15Access32(
  cpu: ArmCpu,
  reg: SystemRegister32 | undefined,
  opc1: number,
  crn: number,
  crm: number,
  opc2: number,
  rt: number,
  read: boolean,
): boolean {
  const sys = cpu.sys;
  const pl0 = cpu.privileged === 0;
  if (pl0 && (reg === undefined || !mayAccess(cpu, reg, !read))) return false;
  let trapped = crn !== 14 && (sys.hstr & (1 << crn)) !== 0;
  if (!trapped && !pl0 && (sys.hcr & Hcr.TIDCP) !== 0 && implementationDefined(crn, crm)) trapped = true;
  if (!trapped && reg !== undefined) {
    if (!pl0) {
      const bits = read ? reg.trapRead : reg.trapWrite;
      if (bits !== undefined && (sys.hcr & bits) !== 0) trapped = true;
      else if (reg.name === 'CPACR' && (sys.hcptr & HCPTR_TCPAC) !== 0) trapped = true;
    }
    if (reg.timerTrap !== undefined && (cpu.timer.hctl & reg.timerTrap) === 0) trapped = true;
  }
  if (!trapped) return false;
  takeHypTrap(cpu, mcrSyndrome(HsrEc.Mcr15, opc1, crn, crm, opc2, rt, read));
  return true;
}

/** MCRR/MRRC to CP15 (HSTR uses CRm as the primary register number of a 64-bit access). */
export function trapCp15Access64(
  cpu: ArmCpu,
  reg: SystemRegister64 | undefined,
  opc1: number,
  crm: number,
  rt: number,
  rt2: number,
  read: boolean,
): boolean {
  const sys = cpu.sys;
  const pl0 = cpu.privileged === 0;
  if (pl0 && (reg === undefined || !mayAccess(cpu, reg, !read))) return false;
  let trapped = crm !== 14 && (sys.hstr & (1 << crm)) !== 0;
  if (!trapped && reg !== undefined) {
    if (!pl0 && !read && reg.trapWrite !== undefined && (sys.hcr & reg.trapWrite) !== 0) trapped = true;
    if (reg.timerTrap !== undefined && (cpu.timer.hctl & reg.timerTrap) === 0) trapped = true;
  }
  if (!trapped) return false;
  takeHypTrap(cpu, mcrrSyndrome(HsrEc.Mcrr15, opc1, crm, rt, rt2, read));
  return true;
}

/** WFI/WFE under HCR.TWI/TWE: true when trapped (only when it would have waited: the caller checks that). */
export function trapWfx(cpu: ArmCpu, wfe: boolean): boolean {
  if ((cpu.sys.hcr & (wfe ? Hcr.TWE : Hcr.TWI)) === 0) return false;
  takeHypTrap(cpu, wfxSyndrome(wfe, instructionIs32Bit(cpu)));
  return true;
}

/** SMC at PL1 under HCR.TSC (B1.14.x): true when trapped. */
export function trapSmc(cpu: ArmCpu): boolean {
  if (cpu.privileged === 0 || (cpu.sys.hcr & Hcr.TSC) === 0) return false;
  takeHypTrap(cpu, smcSyndrome());
  return true;
}

/**
 * A VFP/Advanced SIMD instruction that CPACR allows: trapped by HCPTR.TCP10
 * or TCP11 (either traps the whole unit, as CP10 and CP11 go together) with
 * EC 0x07, coproc = 0xA (B3.13.6); VMRS of FPSID under HCR.TID0 and of
 * MVFR0/MVFR1 under TID3 with EC 0x08. `idRegister` is the VMRS register
 * number for a VMRS, else -1; `rt` its destination.
 */
export function trapVfp(cpu: ArmCpu, idRegister: number, rt: number): boolean {
  const sys = cpu.sys;
  if ((sys.hcptr & 0xc00) !== 0) {
    takeHypTrap(cpu, hsr(HsrEc.Hcptr, instructionIs32Bit(cpu), (1 << 24) | (0xe << 20) | 0xa));
    return true;
  }
  if (cpu.privileged === 0) return false;
  const idTrap = idRegister === 0 ? Hcr.TID0 : idRegister === 6 || idRegister === 7 ? Hcr.TID3 : 0;
  if (idTrap === 0 || (sys.hcr & idTrap) === 0) return false;
  // As an MRC p10, 7, Rt, c<reg>, c0, 0.
  takeHypTrap(cpu, mcrSyndrome(HsrEc.Cp10Id, 7, idRegister, 0, 0, rt, true));
  return true;
}

/**
 * MCR/MRC (and MRRC) to the CP14 debug registers under HDCR (B4.1.66): TDRA
 * traps DBGDRAR/DBGDSAR, TDOSA the OS lock and power-down registers
 * (DBGOSLAR, DBGOSLSR, DBGOSDLR, DBGPRCR), TDA every other debug register;
 * TDE implies all three. HSR EC 0x05 (0x0C for MRRC). Accesses UNDEFINED at
 * PL0 are left to the caller.
 */
export function trapCp14Access(cpu: ArmCpu, crn: number, crm: number, opc2: number, rt: number, read: boolean, allowed: boolean): boolean {
  if (!allowed) return false;
  const hdcr = cpu.sys.hdcr | ((cpu.sys.hdcr & HDCR_TDE) !== 0 ? HDCR_TDA | HDCR_TDOSA | HDCR_TDRA : 0);
  const rom = crm === 0 && opc2 === 0 && (crn === 1 || crn === 2);
  const osLock = crn === 1 && opc2 === 4 && (crm === 0 || crm === 1 || crm === 3 || crm === 4);
  const bit = rom ? HDCR_TDRA : osLock ? HDCR_TDOSA : HDCR_TDA;
  if ((hdcr & bit) === 0) return false;
  takeHypTrap(cpu, mcrSyndrome(HsrEc.Mcr14, 0, crn, crm, opc2, rt, read));
  return true;
}

/** MRRC p14 of DBGDRAR/DBGDSAR (CRm 1/2) under HDCR.TDRA (or TDE): EC 0x0C. */
export function trapCp14Access64(cpu: ArmCpu, crm: number, rt: number, rt2: number): boolean {
  if ((cpu.sys.hdcr & (HDCR_TDRA | HDCR_TDE)) === 0) return false;
  takeHypTrap(cpu, mcrrSyndrome(HsrEc.Mrrc14, 0, crm, rt, rt2, true));
  return true;
}

/** MRC/MCR p14, 6 (ThumbEE registers) under HSTR.TTEE: EC 0x05 with Opc1 = 6 (B1.14.7). */
export function trapThumbEeAccess(cpu: ArmCpu, crn: number, crm: number, opc2: number, rt: number, read: boolean, allowed: boolean): boolean {
  if (!allowed || (cpu.sys.hstr & HSTR_TTEE) === 0) return false;
  takeHypTrap(cpu, mcrSyndrome(HsrEc.Mcr14, 6, crn, crm, opc2, rt, read));
  return true;
}
