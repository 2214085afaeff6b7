import type { Encoding } from '../decode/DecodeTable.ts';
import type { DisasmInstruction, Formatter } from './DisasmInstruction.ts';
import { reg, SHIFT_NAMES, shiftedReg, thumbExpandImm } from './OperandText.ts';

/**
 * 32-bit Thumb data processing (ARM ARM A6.3.1 modified immediate, A6.3.3
 * plain binary immediate, A6.3.11 shifted register, A6.3.12-15 register,
 * A6.3.16-17 multiplies and divide). Patterns are hw1 then hw2. Fields:
 * S setflags, n Rn, d Rd, m Rm, a Ra, i immediate bits (concatenated in
 * the manual's order), k imm4 of MOVW/MOVT, t shift type, r rotation.
 *
 * objdump adds ".w" to the 32-bit forms of instructions that also have a
 * 16-bit encoding, and places it after the condition (addeq.w).
 */

const r = reg;

/** The operations of A6.3.1/A6.3.11 by op: name, whether objdump writes .w, and the alias when Rd or Rn is PC. */
interface Op {
  code: string;
  name: string;
  wide: boolean;
  /** With Rd = 1111 and S: the compare form (TST, TEQ, CMN, CMP). */
  test?: { name: string; wide: boolean };
  /** With Rn = 1111: the move form (MOV, MVN). */
  move?: { name: string; wide: boolean };
}

const OPS: Op[] = [
  { code: '0000', name: 'and', wide: true, test: { name: 'tst', wide: true } },
  { code: '0001', name: 'bic', wide: true },
  { code: '0010', name: 'orr', wide: true, move: { name: 'mov', wide: true } },
  { code: '0011', name: 'orn', wide: false, move: { name: 'mvn', wide: true } },
  { code: '0100', name: 'eor', wide: true, test: { name: 'teq', wide: false } },
  { code: '1000', name: 'add', wide: true, test: { name: 'cmn', wide: true } },
  { code: '1010', name: 'adc', wide: true },
  { code: '1011', name: 'sbc', wide: true },
  { code: '1101', name: 'sub', wide: true, test: { name: 'cmp', wide: true } },
  { code: '1110', name: 'rsb', wide: false },
];

const w = (wide: boolean) => (wide ? '.w' : '');

function dataProcessing(op: Op, operand2: (x: DisasmInstruction) => string): Formatter {
  return (x) => {
    const setflags = x.f('S');
    const d = x.f('d');
    const n = x.f('n');
    if (op.test && d === 15 && setflags) return `${op.test.name}${x.c}${w(op.test.wide)} ${r(n)}, ${operand2(x)}`;
    const s = setflags ? 's' : '';
    if (op.move && n === 15) return `${op.move.name}${s}${x.c}${w(op.move.wide)} ${r(d)}, ${operand2(x)}`;
    return `${op.name}${s}${x.c}${w(op.wide)} ${r(d)}, ${r(n)}, ${operand2(x)}`;
  };
}

const shiftedOperand = (x: DisasmInstruction) => shiftedReg(x.f('m'), x.f('t'), x.f('i'));
const immediateOperand = (x: DisasmInstruction) => `#${thumbExpandImm(x.f('i'))}`;

const PKH: Formatter = (x) => {
  const tb = x.f('T');
  const amount = x.f('i');
  const shift = tb ? `, asr #${amount === 0 ? 32 : amount}` : amount === 0 ? '' : `, lsl #${amount}`;
  return `pkh${tb ? 'tb' : 'bt'}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}${shift}`;
};

const ADDW_SUBW = (name: string): Formatter => (x) => `${name}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, #${x.f('i')}`;
const MOVW_MOVT = (name: string): Formatter => (x) => `${name}${x.c} ${r(x.f('d'))}, #${(x.f('k') << 12) | x.f('i')}`;

/** SSAT/USAT (A8.8.160, A8.8.248); sh = 1 with a zero amount is the 16-bit-lane form. */
function saturate(name: string, plusOne: number): Formatter {
  return (x) => {
    const amount = x.f('i');
    const sat = x.f('s') + plusOne;
    if (x.f('h') && amount === 0) return `${name}16${x.c} ${r(x.f('d'))}, #${sat}, ${r(x.f('n'))}`;
    const shift = x.f('h') ? `, asr #${amount}` : amount === 0 ? '' : `, lsl #${amount}`;
    return `${name}${x.c} ${r(x.f('d'))}, #${sat}, ${r(x.f('n'))}${shift}`;
  };
}

const BFX = (name: string): Formatter => (x) => `${name}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, #${x.f('i')}, #${x.f('w') + 1}`;
const BFI_BFC: Formatter = (x) => {
  const lsb = x.f('i');
  const msb = x.f('w');
  // msb < lsb is UNPREDICTABLE (A8.8.19); objdump shows the two fields as they are.
  if (msb < lsb) return `${x.f('n') === 15 ? 'bfc' : 'bfi'}${x.c} ${r(x.f('d'))}, ${x.f('n') === 15 ? '' : `${r(x.f('n'))}, `}(invalid: ${lsb}:${msb})`;
  const width = msb - lsb + 1;
  if (x.f('n') === 15) return `bfc${x.c} ${r(x.f('d'))}, #${lsb}, #${width}`;
  return `bfi${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, #${lsb}, #${width}`;
};

const SHIFT_reg: Formatter = (x) =>
  `${SHIFT_NAMES[x.f('t')]}${x.f('S') ? 's' : ''}${x.c}.w ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;

/** Extends (A6.3.12 op1 0xxx with op2 1xxx): plain when Rn = 1111, the 8/16-bit ones with .w. */
function extend(name: string, wide: boolean): Formatter {
  return (x) => {
    const rotation = x.f('r') * 8;
    const rot = rotation === 0 ? '' : `, ror #${rotation}`;
    const n = x.f('n');
    if (n === 15) return `${name}${x.c}${w(wide)} ${r(x.f('d'))}, ${r(x.f('m'))}${rot}`;
    return `${name.replace('xt', 'xta')}${x.c} ${r(x.f('d'))}, ${r(n)}, ${r(x.f('m'))}${rot}`;
  };
}

const PARALLEL_OPS: Record<string, string> = { '001': 'add16', '010': 'asx', '110': 'sax', '101': 'sub16', '000': 'add8', '100': 'sub8' };
const PARALLEL_PREFIXES: Record<string, string> = { '000': 's', '001': 'q', '010': 'sh', '100': 'u', '101': 'uq', '110': 'uh' };

function parallelForms(): Encoding<Formatter>[] {
  const forms: Encoding<Formatter>[] = [];
  for (const [op, opName] of Object.entries(PARALLEL_OPS)) {
    for (const [prefixCode, prefix] of Object.entries(PARALLEL_PREFIXES)) {
      forms.push({
        name: `${prefix.toUpperCase()}${opName.toUpperCase()}`,
        pattern: `1111 1010 1${op} nnnn 1111 dddd 0${prefixCode} mmmm`,
        exec: (x) => `${prefix}${opName}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`,
      });
    }
  }
  return forms;
}

/** QADD and friends take Rd, Rm, Rn (A8.8.134). */
const SATURATING = (name: string): Formatter => (x) => `${name}${x.c} ${r(x.f('d'))}, ${r(x.f('m'))}, ${r(x.f('n'))}`;
const UNARY = (name: string, wide = false): Formatter => (x) => `${name}${x.c}${w(wide)} ${r(x.f('d'))}, ${r(x.f('m'))}`;
const SEL: Formatter = (x) => `sel${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;

// --- multiplies --------------------------------------------------------------------------------

const bt = (bit: number) => (bit ? 't' : 'b');
const three = (x: DisasmInstruction) => `${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;
const four = (x: DisasmInstruction) => `${three(x)}, ${r(x.f('a'))}`;
const long = (x: DisasmInstruction) => `${r(x.f('l'))}, ${r(x.f('h'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;

/** Ra = 1111 selects the non-accumulating name. */
function accumulateOrNot(acc: (x: DisasmInstruction) => string, plain: (x: DisasmInstruction) => string): Formatter {
  return (x) => (x.f('a') === 15 ? `${plain(x)}${x.c} ${three(x)}` : `${acc(x)}${x.c} ${four(x)}`);
}

const MUL_MLA: Formatter = (x) => (x.f('a') === 15 ? `mul${x.c}.w ${three(x)}` : `mla${x.c} ${four(x)}`);
const MLS: Formatter = (x) => `mls${x.c} ${four(x)}`;
const LONG = (name: string): Formatter => (x) => `${name}${x.c} ${long(x)}`;
const DIV = (name: string): Formatter => (x) => `${name}${x.c} ${three(x)}`;
const SMMLS: Formatter = (x) => `smmls${x.f('X') ? 'r' : ''}${x.c} ${four(x)}`;

export const thumb32DataProcessing: Encoding<Formatter>[] = [
  ...OPS.map((op) => ({
    name: `${op.name.toUpperCase()} (register)`,
    pattern: `1110 101${op.code}S nnnn (0)iii dddd iitt mmmm`,
    exec: dataProcessing(op, shiftedOperand),
  })),
  { name: 'PKHBT/PKHTB', pattern: '1110 1010 1100 nnnn (0)iii dddd iiT0 mmmm', exec: PKH },
  ...OPS.map((op) => ({
    name: `${op.name.toUpperCase()} (immediate)`,
    pattern: `1111 0i0${op.code}S nnnn 0iii dddd iiii iiii`,
    exec: dataProcessing(op, immediateOperand),
  })),
  { name: 'ADDW (ADD immediate T4, ADR T3)', pattern: '1111 0i10 0000 nnnn 0iii dddd iiii iiii', exec: ADDW_SUBW('addw') },
  { name: 'MOVW', pattern: '1111 0i10 0100 kkkk 0iii dddd iiii iiii', exec: MOVW_MOVT('movw') },
  { name: 'SUBW (SUB immediate T4, ADR T2)', pattern: '1111 0i10 1010 nnnn 0iii dddd iiii iiii', exec: ADDW_SUBW('subw') },
  { name: 'MOVT', pattern: '1111 0i10 1100 kkkk 0iii dddd iiii iiii', exec: MOVW_MOVT('movt') },
  { name: 'SSAT/SSAT16', pattern: '1111 0(0)11 00h0 nnnn 0iii dddd ii(0)s ssss', exec: saturate('ssat', 1) },
  { name: 'SBFX', pattern: '1111 0(0)11 0100 nnnn 0iii dddd ii(0)w wwww', exec: BFX('sbfx') },
  { name: 'BFI/BFC', pattern: '1111 0(0)11 0110 nnnn 0iii dddd ii(0)w wwww', exec: BFI_BFC },
  { name: 'USAT/USAT16', pattern: '1111 0(0)11 10h0 nnnn 0iii dddd ii(0)s ssss', exec: saturate('usat', 0) },
  { name: 'UBFX', pattern: '1111 0(0)11 1100 nnnn 0iii dddd ii(0)w wwww', exec: BFX('ubfx') },
  { name: 'LSL/LSR/ASR/ROR (register)', pattern: '1111 1010 0ttS nnnn 1111 dddd 0000 mmmm', exec: SHIFT_reg },
  { name: 'SXTAH/SXTH', pattern: '1111 1010 0000 nnnn 1111 dddd 1(0)rr mmmm', exec: extend('sxth', true) },
  { name: 'UXTAH/UXTH', pattern: '1111 1010 0001 nnnn 1111 dddd 1(0)rr mmmm', exec: extend('uxth', true) },
  { name: 'SXTAB16/SXTB16', pattern: '1111 1010 0010 nnnn 1111 dddd 1(0)rr mmmm', exec: extend('sxtb16', false) },
  { name: 'UXTAB16/UXTB16', pattern: '1111 1010 0011 nnnn 1111 dddd 1(0)rr mmmm', exec: extend('uxtb16', false) },
  { name: 'SXTAB/SXTB', pattern: '1111 1010 0100 nnnn 1111 dddd 1(0)rr mmmm', exec: extend('sxtb', true) },
  { name: 'UXTAB/UXTB', pattern: '1111 1010 0101 nnnn 1111 dddd 1(0)rr mmmm', exec: extend('uxtb', true) },
  ...parallelForms(),
  { name: 'QADD', pattern: '1111 1010 1000 nnnn 1111 dddd 1000 mmmm', exec: SATURATING('qadd') },
  { name: 'QDADD', pattern: '1111 1010 1000 nnnn 1111 dddd 1001 mmmm', exec: SATURATING('qdadd') },
  { name: 'QSUB', pattern: '1111 1010 1000 nnnn 1111 dddd 1010 mmmm', exec: SATURATING('qsub') },
  { name: 'QDSUB', pattern: '1111 1010 1000 nnnn 1111 dddd 1011 mmmm', exec: SATURATING('qdsub') },
  { name: 'REV', pattern: '1111 1010 1001 nnnn 1111 dddd 1000 mmmm', exec: UNARY('rev', true) },
  { name: 'REV16', pattern: '1111 1010 1001 nnnn 1111 dddd 1001 mmmm', exec: UNARY('rev16', true) },
  { name: 'RBIT', pattern: '1111 1010 1001 nnnn 1111 dddd 1010 mmmm', exec: UNARY('rbit') },
  { name: 'REVSH', pattern: '1111 1010 1001 nnnn 1111 dddd 1011 mmmm', exec: UNARY('revsh', true) },
  { name: 'SEL', pattern: '1111 1010 1010 nnnn 1111 dddd 1000 mmmm', exec: SEL },
  { name: 'CLZ', pattern: '1111 1010 1011 nnnn 1111 dddd 1000 mmmm', exec: UNARY('clz') },
  { name: 'MLA/MUL', pattern: '1111 1011 0000 nnnn aaaa dddd 0000 mmmm', exec: MUL_MLA },
  { name: 'MLS', pattern: '1111 1011 0000 nnnn aaaa dddd 0001 mmmm', exec: MLS },
  { name: 'SMLA<x><y>/SMUL<x><y>', pattern: '1111 1011 0001 nnnn aaaa dddd 00xy mmmm', exec: accumulateOrNot((x) => `smla${bt(x.f('x'))}${bt(x.f('y'))}`, (x) => `smul${bt(x.f('x'))}${bt(x.f('y'))}`) },
  { name: 'SMLAD/SMUAD', pattern: '1111 1011 0010 nnnn aaaa dddd 000X mmmm', exec: accumulateOrNot((x) => `smlad${x.f('X') ? 'x' : ''}`, (x) => `smuad${x.f('X') ? 'x' : ''}`) },
  { name: 'SMLAW<y>/SMULW<y>', pattern: '1111 1011 0011 nnnn aaaa dddd 000y mmmm', exec: accumulateOrNot((x) => `smlaw${bt(x.f('y'))}`, (x) => `smulw${bt(x.f('y'))}`) },
  { name: 'SMLSD/SMUSD', pattern: '1111 1011 0100 nnnn aaaa dddd 000X mmmm', exec: accumulateOrNot((x) => `smlsd${x.f('X') ? 'x' : ''}`, (x) => `smusd${x.f('X') ? 'x' : ''}`) },
  { name: 'SMMLA/SMMUL', pattern: '1111 1011 0101 nnnn aaaa dddd 000X mmmm', exec: accumulateOrNot((x) => `smmla${x.f('X') ? 'r' : ''}`, (x) => `smmul${x.f('X') ? 'r' : ''}`) },
  { name: 'SMMLS', pattern: '1111 1011 0110 nnnn aaaa dddd 000X mmmm', exec: SMMLS },
  { name: 'USADA8/USAD8', pattern: '1111 1011 0111 nnnn aaaa dddd 0000 mmmm', exec: accumulateOrNot(() => 'usada8', () => 'usad8') },
  { name: 'SMULL', pattern: '1111 1011 1000 nnnn llll hhhh 0000 mmmm', exec: LONG('smull') },
  { name: 'SDIV', pattern: '1111 1011 1001 nnnn (1)(1)(1)(1) dddd 1111 mmmm', exec: DIV('sdiv') },
  { name: 'UMULL', pattern: '1111 1011 1010 nnnn llll hhhh 0000 mmmm', exec: LONG('umull') },
  { name: 'UDIV', pattern: '1111 1011 1011 nnnn (1)(1)(1)(1) dddd 1111 mmmm', exec: DIV('udiv') },
  { name: 'SMLAL', pattern: '1111 1011 1100 nnnn llll hhhh 0000 mmmm', exec: LONG('smlal') },
  { name: 'SMLAL<x><y>', pattern: '1111 1011 1100 nnnn llll hhhh 10xy mmmm', exec: (x) => `smlal${bt(x.f('x'))}${bt(x.f('y'))}${x.c} ${long(x)}` },
  { name: 'SMLALD', pattern: '1111 1011 1100 nnnn llll hhhh 110X mmmm', exec: (x) => `smlald${x.f('X') ? 'x' : ''}${x.c} ${long(x)}` },
  { name: 'SMLSLD', pattern: '1111 1011 1101 nnnn llll hhhh 110X mmmm', exec: (x) => `smlsld${x.f('X') ? 'x' : ''}${x.c} ${long(x)}` },
  { name: 'UMLAL', pattern: '1111 1011 1110 nnnn llll hhhh 0000 mmmm', exec: LONG('umlal') },
  { name: 'UMAAL', pattern: '1111 1011 1110 nnnn llll hhhh 0110 mmmm', exec: LONG('umaal') },
];
