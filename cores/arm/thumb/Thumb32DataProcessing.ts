import {
  addWithCarryFlags,
  shiftByImmediate,
  shiftByImmediateC,
  shiftByRegisterC,
  subtractFlags,
} from '../AluOperations.ts';
import type { ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import { imm12Of, imm5Of, type ThumbHandler } from './ThumbPseudocode.ts';

/**
 * 32-bit data processing: modified immediate (ARM ARM A6.3.1), plain binary
 * immediate ADDW/SUBW/ADR/MOVW/MOVT (A6.3.3), shifted register (A6.3.11) and
 * the shifts by register of A6.3.12. Rd is hw2[11:8], Rn hw1[3:0] and S
 * hw1[4] in every form. Writing the PC from these forms is UNPREDICTABLE;
 * such a write lands in R15 and is lost, so the program just goes on.
 */

const S = 1 << 20;

// --- second operands ----------------------------------------------------------------

/**
 * ThumbExpandImm_C (A6.3.2): imm12[11:10] = 00 replicates imm8 in one of four
 * byte patterns with the carry unchanged; otherwise '1':imm12[6:0] rotated
 * right by imm12[11:7], the carry-out being bit 31 of the result. Left in
 * `cpu.carryOut`.
 */
export function thumbExpandImmC(cpu: ArmCpu, imm12: number, carryIn: number): number {
  if ((imm12 & 0xc00) === 0) {
    cpu.carryOut = carryIn;
    const b = imm12 & 0xff;
    switch ((imm12 >>> 8) & 3) {
      case 0: return b;
      case 1: return (b << 16) | b;
      case 2: return (b << 24) | (b << 8);
      default: return (b << 24) | (b << 16) | (b << 8) | b;
    }
  }
  const unrotated = 0x80 | (imm12 & 0x7f);
  const rotation = (imm12 >>> 7) & 31; // at least 8 here
  const result = (unrotated >>> rotation) | (unrotated << (32 - rotation));
  cpu.carryOut = result >>> 31;
  return result;
}

/** ThumbExpandImm: the same value without the carry. */
export function thumbExpandImm(imm12: number): number {
  if ((imm12 & 0xc00) === 0) {
    const b = imm12 & 0xff;
    switch ((imm12 >>> 8) & 3) {
      case 0: return b;
      case 1: return (b << 16) | b;
      case 2: return (b << 24) | (b << 8);
      default: return (b << 24) | (b << 16) | (b << 8) | b;
    }
  }
  const unrotated = 0x80 | (imm12 & 0x7f);
  const rotation = (imm12 >>> 7) & 31;
  return (unrotated >>> rotation) | (unrotated << (32 - rotation));
}

const immC = (c: ArmCpu, i: number) => thumbExpandImmC(c, imm12Of(i), c.c);
const imm = (i: number) => thumbExpandImm(imm12Of(i));

/** Rm shifted by DecodeImmShift(type, imm3:imm2), with carry-out (A6.3.11). */
const regC = (c: ArmCpu, i: number) => shiftByImmediateC(c, c.r[i & 15], (i >>> 4) & 3, imm5Of(i), c.c);
const reg = (c: ArmCpu, i: number) => shiftByImmediate(c.r[i & 15], (i >>> 4) & 3, imm5Of(i), c.c);

const rn = (c: ArmCpu, i: number) => c.r[(i >>> 16) & 15];

// --- results -----------------------------------------------------------------------

/** Logical operations: with S, N and Z from the result and C from the shifter or the immediate; V unchanged. */
function logical(c: ArmCpu, i: number, result: number): void {
  if ((i & S) !== 0) {
    c.n = result >>> 31;
    c.z = result === 0 ? 1 : 0;
    c.c = c.carryOut;
  }
  c.r[(i >>> 8) & 15] = result;
}

function add(c: ArmCpu, i: number, a: number, b: number, carry: number): void {
  c.r[(i >>> 8) & 15] = (i & S) !== 0 ? addWithCarryFlags(c, a, b, carry) : (a + b + carry) | 0;
}

function sub(c: ArmCpu, i: number, a: number, b: number): void {
  c.r[(i >>> 8) & 15] = (i & S) !== 0 ? subtractFlags(c, a, b) : (a - b) | 0;
}

function testFlags(c: ArmCpu, result: number): void {
  c.n = result >>> 31;
  c.z = result === 0 ? 1 : 0;
  c.c = c.carryOut;
}

// --- the operations, immediate and register forms (A8.8.x T1/T2/T3 of each) ----------

const AND_imm: ThumbHandler = (c, i) => logical(c, i, rn(c, i) & immC(c, i));
const AND_reg: ThumbHandler = (c, i) => logical(c, i, rn(c, i) & regC(c, i));
const BIC_imm: ThumbHandler = (c, i) => logical(c, i, rn(c, i) & ~immC(c, i));
const BIC_reg: ThumbHandler = (c, i) => logical(c, i, rn(c, i) & ~regC(c, i));
const ORR_imm: ThumbHandler = (c, i) => logical(c, i, rn(c, i) | immC(c, i));
const ORR_reg: ThumbHandler = (c, i) => logical(c, i, rn(c, i) | regC(c, i));
/** ORN (A8.8.119–120): Rn OR NOT operand; Thumb only. */
const ORN_imm: ThumbHandler = (c, i) => logical(c, i, rn(c, i) | ~immC(c, i));
const ORN_reg: ThumbHandler = (c, i) => logical(c, i, rn(c, i) | ~regC(c, i));
const EOR_imm: ThumbHandler = (c, i) => logical(c, i, rn(c, i) ^ immC(c, i));
const EOR_reg: ThumbHandler = (c, i) => logical(c, i, rn(c, i) ^ regC(c, i));
/** MOV (immediate) T2 and MOV (register) T3 / LSL, LSR, ASR, ROR (immediate) T2 and RRX: ORR with Rn = 1111. */
const MOV_imm: ThumbHandler = (c, i) => logical(c, i, immC(c, i));
const MOV_reg: ThumbHandler = (c, i) => logical(c, i, regC(c, i));
const MVN_imm: ThumbHandler = (c, i) => logical(c, i, ~immC(c, i));
const MVN_reg: ThumbHandler = (c, i) => logical(c, i, ~regC(c, i));

const TST_imm: ThumbHandler = (c, i) => testFlags(c, rn(c, i) & immC(c, i));
const TST_reg: ThumbHandler = (c, i) => testFlags(c, rn(c, i) & regC(c, i));
const TEQ_imm: ThumbHandler = (c, i) => testFlags(c, rn(c, i) ^ immC(c, i));
const TEQ_reg: ThumbHandler = (c, i) => testFlags(c, rn(c, i) ^ regC(c, i));

const ADD_imm: ThumbHandler = (c, i) => add(c, i, rn(c, i), imm(i), 0);
const ADD_reg: ThumbHandler = (c, i) => add(c, i, rn(c, i), reg(c, i), 0);
const ADC_imm: ThumbHandler = (c, i) => add(c, i, rn(c, i), imm(i), c.c);
const ADC_reg: ThumbHandler = (c, i) => add(c, i, rn(c, i), reg(c, i), c.c);
const SBC_imm: ThumbHandler = (c, i) => add(c, i, rn(c, i), ~imm(i), c.c);
const SBC_reg: ThumbHandler = (c, i) => add(c, i, rn(c, i), ~reg(c, i), c.c);
const SUB_imm: ThumbHandler = (c, i) => sub(c, i, rn(c, i), imm(i));
const SUB_reg: ThumbHandler = (c, i) => sub(c, i, rn(c, i), reg(c, i));
const RSB_imm: ThumbHandler = (c, i) => sub(c, i, imm(i), rn(c, i));
const RSB_reg: ThumbHandler = (c, i) => sub(c, i, reg(c, i), rn(c, i));
const CMN_imm: ThumbHandler = (c, i) => {
  addWithCarryFlags(c, rn(c, i), imm(i), 0);
};
const CMN_reg: ThumbHandler = (c, i) => {
  addWithCarryFlags(c, rn(c, i), reg(c, i), 0);
};
const CMP_imm: ThumbHandler = (c, i) => {
  subtractFlags(c, rn(c, i), imm(i));
};
const CMP_reg: ThumbHandler = (c, i) => {
  subtractFlags(c, rn(c, i), reg(c, i));
};

// --- plain binary immediates (A6.3.3) ------------------------------------------------

/** ADDW / SUBW (ADD, SUB (immediate) T4): Rd = Rn ± imm12, no flags (A8.8.4, A8.8.222). */
const ADDW: ThumbHandler = (c, i) => {
  c.r[(i >>> 8) & 15] = (rn(c, i) + imm12Of(i)) | 0;
};
const SUBW: ThumbHandler = (c, i) => {
  c.r[(i >>> 8) & 15] = (rn(c, i) - imm12Of(i)) | 0;
};

/** ADR T3 / T2 (A8.8.12): Align(PC, 4) ± imm12. */
const ADR_add: ThumbHandler = (c, i) => {
  c.r[(i >>> 8) & 15] = ((c.r[15] & ~3) + imm12Of(i)) | 0;
};
const ADR_sub: ThumbHandler = (c, i) => {
  c.r[(i >>> 8) & 15] = ((c.r[15] & ~3) - imm12Of(i)) | 0;
};

/** imm4:i:imm3:imm8 of MOVW/MOVT. */
const imm16Of = (i: number) => ((i >>> 4) & 0xf000) | imm12Of(i);

/** MOV (immediate) T3 = MOVW (A8.8.102). */
const MOVW: ThumbHandler = (c, i) => {
  c.r[(i >>> 8) & 15] = imm16Of(i);
};

/** MOVT (A8.8.106): the top halfword. */
const MOVT: ThumbHandler = (c, i) => {
  const d = (i >>> 8) & 15;
  c.r[d] = (c.r[d] & 0xffff) | (imm16Of(i) << 16);
};

// --- shifts by register (A6.3.12; A8.8.95, A8.8.98, A8.8.17, A8.8.150 T2) -------------

/** Rd = Rn shifted by Rm[7:0]; with S, N, Z and the shifter's carry. */
const SHIFT_reg: ThumbHandler = (c, i) => {
  const result = shiftByRegisterC(c, c.r[(i >>> 16) & 15], (i >>> 21) & 3, c.r[i & 15] & 0xff, c.c);
  logical(c, i, result);
};

/** The operations of A6.3.1 / A6.3.11 by op (hw1[8:5]), with their compare and move aliases. */
interface Operation {
  readonly name: string;
  readonly op: string;
  readonly imm: ThumbHandler;
  readonly reg: ThumbHandler;
  /** Rd = 1111 with S = 1. */
  readonly test?: readonly [string, ThumbHandler, ThumbHandler];
  /** Rn = 1111. */
  readonly move?: readonly [string, ThumbHandler, ThumbHandler];
}

const OPERATIONS: readonly Operation[] = [
  { name: 'AND', op: '0000', imm: AND_imm, reg: AND_reg, test: ['TST', TST_imm, TST_reg] },
  { name: 'BIC', op: '0001', imm: BIC_imm, reg: BIC_reg },
  { name: 'ORR', op: '0010', imm: ORR_imm, reg: ORR_reg, move: ['MOV', MOV_imm, MOV_reg] },
  { name: 'ORN', op: '0011', imm: ORN_imm, reg: ORN_reg, move: ['MVN', MVN_imm, MVN_reg] },
  { name: 'EOR', op: '0100', imm: EOR_imm, reg: EOR_reg, test: ['TEQ', TEQ_imm, TEQ_reg] },
  { name: 'ADD', op: '1000', imm: ADD_imm, reg: ADD_reg, test: ['CMN', CMN_imm, CMN_reg] },
  { name: 'ADC', op: '1010', imm: ADC_imm, reg: ADC_reg },
  { name: 'SBC', op: '1011', imm: SBC_imm, reg: SBC_reg },
  { name: 'SUB', op: '1101', imm: SUB_imm, reg: SUB_reg, test: ['CMP', CMP_imm, CMP_reg] },
  { name: 'RSB', op: '1110', imm: RSB_imm, reg: RSB_reg },
];

const RD_PC_FLAGS = '---- ---- ---1 ---- ---- 1111 ---- ----';
const RN_PC = '---- ---- ---- 1111 ---- ---- ---- ----';

function operationEncodings(o: Operation): Encoding<ThumbHandler>[] {
  const unless = o.test ? [RD_PC_FLAGS] : o.move ? [RN_PC] : undefined;
  const out: Encoding<ThumbHandler>[] = [
    { name: `${o.name} (immediate)`, pattern: `11110 i 0 ${o.op} S nnnn 0 iii dddd iiiiiiii`, exec: o.imm, unless },
    { name: `${o.name} (register)`, pattern: `11101 01 ${o.op} S nnnn (0) iii dddd ii tt mmmm`, exec: o.reg, unless },
  ];
  if (o.test) {
    const [name, immForm, regForm] = o.test;
    out.push(
      { name: `${name} (immediate)`, pattern: `11110 i 0 ${o.op} 1 nnnn 0 iii 1111 iiiiiiii`, exec: immForm },
      { name: `${name} (register)`, pattern: `11101 01 ${o.op} 1 nnnn (0) iii 1111 ii tt mmmm`, exec: regForm },
    );
  }
  if (o.move) {
    const [name, immForm, regForm] = o.move;
    out.push(
      { name: `${name} (immediate)`, pattern: `11110 i 0 ${o.op} S 1111 0 iii dddd iiiiiiii`, exec: immForm },
      { name: `${name} (register)`, pattern: `11101 01 ${o.op} S 1111 (0) iii dddd ii tt mmmm`, exec: regForm },
    );
  }
  return out;
}

export const thumb32DataProcessingEncodings: Encoding<ThumbHandler>[] = [
  ...OPERATIONS.flatMap(operationEncodings),
  { name: 'ADDW (ADD (immediate) T4)', pattern: '11110 i 1 00000 nnnn 0 iii dddd iiiiiiii', exec: ADDW, unless: [RN_PC] },
  { name: 'ADR T3', pattern: '11110 i 1 00000 1111 0 iii dddd iiiiiiii', exec: ADR_add },
  { name: 'SUBW (SUB (immediate) T4)', pattern: '11110 i 1 01010 nnnn 0 iii dddd iiiiiiii', exec: SUBW, unless: [RN_PC] },
  { name: 'ADR T2', pattern: '11110 i 1 01010 1111 0 iii dddd iiiiiiii', exec: ADR_sub },
  { name: 'MOVW (MOV (immediate) T3)', pattern: '11110 i 1 00100 kkkk 0 iii dddd iiiiiiii', exec: MOVW },
  { name: 'MOVT T1', pattern: '11110 i 1 01100 kkkk 0 iii dddd iiiiiiii', exec: MOVT },
  { name: 'LSL/LSR/ASR/ROR (register) T2', pattern: '11111 010 0 tt S nnnn 1111 dddd 0000 mmmm', exec: SHIFT_reg },
];
