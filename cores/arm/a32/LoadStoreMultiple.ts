import { ArmMode } from '../ArmState.ts';
import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';

/**
 * Block transfers (A5.5, A8.8.58–A8.8.61 LDM*, A8.8.199–A8.8.202 STM*,
 * B9.3.5–B9.3.6 LDM exception return / user registers, B9.3.17 STM user
 * registers). P/U select DA, IA, DB, IB; W writes back Rn ± 4 × count.
 * Transfers are word-aligned accesses (an unaligned base is an Alignment
 * fault whatever SCTLR.A says). Loads go to a scratch buffer first so that
 * a Data Abort part-way leaves every register, the base included, as it was.
 */

const P = 1 << 24;
const U = 1 << 23;
const S = 1 << 22;
const W = 1 << 21;

const loaded = new Int32Array(16);

function bitCount(list: number): number {
  let v = list - ((list >>> 1) & 0x5555);
  v = (v & 0x3333) + ((v >>> 2) & 0x3333);
  v = (v + (v >>> 4)) & 0x0f0f;
  return (v + (v >>> 8)) & 0x1f;
}

/** Lowest address transferred. */
function startAddress(cpu: ArmCpu, i: number, count: number): number {
  const base = cpu.r[(i >>> 16) & 15];
  switch (i & (P | U)) {
    case U: return base; // IA
    case P | U: return (base + 4) | 0; // IB
    case P: return (base - 4 * count) | 0; // DB
    default: return (base - 4 * count + 4) | 0; // DA
  }
}

function writtenBackBase(cpu: ArmCpu, i: number, count: number): number {
  const base = cpu.r[(i >>> 16) & 15];
  return (i & U) !== 0 ? (base + 4 * count) | 0 : (base - 4 * count) | 0;
}

/** Index of the lowest set bit (the next register of a list, lowest first). */
function lowestBit(list: number): number {
  return 31 - Math.clz32(list & -list);
}

/** LDM/LDMIA/LDMDA/LDMDB/LDMIB, POP. Visits only the listed registers, lowest first. */
const LDM: A32Handler = (c, i) => {
  const list = i & 0xffff;
  const count = bitCount(list);
  let address = startAddress(c, i, count);
  for (let rest = list; rest !== 0; rest &= rest - 1) {
    loaded[lowestBit(rest)] = c.read32Aligned(address);
    if (c.aborted) return;
    address = (address + 4) | 0;
  }
  const n = (i >>> 16) & 15;
  if ((i & W) !== 0) c.r[n] = writtenBackBase(c, i, count);
  const regs = c.r;
  for (let rest = list & 0x7fff; rest !== 0; rest &= rest - 1) {
    const r = lowestBit(rest);
    regs[r] = loaded[r];
  }
  if ((list & 0x8000) !== 0) c.branchExchange(loaded[15]);
};

/** STM/STMIA/STMDA/STMDB/STMIB, PUSH. The PC is stored as its address + 8. */
const STM: A32Handler = (c, i) => {
  const list = i & 0xffff;
  const count = bitCount(list);
  let address = startAddress(c, i, count);
  const regs = c.r;
  for (let rest = list; rest !== 0; rest &= rest - 1) {
    c.write32Aligned(address, regs[lowestBit(rest)]);
    if (c.aborted) return;
    address = (address + 4) | 0;
  }
  if ((i & W) !== 0) regs[(i >>> 16) & 15] = writtenBackBase(c, i, count);
};

/** STM (User registers): stores the User-mode R8–R14 from any PL1 mode; no writeback. */
const STM_user: A32Handler = (c, i) => {
  if (c.mode === ArmMode.Usr || c.mode === ArmMode.Sys || c.mode === ArmMode.Hyp) {
    c.undefinedInstruction(i); // UNPREDICTABLE in User/System, UNDEFINED in Hyp
    return;
  }
  const list = i & 0xffff;
  let address = startAddress(c, i, bitCount(list));
  for (let r = 0; r < 16; r++) {
    if ((list & (1 << r)) === 0) continue;
    c.write32Aligned(address, c.userRegister(r));
    if (c.aborted) return;
    address = (address + 4) | 0;
  }
};

/** LDM (User registers): loads the User-mode registers; the list excludes the PC; no writeback. */
const LDM_user: A32Handler = (c, i) => {
  if (c.mode === ArmMode.Usr || c.mode === ArmMode.Sys || c.mode === ArmMode.Hyp) {
    c.undefinedInstruction(i);
    return;
  }
  const list = i & 0x7fff;
  let address = startAddress(c, i, bitCount(list));
  for (let r = 0; r < 15; r++) {
    if ((list & (1 << r)) === 0) continue;
    loaded[r] = c.read32Aligned(address);
    if (c.aborted) return;
    address = (address + 4) | 0;
  }
  for (let r = 0; r < 15; r++) if ((list & (1 << r)) !== 0) c.setUserRegister(r, loaded[r]);
};

/** LDM (exception return): loads the registers including the PC, then CPSR ← SPSR. */
const LDM_exceptionReturn: A32Handler = (c, i) => {
  if (c.mode === ArmMode.Hyp) {
    c.undefinedInstruction(i);
    return;
  }
  const list = i & 0xffff;
  const count = bitCount(list);
  let address = startAddress(c, i, count);
  for (let r = 0; r < 16; r++) {
    if ((list & (1 << r)) === 0) continue;
    loaded[r] = c.read32Aligned(address);
    if (c.aborted) return;
    address = (address + 4) | 0;
  }
  if ((i & W) !== 0) c.r[(i >>> 16) & 15] = writtenBackBase(c, i, count);
  for (let r = 0; r < 15; r++) if ((list & (1 << r)) !== 0) c.r[r] = loaded[r];
  if (c.mode === ArmMode.Usr || c.mode === ArmMode.Sys) c.branchExchange(loaded[15]);
  else c.exceptionReturn(loaded[15], c.currentSpsr);
};

export const loadStoreMultipleEncodings: Encoding<A32Handler>[] = [
  { name: 'STM (STMDA, STMIA, STMDB, STMIB)', pattern: 'cccc 100P U0W0 nnnn rrrr rrrr rrrr rrrr', exec: STM },
  { name: 'LDM (LDMDA, LDMIA, LDMDB, LDMIB)', pattern: 'cccc 100P U0W1 nnnn rrrr rrrr rrrr rrrr', exec: LDM },
  { name: 'STM (User registers)', pattern: 'cccc 100P U1(0)0 nnnn rrrr rrrr rrrr rrrr', exec: STM_user },
  { name: 'LDM (User registers)', pattern: 'cccc 100P U1(0)1 nnnn 0rrr rrrr rrrr rrrr', exec: LDM_user },
  { name: 'LDM (exception return)', pattern: 'cccc 100P U1W1 nnnn 1rrr rrrr rrrr rrrr', exec: LDM_exceptionReturn },
];

export { bitCount };
