import type { Encoding } from '../decode/DecodeTable.ts';
import type { DisasmInstruction, Formatter } from './DisasmInstruction.ts';
import { reg } from './OperandText.ts';

/**
 * VFP and Advanced SIMD register loads/stores (A7.6: VLDR, VSTR, VLDM,
 * VSTM, VPUSH, VPOP) and transfers between core and extension registers
 * (A7.8: VMOV, VMRS, VMSR, VDUP). One table for both instruction sets: the
 * low 28 bits are the same, `prefix` is 'cccc' for A32 and '1110' for Thumb.
 * Fields: P U W L, D/N/M top (or bottom) bit of a register number,
 * d/n/m its other four bits, s double precision, i imm8, t Rt, T Rt2.
 */

/** Single-precision register from its four-bit field and extra bit: Vd:D. */
export const sreg = (four: number, extra: number) => `s${(four << 1) | extra}`;
/** Double-precision register: D:Vd. */
export const dreg = (four: number, extra: number) => `d${(extra << 4) | four}`;

function dOrS(x: DisasmInstruction, four: string, extra: string): string {
  return x.f('s') ? dreg(x.f(four), x.f(extra)) : sreg(x.f(four), x.f(extra));
}

function vldrAddress(x: DisasmInstruction): string {
  const n = x.f('n');
  const u = x.f('U');
  const offset = x.f('i') * 4;
  const body = offset === 0 && u ? `[${reg(n)}]` : `[${reg(n)}, #${u ? '' : '-'}${offset}]`;
  if (n !== 15) return body;
  const base = (x.pc & ~3) >>> 0;
  return body + x.addressComment(u ? base + offset : base - offset);
}

const VLDR_VSTR: Formatter = (x) => `${x.f('L') ? 'vldr' : 'vstr'}${x.c} ${dOrS(x, 'd', 'D')}, ${vldrAddress(x)}`;

/** Register list of VLDM/VSTM/VPUSH/VPOP as a range. */
function extensionList(x: DisasmInstruction, legacy: boolean): string {
  const imm8 = x.f('i');
  const double = x.f('s') === 1;
  const first = double ? (x.f('D') << 4) | x.f('d') : (x.f('d') << 1) | x.f('D');
  // A list running past d31/s31 is UNPREDICTABLE (A8.8.332). objdump counts imm8[6:1] doubles for
  // VLDM/VSTM and flags an end past d31; for FLDMX/FSTMX and singles it prints the number as is.
  const count = !double ? imm8 : legacy ? imm8 >>> 1 : (imm8 & 0x7e) >>> 1;
  const prefix = double ? 'd' : 's';
  const last = first + count - 1;
  if (count <= 1) return `{${prefix}${first}}`;
  const end = double && !legacy && last > 31 ? `<overflow reg ${prefix}${last}>` : `${prefix}${last}`;
  return `{${prefix}${first}-${end}}`;
}

function multiple(mode: 'ia' | 'db'): Formatter {
  return (x) => {
    const load = x.f('L');
    const n = x.f('n');
    const w = x.bit(21);
    // An odd imm8 with doubles is the FLDMX/FSTMX format (A7.6, footnote): objdump keeps the old name.
    const legacy = (x.f('s') & x.f('i') & 1) === 1;
    if (legacy) return `${load ? 'fldm' : 'fstm'}${mode}x${x.c} ${reg(n)}${w ? '!' : ''}, ${extensionList(x, true)}`;
    if (n === 13 && w) {
      if (!load && mode === 'db') return `vpush${x.c} ${extensionList(x, false)}`;
      if (load && mode === 'ia') return `vpop${x.c} ${extensionList(x, false)}`;
    }
    return `${load ? 'vldm' : 'vstm'}${mode}${x.c} ${reg(n)}${w ? '!' : ''}, ${extensionList(x, false)}`;
  };
}

const VMOV_core_single: Formatter = (x) => {
  const s = sreg(x.f('n'), x.f('N'));
  const t = reg(x.f('t'));
  return x.f('L') ? `vmov${x.c} ${t}, ${s}` : `vmov${x.c} ${s}, ${t}`;
};

const VMOV_two_single: Formatter = (x) => {
  const m = (x.f('m') << 1) | x.f('M');
  const pair = `s${m}, s${m + 1}`;
  const cores = `${reg(x.f('t'))}, ${reg(x.f('T'))}`;
  return x.f('L') ? `vmov${x.c} ${cores}, ${pair}` : `vmov${x.c} ${pair}, ${cores}`;
};

const VMOV_two_double: Formatter = (x) => {
  const d = dreg(x.f('m'), x.f('M'));
  const cores = `${reg(x.f('t'))}, ${reg(x.f('T'))}`;
  return x.f('L') ? `vmov${x.c} ${cores}, ${d}` : `vmov${x.c} ${d}, ${cores}`;
};

/** Size and index of a scalar from opc1:opc2 (A8.8.341, A8.8.342), or null when reserved. */
function scalar(opc: number): { size: number; index: number } | null {
  if (opc & 8) return { size: 8, index: opc & 7 };
  if (opc & 1) return { size: 16, index: (opc >>> 1) & 3 };
  if ((opc & 2) === 0) return { size: 32, index: (opc >>> 2) & 1 };
  return null;
}

const VMOV_core_to_scalar: Formatter = (x) => {
  const sc = scalar((x.f('o') << 2) | x.f('O'));
  if (sc === null) return '';
  return `vmov${x.c}.${sc.size} ${dreg(x.f('d'), x.f('D'))}[${sc.index}], ${reg(x.f('t'))}`;
};

const VMOV_scalar_to_core: Formatter = (x) => {
  const sc = scalar((x.f('o') << 2) | x.f('O'));
  if (sc === null || (sc.size === 32 && x.f('u'))) return '';
  const type = sc.size === 32 ? '32' : `${x.f('u') ? 'u' : 's'}${sc.size}`;
  return `vmov${x.c}.${type} ${reg(x.f('t'))}, ${dreg(x.f('n'), x.f('N'))}[${sc.index}]`;
};

const VDUP: Formatter = (x) => {
  const be = (x.f('B') << 1) | x.f('E');
  if (be === 3) return '';
  const size = [32, 16, 8][be];
  const d = (x.f('D') << 4) | x.f('d');
  // A Q register must be even (A8.8.323: Q = 1 with Vd<0> = 1 is UNDEFINED).
  if (x.f('Q') && d & 1) x.undefinedEncoding = true;
  const dest = x.f('Q') ? `q${d >>> 1}` : `d${d}`;
  return `vdup${x.c}.${size} ${dest}, ${reg(x.f('t'))}`;
};

const SPECIAL: Record<number, string> = { 0: 'fpsid', 1: 'fpscr', 5: 'mvfr2', 6: 'mvfr1', 7: 'mvfr0', 8: 'fpexc', 9: 'fpinst', 10: 'fpinst2' };

function special(n: number): string {
  return SPECIAL[n] ?? `<impl def 0x${n.toString(16)}>`;
}

const VMRS: Formatter = (x) => {
  const t = x.f('t');
  return `vmrs${x.c} ${t === 15 ? 'APSR_nzcv' : reg(t)}, ${special(x.f('r'))}`;
};
const VMSR: Formatter = (x) => `vmsr${x.c} ${special(x.f('r'))}, ${reg(x.f('t'))}`;

/** The table for one instruction set's top nibble. */
export function vfpTransferForms(prefix: string): Encoding<Formatter>[] {
  return [
    { name: 'VLDR/VSTR', pattern: `${prefix} 1101 UD0L nnnn dddd 101s iiii iiii`, exec: VLDR_VSTR },
    { name: 'VLDM/VSTM (increment after), VPOP', pattern: `${prefix} 1100 1DWL nnnn dddd 101s iiii iiii`, exec: multiple('ia') },
    { name: 'VLDM/VSTM (decrement before), VPUSH', pattern: `${prefix} 1101 0D1L nnnn dddd 101s iiii iiii`, exec: multiple('db') },
    { name: 'VMOV (core register and single-precision register)', pattern: `${prefix} 1110 000L nnnn tttt 1010 N(0)(0)1 (0)(0)(0)(0)`, exec: VMOV_core_single },
    { name: 'VMOV (two core registers and two single-precision registers)', pattern: `${prefix} 1100 010L TTTT tttt 1010 00M1 mmmm`, exec: VMOV_two_single },
    { name: 'VMOV (two core registers and a doubleword register)', pattern: `${prefix} 1100 010L TTTT tttt 1011 00M1 mmmm`, exec: VMOV_two_double },
    { name: 'VMOV (core register to scalar)', pattern: `${prefix} 1110 0oo0 dddd tttt 1011 DOO1 (0)(0)(0)(0)`, exec: VMOV_core_to_scalar },
    { name: 'VMOV (scalar to core register)', pattern: `${prefix} 1110 uoo1 nnnn tttt 1011 NOO1 (0)(0)(0)(0)`, exec: VMOV_scalar_to_core },
    { name: 'VDUP (core register)', pattern: `${prefix} 1110 1BQ0 dddd tttt 1011 D0E1 (0)(0)(0)(0)`, exec: VDUP },
    { name: 'VMSR', pattern: `${prefix} 1110 1110 rrrr tttt 1010 (0)(0)(0)1 (0)(0)(0)(0)`, exec: VMSR },
    { name: 'VMRS', pattern: `${prefix} 1110 1111 rrrr tttt 1010 (0)(0)(0)1 (0)(0)(0)(0)`, exec: VMRS },
  ];
}
