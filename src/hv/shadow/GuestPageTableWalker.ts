/**
 * What an ISA supplies so the ISA-neutral shadow MMU can follow the guest's
 * own page tables: a walker that reads guest page-table entries through
 * PageTableMemory and says where a guest-virtual address goes.
 */

/** Permission bits of a translation (the walker folds the ISA's AP/XN/U/S encodings into these). */
export const Perm = {
  Read: 1,
  Write: 2,
  Exec: 4,
  /** The same three for unprivileged (user-mode) accesses. */
  UserRead: 8,
  UserWrite: 16,
  UserExec: 32,
} as const;

/** What an access needs: Perm.Read, Perm.Write or Perm.Exec. */
export type AccessKind = 1 | 2 | 4;

/** The permission bit an access of `kind` needs, privileged or user. */
export function requiredPerm(kind: AccessKind, user: boolean): number {
  return user ? kind << 3 : kind;
}

/** Most page-table entries one walk reads (x86 PAE and LPAE need 3, short descriptors 2). */
export const MAX_WALK_READS = 8;

/** Guest-physical memory as a walker reads it: each read is counted and its address kept. */
export interface PageTableMemory {
  /** A 32-bit entry at guest-physical `gpa`, in the guest's byte order (0 outside guest memory: check isMemory). */
  read32(gpa: number): number;
  /** False when `gpa` is not in a memory slot (the walker then reports an external abort on the walk). */
  isMemory(gpa: number): boolean;
}

/** The result of one walk; one object is reused for every walk. */
export class WalkResult {
  /** Guest-physical address of the walked address (page offset included) when fault is 0. */
  gpa = 0;
  /** Perm bits of the final entry when fault is 0. */
  perms = 0;
  /** 0 = translated; else the ISA's fault code (translation fault, bad walk…), handed to the core to raise in the guest. */
  fault = 0;
  /** Guest-physical addresses of the entries read, in order (filled by the memory, not the walker). */
  readonly pteAddresses = new Float64Array(MAX_WALK_READS);
  /** How many entries were read. */
  reads = 0;

  clear(): void {
    this.gpa = 0;
    this.perms = 0;
    this.fault = 0;
    this.reads = 0;
  }
}

export interface GuestPageTableWalker {
  /**
   * Translate guest-virtual `gva` through the tables whose base is guest-physical
   * `root`, reading every entry with `memory.read32`. Set out.gpa and out.perms,
   * or out.fault. The walker must not keep state between calls.
   */
  walk(root: number, gva: number, memory: PageTableMemory, out: WalkResult): void;
}
