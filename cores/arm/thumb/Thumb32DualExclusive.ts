import type { ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import { takeDataAbort } from '../Exceptions.ts';
import { FaultKind } from '../mmu/Fault.ts';
import { branchWritePc, type ThumbHandler } from './ThumbPseudocode.ts';

/**
 * Load/store dual, load/store exclusive and table branch (ARM ARM A6.3.6):
 * LDRD/STRD (immediate, literal), LDREX/STREX and their B/H/D forms, CLREX
 * lives with the barriers, and TBB/TBH.
 *
 * Unlike A32, the T32 dual forms name both registers (Rt hw2[15:12], Rt2
 * hw2[11:8]) and scale imm8 by 4, and LDREX/STREX take an offset imm8 × 4.
 * The exclusive monitor is the core's (its fields on ArmCpu, shared with the
 * A32 instructions, A3.4): LDREX tags the address and size and remembers
 * what it read; a STREX succeeds when the tag matches and memory still holds
 * those bytes, then the tag is cleared either way.
 */

/** Alignment fault of an access that must be aligned whatever SCTLR.A says (A3.2.1). */
function alignmentFault(c: ArmCpu, address: number, write: boolean): void {
  c.fault.set(FaultKind.Alignment, 1, 0);
  takeDataAbort(c, address, c.fault, write);
}

// --- LDRD / STRD (A8.8.72, A8.8.73, A8.8.210) ----------------------------------------

const P = 1 << 24;
const U = 1 << 23;
const W = 1 << 21;

/** Rn ± imm8 × 4 (U); the literal form's base is Align(PC, 4). */
function offsetAddress(base: number, i: number): number {
  const offset = (i & 0xff) << 2;
  return (i & U) !== 0 ? (base + offset) | 0 : (base - offset) | 0;
}

/** LDRD: two word-aligned words, registers written after both reads. */
const LDRD: ThumbHandler = (c, i) => {
  const n = (i >>> 16) & 15;
  const base = n === 15 ? c.r[15] & ~3 : c.r[n];
  const offsetAddr = offsetAddress(base, i);
  const address = (i & P) !== 0 ? offsetAddr : base;
  const low = c.read32Aligned(address);
  if (c.aborted) return;
  const high = c.read32Aligned((address + 4) | 0);
  if (c.aborted) return;
  if ((i & W) !== 0) c.r[n] = offsetAddr;
  c.r[(i >>> 12) & 15] = low;
  c.r[(i >>> 8) & 15] = high;
};

const STRD: ThumbHandler = (c, i) => {
  const n = (i >>> 16) & 15;
  const base = c.r[n];
  const offsetAddr = offsetAddress(base, i);
  const address = (i & P) !== 0 ? offsetAddr : base;
  c.write32Aligned(address, c.r[(i >>> 12) & 15]);
  if (c.aborted) return;
  c.write32Aligned((address + 4) | 0, c.r[(i >>> 8) & 15]);
  if (c.aborted) return;
  if ((i & W) !== 0) c.r[n] = offsetAddr;
};

// --- exclusives (A8.8.75–79, A8.8.212–216) -------------------------------------------

/** Tag `address` for `size` bytes after reading `low` (and `high` for a doubleword). */
function markExclusive(c: ArmCpu, address: number, size: number, low: number, high: number): void {
  c.exclusiveAddress = address >>> 0;
  c.exclusiveSize = size;
  c.exclusiveLow = low;
  c.exclusiveHigh = high;
}

/** LDREX T1: Rn + imm8 × 4, word-aligned. */
const LDREX: ThumbHandler = (c, i) => {
  const address = (c.r[(i >>> 16) & 15] + ((i & 0xff) << 2)) | 0;
  const v = c.read32Aligned(address);
  if (c.aborted) return;
  markExclusive(c, address, 4, v, 0);
  c.r[(i >>> 12) & 15] = v;
};

const LDREXB: ThumbHandler = (c, i) => {
  const address = c.r[(i >>> 16) & 15];
  const v = c.read8(address);
  if (c.aborted) return;
  markExclusive(c, address, 1, v, 0);
  c.r[(i >>> 12) & 15] = v;
};

const LDREXH: ThumbHandler = (c, i) => {
  const address = c.r[(i >>> 16) & 15];
  const v = c.read16Aligned(address);
  if (c.aborted) return;
  markExclusive(c, address, 2, v, 0);
  c.r[(i >>> 12) & 15] = v;
};

/** LDREXD: doubleword-aligned; Rt gets the word at the lower address. */
const LDREXD: ThumbHandler = (c, i) => {
  const address = c.r[(i >>> 16) & 15];
  if ((address & 7) !== 0) {
    alignmentFault(c, address, false);
    return;
  }
  const low = c.read32Aligned(address);
  if (c.aborted) return;
  const high = c.read32Aligned((address + 4) | 0);
  if (c.aborted) return;
  markExclusive(c, address, 8, low, high);
  c.r[(i >>> 12) & 15] = low;
  c.r[(i >>> 8) & 15] = high;
};

/** Whether the local monitor still holds `address` for `size` bytes with the bytes LDREX saw (reads may abort). */
function monitorHolds(c: ArmCpu, address: number, size: number): boolean {
  if (c.exclusiveAddress !== address >>> 0 || c.exclusiveSize !== size) return false;
  switch (size) {
    case 1: return c.read8(address) === c.exclusiveLow && !c.aborted;
    case 2: return c.read16Aligned(address) === c.exclusiveLow && !c.aborted;
    case 4: return c.read32Aligned(address) === c.exclusiveLow && !c.aborted;
    default: {
      const low = c.read32Aligned(address);
      if (c.aborted) return false;
      const high = c.read32Aligned((address + 4) | 0);
      return !c.aborted && low === c.exclusiveLow && high === c.exclusiveHigh;
    }
  }
}

/**
 * STREX*: alignment is checked first whether or not the store would happen
 * (A3.5.3); Rd = 0 when the store was done, 1 when not.
 */
function storeExclusive(c: ArmCpu, address: number, size: number, d: number, low: number, high: number): void {
  if ((address & (size - 1)) !== 0) {
    alignmentFault(c, address, true);
    return;
  }
  const pass = monitorHolds(c, address, size);
  if (c.aborted) return;
  if (pass) {
    if (size === 4) c.write32Aligned(address, low);
    else if (size === 2) c.write16Aligned(address, low & 0xffff);
    else if (size === 1) c.write8(address, low & 0xff);
    else {
      c.write32Aligned(address, low);
      if (c.aborted) return;
      c.write32Aligned((address + 4) | 0, high);
    }
    if (c.aborted) return;
  }
  c.exclusiveAddress = -1;
  c.r[d] = pass ? 0 : 1;
}

/** STREX T1: Rd = hw2[11:8], Rt = hw2[15:12], address Rn + imm8 × 4. */
const STREX: ThumbHandler = (c, i) =>
  storeExclusive(c, (c.r[(i >>> 16) & 15] + ((i & 0xff) << 2)) | 0, 4, (i >>> 8) & 15, c.r[(i >>> 12) & 15], 0);

/** STREXB/STREXH/STREXD T1: Rd = hw2[3:0]. */
const STREXB: ThumbHandler = (c, i) => storeExclusive(c, c.r[(i >>> 16) & 15], 1, i & 15, c.r[(i >>> 12) & 15], 0);
const STREXH: ThumbHandler = (c, i) => storeExclusive(c, c.r[(i >>> 16) & 15], 2, i & 15, c.r[(i >>> 12) & 15], 0);
const STREXD: ThumbHandler = (c, i) =>
  storeExclusive(c, c.r[(i >>> 16) & 15], 8, i & 15, c.r[(i >>> 12) & 15], c.r[(i >>> 8) & 15]);

// --- TBB / TBH (A8.8.238) ----------------------------------------------------------------

/** TBB: branch forward by twice the byte at Rn + Rm; TBH: the halfword at Rn + 2 × Rm. PC = address + 4. */
const TBB: ThumbHandler = (c, i) => {
  const base = c.r[(i >>> 16) & 15];
  const m = c.r[i & 15];
  const entry = (i & 0x10) !== 0 ? c.read16((base + (m << 1)) | 0) : c.read8((base + m) | 0);
  if (c.aborted) return;
  branchWritePc(c, c.r[15] + 2 * entry);
};

const NOT_INDEXED = '---- ---0 --0- ---- ---- ---- ---- ----';

export const thumb32DualExclusiveEncodings: Encoding<ThumbHandler>[] = [
  { name: 'STRD (immediate) T1', pattern: '11101 00 P U 1 W 0 nnnn tttt TTTT iiiiiiii', exec: STRD, unless: [NOT_INDEXED] },
  { name: 'LDRD (immediate, literal) T1', pattern: '11101 00 P U 1 W 1 nnnn tttt TTTT iiiiiiii', exec: LDRD, unless: [NOT_INDEXED] },
  { name: 'STREX T1', pattern: '11101 000 0100 nnnn tttt dddd iiiiiiii', exec: STREX },
  { name: 'LDREX T1', pattern: '11101 000 0101 nnnn tttt (1)(1)(1)(1) iiiiiiii', exec: LDREX },
  { name: 'STREXB T1', pattern: '11101 000 1100 nnnn tttt (1)(1)(1)(1) 0100 dddd', exec: STREXB },
  { name: 'STREXH T1', pattern: '11101 000 1100 nnnn tttt (1)(1)(1)(1) 0101 dddd', exec: STREXH },
  { name: 'STREXD T1', pattern: '11101 000 1100 nnnn tttt TTTT 0111 dddd', exec: STREXD },
  { name: 'TBB, TBH T1', pattern: '11101 000 1101 nnnn (1)(1)(1)(1) (0)(0)(0)(0) 000H mmmm', exec: TBB },
  { name: 'LDREXB T1', pattern: '11101 000 1101 nnnn tttt (1)(1)(1)(1) 0100 (1)(1)(1)(1)', exec: LDREXB },
  { name: 'LDREXH T1', pattern: '11101 000 1101 nnnn tttt (1)(1)(1)(1) 0101 (1)(1)(1)(1)', exec: LDREXH },
  { name: 'LDREXD T1', pattern: '11101 000 1101 nnnn tttt TTTT 0111 (1)(1)(1)(1)', exec: LDREXD },
];
