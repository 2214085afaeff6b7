import { a32Table } from '../a32/A32Decoder.ts';
import { thumbExpandImm } from '../thumb/Thumb32DataProcessing.ts';
import { decodeThumb16, decodeThumb32, thumb16Table, thumb32Table } from '../thumb/ThumbDecoder.ts';
import { imm12Of, imm5Of, itAdvance } from '../thumb/ThumbPseudocode.ts';
import { Control, type JitInsn } from './RegionBuilder.ts';

/**
 * T32 instructions for the JIT. Each instruction is classified by the name
 * the interpreter's own T32 tables give it (so the JIT and the interpreter
 * never disagree on what a halfword is) and, where its operation is exactly
 * that of an A32 instruction, described by that A32 word, so the A32
 * emitters inline it: the fields are moved as the ARM ARM's A8 pages give
 * the two encodings one operation. What differs between the sets is carried
 * apart: R15 reads as address + 4 (Align(PC, 4) for literals and ADR), the
 * modified immediates of A6.3.2 (`imm`, `immRotated`), the 16-bit forms
 * that set flags only outside IT blocks (decided here from the ITSTATE the
 * region builder tracks), CBZ/CBNZ, and the condition of instructions in IT
 * blocks. Anything else runs the interpreter's T32 handler.
 */

export interface ThumbInsn extends JitInsn {
  readonly control: Control;
  /** Branch target as a byte offset from the page base (Control.Branch). */
  readonly target: number;
  /** An IT instruction outside an IT block: ITSTATE for the instructions after it. */
  readonly itStart: number;
}

const P = 1 << 24;
const U = 1 << 23;
const W = 1 << 21;
const S_BIT = 1 << 20;

/** A32 data-processing opcodes (A5.2.1) by mnemonic; ORN (T32 only) has none, its name carries it. */
const OPCODE: Record<string, number> = {
  AND: 0, EOR: 1, SUB: 2, RSB: 3, ADD: 4, ADC: 5, SBC: 6, RSC: 7, TST: 8, TEQ: 9, CMP: 10, CMN: 11, ORR: 12, MOV: 13, BIC: 14, MVN: 15, ORN: 0,
};
const TESTS = new Set(['TST', 'TEQ', 'CMP', 'CMN']);

/** What the decoder says about an instruction, before the fields common to all are added. */
interface Form {
  name: string;
  word: number;
  control?: Control;
  target?: number;
  imm?: number;
  immRotated?: boolean;
  pcAligned?: boolean;
  test?: { reg: number; zero: boolean };
  itStart?: number;
  rt2?: number;
}

const STOP: Form = { name: '', word: 0, control: Control.Stop };
const GENERIC: Form = { name: '', word: 0 };
const NOP: Form = { name: 'NOP', word: 0 };

/** Data processing as an A32 word: `form` 'immediate' (value in `imm`), 'register' (op2 = shifted Rm) or 'register-shifted register'. */
function dp(op: string, form: string, s: boolean, rn: number, rd: number, op2: number, imm?: number, rotated = false): Form {
  const test = TESTS.has(op);
  const word = (form === 'immediate' ? 1 << 25 : 0) | (OPCODE[op] << 21) | (s || test ? S_BIT : 0) | (rn << 16) | ((test ? 0 : rd) << 12) | op2;
  return { name: `${op} (${form})`, word: (word | (14 << 28)) | 0, imm, immRotated: rotated };
}

/** An A32 word and the name the A32 table gives it (GENERIC when it has none). */
function a32(word: number, extra: Partial<Form> = {}): Form {
  const w = (word | 0xe0000000) | 0;
  const e = a32Table.lookup(w >>> 0);
  if (e === null) return GENERIC;
  return { name: e.name, word: w, ...extra };
}

/** A single load/store as its A32 form with the offset in `imm` (immediate) or Rm LSL shift (register). */
function single(kind: string, n: number, t: number, p: boolean, u: boolean, w: boolean, imm: number | null, m = 0, shift = 0): Form {
  const extra = kind === 'LDRH' || kind === 'LDRSH' || kind === 'LDRSB' || kind === 'STRH';
  if (imm === null && extra && shift !== 0) return GENERIC; // A32 extra forms have no shifted register offset
  const word = (p ? P : 0) | (u ? U : 0) | (w && p ? W : 0) | (n << 16) | (t << 12) | (imm === null ? (extra ? m : (shift << 7) | m) : 0);
  const name = `${kind} (${imm === null ? 'register' : 'immediate'})`;
  const loadPc = t === 15 && kind === 'LDR';
  return { name, word: (word | 0xe0000000) | 0, imm: imm ?? undefined, pcAligned: n === 15, control: loadPc ? Control.Indirect : undefined };
}

function multiple(a32Word: number): Form {
  const f = a32(a32Word);
  if (f.name.startsWith('LDM') && (a32Word & 0x8000) !== 0) return { ...f, control: Control.Indirect };
  return f;
}

// --- 16-bit (A6.2) ---------------------------------------------------------------------------

const SHIFT_TYPE: Record<string, number> = { LSL: 0, LSR: 1, ASR: 2, ROR: 3 };

function form16(name: string, hw: number, offset: number, inIt: boolean): Form {
  const lo = hw & 7;
  const mid = (hw >>> 3) & 7;
  const top = (hw >>> 6) & 7;
  const r8 = (hw >>> 8) & 7;
  const imm8 = hw & 0xff;
  const flags = !inIt;
  const op = name.split(' ')[0];
  switch (name) {
    case 'LSL (immediate) T1 / MOV (register) T2':
    case 'LSR (immediate) T1':
    case 'ASR (immediate) T1':
      return dp('MOV', 'register', flags, 0, lo, (((hw >>> 6) & 31) << 7) | (((hw >>> 11) & 3) << 5) | mid);
    case 'ADD (register) T1': case 'SUB (register) T1':
      return dp(op, 'register', flags, mid, lo, top);
    case 'ADD (immediate) T1': case 'SUB (immediate) T1':
      return dp(op, 'immediate', flags, mid, lo, 0, top);
    case 'MOV (immediate) T1':
      return dp('MOV', 'immediate', flags, 0, r8, 0, imm8);
    case 'CMP (immediate) T1':
      return dp('CMP', 'immediate', true, r8, 0, 0, imm8);
    case 'ADD (immediate) T2': case 'SUB (immediate) T2':
      return dp(op, 'immediate', flags, r8, r8, 0, imm8);
    case 'AND (register) T1': case 'EOR (register) T1': case 'ADC (register) T1': case 'SBC (register) T1':
    case 'ORR (register) T1': case 'BIC (register) T1':
      return dp(op, 'register', flags, lo, lo, mid);
    case 'MVN (register) T1':
      return dp('MVN', 'register', flags, 0, lo, mid);
    case 'TST (register) T1': case 'CMP (register) T1': case 'CMN (register) T1':
      return dp(op, 'register', true, lo, 0, mid);
    case 'LSL (register) T1': case 'LSR (register) T1': case 'ASR (register) T1': case 'ROR (register) T1':
      return dp('MOV', 'register-shifted register', flags, 0, lo, (mid << 8) | (SHIFT_TYPE[op] << 5) | 0x10 | lo);
    case 'RSB (immediate) T1':
      return dp('RSB', 'immediate', flags, mid, lo, 0, 0);
    case 'MUL T1':
      return a32(((flags ? 1 : 0) << 20) | (lo << 16) | (lo << 8) | 0x90 | mid);
    case 'ADD (register) T2': {
      const d = ((hw >>> 4) & 8) | lo;
      if (d === 15) return STOP; // ALUWritePC: a branch
      return dp('ADD', 'register', false, d, d, (hw >>> 3) & 15);
    }
    case 'CMP (register) T2':
      return dp('CMP', 'register', true, ((hw >>> 4) & 8) | lo, 0, (hw >>> 3) & 15);
    case 'MOV (register) T1': {
      const d = ((hw >>> 4) & 8) | lo;
      if (d === 15) return STOP;
      return dp('MOV', 'register', false, 0, d, (hw >>> 3) & 15);
    }
    case 'ADR T1':
      return { ...dp('ADD', 'immediate', false, 15, r8, 0, imm8 << 2), pcAligned: true };
    case 'ADD (SP plus immediate) T1':
      return dp('ADD', 'immediate', false, 13, r8, 0, imm8 << 2);
    case 'ADD (SP plus immediate) T2':
      return dp('ADD', 'immediate', false, 13, 13, 0, (hw & 0x7f) << 2);
    case 'SUB (SP minus immediate) T1':
      return dp('SUB', 'immediate', false, 13, 13, 0, (hw & 0x7f) << 2);
    case 'SXTH T1': return a32(0x06bf0070 | (lo << 12) | mid);
    case 'SXTB T1': return a32(0x06af0070 | (lo << 12) | mid);
    case 'UXTH T1': return a32(0x06ff0070 | (lo << 12) | mid);
    case 'UXTB T1': return a32(0x06ef0070 | (lo << 12) | mid);
    case 'REV T1': return a32(0x06bf0f30 | (lo << 12) | mid);
    case 'REV16 T1': return a32(0x06bf0fb0 | (lo << 12) | mid);

    case 'LDR (immediate) T1': return single('LDR', mid, lo, true, true, false, (hw >>> 4) & 0x7c);
    case 'STR (immediate) T1': return single('STR', mid, lo, true, true, false, (hw >>> 4) & 0x7c);
    case 'LDRB (immediate) T1': return single('LDRB', mid, lo, true, true, false, (hw >>> 6) & 31);
    case 'STRB (immediate) T1': return single('STRB', mid, lo, true, true, false, (hw >>> 6) & 31);
    case 'LDRH (immediate) T1': return single('LDRH', mid, lo, true, true, false, (hw >>> 5) & 0x3e);
    case 'STRH (immediate) T1': return single('STRH', mid, lo, true, true, false, (hw >>> 5) & 0x3e);
    case 'LDR (immediate) T2': return single('LDR', 13, r8, true, true, false, imm8 << 2);
    case 'STR (immediate) T2': return single('STR', 13, r8, true, true, false, imm8 << 2);
    case 'LDR (literal) T1': return single('LDR', 15, r8, true, true, false, imm8 << 2);
    case 'STR (register) T1': case 'STRH (register) T1': case 'STRB (register) T1': case 'LDRSB (register) T1':
    case 'LDR (register) T1': case 'LDRH (register) T1': case 'LDRB (register) T1': case 'LDRSH (register) T1':
      return single(op, mid, lo, true, true, false, null, top);
    // The interpreter runs these as the A32 LDM/STM (Thumb16LoadStore): the same words.
    case 'STM T1': return multiple(0x08a00000 | (r8 << 16) | imm8);
    case 'LDM T1': return multiple(0x08900000 | ((hw & (1 << r8)) === 0 ? W : 0) | (r8 << 16) | imm8);
    case 'PUSH T1': return multiple(0x092d0000 | ((hw & 0x100) << 6) | imm8);
    case 'POP T1': return multiple(0x08bd0000 | ((hw & 0x100) << 7) | imm8);

    case 'BX T1': return { name: 'BX', word: (hw >>> 3) & 15, control: Control.Indirect };
    case 'BLX (register) T1':
      if (((hw >>> 3) & 15) === 15) return STOP;
      return { name: 'BLX (register)', word: (hw >>> 3) & 15, control: Control.Indirect };
    case 'CBZ/CBNZ T1':
      if (inIt) return STOP;
      return { name: 'CBZ', word: 0, control: Control.Branch, target: offset + 4 + (((hw >>> 3) & 0x40) | ((hw >>> 2) & 0x3e)), test: { reg: lo, zero: (hw & 0x800) === 0 } };
    case 'IT T1':
      if (inIt) return STOP; // UNPREDICTABLE: the interpreter's behaviour stands
      return { name: 'IT', word: 0, itStart: hw & 0xff };
    case 'NOP T1': case 'YIELD T1': case 'unallocated hint':
      return NOP;
    case 'B T1':
      if (inIt) return STOP;
      return { name: 'B', word: 0, control: Control.Branch, target: offset + 4 + ((hw << 24) >> 23) };
    case 'B T2':
      return { name: 'B', word: 0, control: Control.Branch, target: offset + 4 + ((hw << 21) >> 20) };
    case 'SEV T1':
      return GENERIC;
    default:
      // SVC, UDF, BKPT, CPS, SETEND, WFI, WFE and anything else that may change the mode or raise an exception.
      if (/^(SVC|UDF|BKPT|CPS|SETEND|WFI|WFE)\b/.test(name) || name === '') return STOP;
      return GENERIC;
  }
}

// --- 32-bit (A6.3) ---------------------------------------------------------------------------

/** B T3 offset: SignExtend(S:J2:J1:imm6:imm11:'0') (A8.8.18). */
function conditionalOffset(i: number): number {
  const v = (((i >>> 26) & 1) << 20) | (((i >>> 11) & 1) << 19) | (((i >>> 13) & 1) << 18) | (((i >>> 16) & 0x3f) << 12) | ((i & 0x7ff) << 1);
  return (v << 11) >> 11;
}

/** B T4 / BL offset: I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S), SignExtend(S:I1:I2:imm10:imm11:'0') (A8.8.18, A8.8.25). */
function longOffset(i: number): number {
  const s = (i >>> 26) & 1;
  const i1 = 1 ^ ((i >>> 13) & 1) ^ s;
  const i2 = 1 ^ ((i >>> 11) & 1) ^ s;
  const v = (s << 24) | (i1 << 23) | (i2 << 22) | (((i >>> 16) & 0x3ff) << 12) | ((i & 0x7ff) << 1);
  return (v << 7) >> 7;
}

/** A32 extend words by T32 op (hw1[6:4]) of A6.3.12: SXTAH, UXTAH, SXTAB16, UXTAB16, SXTAB, UXTAB. */
const EXTEND_A32 = [0x06b00070, 0x06f00070, 0x06800070, 0x06c00070, 0x06a00070, 0x06e00070];

function form32(name: string, i: number, offset: number): Form {
  const rn = (i >>> 16) & 15;
  const rd = (i >>> 8) & 15;
  const rt = (i >>> 12) & 15;
  const rm = i & 15;
  const s = (i & S_BIT) !== 0;
  let m = /^(AND|BIC|ORR|ORN|EOR|ADD|ADC|SBC|SUB|RSB|TST|TEQ|CMN|CMP|MOV|MVN) \((immediate|register)\)$/.exec(name);
  if (m !== null) {
    const op = m[1];
    const move = op === 'MOV' || op === 'MVN';
    if (m[2] === 'immediate') {
      const imm12 = imm12Of(i);
      return dp(op, 'immediate', s, move ? 0 : rn, rd, 0, thumbExpandImm(imm12), (imm12 & 0xc00) !== 0);
    }
    return dp(op, 'register', s, move ? 0 : rn, rd, (imm5Of(i) << 7) | (((i >>> 4) & 3) << 5) | rm);
  }
  switch (name) {
    case 'ADDW (ADD (immediate) T4)': return dp('ADD', 'immediate', false, rn, rd, 0, imm12Of(i));
    case 'SUBW (SUB (immediate) T4)': return dp('SUB', 'immediate', false, rn, rd, 0, imm12Of(i));
    case 'ADR T3': return { ...dp('ADD', 'immediate', false, 15, rd, 0, imm12Of(i)), pcAligned: true };
    case 'ADR T2': return { ...dp('SUB', 'immediate', false, 15, rd, 0, imm12Of(i)), pcAligned: true };
    case 'MOVW (MOV (immediate) T3)': case 'MOVT T1': {
      const imm16 = ((i >>> 4) & 0xf000) | imm12Of(i);
      return a32((name === 'MOVT T1' ? 0x03400000 : 0x03000000) | ((imm16 >>> 12) << 16) | (rd << 12) | (imm16 & 0xfff));
    }
    case 'LSL/LSR/ASR/ROR (register) T2':
      return dp('MOV', 'register-shifted register', s, 0, rd, (rm << 8) | (((i >>> 21) & 3) << 5) | 0x10 | rn);
    case 'SBFX T1': case 'UBFX T1': case 'BFI T1': case 'BFC T1': {
      const base = name === 'SBFX T1' ? 0x07a00050 : name === 'UBFX T1' ? 0x07e00050 : name === 'BFI T1' ? 0x07c00010 : 0x07c0001f;
      return a32(base | ((i & 31) << 16) | (rd << 12) | (imm5Of(i) << 7) | (name === 'BFC T1' ? 0 : rn));
    }
    case 'SXTAH/SXTH, UXTAH/UXTH, SXTAB16/SXTB16, UXTAB16/UXTB16, SXTAB/SXTB, UXTAB/UXTB': {
      const op = (i >>> 20) & 7;
      if (op > 5) return GENERIC;
      return a32(EXTEND_A32[op] | (rn << 16) | (rd << 12) | (((i >>> 4) & 3) << 10) | rm);
    }
    case 'QADD, QDADD, QSUB, QDSUB, REV, REV16, RBIT, REVSH, SEL, CLZ': {
      const index = (((i >>> 20) & 3) << 2) | ((i >>> 4) & 3);
      if (index === 4) return a32(0x06bf0f30 | (rd << 12) | rm); // REV
      if (index === 5) return a32(0x06bf0fb0 | (rd << 12) | rm); // REV16
      if (index === 12) return a32(0x016f0f10 | (rd << 12) | rm); // CLZ
      return GENERIC;
    }
    case 'MUL T2': return a32(0x00000090 | (rd << 16) | (rm << 8) | rn);
    case 'MLA T1': return a32(0x00200090 | (rd << 16) | (rt << 12) | (rm << 8) | rn);
    case 'MLS T1': return a32(0x00600090 | (rd << 16) | (rt << 12) | (rm << 8) | rn);
    case 'SMULL T1': case 'UMULL T1': case 'SMLAL T1': case 'UMLAL T1': {
      const base = name === 'SMULL T1' ? 0x00c00090 : name === 'UMULL T1' ? 0x00800090 : name === 'SMLAL T1' ? 0x00e00090 : 0x00a00090;
      return a32(base | (rd << 16) | (rt << 12) | (rm << 8) | rn);
    }
    case 'STM (STMIA, STMEA) T2': case 'LDM (LDMIA, LDMFD) T2 / POP T2':
    case 'STMDB (STMFD) T1 / PUSH T2': case 'LDMDB (LDMEA) T1':
      // Bit for bit the A32 encoding with condition 1110 (the interpreter runs the A32 handler on it).
      return multiple(i & 0x0fffffff);
    case 'LDRD (immediate, literal) T1': case 'STRD (immediate) T1': {
      // A32 LDRD/STRD (immediate) fields with both registers named (rt2) and the offset imm8 × 4 apart.
      const p = (i & P) !== 0;
      const word = (p ? P : 0) | (i & U) | (p ? i & W : 0) | (rn << 16) | (rt << 12);
      return { name: name.startsWith('LDRD') ? 'LDRD (immediate)' : 'STRD (immediate)', word: (word | 0xe0000000) | 0, imm: (i & 0xff) << 2, pcAligned: rn === 15, rt2: rd };
    }
    case 'B T3':
      return { name: 'B', word: 0, control: Control.Branch, target: offset + 4 + conditionalOffset(i) };
    case 'B T4':
      return { name: 'B', word: 0, control: Control.Branch, target: offset + 4 + longOffset(i) };
    case 'BL T1':
      return { name: 'BL (immediate)', word: 0, control: Control.Branch, target: offset + 4 + longOffset(i) };
    case 'NOP T2': case 'YIELD T2': case 'DBG T1': case 'unallocated hint': case 'DSB T1': case 'DMB T1':
      return NOP;
  }
  m = /^(LDR|LDRB|LDRH|LDRSB|LDRSH|STR|STRB|STRH) \((immediate, imm12|immediate, imm8|register|literal)\)$/.exec(name);
  if (m !== null) {
    const kind = m[1];
    switch (m[2]) {
      case 'immediate, imm12': return single(kind, rn, rt, true, true, false, i & 0xfff);
      case 'immediate, imm8': {
        const p = (i & 0x400) !== 0;
        return single(kind, rn, rt, p, (i & 0x200) !== 0, (i & 0x100) !== 0, i & 0xff);
      }
      case 'register': return single(kind, rn, rt, true, true, false, null, rm, (i >>> 4) & 3);
      default: return single(kind, 15, rt, true, (i & 0x800000) !== 0, false, i & 0xfff);
    }
  }
  if (/^(PLD|PLI|PLDW|hint)\b/.test(name)) return NOP;
  // Exceptions, mode and state changes, MMU and system register writes, table branches, calls to ARM.
  if (name === '' || /^(BLX \(immediate\)|MSR|CPS|WFE|WFI|ISB|BXJ|SUBS PC|HVC|SMC|UDF|TBB|SRS|RFE|coprocessor)/.test(name)) return STOP;
  return GENERIC;
}

/**
 * The instruction at halfword `slot` of a page whose words are `words`,
 * executing under ITSTATE `it`; null for a 32-bit instruction whose second
 * halfword is on the next page (the interpreter runs those).
 */
export function decodeThumbInsn(words: Int32Array, slot: number, it: number): ThumbInsn | null {
  const halfword = (s: number) => ((s & 1) === 0 ? words[s >>> 1] & 0xffff : words[s >>> 1] >>> 16);
  const hw = halfword(slot);
  const offset = slot * 2;
  const wide = hw >= 0xe800;
  if (wide && slot === 2047) return null;
  const raw = wide ? ((hw << 16) | halfword(slot + 1)) | 0 : hw;
  const tableName = wide ? thumb32Table.lookup(raw >>> 0)?.name ?? '' : thumb16Table.lookup(hw)?.name ?? '';
  const inIt = it !== 0;
  let f = wide ? form32(tableName, raw, offset) : form16(tableName, hw, offset, inIt);
  // In an IT block only the last instruction may branch (A8.3.1 and each page's InITBlock rules); otherwise leave it to the interpreter.
  if (inIt && (f.control === Control.Branch || f.control === Control.Indirect) && itAdvance(it) !== 0) f = STOP;
  // B T3 (its own condition) is UNPREDICTABLE in an IT block.
  if (inIt && tableName === 'B T3') f = STOP;
  // BKPT executes whatever the IT condition (A8.8.24); ITSTATE[7:4] = 1111 also means always.
  const itCond = it >>> 4;
  const cond = f.name === 'B' && !inIt && tableName.startsWith('B T1')
    ? (hw >>> 8) & 15
    : f.name === 'B' && tableName === 'B T3'
      ? (raw >>> 22) & 15
      : inIt && itCond < 14 && hw >>> 8 !== 0xbe ? itCond : 14;
  const handler = wide ? decodeThumb32(raw) : decodeThumb16(hw);
  return {
    slot,
    offset,
    size: wide ? 4 : 2,
    word: f.word,
    name: f.name,
    handler,
    raw,
    cond,
    it,
    imm: f.imm,
    immRotated: f.immRotated,
    pcAligned: f.pcAligned,
    test: f.test,
    rt2: f.rt2,
    link: f.name === 'BL (immediate)' || f.name === 'BLX (register)',
    control: f.control ?? Control.None,
    target: f.target ?? 0,
    itStart: f.itStart ?? 0,
  };
}
