import { FaultKind } from './Fault.ts';
import { type DescriptorMemory, type WalkResult } from './WalkResult.ts';
import { SIMPLE_AP_PERMS, withExecute } from './ShortDescriptorWalker.ts';
import type { SystemRegisterState } from '../SystemRegisterState.ts';

/**
 * Stage 1 translation of the PL1&0 regime with the long-descriptor (LPAE)
 * format (ARM ARM B3.6): TTBR0/TTBR1 regions sized by TTBCR.T0SZ/T1SZ, up to
 * three levels of 64-bit descriptors, 1 GiB and 2 MiB blocks, 4 KiB pages,
 * 40-bit output addresses, AP[2:1], XN, PXN, the access flag and the
 * hierarchical APTable/XNTable/PXNTable limits. Memory attributes (MAIR) do
 * not change what an access does in this model, so only AttrIndx is kept.
 *
 * Kept separate from the stage 2 walk the Virtualization Extensions add.
 */

const TWO_32 = 0x100000000;

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
  // Start at level 1 when the region is 1-4 GiB (TxSZ 0 or 1), else at level 2 (B3.6.6).
  let level = tsz <= 1 ? 1 : 2;
  // The first table holds 2^(32 - tsz - shift) entries of 8 bytes, aligned to its size.
  const firstShift = level === 1 ? 30 : 21;
  const firstBits = 32 - tsz - firstShift;
  const align = 2 ** (firstBits + 3);
  let tableAddress = baseHi * TWO_32 + (baseLo - (baseLo % align));
  let index = Math.floor(va / 2 ** firstShift) % 2 ** firstBits;

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
      // Table descriptor: descend, accumulating the table limits.
      apTable |= (hi >>> 29) & 3;
      if ((hi & (1 << 28)) !== 0) xnTable = true;
      if ((hi & (1 << 27)) !== 0) pxnTable = true;
      tableAddress = outHigh * TWO_32 + outLow;
      level++;
      index = level === 2 ? (va >>> 21) & 0x1ff : (va >>> 12) & 0x1ff;
      continue;
    }
    if (type === 1 && level === 3) return fail(out, FaultKind.Translation, 3); // reserved at level 3
    // Block (levels 1, 2) or page (level 3).
    const shift = level === 1 ? 30 : level === 2 ? 21 : 12;
    if ((lo & 0x400) === 0) return fail(out, FaultKind.AccessFlag, level);
    const blockBase = outHigh * TWO_32 + (outLow - (outLow % 2 ** shift));
    out.pageAddress = blockBase + ((va % 2 ** shift) - (va % 4096));
    out.blockShift = shift;
    let ap = (lo >>> 6) & 3;
    // APTable[0] removes PL0 access, APTable[1] removes write access (Table B3-15).
    if ((apTable & 1) !== 0) ap &= ~1;
    if ((apTable & 2) !== 0) ap |= 2;
    const xn = xnTable || (hi & (1 << 22)) !== 0;
    const pxn = pxnTable || (hi & (1 << 21)) !== 0;
    out.perms = withExecute(SIMPLE_AP_PERMS[ap], xn, pxn, regs.sctlr);
    out.notGlobal = (lo & 0x800) !== 0;
    out.level = level;
    out.domain = 0;
    out.domainFault = false;
    out.attributes = (lo >>> 2) & 7;
    out.fault.kind = FaultKind.None;
    return true;
  }
}

function fail(out: WalkResult, kind: number, level: number): boolean {
  out.fault.set(kind, level, 0);
  return false;
}
