import type { GuestPhysicalBus } from '../../../src/hv/GuestPhysicalBus.ts';
import type { HostStage2 } from '../mmu/AddressTranslation.ts';
import { S2Perm } from '../mmu/WalkResult.ts';

/**
 * Stage 2 of a tskvm guest (nested paging): the VM's memory slots. An IPA in
 * a slot is mapped to itself on the guest's bus — read, write and execute, or
 * read and execute for a read-only slot (a store there is a stage 2
 * Permission fault the hypervisor turns into an MMIO write exit, as KVM does
 * for KVM_MEM_READONLY). Anything else — the in-kernel irqchip's registers,
 * device windows the VMM emulates, holes — is not mapped: a stage 2
 * Translation fault whose syndrome the hypervisor uses to emulate the access.
 *
 * `passThrough` maps everything, for the one instruction the hypervisor
 * re-executes when an access outside memory has no instruction syndrome
 * (LDM, LDRD, writeback forms): its device accesses then reach the VM's bus
 * directly and exit through the bus's MMIO exit protocol (src/hv Vcpu), and
 * `accessExited` makes the core abandon the instruction until they are
 * answered.
 */
export class MemslotStage2 implements HostStage2 {
  passThrough = false;

  constructor(
    private readonly bus: GuestPhysicalBus,
    private readonly exitRequest: Int32Array,
  ) {}

  stage2Permissions(ipa: number): number {
    const slot = this.bus.memory.slotAt(ipa);
    if (slot === null) return this.passThrough ? S2Perm.Read | S2Perm.Write : 0;
    // While passing through, a store to a read-only slot goes to the bus too, which exits for it.
    return slot.readOnly && !this.passThrough ? S2Perm.Read | S2Perm.Exec : S2Perm.All;
  }

  accessExited(): boolean {
    return this.exitRequest[0] !== 0;
  }
}
