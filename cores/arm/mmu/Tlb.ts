import type { WalkResult } from './WalkResult.ts';

/**
 * The architectural TLB of one core (B3.9): translations cached per 4 KiB
 * virtual page, tagged with the ASID unless global. Direct-mapped, so a hit
 * is one compare. Faults are never cached (B3.9.1). Maintenance operations
 * (TLBIALL, TLBIMVA, TLBIASID, TLBIMVAA) remove entries as the manual says;
 * an entry made from a section or block is removed by an address anywhere in
 * that section/block.
 */
export class Tlb {
  static readonly SIZE = 1024;
  private static readonly MASK = Tlb.SIZE - 1;

  /** Virtual page number (va >>> 12), or -1 when the slot is empty. */
  readonly vpn = new Int32Array(Tlb.SIZE).fill(-1);
  /** ASID of a non-global entry, -1 for a global one. */
  readonly asid = new Int16Array(Tlb.SIZE);
  readonly pageAddress = new Float64Array(Tlb.SIZE);
  readonly perms = new Uint8Array(Tlb.SIZE);
  readonly blockShift = new Uint8Array(Tlb.SIZE);
  readonly level = new Uint8Array(Tlb.SIZE);
  readonly domain = new Uint8Array(Tlb.SIZE);
  readonly domainFault = new Uint8Array(Tlb.SIZE);
  readonly attributes = new Uint8Array(Tlb.SIZE);

  /** Slot holding a valid entry for `vpn` in `asid`, or -1. */
  find(vpn: number, asid: number): number {
    const i = vpn & Tlb.MASK;
    if (this.vpn[i] !== vpn) return -1;
    const a = this.asid[i];
    return a === -1 || a === asid ? i : -1;
  }

  insert(vpn: number, asid: number, w: WalkResult): number {
    const i = vpn & Tlb.MASK;
    this.vpn[i] = vpn;
    this.asid[i] = w.notGlobal ? asid : -1;
    this.pageAddress[i] = w.pageAddress;
    this.perms[i] = w.perms;
    this.blockShift[i] = w.blockShift;
    this.level[i] = w.level;
    this.domain[i] = w.domain;
    this.domainFault[i] = w.domainFault ? 1 : 0;
    this.attributes[i] = w.attributes;
    return i;
  }

  invalidateAll(): void {
    this.vpn.fill(-1);
  }

  /** TLBIASID: non-global entries of `asid`. */
  invalidateAsid(asid: number): void {
    for (let i = 0; i < Tlb.SIZE; i++) {
      if (this.vpn[i] !== -1 && this.asid[i] === asid) this.vpn[i] = -1;
    }
  }

  /**
   * TLBIMVA (`asid` ≥ 0: global entries and those of that ASID) or TLBIMVAA
   * (`asid` = -1: any ASID) for the mapping containing `va`.
   */
  invalidateAddress(va: number, asid: number): void {
    const page = va >>> 12;
    for (let i = 0; i < Tlb.SIZE; i++) {
      const v = this.vpn[i];
      if (v === -1) continue;
      // Compare the bits above the block size (span ≤ 18 for 1 GiB blocks).
      const span = this.blockShift[i] - 12;
      if (v >>> span !== page >>> span) continue;
      const a = this.asid[i];
      if (asid === -1 || a === -1 || a === asid) this.vpn[i] = -1;
    }
  }
}
