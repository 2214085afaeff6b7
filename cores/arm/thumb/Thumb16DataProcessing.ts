import { addWithCarryFlags, shiftByImmediateC, shiftByRegisterC, subtractFlags } from '../AluOperations.ts';
import type { ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import { branchWritePc, type ThumbHandler } from './ThumbPseudocode.ts';

/**
 * 16-bit data processing (ARM ARM A6.2.1 shift/add/subtract/move/compare,
 * A6.2.2 data processing, A6.2.3 special data instructions, ADR, ADD/SUB SP
 * and the extend and reverse forms of A6.2.5).
 *
 * Most of these set the flags only outside an IT block (the "setflags =
 * !InITBlock()" of their encodings); the compares always do, and ADD/MOV of
 * high registers never do. ITSTATE is non-zero exactly while an instruction
 * of an IT block executes. Field letters: d Rd/Rdn, n Rn, m Rm, i immediate,
 * t shift type, o operation.
 */

function setNZ(c: ArmCpu, v: number): void {
  c.n = v >>> 31;
  c.z = v === 0 ? 1 : 0;
}

// --- A6.2.1 --------------------------------------------------------------------

/**
 * LSL/LSR/ASR (immediate) T1 (A8.8.94, A8.8.97, A8.8.16): Rd = Rm shifted by
 * imm5 (LSR/ASR #0 mean #32). LSL #0 is MOVS Rd, Rm (MOV register T2), which
 * leaves C alone: Shift_C by 0 returns the carry in.
 */
const SHIFT_imm: ThumbHandler = (c, i) => {
  const v = c.r[(i >>> 3) & 7];
  const r = shiftByImmediateC(c, v, (i >>> 11) & 3, (i >>> 6) & 31, c.c);
  c.r[i & 7] = r;
  if (c.it !== 0) return;
  setNZ(c, r);
  c.c = c.carryOut;
};

/** ADD (register) T1: Rd = Rn + Rm. */
const ADD_reg: ThumbHandler = (c, i) => {
  const a = c.r[(i >>> 3) & 7];
  const b = c.r[(i >>> 6) & 7];
  c.r[i & 7] = c.it === 0 ? addWithCarryFlags(c, a, b, 0) : (a + b) | 0;
};

/** SUB (register) T1. */
const SUB_reg: ThumbHandler = (c, i) => {
  const a = c.r[(i >>> 3) & 7];
  const b = c.r[(i >>> 6) & 7];
  c.r[i & 7] = c.it === 0 ? subtractFlags(c, a, b) : (a - b) | 0;
};

/** ADD (immediate) T1: Rd = Rn + imm3. */
const ADD_imm3: ThumbHandler = (c, i) => {
  const a = c.r[(i >>> 3) & 7];
  const b = (i >>> 6) & 7;
  c.r[i & 7] = c.it === 0 ? addWithCarryFlags(c, a, b, 0) : (a + b) | 0;
};

/** SUB (immediate) T1. */
const SUB_imm3: ThumbHandler = (c, i) => {
  const a = c.r[(i >>> 3) & 7];
  const b = (i >>> 6) & 7;
  c.r[i & 7] = c.it === 0 ? subtractFlags(c, a, b) : (a - b) | 0;
};

/** MOV (immediate) T1: N and Z from the value, C unchanged (the immediate has no rotation). */
const MOV_imm8: ThumbHandler = (c, i) => {
  const v = i & 0xff;
  c.r[(i >>> 8) & 7] = v;
  if (c.it !== 0) return;
  c.n = 0;
  c.z = v === 0 ? 1 : 0;
};

/** CMP (immediate) T1: always sets the flags. */
const CMP_imm8: ThumbHandler = (c, i) => {
  subtractFlags(c, c.r[(i >>> 8) & 7], i & 0xff);
};

/** ADD (immediate) T2: Rdn += imm8. */
const ADD_imm8: ThumbHandler = (c, i) => {
  const d = (i >>> 8) & 7;
  c.r[d] = c.it === 0 ? addWithCarryFlags(c, c.r[d], i & 0xff, 0) : (c.r[d] + (i & 0xff)) | 0;
};

/** SUB (immediate) T2: Rdn −= imm8. */
const SUB_imm8: ThumbHandler = (c, i) => {
  const d = (i >>> 8) & 7;
  c.r[d] = c.it === 0 ? subtractFlags(c, c.r[d], i & 0xff) : (c.r[d] - (i & 0xff)) | 0;
};

// --- A6.2.2: Rdn = Rdn op Rm ---------------------------------------------------------

/** AND, EOR, ORR, BIC, MVN: N and Z from the result outside IT blocks; C and V unchanged. */
function logical(c: ArmCpu, d: number, v: number): void {
  c.r[d] = v;
  if (c.it === 0) setNZ(c, v);
}

const AND_reg: ThumbHandler = (c, i) => logical(c, i & 7, c.r[i & 7] & c.r[(i >>> 3) & 7]);
const EOR_reg: ThumbHandler = (c, i) => logical(c, i & 7, c.r[i & 7] ^ c.r[(i >>> 3) & 7]);
const ORR_reg: ThumbHandler = (c, i) => logical(c, i & 7, c.r[i & 7] | c.r[(i >>> 3) & 7]);
const BIC_reg: ThumbHandler = (c, i) => logical(c, i & 7, c.r[i & 7] & ~c.r[(i >>> 3) & 7]);
const MVN_reg: ThumbHandler = (c, i) => logical(c, i & 7, ~c.r[(i >>> 3) & 7]);

/** MUL T1 (A8.8.114): Rdm = Rn × Rdm; MULS leaves C and V alone on ARMv6 and later. */
const MUL: ThumbHandler = (c, i) => logical(c, i & 7, Math.imul(c.r[(i >>> 3) & 7], c.r[i & 7]));

/** Shift type of the register-shift forms by their op: 0010 LSL, 0011 LSR, 0100 ASR, 0111 ROR. */
function registerShift(type: number): ThumbHandler {
  return (c, i) => {
    const d = i & 7;
    const r = shiftByRegisterC(c, c.r[d], type, c.r[(i >>> 3) & 7] & 0xff, c.c);
    c.r[d] = r;
    if (c.it !== 0) return;
    setNZ(c, r);
    c.c = c.carryOut;
  };
}

const ADC_reg: ThumbHandler = (c, i) => {
  const d = i & 7;
  const a = c.r[d];
  const b = c.r[(i >>> 3) & 7];
  c.r[d] = c.it === 0 ? addWithCarryFlags(c, a, b, c.c) : (a + b + c.c) | 0;
};

/** SBC: AddWithCarry(Rdn, NOT(Rm), C). */
const SBC_reg: ThumbHandler = (c, i) => {
  const d = i & 7;
  const a = c.r[d];
  const b = ~c.r[(i >>> 3) & 7];
  c.r[d] = c.it === 0 ? addWithCarryFlags(c, a, b, c.c) : (a + b + c.c) | 0;
};

/** RSB (immediate) T1 (NEG): Rd = 0 − Rn. */
const RSB_zero: ThumbHandler = (c, i) => {
  const v = c.r[(i >>> 3) & 7];
  c.r[i & 7] = c.it === 0 ? subtractFlags(c, 0, v) : -v | 0;
};

const TST_reg: ThumbHandler = (c, i) => setNZ(c, c.r[i & 7] & c.r[(i >>> 3) & 7]);
const CMP_reg: ThumbHandler = (c, i) => {
  subtractFlags(c, c.r[i & 7], c.r[(i >>> 3) & 7]);
};
const CMN_reg: ThumbHandler = (c, i) => {
  addWithCarryFlags(c, c.r[i & 7], c.r[(i >>> 3) & 7], 0);
};

// --- A6.2.3: high registers ----------------------------------------------------------

/**
 * ADD (register) T2: Rdn = Rdn + Rm with any registers, no flags. With Rdn
 * = PC it is ALUWritePC, which in Thumb state is BranchWritePC (A2.3.1):
 * no change of instruction set.
 */
const ADD_high: ThumbHandler = (c, i) => {
  const d = ((i >>> 4) & 8) | (i & 7);
  const v = (c.r[d] + c.r[(i >>> 3) & 15]) | 0;
  if (d === 15) branchWritePc(c, v);
  else c.r[d] = v;
};

/** CMP (register) T2: any registers, always sets the flags. */
const CMP_high: ThumbHandler = (c, i) => {
  subtractFlags(c, c.r[((i >>> 4) & 8) | (i & 7)], c.r[(i >>> 3) & 15]);
};

/** MOV (register) T1: no flags; MOV PC, Rm is BranchWritePC (stays in Thumb state, bit 0 ignored). */
const MOV_high: ThumbHandler = (c, i) => {
  const d = ((i >>> 4) & 8) | (i & 7);
  const v = c.r[(i >>> 3) & 15];
  if (d === 15) branchWritePc(c, v);
  else c.r[d] = v;
};

// --- PC- and SP-relative ---------------------------------------------------------------

/** ADR T1 (A8.8.12): Rd = Align(PC, 4) + imm8 × 4. */
const ADR: ThumbHandler = (c, i) => {
  c.r[(i >>> 8) & 7] = ((c.r[15] & ~3) + ((i & 0xff) << 2)) | 0;
};

/** ADD (SP plus immediate) T1: Rd = SP + imm8 × 4. */
const ADD_sp_imm8: ThumbHandler = (c, i) => {
  c.r[(i >>> 8) & 7] = (c.r[13] + ((i & 0xff) << 2)) | 0;
};

/** ADD (SP plus immediate) T2 / SUB (SP minus immediate) T1: SP ± imm7 × 4. */
const ADD_sp_imm7: ThumbHandler = (c, i) => {
  c.r[13] = (c.r[13] + ((i & 0x7f) << 2)) | 0;
};
const SUB_sp_imm7: ThumbHandler = (c, i) => {
  c.r[13] = (c.r[13] - ((i & 0x7f) << 2)) | 0;
};

// --- extend and reverse (A8.8.230, A8.8.232, A8.8.264, A8.8.266, A8.8.145–147) --------

const SXTH: ThumbHandler = (c, i) => {
  c.r[i & 7] = (c.r[(i >>> 3) & 7] << 16) >> 16;
};
const SXTB: ThumbHandler = (c, i) => {
  c.r[i & 7] = (c.r[(i >>> 3) & 7] << 24) >> 24;
};
const UXTH: ThumbHandler = (c, i) => {
  c.r[i & 7] = c.r[(i >>> 3) & 7] & 0xffff;
};
const UXTB: ThumbHandler = (c, i) => {
  c.r[i & 7] = c.r[(i >>> 3) & 7] & 0xff;
};
const REV: ThumbHandler = (c, i) => {
  const v = c.r[(i >>> 3) & 7];
  c.r[i & 7] = (v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
};
const REV16: ThumbHandler = (c, i) => {
  const v = c.r[(i >>> 3) & 7];
  c.r[i & 7] = ((v & 0x00ff00ff) << 8) | ((v >>> 8) & 0x00ff00ff);
};
const REVSH: ThumbHandler = (c, i) => {
  const v = c.r[(i >>> 3) & 7];
  c.r[i & 7] = (((v & 0xff) << 24) >> 16) | ((v >>> 8) & 0xff);
};

export const thumb16DataProcessingEncodings: Encoding<ThumbHandler>[] = [
  { name: 'LSL (immediate) T1 / MOV (register) T2', pattern: '000 00 iiiii mmm ddd', exec: SHIFT_imm },
  { name: 'LSR (immediate) T1', pattern: '000 01 iiiii mmm ddd', exec: SHIFT_imm },
  { name: 'ASR (immediate) T1', pattern: '000 10 iiiii mmm ddd', exec: SHIFT_imm },
  { name: 'ADD (register) T1', pattern: '0001100 mmm nnn ddd', exec: ADD_reg },
  { name: 'SUB (register) T1', pattern: '0001101 mmm nnn ddd', exec: SUB_reg },
  { name: 'ADD (immediate) T1', pattern: '0001110 iii nnn ddd', exec: ADD_imm3 },
  { name: 'SUB (immediate) T1', pattern: '0001111 iii nnn ddd', exec: SUB_imm3 },
  { name: 'MOV (immediate) T1', pattern: '00100 ddd iiiiiiii', exec: MOV_imm8 },
  { name: 'CMP (immediate) T1', pattern: '00101 nnn iiiiiiii', exec: CMP_imm8 },
  { name: 'ADD (immediate) T2', pattern: '00110 ddd iiiiiiii', exec: ADD_imm8 },
  { name: 'SUB (immediate) T2', pattern: '00111 ddd iiiiiiii', exec: SUB_imm8 },

  { name: 'AND (register) T1', pattern: '010000 0000 mmm ddd', exec: AND_reg },
  { name: 'EOR (register) T1', pattern: '010000 0001 mmm ddd', exec: EOR_reg },
  { name: 'LSL (register) T1', pattern: '010000 0010 mmm ddd', exec: registerShift(0) },
  { name: 'LSR (register) T1', pattern: '010000 0011 mmm ddd', exec: registerShift(1) },
  { name: 'ASR (register) T1', pattern: '010000 0100 mmm ddd', exec: registerShift(2) },
  { name: 'ADC (register) T1', pattern: '010000 0101 mmm ddd', exec: ADC_reg },
  { name: 'SBC (register) T1', pattern: '010000 0110 mmm ddd', exec: SBC_reg },
  { name: 'ROR (register) T1', pattern: '010000 0111 mmm ddd', exec: registerShift(3) },
  { name: 'TST (register) T1', pattern: '010000 1000 mmm nnn', exec: TST_reg },
  { name: 'RSB (immediate) T1', pattern: '010000 1001 nnn ddd', exec: RSB_zero },
  { name: 'CMP (register) T1', pattern: '010000 1010 mmm nnn', exec: CMP_reg },
  { name: 'CMN (register) T1', pattern: '010000 1011 mmm nnn', exec: CMN_reg },
  { name: 'ORR (register) T1', pattern: '010000 1100 mmm ddd', exec: ORR_reg },
  { name: 'MUL T1', pattern: '010000 1101 nnn ddd', exec: MUL },
  { name: 'BIC (register) T1', pattern: '010000 1110 mmm ddd', exec: BIC_reg },
  { name: 'MVN (register) T1', pattern: '010000 1111 mmm ddd', exec: MVN_reg },

  { name: 'ADD (register) T2', pattern: '010001 00 D mmmm ddd', exec: ADD_high },
  { name: 'CMP (register) T2', pattern: '010001 01 N mmmm nnn', exec: CMP_high },
  { name: 'MOV (register) T1', pattern: '010001 10 D mmmm ddd', exec: MOV_high },

  { name: 'ADR T1', pattern: '10100 ddd iiiiiiii', exec: ADR },
  { name: 'ADD (SP plus immediate) T1', pattern: '10101 ddd iiiiiiii', exec: ADD_sp_imm8 },
  { name: 'ADD (SP plus immediate) T2', pattern: '1011 0000 0 iiiiiii', exec: ADD_sp_imm7 },
  { name: 'SUB (SP minus immediate) T1', pattern: '1011 0000 1 iiiiiii', exec: SUB_sp_imm7 },
  { name: 'SXTH T1', pattern: '1011 0010 00 mmm ddd', exec: SXTH },
  { name: 'SXTB T1', pattern: '1011 0010 01 mmm ddd', exec: SXTB },
  { name: 'UXTH T1', pattern: '1011 0010 10 mmm ddd', exec: UXTH },
  { name: 'UXTB T1', pattern: '1011 0010 11 mmm ddd', exec: UXTB },
  { name: 'REV T1', pattern: '1011 1010 00 mmm ddd', exec: REV },
  { name: 'REV16 T1', pattern: '1011 1010 01 mmm ddd', exec: REV16 },
  { name: 'REVSH T1', pattern: '1011 1010 11 mmm ddd', exec: REVSH },
];
