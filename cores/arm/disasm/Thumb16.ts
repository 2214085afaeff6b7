import type { Encoding } from '../decode/DecodeTable.ts';
import { itCondName, type DisasmInstruction, type Formatter } from './DisasmInstruction.ts';
import { cpsText, hintText } from './A32System.ts';
import { reg, regList, signExtend } from './OperandText.ts';

/**
 * 16-bit Thumb instructions (ARM ARM A6.2). Field letters: d Rd/Rdn,
 * D its top bit for high registers, n Rn, m Rm, t Rt, i immediate,
 * o opcode, c condition, r register list, L load, M lr/pc in the list.
 *
 * Outside an IT block most 16-bit data-processing instructions set the
 * flags (ADDS); inside one they do not and take the block's condition
 * (ADDEQ) (A6.2, "InITBlock()").
 */

const r = reg;
const s = (x: DisasmInstruction) => (x.inIt ? '' : 's');
/** "s" outside IT, the condition inside. */
const sc = (x: DisasmInstruction) => s(x) + x.c;

const SHIFT_imm: Formatter = (x) => {
  const op = x.f('o');
  const amount = x.f('i');
  if (op === 0 && amount === 0) return `mov${sc(x)} ${r(x.f('d'))}, ${r(x.f('m'))}`;
  const name = ['lsl', 'lsr', 'asr'][op];
  return `${name}${sc(x)} ${r(x.f('d'))}, ${r(x.f('m'))}, #${amount === 0 ? 32 : amount}`;
};

const ADD_SUB_reg: Formatter = (x) => `${x.f('o') ? 'sub' : 'add'}${sc(x)} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;
const ADD_SUB_imm3: Formatter = (x) => `${x.f('o') ? 'sub' : 'add'}${sc(x)} ${r(x.f('d'))}, ${r(x.f('n'))}, #${x.f('i')}`;

const IMM8: Formatter = (x) => {
  const op = x.f('o');
  const d = r(x.f('d'));
  const i = x.f('i');
  if (op === 1) return `cmp${x.c} ${d}, #${i}`;
  return `${['mov', '', 'add', 'sub'][op]}${sc(x)} ${d}, #${i}`;
};

/** Data processing (A6.2.2): two-operand forms; RSB #0 is shown as NEG, MUL with Rdm last. */
const DATA_PROCESSING: Formatter = (x) => {
  const op = x.f('o');
  const d = r(x.f('d'));
  const m = r(x.f('m'));
  const names = ['and', 'eor', 'lsl', 'lsr', 'asr', 'adc', 'sbc', 'ror', 'tst', 'neg', 'cmp', 'cmn', 'orr', 'mul', 'bic', 'mvn'];
  const name = names[op];
  if (op === 8 || op === 10 || op === 11) return `${name}${x.c} ${d}, ${m}`;
  return `${name}${sc(x)} ${d}, ${m}`;
};

const hiD = (x: DisasmInstruction) => r((x.f('D') << 3) | x.f('d'));
const ADD_hi: Formatter = (x) => `add${x.c} ${hiD(x)}, ${r(x.f('m'))}`;
const CMP_hi: Formatter = (x) => `cmp${x.c} ${hiD(x)}, ${r(x.f('m'))}`;
const MOV_hi: Formatter = (x) => `mov${x.c} ${hiD(x)}, ${r(x.f('m'))}`;
const BX_BLX: Formatter = (x) => `${x.f('L') ? 'blx' : 'bx'}${x.c} ${r(x.f('m'))}`;

/** LDR (literal): the literal's address is Align(PC, 4) + imm8 * 4 (A8.8.64). */
const LDR_literal: Formatter = (x) => {
  const offset = x.f('i') * 4;
  return `ldr${x.c} ${r(x.f('t'))}, [pc, #${offset}]${x.addressComment(((x.pc & ~3) + offset) >>> 0)}`;
};

const LOAD_STORE_reg: Formatter = (x) => {
  const names = ['str', 'strh', 'strb', 'ldrsb', 'ldr', 'ldrh', 'ldrb', 'ldrsh'];
  return `${names[x.f('o')]}${x.c} ${r(x.f('t'))}, [${r(x.f('n'))}, ${r(x.f('m'))}]`;
};

/** Immediate-offset loads and stores; objdump always shows the offset, even #0. */
function loadStoreImm(store: string, load: string, scale: number): Formatter {
  return (x) => `${x.f('L') ? load : store}${x.c} ${r(x.f('t'))}, [${r(x.f('n'))}, #${x.f('i') * scale}]`;
}

const LOAD_STORE_sp: Formatter = (x) => `${x.f('L') ? 'ldr' : 'str'}${x.c} ${r(x.f('t'))}, [sp, #${x.f('i') * 4}]`;

const ADR: Formatter = (x) => {
  const offset = x.f('i') * 4;
  const d = r(x.f('d'));
  const target = ((x.pc & ~3) + offset) >>> 0;
  return `add${x.c} ${d}, pc, #${offset}\t@ (adr ${d}, ${x.target(target)})`;
};
const ADD_sp_imm: Formatter = (x) => `add${x.c} ${r(x.f('d'))}, sp, #${x.f('i') * 4}`;
const ADJUST_sp: Formatter = (x) => `${x.f('o') ? 'sub' : 'add'}${x.c} sp, #${x.f('i') * 4}`;

/** CBZ/CBNZ (A8.8.29): forward only, target PC + i:imm5:'0'. */
const CBZ: Formatter = (x) => `${x.f('o') ? 'cbnz' : 'cbz'} ${r(x.f('n'))}, ${x.target(x.pc + x.f('i') * 2)}`;

const EXTEND: Formatter = (x) => `${['sxth', 'sxtb', 'uxth', 'uxtb'][x.f('o')]}${x.c} ${r(x.f('d'))}, ${r(x.f('m'))}`;
const PUSH: Formatter = (x) => `push${x.c} ${regList(x.f('r') | (x.f('M') << 14))}`;
const POP: Formatter = (x) => `pop${x.c} ${regList(x.f('r') | (x.f('M') << 15))}`;
const SETEND: Formatter = (x) => `setend ${x.f('E') ? 'be' : 'le'}`;
const CPS: Formatter = (x) => cpsText(x.f('o') ? 3 : 2, x.f('A'), x.f('I'), x.f('F'), 0, 0);
const REV: Formatter = (x) => {
  const name = ['rev', 'rev16', '', 'revsh'][x.f('o')];
  return name === '' ? '' : `${name}${x.c} ${r(x.f('d'))}, ${r(x.f('m'))}`;
};
const BKPT: Formatter = (x) => `bkpt 0x${x.f('i').toString(16).padStart(4, '0')}`;

/** IT (A8.8.54): each mask bit above the lowest set one adds t (same as firstcond[0]) or e. */
export function itText(firstcond: number, mask: number): string {
  let suffix = '';
  const low = mask & -mask;
  for (let bit = 8; bit > low; bit >>= 1) suffix += ((mask & bit) !== 0) === ((firstcond & 1) !== 0) ? 't' : 'e';
  return `it${suffix} ${itCondName(firstcond)}`;
}

const IT_HINT: Formatter = (x) => {
  const mask = x.f('m');
  if (mask !== 0) return itText(x.f('c'), mask);
  // With mask 0000 the encoding is a hint, numbered by the condition field.
  return hintText(x.f('c'), x.c, '', true);
};

const STM_LDM: Formatter = (x) => {
  const n = x.f('n');
  const list = x.f('r');
  if (x.f('L') === 0) return `stmia${x.c} ${r(n)}!, ${regList(list)}`;
  // LDM writes back unless the base is in the list (A8.8.58, T1).
  const wb = (list >>> n) & 1 ? '' : '!';
  return `ldmia${x.c} ${r(n)}${wb}, ${regList(list)}`;
};

const B_cond: Formatter = (x) => `b${itCondName(x.f('c'))}.n ${x.target(x.pc + signExtend(x.f('i') << 1, 9))}`;
const UDF: Formatter = (x) => `udf${x.c} #${x.f('i')}`;
const SVC: Formatter = (x) => `svc${x.c} ${x.f('i')}`;
const B: Formatter = (x) => `b${x.c}.n ${x.target(x.pc + signExtend(x.f('i') << 1, 12))}`;

export const thumb16: Encoding<Formatter>[] = [
  { name: 'LSL/LSR/ASR (immediate), MOVS (register)', pattern: '000o oiii iimm mddd', exec: SHIFT_imm, unless: ['0001 1--- ---- ----'] },
  { name: 'ADD/SUB (register)', pattern: '0001 10om mmnn nddd', exec: ADD_SUB_reg },
  { name: 'ADD/SUB (immediate, 3 bits)', pattern: '0001 11oi iinn nddd', exec: ADD_SUB_imm3 },
  { name: 'MOV/CMP/ADD/SUB (immediate, 8 bits)', pattern: '001o oddd iiii iiii', exec: IMM8 },
  { name: 'data processing', pattern: '0100 00oo oomm mddd', exec: DATA_PROCESSING },
  { name: 'ADD (register, high)', pattern: '0100 0100 Dmmm mddd', exec: ADD_hi },
  { name: 'CMP (register, high)', pattern: '0100 0101 Dmmm mddd', exec: CMP_hi },
  { name: 'MOV (register)', pattern: '0100 0110 Dmmm mddd', exec: MOV_hi },
  { name: 'BX/BLX (register)', pattern: '0100 0111 Lmmm m(0)(0)(0)', exec: BX_BLX },
  { name: 'LDR (literal)', pattern: '0100 1ttt iiii iiii', exec: LDR_literal },
  { name: 'load/store (register)', pattern: '0101 ooom mmnn nttt', exec: LOAD_STORE_reg },
  { name: 'STR/LDR (immediate)', pattern: '0110 Liii iinn nttt', exec: loadStoreImm('str', 'ldr', 4) },
  { name: 'STRB/LDRB (immediate)', pattern: '0111 Liii iinn nttt', exec: loadStoreImm('strb', 'ldrb', 1) },
  { name: 'STRH/LDRH (immediate)', pattern: '1000 Liii iinn nttt', exec: loadStoreImm('strh', 'ldrh', 2) },
  { name: 'STR/LDR (SP-relative)', pattern: '1001 Lttt iiii iiii', exec: LOAD_STORE_sp },
  { name: 'ADR', pattern: '1010 0ddd iiii iiii', exec: ADR },
  { name: 'ADD (SP plus immediate)', pattern: '1010 1ddd iiii iiii', exec: ADD_sp_imm },
  { name: 'ADD/SUB (SP plus immediate, to SP)', pattern: '1011 0000 oiii iiii', exec: ADJUST_sp },
  { name: 'CBZ/CBNZ', pattern: '1011 o0i1 iiii innn', exec: CBZ },
  { name: 'SXTH/SXTB/UXTH/UXTB', pattern: '1011 0010 oomm mddd', exec: EXTEND },
  { name: 'PUSH', pattern: '1011 010M rrrr rrrr', exec: PUSH },
  { name: 'SETEND', pattern: '1011 0110 0101 E(0)(0)(0)', exec: SETEND },
  { name: 'CPS', pattern: '1011 0110 011o (0)AIF', exec: CPS },
  { name: 'REV/REV16/REVSH', pattern: '1011 1010 oomm mddd', exec: REV },
  { name: 'POP', pattern: '1011 110M rrrr rrrr', exec: POP },
  { name: 'BKPT', pattern: '1011 1110 iiii iiii', exec: BKPT },
  { name: 'IT, hints', pattern: '1011 1111 cccc mmmm', exec: IT_HINT },
  { name: 'STM/LDM', pattern: '1100 Lnnn rrrr rrrr', exec: STM_LDM },
  { name: 'B (conditional)', pattern: '1101 cccc iiii iiii', exec: B_cond, unless: ['---- 111- ---- ----'] },
  { name: 'UDF', pattern: '1101 1110 iiii iiii', exec: UDF },
  { name: 'SVC', pattern: '1101 1111 iiii iiii', exec: SVC },
  { name: 'B', pattern: '1110 0iii iiii iiii', exec: B },
];
