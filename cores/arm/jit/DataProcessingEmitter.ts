import { expandImmediate } from '../AluOperations.ts';
import { Flag, type RegionEmitter } from './RegionEmitter.ts';

/**
 * JavaScript for the A32 data-processing instructions (ARM ARM A5.2.1–A5.2.3,
 * A8.8), MOVW/MOVT, multiplies with 32-bit results and the simple media
 * forms (extends, bit fields, CLZ, REV). Each emitter mirrors the
 * interpreter's handler step for step, including the order of register
 * writes, so that the two agree even where the manual says UNPREDICTABLE.
 * Forms with Rd = PC never get here (they end the block through the handler).
 */

/** A second operand: its value expression, and its shifter carry-out as a boolean expression (null: C unchanged). */
interface Operand {
  readonly value: string;
  readonly carry: string | null;
}

const S_BIT = 1 << 20;

/** Shift_C of Rm by an immediate (DecodeImmShift, A8.4.3); `m` is a captured constant. */
export function shiftImmediate(e: RegionEmitter, m: string, type: number, imm5: number, withCarry: boolean): Operand {
  switch (type) {
    case 0:
      if (imm5 === 0) return { value: m, carry: null };
      return { value: `(${m} << ${imm5})`, carry: withCarry ? `((${m} & ${1 << (32 - imm5)}) !== 0)` : null };
    case 1:
      if (imm5 === 0) return { value: '0', carry: withCarry ? `(${m} < 0)` : null };
      return { value: `(${m} >>> ${imm5})`, carry: withCarry ? `((${m} & ${1 << (imm5 - 1)}) !== 0)` : null };
    case 2:
      if (imm5 === 0) return { value: `(${m} >> 31)`, carry: withCarry ? `(${m} < 0)` : null };
      return { value: `(${m} >> ${imm5})`, carry: withCarry ? `((${m} & ${1 << (imm5 - 1)}) !== 0)` : null };
    default:
      if (imm5 === 0) {
        // RRX: C shifted in at the top, bit 0 out.
        const cin = e.capture(e.flagNum(Flag.C));
        return { value: `((${cin} << 31) | (${m} >>> 1))`, carry: withCarry ? `((${m} & 1) !== 0)` : null };
      }
      return { value: `((${m} >>> ${imm5}) | (${m} << ${32 - imm5}))`, carry: withCarry ? `((${m} & ${1 << (imm5 - 1)}) !== 0)` : null };
  }
}

/** Shift by Rs[7:0] without carry-out (A8.4.3 Shift with a register amount). */
function shiftRegister(m: string, type: number, amount: string): string {
  switch (type) {
    case 0: return `(${amount} >= 32 ? 0 : ${m} << ${amount})`;
    case 1: return `(${amount} >= 32 ? 0 : (${m} >>> ${amount}) | 0)`;
    case 2: return `(${m} >> (${amount} >= 32 ? 31 : ${amount}))`;
    default: return `((${m} >>> (${amount} & 31)) | (${m} << (32 - (${amount} & 31))))`;
  }
}

const enum Form {
  Immediate,
  Register,
  RegisterShifted,
}

/**
 * The second operand of a data-processing word. Logical operations need
 * the shifter's carry; a register-shifted form with a carry is left to the
 * handler (returns null).
 */
function operand2(e: RegionEmitter, w: number, form: Form, withCarry: boolean): Operand | null {
  if (form === Form.Immediate) {
    const t32 = e.insn.imm;
    if (t32 !== undefined) {
      // ThumbExpandImm_C (A6.3.2): the carry is bit 31 of a rotated value, else unchanged.
      return { value: String(t32 | 0), carry: withCarry && e.insn.immRotated === true ? (t32 < 0 ? 'true' : 'false') : null };
    }
    const imm12 = w & 0xfff;
    const value = expandImmediate(imm12) | 0;
    const rotated = (imm12 >>> 7) & 0x1e;
    return { value: String(value), carry: withCarry && rotated !== 0 ? (value < 0 ? 'true' : 'false') : null };
  }
  const m = e.capture(e.reg(w & 15), 'm');
  const type = (w >>> 5) & 3;
  if (form === Form.Register) return shiftImmediate(e, m, type, (w >>> 7) & 31, withCarry);
  if (withCarry) return null;
  const amount = e.capture(`${e.reg((w >>> 8) & 15)} & 255`, 's');
  return { value: shiftRegister(m, type, amount), carry: null };
}

type Op = 'AND' | 'EOR' | 'SUB' | 'RSB' | 'ADD' | 'ADC' | 'SBC' | 'RSC' | 'TST' | 'TEQ' | 'CMP' | 'CMN' | 'ORR' | 'BIC' | 'MOV' | 'MVN' | 'ORN';

/** ORN exists in T32 only (A8.8.119–120); the T32 translation names it with the A32 operand fields. */
const LOGICAL = new Set<Op>(['AND', 'EOR', 'TST', 'TEQ', 'ORR', 'BIC', 'MOV', 'MVN', 'ORN']);
const TESTS = new Set<Op>(['TST', 'TEQ', 'CMP', 'CMN']);

/** The operation and operand form of a data-processing encoding name, or null. */
function parse(name: string): { op: Op; form: Form } | null {
  const m = /^(AND|EOR|SUB|RSB|ADD|ADC|SBC|RSC|TST|TEQ|CMP|CMN|ORR|BIC|MOV|MVN|ORN) \((immediate|register|register-shifted register)\)$/.exec(name);
  if (m !== null) {
    const form = m[2] === 'immediate' ? Form.Immediate : m[2] === 'register' ? Form.Register : Form.RegisterShifted;
    return { op: m[1] as Op, form };
  }
  // The shift mnemonics are MOV with a shifted register operand (A8.8.105 and neighbours).
  if (/^(LSL|LSR|ASR|ROR) \(immediate\)$/.test(name) || name === 'RRX') return { op: 'MOV', form: Form.Register };
  if (/^(LSL|LSR|ASR|ROR) \(register\)$/.test(name)) return { op: 'MOV', form: Form.RegisterShifted };
  return null;
}

/** Flags of a logical result (N, Z; C from the shifter unless null; V unchanged). */
function logicalFlags(e: RegionEmitter, t: string, carry: string | null): void {
  const id = e.beginFlagOp(false);
  e.setFlag(Flag.N, { bool: `(${t} < 0)`, num: `(${t} >>> 31)` }, id);
  e.setFlag(Flag.Z, { bool: `(${t} === 0)`, num: `(${t} === 0 ? 1 : 0)` }, id);
  if (carry !== null) e.setFlag(Flag.C, { bool: carry, num: `(${carry} ? 1 : 0)` }, id);
}

/** AddWithCarry(a, b, carry) flags (A2.2.1); `carry` is '0', '1' or a captured 0/1 name. */
function addFlags(e: RegionEmitter, a: string, b: string, carry: string, t: string): void {
  const id = e.beginFlagOp(true);
  e.setFlag(Flag.N, { bool: `(${t} < 0)`, num: `(${t} >>> 31)` }, id);
  e.setFlag(Flag.Z, { bool: `(${t} === 0)`, num: `(${t} === 0 ? 1 : 0)` }, id);
  const sum = carry === '0' ? `(${a} >>> 0) + (${b} >>> 0)` : `(${a} >>> 0) + (${b} >>> 0) + ${carry}`;
  const c = `(${sum} > 4294967295)`;
  e.setFlag(Flag.C, { bool: c, num: `(${c} ? 1 : 0)` }, id);
  e.setFlag(Flag.V, { bool: `(((${a} ^ ${t}) & (${b} ^ ${t})) < 0)`, num: `(((${a} ^ ${t}) & (${b} ^ ${t})) >>> 31)` }, id);
}

/** a - b flags, i.e. AddWithCarry(a, NOT b, 1). */
function subFlags(e: RegionEmitter, a: string, b: string, t: string): void {
  const id = e.beginFlagOp(true);
  e.setFlag(Flag.N, { bool: `(${t} < 0)`, num: `(${t} >>> 31)` }, id);
  e.setFlag(Flag.Z, { bool: `(${t} === 0)`, num: `(${t} === 0 ? 1 : 0)` }, id);
  const c = `((${a} >>> 0) >= (${b} >>> 0))`;
  e.setFlag(Flag.C, { bool: c, num: `(${c} ? 1 : 0)` }, id);
  e.setFlag(Flag.V, { bool: `(((${a} ^ ${b}) & (${a} ^ ${t})) < 0)`, num: `(((${a} ^ ${b}) & (${a} ^ ${t})) >>> 31)` }, id);
  e.setSubRecord(id, a, b, t);
}

/** Emit a data-processing instruction (condition handled by the caller); false when it must go to the handler. */
export function emitDataProcessing(e: RegionEmitter): boolean {
  const { name, word: w } = e.insn;
  if (name === 'MOVW' || name === 'MOVT') return emitMoveWide(e);
  const parsed = parse(name);
  if (parsed === null) return false;
  const { op, form } = parsed;
  const s = (w & S_BIT) !== 0 || TESTS.has(op);
  const d = (w >>> 12) & 15;
  if (d === 15 && !TESTS.has(op)) return false;
  const logical = LOGICAL.has(op);
  const needsRn = op !== 'MOV' && op !== 'MVN';
  // Rn is read before the operand (the handlers read it first; only the order of captures matters).
  const a = needsRn ? e.capture(e.reg((w >>> 16) & 15), 'a') : '';
  const o = operand2(e, w, form, logical && s);
  if (o === null) return false;
  if (logical) {
    let expr: string;
    switch (op) {
      case 'AND': case 'TST': expr = `${a} & ${o.value}`; break;
      case 'EOR': case 'TEQ': expr = `${a} ^ ${o.value}`; break;
      case 'ORR': expr = `${a} | ${o.value}`; break;
      case 'BIC': expr = `${a} & ~${o.value}`; break;
      case 'ORN': expr = `${a} | ~${o.value}`; break;
      case 'MVN': expr = `~${o.value}`; break;
      default: expr = `${o.value} | 0`; break;
    }
    if (!s) {
      e.setReg(d, `(${expr})`);
      return true;
    }
    const t = e.capture(`(${expr})`);
    if (!TESTS.has(op)) e.setReg(d, t);
    logicalFlags(e, t, o.carry);
    return true;
  }
  const b = s ? e.capture(o.value, 'b') : o.value;
  let x: string; // first operand of AddWithCarry
  let y: string; // second operand
  let carry: string; // '0', '1' or a captured C
  switch (op) {
    case 'ADD': case 'CMN': x = a; y = b; carry = '0'; break;
    case 'SUB': case 'CMP': x = a; y = b; carry = '1'; break;
    case 'RSB': x = b; y = a; carry = '1'; break;
    case 'ADC': x = a; y = b; carry = e.capture(e.flagNum(Flag.C), 'ci'); break;
    case 'SBC': x = a; y = s ? e.capture(`~${b}`, 'b') : `~${b}`; carry = e.capture(e.flagNum(Flag.C), 'ci'); break;
    default: x = b; y = s ? e.capture(`~${a}`, 'b') : `~${a}`; carry = e.capture(e.flagNum(Flag.C), 'ci'); break; // RSC
  }
  const subtract = carry === '1';
  const expr = subtract ? `(${x} - ${y}) | 0` : carry === '0' ? `(${x} + ${y}) | 0` : `(${x} + ${y} + ${carry}) | 0`;
  if (!s) {
    e.setReg(d, `(${expr})`);
    return true;
  }
  const t = e.capture(`(${expr})`);
  if (!TESTS.has(op)) e.setReg(d, t);
  if (subtract) subFlags(e, x, y, t);
  else addFlags(e, x, y, carry, t);
  return true;
}

/** MOVW / MOVT (A8.8.102 A2, A8.8.106); Rd = PC is left to the handler (UNDEFINED here). */
function emitMoveWide(e: RegionEmitter): boolean {
  const w = e.insn.word;
  const d = (w >>> 12) & 15;
  if (d === 15) return false;
  const imm16 = ((w >>> 4) & 0xf000) | (w & 0xfff);
  if (e.insn.name === 'MOVW') e.setReg(d, String(imm16));
  else e.setReg(d, `((${e.reg(d)} & 65535) | ${(imm16 << 16) | 0})`);
  return true;
}

/** Flags N and Z of a multiply result (C and V unchanged on ARMv7). */
function multiplyFlags(e: RegionEmitter, t: string): void {
  logicalFlags(e, t, null);
}

/**
 * MUL, MLA, MLS (A8.8.114, A8.8.100, A8.8.101): fields Rd = 19:16, Ra = 15:12,
 * Rm = 11:8, Rn = 3:0. Operands with the PC are left to the handler.
 */
export function emitMultiply(e: RegionEmitter): boolean {
  const { name, word: w } = e.insn;
  if (name === 'UMULL' || name === 'SMULL' || name === 'UMLAL' || name === 'SMLAL') return emitLongMultiply(e);
  if (name !== 'MUL' && name !== 'MLA' && name !== 'MLS') return false;
  const d = (w >>> 16) & 15;
  const ra = (w >>> 12) & 15;
  const rm = (w >>> 8) & 15;
  const rn = w & 15;
  if (d === 15 || rm === 15 || rn === 15 || (name !== 'MUL' && ra === 15)) return false;
  const product = `Math.imul(${e.reg(rn)}, ${e.reg(rm)})`;
  let expr: string;
  if (name === 'MUL') expr = product;
  else if (name === 'MLA') expr = `(${product} + ${e.reg(ra)}) | 0`;
  else expr = `(${e.reg(ra)} - ${product}) | 0`;
  if (name === 'MLS' || (w & S_BIT) === 0) {
    e.setReg(d, `(${expr})`);
    return true;
  }
  const t = e.capture(`(${expr})`);
  e.setReg(d, t);
  multiplyFlags(e, t);
  return true;
}

/**
 * UMULL, SMULL, UMLAL, SMLAL (A8.8.257, A8.8.189, A8.8.256, A8.8.178):
 * RdHi = 19:16, RdLo = 15:12, Rm = 11:8, Rn = 3:0. The 64-bit product is
 * built from 16-bit halves in doubles, exactly as the interpreter's
 * multiplyUnsigned64/multiplySigned64/add64 do (no BigInt); RdLo is written
 * before RdHi. Operands with the PC are left to the handler.
 */
function emitLongMultiply(e: RegionEmitter): boolean {
  const { name, word: w } = e.insn;
  const hiR = (w >>> 16) & 15;
  const loR = (w >>> 12) & 15;
  const rm = (w >>> 8) & 15;
  const rn = w & 15;
  if (hiR === 15 || loR === 15 || rm === 15 || rn === 15) return false;
  const a = e.capture(e.reg(rn), 'a');
  const b = e.capture(e.reg(rm), 'b');
  const mid = e.capture(`(${a} >>> 16) * (${b} & 65535) + (${a} & 65535) * (${b} >>> 16)`, 'pm');
  const low = e.capture(`(${a} & 65535) * (${b} & 65535) + (${mid} % 65536) * 65536`, 'pl');
  let hi = e.capture(`((${a} >>> 16) * (${b} >>> 16) + Math.floor(${mid} / 65536) + (${low} >= 4294967296 ? 1 : 0)) | 0`, 'ph');
  let lo = e.capture(`${low} | 0`, 'pl');
  // Signed: the unsigned product corrected for negative operands (two's complement).
  if (name[0] === 'S') hi = e.capture(`(${hi} - (${a} < 0 ? ${b} : 0) - (${b} < 0 ? ${a} : 0)) | 0`, 'ph');
  if (name.endsWith('AL')) {
    const addLo = e.capture(e.reg(loR), 'al');
    const addHi = e.capture(e.reg(hiR), 'ah');
    const sum = e.capture(`(${lo} >>> 0) + (${addLo} >>> 0)`, 'ps');
    lo = e.capture(`${sum} | 0`, 'pl');
    hi = e.capture(`(${hi} + ${addHi} + (${sum} > 4294967295 ? 1 : 0)) | 0`, 'ph');
  }
  e.setReg(loR, lo);
  e.setReg(hiR, hi);
  if ((w & S_BIT) !== 0) {
    // N from bit 63, Z when all 64 bits are zero; C and V unchanged (ARMv7).
    const id = e.beginFlagOp(false);
    e.setFlag(Flag.N, { bool: `(${hi} < 0)`, num: `(${hi} >>> 31)` }, id);
    e.setFlag(Flag.Z, { bool: `(${hi} === 0 && ${lo} === 0)`, num: `(${hi} === 0 && ${lo} === 0 ? 1 : 0)` }, id);
  }
  return true;
}

/**
 * Extends (A8.8.220–225, A8.8.258–263), bit fields (A8.8.19, 20, 164, 246),
 * CLZ (A8.8.33) and REV/REV16 (A8.8.145–146); Rd = PC and the UNDEFINED
 * field combinations are left to the handler.
 */
export function emitMedia(e: RegionEmitter): boolean {
  const { name, word: w } = e.insn;
  const d = (w >>> 12) & 15;
  if (d === 15) return false;
  const rm = w & 15;
  switch (name) {
    case 'UXTB': case 'UXTH': case 'SXTB': case 'SXTH':
    case 'UXTAB': case 'UXTAH': case 'SXTAB': case 'SXTAH': {
      const rot = ((w >>> 10) & 3) * 8;
      const m = e.reg(rm);
      const v = rot === 0 ? m : `((${m} >>> ${rot}) | (${m} << ${32 - rot}))`;
      const ext =
        name[0] === 'U'
          ? name.endsWith('B') ? `(${v} & 255)` : `(${v} & 65535)`
          : name.endsWith('B') ? `((${v} << 24) >> 24)` : `((${v} << 16) >> 16)`;
      const rn = (w >>> 16) & 15;
      // The forms without an addend are the Rn = 1111 encodings of the adding ones.
      e.setReg(d, rn === 15 ? ext : `((${e.reg(rn)} + ${ext}) | 0)`);
      return true;
    }
    case 'UBFX': case 'SBFX': {
      const lsb = (w >>> 7) & 31;
      const width = ((w >>> 16) & 31) + 1;
      if (lsb + width > 32) return false;
      const m = e.reg(rm);
      if (name === 'SBFX') e.setReg(d, `((${m} << ${32 - lsb - width}) >> ${32 - width})`);
      else e.setReg(d, width === 32 ? m : `((${m} >>> ${lsb}) & ${(2 ** width - 1) | 0})`);
      return true;
    }
    case 'BFC': case 'BFI': {
      const lsb = (w >>> 7) & 31;
      const msb = (w >>> 16) & 31;
      if (msb < lsb) return false;
      const width = msb - lsb + 1;
      const mask = width >= 32 ? -1 : (((1 << width) - 1) << lsb) | 0;
      const old = e.reg(d);
      if (name === 'BFC') e.setReg(d, `(${old} & ${~mask})`);
      else e.setReg(d, `((${old} & ${~mask}) | ((${e.reg(rm)} << ${lsb}) & ${mask}))`);
      return true;
    }
    case 'CLZ':
      e.setReg(d, `Math.clz32(${e.reg(rm)})`);
      return true;
    case 'REV': {
      const m = e.capture(e.reg(rm), 'm');
      e.setReg(d, `((${m} << 24) | ((${m} & 65280) << 8) | ((${m} >>> 8) & 65280) | (${m} >>> 24))`);
      return true;
    }
    case 'REV16': {
      const m = e.capture(e.reg(rm), 'm');
      e.setReg(d, `(((${m} & 16711935) << 8) | ((${m} >>> 8) & 16711935))`);
      return true;
    }
    default:
      return false;
  }
}
