/**
 * The Hyp Syndrome Register (ARM ARM B3.13.6, B4.1.73): what an exception
 * taken to Hyp mode says about its cause. HSR = EC[31:26] | IL[25] |
 * ISS[24:0]; IL is 1 for a 32-bit instruction and for the exception classes
 * without a valid instruction length (unknown reason, aborts without an
 * instruction syndrome, prefetch aborts).
 *
 * For trapped instructions CV = 1 and COND = 0xE: the manual allows it when,
 * as here, an instruction is trapped only after passing its condition check
 * (B3.13.6), and the Cortex-A7/A15 TRMs state that their HSR does exactly this
 * ("When an instruction is trapped, the COND field is 0xE"); QEMU likewise.
 */

/** HSR.EC values (Table B3-23 of the Virtualization Extensions section). */
export const enum HsrEc {
  Unknown = 0x00,
  WfiWfe = 0x01,
  Mcr15 = 0x03,
  Mcrr15 = 0x04,
  Mcr14 = 0x05,
  Ldc14 = 0x06,
  /** HCPTR-trapped access to CP0–CP13 (Advanced SIMD and VFP). */
  Hcptr = 0x07,
  /** HCR.TID0-trapped MRC/VMRS to CP10 (FPSID). */
  Cp10Id = 0x08,
  Mrrc14 = 0x0c,
  /** SVC routed to Hyp mode (HCR.TGE) or executed in Hyp mode. */
  Svc = 0x11,
  Hvc = 0x12,
  Smc = 0x13,
  /** Prefetch Abort routed to Hyp mode (stage 2 fault, HCR.TGE). */
  PrefetchAbortRouted = 0x20,
  /** Prefetch Abort taken from Hyp mode. */
  PrefetchAbortHyp = 0x21,
  /** Data Abort routed to Hyp mode (stage 2 fault, HCR.TGE). */
  DataAbortRouted = 0x24,
  /** Data Abort taken from Hyp mode. */
  DataAbortHyp = 0x25,
}

export const HSR_IL = 1 << 25;
/** ISS.CV = 1 and COND = 0xE (see above). */
const CV_AL = (1 << 24) | (0xe << 20);

export function hsr(ec: number, il: boolean, iss: number): number {
  return ((ec << 26) | (il ? HSR_IL : 0) | (iss & 0x1ffffff)) >>> 0;
}

/** WFI (ti = 0) or WFE (ti = 1) trapped by HCR.TWI/TWE. */
export function wfxSyndrome(wfe: boolean, is32Bit: boolean): number {
  return hsr(HsrEc.WfiWfe, is32Bit, CV_AL | (wfe ? 1 : 0));
}

/** MCR/MRC to CP15 (or CP14 with `ec` = Mcr14): Opc2, Opc1, CRn, Rt, CRm, Direction (1 = read). */
export function mcrSyndrome(ec: number, opc1: number, crn: number, crm: number, opc2: number, rt: number, read: boolean): number {
  return hsr(ec, true, CV_AL | (opc2 << 17) | (opc1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0));
}

/** MCRR/MRRC to CP15 (or MRRC to CP14): Opc1, Rt2, Rt, CRm, Direction. */
export function mcrrSyndrome(ec: number, opc1: number, crm: number, rt: number, rt2: number, read: boolean): number {
  return hsr(ec, true, CV_AL | (opc1 << 16) | (rt2 << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0));
}

/** SMC trapped by HCR.TSC (the ISS is reserved in ARMv7). */
export function smcSyndrome(): number {
  return hsr(HsrEc.Smc, true, 0);
}

/** HVC, or SVC routed to/executed in Hyp mode: the 16-bit immediate. */
export function callSyndrome(ec: number, imm16: number, is32Bit: boolean): number {
  return hsr(ec, is32Bit, imm16 & 0xffff);
}

/** An instruction UNDEFINED in Hyp mode, or routed there by HCR.TGE. */
export function unknownSyndrome(): number {
  return hsr(HsrEc.Unknown, true, 0);
}

/**
 * A Data Abort to Hyp mode: `instructionSyndrome` is ISV | SAS | SSE | SRT
 * (0 when not valid) with `is32Bit` its IL; EA = 0, CM = 0; S1PTW, WnR and
 * the long-format status DFSC.
 */
export function dataAbortSyndrome(ec: number, instructionSyndrome: number, is32Bit: boolean, s1ptw: boolean, write: boolean, status: number): number {
  const il = instructionSyndrome === 0 || is32Bit;
  return hsr(ec, il, instructionSyndrome | (s1ptw ? 1 << 7 : 0) | (write ? 1 << 6 : 0) | (status & 0x3f));
}

/** A Prefetch Abort to Hyp mode: S1PTW and IFSC. */
export function prefetchAbortSyndrome(ec: number, s1ptw: boolean, status: number): number {
  return hsr(ec, true, (s1ptw ? 1 << 7 : 0) | (status & 0x3f));
}

/** Fields of a Data Abort HSR, for hypervisors reading it. */
export const enum DataAbortIss {
  Isv = 1 << 24,
  SseBit = 1 << 21,
  S1ptw = 1 << 7,
  WnR = 1 << 6,
}
