import type { WalkResult } from './WalkResult.ts';

/**
 * The architectural TLB of one core (B3.9): translations cached per 4 KiB
 * virtual page, tagged with the ASID unless global. Direct-mapped with two
 * places per page: a global entry's slot is chosen by the page alone, a
 * non-global one's by the page and its ASID and regime, so that processes
 * using the same addresses (every process's user space) do not evict each
 * other and a lookup is at most two compares. Faults are never cached (B3.9.1). Maintenance operations
 * (TLBIALL, TLBIMVA, TLBIASID, TLBIMVAA) remove entries as the manual says;
 * an entry made from a section or block is removed by an address anywhere in
 * that section/block.
 *
 * With the Virtualization Extensions (B3.9.2) each entry also belongs to a
 * translation regime: the Non-secure PL1&0 regime of one VMID (context =
 * VMID, 0–255), or the PL2 (Hyp) regime (context = HYP_CONTEXT). An entry of
 * the PL1&0 regime holds the combined stage 1 + stage 2 result (VA → PA),
 * keeping the intermediate physical address and the stage 2 permissions
 * apart so that a stage 2 permission fault can still be reported to Hyp mode
 * with its IPA.
 */

/** Context of entries of the Hyp (PL2) translation regime. */
export const HYP_CONTEXT = 0x100;

export class Tlb {
  static readonly SIZE = 2048;
  private static readonly MASK = Tlb.SIZE - 1;

  /** Virtual page number (va >>> 12), or -1 when the slot is empty. */
  readonly vpn = new Int32Array(Tlb.SIZE).fill(-1);
  /** ASID of a non-global entry, -1 for a global one. */
  readonly asid = new Int16Array(Tlb.SIZE);
  /** Translation regime: VMID of the PL1&0 regime, or HYP_CONTEXT. */
  readonly context = new Int16Array(Tlb.SIZE);
  readonly pageAddress = new Float64Array(Tlb.SIZE);
  readonly perms = new Uint8Array(Tlb.SIZE);
  readonly blockShift = new Uint8Array(Tlb.SIZE);
  readonly level = new Uint8Array(Tlb.SIZE);
  readonly domain = new Uint8Array(Tlb.SIZE);
  readonly domainFault = new Uint8Array(Tlb.SIZE);
  readonly attributes = new Uint8Array(Tlb.SIZE);
  /** Intermediate physical address of the page (= pageAddress without stage 2). */
  readonly ipaPage = new Float64Array(Tlb.SIZE);
  /** Stage 2 permissions (S2Perm bits; all of them without stage 2). */
  readonly s2perms = new Uint8Array(Tlb.SIZE);
  /** Level of the stage 2 descriptor (for permission fault codes). */
  readonly s2level = new Uint8Array(Tlb.SIZE);

  /**
   * Told the page number of every valid entry an insertion replaces, so that
   * caches of the TLB's contents (the core's soft TLB) never hold more than it.
   */
  onEvict: ((vpn: number) => void) | null = null;

  /** Slot of a non-global entry of `vpn` in `asid` of regime `context` (a global one's is `vpn` modulo SIZE). */
  static privateSlot(vpn: number, asid: number, context: number): number {
    return (vpn ^ Math.imul(asid + 1, 0x9e5) ^ Math.imul(context, 0x3b1)) & Tlb.MASK;
  }

  /** Slot holding a valid entry for `vpn` in `asid` of regime `context`, or -1. */
  find(vpn: number, asid: number, context: number): number {
    const g = vpn & Tlb.MASK;
    if (this.vpn[g] === vpn && this.context[g] === context && this.asid[g] === -1) return g;
    const p = Tlb.privateSlot(vpn, asid, context);
    if (this.vpn[p] === vpn && this.context[p] === context && this.asid[p] === asid) return p;
    return -1;
  }

  insert(vpn: number, asid: number, context: number, w: WalkResult): number {
    const i = w.notGlobal ? Tlb.privateSlot(vpn, asid, context) : vpn & Tlb.MASK;
    const old = this.vpn[i];
    if (old !== -1 && this.onEvict !== null) this.onEvict(old);
    this.vpn[i] = vpn;
    this.asid[i] = w.notGlobal ? asid : -1;
    this.context[i] = context;
    this.pageAddress[i] = w.pageAddress;
    this.perms[i] = w.perms;
    this.blockShift[i] = w.blockShift;
    this.level[i] = w.level;
    this.domain[i] = w.domain;
    this.domainFault[i] = w.domainFault ? 1 : 0;
    this.attributes[i] = w.attributes;
    this.ipaPage[i] = w.ipaPage;
    this.s2perms[i] = w.s2perms;
    this.s2level[i] = w.s2level;
    return i;
  }

  invalidateAll(): void {
    this.vpn.fill(-1);
  }

  /** Every entry of one regime (TLBIALL for the current VMID, TLBIALLH for HYP_CONTEXT). */
  invalidateContext(context: number): void {
    for (let i = 0; i < Tlb.SIZE; i++) {
      if (this.vpn[i] !== -1 && this.context[i] === context) this.vpn[i] = -1;
    }
  }

  /** TLBIALLNSNH: every entry of the PL1&0 regime, whatever its VMID. */
  invalidateAllNonHyp(): void {
    for (let i = 0; i < Tlb.SIZE; i++) {
      if (this.vpn[i] !== -1 && this.context[i] !== HYP_CONTEXT) this.vpn[i] = -1;
    }
  }

  /** TLBIASID: non-global entries of `asid` in regime `context`. */
  invalidateAsid(asid: number, context: number): void {
    for (let i = 0; i < Tlb.SIZE; i++) {
      if (this.vpn[i] !== -1 && this.asid[i] === asid && this.context[i] === context) this.vpn[i] = -1;
    }
  }

  /**
   * TLBIMVA (`asid` ≥ 0: global entries and those of that ASID) or TLBIMVAA
   * (`asid` = -1: any ASID) for the mapping containing `va`, in regime `context`
   * (TLBIMVAH: HYP_CONTEXT, whose entries are all global).
   */
  invalidateAddress(va: number, asid: number, context: number): void {
    const page = va >>> 12;
    for (let i = 0; i < Tlb.SIZE; i++) {
      const v = this.vpn[i];
      if (v === -1 || this.context[i] !== context) continue;
      // Compare the bits above the block size (span ≤ 18 for 1 GiB blocks).
      const span = this.blockShift[i] - 12;
      if (v >>> span !== page >>> span) continue;
      const a = this.asid[i];
      if (asid === -1 || a === -1 || a === asid) this.vpn[i] = -1;
    }
  }
}
