/**
 * Storage of the CP15 system registers that hold state (B4.1). Which
 * register an MRC/MCR names, its access rights and side effects are data in
 * Cp15Registers.ts; this class only holds the values, so walkers and the
 * exception logic can read them directly.
 *
 * 64-bit registers (TTBR0/1 in the long format, PAR) are kept as two 32-bit
 * halves, as MRRC/MCRR move them.
 */

/** SCTLR bits (B4.1.130). */
export const enum Sctlr {
  M = 1 << 0,
  A = 1 << 1,
  C = 1 << 2,
  SW = 1 << 10,
  Z = 1 << 11,
  I = 1 << 12,
  V = 1 << 13,
  WXN = 1 << 19,
  UWXN = 1 << 20,
  EE = 1 << 25,
  TRE = 1 << 28,
  AFE = 1 << 29,
  TE = 1 << 30,
}

/** HCR bits (B4.1.65, Virtualization Extensions). */
export const enum Hcr {
  /** Stage 2 translation of the Non-secure PL1&0 regime on. */
  VM = 1 << 0,
  /** Set/way invalidation override (no caches are modelled: no effect). */
  SWIO = 1 << 1,
  /** Protected table walk: a stage 1 walk to stage 2 Device memory is a stage 2 Permission fault. */
  PTW = 1 << 2,
  /** Physical FIQ, IRQ, asynchronous abort routed to Hyp mode, and their virtual ones enabled. */
  FMO = 1 << 3,
  IMO = 1 << 4,
  AMO = 1 << 5,
  /** Virtual FIQ, IRQ, asynchronous abort pending. */
  VF = 1 << 6,
  VI = 1 << 7,
  VA = 1 << 8,
  /** Force broadcast of TLB and cache maintenance. */
  FB = 1 << 9,
  /** Default cacheable: stage 1 of the PL1&0 regime off, stage 2 on. */
  DC = 1 << 12,
  TWI = 1 << 13,
  TWE = 1 << 14,
  TID0 = 1 << 15,
  TID1 = 1 << 16,
  TID2 = 1 << 17,
  TID3 = 1 << 18,
  TSC = 1 << 19,
  TIDCP = 1 << 20,
  TAC = 1 << 21,
  TSW = 1 << 22,
  TPC = 1 << 23,
  TPU = 1 << 24,
  TTLB = 1 << 25,
  TVM = 1 << 26,
  TGE = 1 << 27,
  /** HVC UNDEFINED at PL1. */
  HCD = 1 << 29,
}

/** HCR bits that exist in ARMv7 (bit 28 and bits 31:30 are reserved). */
export const HCR_WRITABLE = 0x2fffffff;

/** HCPTR.TCPAC: trap CPACR accesses (B4.1.68). */
export const HCPTR_TCPAC = 0x80000000;
/** HCPTR bits that exist: TCP10, TCP11, TASE, TTA, TCPAC. */
export const HCPTR_WRITABLE = 0x80108c00;
/** HCPTR bits that read as one: the traps of coprocessors that are not implemented (CP0–CP9, CP12, CP13). */
export const HCPTR_ONES = 0x000033ff;

/** CNTHCTL bits (B4.1.26): PL1 and PL0 may read CNTPCT, and use the physical timer. */
export const enum Cnthctl {
  Pl1Pcten = 1,
  Pl1Pcen = 2,
}

/** TTBCR.EAE: use the long-descriptor (LPAE) translation table format. */
export const TTBCR_EAE = 0x80000000;

export class SystemRegisterState {
  /** QEMU's reset SCTLR for cortex-a15 (MMU, caches off; bits RES1 set). */
  static readonly SCTLR_RESET = 0x00c50078;

  sctlr = SystemRegisterState.SCTLR_RESET;
  actlr = 0;
  cpacr = 0;
  /** Without the Security Extensions, NSACR reads as if CP10/CP11 were accessible from Non-secure state. */
  nsacr = 0x00000c00;
  scr = 0;
  ttbr0Lo = 0;
  ttbr0Hi = 0;
  ttbr1Lo = 0;
  ttbr1Hi = 0;
  ttbcr = 0;
  dacr = 0;
  dfsr = 0;
  ifsr = 0;
  adfsr = 0;
  aifsr = 0;
  dfar = 0;
  ifar = 0;
  parLo = 0;
  parHi = 0;
  /** PRRR in the short format, MAIR0 in the long format (same encoding, c10,c2,0). */
  mair0 = 0;
  /** NMRR / MAIR1 (c10,c2,1). */
  mair1 = 0;
  amair0 = 0;
  amair1 = 0;
  vbar = 0;
  mvbar = 0;
  fcseidr = 0;
  contextidr = 0;
  tpidrurw = 0;
  tpidruro = 0;
  tpidrprw = 0;
  csselr = 0;

  // Virtualization Extensions (B4.1: the Hyp registers). Held here so Hyp
  // mode entry/return work; their traps belong to the guest-mode support.
  hcr = 0;
  hsctlr = 0x30c50818;
  hvbar = 0;
  htcr = 0;
  httbrLo = 0;
  httbrHi = 0;
  vttbrLo = 0;
  vttbrHi = 0;
  vtcr = 0;
  hmair0 = 0;
  hmair1 = 0;
  hsr = 0;
  hdfar = 0;
  hifar = 0;
  hpfar = 0;
  hcptr = 0;
  hstr = 0;
  hdcr = 0;
  hactlr = 0;
  htpidr = 0;
  vpidr = 0;
  vmpidr = 0;

  reset(midr: number, mpidr: number): void {
    this.sctlr = SystemRegisterState.SCTLR_RESET;
    this.actlr = 0;
    this.cpacr = 0;
    this.nsacr = 0x00000c00;
    this.scr = 0;
    this.ttbr0Lo = this.ttbr0Hi = this.ttbr1Lo = this.ttbr1Hi = 0;
    this.ttbcr = 0;
    this.dacr = 0;
    this.dfsr = this.ifsr = this.adfsr = this.aifsr = 0;
    this.dfar = this.ifar = 0;
    this.parLo = this.parHi = 0;
    this.mair0 = this.mair1 = this.amair0 = this.amair1 = 0;
    this.vbar = this.mvbar = 0;
    this.fcseidr = this.contextidr = 0;
    this.tpidrurw = this.tpidruro = this.tpidrprw = 0;
    this.csselr = 0;
    this.hcr = 0;
    this.hsctlr = 0x30c50818;
    this.hvbar = this.htcr = 0;
    this.httbrLo = this.httbrHi = this.vttbrLo = this.vttbrHi = 0;
    this.vtcr = this.hmair0 = this.hmair1 = 0;
    this.hsr = this.hdfar = this.hifar = this.hpfar = 0;
    this.hcptr = this.hstr = this.hdcr = this.hactlr = this.htpidr = 0;
    this.vpidr = midr;
    this.vmpidr = mpidr;
  }

  get mmuEnabled(): boolean {
    return (this.sctlr & Sctlr.M) !== 0;
  }

  /** VTTBR.VMID (bits [55:48]): tags the PL1&0 regime's TLB entries. */
  get vmid(): number {
    return (this.vttbrHi >>> 16) & 0xff;
  }

  get longFormat(): boolean {
    return (this.ttbcr & TTBCR_EAE) !== 0;
  }

  /**
   * The current ASID: CONTEXTIDR[7:0] in the short format; in the long format
   * the ASID field (bits [55:48]) of TTBR0, or of TTBR1 when TTBCR.A1 is set
   * (B3.6.4).
   */
  get asid(): number {
    if (!this.longFormat) return this.contextidr & 0xff;
    const a1 = (this.ttbcr >>> 22) & 1;
    return ((a1 ? this.ttbr1Hi : this.ttbr0Hi) >>> 16) & 0xff;
  }
}
