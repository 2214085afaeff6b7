import { shiftByImmediate } from '../AluOperations.ts';
import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';

/**
 * Single loads and stores: A5.3 "Load/store word and unsigned byte" and
 * A5.2.8/A5.2.9 "Extra load/store instructions" (halfwords, signed bytes,
 * doublewords and their unprivileged forms). Field letters: P index, U add,
 * W writeback, n Rn, t Rt, m Rm, i immediate, s shift amount, y shift type.
 *
 * Addressing (A5.3): offset = imm or shifted Rm; the access uses Rn ± offset
 * when P = 1 (pre-indexed, written back when W = 1) or Rn when P = 0
 * (post-indexed, always written back). The load happens before any
 * register is written, so a Data Abort leaves the registers untouched
 * (the base-restored abort model of ARMv7).
 */

const P = 1 << 24;
const U = 1 << 23;
const W = 1 << 21;

/** imm12 offset (A5.3, A = 0). */
function offsetImm12(i: number): number {
  return i & 0xfff;
}

/** Rm shifted by imm5 (A5.3, A = 1). */
function offsetReg(cpu: ArmCpu, i: number): number {
  return shiftByImmediate(cpu.r[i & 15], (i >>> 5) & 3, (i >>> 7) & 31, cpu.c);
}

/** imm4H:imm4L of the extra load/store immediate forms. */
function offsetImm8(i: number): number {
  return ((i >>> 4) & 0xf0) | (i & 0xf);
}

/** Register offset of the extra load/store forms: Rm unshifted. */
function offsetRm(cpu: ArmCpu, i: number): number {
  return cpu.r[i & 15];
}

/** Written-back address: Rn ± offset. */
function offsetAddress(cpu: ArmCpu, i: number, offset: number): number {
  const base = cpu.r[(i >>> 16) & 15];
  return (i & U) !== 0 ? (base + offset) | 0 : (base - offset) | 0;
}

/** Write back the base when post-indexed or W is set. */
function writeBack(cpu: ArmCpu, i: number, offsetAddr: number): void {
  if ((i & P) === 0 || (i & W) !== 0) cpu.r[(i >>> 16) & 15] = offsetAddr;
}

/** Rt of a load; the PC is LoadWritePC (interworking on ARMv7). */
function writeLoaded(cpu: ArmCpu, i: number, value: number): void {
  const t = (i >>> 12) & 15;
  if (t === 15) cpu.branchExchange(value);
  else cpu.r[t] = value;
}

// --- LDR / STR / LDRB / STRB (A8.8.62–A8.8.70, A8.8.203–A8.8.210) -----------

function ldr(cpu: ArmCpu, i: number, offset: number): void {
  const offsetAddr = offsetAddress(cpu, i, offset);
  const value = cpu.read32((i & P) !== 0 ? offsetAddr : cpu.r[(i >>> 16) & 15]);
  if (cpu.aborted) return;
  writeBack(cpu, i, offsetAddr);
  writeLoaded(cpu, i, value);
}

function ldrb(cpu: ArmCpu, i: number, offset: number): void {
  const offsetAddr = offsetAddress(cpu, i, offset);
  const value = cpu.read8((i & P) !== 0 ? offsetAddr : cpu.r[(i >>> 16) & 15]);
  if (cpu.aborted) return;
  writeBack(cpu, i, offsetAddr);
  writeLoaded(cpu, i, value);
}

function str(cpu: ArmCpu, i: number, offset: number): void {
  const offsetAddr = offsetAddress(cpu, i, offset);
  cpu.write32((i & P) !== 0 ? offsetAddr : cpu.r[(i >>> 16) & 15], cpu.r[(i >>> 12) & 15]);
  if (cpu.aborted) return;
  writeBack(cpu, i, offsetAddr);
}

function strb(cpu: ArmCpu, i: number, offset: number): void {
  const offsetAddr = offsetAddress(cpu, i, offset);
  cpu.write8((i & P) !== 0 ? offsetAddr : cpu.r[(i >>> 16) & 15], cpu.r[(i >>> 12) & 15] & 0xff);
  if (cpu.aborted) return;
  writeBack(cpu, i, offsetAddr);
}

/** LDR (immediate), offset form with no writeback: the commonest load, kept short. */
const LDR_imm: A32Handler = (c, i) => {
  if ((i & (P | W)) === P) {
    const base = c.r[(i >>> 16) & 15];
    const value = c.read32((i & U) !== 0 ? (base + (i & 0xfff)) | 0 : (base - (i & 0xfff)) | 0);
    if (c.aborted) return;
    writeLoaded(c, i, value);
    return;
  }
  ldr(c, i, offsetImm12(i));
};
const LDR_reg: A32Handler = (c, i) => ldr(c, i, offsetReg(c, i));
const LDRB_imm: A32Handler = (c, i) => ldrb(c, i, offsetImm12(i));
const LDRB_reg: A32Handler = (c, i) => ldrb(c, i, offsetReg(c, i));
const STR_imm: A32Handler = (c, i) => str(c, i, offsetImm12(i));
const STR_reg: A32Handler = (c, i) => str(c, i, offsetReg(c, i));
const STRB_imm: A32Handler = (c, i) => strb(c, i, offsetImm12(i));
const STRB_reg: A32Handler = (c, i) => strb(c, i, offsetReg(c, i));

// --- unprivileged forms: post-indexed, access checked as PL0 (A8.8.92 LDRT etc.) ---

function loadUnprivileged(cpu: ArmCpu, i: number, offset: number, size: number, signed: boolean): void {
  const base = cpu.r[(i >>> 16) & 15];
  let value = cpu.readUnprivileged(base, size);
  if (cpu.aborted) return;
  if (signed) value = size === 1 ? (value << 24) >> 24 : (value << 16) >> 16;
  cpu.r[(i >>> 16) & 15] = offsetAddress(cpu, i, offset);
  writeLoaded(cpu, i, value);
}

function storeUnprivileged(cpu: ArmCpu, i: number, offset: number, size: number): void {
  const base = cpu.r[(i >>> 16) & 15];
  cpu.writeUnprivileged(base, size, cpu.r[(i >>> 12) & 15]);
  if (cpu.aborted) return;
  cpu.r[(i >>> 16) & 15] = offsetAddress(cpu, i, offset);
}

const LDRT_imm: A32Handler = (c, i) => loadUnprivileged(c, i, offsetImm12(i), 4, false);
const LDRT_reg: A32Handler = (c, i) => loadUnprivileged(c, i, offsetReg(c, i), 4, false);
const LDRBT_imm: A32Handler = (c, i) => loadUnprivileged(c, i, offsetImm12(i), 1, false);
const LDRBT_reg: A32Handler = (c, i) => loadUnprivileged(c, i, offsetReg(c, i), 1, false);
const STRT_imm: A32Handler = (c, i) => storeUnprivileged(c, i, offsetImm12(i), 4);
const STRT_reg: A32Handler = (c, i) => storeUnprivileged(c, i, offsetReg(c, i), 4);
const STRBT_imm: A32Handler = (c, i) => storeUnprivileged(c, i, offsetImm12(i), 1);
const STRBT_reg: A32Handler = (c, i) => storeUnprivileged(c, i, offsetReg(c, i), 1);
const LDRHT_imm: A32Handler = (c, i) => loadUnprivileged(c, i, offsetImm8(i), 2, false);
const LDRHT_reg: A32Handler = (c, i) => loadUnprivileged(c, i, offsetRm(c, i), 2, false);
const LDRSBT_imm: A32Handler = (c, i) => loadUnprivileged(c, i, offsetImm8(i), 1, true);
const LDRSBT_reg: A32Handler = (c, i) => loadUnprivileged(c, i, offsetRm(c, i), 1, true);
const LDRSHT_imm: A32Handler = (c, i) => loadUnprivileged(c, i, offsetImm8(i), 2, true);
const LDRSHT_reg: A32Handler = (c, i) => loadUnprivileged(c, i, offsetRm(c, i), 2, true);
const STRHT_imm: A32Handler = (c, i) => storeUnprivileged(c, i, offsetImm8(i), 2);
const STRHT_reg: A32Handler = (c, i) => storeUnprivileged(c, i, offsetRm(c, i), 2);

// --- halfwords, signed bytes (A8.8.80–A8.8.91, A8.8.217–A8.8.219) -----------

function ldrh(cpu: ArmCpu, i: number, offset: number, kind: number): void {
  const offsetAddr = offsetAddress(cpu, i, offset);
  const address = (i & P) !== 0 ? offsetAddr : cpu.r[(i >>> 16) & 15];
  let value: number;
  if (kind === 0) value = cpu.read16(address);
  else if (kind === 1) value = (cpu.read8(address) << 24) >> 24;
  else value = (cpu.read16(address) << 16) >> 16;
  if (cpu.aborted) return;
  writeBack(cpu, i, offsetAddr);
  writeLoaded(cpu, i, value);
}

function strh(cpu: ArmCpu, i: number, offset: number): void {
  const offsetAddr = offsetAddress(cpu, i, offset);
  cpu.write16((i & P) !== 0 ? offsetAddr : cpu.r[(i >>> 16) & 15], cpu.r[(i >>> 12) & 15] & 0xffff);
  if (cpu.aborted) return;
  writeBack(cpu, i, offsetAddr);
}

const LDRH_imm: A32Handler = (c, i) => ldrh(c, i, offsetImm8(i), 0);
const LDRH_reg: A32Handler = (c, i) => ldrh(c, i, offsetRm(c, i), 0);
const LDRSB_imm: A32Handler = (c, i) => ldrh(c, i, offsetImm8(i), 1);
const LDRSB_reg: A32Handler = (c, i) => ldrh(c, i, offsetRm(c, i), 1);
const LDRSH_imm: A32Handler = (c, i) => ldrh(c, i, offsetImm8(i), 2);
const LDRSH_reg: A32Handler = (c, i) => ldrh(c, i, offsetRm(c, i), 2);
const STRH_imm: A32Handler = (c, i) => strh(c, i, offsetImm8(i));
const STRH_reg: A32Handler = (c, i) => strh(c, i, offsetRm(c, i));

// --- doublewords (A8.8.72–A8.8.74, A8.8.210–A8.8.211) ------------------------

/** LDRD: Rt must be even and not R14 (else UNDEFINED here; the manual says UNPREDICTABLE / UNDEFINED for odd Rt). */
function ldrd(cpu: ArmCpu, i: number, offset: number): void {
  const t = (i >>> 12) & 15;
  if ((t & 1) !== 0 || t === 14) {
    cpu.undefinedInstruction(i);
    return;
  }
  const offsetAddr = offsetAddress(cpu, i, offset);
  const address = (i & P) !== 0 ? offsetAddr : cpu.r[(i >>> 16) & 15];
  const low = cpu.read32Aligned(address);
  if (cpu.aborted) return;
  const high = cpu.read32Aligned((address + 4) | 0);
  if (cpu.aborted) return;
  writeBack(cpu, i, offsetAddr);
  cpu.r[t] = low;
  cpu.r[t + 1] = high;
}

function strd(cpu: ArmCpu, i: number, offset: number): void {
  const t = (i >>> 12) & 15;
  if ((t & 1) !== 0 || t === 14) {
    cpu.undefinedInstruction(i);
    return;
  }
  const offsetAddr = offsetAddress(cpu, i, offset);
  const address = (i & P) !== 0 ? offsetAddr : cpu.r[(i >>> 16) & 15];
  cpu.write32Aligned(address, cpu.r[t]);
  if (cpu.aborted) return;
  cpu.write32Aligned((address + 4) | 0, cpu.r[t + 1]);
  if (cpu.aborted) return;
  writeBack(cpu, i, offsetAddr);
}

const LDRD_imm: A32Handler = (c, i) => ldrd(c, i, offsetImm8(i));
const LDRD_reg: A32Handler = (c, i) => ldrd(c, i, offsetRm(c, i));
const STRD_imm: A32Handler = (c, i) => strd(c, i, offsetImm8(i));
const STRD_reg: A32Handler = (c, i) => strd(c, i, offsetRm(c, i));

/** P = 0 with W = 1 selects the unprivileged forms. */
const UNPRIVILEGED = '---- ---0 --1- ---- ---- ---- ---- ----';

export const loadStoreEncodings: Encoding<A32Handler>[] = [
  { name: 'LDR (immediate)', pattern: 'cccc 010P U0W1 nnnn tttt iiii iiii iiii', exec: LDR_imm, unless: [UNPRIVILEGED] },
  { name: 'LDR (register)', pattern: 'cccc 011P U0W1 nnnn tttt ssss syy0 mmmm', exec: LDR_reg, unless: [UNPRIVILEGED] },
  { name: 'LDRB (immediate)', pattern: 'cccc 010P U1W1 nnnn tttt iiii iiii iiii', exec: LDRB_imm, unless: [UNPRIVILEGED] },
  { name: 'LDRB (register)', pattern: 'cccc 011P U1W1 nnnn tttt ssss syy0 mmmm', exec: LDRB_reg, unless: [UNPRIVILEGED] },
  { name: 'STR (immediate)', pattern: 'cccc 010P U0W0 nnnn tttt iiii iiii iiii', exec: STR_imm, unless: [UNPRIVILEGED] },
  { name: 'STR (register)', pattern: 'cccc 011P U0W0 nnnn tttt ssss syy0 mmmm', exec: STR_reg, unless: [UNPRIVILEGED] },
  { name: 'STRB (immediate)', pattern: 'cccc 010P U1W0 nnnn tttt iiii iiii iiii', exec: STRB_imm, unless: [UNPRIVILEGED] },
  { name: 'STRB (register)', pattern: 'cccc 011P U1W0 nnnn tttt ssss syy0 mmmm', exec: STRB_reg, unless: [UNPRIVILEGED] },
  { name: 'LDRT (immediate)', pattern: 'cccc 0100 U011 nnnn tttt iiii iiii iiii', exec: LDRT_imm },
  { name: 'LDRT (register)', pattern: 'cccc 0110 U011 nnnn tttt ssss syy0 mmmm', exec: LDRT_reg },
  { name: 'LDRBT (immediate)', pattern: 'cccc 0100 U111 nnnn tttt iiii iiii iiii', exec: LDRBT_imm },
  { name: 'LDRBT (register)', pattern: 'cccc 0110 U111 nnnn tttt ssss syy0 mmmm', exec: LDRBT_reg },
  { name: 'STRT (immediate)', pattern: 'cccc 0100 U010 nnnn tttt iiii iiii iiii', exec: STRT_imm },
  { name: 'STRT (register)', pattern: 'cccc 0110 U010 nnnn tttt ssss syy0 mmmm', exec: STRT_reg },
  { name: 'STRBT (immediate)', pattern: 'cccc 0100 U110 nnnn tttt iiii iiii iiii', exec: STRBT_imm },
  { name: 'STRBT (register)', pattern: 'cccc 0110 U110 nnnn tttt ssss syy0 mmmm', exec: STRBT_reg },

  { name: 'STRH (immediate)', pattern: 'cccc 000P U1W0 nnnn tttt iiii 1011 iiii', exec: STRH_imm, unless: [UNPRIVILEGED] },
  { name: 'STRH (register)', pattern: 'cccc 000P U0W0 nnnn tttt (0)(0)(0)(0) 1011 mmmm', exec: STRH_reg, unless: [UNPRIVILEGED] },
  { name: 'LDRH (immediate)', pattern: 'cccc 000P U1W1 nnnn tttt iiii 1011 iiii', exec: LDRH_imm, unless: [UNPRIVILEGED] },
  { name: 'LDRH (register)', pattern: 'cccc 000P U0W1 nnnn tttt (0)(0)(0)(0) 1011 mmmm', exec: LDRH_reg, unless: [UNPRIVILEGED] },
  { name: 'LDRD (immediate)', pattern: 'cccc 000P U1W0 nnnn tttt iiii 1101 iiii', exec: LDRD_imm, unless: [UNPRIVILEGED] },
  { name: 'LDRD (register)', pattern: 'cccc 000P U0W0 nnnn tttt (0)(0)(0)(0) 1101 mmmm', exec: LDRD_reg, unless: [UNPRIVILEGED] },
  { name: 'LDRSB (immediate)', pattern: 'cccc 000P U1W1 nnnn tttt iiii 1101 iiii', exec: LDRSB_imm, unless: [UNPRIVILEGED] },
  { name: 'LDRSB (register)', pattern: 'cccc 000P U0W1 nnnn tttt (0)(0)(0)(0) 1101 mmmm', exec: LDRSB_reg, unless: [UNPRIVILEGED] },
  { name: 'STRD (immediate)', pattern: 'cccc 000P U1W0 nnnn tttt iiii 1111 iiii', exec: STRD_imm, unless: [UNPRIVILEGED] },
  { name: 'STRD (register)', pattern: 'cccc 000P U0W0 nnnn tttt (0)(0)(0)(0) 1111 mmmm', exec: STRD_reg, unless: [UNPRIVILEGED] },
  { name: 'LDRSH (immediate)', pattern: 'cccc 000P U1W1 nnnn tttt iiii 1111 iiii', exec: LDRSH_imm, unless: [UNPRIVILEGED] },
  { name: 'LDRSH (register)', pattern: 'cccc 000P U0W1 nnnn tttt (0)(0)(0)(0) 1111 mmmm', exec: LDRSH_reg, unless: [UNPRIVILEGED] },
  { name: 'STRHT (immediate)', pattern: 'cccc 0000 U110 nnnn tttt iiii 1011 iiii', exec: STRHT_imm },
  { name: 'STRHT (register)', pattern: 'cccc 0000 U010 nnnn tttt (0)(0)(0)(0) 1011 mmmm', exec: STRHT_reg },
  { name: 'LDRHT (immediate)', pattern: 'cccc 0000 U111 nnnn tttt iiii 1011 iiii', exec: LDRHT_imm },
  { name: 'LDRHT (register)', pattern: 'cccc 0000 U011 nnnn tttt (0)(0)(0)(0) 1011 mmmm', exec: LDRHT_reg },
  { name: 'LDRSBT (immediate)', pattern: 'cccc 0000 U111 nnnn tttt iiii 1101 iiii', exec: LDRSBT_imm },
  { name: 'LDRSBT (register)', pattern: 'cccc 0000 U011 nnnn tttt (0)(0)(0)(0) 1101 mmmm', exec: LDRSBT_reg },
  { name: 'LDRSHT (immediate)', pattern: 'cccc 0000 U111 nnnn tttt iiii 1111 iiii', exec: LDRSHT_imm },
  { name: 'LDRSHT (register)', pattern: 'cccc 0000 U011 nnnn tttt (0)(0)(0)(0) 1111 mmmm', exec: LDRSHT_reg },
];
