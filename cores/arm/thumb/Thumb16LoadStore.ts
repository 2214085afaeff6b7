import type { ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import { a32Equivalent } from './A32Equivalents.ts';
import type { ThumbHandler } from './ThumbPseudocode.ts';

/**
 * 16-bit loads and stores (ARM ARM A6.2.4), LDR (literal) T1, and the
 * multiple forms LDM/STM T1, PUSH T1 and POP T1. Loads read memory before
 * writing any register, so a Data Abort leaves the registers as they were.
 * Field letters: t Rt, n Rn, m Rm, i immediate, r register list.
 */

// --- immediate offsets: imm5 scaled by the access size ----------------------------

const LDR_imm: ThumbHandler = (c, i) => {
  const v = c.read32((c.r[(i >>> 3) & 7] + ((i >>> 4) & 0x7c)) | 0);
  if (c.aborted) return;
  c.r[i & 7] = v;
};
const STR_imm: ThumbHandler = (c, i) => {
  c.write32((c.r[(i >>> 3) & 7] + ((i >>> 4) & 0x7c)) | 0, c.r[i & 7]);
};
const LDRB_imm: ThumbHandler = (c, i) => {
  const v = c.read8((c.r[(i >>> 3) & 7] + ((i >>> 6) & 31)) | 0);
  if (c.aborted) return;
  c.r[i & 7] = v;
};
const STRB_imm: ThumbHandler = (c, i) => {
  c.write8((c.r[(i >>> 3) & 7] + ((i >>> 6) & 31)) | 0, c.r[i & 7] & 0xff);
};
const LDRH_imm: ThumbHandler = (c, i) => {
  const v = c.read16((c.r[(i >>> 3) & 7] + ((i >>> 5) & 0x3e)) | 0);
  if (c.aborted) return;
  c.r[i & 7] = v;
};
const STRH_imm: ThumbHandler = (c, i) => {
  c.write16((c.r[(i >>> 3) & 7] + ((i >>> 5) & 0x3e)) | 0, c.r[i & 7] & 0xffff);
};

/** LDR/STR (SP-relative) T2: SP + imm8 × 4. */
const LDR_sp: ThumbHandler = (c, i) => {
  const v = c.read32((c.r[13] + ((i & 0xff) << 2)) | 0);
  if (c.aborted) return;
  c.r[(i >>> 8) & 7] = v;
};
const STR_sp: ThumbHandler = (c, i) => {
  c.write32((c.r[13] + ((i & 0xff) << 2)) | 0, c.r[(i >>> 8) & 7]);
};

/** LDR (literal) T1 (A8.8.64): Align(PC, 4) + imm8 × 4. */
const LDR_literal: ThumbHandler = (c, i) => {
  const v = c.read32(((c.r[15] & ~3) + ((i & 0xff) << 2)) | 0);
  if (c.aborted) return;
  c.r[(i >>> 8) & 7] = v;
};

// --- register offsets: Rn + Rm ----------------------------------------------------------

const address = (c: ArmCpu, i: number) => (c.r[(i >>> 3) & 7] + c.r[(i >>> 6) & 7]) | 0;

const STR_reg: ThumbHandler = (c, i) => c.write32(address(c, i), c.r[i & 7]);
const STRH_reg: ThumbHandler = (c, i) => c.write16(address(c, i), c.r[i & 7] & 0xffff);
const STRB_reg: ThumbHandler = (c, i) => c.write8(address(c, i), c.r[i & 7] & 0xff);
const LDR_reg: ThumbHandler = (c, i) => {
  const v = c.read32(address(c, i));
  if (!c.aborted) c.r[i & 7] = v;
};
const LDRH_reg: ThumbHandler = (c, i) => {
  const v = c.read16(address(c, i));
  if (!c.aborted) c.r[i & 7] = v;
};
const LDRSH_reg: ThumbHandler = (c, i) => {
  const v = c.read16(address(c, i));
  if (!c.aborted) c.r[i & 7] = (v << 16) >> 16;
};
const LDRB_reg: ThumbHandler = (c, i) => {
  const v = c.read8(address(c, i));
  if (!c.aborted) c.r[i & 7] = v;
};
const LDRSB_reg: ThumbHandler = (c, i) => {
  const v = c.read8(address(c, i));
  if (!c.aborted) c.r[i & 7] = (v << 24) >> 24;
};

// --- multiple: the A32 LDM/STM on the equivalent A32 word (A8.8.58, A8.8.199, A8.8.131, A8.8.133) ---

/** STM Rn!, {list} T1 = STMIA Rn! (A32 1110 1000 1010 nnnn list). */
const STM_for = (i: number) => a32Equivalent(0xe8a00000 | (((i >>> 8) & 7) << 16) | (i & 0xff));

/** LDM Rn(!), {list} T1: written back unless Rn is in the list. */
const LDM_for = (i: number) => {
  const n = (i >>> 8) & 7;
  const writeBack = (i & (1 << n)) === 0 ? 0x00200000 : 0;
  return a32Equivalent(0xe8900000 | writeBack | (n << 16) | (i & 0xff));
};

/** PUSH T1 = STMDB SP!, {list, LR if M}. */
const PUSH_for = (i: number) => a32Equivalent(0xe92d0000 | ((i & 0x100) << 6) | (i & 0xff));

/** POP T1 = LDMIA SP!, {list, PC if P}; loading the PC interworks (LoadWritePC, A2.3.1). */
const POP_for = (i: number) => a32Equivalent(0xe8bd0000 | ((i & 0x100) << 7) | (i & 0xff));

/** Unbound execution of a form that is normally bound at decode time (`specialize`). */
const unbound = (bind: (i: number) => ThumbHandler): ThumbHandler => (c, i) => bind(i)(c, i);

export const thumb16LoadStoreEncodings: Encoding<ThumbHandler>[] = [
  { name: 'LDR (literal) T1', pattern: '01001 ttt iiiiiiii', exec: LDR_literal },
  { name: 'STR (register) T1', pattern: '0101 000 mmm nnn ttt', exec: STR_reg },
  { name: 'STRH (register) T1', pattern: '0101 001 mmm nnn ttt', exec: STRH_reg },
  { name: 'STRB (register) T1', pattern: '0101 010 mmm nnn ttt', exec: STRB_reg },
  { name: 'LDRSB (register) T1', pattern: '0101 011 mmm nnn ttt', exec: LDRSB_reg },
  { name: 'LDR (register) T1', pattern: '0101 100 mmm nnn ttt', exec: LDR_reg },
  { name: 'LDRH (register) T1', pattern: '0101 101 mmm nnn ttt', exec: LDRH_reg },
  { name: 'LDRB (register) T1', pattern: '0101 110 mmm nnn ttt', exec: LDRB_reg },
  { name: 'LDRSH (register) T1', pattern: '0101 111 mmm nnn ttt', exec: LDRSH_reg },
  { name: 'STR (immediate) T1', pattern: '01100 iiiii nnn ttt', exec: STR_imm },
  { name: 'LDR (immediate) T1', pattern: '01101 iiiii nnn ttt', exec: LDR_imm },
  { name: 'STRB (immediate) T1', pattern: '01110 iiiii nnn ttt', exec: STRB_imm },
  { name: 'LDRB (immediate) T1', pattern: '01111 iiiii nnn ttt', exec: LDRB_imm },
  { name: 'STRH (immediate) T1', pattern: '10000 iiiii nnn ttt', exec: STRH_imm },
  { name: 'LDRH (immediate) T1', pattern: '10001 iiiii nnn ttt', exec: LDRH_imm },
  { name: 'STR (immediate) T2', pattern: '10010 ttt iiiiiiii', exec: STR_sp },
  { name: 'LDR (immediate) T2', pattern: '10011 ttt iiiiiiii', exec: LDR_sp },
  { name: 'STM T1', pattern: '11000 nnn rrrrrrrr', exec: unbound(STM_for), specialize: STM_for },
  { name: 'LDM T1', pattern: '11001 nnn rrrrrrrr', exec: unbound(LDM_for), specialize: LDM_for },
  { name: 'PUSH T1', pattern: '1011 010 M rrrrrrrr', exec: unbound(PUSH_for), specialize: PUSH_for },
  { name: 'POP T1', pattern: '1011 110 P rrrrrrrr', exec: unbound(POP_for), specialize: POP_for },
];
