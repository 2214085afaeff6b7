import type { Encoding } from '../decode/DecodeTable.ts';
import type { DisasmInstruction, Formatter } from './DisasmInstruction.ts';
import { dreg, sreg } from './VfpTransfers.ts';

/**
 * VFP data-processing instructions (ARM ARM A7.5), shared by A32 ('cccc')
 * and Thumb ('1110'). Fields: D/N/M the extra bit of a register number,
 * d/n/m its four-bit part, s double precision (sz), o the op bit (bit 6),
 * E/T/U/x the bit-7 and bit-16 options of compares and conversions,
 * i immediates.
 */

type Reg = 'd' | 'n' | 'm';
const EXTRA: Record<Reg, string> = { d: 'D', n: 'N', m: 'M' };

/** Register of field `r` in the precision `double`. */
function fp(x: DisasmInstruction, r: Reg, double: boolean): string {
  return double ? dreg(x.f(r), x.f(EXTRA[r])) : sreg(x.f(r), x.f(EXTRA[r]));
}

const size = (x: DisasmInstruction) => (x.f('s') ? 'f64' : 'f32');

/** Three-register arithmetic: the pair of names selected by op (bit 6). */
function threeRegister(op0: string, op1: string): Formatter {
  return (x) => {
    const dbl = x.f('s') === 1;
    return `${x.opt('o') ? op1 : op0}${x.c}.${size(x)} ${fp(x, 'd', dbl)}, ${fp(x, 'n', dbl)}, ${fp(x, 'm', dbl)}`;
  };
}

function twoRegister(name: string): Formatter {
  return (x) => {
    const dbl = x.f('s') === 1;
    return `${name}${x.c}.${size(x)} ${fp(x, 'd', dbl)}, ${fp(x, 'm', dbl)}`;
  };
}

/** VMOV (immediate) (A8.8.339): objdump shows the raw imm8 (the float is only in its comment). */
const VMOV_imm: Formatter = (x) => `vmov${x.c}.${size(x)} ${fp(x, 'd', x.f('s') === 1)}, #${x.f('i')}`;

const VCMP: Formatter = (x) => {
  const dbl = x.f('s') === 1;
  return `vcmp${x.f('E') ? 'e' : ''}${x.c}.${size(x)} ${fp(x, 'd', dbl)}, ${fp(x, 'm', dbl)}`;
};
const VCMP_zero: Formatter = (x) => `vcmp${x.f('E') ? 'e' : ''}${x.c}.${size(x)} ${fp(x, 'd', x.f('s') === 1)}, #0.0`;

/** VCVT between half and single precision (A8.8.307): bit 16 picks the direction, T the top half. */
const VCVT_half: Formatter = (x) => {
  const types = x.f('U') ? 'f16.f32' : 'f32.f16';
  return `vcvt${x.f('T') ? 't' : 'b'}${x.c}.${types} ${fp(x, 'd', false)}, ${fp(x, 'm', false)}`;
};

/** VCVT between double and single precision (A8.8.306). */
const VCVT_double_single: Formatter = (x) => {
  const dbl = x.f('s') === 1;
  return `vcvt${x.c}.${dbl ? 'f32.f64' : 'f64.f32'} ${fp(x, 'd', !dbl)}, ${fp(x, 'm', dbl)}`;
};

/** VCVT from integer (A8.8.305): the source is always a single-precision register. */
const VCVT_from_int: Formatter = (x) => {
  const dbl = x.f('s') === 1;
  return `vcvt${x.c}.${size(x)}.${x.f('E') ? 's32' : 'u32'} ${fp(x, 'd', dbl)}, ${fp(x, 'm', false)}`;
};

/** VCVT/VCVTR to integer: bit 7 set rounds towards zero, clear uses FPSCR (the "r" form). */
const VCVT_to_int: Formatter = (x) => {
  const dbl = x.f('s') === 1;
  return `vcvt${x.f('E') ? '' : 'r'}${x.c}.${x.f('U') ? 's32' : 'u32'}.${size(x)} ${fp(x, 'd', false)}, ${fp(x, 'm', dbl)}`;
};

/** VCVT between floating-point and fixed-point (A8.8.309): one register, fraction bits from size - imm. */
const VCVT_fixed: Formatter = (x) => {
  const dbl = x.f('s') === 1;
  const bits = x.f('x') ? 32 : 16;
  const fraction = bits - ((x.f('i') << 1) | x.f('I'));
  const fixed = `${x.f('U') ? 'u' : 's'}${bits}`;
  const types = x.f('o') ? `${fixed}.${size(x)}` : `${size(x)}.${fixed}`;
  const r = fp(x, 'd', dbl);
  return `vcvt${x.c}.${types} ${r}, ${r}, #${fraction}`;
};

export function vfpDataProcessingForms(prefix: string): Encoding<Formatter>[] {
  const p = prefix;
  return [
    { name: 'VMLA/VMLS (floating-point)', pattern: `${p} 1110 0D00 nnnn dddd 101s NoM0 mmmm`, exec: threeRegister('vmla', 'vmls') },
    { name: 'VNMLS/VNMLA', pattern: `${p} 1110 0D01 nnnn dddd 101s NoM0 mmmm`, exec: threeRegister('vnmls', 'vnmla') },
    { name: 'VMUL/VNMUL (floating-point)', pattern: `${p} 1110 0D10 nnnn dddd 101s NoM0 mmmm`, exec: threeRegister('vmul', 'vnmul') },
    { name: 'VADD/VSUB (floating-point)', pattern: `${p} 1110 0D11 nnnn dddd 101s NoM0 mmmm`, exec: threeRegister('vadd', 'vsub') },
    { name: 'VDIV', pattern: `${p} 1110 1D00 nnnn dddd 101s N0M0 mmmm`, exec: threeRegister('vdiv', 'vdiv') },
    { name: 'VFNMS/VFNMA', pattern: `${p} 1110 1D01 nnnn dddd 101s NoM0 mmmm`, exec: threeRegister('vfnms', 'vfnma') },
    { name: 'VFMA/VFMS', pattern: `${p} 1110 1D10 nnnn dddd 101s NoM0 mmmm`, exec: threeRegister('vfma', 'vfms') },
    { name: 'VMOV (immediate)', pattern: `${p} 1110 1D11 iiii dddd 101s (0)0(0)0 iiii`, exec: VMOV_imm },
    { name: 'VMOV (register)', pattern: `${p} 1110 1D11 0000 dddd 101s 01M0 mmmm`, exec: twoRegister('vmov') },
    { name: 'VABS', pattern: `${p} 1110 1D11 0000 dddd 101s 11M0 mmmm`, exec: twoRegister('vabs') },
    { name: 'VNEG', pattern: `${p} 1110 1D11 0001 dddd 101s 01M0 mmmm`, exec: twoRegister('vneg') },
    { name: 'VSQRT', pattern: `${p} 1110 1D11 0001 dddd 101s 11M0 mmmm`, exec: twoRegister('vsqrt') },
    { name: 'VCVTB/VCVTT', pattern: `${p} 1110 1D11 001U dddd 1010 T1M0 mmmm`, exec: VCVT_half },
    { name: 'VCMP/VCMPE', pattern: `${p} 1110 1D11 0100 dddd 101s E1M0 mmmm`, exec: VCMP },
    { name: 'VCMP/VCMPE (with zero)', pattern: `${p} 1110 1D11 0101 dddd 101s E1(0)0 (0)(0)(0)(0)`, exec: VCMP_zero },
    { name: 'VCVT (between double and single)', pattern: `${p} 1110 1D11 0111 dddd 101s 11M0 mmmm`, exec: VCVT_double_single },
    { name: 'VCVT (integer to floating-point)', pattern: `${p} 1110 1D11 1000 dddd 101s E1M0 mmmm`, exec: VCVT_from_int },
    { name: 'VCVT (floating-point and fixed-point)', pattern: `${p} 1110 1D11 1o1U dddd 101s x1I0 iiii`, exec: VCVT_fixed },
    { name: 'VCVT, VCVTR (floating-point to integer)', pattern: `${p} 1110 1D11 110U dddd 101s E1M0 mmmm`, exec: VCVT_to_int },
  ];
}
