import { Perm, WalkResult, type PageTableMemory } from '../../../src/hv/shadow/GuestPageTableWalker.ts';
import { ShadowTranslation, type ShadowMmu } from '../../../src/hv/shadow/ShadowMmu.ts';
import type { ArmCpu } from '../ArmCpu.ts';
import { findSystemRegister32, findSystemRegister64 } from '../Cp15Registers.ts';
import { HsrEc } from '../HypSyndrome.ts';
import type { HostStage1 } from '../mmu/AddressTranslation.ts';
import { FaultKind, type FaultInfo } from '../mmu/Fault.ts';
import { ArmPageTableWalker, faultDomainOf, faultKindOf, faultLevelOf } from './ArmPageTableWalker.ts';

/**
 * Shadow paging for an ARM vCPU: the core's stage 1 of the PL1&0 regime
 * comes from the VM's shadow MMU (src/hv/shadow), which builds its entries
 * with ArmPageTableWalker from the guest's own tables and keeps them in step
 * by write-protecting the table pages. What the write protection cannot see
 * reaches the hypervisor through HCR.TVM and HCR.TTLB traps (B1.14.x):
 * writes to SCTLR, TTBR0/1, TTBCR, DACR and CONTEXTIDR, and TLB maintenance.
 * `emulate` performs such a trapped write on the guest's registers and tells
 * the shadow MMU (invalidate, or a new address space on the next access).
 */
export class ShadowStage1 implements HostStage1 {
  private readonly out = new ShadowTranslation();
  private readonly scratch = new WalkResult();
  private readonly plainMemory: PageTableMemory;

  constructor(
    private readonly cpu: ArmCpu,
    private readonly shadow: ShadowMmu,
    private readonly walker: ArmPageTableWalker,
  ) {
    cpu.mmu.hostStage1 = this;
    // Soft-TLB entries hold shadow results: drop them when the shadow MMU drops a translation
    // (shadow entries are per 4 KiB page, so one page's change drops that page only).
    shadow.onInvalidate((gva) => (gva < 0 ? cpu.flushSoftTlb() : cpu.forgetSoftTlbPage(gva)));
    // The soft TLB keeps a bank per ASID (ArmCpu.addressSpaceChanged).
    shadow.asidTaggedCaches = true;
    const bus = cpu.bus;
    this.plainMemory = {
      read32: (gpa) => bus.read32(gpa),
      isMemory: (gpa) => bus.memoryAt(gpa) !== null,
    };
  }

  reset(): void {}

  translate(va: number, access: number, user: boolean, fault: FaultInfo): number {
    const sys = this.cpu.sys;
    this.walker.registers = sys;
    // The running vCPU's address space (cheap when it is already the active one).
    this.shadow.activate(ArmPageTableWalker.rootOf(sys), sys.asid);
    const kind = access === 0 ? Perm.Read : access === 1 ? Perm.Write : Perm.Exec;
    const out = this.out;
    if (this.shadow.translate(va, kind, user, out)) return out.gpa;
    if (out.fault !== 0) {
      fault.set(faultKindOf(out.fault), faultLevelOf(out.fault), faultDomainOf(out.fault));
      return -1;
    }
    // Mapped without the permission: the fault status needs the mapping's level and domain.
    this.scratch.clear();
    this.walker.walk(ArmPageTableWalker.rootOf(sys), va, this.plainMemory, this.scratch);
    fault.set(FaultKind.Permission, this.walker.lastLevel, this.walker.lastDomain);
    return -1;
  }

  /** Perform the MCR/MCRR that HSR describes (a write trapped by TVM or TTLB); false when it is not one. */
  emulate(hsr: number): boolean {
    if ((hsr & 1) !== 0) return false; // reads are not trapped by TVM/TTLB
    const cpu = this.cpu;
    const r = cpu.r;
    if (hsr >>> 26 === HsrEc.Mcr15) {
      const opc2 = (hsr >>> 17) & 7;
      const opc1 = (hsr >>> 14) & 7;
      const crn = (hsr >>> 10) & 15;
      const rt = (hsr >>> 5) & 15;
      const crm = (hsr >>> 1) & 15;
      const reg = findSystemRegister32(cpu, opc1, crn, crm, opc2);
      if (reg?.write === undefined) return false;
      const value = r[rt];
      reg.write(cpu, value);
      this.written32(crn, opc2, value);
      return true;
    }
    const opc1 = (hsr >>> 16) & 15;
    const rt2 = (hsr >>> 10) & 15;
    const rt = (hsr >>> 5) & 15;
    const crm = (hsr >>> 1) & 15;
    const reg = findSystemRegister64(cpu, opc1, crm);
    if (reg?.write === undefined) return false;
    reg.write(cpu, r[rt], r[rt2]);
    // TTBR1 (opc1 1) changes translations of the current address space; TTBR0 selects another one.
    if (crm === 2 && opc1 === 1) this.shadow.invalidateAll();
    return true;
  }

  private written32(crn: number, opc2: number, value: number): void {
    const shadow = this.shadow;
    switch (crn) {
      case 8:
        // TLB maintenance (B4.2.3): opc2 0 all, 1 by MVA, 2 by ASID, 3 by MVA for all ASIDs.
        if (opc2 === 0) shadow.invalidateAll();
        else if (opc2 === 2) shadow.invalidateAsid(value & 0xff);
        else shadow.invalidatePage(value & ~0xfff);
        return;
      case 1: // SCTLR: AFE, WXN and UWXN are folded into the shadow permissions
      case 3: // DACR: so are the domains
        shadow.invalidateAll();
        return;
      case 2:
        // TTBR1 and TTBCR change the current address space's translations; TTBR0 picks another address space.
        if (opc2 !== 0) shadow.invalidateAll();
        return;
      default:
        // CONTEXTIDR (a new ASID: another address space on the next access), fault status/address, memory attributes.
        return;
    }
  }
}
