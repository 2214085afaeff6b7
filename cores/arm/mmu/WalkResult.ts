import { FaultInfo } from './Fault.ts';

/**
 * Access rights of a translation, as bits, for both privilege levels of the
 * PL1&0 regime (and, later, PL2). Execute implies nothing: a walker sets X
 * only when fetching is allowed (readable and not XN/PXN, B3.7).
 */
export const enum Perm {
  Pl1Read = 1,
  Pl1Write = 2,
  Pl1Exec = 4,
  Pl0Read = 8,
  Pl0Write = 16,
  Pl0Exec = 32,
}

/** The result of one translation table walk (filled in place: walks allocate nothing). */
export class WalkResult {
  /** Physical address of the 4 KiB page containing the address (may exceed 2**32 with LPAE). */
  pageAddress = 0;
  /** log2 of the size of the mapping the walk found (12, 16, 20, 21, 24 or 30). */
  blockShift = 12;
  perms = 0;
  /** Not global (nG): the entry belongs to the current ASID only. */
  notGlobal = false;
  /** Level of the descriptor that mapped the address (1–3), for permission-fault codes. */
  level = 1;
  /** Domain (short-descriptor format). */
  domain = 0;
  /** Set when all accesses fault with a Domain fault (domain marked No access in DACR). */
  domainFault = false;
  /** Memory attributes index/TEX+C+B, kept for PAR. */
  attributes = 0;
  /** Outcome when the walk itself failed. */
  readonly fault = new FaultInfo();
}

/** Where walks read descriptors: physical memory, with external aborts reported through `walkAborted`. */
export interface DescriptorMemory {
  readDescriptor32(pa: number): number;
  /** Set by `readDescriptor32` when the read hit no memory or device (external abort on the walk). */
  walkAborted: boolean;
}
