import { Perm, type GuestPageTableWalker, type PageTableMemory, type WalkResult } from '../../src/hv/shadow/GuestPageTableWalker.ts';

/**
 * A made-up two-level page-table format for testing the ISA-neutral shadow
 * MMU (no real ISA's):
 * - level 1: 1024 words at the root, indexed by VA bits 31–22; an entry is
 *   the 4 KiB-aligned address of a level-2 table | V (bit 0);
 * - level 2: 1024 words indexed by VA bits 21–12; an entry is the 4 KiB page
 *   frame | V (bit 0) | W (bit 1) | U (bit 2) | X (bit 3).
 * Fault codes: 1 = level-1 entry invalid, 2 = level-2 entry invalid,
 * 3 = a table outside guest memory.
 */
export const V = 1;
export const W = 2;
export const U = 4;
export const X = 8;

export const FAULT_L1 = 1;
export const FAULT_L2 = 2;
export const FAULT_BUS = 3;

export class FakeTwoLevelWalker implements GuestPageTableWalker {
  walk(root: number, gva: number, memory: PageTableMemory, out: WalkResult): void {
    const l1Addr = root + (gva >>> 22) * 4;
    if (!memory.isMemory(l1Addr)) {
      out.fault = FAULT_BUS;
      return;
    }
    const l1 = memory.read32(l1Addr);
    if ((l1 & V) === 0) {
      out.fault = FAULT_L1;
      return;
    }
    const l2Addr = (l1 & ~0xfff) + ((gva >>> 12) & 0x3ff) * 4;
    if (!memory.isMemory(l2Addr)) {
      out.fault = FAULT_BUS;
      return;
    }
    const l2 = memory.read32(l2Addr);
    if ((l2 & V) === 0) {
      out.fault = FAULT_L2;
      return;
    }
    let perms = Perm.Read;
    if ((l2 & W) !== 0) perms |= Perm.Write;
    if ((l2 & X) !== 0) perms |= Perm.Exec;
    if ((l2 & U) !== 0) perms |= perms << 3;
    out.perms = perms;
    out.gpa = (l2 & ~0xfff) >>> 0 | (gva & 0xfff);
    out.gpa >>>= 0;
  }
}

/** Builds tables in guest memory through a store function (the guest's own stores). */
export class FakePageTables {
  constructor(private readonly store: (gpa: number, value: number) => void) {}

  /** Point level-1 slot of `gva` at the level-2 table at `l2`. */
  table(root: number, gva: number, l2: number): void {
    this.store(root + (gva >>> 22) * 4, (l2 | V) >>> 0);
  }

  /** Map the page of `gva` to `gpa` with `flags` (W|U|X) in the level-2 table at `l2`. */
  map(l2: number, gva: number, gpa: number, flags = 0): void {
    this.store(l2 + ((gva >>> 12) & 0x3ff) * 4, (gpa | V | flags) >>> 0);
  }

  unmap(l2: number, gva: number): void {
    this.store(l2 + ((gva >>> 12) & 0x3ff) * 4, 0);
  }
}
