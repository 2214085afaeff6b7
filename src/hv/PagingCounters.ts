/**
 * Counters of a VM's memory virtualization, for `info mmu` and run summaries.
 * Both paging modes fill them: under `shadow` the ShadowMmu does, under
 * `nested` the core counts its stage-1 + stage-2 walks and the memory
 * references they made. Plain numbers, bumped in place.
 */
export class PagingCounters {
  /** Guest page-table walks (shadow: on shadow misses; nested: the core's combined stage 1 + 2 walks). */
  walks = 0;
  /** Nested: stage 2 entries the hypervisor created when the guest first touched a page (KVM's stage 2 faults). */
  stage2Faults = 0;
  /** Guest memory words read by those walks. */
  walkMemoryReferences = 0;
  /** Walks that ended in a fault the guest must handle (translation or permission fault). */
  guestPageFaults = 0;
  /** Shadow entries created from a walk. */
  shadowFills = 0;
  /** Shadow entries re-walked because a guest page-table page they came from was written. */
  shadowSyncs = 0;
  /** Shadow page tables (4 MiB leaves of one address space) dropped: by invalidation or the memory limit. */
  shadowZaps = 0;
  /** Stores to write-protected guest page-table pages. */
  writeProtectFaults = 0;

  get memoryReferencesPerWalk(): number {
    return this.walks === 0 ? 0 : this.walkMemoryReferences / this.walks;
  }

  /** Plain-data copy for listings and tests. */
  snapshot(): PagingCounterSnapshot {
    return {
      walks: this.walks,
      stage2Faults: this.stage2Faults,
      walkMemoryReferences: this.walkMemoryReferences,
      memoryReferencesPerWalk: this.memoryReferencesPerWalk,
      guestPageFaults: this.guestPageFaults,
      shadowFills: this.shadowFills,
      shadowSyncs: this.shadowSyncs,
      shadowZaps: this.shadowZaps,
      writeProtectFaults: this.writeProtectFaults,
    };
  }
}

export interface PagingCounterSnapshot {
  readonly walks: number;
  readonly stage2Faults: number;
  readonly walkMemoryReferences: number;
  readonly memoryReferencesPerWalk: number;
  readonly guestPageFaults: number;
  readonly shadowFills: number;
  readonly shadowSyncs: number;
  readonly shadowZaps: number;
  readonly writeProtectFaults: number;
}
