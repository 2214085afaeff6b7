import type { Encoding } from '../decode/DecodeTable.ts';
import type { DisasmInstruction, Formatter } from './DisasmInstruction.ts';
import { immShift, reg, regList, bitCount, signedOffset } from './OperandText.ts';

/**
 * A32 loads and stores: word and unsigned byte (A5.3), halfword, signed
 * byte and doubleword ("extra load/store", A5.2.8), and load/store multiple
 * (A5.5). Fields: P index, U add, W writeback (with P = 0 it selects the
 * unprivileged T forms), B byte, L load, n Rn, t Rt, m Rm, i offset or shift
 * amount, y shift type, r register list, S user registers / exception return.
 */

/** Address operand of an immediate-offset form; a PC base adds the literal's address as a comment. */
export function immAddress(x: DisasmInstruction, n: number, offset: number, writeback = x.f('W') === 1): string {
  const p = x.f('P');
  const u = x.f('U');
  if (p === 0) return `[${reg(n)}], ${signedOffset(u, offset)}${n === 15 ? x.addressComment(x.pc) : ''}`;
  const body = offset === 0 && u === 1 && !writeback ? `[${reg(n)}]` : `[${reg(n)}, ${signedOffset(u, offset)}]`;
  const wb = writeback ? '!' : '';
  if (n === 15) return body + wb + x.addressComment(u ? x.pc + offset : x.pc - offset);
  return body + wb;
}

/** Address operand of a register-offset form, with an optional immediate shift of Rm. */
function regAddress(x: DisasmInstruction, shift: string): string {
  const n = reg(x.f('n'));
  const m = (x.f('U') ? '' : '-') + reg(x.f('m')) + shift;
  if (x.f('P') === 0) return `[${n}], ${m}`;
  return `[${n}, ${m}]${x.f('W') ? '!' : ''}`;
}

/** ldr/str + b + t (unprivileged when P = 0 and W = 1). */
function wordByteName(x: DisasmInstruction): string {
  return (x.f('L') ? 'ldr' : 'str') + (x.f('B') ? 'b' : '') + (x.f('P') === 0 && x.f('W') ? 't' : '');
}

/**
 * objdump shows the one-register push and pop that compilers emit as
 * STR Rt, [SP, #-4]! and LDR Rt, [SP], #4 as PUSH/POP (A8.8.133, A8.8.131).
 */
const WORD_BYTE_imm: Formatter = (x) => {
  const t = x.f('t');
  if (x.f('n') === 13 && x.f('i') === 4 && x.f('B') === 0) {
    if (x.f('L') === 0 && x.f('P') === 1 && x.f('U') === 0 && x.f('W') === 1) return `push${x.c} {${reg(t)}}`;
    if (x.f('L') === 1 && x.f('P') === 0 && x.f('U') === 1 && x.f('W') === 0) return `pop${x.c} {${reg(t)}}`;
  }
  return `${wordByteName(x)}${x.c} ${reg(t)}, ${immAddress(x, x.f('n'), x.f('i'))}`;
};

const WORD_BYTE_reg: Formatter = (x) =>
  `${wordByteName(x)}${x.c} ${reg(x.f('t'))}, ${regAddress(x, immShift(x.f('y'), x.f('i')))}`;

/** Extra loads/stores: the name and whether it takes a register pair. */
function extra(name: string): { imm: Formatter; reg: Formatter } {
  const full = (x: DisasmInstruction) => name + (x.f('P') === 0 && x.f('W') && !name.endsWith('d') ? 't' : '');
  return {
    // objdump shows a PC base of these forms as a literal, without the (UNPREDICTABLE) writeback.
    imm: (x) => `${full(x)}${x.c} ${reg(x.f('t'))}, ${immAddress(x, x.f('n'), x.f('i'), x.f('W') === 1 && x.f('n') !== 15)}`,
    reg: (x) => `${full(x)}${x.c} ${reg(x.f('t'))}, ${regAddress(x, '')}`,
  };
}

function extraForms(name: string, l: string, op2: string): Encoding<Formatter>[] {
  const f = extra(name);
  return [
    { name: `${name.toUpperCase()} (immediate)`, pattern: `cccc 000P U1W${l} nnnn tttt iiii 1${op2}1 iiii`, exec: f.imm },
    { name: `${name.toUpperCase()} (register)`, pattern: `cccc 000P U0W${l} nnnn tttt (0)(0)(0)(0) 1${op2}1 mmmm`, exec: f.reg },
  ];
}

const MODES = ['da', '', 'db', 'ib'];

/** LDM/STM and their PUSH/POP aliases (A8.8.57-64, A8.8.131-133, B9.3.5-6). */
const LOAD_STORE_MULTIPLE: Formatter = (x) => {
  const load = x.f('L');
  const mode = x.f('P') * 2 + x.f('U');
  const n = x.f('n');
  const w = x.f('W');
  const list = regList(x.f('r')) + (x.f('S') ? '^' : '');
  if (n === 13 && w && !x.f('S')) {
    const one = bitCount(x.f('r')) === 1;
    if (!load && mode === 2) return one ? `stmfd${x.c} sp!, ${list}` : `push${x.c} ${list}`;
    if (load && mode === 1) return one ? `ldmfd${x.c} sp!, ${list}` : `pop${x.c} ${list}`;
  }
  // objdump writes STM (increment after) as plain "stm" only without writeback and ^.
  const name = (load ? 'ldm' : 'stm') + (!load && mode === 1 && (w || x.f('S')) ? 'ia' : MODES[mode]);
  return `${name}${x.c} ${reg(n)}${w ? '!' : ''}, ${list}`;
};

export const a32LoadStore: Encoding<Formatter>[] = [
  { name: 'LDR/STR/LDRB/STRB (T) (immediate)', pattern: 'cccc 010P UBWL nnnn tttt iiii iiii iiii', exec: WORD_BYTE_imm },
  { name: 'LDR/STR/LDRB/STRB (T) (register)', pattern: 'cccc 011P UBWL nnnn tttt iiii iyy0 mmmm', exec: WORD_BYTE_reg },
  ...extraForms('strh', '0', '01'),
  ...extraForms('ldrh', '1', '01'),
  ...extraForms('ldrd', '0', '10'),
  ...extraForms('ldrsb', '1', '10'),
  ...extraForms('strd', '0', '11'),
  ...extraForms('ldrsh', '1', '11'),
  { name: 'LDM/STM (all modes, user registers, exception return)', pattern: 'cccc 100P USWL nnnn rrrr rrrr rrrr rrrr', exec: LOAD_STORE_MULTIPLE },
];
