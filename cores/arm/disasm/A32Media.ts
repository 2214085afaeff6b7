import type { Encoding } from '../decode/DecodeTable.ts';
import type { Formatter } from './DisasmInstruction.ts';
import { reg } from './OperandText.ts';

/**
 * A32 media instructions (A5.4): parallel add/subtract, packing, unpacking
 * (extend), saturation, reversal, SEL and bit-field operations. Fields:
 * n Rn, d Rd, m Rm, i immediate, t shift/type bit, r rotation, s saturate
 * position, w width-1 or msb, l lsb.
 */

const r = reg;

/** Parallel add/subtract (A5.4.1, A5.4.2): prefix by op1, operation by op2. */
function parallel(prefix: string, op: string, name: string): Encoding<Formatter> {
  const p = { s: '001', q: '010', sh: '011', u: '101', uq: '110', uh: '111' }[prefix]!;
  return {
    name: `${prefix.toUpperCase()}${name.toUpperCase()}`,
    pattern: `cccc 0110 0${p} nnnn dddd (1)(1)(1)(1) ${op}1 mmmm`,
    exec: (x) => `${prefix}${name}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`,
  };
}

const PARALLEL_OPS: [string, string][] = [['000', 'add16'], ['001', 'asx'], ['010', 'sax'], ['011', 'sub16'], ['100', 'add8'], ['111', 'sub8']];

const PKH: Formatter = (x) => {
  const tb = x.f('t');
  const amount = x.f('i');
  const shift = tb ? `, asr #${amount === 0 ? 32 : amount}` : amount === 0 ? '' : `, lsl #${amount}`;
  return `pkh${tb ? 'tb' : 'bt'}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}${shift}`;
};

/** SSAT/USAT (A8.8.160, A8.8.248): saturate to bit position; the shift is LSL or ASR imm. */
function saturate(name: string, plusOne: number): Formatter {
  return (x) => {
    const amount = x.f('i');
    const shift = x.f('t') ? `, asr #${amount}` : amount === 0 ? '' : `, lsl #${amount}`;
    return `${name}${x.c} ${r(x.f('d'))}, #${x.f('s') + plusOne}, ${r(x.f('n'))}${shift}`;
  };
}

function saturate16(name: string, plusOne: number): Formatter {
  return (x) => `${name}${x.c} ${r(x.f('d'))}, #${x.f('s') + plusOne}, ${r(x.f('n'))}`;
}

/** Extend and extend-and-add (A8.8.181-186, 264-269); Rn = 1111 is the plain extend. */
function extend(name: string): Formatter {
  return (x) => {
    const rotation = x.f('r') * 8;
    const n = x.f('n');
    // objdump's one upper-case spelling: UXTAB16 with a rotation of 24.
    const ror = name === 'uxtb16' && n !== 15 && rotation === 24 ? 'ROR' : 'ror';
    const rot = rotation === 0 ? '' : `, ${ror} #${rotation}`;
    if (n === 15) return `${name}${x.c} ${r(x.f('d'))}, ${r(x.f('m'))}${rot}`;
    return `${name.replace('xt', 'xta')}${x.c} ${r(x.f('d'))}, ${r(n)}, ${r(x.f('m'))}${rot}`;
  };
}

const unary = (name: string): Formatter => (x) => `${name}${x.c} ${r(x.f('d'))}, ${r(x.f('m'))}`;

const SEL: Formatter = (x) => `sel${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;
const BFX = (name: string): Formatter => (x) => `${name}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, #${x.f('l')}, #${x.f('w') + 1}`;
const BFC_BFI: Formatter = (x) => {
  const lsb = x.f('l');
  const msb = x.f('w');
  // msb < lsb is UNPREDICTABLE (A8.8.19); objdump shows the two fields as they are.
  if (msb < lsb) return `${x.f('n') === 15 ? 'bfc' : 'bfi'}${x.c} ${r(x.f('d'))}, ${x.f('n') === 15 ? '' : `${r(x.f('n'))}, `}(invalid: ${lsb}:${msb})`;
  const width = msb - lsb + 1;
  const n = x.f('n');
  if (n === 15) return `bfc${x.c} ${r(x.f('d'))}, #${lsb}, #${width}`;
  return `bfi${x.c} ${r(x.f('d'))}, ${r(n)}, #${lsb}, #${width}`;
};

export const a32Media: Encoding<Formatter>[] = [
  ...['s', 'q', 'sh', 'u', 'uq', 'uh'].flatMap((prefix) => PARALLEL_OPS.map(([op, name]) => parallel(prefix, op, name))),
  { name: 'PKHBT/PKHTB', pattern: 'cccc 0110 1000 nnnn dddd iiii it01 mmmm', exec: PKH },
  { name: 'SSAT', pattern: 'cccc 0110 101s ssss dddd iiii it01 nnnn', exec: saturate('ssat', 1) },
  { name: 'USAT', pattern: 'cccc 0110 111s ssss dddd iiii it01 nnnn', exec: saturate('usat', 0) },
  { name: 'SSAT16', pattern: 'cccc 0110 1010 ssss dddd (1)(1)(1)(1) 0011 nnnn', exec: saturate16('ssat16', 1) },
  { name: 'USAT16', pattern: 'cccc 0110 1110 ssss dddd (1)(1)(1)(1) 0011 nnnn', exec: saturate16('usat16', 0) },
  { name: 'SXTAB16/SXTB16', pattern: 'cccc 0110 1000 nnnn dddd rr(0)(0) 0111 mmmm', exec: extend('sxtb16') },
  { name: 'SXTAB/SXTB', pattern: 'cccc 0110 1010 nnnn dddd rr(0)(0) 0111 mmmm', exec: extend('sxtb') },
  { name: 'SXTAH/SXTH', pattern: 'cccc 0110 1011 nnnn dddd rr(0)(0) 0111 mmmm', exec: extend('sxth') },
  { name: 'UXTAB16/UXTB16', pattern: 'cccc 0110 1100 nnnn dddd rr(0)(0) 0111 mmmm', exec: extend('uxtb16') },
  { name: 'UXTAB/UXTB', pattern: 'cccc 0110 1110 nnnn dddd rr(0)(0) 0111 mmmm', exec: extend('uxtb') },
  { name: 'UXTAH/UXTH', pattern: 'cccc 0110 1111 nnnn dddd rr(0)(0) 0111 mmmm', exec: extend('uxth') },
  { name: 'SEL', pattern: 'cccc 0110 1000 nnnn dddd (1)(1)(1)(1) 1011 mmmm', exec: SEL },
  { name: 'REV', pattern: 'cccc 0110 1011 (1)(1)(1)(1) dddd (1)(1)(1)(1) 0011 mmmm', exec: unary('rev') },
  { name: 'REV16', pattern: 'cccc 0110 1011 (1)(1)(1)(1) dddd (1)(1)(1)(1) 1011 mmmm', exec: unary('rev16') },
  { name: 'RBIT', pattern: 'cccc 0110 1111 (1)(1)(1)(1) dddd (1)(1)(1)(1) 0011 mmmm', exec: unary('rbit') },
  { name: 'REVSH', pattern: 'cccc 0110 1111 (1)(1)(1)(1) dddd (1)(1)(1)(1) 1011 mmmm', exec: unary('revsh') },
  { name: 'SBFX', pattern: 'cccc 0111 101w wwww dddd llll l101 nnnn', exec: BFX('sbfx') },
  { name: 'UBFX', pattern: 'cccc 0111 111w wwww dddd llll l101 nnnn', exec: BFX('ubfx') },
  { name: 'BFC/BFI', pattern: 'cccc 0111 110w wwww dddd llll l001 nnnn', exec: BFC_BFI },
];
