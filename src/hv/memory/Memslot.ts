import { PAGE_SIZE } from '../../machine/MemoryRegions.ts';

/** Flags of a memory slot (KVM_MEM_READONLY, KVM_MEM_LOG_DIRTY_PAGES). */
export interface MemslotFlags {
  /** Guest writes do not reach memory: they exit as MMIO writes (KVM_MEM_READONLY). */
  readonly readonly?: boolean;
  /** Record which pages the guest writes, for getDirtyLog (KVM_MEM_LOG_DIRTY_PAGES). */
  readonly dirtyLog?: boolean;
  /**
   * Pages nothing wrote read as all ones, as erased flash does (tskvm's own
   * flag: QEMU fills a flash device's RAM with 0xff before mapping it; KVM only
   * ever maps what the VMM wrote). Default: they read as zero.
   */
  readonly erased?: boolean;
}

/** The argument of Vm.setUserMemoryRegion (struct kvm_userspace_memory_region). */
export interface UserMemoryRegion {
  /** Slot number chosen by the VMM, 0 … 32767. */
  readonly slot: number;
  /** Guest-physical base, 4 KiB aligned. */
  readonly guestPhysAddr: number;
  /** Bytes, a multiple of 4 KiB; 0 deletes the slot, as in KVM. */
  readonly size: number;
  readonly flags?: MemslotFlags;
  /** For reports and the regions() listing (default "slotN"). */
  readonly name?: string;
}

/**
 * One guest-physical range backed by host pages. The pages themselves live in
 * the VM's page table (GuestPhysicalMemory); the slot keeps what is per range:
 * its flags, the dirty bitmap and how many of its pages have host memory.
 */
export class Memslot {
  readonly pageCount: number;
  dirtyLog: boolean;
  /** Bit i (byte i >> 3, bit i & 7) = page i written since the last getDirtyLog; null while logging is off. */
  dirtyBitmap: Uint8Array | null = null;
  /** Pages of this slot that have a host page (written at least once). */
  backedPages = 0;
  /** Position in the VM's slot table (what the page table stores), or -1 once deleted. */
  tableIndex = -1;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly base: number,
    readonly size: number,
    readonly readOnly: boolean,
    dirtyLog: boolean,
    /** Untouched pages read as 0xff (MemslotFlags.erased). */
    readonly erased = false,
  ) {
    this.pageCount = size / PAGE_SIZE;
    this.dirtyLog = false;
    this.setDirtyLog(dirtyLog);
  }

  get end(): number {
    return this.base + this.size;
  }

  setDirtyLog(on: boolean): void {
    this.dirtyLog = on;
    this.dirtyBitmap = on ? new Uint8Array(Math.ceil(this.pageCount / 8)) : null;
  }

  markDirty(gpa: number): void {
    const bitmap = this.dirtyBitmap;
    if (bitmap === null) return;
    const index = Math.floor((gpa - this.base) / PAGE_SIZE);
    bitmap[index >>> 3] |= 1 << (index & 7);
  }

  describe(): string {
    return `slot ${this.id} "${this.name}" (0x${this.base.toString(16)}-0x${(this.end - 1).toString(16)})`;
  }
}
