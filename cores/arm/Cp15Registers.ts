import { ArmMode } from './ArmState.ts';
import { Cnthctl, HCPTR_ONES, HCPTR_WRITABLE, HCR_WRITABLE, Hcr, Sctlr } from './SystemRegisterState.ts';
import { high32, low32 } from './GenericTimer.ts';
import { FaultKind, longStatus } from './mmu/Fault.ts';
import { HYP_CONTEXT } from './mmu/Tlb.ts';
import type { ArmCpu } from './ArmCpu.ts';

/**
 * The CP15 system registers as data (ARM ARM B4.1, summary in B3.17): where
 * each sits in the (opc1, CRn, CRm, opc2) space of MRC/MCR or the (opc1,
 * CRm) space of MRRC/MCRR, who may access it, and what reading or writing
 * does. An access to anything not listed here is UNDEFINED.
 *
 * Values are those of a Cortex-A15 r2p1 as QEMU presents it (QEMU's
 * cortex-a15 model), with the Security and Virtualization Extensions
 * advertised only when the core is built with them.
 */

/** Who besides PL1 may use a register. */
type Pl0Access = (cpu: ArmCpu, write: boolean) => boolean;

export interface SystemRegister32 {
  readonly name: string;
  readonly opc1: number;
  readonly crn: number;
  readonly crm: number;
  readonly opc2: number;
  readonly read?: (cpu: ArmCpu) => number;
  readonly write?: (cpu: ArmCpu, value: number) => void;
  /** PL0 access (default: none). */
  readonly pl0?: Pl0Access;
  /** Only present with the Virtualization Extensions, and only accessible from Hyp or Monitor mode. */
  readonly hyp?: boolean;
  /** Only present with the Security Extensions. */
  readonly secure?: boolean;
  /** HCR bits that trap Non-secure PL1 reads / writes of it to Hyp mode (B1.14, HypTraps.ts). */
  readonly trapRead?: number;
  readonly trapWrite?: number;
  /** CNTHCTL bit that must be set for PL1/PL0 to use it (the generic timer's Hyp controls). */
  readonly timerTrap?: number;
}

export interface SystemRegister64 {
  readonly name: string;
  readonly opc1: number;
  readonly crm: number;
  /** Store the value's halves in out[0] (low) and out[1] (high). */
  readonly read?: (cpu: ArmCpu, out: Int32Array) => void;
  /** For counters (values below 2^53): the value as a number, read without the halves buffer. */
  readonly readCount?: (cpu: ArmCpu) => number;
  readonly write?: (cpu: ArmCpu, low: number, high: number) => void;
  readonly pl0?: Pl0Access;
  readonly hyp?: boolean;
  readonly trapWrite?: number;
  readonly timerTrap?: number;
}

const constant = (value: number) => () => value;
const ignore = () => {};

// --- identification (B4.1.x, Cortex-A15 values) ---------------------------
const CTR = 0x8444c004;
const ID_PFR0 = 0x00001131;
const ID_DFR0 = 0x02010555;
const ID_MMFR0 = 0x10201105; // VMSAv7 with LPAE (bits 3:0 = 5)
const ID_MMFR1 = 0x20000000;
const ID_MMFR2 = 0x01240000;
const ID_MMFR3 = 0x02102211;
const ID_ISAR = [0x02101110, 0x13112111, 0x21232041, 0x11112131, 0x10011142, 0];
const CLIDR = 0x0a200023;
/** CCSIDR by CSSELR (Level << 1 | InD): L1 D 32 KiB, L1 I 32 KiB, L2 unified. */
const CCSIDR = [0x701fe00a, 0x201fe00a, 0x711fe07a];

function idPfr1(cpu: ArmCpu): number {
  // ProgMod (3:0) = 1, Generic Timer (19:16) = 1; Security (7:4) and Virtualization (15:12) when present.
  let v = 0x00010001;
  if (cpu.security) v |= 0x10;
  if (cpu.virtualization) v |= 0x1000;
  return v;
}

// --- SCTLR (B4.1.130) -----------------------------------------------------
/** Bits software can change: M A C CP15BEN SW Z I V RR HA WXN UWXN FI VE EE TRE AFE TE. */
const SCTLR_WRITABLE = 0x733a7c27;
/** Bits that read as one whatever is written. */
const SCTLR_ONE = 0x00c50058;

function writeSctlr(cpu: ArmCpu, value: number): void {
  const next = (value & SCTLR_WRITABLE) | SCTLR_ONE;
  if (next === cpu.sys.sctlr) return;
  cpu.sys.sctlr = next;
  // Permissions folded into the TLB depend on AFE/WXN/UWXN; the soft TLB on M and A.
  cpu.translationChanged(true);
}

// --- the Virtualization Extensions' registers (B4.1.65 HCR, B4.1.67 HSCTLR) ---

/**
 * MIDR and MPIDR read at Non-secure PL1 return VPIDR and VMPIDR, which Hyp
 * mode sets up for its guest (B4.1.105, B4.1.106; reset to the real values).
 */
function readMidr(cpu: ArmCpu): number {
  return cpu.virtualization && cpu.mode !== ArmMode.Hyp && cpu.mode !== ArmMode.Mon ? cpu.sys.vpidr : cpu.midr;
}

function readMpidr(cpu: ArmCpu): number {
  return cpu.virtualization && cpu.mode !== ArmMode.Hyp && cpu.mode !== ArmMode.Mon ? cpu.sys.vmpidr : cpu.mpidr;
}

/**
 * ISR (B4.1.88): pending IRQ (bit 7), FIQ (6), asynchronous abort (8). At
 * Non-secure PL1 with HCR.IMO/FMO/AMO set a bit shows the virtual one.
 */
function readIsr(cpu: ArmCpu): number {
  const hcr = cpu.virtualization && cpu.mode !== ArmMode.Hyp && cpu.mode !== ArmMode.Mon ? cpu.sys.hcr : 0;
  const irq = (hcr & Hcr.IMO) !== 0 ? cpu.virqLevel || (hcr & Hcr.VI) !== 0 : cpu.irqLevel;
  const fiq = (hcr & Hcr.FMO) !== 0 ? cpu.vfiqLevel || (hcr & Hcr.VF) !== 0 : cpu.fiqLevel;
  const abort = (hcr & (Hcr.AMO | Hcr.VA)) === (Hcr.AMO | Hcr.VA);
  return (abort ? 0x100 : 0) | (irq ? 0x80 : 0) | (fiq ? 0x40 : 0);
}

/** HCR bits whose change alters translation of the PL1&0 regime. */
const HCR_TRANSLATION = Hcr.VM | Hcr.DC | Hcr.PTW;

function writeHcr(cpu: ArmCpu, value: number): void {
  const sys = cpu.sys;
  const before = sys.hcr;
  sys.hcr = value & HCR_WRITABLE;
  if (((before ^ sys.hcr) & HCR_TRANSLATION) !== 0) {
    // Entries of this VMID were made with the other stage 1/stage 2 setting.
    cpu.tlb.invalidateContext(cpu.mmu.pl10Context());
    cpu.flushSoftTlb();
  }
  // Traps and the virtual interrupt lines (VI/VF/VA) are looked at between instructions.
  cpu.hypTrapConfigChanged();
  cpu.exitInner = true;
}

/** HSCTLR: M A C CP15BEN I WXN FI EE TE writable; bits 29:28, 23:22, 18, 16, 11, 4:3 read as one (B4.1.67). */
const HSCTLR_WRITABLE = Sctlr.M | Sctlr.A | Sctlr.C | 0x20 | Sctlr.I | Sctlr.WXN | 0x200000 | Sctlr.EE | Sctlr.TE;
const HSCTLR_ONES = 0x30c50818;

function writeHsctlr(cpu: ArmCpu, value: number): void {
  cpu.sys.hsctlr = (value & HSCTLR_WRITABLE) | HSCTLR_ONES;
  // Hyp entries fold HSCTLR.WXN into their permissions.
  cpu.tlb.invalidateContext(HYP_CONTEXT);
  cpu.flushSoftTlb();
}

/** TTBCR bits that exist in each format (B4.1.153). */
const TTBCR_SHORT = 0x80000037;
const TTBCR_LONG = 0xbfc73f87;

function writeTtbcr(cpu: ArmCpu, value: number): void {
  cpu.sys.ttbcr = (value & ((value & 0x80000000) !== 0 ? TTBCR_LONG : TTBCR_SHORT)) | 0;
  cpu.translationChanged(true);
}

// --- PAR and the address translation operations (B4.2.6) ------------------

/** Which translation an address translation operation asks for (B4.2.6, B3.12.x). */
const enum AtsKind {
  /** ATS1C*: stage 1 of the PL1&0 regime only (the result is an IPA when stage 2 is on). */
  Stage1 = 0,
  /** ATS12NSO* (from Hyp mode): both stages of the PL1&0 regime. */
  Stages12 = 1,
  /** ATS1H*: the Hyp regime. */
  Hyp = 2,
}

/**
 * Translate like an access of privilege `pl` and put the result (or the
 * fault) in PAR (B4.1.113): in the long-descriptor format when TTBCR.EAE is
 * set, for the Hyp regime, and for stage 1+2 results with stage 2 on;
 * otherwise in the short one.
 */
function addressTranslate(cpu: ArmCpu, va: number, pl: number, write: boolean, kind: AtsKind): void {
  const sys = cpu.sys;
  let pa = cpu.translate(va, write ? 1 : 0, pl);
  const f = cpu.fault;
  if (kind === AtsKind.Stage1) {
    // Stage 1 alone succeeded when only stage 2 refused the page: report its IPA.
    if (pa >= 0) pa = cpu.mmu.lastIpa;
    else if (f.stage2 && !f.s1ptw) pa = f.ipa;
  }
  const long = kind === AtsKind.Hyp || sys.longFormat || (kind === AtsKind.Stages12 && cpu.mmu.stage2Enabled());
  if (long) {
    if (pa < 0) {
      // F, FST[6:1], S2WLK (8), FSTAGE (9), LPAE (11).
      const stage = f.stage2 ? (1 << 9) | (f.s1ptw ? 1 << 8 : 0) : 0;
      sys.parLo = 1 | (longStatus(f.kind, f.level) << 1) | stage | 0x800;
      sys.parHi = 0;
    } else {
      const attrIndex = cpu.mmu.attributesOf(va, pl) & 7;
      const hyp = kind === AtsKind.Hyp;
      const mair = attrIndex < 4 ? (hyp ? sys.hmair0 : sys.mair0) : hyp ? sys.hmair1 : sys.mair1;
      const attr = (mair >>> ((attrIndex & 3) * 8)) & 0xff;
      sys.parLo = ((pa % 0x100000000) & 0xfffff000) | 0x800;
      sys.parHi = (Math.floor(pa / 0x100000000) & 0xff) | (attr << 24);
    }
  } else if (pa < 0) {
    // FS[4:0] as in the short-descriptor DFSR, in PAR[5:1].
    const fs = f.kind === FaultKind.Translation ? (f.level === 1 ? 0b00101 : 0b00111)
      : f.kind === FaultKind.AccessFlag ? (f.level === 1 ? 0b00011 : 0b00110)
        : f.kind === FaultKind.Domain ? (f.level === 1 ? 0b01001 : 0b01011)
          : f.kind === FaultKind.Permission ? (f.level === 1 ? 0b01101 : 0b01111)
            : f.kind === FaultKind.WalkExternal ? (f.level === 1 ? 0b01100 : 0b01110) : 0b01000;
    sys.parLo = 1 | (fs << 1);
    sys.parHi = 0;
  } else {
    sys.parLo = (pa & 0xfffff000) | 0;
    sys.parHi = 0;
  }
}

// --- TLB maintenance (B4.2.3) ---------------------------------------------

// The Inner Shareable (…IS) forms act on every core of the machine (B3.10.2).
// Loops, not arrays, so that a maintenance instruction allocates nothing.

/** HCR.FB: TLB maintenance from Non-secure PL1 is broadcast as its …IS form would be. */
function forcedBroadcast(cpu: ArmCpu): boolean {
  return cpu.virtualization && cpu.privilegeLevel < 2 && (cpu.sys.hcr & Hcr.FB) !== 0;
}

function tlbAll(cpu: ArmCpu, broadcast: boolean): void {
  if (!broadcast && !forcedBroadcast(cpu)) return invalidateAll(cpu);
  const peers = cpu.peers();
  for (let k = 0; k < peers.length; k++) invalidateAll(peers[k]);
}

function invalidateAll(c: ArmCpu): void {
  // TLBIALL acts on the PL1&0 regime of the current VMID (B4.2.3).
  c.tlb.invalidateContext(c.mmu.pl10Context());
  c.flushSoftTlb();
}

function tlbByAddress(cpu: ArmCpu, value: number, anyAsid: boolean, broadcast: boolean): void {
  const asid = anyAsid ? -1 : value & 0xff;
  if (!broadcast && !forcedBroadcast(cpu)) return invalidateAddress(cpu, value & ~0xfff, asid);
  const peers = cpu.peers();
  for (let k = 0; k < peers.length; k++) invalidateAddress(peers[k], value & ~0xfff, asid);
}

function invalidateAddress(c: ArmCpu, va: number, asid: number): void {
  c.tlb.invalidateAddress(va, asid, c.mmu.pl10Context());
  c.flushSoftTlbPage(va);
}

function tlbByAsid(cpu: ArmCpu, value: number, broadcast: boolean): void {
  if (!broadcast && !forcedBroadcast(cpu)) return invalidateAsid(cpu, value & 0xff);
  const peers = cpu.peers();
  for (let k = 0; k < peers.length; k++) invalidateAsid(peers[k], value & 0xff);
}

function invalidateAsid(c: ArmCpu, asid: number): void {
  c.tlb.invalidateAsid(asid, c.mmu.pl10Context());
  c.flushSoftTlbAsid(asid);
}

/** TLBIALLH(IS): the Hyp regime; TLBIALLNSNH(IS): the PL1&0 regime of every VMID. */
function tlbHypOrNonHyp(cpu: ArmCpu, hyp: boolean, broadcast: boolean): void {
  const peers = broadcast ? cpu.peers() : [cpu];
  for (let k = 0; k < peers.length; k++) {
    const c = peers[k];
    if (hyp) c.tlb.invalidateContext(HYP_CONTEXT);
    else c.tlb.invalidateAllNonHyp();
    c.flushSoftTlb();
  }
}

/** TLBIMVAH(IS): the Hyp regime's entry for an address. */
function tlbHypAddress(cpu: ArmCpu, value: number, broadcast: boolean): void {
  const peers = broadcast ? cpu.peers() : [cpu];
  for (let k = 0; k < peers.length; k++) {
    peers[k].tlb.invalidateAddress(value & ~0xfff, -1, HYP_CONTEXT);
    peers[k].flushSoftTlb();
  }
}

// --- generic timer PL0 access (B4.1.25 CNTKCTL) ---------------------------
const pl0Frequency: Pl0Access = (cpu, write) => !write && (cpu.timer.kctl & 3) !== 0;
const pl0PhysicalCount: Pl0Access = (cpu, write) => !write && (cpu.timer.kctl & 1) !== 0;
const pl0VirtualCount: Pl0Access = (cpu, write) => !write && (cpu.timer.kctl & 2) !== 0;
const pl0VirtualTimer: Pl0Access = (cpu) => (cpu.timer.kctl & 0x100) !== 0;
const pl0PhysicalTimer: Pl0Access = (cpu) => (cpu.timer.kctl & 0x200) !== 0;
const pl0Always: Pl0Access = () => true;
const pl0ReadOnly: Pl0Access = (_cpu, write) => !write;

const cacheOp = (name: string, crm: number, opc2: number, trapWrite?: number): SystemRegister32 => ({ name, opc1: 0, crn: 7, crm, opc2, write: ignore, trapWrite });

/** Registers reached by MRC/MCR p15. */
export const SYSTEM_REGISTERS_32: readonly SystemRegister32[] = [
  // c0: identification
  { name: 'MIDR', opc1: 0, crn: 0, crm: 0, opc2: 0, read: readMidr },
  { name: 'CTR', opc1: 0, crn: 0, crm: 0, opc2: 1, read: constant(CTR), trapRead: Hcr.TID2 },
  { name: 'TCMTR', opc1: 0, crn: 0, crm: 0, opc2: 2, read: constant(0), trapRead: Hcr.TID1 },
  { name: 'TLBTR', opc1: 0, crn: 0, crm: 0, opc2: 3, read: constant(0), trapRead: Hcr.TID1 },
  { name: 'MIDR (alias)', opc1: 0, crn: 0, crm: 0, opc2: 4, read: readMidr },
  { name: 'MPIDR', opc1: 0, crn: 0, crm: 0, opc2: 5, read: readMpidr },
  { name: 'REVIDR', opc1: 0, crn: 0, crm: 0, opc2: 6, read: constant(0), trapRead: Hcr.TID1 },
  { name: 'MIDR (alias)', opc1: 0, crn: 0, crm: 0, opc2: 7, read: readMidr },
  { name: 'ID_PFR0', opc1: 0, crn: 0, crm: 1, opc2: 0, read: constant(ID_PFR0), trapRead: Hcr.TID3 },
  { name: 'ID_PFR1', opc1: 0, crn: 0, crm: 1, opc2: 1, read: idPfr1, trapRead: Hcr.TID3 },
  { name: 'ID_DFR0', opc1: 0, crn: 0, crm: 1, opc2: 2, read: constant(ID_DFR0), trapRead: Hcr.TID3 },
  { name: 'ID_AFR0', opc1: 0, crn: 0, crm: 1, opc2: 3, read: constant(0), trapRead: Hcr.TID3 },
  { name: 'ID_MMFR0', opc1: 0, crn: 0, crm: 1, opc2: 4, read: constant(ID_MMFR0), trapRead: Hcr.TID3 },
  { name: 'ID_MMFR1', opc1: 0, crn: 0, crm: 1, opc2: 5, read: constant(ID_MMFR1), trapRead: Hcr.TID3 },
  { name: 'ID_MMFR2', opc1: 0, crn: 0, crm: 1, opc2: 6, read: constant(ID_MMFR2), trapRead: Hcr.TID3 },
  { name: 'ID_MMFR3', opc1: 0, crn: 0, crm: 1, opc2: 7, read: constant(ID_MMFR3), trapRead: Hcr.TID3 },
  ...ID_ISAR.map((v, i): SystemRegister32 => ({ name: `ID_ISAR${i}`, opc1: 0, crn: 0, crm: 2, opc2: i, read: constant(v), trapRead: Hcr.TID3 })),
  // The rest of the c0 ID space is reserved and reads as zero (B4.1.x, "CPUID scheme").
  ...[6, 7].map((o): SystemRegister32 => ({ name: 'RAZ', opc1: 0, crn: 0, crm: 2, opc2: o, read: constant(0), trapRead: Hcr.TID3 })),
  ...[3, 4, 5, 6, 7].flatMap((m) =>
    [0, 1, 2, 3, 4, 5, 6, 7].map((o): SystemRegister32 => ({ name: 'RAZ', opc1: 0, crn: 0, crm: m, opc2: o, read: constant(0), trapRead: Hcr.TID3 })),
  ),
  { name: 'CCSIDR', opc1: 1, crn: 0, crm: 0, opc2: 0, read: (c) => CCSIDR[c.sys.csselr & 0xf] ?? 0, trapRead: Hcr.TID2 },
  { name: 'CLIDR', opc1: 1, crn: 0, crm: 0, opc2: 1, read: constant(CLIDR), trapRead: Hcr.TID2 },
  { name: 'AIDR', opc1: 1, crn: 0, crm: 0, opc2: 7, read: constant(0), trapRead: Hcr.TID1 },
  {
    name: 'CSSELR', opc1: 2, crn: 0, crm: 0, opc2: 0, read: (c) => c.sys.csselr, write: (c, v) => { c.sys.csselr = v & 0xf; },
    trapRead: Hcr.TID2, trapWrite: Hcr.TID2,
  },
  { name: 'VPIDR', opc1: 4, crn: 0, crm: 0, opc2: 0, hyp: true, read: (c) => c.sys.vpidr, write: (c, v) => { c.sys.vpidr = v; } },
  { name: 'VMPIDR', opc1: 4, crn: 0, crm: 0, opc2: 5, hyp: true, read: (c) => c.sys.vmpidr, write: (c, v) => { c.sys.vmpidr = v; } },

  // c1: system control
  { name: 'SCTLR', opc1: 0, crn: 1, crm: 0, opc2: 0, read: (c) => c.sys.sctlr, write: writeSctlr, trapWrite: Hcr.TVM },
  {
    name: 'ACTLR', opc1: 0, crn: 1, crm: 0, opc2: 1, read: (c) => c.sys.actlr, write: (c, v) => { c.sys.actlr = v; },
    trapRead: Hcr.TAC, trapWrite: Hcr.TAC,
  },
  {
    name: 'CPACR', opc1: 0, crn: 1, crm: 0, opc2: 2, read: (c) => c.sys.cpacr,
    // Only cp10/cp11 access fields and ASEDIS/D32DIS exist (B4.1.40); cp11 follows cp10.
    write: (c, v) => { c.sys.cpacr = (v & 0x00300000) | ((v & 0x00300000) << 2) | (v & 0xc0000000); },
  },
  { name: 'SCR', opc1: 0, crn: 1, crm: 1, opc2: 0, secure: true, read: (c) => c.sys.scr, write: (c, v) => { c.sys.scr = v & 0x3ff; } },
  { name: 'SDER', opc1: 0, crn: 1, crm: 1, opc2: 1, secure: true, read: constant(0), write: ignore },
  { name: 'NSACR', opc1: 0, crn: 1, crm: 1, opc2: 2, read: (c) => c.sys.nsacr, write: (c, v) => { if (c.security) c.sys.nsacr = v & 0x000f3fff; } },
  { name: 'HSCTLR', opc1: 4, crn: 1, crm: 0, opc2: 0, hyp: true, read: (c) => c.sys.hsctlr, write: writeHsctlr },
  { name: 'HACTLR', opc1: 4, crn: 1, crm: 0, opc2: 1, hyp: true, read: (c) => c.sys.hactlr, write: (c, v) => { c.sys.hactlr = v; } },
  { name: 'HCR', opc1: 4, crn: 1, crm: 1, opc2: 0, hyp: true, read: (c) => c.sys.hcr, write: writeHcr },
  // HDCR: the debug and performance-monitor traps need debug events and a PMU, which are not modelled; HPMN reads as the PMU's counter count (0).
  { name: 'HDCR', opc1: 4, crn: 1, crm: 1, opc2: 1, hyp: true, read: (c) => c.sys.hdcr, write: (c, v) => { c.sys.hdcr = v & 0xfe0; } },
  {
    name: 'HCPTR', opc1: 4, crn: 1, crm: 1, opc2: 2, hyp: true, read: (c) => c.sys.hcptr | HCPTR_ONES,
    write: (c, v) => { c.sys.hcptr = v & HCPTR_WRITABLE; c.hypTrapConfigChanged(); },
  },
  { name: 'HSTR', opc1: 4, crn: 1, crm: 1, opc2: 3, hyp: true, read: (c) => c.sys.hstr, write: (c, v) => { c.sys.hstr = v & 0x3bfff; c.hypTrapConfigChanged(); } },
  { name: 'HACR', opc1: 4, crn: 1, crm: 1, opc2: 7, hyp: true, read: constant(0), write: ignore },

  // c2, c3: translation table bases and control, domains
  {
    name: 'TTBR0', opc1: 0, crn: 2, crm: 0, opc2: 0, read: (c) => c.sys.ttbr0Lo,
    write: (c, v) => { c.sys.ttbr0Lo = v; c.addressSpaceChanged(); },
    trapWrite: Hcr.TVM,
  },
  {
    name: 'TTBR1', opc1: 0, crn: 2, crm: 0, opc2: 1, read: (c) => c.sys.ttbr1Lo,
    write: (c, v) => { c.sys.ttbr1Lo = v; c.translationChanged(false); },
    trapWrite: Hcr.TVM,
  },
  { name: 'TTBCR', opc1: 0, crn: 2, crm: 0, opc2: 2, read: (c) => c.sys.ttbcr, write: writeTtbcr, trapWrite: Hcr.TVM },
  // HTCR: T0SZ, IRGN0/ORGN0/SH0, bit 31 IMPLEMENTATION DEFINED (kept); VTCR: T0SZ, S, SL0, IRGN0/ORGN0/SH0 (B4.1.76, B4.1.160).
  { name: 'HTCR', opc1: 4, crn: 2, crm: 0, opc2: 2, hyp: true, read: (c) => c.sys.htcr, write: (c, v) => { c.sys.htcr = v & 0x80003f07; c.flushSoftTlb(); } },
  { name: 'VTCR', opc1: 4, crn: 2, crm: 1, opc2: 2, hyp: true, read: (c) => c.sys.vtcr, write: (c, v) => { c.sys.vtcr = v & 0x80003fdf; c.flushSoftTlb(); } },
  { name: 'DACR', opc1: 0, crn: 3, crm: 0, opc2: 0, read: (c) => c.sys.dacr, write: (c, v) => { c.sys.dacr = v; c.translationChanged(true); }, trapWrite: Hcr.TVM },

  // c5, c6: fault status and address
  { name: 'DFSR', opc1: 0, crn: 5, crm: 0, opc2: 0, read: (c) => c.sys.dfsr, write: (c, v) => { c.sys.dfsr = v; }, trapWrite: Hcr.TVM },
  { name: 'IFSR', opc1: 0, crn: 5, crm: 0, opc2: 1, read: (c) => c.sys.ifsr, write: (c, v) => { c.sys.ifsr = v; }, trapWrite: Hcr.TVM },
  { name: 'ADFSR', opc1: 0, crn: 5, crm: 1, opc2: 0, read: (c) => c.sys.adfsr, write: (c, v) => { c.sys.adfsr = v; }, trapWrite: Hcr.TVM },
  { name: 'AIFSR', opc1: 0, crn: 5, crm: 1, opc2: 1, read: (c) => c.sys.aifsr, write: (c, v) => { c.sys.aifsr = v; }, trapWrite: Hcr.TVM },
  { name: 'HADFSR', opc1: 4, crn: 5, crm: 1, opc2: 0, hyp: true, read: constant(0), write: ignore },
  { name: 'HAIFSR', opc1: 4, crn: 5, crm: 1, opc2: 1, hyp: true, read: constant(0), write: ignore },
  { name: 'HSR', opc1: 4, crn: 5, crm: 2, opc2: 0, hyp: true, read: (c) => c.sys.hsr, write: (c, v) => { c.sys.hsr = v; } },
  { name: 'DFAR', opc1: 0, crn: 6, crm: 0, opc2: 0, read: (c) => c.sys.dfar, write: (c, v) => { c.sys.dfar = v; }, trapWrite: Hcr.TVM },
  { name: 'IFAR', opc1: 0, crn: 6, crm: 0, opc2: 2, read: (c) => c.sys.ifar, write: (c, v) => { c.sys.ifar = v; }, trapWrite: Hcr.TVM },
  { name: 'HDFAR', opc1: 4, crn: 6, crm: 0, opc2: 0, hyp: true, read: (c) => c.sys.hdfar, write: (c, v) => { c.sys.hdfar = v; } },
  { name: 'HIFAR', opc1: 4, crn: 6, crm: 0, opc2: 2, hyp: true, read: (c) => c.sys.hifar, write: (c, v) => { c.sys.hifar = v; } },
  { name: 'HPFAR', opc1: 4, crn: 6, crm: 0, opc2: 4, hyp: true, read: (c) => c.sys.hpfar, write: (c, v) => { c.sys.hpfar = v; } },

  // c7: cache and branch predictor maintenance (no caches are modelled: accepted), barriers, PAR, ATS
  cacheOp('ICIALLUIS', 1, 0, Hcr.TPU),
  cacheOp('BPIALLIS', 1, 6),
  { name: 'PAR', opc1: 0, crn: 7, crm: 4, opc2: 0, read: (c) => c.sys.parLo, write: (c, v) => { c.sys.parLo = v; } },
  cacheOp('ICIALLU', 5, 0, Hcr.TPU),
  cacheOp('ICIMVAU', 5, 1, Hcr.TPU),
  { name: 'CP15ISB', opc1: 0, crn: 7, crm: 5, opc2: 4, write: ignore, pl0: pl0Always },
  cacheOp('BPIALL', 5, 6),
  cacheOp('BPIMVA', 5, 7),
  cacheOp('DCIMVAC', 6, 1, Hcr.TPC),
  cacheOp('DCISW', 6, 2, Hcr.TSW),
  { name: 'ATS1CPR', opc1: 0, crn: 7, crm: 8, opc2: 0, write: (c, v) => addressTranslate(c, v, 1, false, AtsKind.Stage1) },
  { name: 'ATS1CPW', opc1: 0, crn: 7, crm: 8, opc2: 1, write: (c, v) => addressTranslate(c, v, 1, true, AtsKind.Stage1) },
  { name: 'ATS1CUR', opc1: 0, crn: 7, crm: 8, opc2: 2, write: (c, v) => addressTranslate(c, v, 0, false, AtsKind.Stage1) },
  { name: 'ATS1CUW', opc1: 0, crn: 7, crm: 8, opc2: 3, write: (c, v) => addressTranslate(c, v, 0, true, AtsKind.Stage1) },
  { name: 'ATS12NSOPR', opc1: 0, crn: 7, crm: 8, opc2: 4, hyp: true, write: (c, v) => addressTranslate(c, v, 1, false, AtsKind.Stages12) },
  { name: 'ATS12NSOPW', opc1: 0, crn: 7, crm: 8, opc2: 5, hyp: true, write: (c, v) => addressTranslate(c, v, 1, true, AtsKind.Stages12) },
  { name: 'ATS12NSOUR', opc1: 0, crn: 7, crm: 8, opc2: 6, hyp: true, write: (c, v) => addressTranslate(c, v, 0, false, AtsKind.Stages12) },
  { name: 'ATS12NSOUW', opc1: 0, crn: 7, crm: 8, opc2: 7, hyp: true, write: (c, v) => addressTranslate(c, v, 0, true, AtsKind.Stages12) },
  { name: 'ATS1HR', opc1: 4, crn: 7, crm: 8, opc2: 0, hyp: true, write: (c, v) => addressTranslate(c, v, 2, false, AtsKind.Hyp) },
  { name: 'ATS1HW', opc1: 4, crn: 7, crm: 8, opc2: 1, hyp: true, write: (c, v) => addressTranslate(c, v, 2, true, AtsKind.Hyp) },
  cacheOp('DCCMVAC', 10, 1, Hcr.TPC),
  cacheOp('DCCSW', 10, 2, Hcr.TSW),
  { name: 'CP15DSB', opc1: 0, crn: 7, crm: 10, opc2: 4, write: ignore, pl0: pl0Always },
  { name: 'CP15DMB', opc1: 0, crn: 7, crm: 10, opc2: 5, write: ignore, pl0: pl0Always },
  cacheOp('DCCMVAU', 11, 1, Hcr.TPU),
  cacheOp('DCCIMVAC', 14, 1, Hcr.TPC),
  cacheOp('DCCISW', 14, 2, Hcr.TSW),

  // c8: TLB maintenance
  { name: 'TLBIALLIS', opc1: 0, crn: 8, crm: 3, opc2: 0, write: (c) => tlbAll(c, true), trapWrite: Hcr.TTLB },
  { name: 'TLBIMVAIS', opc1: 0, crn: 8, crm: 3, opc2: 1, write: (c, v) => tlbByAddress(c, v, false, true), trapWrite: Hcr.TTLB },
  { name: 'TLBIASIDIS', opc1: 0, crn: 8, crm: 3, opc2: 2, write: (c, v) => tlbByAsid(c, v, true), trapWrite: Hcr.TTLB },
  { name: 'TLBIMVAAIS', opc1: 0, crn: 8, crm: 3, opc2: 3, write: (c, v) => tlbByAddress(c, v, true, true), trapWrite: Hcr.TTLB },
  { name: 'ITLBIALL', opc1: 0, crn: 8, crm: 5, opc2: 0, write: (c) => tlbAll(c, false), trapWrite: Hcr.TTLB },
  { name: 'ITLBIMVA', opc1: 0, crn: 8, crm: 5, opc2: 1, write: (c, v) => tlbByAddress(c, v, false, false), trapWrite: Hcr.TTLB },
  { name: 'ITLBIASID', opc1: 0, crn: 8, crm: 5, opc2: 2, write: (c, v) => tlbByAsid(c, v, false), trapWrite: Hcr.TTLB },
  { name: 'DTLBIALL', opc1: 0, crn: 8, crm: 6, opc2: 0, write: (c) => tlbAll(c, false), trapWrite: Hcr.TTLB },
  { name: 'DTLBIMVA', opc1: 0, crn: 8, crm: 6, opc2: 1, write: (c, v) => tlbByAddress(c, v, false, false), trapWrite: Hcr.TTLB },
  { name: 'DTLBIASID', opc1: 0, crn: 8, crm: 6, opc2: 2, write: (c, v) => tlbByAsid(c, v, false), trapWrite: Hcr.TTLB },
  { name: 'TLBIALL', opc1: 0, crn: 8, crm: 7, opc2: 0, write: (c) => tlbAll(c, false), trapWrite: Hcr.TTLB },
  { name: 'TLBIMVA', opc1: 0, crn: 8, crm: 7, opc2: 1, write: (c, v) => tlbByAddress(c, v, false, false), trapWrite: Hcr.TTLB },
  { name: 'TLBIASID', opc1: 0, crn: 8, crm: 7, opc2: 2, write: (c, v) => tlbByAsid(c, v, false), trapWrite: Hcr.TTLB },
  { name: 'TLBIMVAA', opc1: 0, crn: 8, crm: 7, opc2: 3, write: (c, v) => tlbByAddress(c, v, true, false), trapWrite: Hcr.TTLB },
  { name: 'TLBIALLHIS', opc1: 4, crn: 8, crm: 3, opc2: 0, hyp: true, write: (c) => tlbHypOrNonHyp(c, true, true) },
  { name: 'TLBIMVAHIS', opc1: 4, crn: 8, crm: 3, opc2: 1, hyp: true, write: (c, v) => tlbHypAddress(c, v, true) },
  { name: 'TLBIALLNSNHIS', opc1: 4, crn: 8, crm: 3, opc2: 4, hyp: true, write: (c) => tlbHypOrNonHyp(c, false, true) },
  { name: 'TLBIALLH', opc1: 4, crn: 8, crm: 7, opc2: 0, hyp: true, write: (c) => tlbHypOrNonHyp(c, true, false) },
  { name: 'TLBIMVAH', opc1: 4, crn: 8, crm: 7, opc2: 1, hyp: true, write: (c, v) => tlbHypAddress(c, v, false) },
  { name: 'TLBIALLNSNH', opc1: 4, crn: 8, crm: 7, opc2: 4, hyp: true, write: (c) => tlbHypOrNonHyp(c, false, false) },

  // c9: Cortex-A15 L2 control (QEMU: number of cores in L2CTLR[25:24])
  { name: 'L2CTLR', opc1: 1, crn: 9, crm: 0, opc2: 2, read: (c) => ((c.peers().length - 1) & 3) << 24, write: ignore },
  { name: 'L2ECTLR', opc1: 1, crn: 9, crm: 0, opc2: 3, read: constant(0), write: ignore },

  // c10: memory attributes
  { name: 'PRRR/MAIR0', opc1: 0, crn: 10, crm: 2, opc2: 0, read: (c) => c.sys.mair0, write: (c, v) => { c.sys.mair0 = v; }, trapWrite: Hcr.TVM },
  { name: 'NMRR/MAIR1', opc1: 0, crn: 10, crm: 2, opc2: 1, read: (c) => c.sys.mair1, write: (c, v) => { c.sys.mair1 = v; }, trapWrite: Hcr.TVM },
  { name: 'AMAIR0', opc1: 0, crn: 10, crm: 3, opc2: 0, read: (c) => c.sys.amair0, write: (c, v) => { c.sys.amair0 = v; }, trapWrite: Hcr.TVM },
  { name: 'AMAIR1', opc1: 0, crn: 10, crm: 3, opc2: 1, read: (c) => c.sys.amair1, write: (c, v) => { c.sys.amair1 = v; }, trapWrite: Hcr.TVM },
  { name: 'HMAIR0', opc1: 4, crn: 10, crm: 2, opc2: 0, hyp: true, read: (c) => c.sys.hmair0, write: (c, v) => { c.sys.hmair0 = v; } },
  { name: 'HMAIR1', opc1: 4, crn: 10, crm: 2, opc2: 1, hyp: true, read: (c) => c.sys.hmair1, write: (c, v) => { c.sys.hmair1 = v; } },

  // c12: vector bases, interrupt status
  { name: 'VBAR', opc1: 0, crn: 12, crm: 0, opc2: 0, read: (c) => c.sys.vbar, write: (c, v) => { c.sys.vbar = v & ~0x1f; } },
  { name: 'MVBAR', opc1: 0, crn: 12, crm: 0, opc2: 1, secure: true, read: (c) => c.sys.mvbar, write: (c, v) => { c.sys.mvbar = v & ~0x1f; } },
  { name: 'ISR', opc1: 0, crn: 12, crm: 1, opc2: 0, read: readIsr },
  { name: 'HVBAR', opc1: 4, crn: 12, crm: 0, opc2: 0, hyp: true, read: (c) => c.sys.hvbar, write: (c, v) => { c.sys.hvbar = v & ~0x1f; } },

  // c13: process, context and thread IDs
  { name: 'FCSEIDR', opc1: 0, crn: 13, crm: 0, opc2: 0, read: constant(0), write: ignore },
  {
    name: 'CONTEXTIDR', opc1: 0, crn: 13, crm: 0, opc2: 1, read: (c) => c.sys.contextidr,
    write: (c, v) => { c.sys.contextidr = v; c.addressSpaceChanged(); },
    trapWrite: Hcr.TVM,
  },
  { name: 'TPIDRURW', opc1: 0, crn: 13, crm: 0, opc2: 2, pl0: pl0Always, read: (c) => c.sys.tpidrurw, write: (c, v) => { c.sys.tpidrurw = v; } },
  { name: 'TPIDRURO', opc1: 0, crn: 13, crm: 0, opc2: 3, pl0: pl0ReadOnly, read: (c) => c.sys.tpidruro, write: (c, v) => { c.sys.tpidruro = v; } },
  { name: 'TPIDRPRW', opc1: 0, crn: 13, crm: 0, opc2: 4, read: (c) => c.sys.tpidrprw, write: (c, v) => { c.sys.tpidrprw = v; } },
  { name: 'HTPIDR', opc1: 4, crn: 13, crm: 0, opc2: 2, hyp: true, read: (c) => c.sys.htpidr, write: (c, v) => { c.sys.htpidr = v; } },

  // c14: generic timer (B4.1.21–B4.1.35)
  {
    name: 'CNTFRQ', opc1: 0, crn: 14, crm: 0, opc2: 0, pl0: pl0Frequency, read: (c) => c.timer.frequency,
    write: (c, v) => { c.timer.frequency = v >>> 0; },
  },
  { name: 'CNTKCTL', opc1: 0, crn: 14, crm: 1, opc2: 0, read: (c) => c.timer.kctl, write: (c, v) => { c.timer.kctl = v & 0x3ff; } },
  {
    name: 'CNTP_TVAL', opc1: 0, crn: 14, crm: 2, opc2: 0, pl0: pl0PhysicalTimer, read: (c) => c.timer.physical.readTval(),
    write: (c, v) => c.timer.physical.writeTval(v), timerTrap: Cnthctl.Pl1Pcen,
  },
  {
    name: 'CNTP_CTL', opc1: 0, crn: 14, crm: 2, opc2: 1, pl0: pl0PhysicalTimer, read: (c) => c.timer.physical.readCtl(),
    write: (c, v) => c.timer.physical.writeCtl(v), timerTrap: Cnthctl.Pl1Pcen,
  },
  { name: 'CNTV_TVAL', opc1: 0, crn: 14, crm: 3, opc2: 0, pl0: pl0VirtualTimer, read: (c) => c.timer.virtual.readTval(), write: (c, v) => c.timer.virtual.writeTval(v) },
  { name: 'CNTV_CTL', opc1: 0, crn: 14, crm: 3, opc2: 1, pl0: pl0VirtualTimer, read: (c) => c.timer.virtual.readCtl(), write: (c, v) => c.timer.virtual.writeCtl(v) },
  { name: 'CNTHCTL', opc1: 4, crn: 14, crm: 1, opc2: 0, hyp: true, read: (c) => c.timer.hctl, write: (c, v) => { c.timer.hctl = v & 0xff; c.hypTrapConfigChanged(); } },
  { name: 'CNTHP_TVAL', opc1: 4, crn: 14, crm: 2, opc2: 0, hyp: true, read: (c) => c.timer.hyp.readTval(), write: (c, v) => c.timer.hyp.writeTval(v) },
  { name: 'CNTHP_CTL', opc1: 4, crn: 14, crm: 2, opc2: 1, hyp: true, read: (c) => c.timer.hyp.readCtl(), write: (c, v) => c.timer.hyp.writeCtl(v) },
];

function setPair(out: Int32Array, low: number, high: number): void {
  out[0] = low;
  out[1] = high;
}

/** Registers reached by MRRC/MCRR p15 (64-bit). */
export const SYSTEM_REGISTERS_64: readonly SystemRegister64[] = [
  {
    name: 'TTBR0', opc1: 0, crm: 2, read: (c, o) => setPair(o, c.sys.ttbr0Lo, c.sys.ttbr0Hi),
    write: (c, lo, hi) => { c.sys.ttbr0Lo = lo; c.sys.ttbr0Hi = hi & 0x00ff00ff; c.addressSpaceChanged(); },
    trapWrite: Hcr.TVM,
  },
  {
    name: 'TTBR1', opc1: 1, crm: 2, read: (c, o) => setPair(o, c.sys.ttbr1Lo, c.sys.ttbr1Hi),
    write: (c, lo, hi) => { c.sys.ttbr1Lo = lo; c.sys.ttbr1Hi = hi & 0x00ff00ff; c.translationChanged(false); },
    trapWrite: Hcr.TVM,
  },
  {
    name: 'HTTBR', opc1: 4, crm: 2, hyp: true, read: (c, o) => setPair(o, c.sys.httbrLo, c.sys.httbrHi),
    write: (c, lo, hi) => { c.sys.httbrLo = lo; c.sys.httbrHi = hi & 0xff; c.flushSoftTlb(); },
  },
  {
    // A new VMID selects other TLB entries; the soft TLB caches only the current regime's.
    name: 'VTTBR', opc1: 6, crm: 2, hyp: true, read: (c, o) => setPair(o, c.sys.vttbrLo, c.sys.vttbrHi),
    write: (c, lo, hi) => { c.sys.vttbrLo = lo; c.sys.vttbrHi = hi & 0x00ff00ff; c.flushSoftTlb(); },
  },
  { name: 'PAR', opc1: 0, crm: 7, read: (c, o) => setPair(o, c.sys.parLo, c.sys.parHi), write: (c, lo, hi) => { c.sys.parLo = lo; c.sys.parHi = hi; } },
  {
    name: 'CNTPCT', opc1: 0, crm: 14, pl0: pl0PhysicalCount, timerTrap: Cnthctl.Pl1Pcten,
    read: (c, o) => { const n = c.timer.physicalCount(); setPair(o, low32(n), high32(n)); },
    readCount: (c) => c.timer.physicalCount(),
  },
  {
    name: 'CNTVCT', opc1: 1, crm: 14, pl0: pl0VirtualCount,
    read: (c, o) => { const n = c.timer.virtualCount(); setPair(o, low32(n), high32(n)); },
    readCount: (c) => c.timer.virtualCount(),
  },
  {
    name: 'CNTP_CVAL', opc1: 2, crm: 14, pl0: pl0PhysicalTimer, timerTrap: Cnthctl.Pl1Pcen,
    read: (c, o) => setPair(o, low32(c.timer.physical.cval), high32(c.timer.physical.cval)),
    write: (c, lo, hi) => c.timer.physical.writeCval(lo, hi),
  },
  {
    name: 'CNTV_CVAL', opc1: 3, crm: 14, pl0: pl0VirtualTimer,
    read: (c, o) => setPair(o, low32(c.timer.virtual.cval), high32(c.timer.virtual.cval)),
    write: (c, lo, hi) => c.timer.virtual.writeCval(lo, hi),
  },
  {
    name: 'CNTVOFF', opc1: 4, crm: 14, hyp: true,
    read: (c, o) => setPair(o, low32(c.timer.voff), high32(c.timer.voff)),
    write: (c, lo, hi) => { c.timer.voff = (hi >>> 0) * 0x100000000 + (lo >>> 0); c.timer.virtual.update(); },
  },
  {
    name: 'CNTHP_CVAL', opc1: 6, crm: 14, hyp: true,
    read: (c, o) => setPair(o, low32(c.timer.hyp.cval), high32(c.timer.hyp.cval)),
    write: (c, lo, hi) => c.timer.hyp.writeCval(lo, hi),
  },
];

const byKey32 = new Map<number, SystemRegister32>();
for (const r of SYSTEM_REGISTERS_32) {
  const key = key32(r.opc1, r.crn, r.crm, r.opc2);
  if (byKey32.has(key)) throw new Error(`CP15 register table: ${r.name} collides with ${byKey32.get(key)!.name}`);
  byKey32.set(key, r);
}
const byKey64 = new Map<number, SystemRegister64>();
for (const r of SYSTEM_REGISTERS_64) {
  const key = (r.opc1 << 4) | r.crm;
  if (byKey64.has(key)) throw new Error(`CP15 register table: ${r.name} collides with ${byKey64.get(key)!.name}`);
  byKey64.set(key, r);
}

function key32(opc1: number, crn: number, crm: number, opc2: number): number {
  return (opc1 << 12) | (crn << 8) | (crm << 4) | opc2;
}

/**
 * Registers an `mmu` trace reports writes of: translation control and bases
 * (B4.1.153 TTBCR, B4.1.154/155 TTBR0/1, B4.1.36 CONTEXTIDR with the ASID),
 * the Hyp and stage 2 ones, SCTLR (M bit), DACR, and every TLB maintenance
 * operation (B4.2.3).
 */
const MMU_TRACED = /^(SCTLR|TTBR0|TTBR1|TTBCR|DACR|CONTEXTIDR|HTTBR|HTCR|HSCTLR|VTTBR|VTCR|.*TLBI.*)$/;

/**
 * With an `mmu` trace on (`cpu.probe.traceMmu`) the register an MCR binds to
 * is a copy whose write also tells the probe; handlers bind once per core,
 * so untraced runs never see the difference.
 */
function traced32(cpu: ArmCpu, r: SystemRegister32): SystemRegister32 {
  const write = r.write;
  if (!cpu.probe.traceMmu || write === undefined || !MMU_TRACED.test(r.name)) return r;
  return { ...r, write: (c, v) => { write(c, v); c.probe.systemRegisterWrite!(r.name, v >>> 0, 0); } };
}

function traced64(cpu: ArmCpu, r: SystemRegister64): SystemRegister64 {
  const write = r.write;
  if (!cpu.probe.traceMmu || write === undefined || !MMU_TRACED.test(r.name)) return r;
  return { ...r, write: (c, lo, hi) => { write(c, lo, hi); c.probe.systemRegisterWrite!(r.name, lo >>> 0, hi >>> 0); } };
}

/** The register an MRC/MCR names, if this core has it. */
export function findSystemRegister32(cpu: ArmCpu, opc1: number, crn: number, crm: number, opc2: number): SystemRegister32 | undefined {
  const r = byKey32.get(key32(opc1, crn, crm, opc2));
  if (r === undefined) return undefined;
  if (r.hyp && !cpu.virtualization) return undefined;
  if (r.secure && !cpu.security) return undefined;
  return traced32(cpu, r);
}

export function findSystemRegister64(cpu: ArmCpu, opc1: number, crm: number): SystemRegister64 | undefined {
  const r = byKey64.get((opc1 << 4) | crm);
  if (r === undefined || (r.hyp && !cpu.virtualization)) return undefined;
  return traced64(cpu, r);
}

/**
 * Whether the current mode may make this access (B3.17: PL1 and above for
 * everything not granted to PL0; Hyp registers from Hyp or Monitor mode only).
 */
export function mayAccess(cpu: ArmCpu, reg: { pl0?: Pl0Access; hyp?: boolean }, write: boolean): boolean {
  if (reg.hyp) return cpu.mode === ArmMode.Hyp || cpu.mode === ArmMode.Mon;
  if (cpu.privileged) return true;
  return reg.pl0 !== undefined && reg.pl0(cpu, write);
}
