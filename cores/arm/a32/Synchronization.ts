import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import { Sctlr } from '../SystemRegisterState.ts';
import type { Encoding } from '../decode/DecodeTable.ts';

/**
 * Synchronization primitives (A5.2.10): SWP/SWPB and the exclusive
 * loads/stores (A8.8.75–A8.8.79 LDREX*, A8.8.212–A8.8.216 STREX*).
 *
 * The exclusive monitor (A3.4) is the core's local monitor: LDREX tags the
 * address and remembers the loaded value; STREX succeeds when the tag
 * matches and memory still holds that value (stores by other cores through
 * their fast path cannot clear our tag, so the value check stands in for the
 * global monitor, as in QEMU). Exclusive accesses must be naturally aligned.
 */

function loadExclusive(c: ArmCpu, i: number, size: number): void {
  const address = c.r[(i >>> 16) & 15];
  let value: number;
  if (size === 4) value = c.read32Aligned(address);
  else if (size === 2) value = c.read16Aligned(address);
  else value = c.read8(address);
  if (c.aborted) return;
  c.exclusiveAddress = address >>> 0;
  c.exclusiveSize = size;
  c.exclusiveLow = value;
  c.r[(i >>> 12) & 15] = value;
}

const LDREX: A32Handler = (c, i) => loadExclusive(c, i, 4);
const LDREXH: A32Handler = (c, i) => loadExclusive(c, i, 2);
const LDREXB: A32Handler = (c, i) => loadExclusive(c, i, 1);

/** LDREXD: Rt even, not R14; 8-byte aligned. */
const LDREXD: A32Handler = (c, i) => {
  const t = (i >>> 12) & 15;
  if ((t & 1) !== 0 || t === 14) return c.undefinedInstruction(i);
  const address = c.r[(i >>> 16) & 15];
  // A3.2.1: LDREXD/STREXD need doubleword alignment whatever SCTLR.A says; DFAR is the address.
  if ((address & 7) !== 0) {
    c.alignmentFault(address, false);
    return;
  }
  const low = c.read32Aligned(address);
  if (c.aborted) return;
  const high = c.read32Aligned((address + 4) | 0);
  if (c.aborted) return;
  c.exclusiveAddress = address >>> 0;
  c.exclusiveSize = 8;
  c.exclusiveLow = low;
  c.exclusiveHigh = high;
  c.r[t] = low;
  c.r[t + 1] = high;
};

/** True when the monitor still covers this store (tag, size and unchanged memory). */
function monitorPasses(c: ArmCpu, address: number, size: number): boolean {
  if (c.exclusiveAddress !== address >>> 0 || c.exclusiveSize !== size) return false;
  if (size === 8) {
    const low = c.read32Aligned(address);
    if (c.aborted) return false;
    const high = c.read32Aligned((address + 4) | 0);
    return !c.aborted && low === c.exclusiveLow && high === c.exclusiveHigh;
  }
  const now = size === 4 ? c.read32Aligned(address) : size === 2 ? c.read16Aligned(address) : c.read8(address);
  return !c.aborted && now === c.exclusiveLow;
}

function storeExclusive(c: ArmCpu, i: number, size: number): void {
  const address = c.r[(i >>> 16) & 15];
  const d = (i >>> 12) & 15;
  const t = i & 15;
  // Alignment is checked whether or not the store would succeed (A3.5.3).
  if ((size === 4 && (address & 3) !== 0) || (size === 2 && (address & 1) !== 0) || (size === 8 && (address & 7) !== 0)) {
    c.alignmentFault(address, true); // DFAR is the address the instruction used
    return;
  }
  const pass = monitorPasses(c, address, size);
  if (c.aborted) return;
  if (pass) {
    if (size === 8) {
      if ((t & 1) !== 0 || t === 14) return c.undefinedInstruction(i);
      c.write32Aligned(address, c.r[t]);
      if (c.aborted) return;
      c.write32Aligned((address + 4) | 0, c.r[t + 1]);
    } else if (size === 4) c.write32Aligned(address, c.r[t]);
    else if (size === 2) c.write16Aligned(address, c.r[t] & 0xffff);
    else c.write8(address, c.r[t] & 0xff);
    if (c.aborted) return;
  }
  c.exclusiveAddress = -1;
  c.r[d] = pass ? 0 : 1;
}

const STREX: A32Handler = (c, i) => storeExclusive(c, i, 4);
const STREXH: A32Handler = (c, i) => storeExclusive(c, i, 2);
const STREXB: A32Handler = (c, i) => storeExclusive(c, i, 1);
const STREXD: A32Handler = (c, i) => storeExclusive(c, i, 8);

/**
 * SWP/SWPB (A8.8.229): swap a register with memory. Deprecated; with the
 * Multiprocessing Extensions it is UNDEFINED unless SCTLR.SW is set (B4.1.130).
 */
function swap(c: ArmCpu, i: number, byte: boolean): void {
  if ((c.sys.sctlr & Sctlr.SW) === 0) return c.undefinedInstruction(i);
  const address = c.r[(i >>> 16) & 15];
  const value = byte ? c.read8(address) : c.read32Aligned(address);
  if (c.aborted) return;
  const source = c.r[i & 15];
  if (byte) c.write8(address, source & 0xff);
  else c.write32Aligned(address, source);
  if (c.aborted) return;
  c.r[(i >>> 12) & 15] = value;
}

const SWP: A32Handler = (c, i) => swap(c, i, false);
const SWPB: A32Handler = (c, i) => swap(c, i, true);

export const synchronizationEncodings: Encoding<A32Handler>[] = [
  { name: 'SWP', pattern: 'cccc 0001 0000 nnnn tttt (0)(0)(0)(0) 1001 uuuu', exec: SWP },
  { name: 'SWPB', pattern: 'cccc 0001 0100 nnnn tttt (0)(0)(0)(0) 1001 uuuu', exec: SWPB },
  { name: 'STREX', pattern: 'cccc 0001 1000 nnnn dddd (1)(1)(1)(1) 1001 tttt', exec: STREX },
  { name: 'LDREX', pattern: 'cccc 0001 1001 nnnn tttt (1)(1)(1)(1) 1001 (1)(1)(1)(1)', exec: LDREX },
  { name: 'STREXD', pattern: 'cccc 0001 1010 nnnn dddd (1)(1)(1)(1) 1001 tttt', exec: STREXD },
  { name: 'LDREXD', pattern: 'cccc 0001 1011 nnnn tttt (1)(1)(1)(1) 1001 (1)(1)(1)(1)', exec: LDREXD },
  { name: 'STREXB', pattern: 'cccc 0001 1100 nnnn dddd (1)(1)(1)(1) 1001 tttt', exec: STREXB },
  { name: 'LDREXB', pattern: 'cccc 0001 1101 nnnn tttt (1)(1)(1)(1) 1001 (1)(1)(1)(1)', exec: LDREXB },
  { name: 'STREXH', pattern: 'cccc 0001 1110 nnnn dddd (1)(1)(1)(1) 1001 tttt', exec: STREXH },
  { name: 'LDREXH', pattern: 'cccc 0001 1111 nnnn tttt (1)(1)(1)(1) 1001 (1)(1)(1)(1)', exec: LDREXH },
];
