import {
  addWithCarryFlags,
  expandImmediate,
  expandImmediateC,
  shiftByImmediate,
  shiftByImmediateC,
  shiftByRegister,
  shiftByRegisterC,
  subtractFlags,
} from '../AluOperations.ts';
import { ArmMode } from '../ArmState.ts';
import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';

/**
 * Data-processing instructions (ARM ARM A5.2.1 register, A5.2.2
 * register-shifted register, A5.2.3 immediate; instruction pages A8.8).
 * Field letters: c cond, S setflags, n Rn, d Rd, m Rm, s Rs, i immediate,
 * t shift type.
 */

const S = 1 << 20;

// --- second operands ------------------------------------------------------

/** ARMExpandImm_C: leaves the carry-out in `cpu.carryOut`. */
function immC(cpu: ArmCpu, i: number): number {
  return expandImmediateC(cpu, i & 0xfff, cpu.c);
}

/** Rm shifted by imm5 (DecodeImmShift), with carry-out. */
function regC(cpu: ArmCpu, i: number): number {
  return shiftByImmediateC(cpu, cpu.r[i & 15], (i >>> 5) & 3, (i >>> 7) & 31, cpu.c);
}

function reg(cpu: ArmCpu, i: number): number {
  return shiftByImmediate(cpu.r[i & 15], (i >>> 5) & 3, (i >>> 7) & 31, cpu.c);
}

/** Rm shifted by the bottom byte of Rs, with carry-out. */
function rsrC(cpu: ArmCpu, i: number): number {
  return shiftByRegisterC(cpu, cpu.r[i & 15], (i >>> 5) & 3, cpu.r[(i >>> 8) & 15] & 0xff, cpu.c);
}

function rsr(cpu: ArmCpu, i: number): number {
  return shiftByRegister(cpu.r[i & 15], (i >>> 5) & 3, cpu.r[(i >>> 8) & 15] & 0xff);
}

// --- results ---------------------------------------------------------------

/**
 * Write Rd. Writing the PC is ALUWritePC, which in A32 on ARMv7 is
 * BXWritePC (interworking branch, A2.3.1).
 */
function writeResult(cpu: ArmCpu, i: number, value: number): void {
  const d = (i >>> 12) & 15;
  if (d === 15) cpu.branchExchange(value);
  else cpu.r[d] = value;
}

/**
 * Write Rd of a flag-setting form. With Rd = PC it is an exception return
 * (SUBS PC, LR and related, B9.3.19): CPSR ← SPSR, then branch; flags come
 * from the SPSR, not from the operation. UNDEFINED in Hyp mode, UNPREDICTABLE
 * in User/System mode (where we just branch).
 */
function writeResultFlagsSet(cpu: ArmCpu, i: number, value: number): void {
  const d = (i >>> 12) & 15;
  if (d !== 15) {
    cpu.r[d] = value;
    return;
  }
  if (cpu.mode === ArmMode.Hyp) {
    cpu.undefinedInstruction(i);
    return;
  }
  if (cpu.mode === ArmMode.Usr || cpu.mode === ArmMode.Sys) {
    cpu.branchExchange(value);
    return;
  }
  cpu.exceptionReturn(value, cpu.currentSpsr);
}

/** Logical operations: N, Z from the result, C from the shifter, V unchanged. */
function logical(cpu: ArmCpu, i: number, result: number): void {
  if ((i & S) !== 0) {
    cpu.n = result >>> 31;
    cpu.z = result === 0 ? 1 : 0;
    cpu.c = cpu.carryOut;
    writeResultFlagsSet(cpu, i, result);
  } else writeResult(cpu, i, result);
}

/** a + b + carry with AddWithCarry flags when S. */
function add(cpu: ArmCpu, i: number, a: number, b: number, carry: number): void {
  if ((i & S) !== 0) writeResultFlagsSet(cpu, i, addWithCarryFlags(cpu, a, b, carry));
  else writeResult(cpu, i, (a + b + carry) | 0);
}

/** a - b, i.e. AddWithCarry(a, NOT b, 1). */
function sub(cpu: ArmCpu, i: number, a: number, b: number): void {
  if ((i & S) !== 0) writeResultFlagsSet(cpu, i, subtractFlags(cpu, a, b));
  else writeResult(cpu, i, (a - b) | 0);
}

function testFlags(cpu: ArmCpu, result: number): void {
  cpu.n = result >>> 31;
  cpu.z = result === 0 ? 1 : 0;
  cpu.c = cpu.carryOut;
}

const rn = (cpu: ArmCpu, i: number) => cpu.r[(i >>> 16) & 15];

// --- AND, EOR, ORR, BIC (A8.8.13, A8.8.47, A8.8.122, A8.8.21) ---------------
const AND_imm: A32Handler = (c, i) => logical(c, i, rn(c, i) & immC(c, i));
const AND_reg: A32Handler = (c, i) => logical(c, i, rn(c, i) & regC(c, i));
const AND_rsr: A32Handler = (c, i) => logical(c, i, rn(c, i) & rsrC(c, i));
const EOR_imm: A32Handler = (c, i) => logical(c, i, rn(c, i) ^ immC(c, i));
const EOR_reg: A32Handler = (c, i) => logical(c, i, rn(c, i) ^ regC(c, i));
const EOR_rsr: A32Handler = (c, i) => logical(c, i, rn(c, i) ^ rsrC(c, i));
const ORR_imm: A32Handler = (c, i) => logical(c, i, rn(c, i) | immC(c, i));
const ORR_reg: A32Handler = (c, i) => logical(c, i, rn(c, i) | regC(c, i));
const ORR_rsr: A32Handler = (c, i) => logical(c, i, rn(c, i) | rsrC(c, i));
const BIC_imm: A32Handler = (c, i) => logical(c, i, rn(c, i) & ~immC(c, i));
const BIC_reg: A32Handler = (c, i) => logical(c, i, rn(c, i) & ~regC(c, i));
const BIC_rsr: A32Handler = (c, i) => logical(c, i, rn(c, i) & ~rsrC(c, i));

// --- MOV, MVN and the shifts (A8.8.102–105, A8.8.115–117, LSL/LSR/ASR/ROR/RRX) ---
const MOV_imm: A32Handler = (c, i) => logical(c, i, immC(c, i));
/** MOV (register), no shift: the commonest instruction, kept minimal. MOVS leaves C alone. */
const MOV_reg: A32Handler = (c, i) => {
  const d = (i >>> 12) & 15;
  const v = c.r[i & 15];
  if ((i & S) === 0) {
    if (d !== 15) c.r[d] = v;
    else c.branchExchange(v);
    return;
  }
  c.n = v >>> 31;
  c.z = v === 0 ? 1 : 0;
  writeResultFlagsSet(c, i, v);
};
/** LSL/LSR/ASR/ROR (immediate) and RRX: Rm shifted by the encoded amount. */
const SHIFT_imm: A32Handler = (c, i) => logical(c, i, regC(c, i));
/** LSL/LSR/ASR/ROR (register): Rn shifted by Rm[7:0] (the register in bits 11:8). */
const SHIFT_reg: A32Handler = (c, i) => logical(c, i, rsrC(c, i));
const MVN_imm: A32Handler = (c, i) => logical(c, i, ~immC(c, i));
const MVN_reg: A32Handler = (c, i) => logical(c, i, ~regC(c, i));
const MVN_rsr: A32Handler = (c, i) => logical(c, i, ~rsrC(c, i));

/** MOVW (A8.8.102 A2): Rd = imm16. */
const MOVW: A32Handler = (c, i) => {
  const d = (i >>> 12) & 15;
  if (d === 15) return c.undefinedInstruction(i); // UNPREDICTABLE; we refuse it
  c.r[d] = ((i >>> 4) & 0xf000) | (i & 0xfff);
};

/** MOVT (A8.8.106): Rd[31:16] = imm16. */
const MOVT: A32Handler = (c, i) => {
  const d = (i >>> 12) & 15;
  if (d === 15) return c.undefinedInstruction(i);
  c.r[d] = (c.r[d] & 0xffff) | ((((i >>> 16) & 0xf) << 12 | (i & 0xfff)) << 16);
};

// --- ADD, ADC, SUB, SBC, RSB, RSC (A8.8.1–A8.8.8, A8.8.221–A8.8.226, A8.8.152–A8.8.157, A8.8.161–A8.8.163) ---
const ADD_imm: A32Handler = (c, i) => add(c, i, rn(c, i), expandImmediate(i & 0xfff), 0);
const ADD_reg: A32Handler = (c, i) => add(c, i, rn(c, i), reg(c, i), 0);
const ADD_rsr: A32Handler = (c, i) => add(c, i, rn(c, i), rsr(c, i), 0);
const ADC_imm: A32Handler = (c, i) => add(c, i, rn(c, i), expandImmediate(i & 0xfff), c.c);
const ADC_reg: A32Handler = (c, i) => add(c, i, rn(c, i), reg(c, i), c.c);
const ADC_rsr: A32Handler = (c, i) => add(c, i, rn(c, i), rsr(c, i), c.c);
const SUB_imm: A32Handler = (c, i) => sub(c, i, rn(c, i), expandImmediate(i & 0xfff));
const SUB_reg: A32Handler = (c, i) => sub(c, i, rn(c, i), reg(c, i));
const SUB_rsr: A32Handler = (c, i) => sub(c, i, rn(c, i), rsr(c, i));
const SBC_imm: A32Handler = (c, i) => add(c, i, rn(c, i), ~expandImmediate(i & 0xfff), c.c);
const SBC_reg: A32Handler = (c, i) => add(c, i, rn(c, i), ~reg(c, i), c.c);
const SBC_rsr: A32Handler = (c, i) => add(c, i, rn(c, i), ~rsr(c, i), c.c);
const RSB_imm: A32Handler = (c, i) => sub(c, i, expandImmediate(i & 0xfff), rn(c, i));
const RSB_reg: A32Handler = (c, i) => sub(c, i, reg(c, i), rn(c, i));
const RSB_rsr: A32Handler = (c, i) => sub(c, i, rsr(c, i), rn(c, i));
const RSC_imm: A32Handler = (c, i) => add(c, i, expandImmediate(i & 0xfff), ~rn(c, i), c.c);
const RSC_reg: A32Handler = (c, i) => add(c, i, reg(c, i), ~rn(c, i), c.c);
const RSC_rsr: A32Handler = (c, i) => add(c, i, rsr(c, i), ~rn(c, i), c.c);

// --- TST, TEQ, CMP, CMN (A8.8.240–242, A8.8.237–239, A8.8.37–39, A8.8.34–36) ---
const TST_imm: A32Handler = (c, i) => testFlags(c, rn(c, i) & immC(c, i));
const TST_reg: A32Handler = (c, i) => testFlags(c, rn(c, i) & regC(c, i));
const TST_rsr: A32Handler = (c, i) => testFlags(c, rn(c, i) & rsrC(c, i));
const TEQ_imm: A32Handler = (c, i) => testFlags(c, rn(c, i) ^ immC(c, i));
const TEQ_reg: A32Handler = (c, i) => testFlags(c, rn(c, i) ^ regC(c, i));
const TEQ_rsr: A32Handler = (c, i) => testFlags(c, rn(c, i) ^ rsrC(c, i));
const CMP_imm: A32Handler = (c, i) => { subtractFlags(c, rn(c, i), expandImmediate(i & 0xfff)); };
const CMP_reg: A32Handler = (c, i) => { subtractFlags(c, rn(c, i), reg(c, i)); };
const CMP_rsr: A32Handler = (c, i) => { subtractFlags(c, rn(c, i), rsr(c, i)); };
const CMN_imm: A32Handler = (c, i) => { addWithCarryFlags(c, rn(c, i), expandImmediate(i & 0xfff), 0); };
const CMN_reg: A32Handler = (c, i) => { addWithCarryFlags(c, rn(c, i), reg(c, i), 0); };
const CMN_rsr: A32Handler = (c, i) => { addWithCarryFlags(c, rn(c, i), rsr(c, i), 0); };

/** One operation in its three operand forms. */
function forms(
  name: string,
  op: string,
  imm: A32Handler,
  register: A32Handler,
  shifted: A32Handler,
): Encoding<A32Handler>[] {
  return [
    { name: `${name} (immediate)`, pattern: `cccc 001${op}S nnnn dddd iiii iiii iiii`, exec: imm },
    { name: `${name} (register)`, pattern: `cccc 000${op}S nnnn dddd iiii itt0 mmmm`, exec: register },
    { name: `${name} (register-shifted register)`, pattern: `cccc 000${op}S nnnn dddd ssss 0tt1 mmmm`, exec: shifted },
  ];
}

/** Compare/test forms: S is 1 and Rd is (0). */
function testForms(
  name: string,
  op: string,
  imm: A32Handler,
  register: A32Handler,
  shifted: A32Handler,
): Encoding<A32Handler>[] {
  return [
    { name: `${name} (immediate)`, pattern: `cccc 0011 0${op}1 nnnn (0)(0)(0)(0) iiii iiii iiii`, exec: imm },
    { name: `${name} (register)`, pattern: `cccc 0001 0${op}1 nnnn (0)(0)(0)(0) iiii itt0 mmmm`, exec: register },
    { name: `${name} (register-shifted register)`, pattern: `cccc 0001 0${op}1 nnnn (0)(0)(0)(0) ssss 0tt1 mmmm`, exec: shifted },
  ];
}

export const dataProcessingEncodings: Encoding<A32Handler>[] = [
  ...forms('AND', '0000', AND_imm, AND_reg, AND_rsr),
  ...forms('EOR', '0001', EOR_imm, EOR_reg, EOR_rsr),
  ...forms('SUB', '0010', SUB_imm, SUB_reg, SUB_rsr),
  ...forms('RSB', '0011', RSB_imm, RSB_reg, RSB_rsr),
  ...forms('ADD', '0100', ADD_imm, ADD_reg, ADD_rsr),
  ...forms('ADC', '0101', ADC_imm, ADC_reg, ADC_rsr),
  ...forms('SBC', '0110', SBC_imm, SBC_reg, SBC_rsr),
  ...forms('RSC', '0111', RSC_imm, RSC_reg, RSC_rsr),
  ...testForms('TST', '00', TST_imm, TST_reg, TST_rsr),
  ...testForms('TEQ', '01', TEQ_imm, TEQ_reg, TEQ_rsr),
  ...testForms('CMP', '10', CMP_imm, CMP_reg, CMP_rsr),
  ...testForms('CMN', '11', CMN_imm, CMN_reg, CMN_rsr),
  ...forms('ORR', '1100', ORR_imm, ORR_reg, ORR_rsr),
  ...forms('BIC', '1110', BIC_imm, BIC_reg, BIC_rsr),
  ...forms('MVN', '1111', MVN_imm, MVN_reg, MVN_rsr).map((e) => ({ ...e, pattern: e.pattern.replace('nnnn', '(0)(0)(0)(0)') })),
  { name: 'MOV (immediate)', pattern: 'cccc 0011 101S (0)(0)(0)(0) dddd iiii iiii iiii', exec: MOV_imm },
  { name: 'MOV (register)', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd 0000 0000 mmmm', exec: MOV_reg },
  { name: 'LSL (immediate)', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd iiii i000 mmmm', exec: SHIFT_imm, unless: ['---- ---- ---- ---- ---- 0000 0--- ----'] },
  { name: 'LSR (immediate)', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd iiii i010 mmmm', exec: SHIFT_imm },
  { name: 'ASR (immediate)', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd iiii i100 mmmm', exec: SHIFT_imm },
  { name: 'RRX', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd 0000 0110 mmmm', exec: SHIFT_imm },
  { name: 'ROR (immediate)', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd iiii i110 mmmm', exec: SHIFT_imm, unless: ['---- ---- ---- ---- ---- 0000 0--- ----'] },
  { name: 'LSL (register)', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd mmmm 0001 nnnn', exec: SHIFT_reg },
  { name: 'LSR (register)', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd mmmm 0011 nnnn', exec: SHIFT_reg },
  { name: 'ASR (register)', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd mmmm 0101 nnnn', exec: SHIFT_reg },
  { name: 'ROR (register)', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd mmmm 0111 nnnn', exec: SHIFT_reg },
  { name: 'MOVW', pattern: 'cccc 0011 0000 iiii dddd iiii iiii iiii', exec: MOVW },
  { name: 'MOVT', pattern: 'cccc 0011 0100 iiii dddd iiii iiii iiii', exec: MOVT },
];
