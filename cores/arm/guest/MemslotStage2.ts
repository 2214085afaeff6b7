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
 */
export class MemslotStage2 implements HostStage2 {
  constructor(private readonly bus: GuestPhysicalBus) {}

  stage2Permissions(ipa: number): number {
    const slot = this.bus.memory.slotAt(ipa);
    if (slot === null) return 0;
    return slot.readOnly ? S2Perm.Read | S2Perm.Exec : S2Perm.All;
  }
}
