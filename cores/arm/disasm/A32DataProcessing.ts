import type { Encoding } from '../decode/DecodeTable.ts';
import type { DisasmInstruction, Formatter } from './DisasmInstruction.ts';
import { armImmOperand, reg, SHIFT_NAMES, shiftedReg } from './OperandText.ts';

/**
 * A32 data-processing (ARM ARM A5.2.1 register, A5.2.2 register-shifted
 * register, A5.2.3 immediate, A5.2.4 modified immediate constants) and
 * MOVW/MOVT. Fields: c cond, S setflags, n Rn, d Rd, m Rm, s Rs, i immediate
 * or shift amount, t shift type.
 */

type Kind = 'binary' | 'test' | 'move';

/** The second operand of the three forms. */
function operand2(x: DisasmInstruction, form: 'imm' | 'reg' | 'rsr'): string {
  if (form === 'imm') return armImmOperand(x.f('i'));
  if (form === 'reg') return shiftedReg(x.f('m'), x.f('t'), x.f('i'));
  return `${reg(x.f('m'))}, ${SHIFT_NAMES[x.f('t')]} ${reg(x.f('s'))}`;
}

function format(name: string, kind: Kind, form: 'imm' | 'reg' | 'rsr'): Formatter {
  return (x) => {
    const s = kind !== 'test' && x.f('S') ? 's' : '';
    const op2 = operand2(x, form);
    if (kind === 'test') return `${name}${x.c} ${reg(x.f('n'))}, ${op2}`;
    if (kind === 'move') return `${name}${s}${x.c} ${reg(x.f('d'))}, ${op2}`;
    return `${name}${s}${x.c} ${reg(x.f('d'))}, ${reg(x.f('n'))}, ${op2}`;
  };
}

function forms(name: string, op: string, kind: Kind): Encoding<Formatter>[] {
  const s = kind === 'test' ? '1' : 'S';
  const n = kind === 'move' ? '(0)(0)(0)(0)' : 'nnnn';
  const d = kind === 'test' ? '(0)(0)(0)(0)' : 'dddd';
  return [
    { name: `${name} (immediate)`, pattern: `cccc 001${op}${s} ${n} ${d} iiii iiii iiii`, exec: format(name, kind, 'imm') },
    { name: `${name} (register)`, pattern: `cccc 000${op}${s} ${n} ${d} iiii itt0 mmmm`, exec: format(name, kind, 'reg') },
    { name: `${name} (register-shifted register)`, pattern: `cccc 000${op}${s} ${n} ${d} ssss 0tt1 mmmm`, exec: format(name, kind, 'rsr') },
  ];
}

/**
 * MOV (register) and the shifts it is the alias space of (A8.8.105 and
 * LSL/LSR/ASR/ROR/RRX): objdump names the shift as the instruction.
 */
const MOV_reg: Formatter = (x) => {
  if (x.word === 0xe1a00000) return 'nop'; // mov r0, r0: the A32 NOP before ARMv6K's hint
  const s = x.f('S') ? 's' : '';
  const t = x.f('t');
  const amount = x.f('i');
  const d = reg(x.f('d'));
  const m = reg(x.f('m'));
  if (t === 0 && amount === 0) return `mov${s}${x.c} ${d}, ${m}`;
  if (t === 3 && amount === 0) return `rrx${s}${x.c} ${d}, ${m}`;
  return `${SHIFT_NAMES[t]}${s}${x.c} ${d}, ${m}, #${amount === 0 ? 32 : amount}`;
};

const MOV_rsr: Formatter = (x) =>
  `${SHIFT_NAMES[x.f('t')]}${x.f('S') ? 's' : ''}${x.c} ${reg(x.f('d'))}, ${reg(x.f('m'))}, ${reg(x.f('s'))}`;

const MOVW: Formatter = (x) => `movw${x.c} ${reg(x.f('d'))}, #${x.f('i')}`;
const MOVT: Formatter = (x) => `movt${x.c} ${reg(x.f('d'))}, #${x.f('i')}`;

export const a32DataProcessing: Encoding<Formatter>[] = [
  ...forms('and', '0000', 'binary'),
  ...forms('eor', '0001', 'binary'),
  ...forms('sub', '0010', 'binary'),
  ...forms('rsb', '0011', 'binary'),
  ...forms('add', '0100', 'binary'),
  ...forms('adc', '0101', 'binary'),
  ...forms('sbc', '0110', 'binary'),
  ...forms('rsc', '0111', 'binary'),
  ...forms('tst', '1000', 'test'),
  ...forms('teq', '1001', 'test'),
  ...forms('cmp', '1010', 'test'),
  ...forms('cmn', '1011', 'test'),
  ...forms('orr', '1100', 'binary'),
  ...forms('bic', '1110', 'binary'),
  ...forms('mvn', '1111', 'move'),
  { name: 'MOV (immediate)', pattern: 'cccc 0011 101S (0)(0)(0)(0) dddd iiii iiii iiii', exec: format('mov', 'move', 'imm') },
  { name: 'MOV (register), LSL/LSR/ASR/ROR (immediate), RRX', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd iiii itt0 mmmm', exec: MOV_reg },
  { name: 'LSL/LSR/ASR/ROR (register)', pattern: 'cccc 0001 101S (0)(0)(0)(0) dddd ssss 0tt1 mmmm', exec: MOV_rsr },
  { name: 'MOVW', pattern: 'cccc 0011 0000 iiii dddd iiii iiii iiii', exec: MOVW },
  { name: 'MOVT', pattern: 'cccc 0011 0100 iiii dddd iiii iiii iiii', exec: MOVT },
];

