import { FaultKind } from './Fault.ts';
import { Perm, S2Perm, type DescriptorMemory, type WalkResult } from './WalkResult.ts';
import { SIMPLE_AP_PERMS, withExecute } from './ShortDescriptorWalker.ts';
import { Sctlr, type SystemRegisterState } from '../SystemRegisterState.ts';

/**
 * Translation table walks in the long-descriptor (LPAE) format (ARM ARM
 * B3.6), for the three regimes that use it:
 *
 * - stage 1 of the PL1&0 regime (TTBR0/TTBR1 regions sized by
 *   TTBCR.T0SZ/T1SZ, AP[2:1], XN, PXN, the hierarchical
 *   APTable/XNTable/PXNTable limits);
 * - stage 1 of the PL2 (Hyp) regime (HTTBR, HTCR.T0SZ; AP[2] alone decides
 *   read-only, AP[1] and nG are ignored, APTable[1] and XNTable apply,
 *   HSCTLR.WXN; B3.6.4, B3.7.1);
 * - stage 2 of the PL1&0 regime (VTTBR, VTCR: a signed T0SZ giving up to 40
 *   bits of IPA, SL0 choosing the start level, concatenated first-level
 *   tables; S2AP[1:0] and XN; table descriptors carry no limits; B3.6.5).
 *
 * Up to three levels of 64-bit descriptors, 1 GiB and 2 MiB blocks, 4 KiB
 * pages, 40-bit output addresses, the access flag (an Access flag fault when
 * 0: no hardware management). Memory attributes do not change what an access
 * does in this model, so only AttrIndx (stage 1) and whether stage 2 MemAttr
 * says Device (for HCR.PTW) are kept. Input and output addresses may exceed
 * 2^32, so they are handled as numbers, not with 32-bit shifts.
 */

const TWO_32 = 0x100000000;

const enum Regime {
  Pl10 = 0,
  Hyp = 1,
  Stage2 = 2,
}

/** Stage 1 of the PL1&0 regime with TTBCR.EAE = 1. */
export function walkLongDescriptor(
  mem: DescriptorMemory,
  regs: SystemRegisterState,
  va: number,
  out: WalkResult,
): boolean {
  va >>>= 0;
  const ttbcr = regs.ttbcr;
  const t0sz = ttbcr & 7;
  const t1sz = (ttbcr >>> 16) & 7;
  // B3.6.4 Table B3-12: TTBR0 translates [0, 2^(32-T0SZ)), TTBR1 the top 2^(32-T1SZ) bytes
  // (when T1SZ = 0 and T0SZ = 0, TTBR0 covers everything).
  let useTtbr1: boolean;
  if (t0sz === 0 && t1sz === 0) useTtbr1 = false;
  else if (t0sz === 0) useTtbr1 = va >= TWO_32 - 2 ** (32 - t1sz);
  else if (t1sz === 0) useTtbr1 = va >= 2 ** (32 - t0sz);
  else if (va < 2 ** (32 - t0sz)) useTtbr1 = false;
  else if (va >= TWO_32 - 2 ** (32 - t1sz)) useTtbr1 = true;
  else return fail(out, FaultKind.Translation, 1); // between the two regions
  let baseLo: number;
  let baseHi: number;
  if (useTtbr1) {
    if ((ttbcr & 0x00800000) !== 0) return fail(out, FaultKind.Translation, 1); // EPD1
    baseLo = regs.ttbr1Lo >>> 0;
    baseHi = regs.ttbr1Hi & 0xff;
  } else {
    if ((ttbcr & 0x80) !== 0) return fail(out, FaultKind.Translation, 1); // EPD0
    baseLo = regs.ttbr0Lo >>> 0;
    baseHi = regs.ttbr0Hi & 0xff;
  }
  const tsz = useTtbr1 ? t1sz : t0sz;
  // The input address within its region: TTBR1 translates the top of the space.
  const ia = useTtbr1 && tsz !== 0 ? va - (TWO_32 - 2 ** (32 - tsz)) : va;
  return walk32BitRegion(mem, regs, Regime.Pl10, baseHi * TWO_32 + baseLo, tsz, ia, out);
}

/** Stage 1 of the PL2 regime (HTTBR, HTCR), used while HSCTLR.M = 1. */
export function walkHypDescriptor(
  mem: DescriptorMemory,
  regs: SystemRegisterState,
  va: number,
  out: WalkResult,
): boolean {
  va >>>= 0;
  const t0sz = regs.htcr & 7;
  // Addresses above the region HTCR.T0SZ gives are untranslated: a level 1 Translation fault.
  if (t0sz !== 0 && va >= 2 ** (32 - t0sz)) return fail(out, FaultKind.Translation, 1);
  return walk32BitRegion(mem, regs, Regime.Hyp, (regs.httbrHi & 0xff) * TWO_32 + (regs.httbrLo >>> 0), t0sz, va, out);
}

/** A stage 1 region of 2^(32 - tsz) bytes: level 1 start for tsz ≤ 1, else level 2 (B3.6.6). */
function walk32BitRegion(
  mem: DescriptorMemory,
  regs: SystemRegisterState,
  regime: Regime,
  base: number,
  tsz: number,
  ia: number,
  out: WalkResult,
): boolean {
  const level = tsz <= 1 ? 1 : 2;
  const firstBits = 32 - tsz - (level === 1 ? 30 : 21);
  return lookup(mem, regs, regime, base, level, firstBits, ia, out);
}

/**
 * Stage 2: translate intermediate physical address `ipa` (up to 40 bits)
 * through VTTBR/VTCR. `out.perms` receives S2Perm bits, `out.pageAddress`
 * the physical page, `out.level` the level of the mapping descriptor.
 */
export function walkStage2(
  mem: DescriptorMemory,
  regs: SystemRegisterState,
  ipa: number,
  out: WalkResult,
): boolean {
  const vtcr = regs.vtcr;
  // T0SZ is a signed 4-bit field (VTCR.S must equal T0SZ[3]): 2^(32 - T0SZ) bytes of IPA, 25 to 40 bits.
  const t0sz = ((vtcr & 0xf) << 28) >> 28;
  const sl0 = (vtcr >>> 6) & 3;
  const inputBits = 32 - t0sz;
  const level = sl0 === 1 ? 1 : 2;
  // SL0 = 0b1x is reserved, and so is a start level that leaves no index bits or more than 16
  // concatenated tables (B3.6.6): a stage 2 level 1 Translation fault, as for an IPA out of range.
  const firstBits = inputBits - (level === 1 ? 30 : 21);
  if (sl0 > 1 || firstBits < 1 || firstBits > 13 || ipa >= 2 ** inputBits) return fail(out, FaultKind.Translation, level);
  return lookup(mem, regs, Regime.Stage2, (regs.vttbrHi & 0xff) * TWO_32 + (regs.vttbrLo >>> 0), level, firstBits, ipa, out);
}

/**
 * The walk proper: from the first table (whose `firstBits` index bits may
 * span concatenated tables, aligned to their total size) down to a block or
 * page descriptor, accumulating the table limits of stage 1 regimes.
 */
function lookup(
  mem: DescriptorMemory,
  regs: SystemRegisterState,
  regime: Regime,
  base: number,
  startLevel: number,
  firstBits: number,
  ia: number,
  out: WalkResult,
): boolean {
  let level = startLevel;
  const align = 2 ** (firstBits + 3);
  let tableAddress = base - (base % align);
  let index = Math.floor(ia / 2 ** (level === 1 ? 30 : 21)) % 2 ** firstBits;
  let apTable = 0;
  let xnTable = false;
  let pxnTable = false;
  for (;;) {
    const address = tableAddress + index * 8;
    mem.walkAborted = false;
    const lo = mem.readDescriptor32(address);
    const hi = mem.readDescriptor32(address + 4);
    if (mem.walkAborted) return fail(out, FaultKind.WalkExternal, level);
    const type = lo & 3;
    if ((type & 1) === 0) return fail(out, FaultKind.Translation, level);
    // Output address bits [39:12] of the descriptor.
    const outHigh = hi & 0xff;
    const outLow = (lo & 0xfffff000) >>> 0;
    if (type === 3 && level < 3) {
      // Table descriptor: descend. Stage 2 table descriptors carry no attributes (B3.6.1).
      if (regime !== Regime.Stage2) {
        apTable |= (hi >>> 29) & 3;
        if ((hi & (1 << 28)) !== 0) xnTable = true;
        if ((hi & (1 << 27)) !== 0) pxnTable = true;
      }
      tableAddress = outHigh * TWO_32 + outLow;
      level++;
      index = Math.floor(ia / 2 ** (level === 2 ? 21 : 12)) % 512;
      continue;
    }
    if (type === 1 && level === 3) return fail(out, FaultKind.Translation, 3); // reserved at level 3
    // Block (levels 1, 2) or page (level 3).
    const shift = level === 1 ? 30 : level === 2 ? 21 : 12;
    if ((lo & 0x400) === 0) return fail(out, FaultKind.AccessFlag, level);
    const blockBase = outHigh * TWO_32 + (outLow - (outLow % 2 ** shift));
    out.pageAddress = blockBase + ((ia % 2 ** shift) - (ia % 4096));
    out.blockShift = shift;
    out.level = level;
    out.domain = 0;
    out.domainFault = false;
    out.fault.kind = FaultKind.None;
    const xn = xnTable || (hi & (1 << 22)) !== 0;
    if (regime === Regime.Stage2) {
      // S2AP[0] (bit 6) read, S2AP[1] (bit 7) write; fetching needs read and not XN.
      const s2ap = (lo >>> 6) & 3;
      let perms = 0;
      if ((s2ap & 1) !== 0) perms |= S2Perm.Read | (xn ? 0 : S2Perm.Exec);
      if ((s2ap & 2) !== 0) perms |= S2Perm.Write;
      out.perms = perms;
      out.notGlobal = false;
      out.attributes = (lo >>> 2) & 0xf;
      out.s2device = ((lo >>> 4) & 3) === 0;
      return true;
    }
    out.attributes = (lo >>> 2) & 7;
    if (regime === Regime.Hyp) {
      // PL2 has one privilege level: AP[2] (or APTable[1]) makes it read-only; entries are global.
      const readOnly = (lo & 0x80) !== 0 || (apTable & 2) !== 0;
      let perms = Perm.Pl1Read | (readOnly ? 0 : Perm.Pl1Write);
      if (!xn && !(!readOnly && (regs.hsctlr & Sctlr.WXN) !== 0)) perms |= Perm.Pl1Exec;
      out.perms = perms;
      out.notGlobal = false;
      return true;
    }
    let ap = (lo >>> 6) & 3;
    // APTable[0] removes PL0 access, APTable[1] removes write access (Table B3-15).
    if ((apTable & 1) !== 0) ap &= ~1;
    if ((apTable & 2) !== 0) ap |= 2;
    const pxn = pxnTable || (hi & (1 << 21)) !== 0;
    out.perms = withExecute(SIMPLE_AP_PERMS[ap], xn, pxn, regs.sctlr);
    out.notGlobal = (lo & 0x800) !== 0;
    return true;
  }
}

function fail(out: WalkResult, kind: number, level: number): boolean {
  out.fault.set(kind, level, 0);
  return false;
}
