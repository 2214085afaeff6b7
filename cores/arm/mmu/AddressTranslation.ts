import { Hcr, Sctlr } from '../SystemRegisterState.ts';
import type { ArmCpu } from '../ArmCpu.ts';
import { FaultInfo, FaultKind } from './Fault.ts';
import { walkHypDescriptor, walkLongDescriptor, walkStage2 } from './LongDescriptorWalker.ts';
import { walkShortDescriptor } from './ShortDescriptorWalker.ts';
import { HYP_CONTEXT } from './Tlb.ts';
import { Perm, S2Perm, WalkResult, type DescriptorMemory } from './WalkResult.ts';

/**
 * A stage 2 that is not made of translation tables in memory: tskvm itself,
 * acting as the hypervisor of a guest whose intermediate physical addresses
 * are the VM's memory slots (nested paging). Pages it maps are identity-mapped
 * (IPA = address on the core's bus) with the permissions it returns.
 */
export interface HostStage2 {
  /** S2Perm bits of the page holding `ipa`; 0 when nothing is mapped there (a stage 2 Translation fault). */
  stage2Permissions(ipa: number): number;
  /**
   * Asked after each access the core sent to a device on its bus: true when
   * the host turned it into an exit it must answer first, so the core
   * abandons the instruction (a stage 2 external abort to the host).
   */
  accessExited?(): boolean;
  /** True when the host's stage 2 is a table walk (nested paging): every fill then counts as a walk. */
  readonly walksTables?: boolean;
}

/**
 * A stage 1 of the PL1&0 regime kept outside the core: a hypervisor's
 * shadow page tables built from the guest's own (shadow paging). Consulted
 * instead of the TLB and the core's walk while the guest's MMU is on.
 */
export interface HostStage1 {
  /**
   * The IPA of `va` for an access (0 read, 1 write, 2 fetch) from PL0
   * (`user`) or PL1, or -1 with the guest's fault (kind, level, domain)
   * written to `fault`.
   */
  translate(va: number, access: number, user: boolean, fault: FaultInfo): number;
}

/** Walk statistics (structurally the hypervisor's PagingCounters, which a guest core is given). */
export interface WalkCounters {
  /** TLB misses of the PL1&0 regime resolved by walking translation tables (stage 1, stage 2 or both). */
  walks: number;
  /** Descriptors read by those walks, at both stages. */
  walkMemoryReferences: number;
  /** Stage 1 faults of the PL1&0 regime (the guest's own page faults). */
  guestPageFaults: number;
}

/** Access kinds, as ArmCpu's Access enum. */
const READ = 0;
const WRITE = 1;

const ALL_STAGE1 = Perm.Pl1Read | Perm.Pl1Write | Perm.Pl1Exec | Perm.Pl0Read | Perm.Pl0Write | Perm.Pl0Exec;
const TWO_32 = 0x100000000;

/**
 * Descriptor reads of long-descriptor walks from physical memory (stage 2 and
 * the Hyp regime). With `counting`, each 64-bit descriptor counts as one
 * memory reference (its low word is read first, at an 8-byte boundary).
 */
class PhysicalDescriptors implements DescriptorMemory {
  walkAborted = false;

  constructor(
    private readonly cpu: ArmCpu,
    private readonly owner: AddressTranslation | null,
  ) {}

  readDescriptor32(pa: number): number {
    if (this.owner !== null && pa % 8 === 0) this.owner.counters.walkMemoryReferences++;
    const cpu = this.cpu;
    cpu.walkAborted = false;
    const v = cpu.readDescriptor32(pa);
    if (cpu.walkAborted) this.walkAborted = true;
    return v;
  }
}

/**
 * Stage 1 descriptor reads of the PL1&0 regime: their addresses are IPAs,
 * translated through stage 2 when it is on (B3.6.1: a stage 2 fault on such
 * a read is reported with S1PTW set, HPFAR = the descriptor's IPA).
 */
class Stage1Descriptors implements DescriptorMemory {
  walkAborted = false;
  /** Stage 2 applies to the reads of the walk under way. */
  throughStage2 = false;
  /** The walk under way uses 64-bit descriptors (read as two words: one memory reference). */
  longFormat = false;
  /** Set when a read failed at stage 2 (the walker then reports an external abort on the walk, which this overrides). */
  readonly stage2Fault = new FaultInfo();
  hasStage2Fault = false;
  private readonly s2 = new WalkResult();

  constructor(
    private readonly cpu: ArmCpu,
    private readonly owner: AddressTranslation,
    private readonly physical: PhysicalDescriptors,
  ) {}

  readDescriptor32(ipa: number): number {
    if (!this.longFormat || ipa % 8 === 0) this.owner.counters.walkMemoryReferences++;
    let pa = ipa;
    if (this.throughStage2) {
      const s2 = this.s2;
      if (!this.owner.stage2(ipa, s2)) {
        this.fail(s2.fault.kind, s2.fault.level, ipa);
        return 0;
      }
      // A walk needs read permission at stage 2; with HCR.PTW, Device memory at stage 2 is refused too.
      if ((s2.perms & S2Perm.Read) === 0 || (s2.s2device && (this.cpu.sys.hcr & Hcr.PTW) !== 0)) {
        this.fail(FaultKind.Permission, s2.level, ipa);
        return 0;
      }
      pa = s2.pageAddress + (ipa % 4096);
    }
    const p = this.physical;
    p.walkAborted = false;
    const v = p.readDescriptor32(pa);
    if (p.walkAborted) this.walkAborted = true;
    return v;
  }

  private fail(kind: number, level: number, ipa: number): void {
    if (!this.hasStage2Fault) this.stage2Fault.setStage2(kind, level, ipa, true);
    this.hasStage2Fault = true;
    this.walkAborted = true;
  }
}

/**
 * Address translation of one core (ARM ARM B3): the PL1&0 regime (stage 1
 * from SCTLR/TTBCR/TTBRx, then stage 2 from VTTBR/VTCR when HCR.VM is set,
 * or from a host hypervisor's memory slots) and the PL2 regime (HSCTLR,
 * HTTBR, HTCR). Results are cached in the core's architectural TLB as one
 * VA → PA entry per page, tagged with the regime (VMID or Hyp); faults are
 * left in `cpu.fault`, stage 2 ones marked for Hyp mode.
 */
export class AddressTranslation {
  counters: WalkCounters = { walks: 0, walkMemoryReferences: 0, guestPageFaults: 0 };
  /** IPA of the last successful translation (for ATS1C*, which report stage 1 only). */
  lastIpa = 0;
  /**
   * Size (log2 bytes) of the stage 1 mapping the last `translate` used: 12 for
   * a small page or no stage 1, the section's or block's for those, 32 when it
   * is not known (shadow paging). The soft TLB decides from it whether a TLBIMVA
   * can drop one page or must drop everything.
   */
  lastBlockShift = 12;
  /** Set by a hypervisor doing shadow paging: stage 1 comes from its shadow tables. */
  hostStage1: HostStage1 | null = null;
  private readonly walkResult = new WalkResult();
  private readonly stage2Result = new WalkResult();
  /** Stage 2 descriptor reads (counted). */
  private readonly stage2Reads: PhysicalDescriptors;
  /** Hyp regime descriptor reads (not counted: the statistics are the PL1&0 regime's). */
  private readonly hypReads: PhysicalDescriptors;
  private readonly stage1Reads: Stage1Descriptors;

  constructor(private readonly cpu: ArmCpu) {
    this.stage2Reads = new PhysicalDescriptors(cpu, this);
    this.hypReads = new PhysicalDescriptors(cpu, null);
    this.stage1Reads = new Stage1Descriptors(cpu, this, this.hypReads);
  }

  /** Whether stage 2 applies to the PL1&0 regime now. */
  stage2Enabled(): boolean {
    return this.cpu.hostHypervisor !== null || (this.cpu.virtualization && (this.cpu.sys.hcr & (Hcr.VM | Hcr.DC)) !== 0);
  }

  /** The TLB context of the PL1&0 regime: its VMID. */
  pl10Context(): number {
    return this.cpu.virtualization ? this.cpu.sys.vmid : 0;
  }

  /**
   * Translate `va` for an access of kind `access` (0 read, 1 write, 2 fetch)
   * at privilege `pl`; returns the physical address, or -1 with `cpu.fault`
   * set (marked stage 2 when the fault belongs to Hyp mode).
   */
  translate(va: number, access: number, pl: number): number {
    va >>>= 0;
    const cpu = this.cpu;
    const sys = cpu.sys;
    if (pl === 2) return this.translateHyp(va, access);
    const hcr = cpu.virtualization ? sys.hcr : 0;
    const s1 = (sys.sctlr & Sctlr.M) !== 0 && (hcr & Hcr.DC) === 0;
    const s2 = this.stage2Enabled();
    if (!s1 && !s2) {
      this.lastIpa = va;
      this.lastBlockShift = 12;
      return va;
    }
    if (s1 && this.hostStage1 !== null) {
      this.lastBlockShift = 32;
      return this.translateShadowed(va, access, pl);
    }
    const vpn = va >>> 12;
    const asid = s1 ? sys.asid : 0;
    const context = this.pl10Context();
    const tlb = cpu.tlb;
    let slot = tlb.find(vpn, asid, context);
    if (slot < 0) {
      slot = this.fill(va, asid, context, s1, s2);
      if (cpu.probe.traceMmu) cpu.probe.tableWalk!(va, slot < 0 ? -1 : tlb.pageAddress[slot] + (va & 0xfff), slot < 0 ? cpu.fault.level : tlb.level[slot], false);
      if (slot < 0) return -1;
    }
    if (tlb.domainFault[slot] !== 0) {
      cpu.fault.set(FaultKind.Domain, tlb.level[slot], tlb.domain[slot]);
      this.counters.guestPageFaults++;
      return -1;
    }
    const need =
      access === READ
        ? pl === 0 ? Perm.Pl0Read : Perm.Pl1Read
        : access === WRITE
          ? pl === 0 ? Perm.Pl0Write : Perm.Pl1Write
          : pl === 0 ? Perm.Pl0Exec : Perm.Pl1Exec;
    if ((tlb.perms[slot] & need) === 0) {
      cpu.fault.set(FaultKind.Permission, tlb.level[slot], tlb.domain[slot]);
      this.counters.guestPageFaults++;
      return -1;
    }
    const offset = va & 0xfff;
    const s2need = access === READ ? S2Perm.Read : access === WRITE ? S2Perm.Write : S2Perm.Exec;
    if ((tlb.s2perms[slot] & s2need) === 0) {
      cpu.fault.setStage2(FaultKind.Permission, tlb.s2level[slot], tlb.ipaPage[slot] + offset, false);
      return -1;
    }
    this.lastIpa = tlb.ipaPage[slot] + offset;
    this.lastBlockShift = s1 ? tlb.blockShift[slot] : 12;
    return tlb.pageAddress[slot] + offset;
  }

  /** Stage 1 from the host's shadow tables, then stage 2 (uncached: the soft TLB caches the result). */
  private translateShadowed(va: number, access: number, pl: number): number {
    const cpu = this.cpu;
    const ipa = this.hostStage1!.translate(va, access, pl === 0, cpu.fault);
    if (ipa < 0) return -1;
    const r = this.stage2Result;
    if (!this.stage2(ipa, r)) {
      cpu.fault.setStage2(r.fault.kind, r.fault.level, ipa, false);
      return -1;
    }
    const s2need = access === READ ? S2Perm.Read : access === WRITE ? S2Perm.Write : S2Perm.Exec;
    if ((r.perms & s2need) === 0) {
      cpu.fault.setStage2(FaultKind.Permission, r.level, ipa, false);
      return -1;
    }
    this.lastIpa = ipa;
    return r.pageAddress + (ipa % 4096);
  }

  /** Walk both stages for a TLB miss of the PL1&0 regime; the new slot, or -1 with the fault set. */
  private fill(va: number, asid: number, context: number, s1: boolean, s2: boolean): number {
    const cpu = this.cpu;
    const sys = cpu.sys;
    const w = this.walkResult;
    // A stage 2 that a host hypervisor answers from its memory slots reads no tables: not a walk.
    const host = this.cpu.hostHypervisor;
    if (s1 || host === null || host.walksTables === true) this.counters.walks++;
    if (s1) {
      const reads = this.stage1Reads;
      reads.throughStage2 = s2;
      reads.longFormat = sys.longFormat;
      reads.hasStage2Fault = false;
      const ok = sys.longFormat ? walkLongDescriptor(reads, sys, va, w) : walkShortDescriptor(reads, sys, va, w);
      if (!ok) {
        if (reads.hasStage2Fault) cpu.fault.copyFrom(reads.stage2Fault);
        else {
          const f = w.fault;
          cpu.fault.set(f.kind, f.level, f.domain);
          this.counters.guestPageFaults++;
        }
        return -1;
      }
    } else {
      // Stage 1 off: VA = IPA, every access allowed at stage 1 (B3.8.2).
      w.pageAddress = va - (va % 4096);
      w.blockShift = 12;
      w.perms = ALL_STAGE1;
      w.notGlobal = false;
      w.level = 1;
      w.domain = 0;
      w.domainFault = false;
      w.attributes = 0;
    }
    w.ipaPage = w.pageAddress;
    w.s2perms = S2Perm.All;
    w.s2level = 3;
    if (s2) {
      const r = this.stage2Result;
      if (!this.stage2(w.ipaPage, r)) {
        cpu.fault.setStage2(r.fault.kind, r.fault.level, w.ipaPage + (va & 0xfff), false);
        return -1;
      }
      w.pageAddress = r.pageAddress;
      w.s2perms = r.perms;
      w.s2level = r.level;
    }
    return cpu.tlb.insert(va >>> 12, asid, context, w);
  }

  /** Stage 2 of the page holding `ipa`: from the host hypervisor, or a VTTBR walk. */
  stage2(ipa: number, out: WalkResult): boolean {
    // A host hypervisor running the core as a guest supplies stage 2 itself.
    const host = this.cpu.hostHypervisor;
    if (host !== null) {
      const perms = host.stage2Permissions(ipa);
      if (perms === 0) {
        // No slot and no device there: reported as a level 3 Translation fault, as a table with an invalid page entry would.
        out.fault.set(FaultKind.Translation, 3, 0);
        return false;
      }
      out.pageAddress = ipa - (ipa % 4096);
      out.perms = perms;
      out.level = 3;
      out.blockShift = 12;
      out.s2device = false;
      return true;
    }
    return walkStage2(this.stage2Reads, this.cpu.sys, ipa, out);
  }

  /** The PL2 regime: flat while HSCTLR.M = 0, else HTTBR's tables (B3.6.4). */
  private translateHyp(va: number, access: number): number {
    const cpu = this.cpu;
    const sys = cpu.sys;
    // The PL1&0 TLBIMVA the soft TLB's block map serves never reaches Hyp entries (TLBIMVAH empties everything).
    this.lastBlockShift = 12;
    if ((sys.hsctlr & Sctlr.M) === 0) return va;
    const vpn = va >>> 12;
    const tlb = cpu.tlb;
    let slot = tlb.find(vpn, 0, HYP_CONTEXT);
    if (slot < 0) {
      const w = this.walkResult;
      if (!walkHypDescriptor(this.hypReads, sys, va, w)) {
        const f = w.fault;
        cpu.fault.set(f.kind, f.level, 0);
        if (cpu.probe.traceMmu) cpu.probe.tableWalk!(va, -1, f.level, true);
        return -1;
      }
      w.ipaPage = w.pageAddress;
      w.s2perms = S2Perm.All;
      w.s2level = 3;
      slot = tlb.insert(vpn, 0, HYP_CONTEXT, w);
      if (cpu.probe.traceMmu) cpu.probe.tableWalk!(va, w.pageAddress + (va & 0xfff), w.level, true);
    }
    const need = access === READ ? Perm.Pl1Read : access === WRITE ? Perm.Pl1Write : Perm.Pl1Exec;
    if ((tlb.perms[slot] & need) === 0) {
      cpu.fault.set(FaultKind.Permission, tlb.level[slot], 0);
      return -1;
    }
    return tlb.pageAddress[slot] + (va & 0xfff);
  }

  /** Memory attributes cached for `va` in the regime of privilege `pl` (for PAR), 0 when not cached. */
  attributesOf(va: number, pl: number): number {
    const tlb = this.cpu.tlb;
    const slot = pl === 2 ? tlb.find(va >>> 12, 0, HYP_CONTEXT) : tlb.find(va >>> 12, this.cpu.sys.asid, this.pl10Context());
    return slot < 0 ? 0 : tlb.attributes[slot];
  }
}

/** HPFAR for a stage 2 fault at `ipa`: FIPA[39:12] in bits [31:4] (B4.1.69). */
export function hpfarOf(ipa: number): number {
  return ((Math.floor(ipa / 4096) % (TWO_32 / 16)) << 4) | 0;
}
