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

/**
 * Stage 2 access permissions (B3.7.5: S2AP[0] read, S2AP[1] write, and XN;
 * an instruction fetch also needs read permission).
 */
export const enum S2Perm {
  Read = 1,
  Write = 2,
  Exec = 4,
  All = 7,
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
  /** Intermediate physical address of the page (stage 1 output; = pageAddress when stage 2 is off). */
  ipaPage = 0;
  /** Stage 2 permissions of the page (S2Perm), All when stage 2 is off. */
  s2perms: number = S2Perm.All;
  /** Level of the stage 2 descriptor that mapped the page. */
  s2level = 3;
  /** Stage 2 MemAttr[3:2] = 00: Device or Strongly-ordered memory (HCR.PTW checks it, B3.6.5). */
  s2device = false;
  /** Outcome when the walk itself failed. */
  readonly fault = new FaultInfo();
}

/** Where walks read descriptors: physical memory, with external aborts reported through `walkAborted`. */
export interface DescriptorMemory {
  readDescriptor32(pa: number): number;
  /** Set by `readDescriptor32` when the read hit no memory or device (external abort on the walk). */
  walkAborted: boolean;
}
