import { FaultKind } from './Fault.ts';
import { Perm, type DescriptorMemory, type WalkResult } from './WalkResult.ts';
import { Sctlr, type SystemRegisterState } from '../SystemRegisterState.ts';

/**
 * Stage 1 translation with the short-descriptor format (ARM ARM B3.5):
 * first-level sections, supersections and page tables, second-level large
 * (64 KiB) and small (4 KiB) pages; domains (DACR), AP[2:0] with the
 * simplified model when SCTLR.AFE is set, XN, PXN, WXN/UWXN.
 * TEX remap (SCTLR.TRE) changes memory attributes only, which we do not
 * model, so it does not change the result.
 */

/**
 * Permissions of AP[2:0] (Table B3-8) when SCTLR.AFE = 0, as Perm bits for
 * read/write at PL1 and PL0 (execute is added later).
 */
const FULL_AP_PERMS = [
  0, // 000 no access
  Perm.Pl1Read | Perm.Pl1Write, // 001 PL1 RW
  Perm.Pl1Read | Perm.Pl1Write | Perm.Pl0Read, // 010 PL1 RW, PL0 RO
  Perm.Pl1Read | Perm.Pl1Write | Perm.Pl0Read | Perm.Pl0Write, // 011 full access
  0, // 100 reserved
  Perm.Pl1Read, // 101 PL1 RO
  Perm.Pl1Read | Perm.Pl0Read, // 110 RO (deprecated encoding)
  Perm.Pl1Read | Perm.Pl0Read, // 111 RO
];

/** AP[2:1] of the simplified access permissions model (Table B3-9), shared with the long format. */
export const SIMPLE_AP_PERMS = [
  Perm.Pl1Read | Perm.Pl1Write, // 00 PL1 RW
  Perm.Pl1Read | Perm.Pl1Write | Perm.Pl0Read | Perm.Pl0Write, // 01 RW at any level
  Perm.Pl1Read, // 10 PL1 RO
  Perm.Pl1Read | Perm.Pl0Read, // 11 RO at any level
];

const ALL_PERMS = Perm.Pl1Read | Perm.Pl1Write | Perm.Pl1Exec | Perm.Pl0Read | Perm.Pl0Write | Perm.Pl0Exec;

/**
 * Adds execute rights to read/write rights: fetching needs read permission
 * and is stopped by XN for both levels, by PXN at PL1, by SCTLR.WXN for any
 * writable region and by SCTLR.UWXN at PL1 for regions PL0 can write (B3.7.2).
 */
export function withExecute(rw: number, xn: boolean, pxn: boolean, sctlr: number): number {
  let perms = rw;
  let pl1x = (rw & Perm.Pl1Read) !== 0 && !xn && !pxn;
  let pl0x = (rw & Perm.Pl0Read) !== 0 && !xn;
  if ((sctlr & Sctlr.WXN) !== 0 && (rw & (Perm.Pl1Write | Perm.Pl0Write)) !== 0) {
    pl1x = false;
    pl0x = false;
  }
  if ((sctlr & Sctlr.UWXN) !== 0 && (rw & Perm.Pl0Write) !== 0) pl1x = false;
  if (pl1x) perms |= Perm.Pl1Exec;
  if (pl0x) perms |= Perm.Pl0Exec;
  return perms;
}

/** Walk `va` (PL1&0 regime, short format). Returns false with `out.fault` set on a fault. */
export function walkShortDescriptor(
  mem: DescriptorMemory,
  regs: SystemRegisterState,
  va: number,
  out: WalkResult,
): boolean {
  va >>>= 0;
  const ttbcr = regs.ttbcr;
  const n = ttbcr & 7;
  // B3.5.4: with N > 0, addresses whose top N bits are zero use TTBR0.
  let l1Address: number;
  if (n === 0 || va >>> (32 - n) === 0) {
    if ((ttbcr & 0x10) !== 0) return fail(out, FaultKind.Translation, 1, 0); // PD0
    const baseMask = (0xffffffff << (14 - n)) >>> 0;
    const index = (va << n) >>> (n + 20);
    l1Address = ((regs.ttbr0Lo & baseMask) | (index << 2)) >>> 0;
  } else {
    if ((ttbcr & 0x20) !== 0) return fail(out, FaultKind.Translation, 1, 0); // PD1
    l1Address = ((regs.ttbr1Lo & 0xffffc000) | ((va >>> 20) << 2)) >>> 0;
  }
  mem.walkAborted = false;
  const l1 = mem.readDescriptor32(l1Address);
  if (mem.walkAborted) return fail(out, FaultKind.WalkExternal, 1, 0);
  const sctlr = regs.sctlr;
  const afe = (sctlr & Sctlr.AFE) !== 0;
  const type = l1 & 3;
  if (type === 0) return fail(out, FaultKind.Translation, 1, 0);

  let domain: number;
  let ap: number;
  let xn: boolean;
  let pxn: boolean;
  let notGlobal: boolean;
  let level: number;
  let accessFlag: number;
  if (type === 1) {
    // Page table: second-level lookup.
    domain = (l1 >>> 5) & 0xf;
    pxn = (l1 & 4) !== 0;
    const l2Address = ((l1 & 0xfffffc00) | (((va >>> 12) & 0xff) << 2)) >>> 0;
    const l2 = mem.readDescriptor32(l2Address);
    if (mem.walkAborted) return fail(out, FaultKind.WalkExternal, 2, domain);
    level = 2;
    if ((l2 & 3) === 0) return fail(out, FaultKind.Translation, 2, domain);
    ap = ((l2 >>> 7) & 4) | ((l2 >>> 4) & 3);
    notGlobal = (l2 & 0x800) !== 0;
    accessFlag = (l2 >>> 4) & 1;
    if ((l2 & 3) === 1) {
      // Large page, 64 KiB: PA[31:16] from the descriptor.
      xn = (l2 & 0x8000) !== 0;
      out.pageAddress = (((l2 & 0xffff0000) | (va & 0xf000)) >>> 0);
      out.blockShift = 16;
      out.attributes = ((l2 >>> 8) & 0x70) | (l2 & 0xc);
    } else {
      xn = (l2 & 1) !== 0;
      out.pageAddress = (l2 & 0xfffff000) >>> 0;
      out.blockShift = 12;
      out.attributes = ((l2 >>> 2) & 0x70) | (l2 & 0xc);
    }
  } else {
    // Section or supersection; bit 0 is PXN when the implementation has it (it does with LPAE).
    pxn = (l1 & 1) !== 0;
    xn = (l1 & 0x10) !== 0;
    ap = ((l1 >>> 13) & 4) | ((l1 >>> 10) & 3);
    notGlobal = (l1 & 0x20000) !== 0;
    accessFlag = (l1 >>> 10) & 1;
    level = 1;
    out.attributes = ((l1 >>> 8) & 0x70) | (l1 & 0xc);
    if ((l1 & 0x40000) !== 0) {
      // Supersection, 16 MiB: PA[31:24], extended PA[35:32] = desc[23:20], PA[39:36] = desc[8:5].
      domain = 0;
      const high = ((l1 >>> 20) & 0xf) | (((l1 >>> 5) & 0xf) << 4);
      out.pageAddress = high * 0x100000000 + (((l1 & 0xff000000) | (va & 0x00fff000)) >>> 0);
      out.blockShift = 24;
    } else {
      domain = (l1 >>> 5) & 0xf;
      out.pageAddress = ((l1 & 0xfff00000) | (va & 0x000ff000)) >>> 0;
      out.blockShift = 20;
    }
  }

  if (afe && accessFlag === 0) return fail(out, FaultKind.AccessFlag, level, domain);

  out.level = level;
  out.domain = domain;
  out.notGlobal = notGlobal;
  out.domainFault = false;
  const access = (regs.dacr >>> (domain * 2)) & 3;
  if (access === 3) {
    // Manager: no permission checks at all, XN included (B3.7.3).
    out.perms = ALL_PERMS;
  } else if (access === 1) {
    const rw = afe ? SIMPLE_AP_PERMS[ap >>> 1] : FULL_AP_PERMS[ap];
    out.perms = withExecute(rw, xn, pxn, sctlr);
  } else {
    // No access (00) or reserved (10): every access takes a Domain fault.
    out.perms = 0;
    out.domainFault = true;
  }
  out.fault.kind = FaultKind.None;
  return true;
}

function fail(out: WalkResult, kind: number, level: number, domain: number): boolean {
  out.fault.set(kind, level, domain);
  return false;
}
