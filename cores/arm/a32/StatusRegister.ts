import { expandImmediate } from '../AluOperations.ts';
import { ArmMode, Bank, Psr, bankOf } from '../ArmState.ts';
import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';

/**
 * Status register access: MRS, MSR (register and immediate, CPSR and SPSR),
 * MRS/MSR (banked register) of the Virtualization Extensions, CPS, SETEND,
 * SRS and RFE (A8.8.108–A8.8.113, B9.3.8–B9.3.13, B9.3.3 CPS, B9.3.13 RFE,
 * B9.3.16 SRS, A8.8.168 SETEND).
 */

/** CPSR bits MRS returns at PL1: everything but the execution state bits IT, J and T (B9.3.9). */
const MRS_CPSR_MASK = 0xf8ff03df;
/** At PL0 MRS returns the APSR: N Z C V Q and GE. */
const APSR_MASK = 0xf80f0000;

/** MRS Rd, CPSR / SPSR. */
const MRS: A32Handler = (c, i) => {
  const d = (i >>> 12) & 15;
  if ((i & (1 << 22)) !== 0) {
    if (!c.privileged || c.mode === ArmMode.Sys) return c.undefinedInstruction(i); // no SPSR: UNPREDICTABLE
    c.r[d] = c.currentSpsr;
    return;
  }
  c.r[d] = c.cpsr & (c.privileged ? MRS_CPSR_MASK : APSR_MASK);
};

/** Write `value` to CPSR or SPSR under the field mask (bits 19:16 of the instruction). */
function msr(c: ArmCpu, i: number, value: number): void {
  const mask = (i >>> 16) & 15;
  if ((i & (1 << 22)) === 0) {
    c.writeCpsrByInstruction(value, mask);
    return;
  }
  // SPSR: every bit of the selected bytes (B9.3.12); UNPREDICTABLE without an SPSR.
  if (!c.privileged || c.mode === ArmMode.Sys) return c.undefinedInstruction(i);
  let bytes = 0;
  if (mask & 8) bytes |= 0xff000000;
  if (mask & 4) bytes |= 0x00ff0000;
  if (mask & 2) bytes |= 0x0000ff00;
  if (mask & 1) bytes |= 0x000000ff;
  c.currentSpsr = (c.currentSpsr & ~bytes) | (value & bytes);
}

const MSR_reg: A32Handler = (c, i) => msr(c, i, c.r[i & 15]);
const MSR_imm: A32Handler = (c, i) => msr(c, i, expandImmediate(i & 0xfff));

// --- banked registers (B9.2.3, Table B9-2) -----------------------------------

/**
 * Bank and register of SYSm = m:m1 for R = 0, packed as bank << 4 | register
 * (no object per execution); -1 for reserved encodings.
 */
function bankedTarget(sysm: number): number {
  if (sysm <= 6) return (Bank.Usr << 4) | (8 + sysm);
  if (sysm >= 8 && sysm <= 14) return (Bank.Fiq << 4) | sysm;
  let bank: number;
  switch (sysm & ~1) {
    case 16: bank = Bank.Irq; break;
    case 18: bank = Bank.Svc; break;
    case 20: bank = Bank.Abt; break;
    case 22: bank = Bank.Und; break;
    case 28: bank = Bank.Mon; break;
    case 30: bank = Bank.Hyp; break;
    default: return -1;
  }
  // Even: LR (ELR for Hyp), odd: SP.
  return (bank << 4) | ((sysm & 1) !== 0 ? 13 : 14);
}

function spsrBank(sysm: number): number {
  switch (sysm) {
    case 14: return Bank.Fiq;
    case 16: return Bank.Irq;
    case 18: return Bank.Svc;
    case 20: return Bank.Abt;
    case 22: return Bank.Und;
    case 28: return Bank.Mon;
    case 30: return Bank.Hyp;
    default: return -1;
  }
}

function readBankedRegister(c: ArmCpu, bank: number, reg: number): number {
  const inFiq = c.mode === ArmMode.Fiq;
  if (bank === Bank.Usr) return c.userRegister(reg);
  if (bank === Bank.Fiq && reg < 13) return inFiq ? c.r[reg] : c.fiqHigh[reg - 8];
  // ELR_hyp before the current bank: in Hyp mode R14 is the User mode LR, not ELR_hyp (B9.3.9).
  if (bank === Bank.Hyp && reg === 14) return c.elrHyp;
  if (bankOf(c.mode) === bank) return c.r[reg];
  return reg === 13 ? c.bankedSp[bank] : c.bankedLr[bank];
}

function writeBankedRegister(c: ArmCpu, bank: number, reg: number, value: number): void {
  const inFiq = c.mode === ArmMode.Fiq;
  if (bank === Bank.Usr) c.setUserRegister(reg, value);
  else if (bank === Bank.Fiq && reg < 13) {
    if (inFiq) c.r[reg] = value;
    else c.fiqHigh[reg - 8] = value;
  } else if (bank === Bank.Hyp && reg === 14) c.elrHyp = value;
  else if (bankOf(c.mode) === bank) c.r[reg] = value;
  else if (reg === 13) c.bankedSp[bank] = value;
  else c.bankedLr[bank] = value;
}

/** Banked access is UNDEFINED at PL0 and for encodings or modes that do not exist. */
function bankedAllowed(c: ArmCpu, bank: number): boolean {
  if (!c.privileged || !c.virtualization) return false;
  if (bank === Bank.Mon && !c.security) return false;
  if (bank === Bank.Hyp && c.mode !== ArmMode.Mon && c.mode !== ArmMode.Hyp) return false;
  return true;
}

function sysmOf(i: number): number {
  return (((i >>> 8) & 1) << 4) | ((i >>> 16) & 15);
}

const MRS_banked: A32Handler = (c, i) => {
  const sysm = sysmOf(i);
  const d = (i >>> 12) & 15;
  if ((i & (1 << 22)) !== 0) {
    const bank = spsrBank(sysm);
    if (bank < 0 || !bankedAllowed(c, bank)) return c.undefinedInstruction(i);
    c.r[d] = c.spsr[bank];
    return;
  }
  const t = bankedTarget(sysm);
  if (t < 0 || !bankedAllowed(c, t >> 4)) return c.undefinedInstruction(i);
  c.r[d] = readBankedRegister(c, t >> 4, t & 15);
};

const MSR_banked: A32Handler = (c, i) => {
  const sysm = sysmOf(i);
  const value = c.r[i & 15];
  if ((i & (1 << 22)) !== 0) {
    const bank = spsrBank(sysm);
    if (bank < 0 || !bankedAllowed(c, bank)) return c.undefinedInstruction(i);
    c.spsr[bank] = value;
    return;
  }
  const t = bankedTarget(sysm);
  if (t < 0 || !bankedAllowed(c, t >> 4)) return c.undefinedInstruction(i);
  writeBankedRegister(c, t >> 4, t & 15, value);
};

// --- CPS, SETEND ------------------------------------------------------------

/** CPS (B9.3.3): imod 10 clears, 11 sets the selected A/I/F masks; M changes mode. A NOP at PL0. */
const CPS: A32Handler = (c, i) => {
  if (!c.privileged) return;
  const imod = (i >>> 18) & 3;
  const bits = i & (Psr.A | Psr.I | Psr.F);
  let value = c.cpsr;
  if (imod === 2) value &= ~bits;
  else if (imod === 3) value |= bits;
  if ((i & (1 << 17)) !== 0) value = (value & ~Psr.M) | (i & 0x1f);
  c.writeCpsrByInstruction(value, 1 | 2);
};

/** SETEND (A8.8.168): CPSR.E. */
const SETEND: A32Handler = (c, i) => {
  c.endianBig = (i >>> 9) & 1;
  c.updateTlbBases();
};

// --- SRS, RFE ------------------------------------------------------------------

/** Address pair of SRS/RFE for P/U (DA, IA, DB, IB), and the written-back base. */
function blockAddress(base: number, i: number): number {
  switch ((i >>> 23) & 3) {
    case 0: return (base - 4) | 0; // DA
    case 1: return base; // IA
    case 2: return (base - 8) | 0; // DB
    default: return (base + 4) | 0; // IB
  }
}

function blockWriteBack(base: number, i: number): number {
  return (i & (1 << 23)) !== 0 ? (base + 8) | 0 : (base - 8) | 0;
}

/** SRS (B9.3.16): store LR and SPSR of the current mode to the stack of mode `mode`. */
const SRS: A32Handler = (c, i) => {
  if (!c.privileged || c.mode === ArmMode.Sys || c.mode === ArmMode.Hyp) return c.undefinedInstruction(i);
  const mode = i & 0x1f;
  const bank = bankOf(mode);
  if (bank < 0 || !c.isModeAllowed(mode) || mode === ArmMode.Hyp) return c.undefinedInstruction(i);
  const base = bank === bankOf(c.mode) ? c.r[13] : bank === 0 ? c.userRegister(13) : c.bankedSp[bank];
  const address = blockAddress(base, i);
  c.write32Aligned(address, c.r[14]);
  if (c.aborted) return;
  c.write32Aligned((address + 4) | 0, c.currentSpsr);
  if (c.aborted) return;
  if ((i & (1 << 21)) !== 0) {
    const nb = blockWriteBack(base, i);
    if (bank === bankOf(c.mode)) c.r[13] = nb;
    else if (bank === 0) c.setUserRegister(13, nb);
    else c.bankedSp[bank] = nb;
  }
};

/** RFE (B9.3.13): load PC and CPSR from memory. */
const RFE: A32Handler = (c, i) => {
  if (!c.privileged || c.mode === ArmMode.Hyp) return c.undefinedInstruction(i);
  const n = (i >>> 16) & 15;
  const address = blockAddress(c.r[n], i);
  const pc = c.read32Aligned(address);
  if (c.aborted) return;
  const spsr = c.read32Aligned((address + 4) | 0);
  if (c.aborted) return;
  if ((i & (1 << 21)) !== 0) c.r[n] = blockWriteBack(c.r[n], i);
  c.exceptionReturn(pc, spsr);
};

export const statusRegisterEncodings: Encoding<A32Handler>[] = [
  { name: 'MRS', pattern: 'cccc 0001 0R00 (1)(1)(1)(1) dddd (0)(0)0(0) 0000 (0)(0)(0)(0)', exec: MRS },
  { name: 'MSR (register)', pattern: 'cccc 0001 0R10 kkkk (1)(1)(1)(1) (0)(0)0(0) 0000 nnnn', exec: MSR_reg },
  { name: 'MSR (immediate)', pattern: 'cccc 0011 0R10 kkkk (1)(1)(1)(1) iiii iiii iiii', exec: MSR_imm, unless: ['---- ---- -0-- 0000 ---- ---- ---- ----'] },
  { name: 'MRS (banked register)', pattern: 'cccc 0001 0R00 mmmm dddd (0)(0)1M 0000 (0)(0)(0)(0)', exec: MRS_banked },
  { name: 'MSR (banked register)', pattern: 'cccc 0001 0R10 mmmm (1)(1)(1)(1) (0)(0)1M 0000 nnnn', exec: MSR_banked },
  { name: 'CPS', pattern: '1111 0001 0000 ii M0 (0)(0)(0)(0)(0)(0)(0) AIF0 oooo o', exec: CPS },
  { name: 'SETEND', pattern: '1111 0001 0000 0001 (0)(0)(0)(0)(0)(0) E(0) 0000 (0)(0)(0)(0)', exec: SETEND },
  { name: 'SRS', pattern: '1111 100P U1W0 (1)(1)(0)(1) (0)(0)(0)(0) (0)(1)(0)(1) (0)(0)(0) ooooo', exec: SRS },
  { name: 'RFE', pattern: '1111 100P U0W1 nnnn (0)(0)(0)(0) (1)(0)(1)(0) (0)(0)(0)(0)(0)(0)(0)(0)', exec: RFE },
];
