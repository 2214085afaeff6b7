import type { Encoding } from '../decode/DecodeTable.ts';
import { a32Equivalent } from './A32Equivalents.ts';
import { imm5Of, undefinedThumb, type ThumbHandler } from './ThumbPseudocode.ts';

/**
 * 32-bit media and multiply instructions whose operation A32 shares (ARM
 * ARM A8): saturation and bit fields (A6.3.3), PKHBT/PKHTB (A6.3.11),
 * extends, parallel add/subtract and the miscellaneous operations (A6.3.12
 * to A6.3.15), multiplies (A6.3.16) and long multiplies and divides
 * (A6.3.17). Each form names the A32 encoding it is bound to at decode time
 * (see A32Equivalents.ts); the A32 words below are written with condition
 * 1110 and the same register numbers.
 */

const n32 = (i: number) => (i >>> 16) & 15; // Rn: hw1[3:0]
const d32 = (i: number) => (i >>> 8) & 15; // Rd / RdHi: hw2[11:8]
const a32 = (i: number) => (i >>> 12) & 15; // Ra / RdLo: hw2[15:12]
const m32 = (i: number) => i & 15; // Rm: hw2[3:0]

/** A T32 form executed as the A32 word `toA32` builds from it. */
function viaA32(name: string, pattern: string, toA32: (i: number) => number, unless?: string[]): Encoding<ThumbHandler> {
  const bind = (i: number): ThumbHandler => {
    const word = toA32(i);
    return word === -1 ? undefinedThumb : a32Equivalent(word);
  };
  return { name, pattern, unless, exec: (c, i) => bind(i)(c, i), specialize: bind };
}

// --- A6.3.3: saturation and bit fields -------------------------------------------------

/** SSAT/USAT: A32 cccc 0110 1U1 sat_imm Rd imm5 sh 01 Rn. */
const saturate = (base: number) => (i: number) =>
  base | ((i & 31) << 16) | (d32(i) << 12) | (imm5Of(i) << 7) | (((i >>> 21) & 1) << 6) | n32(i);

/** SSAT16/USAT16: A32 cccc 0110 1U10 sat_imm Rd 1111 0011 Rn. */
const saturate16 = (base: number) => (i: number) => base | ((i & 15) << 16) | (d32(i) << 12) | n32(i);

/** SBFX/UBFX: A32 cccc 0111 1U1 widthm1 Rd lsb 101 Rn; BFI/BFC: cccc 0111 110 msb Rd lsb 001 Rn. */
const bitField = (base: number) => (i: number) => base | ((i & 31) << 16) | (d32(i) << 12) | (imm5Of(i) << 7) | n32(i);

const SATURATE_BY_16 = ['---- ---- --1- ---- -000 ---- 00-- ----'];

// --- A6.3.12: extends ---------------------------------------------------------------

/** T32 op (hw1[6:4]) → the op field of A32 cccc 0110 1 op Rn Rd rot 00 0111 Rm. */
const EXTEND_OPS = [0b011, 0b111, 0b000, 0b100, 0b010, 0b110];

const extend = (i: number) => 0xe6800070 | (EXTEND_OPS[(i >>> 20) & 7] << 20) | (n32(i) << 16) | (d32(i) << 12) | (((i >>> 4) & 3) << 10) | m32(i);

// --- A6.3.13 / A6.3.14: parallel addition and subtraction ----------------------------------

/** T32 op1 (hw1[6:4]) → A32 op (ADD16 000, ASX 001, SAX 010, SUB16 011, ADD8 100, SUB8 111); −1 unallocated. */
const PARALLEL_OPS = [0b100, 0b000, 0b001, -1, 0b111, 0b011, 0b010, -1];

/** T32 U (hw2[6]) and op2 (hw2[5:4]) → A32 prefix (S 001, Q 010, SH 011, U 101, UQ 110, UH 111). */
function parallel(i: number): number {
  const op = PARALLEL_OPS[(i >>> 20) & 7];
  const kind = (i >>> 4) & 3;
  if (op < 0 || kind === 3) return -1;
  const prefix = ((i >>> 4) & 4) | (kind + 1);
  return 0xe6000f10 | (prefix << 20) | (n32(i) << 16) | (d32(i) << 12) | (op << 5) | m32(i);
}

// --- A6.3.15: miscellaneous operations ------------------------------------------------------

/** By op1:op2 (hw1[5:4], hw2[5:4]): QADD/QDADD/QSUB/QDSUB, REV/REV16/RBIT/REVSH, SEL, CLZ. */
const MISC: readonly number[] = [
  0xe1000050, 0xe1400050, 0xe1200050, 0xe1600050,
  0xe6bf0f30, 0xe6bf0fb0, 0xe6ff0f30, 0xe6ff0fb0,
  0xe6800fb0, -1, -1, -1,
  0xe16f0f10, -1, -1, -1,
];

function miscellaneous(i: number): number {
  const index = (((i >>> 20) & 3) << 2) | ((i >>> 4) & 3);
  const base = MISC[index];
  if (base === -1) return -1;
  // The saturating forms and SEL read Rn; the one-operand forms take Rm (hw2[3:0]; hw1 repeats it).
  const rn = index < 4 || index === 8 ? n32(i) << 16 : 0;
  return base | rn | (d32(i) << 12) | m32(i);
}

// --- A6.3.16 / A6.3.17: multiplies and divides -----------------------------------------------

/** The register fields in their A32 multiply places: Rd/RdHi 19:16, Ra/RdLo 15:12, Rm 11:8, Rn 3:0. */
const mulFields = (i: number) => (d32(i) << 16) | (a32(i) << 12) | (m32(i) << 8) | n32(i);

const N_BIT = (i: number) => ((i >>> 5) & 1) << 5; // T32 hw2[5] (Rn half) → A32 bit 5
const M_BIT6 = (i: number) => ((i >>> 4) & 1) << 6; // T32 hw2[4] (Rm half) → A32 bit 6
const M_BIT5 = (i: number) => ((i >>> 4) & 1) << 5; // T32 hw2[4] (swap / round) → A32 bit 5

const RA_PC = ['---- ---- ---- ---- 1111 ---- ---- ----'];

export const thumb32MediaEncodings: Encoding<ThumbHandler>[] = [
  viaA32('SSAT T1', '11110 (0) 1 100 h 0 nnnn 0 iii dddd ii (0) sssss', saturate(0xe6a00010), SATURATE_BY_16),
  viaA32('SSAT16 T1', '11110 (0) 1 10010 nnnn 0000 dddd 00 (0)(0) ssss', saturate16(0xe6a00f30)),
  viaA32('USAT T1', '11110 (0) 1 110 h 0 nnnn 0 iii dddd ii (0) sssss', saturate(0xe6e00010), SATURATE_BY_16),
  viaA32('USAT16 T1', '11110 (0) 1 11010 nnnn 0000 dddd 00 (0)(0) ssss', saturate16(0xe6e00f30)),
  viaA32('SBFX T1', '11110 (0) 1 10100 nnnn 0 iii dddd ii (0) wwwww', bitField(0xe7a00050)),
  viaA32('UBFX T1', '11110 (0) 1 11100 nnnn 0 iii dddd ii (0) wwwww', bitField(0xe7e00050)),
  viaA32('BFI T1', '11110 (0) 1 10110 nnnn 0 iii dddd ii (0) mmmmm', bitField(0xe7c00010), ['---- ---- ---- 1111 ---- ---- ---- ----']),
  viaA32('BFC T1', '11110 (0) 1 10110 1111 0 iii dddd ii (0) mmmmm', bitField(0xe7c0001f)),

  viaA32('PKHBT, PKHTB T1', '11101 01 0110 0 nnnn (0) iii dddd ii T 0 mmmm', (i) =>
    0xe6800010 | (n32(i) << 16) | (d32(i) << 12) | (imm5Of(i) << 7) | (((i >>> 5) & 1) << 6) | m32(i)),

  viaA32('SXTAH/SXTH, UXTAH/UXTH, SXTAB16/SXTB16, UXTAB16/UXTB16, SXTAB/SXTB, UXTAB/UXTB', '11111 010 0 ooo nnnn 1111 dddd 1 (0) rr mmmm', extend, [
    '---- ---- -11- ---- ---- ---- ---- ----',
  ]),
  viaA32('parallel add/subtract (signed, unsigned)', '11111 010 1 ooo nnnn 1111 dddd 0 U pp mmmm', parallel),
  viaA32('QADD, QDADD, QSUB, QDSUB, REV, REV16, RBIT, REVSH, SEL, CLZ', '11111 010 10 oo nnnn 1111 dddd 10 pp mmmm', miscellaneous),

  viaA32('MLA T1', '11111 0110 000 nnnn aaaa dddd 0000 mmmm', (i) => 0xe0200090 | mulFields(i), RA_PC),
  viaA32('MUL T2', '11111 0110 000 nnnn 1111 dddd 0000 mmmm', (i) => 0xe0000090 | mulFields(i)),
  viaA32('MLS T1', '11111 0110 000 nnnn aaaa dddd 0001 mmmm', (i) => 0xe0600090 | mulFields(i)),
  viaA32('SMLA<x><y> T1', '11111 0110 001 nnnn aaaa dddd 00 NM mmmm', (i) => 0xe1000080 | mulFields(i) | N_BIT(i) | M_BIT6(i), RA_PC),
  viaA32('SMUL<x><y> T1', '11111 0110 001 nnnn 1111 dddd 00 NM mmmm', (i) => 0xe1600080 | mulFields(i) | N_BIT(i) | M_BIT6(i)),
  viaA32('SMLAD/SMUAD T1', '11111 0110 010 nnnn aaaa dddd 000 M mmmm', (i) => 0xe7000010 | mulFields(i) | M_BIT5(i)),
  viaA32('SMLAW<y> T1', '11111 0110 011 nnnn aaaa dddd 000 M mmmm', (i) => 0xe1200080 | mulFields(i) | M_BIT6(i), RA_PC),
  viaA32('SMULW<y> T1', '11111 0110 011 nnnn 1111 dddd 000 M mmmm', (i) => 0xe12000a0 | mulFields(i) | M_BIT6(i)),
  viaA32('SMLSD/SMUSD T1', '11111 0110 100 nnnn aaaa dddd 000 M mmmm', (i) => 0xe7000050 | mulFields(i) | M_BIT5(i)),
  viaA32('SMMLA/SMMUL T1', '11111 0110 101 nnnn aaaa dddd 000 R mmmm', (i) => 0xe7500010 | mulFields(i) | M_BIT5(i)),
  viaA32('SMMLS T1', '11111 0110 110 nnnn aaaa dddd 000 R mmmm', (i) => 0xe75000d0 | mulFields(i) | M_BIT5(i)),
  viaA32('USADA8/USAD8 T1', '11111 0110 111 nnnn aaaa dddd 0000 mmmm', (i) => 0xe7800010 | mulFields(i)),

  viaA32('SMULL T1', '11111 0111 000 nnnn llll hhhh 0000 mmmm', (i) => 0xe0c00090 | mulFields(i)),
  viaA32('SDIV T1', '11111 0111 001 nnnn (1)(1)(1)(1) dddd 1111 mmmm', (i) => 0xe710f010 | (d32(i) << 16) | (m32(i) << 8) | n32(i)),
  viaA32('UMULL T1', '11111 0111 010 nnnn llll hhhh 0000 mmmm', (i) => 0xe0800090 | mulFields(i)),
  viaA32('UDIV T1', '11111 0111 011 nnnn (1)(1)(1)(1) dddd 1111 mmmm', (i) => 0xe730f010 | (d32(i) << 16) | (m32(i) << 8) | n32(i)),
  viaA32('SMLAL T1', '11111 0111 100 nnnn llll hhhh 0000 mmmm', (i) => 0xe0e00090 | mulFields(i)),
  viaA32('SMLAL<x><y> T1', '11111 0111 100 nnnn llll hhhh 10 NM mmmm', (i) => 0xe1400080 | mulFields(i) | N_BIT(i) | M_BIT6(i)),
  viaA32('SMLALD T1', '11111 0111 100 nnnn llll hhhh 110 M mmmm', (i) => 0xe7400010 | mulFields(i) | M_BIT5(i)),
  viaA32('SMLSLD T1', '11111 0111 101 nnnn llll hhhh 110 M mmmm', (i) => 0xe7400050 | mulFields(i) | M_BIT5(i)),
  viaA32('UMLAL T1', '11111 0111 110 nnnn llll hhhh 0000 mmmm', (i) => 0xe0a00090 | mulFields(i)),
  viaA32('UMAAL T1', '11111 0111 110 nnnn llll hhhh 0110 mmmm', (i) => 0xe0400090 | mulFields(i)),
];
