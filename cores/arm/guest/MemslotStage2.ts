import type { GuestPhysicalBus } from '../../../src/hv/GuestPhysicalBus.ts';
import type { PagingCounters } from '../../../src/hv/PagingCounters.ts';
import type { HostStage2 } from '../mmu/AddressTranslation.ts';
import { S2Perm } from '../mmu/WalkResult.ts';
import { Stage2PageTables } from './Stage2PageTables.ts';

/**
 * Stage 2 of a tskvm guest (nested paging): the VM's memory slots. An IPA in
 * a slot is mapped to itself on the guest's bus — read, write and execute, or
 * read and execute for a read-only slot (a store there is a stage 2
 * Permission fault the hypervisor turns into an MMIO write exit, as KVM does
 * for KVM_MEM_READONLY). Anything else — the in-kernel irqchip's registers,
 * device windows the VMM emulates, holes — is not mapped: a stage 2
 * Translation fault whose syndrome the hypervisor uses to emulate the access.
 *
 * Under nested paging the slots are not consulted on every miss: the VM has
 * real stage 2 tables (Stage2PageTables) that the translation walks, filled on
 * the first access to each page from its slot, as KVM does; their descriptor
 * reads count as the walk's memory references. Under shadow paging there is
 * no stage 2 in hardware (the shadow tables map straight to host pages), so
 * the slots are looked up directly and nothing is counted.
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
  readonly walksTables: boolean;
  private readonly tables: Stage2PageTables | null;
  private generation = -1;

  /** `counters` given: nested paging with stage 2 tables counted there; null: shadow paging. */
  constructor(
    private readonly bus: GuestPhysicalBus,
    private readonly exitRequest: Int32Array,
    private readonly counters: PagingCounters | null = null,
  ) {
    this.tables = counters === null ? null : new Stage2PageTables();
    this.walksTables = this.tables !== null;
  }

  stage2Permissions(ipa: number): number {
    const memory = this.bus.memory;
    if (this.passThrough) {
      const slot = memory.slotAt(ipa);
      // While passing through, a store to a read-only slot goes to the bus too, which exits for it.
      return slot === null ? S2Perm.Read | S2Perm.Write : S2Perm.All;
    }
    const tables = this.tables;
    if (tables === null) return this.slotPermissions(ipa);
    if (memory.slotGeneration !== this.generation) {
      tables.clear();
      this.generation = memory.slotGeneration;
    }
    const perms = tables.lookup(ipa, this.counters!);
    if (perms >= 0) return perms;
    // A stage 2 fault: the hypervisor maps the page if a slot holds it; elsewhere (devices, holes) it stays unmapped.
    const fresh = this.slotPermissions(ipa);
    if (fresh !== 0) {
      tables.map(ipa, fresh);
      this.counters!.stage2Faults++;
    }
    return fresh;
  }

  /** Stage 2 tables (nested paging) and the slot generation they were filled for, for snapshots. */
  snapshot(): { readonly tables: Uint32Array | null; readonly generation: number } {
    return { tables: this.tables?.snapshot() ?? null, generation: this.generation };
  }

  restore(s: { readonly tables: Uint32Array | null; readonly generation: number }): void {
    if (this.tables !== null) {
      if (s.tables !== null) this.tables.restore(s.tables);
      else this.tables.clear();
    }
    this.generation = s.generation;
  }

  private slotPermissions(ipa: number): number {
    const slot = this.bus.memory.slotAt(ipa);
    if (slot === null) return 0;
    return slot.readOnly ? S2Perm.Read | S2Perm.Exec : S2Perm.All;
  }

  accessExited(): boolean {
    return this.exitRequest[0] !== 0;
  }
}
