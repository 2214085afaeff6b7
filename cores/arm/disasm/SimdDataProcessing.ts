import type { Encoding } from '../decode/DecodeTable.ts';
import type { DisasmInstruction, Formatter } from './DisasmInstruction.ts';

/**
 * Advanced SIMD data-processing instructions (ARM ARM A7.4), shared by A32
 * (prefix '1111 001U') and Thumb ('111U 1111'). Field letters: U the
 * unsigned/op bit, D/N/M the top bits of the register numbers, d/n/m their
 * other four bits, Q quadword, z size, s/S shift fields, i immediates.
 * Types follow objdump: .s/.u by U for signed/unsigned forms, .i for
 * sign-agnostic ones, .f32, .p8.
 */

type X = DisasmInstruction;

/**
 * A D or Q register from its four-bit field and extra bit (D:Vd); Q
 * registers are the even pairs, an odd number with Q = 1 is UNDEFINED.
 */
function vreg(x: X, four: string, extra: string, quad: boolean): string {
  const n = (x.f(extra) << 4) | x.f(four);
  if (!quad) return `d${n}`;
  if (n & 1) x.undefinedEncoding = true;
  return `q${n >>> 1}`;
}
const vd = (x: X, q = x.f('Q') === 1) => vreg(x, 'd', 'D', q);
const vn = (x: X, q = x.f('Q') === 1) => vreg(x, 'n', 'N', q);
const vm = (x: X, q = x.f('Q') === 1) => vreg(x, 'm', 'M', q);

const su = (x: X) => (x.f('U') ? 'u' : 's');
const size = (x: X) => 8 << x.f('z');

// --- three registers of the same length (A7.4.1) ---------------------------------------------

type SameType = 'su' | 'i' | 'none' | 'f32' | 'bits' | 's';

/** One three-register form; `swap` prints Vd, Vm, Vn (the register shifts), `quad64` allows size 11. */
function same(name: string, type: SameType, options: { swap?: boolean; quad64?: boolean; noQuad?: boolean; sizes?: number[] } = {}): Formatter {
  return (x) => {
    const z = x.f('z');
    if (options.noQuad && x.f('Q')) return '';
    if (options.sizes && !options.sizes.includes(z)) return '';
    if (type !== 'f32' && type !== 'none' && z === 3 && !options.quad64) return '';
    let suffix = '';
    if (type === 'su') suffix = `.${su(x)}${size(x)}`;
    else if (type === 'i') suffix = `.i${size(x)}`;
    else if (type === 's') suffix = `.s${size(x)}`;
    else if (type === 'bits') suffix = `.${size(x)}`;
    else if (type === 'f32') suffix = '.f32';
    const operands = options.swap ? `${vd(x)}, ${vm(x)}, ${vn(x)}` : `${vd(x)}, ${vn(x)}, ${vm(x)}`;
    return `${name}${x.c}${suffix} ${operands}`;
  };
}

/** A float form: the op bit (bit 21) picks one of two names, sz (bit 20) must be 0. */
function floatPair(op0: string, op1: string, options: { noQuad?: boolean } = {}): Formatter {
  return (x) => {
    if (x.f('z') & 1) return '';
    if (options.noQuad && x.f('Q')) return '';
    const name = x.f('z') & 2 ? op1 : op0;
    if (name === '') return '';
    return `${name}${x.c}.f32 ${vd(x)}, ${vn(x)}, ${vm(x)}`;
  };
}

/** Bitwise operations (A8.8.287 etc.): the size field picks the operation. */
function bitwise(names: string[]): Formatter {
  return (x) => `${names[x.f('z')]}${x.c} ${vd(x)}, ${vn(x)}, ${vm(x)}`;
}

function sameForms(p: string): Encoding<Formatter>[] {
  const form = (name: string, a: string, b: string, u: string, exec: Formatter): Encoding<Formatter> => ({
    name,
    pattern: `${p.replace('U', u)} 0Dzz nnnn dddd ${a} NQM${b} mmmm`,
    exec,
  });
  return [
    form('VHADD', '0000', '0', 'U', same('vhadd', 'su')),
    form('VQADD', '0000', '1', 'U', same('vqadd', 'su', { quad64: true })),
    form('VRHADD', '0001', '0', 'U', same('vrhadd', 'su')),
    form('VAND/VBIC/VORR/VORN', '0001', '1', '0', bitwise(['vand', 'vbic', 'vorr', 'vorn'])),
    form('VEOR/VBSL/VBIT/VBIF', '0001', '1', '1', bitwise(['veor', 'vbsl', 'vbit', 'vbif'])),
    form('VHSUB', '0010', '0', 'U', same('vhsub', 'su')),
    form('VQSUB', '0010', '1', 'U', same('vqsub', 'su', { quad64: true })),
    form('VCGT (register)', '0011', '0', 'U', same('vcgt', 'su')),
    form('VCGE (register)', '0011', '1', 'U', same('vcge', 'su')),
    form('VSHL (register)', '0100', '0', 'U', same('vshl', 'su', { swap: true, quad64: true })),
    form('VQSHL (register)', '0100', '1', 'U', same('vqshl', 'su', { swap: true, quad64: true })),
    form('VRSHL', '0101', '0', 'U', same('vrshl', 'su', { swap: true, quad64: true })),
    form('VQRSHL', '0101', '1', 'U', same('vqrshl', 'su', { swap: true, quad64: true })),
    form('VMAX (integer)', '0110', '0', 'U', same('vmax', 'su')),
    form('VMIN (integer)', '0110', '1', 'U', same('vmin', 'su')),
    form('VABD (integer)', '0111', '0', 'U', same('vabd', 'su')),
    form('VABA', '0111', '1', 'U', same('vaba', 'su')),
    form('VADD (integer)', '1000', '0', '0', same('vadd', 'i', { quad64: true })),
    form('VSUB (integer)', '1000', '0', '1', same('vsub', 'i', { quad64: true })),
    form('VTST', '1000', '1', '0', same('vtst', 'bits')),
    form('VCEQ (register)', '1000', '1', '1', same('vceq', 'i')),
    form('VMLA (integer)', '1001', '0', '0', same('vmla', 'i')),
    form('VMLS (integer)', '1001', '0', '1', same('vmls', 'i')),
    form('VMUL (integer)', '1001', '1', '0', same('vmul', 'i')),
    form('VMUL (polynomial)', '1001', '1', '1', (x) => (x.f('z') === 0 ? `vmul${x.c}.p8 ${vd(x)}, ${vn(x)}, ${vm(x)}` : '')),
    form('VPMAX (integer)', '1010', '0', 'U', same('vpmax', 'su', { noQuad: true })),
    form('VPMIN (integer)', '1010', '1', 'U', same('vpmin', 'su', { noQuad: true })),
    form('VQDMULH', '1011', '0', '0', same('vqdmulh', 's', { sizes: [1, 2] })),
    form('VQRDMULH', '1011', '0', '1', same('vqrdmulh', 's', { sizes: [1, 2] })),
    form('VPADD (integer)', '1011', '1', '0', same('vpadd', 'i', { noQuad: true })),
    form('VFMA/VFMS', '1100', '1', '0', floatPair('vfma', 'vfms')),
    form('VADD/VSUB (floating-point)', '1101', '0', '0', floatPair('vadd', 'vsub')),
    form('VPADD/VABD (floating-point)', '1101', '0', '1', (x) => (x.f('z') & 2 ? floatPair('', 'vabd')(x) : floatPair('vpadd', '', { noQuad: true })(x))),
    form('VMLA/VMLS (floating-point)', '1101', '1', '0', floatPair('vmla', 'vmls')),
    form('VMUL (floating-point)', '1101', '1', '1', floatPair('vmul', '')),
    form('VCEQ (floating-point)', '1110', '0', '0', floatPair('vceq', '')),
    form('VCGE/VCGT (floating-point)', '1110', '0', '1', floatPair('vcge', 'vcgt')),
    form('VACGE/VACGT', '1110', '1', '1', floatPair('vacge', 'vacgt')),
    form('VMAX/VMIN (floating-point)', '1111', '0', '0', floatPair('vmax', 'vmin')),
    form('VPMAX/VPMIN (floating-point)', '1111', '0', '1', floatPair('vpmax', 'vpmin', { noQuad: true })),
    form('VRECPS/VRSQRTS', '1111', '1', '0', floatPair('vrecps', 'vrsqrts')),
  ];
}

// --- one register and a modified immediate (A7.4.6) ------------------------------------------

/** AdvSIMDExpandImm (A7.4.6) for cmode/op: the printed type and value text, or null when reserved. */
function expandedImmediate(op: number, cmode: number, imm8: number): { type: string; value: string; name: string } | null {
  if (cmode < 8) {
    const value = (imm8 << (8 * (cmode >>> 1))) | 0;
    const name = cmode & 1 ? (op ? 'vbic' : 'vorr') : op ? 'vmvn' : 'vmov';
    return { type: 'i32', value: `#${value}`, name };
  }
  if (cmode < 12) {
    const value = imm8 << (8 * ((cmode >>> 1) & 1));
    const name = cmode & 1 ? (op ? 'vbic' : 'vorr') : op ? 'vmvn' : 'vmov';
    return { type: 'i16', value: `#${value}`, name };
  }
  if (cmode < 14) {
    // Ones shifted in below the byte (A7.4.6, cmode 110x).
    const value = cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff;
    return { type: 'i32', value: `#${value | 0}`, name: op ? 'vmvn' : 'vmov' };
  }
  if (cmode === 14 && !op) return { type: 'i8', value: `#${imm8}`, name: 'vmov' };
  if (cmode === 14) {
    let bytes = '';
    for (let bit = 7; bit >= 0; bit--) bytes += (imm8 >>> bit) & 1 ? 'ff' : '00';
    return { type: 'i64', value: `#0x${bytes}`, name: 'vmov' };
  }
  if (op) return null;
  // VFPExpandImm (A7.5.1) for single precision: exponent NOT(b):b:b:b:b:b:cd, fraction efgh.
  const b6 = (imm8 >>> 6) & 1;
  const exponent = (b6 ? -3 : 1) + ((imm8 >>> 4) & 3);
  const value = (imm8 >>> 7 ? -1 : 1) * (1 + (imm8 & 15) / 16) * 2 ** exponent;
  return { type: 'f32', value: `#${value}`, name: 'vmov' };
}

const MODIFIED_IMMEDIATE: Formatter = (x) => {
  const imm8 = (x.f('U') << 7) | (x.f('i') << 4) | x.f('j');
  const r = expandedImmediate(x.f('o'), x.f('c'), imm8);
  if (r === null) return '';
  return `${r.name}${x.c}.${r.type} ${vd(x)}, ${r.value}`;
};

// --- two registers and a shift amount (A7.4.4) --------------------------------------------------

/** Element size from L:imm6 (A7.4.4): 8 << n for the highest set bit among L, imm6<5>, imm6<4>, imm6<3>. */
function shiftSize(x: X): number {
  const imm6 = x.f('s');
  if (x.f('L')) return 64;
  if (imm6 & 0x20) return 32;
  if (imm6 & 0x10) return 16;
  return 8;
}
const rightShift = (x: X) => (x.f('L') ? 64 : shiftSize(x) * 2) - x.f('s');
const leftShift = (x: X) => (x.f('L') ? x.f('s') : x.f('s') - shiftSize(x));

function shiftForm(name: string, type: 'su' | 's' | 'bits', direction: 'left' | 'right'): Formatter {
  return (x) => {
    const t = type === 'su' ? su(x) : type === 's' ? 's' : '';
    const amount = direction === 'left' ? leftShift(x) : rightShift(x);
    return `${name}${x.c}.${t}${shiftSize(x)} ${vd(x)}, ${vm(x)}, #${amount}`;
  };
}

/** Narrowing shifts: Dd, Qm, #(esize - imm); the type is the source width; L must be 0. */
function narrowShift(name: string, type: 'i' | 's' | 'su'): Formatter {
  return (x) => {
    if (x.f('L')) return '';
    const t = type === 'su' ? su(x) : type;
    const esize = shiftSize(x);
    return `${name}${x.c}.${t}${esize * 2} ${vd(x, false)}, ${vm(x, true)}, #${esize * 2 - x.f('s')}`;
  };
}

const VSHRN_VRSHRN: Formatter = (x) => (x.f('Q') ? narrowShift('vrshrn', 'i') : narrowShift('vshrn', 'i'))(x);
const VQSHRUN_VQRSHRUN: Formatter = (x) => (x.f('Q') ? narrowShift('vqrshrun', 's') : narrowShift('vqshrun', 's'))(x);
const VQSHRN_VQRSHRN: Formatter = (x) => (x.f('Q') ? narrowShift('vqrshrn', 'su') : narrowShift('vqshrn', 'su'))(x);

/** VSHLL (A8.8.393, encoding A1) and its zero-shift alias VMOVL (A8.8.346). */
const VSHLL_VMOVL: Formatter = (x) => {
  if (x.f('L') || x.f('Q')) return '';
  const shift = leftShift(x);
  const esize = shiftSize(x);
  if (shift === 0) return `vmovl${x.c}.${su(x)}${esize} ${vd(x, true)}, ${vm(x, false)}`;
  return `vshll${x.c}.${su(x)}${esize} ${vd(x, true)}, ${vm(x, false)}, #${shift}`;
};

/** VCVT between floating-point and fixed-point (A8.8.308): fraction bits 64 - imm6, imm6 >= 32. */
const VCVT_fixed: Formatter = (x) => {
  if (x.f('L') || (x.f('s') & 0x20) === 0) return '';
  const fixed = `${su(x)}32`;
  const types = x.f('o') ? `${fixed}.f32` : `f32.${fixed}`;
  return `vcvt${x.c}.${types} ${vd(x)}, ${vm(x)}, #${64 - x.f('s')}`;
};

function shiftForms(p: string): Encoding<Formatter>[] {
  // L:imm6 = 0000xxx is the one-register-and-immediate space.
  const notImmediate = ['---- ---- --00 0--- ---- ---- 0--- ----'];
  const form = (name: string, a: string, u: string, exec: Formatter): Encoding<Formatter> => ({
    name,
    pattern: `${p.replace('U', u)} 1Dss ssss dddd ${a} LQM1 mmmm`,
    exec,
    unless: notImmediate,
  });
  return [
    form('VSHR', '0000', 'U', shiftForm('vshr', 'su', 'right')),
    form('VSRA', '0001', 'U', shiftForm('vsra', 'su', 'right')),
    form('VRSHR', '0010', 'U', shiftForm('vrshr', 'su', 'right')),
    form('VRSRA', '0011', 'U', shiftForm('vrsra', 'su', 'right')),
    form('VSRI', '0100', '1', shiftForm('vsri', 'bits', 'right')),
    form('VSHL (immediate)', '0101', '0', shiftForm('vshl', 's', 'left')),
    form('VSLI', '0101', '1', shiftForm('vsli', 'bits', 'left')),
    form('VQSHLU (immediate)', '0110', '1', shiftForm('vqshlu', 's', 'left')),
    form('VQSHL (immediate)', '0111', 'U', shiftForm('vqshl', 'su', 'left')),
    form('VSHRN/VRSHRN', '1000', '0', VSHRN_VRSHRN),
    form('VQSHRUN/VQRSHRUN', '1000', '1', VQSHRUN_VQRSHRUN),
    form('VQSHRN/VQRSHRN', '1001', 'U', VQSHRN_VQRSHRN),
    form('VSHLL/VMOVL', '1010', 'U', VSHLL_VMOVL),
    { name: 'VCVT (floating-point and fixed-point)', pattern: `${p} 1Dss ssss dddd 111o LQM1 mmmm`, exec: VCVT_fixed, unless: notImmediate },
  ];
}

// --- three registers of different lengths (A7.4.2) and two registers and a scalar (A7.4.3) ---

type Shape = 'long' | 'wide' | 'narrow';

function different(name: string, type: 'su' | 'i' | 's' | 'p', shape: Shape): Formatter {
  return (x) => {
    const z = x.f('z');
    if (type === 'p' && z !== 0) return '';
    if (type === 's' && z === 0) return '';
    const suffix = type === 'su' ? `${su(x)}${size(x)}` : type === 'i' ? `i${size(x) * 2}` : type === 's' ? `s${size(x)}` : 'p8';
    if (shape === 'long') return `${name}${x.c}.${suffix} ${vd(x, true)}, ${vn(x, false)}, ${vm(x, false)}`;
    if (shape === 'wide') return `${name}${x.c}.${suffix} ${vd(x, true)}, ${vn(x, true)}, ${vm(x, false)}`;
    return `${name}${x.c}.${suffix} ${vd(x, false)}, ${vn(x, true)}, ${vm(x, true)}`;
  };
}

/** The scalar operand: Dm[x] with Vm and index split by the size (A7.4.3). */
function scalarOperand(x: X): string | null {
  const z = x.f('z');
  const m = x.f('m');
  if (z === 1) return `d${m & 7}[${(x.f('M') << 1) | (m >>> 3)}]`;
  if (z === 2) return `d${m}[${x.f('M')}]`;
  return null;
}

/** Scalar forms; `quadByU` marks those whose U bit is Q, `float` those with F = 1 (.f32, size 10 only). */
function byScalar(name: string, type: 'i' | 'f32' | 'su' | 's', shape: 'same' | 'long', quadByU: boolean): Formatter {
  return (x) => {
    const scalar = scalarOperand(x);
    if (scalar === null || (type === 'f32' && x.f('z') !== 2)) return '';
    const suffix = type === 'f32' ? 'f32' : type === 'i' ? `i${size(x)}` : type === 's' ? `s${size(x)}` : `${su(x)}${size(x)}`;
    if (shape === 'long') return `${name}${x.c}.${suffix} ${vd(x, true)}, ${vn(x, false)}, ${scalar}`;
    const q = quadByU ? x.f('U') === 1 : false;
    return `${name}${x.c}.${suffix} ${vd(x, q)}, ${vn(x, q)}, ${scalar}`;
  };
}

function lengthForms(p: string): Encoding<Formatter>[] {
  const sizeNot11 = ['---- ---- --11 ---- ---- ---- ---- ----'];
  const diff = (name: string, a: string, u: string, exec: Formatter): Encoding<Formatter> => ({
    name,
    pattern: `${p.replace('U', u)} 1Dzz nnnn dddd ${a} N0M0 mmmm`,
    exec,
    unless: sizeNot11,
  });
  const scalar = (name: string, a: string, u: string, exec: Formatter): Encoding<Formatter> => ({
    name,
    pattern: `${p.replace('U', u)} 1Dzz nnnn dddd ${a} N1M0 mmmm`,
    exec,
    unless: sizeNot11,
  });
  return [
    diff('VADDL', '0000', 'U', different('vaddl', 'su', 'long')),
    diff('VADDW', '0001', 'U', different('vaddw', 'su', 'wide')),
    diff('VSUBL', '0010', 'U', different('vsubl', 'su', 'long')),
    diff('VSUBW', '0011', 'U', different('vsubw', 'su', 'wide')),
    diff('VADDHN', '0100', '0', different('vaddhn', 'i', 'narrow')),
    diff('VRADDHN', '0100', '1', different('vraddhn', 'i', 'narrow')),
    diff('VABAL', '0101', 'U', different('vabal', 'su', 'long')),
    diff('VSUBHN', '0110', '0', different('vsubhn', 'i', 'narrow')),
    diff('VRSUBHN', '0110', '1', different('vrsubhn', 'i', 'narrow')),
    diff('VABDL', '0111', 'U', different('vabdl', 'su', 'long')),
    diff('VMLAL (integer)', '1000', 'U', different('vmlal', 'su', 'long')),
    diff('VQDMLAL', '1001', '0', different('vqdmlal', 's', 'long')),
    diff('VMLSL (integer)', '1010', 'U', different('vmlsl', 'su', 'long')),
    diff('VQDMLSL', '1011', '0', different('vqdmlsl', 's', 'long')),
    diff('VMULL (integer)', '1100', 'U', different('vmull', 'su', 'long')),
    diff('VQDMULL', '1101', '0', different('vqdmull', 's', 'long')),
    diff('VMULL (polynomial)', '1110', '0', different('vmull', 'p', 'long')),
    scalar('VMLA (by scalar, integer)', '0000', 'U', byScalar('vmla', 'i', 'same', true)),
    scalar('VMLA (by scalar, floating-point)', '0001', 'U', byScalar('vmla', 'f32', 'same', true)),
    scalar('VMLAL (by scalar)', '0010', 'U', byScalar('vmlal', 'su', 'long', false)),
    scalar('VQDMLAL (by scalar)', '0011', '0', byScalar('vqdmlal', 's', 'long', false)),
    scalar('VMLS (by scalar, integer)', '0100', 'U', byScalar('vmls', 'i', 'same', true)),
    scalar('VMLS (by scalar, floating-point)', '0101', 'U', byScalar('vmls', 'f32', 'same', true)),
    scalar('VMLSL (by scalar)', '0110', 'U', byScalar('vmlsl', 'su', 'long', false)),
    scalar('VQDMLSL (by scalar)', '0111', '0', byScalar('vqdmlsl', 's', 'long', false)),
    scalar('VMUL (by scalar, integer)', '1000', 'U', byScalar('vmul', 'i', 'same', true)),
    scalar('VMUL (by scalar, floating-point)', '1001', 'U', byScalar('vmul', 'f32', 'same', true)),
    scalar('VMULL (by scalar)', '1010', 'U', byScalar('vmull', 'su', 'long', false)),
    scalar('VQDMULL (by scalar)', '1011', '0', byScalar('vqdmull', 's', 'long', false)),
    scalar('VQDMULH (by scalar)', '1100', 'U', byScalar('vqdmulh', 's', 'same', true)),
    scalar('VQRDMULH (by scalar)', '1101', 'U', byScalar('vqrdmulh', 's', 'same', true)),
  ];
}

// --- two registers, miscellaneous (A7.4.5), VEXT, VTBL/VTBX, VDUP (scalar) -------------------

function misc(name: string, type: 'su' | 's' | 'i' | 'bits' | 'none' | 'f32' | 'u32', options: { zero?: boolean; sizes?: number[]; float?: boolean } = {}): Formatter {
  return (x) => {
    const z = x.f('z');
    if (options.sizes && !options.sizes.includes(z)) return '';
    let suffix = '';
    if (type === 'su') suffix = `.${x.f('o') ? 'u' : 's'}${size(x)}`;
    else if (type === 's') suffix = `.s${size(x)}`;
    else if (type === 'i') suffix = `.i${size(x)}`;
    else if (type === 'bits') suffix = `.${size(x)}`;
    else if (type === 'f32') suffix = '.f32';
    else if (type === 'u32') suffix = '.u32';
    return `${name}${x.c}${suffix} ${vd(x)}, ${vm(x)}${options.zero ? ', #0' : ''}`;
  };
}

/** Compare with zero and VABS/VNEG: bit 10 (F) picks .f32 (size 10 only) over the signed integer type. */
function compareZero(name: string, type: 's' | 'i'): Formatter {
  return (x) => {
    const zero = name.startsWith('vc') ? ', #0' : '';
    if (x.f('F')) return x.f('z') === 2 ? `${name}${x.c}.f32 ${vd(x)}, ${vm(x)}${zero}` : '';
    if (x.f('z') === 3) return '';
    return `${name}${x.c}.${type}${size(x)} ${vd(x)}, ${vm(x)}${zero}`;
  };
}

const VMOVN: Formatter = (x) => (x.f('z') === 3 ? '' : `vmovn${x.c}.i${size(x) * 2} ${vd(x, false)}, ${vm(x, true)}`);
const VQMOVUN: Formatter = (x) => (x.f('z') === 3 ? '' : `vqmovun${x.c}.s${size(x) * 2} ${vd(x, false)}, ${vm(x, true)}`);
const VQMOVN: Formatter = (x) => (x.f('z') === 3 ? '' : `vqmovn${x.c}.${x.f('o') ? 'u' : 's'}${size(x) * 2} ${vd(x, false)}, ${vm(x, true)}`);
const VSHLL_max: Formatter = (x) => (x.f('z') === 3 ? '' : `vshll${x.c}.i${size(x)} ${vd(x, true)}, ${vm(x, false)}, #${size(x)}`);
const VCVT_half: Formatter = (x) => {
  if (x.f('z') !== 1) return '';
  return x.f('o') ? `vcvt${x.c}.f32.f16 ${vd(x, true)}, ${vm(x, false)}` : `vcvt${x.c}.f16.f32 ${vd(x, false)}, ${vm(x, true)}`;
};
const VRECPE_VRSQRTE = (name: string): Formatter => (x) => (x.f('z') === 2 ? `${name}${x.c}.${x.f('F') ? 'f32' : 'u32'} ${vd(x)}, ${vm(x)}` : '');
const VCVT_integer: Formatter = (x) => {
  if (x.f('z') !== 2) return '';
  const types = ['f32.s32', 'f32.u32', 's32.f32', 'u32.f32'][x.f('o')];
  return `vcvt${x.c}.${types} ${vd(x)}, ${vm(x)}`;
};

const VEXT: Formatter = (x) => {
  const imm = x.f('i');
  if (!x.f('Q') && imm > 7) return '';
  return `vext${x.c}.8 ${vd(x)}, ${vn(x)}, ${vm(x)}, #${imm}`;
};

const VTBL: Formatter = (x) => {
  const first = (x.f('N') << 4) | x.f('n');
  const length = x.f('l') + 1;
  const list = length === 1 ? `{d${first}}` : `{d${first}-d${first + length - 1}}`;
  return `${x.f('o') ? 'vtbx' : 'vtbl'}${x.c}.8 ${vd(x, false)}, ${list}, ${vm(x, false)}`;
};

const VDUP_scalar: Formatter = (x) => {
  const imm4 = x.f('i');
  let sizeBits: number;
  let index: number;
  if (imm4 & 1) [sizeBits, index] = [8, imm4 >>> 1];
  else if (imm4 & 2) [sizeBits, index] = [16, imm4 >>> 2];
  else if (imm4 & 4) [sizeBits, index] = [32, imm4 >>> 3];
  else return '';
  return `vdup${x.c}.${sizeBits} ${vd(x)}, ${vm(x, false)}[${index}]`;
};

function miscForms(p: string): Encoding<Formatter>[] {
  const u1 = p.replace('U', '1');
  const m = (name: string, a: string, b: string, exec: Formatter): Encoding<Formatter> => ({
    name,
    pattern: `${u1} 1D11 zz${a} dddd 0${b} QM0 mmmm`,
    exec,
  });
  return [
    m('VREV64', '00', '000 0', misc('vrev64', 'bits', { sizes: [0, 1, 2] })),
    m('VREV32', '00', '000 1', misc('vrev32', 'bits', { sizes: [0, 1] })),
    m('VREV16', '00', '001 0', misc('vrev16', 'bits', { sizes: [0] })),
    m('VPADDL', '00', '010 o', misc('vpaddl', 'su', { sizes: [0, 1, 2] })),
    m('VCLS', '00', '100 0', misc('vcls', 's', { sizes: [0, 1, 2] })),
    m('VCLZ', '00', '100 1', misc('vclz', 'i', { sizes: [0, 1, 2] })),
    m('VCNT', '00', '101 0', misc('vcnt', 'bits', { sizes: [0] })),
    m('VMVN (register)', '00', '101 1', misc('vmvn', 'none', { sizes: [0] })),
    m('VPADAL', '00', '110 o', misc('vpadal', 'su', { sizes: [0, 1, 2] })),
    m('VQABS', '00', '111 0', misc('vqabs', 's', { sizes: [0, 1, 2] })),
    m('VQNEG', '00', '111 1', misc('vqneg', 's', { sizes: [0, 1, 2] })),
    m('VCGT (immediate #0)', '01', 'F00 0', compareZero('vcgt', 's')),
    m('VCGE (immediate #0)', '01', 'F00 1', compareZero('vcge', 's')),
    m('VCEQ (immediate #0)', '01', 'F01 0', compareZero('vceq', 'i')),
    m('VCLE (immediate #0)', '01', 'F01 1', compareZero('vcle', 's')),
    m('VCLT (immediate #0)', '01', 'F10 0', compareZero('vclt', 's')),
    m('VABS', '01', 'F11 0', compareZero('vabs', 's')),
    m('VNEG', '01', 'F11 1', compareZero('vneg', 's')),
    m('VSWP', '10', '000 0', (x) => (x.f('z') === 0 ? `vswp${x.c} ${vd(x)}, ${vm(x)}` : '')),
    m('VTRN', '10', '000 1', misc('vtrn', 'bits', { sizes: [0, 1, 2] })),
    m('VUZP', '10', '001 0', misc('vuzp', 'bits', { sizes: [0, 1, 2] })),
    m('VZIP', '10', '001 1', misc('vzip', 'bits', { sizes: [0, 1, 2] })),
    { name: 'VMOVN', pattern: `${u1} 1D11 zz10 dddd 0010 00M0 mmmm`, exec: VMOVN },
    { name: 'VQMOVUN', pattern: `${u1} 1D11 zz10 dddd 0010 01M0 mmmm`, exec: VQMOVUN },
    { name: 'VQMOVN', pattern: `${u1} 1D11 zz10 dddd 0010 1oM0 mmmm`, exec: VQMOVN },
    { name: 'VSHLL (maximum shift)', pattern: `${u1} 1D11 zz10 dddd 0011 00M0 mmmm`, exec: VSHLL_max },
    { name: 'VCVT (half-precision and single-precision)', pattern: `${u1} 1D11 zz10 dddd 011o 00M0 mmmm`, exec: VCVT_half },
    { name: 'VRECPE', pattern: `${u1} 1D11 zz11 dddd 010F 0QM0 mmmm`, exec: VRECPE_VRSQRTE('vrecpe') },
    { name: 'VRSQRTE', pattern: `${u1} 1D11 zz11 dddd 010F 1QM0 mmmm`, exec: VRECPE_VRSQRTE('vrsqrte') },
    { name: 'VCVT (floating-point and integer)', pattern: `${u1} 1D11 zz11 dddd 011o oQM0 mmmm`, exec: VCVT_integer },
    { name: 'VEXT', pattern: `${p.replace('U', '0')} 1D11 nnnn dddd iiii NQM0 mmmm`, exec: VEXT },
    { name: 'VTBL/VTBX', pattern: `${u1} 1D11 nnnn dddd 10ll NoM0 mmmm`, exec: VTBL },
    { name: 'VDUP (scalar)', pattern: `${u1} 1D11 iiii dddd 1100 0QM0 mmmm`, exec: VDUP_scalar },
  ];
}

/** The Advanced SIMD data-processing table for one instruction set's prefix ('1111 001U' or '111U 1111'). */
export function simdDataProcessingForms(prefix: string): Encoding<Formatter>[] {
  return [
    ...sameForms(prefix),
    { name: 'one register and a modified immediate', pattern: `${prefix} 1D00 0iii dddd cccc 0Qo1 jjjj`, exec: MODIFIED_IMMEDIATE },
    ...shiftForms(prefix),
    ...lengthForms(prefix),
    ...miscForms(prefix),
  ];
}
