import type { Encoding } from '../decode/DecodeTable.ts';
import type { DisasmInstruction, Formatter } from './DisasmInstruction.ts';
import { reg } from './OperandText.ts';

/**
 * Advanced SIMD element and structure loads and stores (ARM ARM A7.7:
 * VLD1-VLD4, VST1-VST4), shared by A32 (prefix 1111 0100) and Thumb
 * (1111 1001). Fields: A single lanes/all lanes, D top bit of Vd, L load,
 * n Rn, d Vd, t type (multiple structures) or size:N-1 (single), z size,
 * a alignment, i index_align, m Rm.
 */

/** The address operand: alignment in bits after a colon; Rm = 1111 no writeback, 1101 "!", else post-index by Rm. */
function address(x: DisasmInstruction, alignBits: number): string {
  const m = x.f('m');
  const base = `[${reg(x.f('n'))}${alignBits ? ` :${alignBits}` : ''}]`;
  if (m === 15) return base;
  if (m === 13) return `${base}!`;
  return `${base}, ${reg(m)}`;
}

const firstD = (x: DisasmInstruction) => (x.f('D') << 4) | x.f('d');

/** A register list as objdump writes it: consecutive registers as a range, spaced ones separated by commas. */
function list(first: number, count: number, inc: number, suffix: string): string {
  if (count === 1) return `{d${first}${suffix}}`;
  if (inc === 1) return `{d${first}${suffix}-d${first + count - 1}${suffix}}`;
  const regs: string[] = [];
  for (let i = 0; i < count; i++) regs.push(`d${first + i * inc}${suffix}`);
  return `{${regs.join(',')}}`;
}

/** Multiple structures (A8.8.320 VLD1 … A8.8.329 VLD4, multiple): type → (n, registers, spacing). */
const MULTIPLE: Record<number, { n: number; regs: number; inc: number }> = {
  0b0111: { n: 1, regs: 1, inc: 1 },
  0b1010: { n: 1, regs: 2, inc: 1 },
  0b0110: { n: 1, regs: 3, inc: 1 },
  0b0010: { n: 1, regs: 4, inc: 1 },
  0b1000: { n: 2, regs: 2, inc: 1 },
  0b1001: { n: 2, regs: 2, inc: 2 },
  0b0011: { n: 2, regs: 4, inc: 1 },
  0b0100: { n: 3, regs: 3, inc: 1 },
  0b0101: { n: 3, regs: 3, inc: 2 },
  0b0000: { n: 4, regs: 4, inc: 1 },
  0b0001: { n: 4, regs: 4, inc: 2 },
};

const MULTIPLE_STRUCTURES: Formatter = (x) => {
  const form = MULTIPLE[x.f('t')];
  if (form === undefined) return '';
  const size = x.f('z');
  const align = x.f('a');
  // UNDEFINED combinations of size and alignment listed on each instruction page.
  if (form.n === 1 && ((form.regs === 1 || form.regs === 3) ? (align & 2) !== 0 : form.regs === 2 && align === 3)) return '';
  if (form.n === 2 && ((form.regs === 2 && align === 3) || size === 3)) return '';
  if (form.n === 3 && ((align & 2) !== 0 || size === 3)) return '';
  if (form.n === 4 && size === 3) return '';
  const name = `${x.f('L') ? 'vld' : 'vst'}${form.n}${x.c}.${8 << size}`;
  return `${name} ${list(firstD(x), form.regs, form.inc, '')}, ${address(x, align === 0 ? 0 : 32 << align)}`;
};

/** A single element to or from one lane (VLDn/VSTn single n-element structure): index, spacing and alignment from index_align. */
const SINGLE_LANE: Formatter = (x) => {
  const size = x.f('z');
  const n = x.f('N') + 1;
  const ia = x.f('i');
  let index: number;
  let inc = 1;
  let alignBits = 0;
  if (size === 0) {
    index = ia >>> 1;
    if (n === 1 && (ia & 1)) return '';
    if (n === 3 && (ia & 1)) return '';
    if (ia & 1) alignBits = n === 2 ? 16 : 32;
  } else if (size === 1) {
    index = ia >>> 2;
    if (n === 1 && (ia & 2)) return '';
    if (n > 1 && (ia & 2)) inc = 2;
    if (n === 3 && (ia & 1)) return '';
    if (ia & 1) alignBits = n === 1 ? 16 : n === 2 ? 32 : 64;
  } else {
    index = ia >>> 3;
    if (n === 1 && ((ia & 4) || ((ia & 3) !== 0 && (ia & 3) !== 3))) return '';
    if (n > 1 && (ia & 4)) inc = 2;
    if (n === 2 && (ia & 2)) return '';
    if (n === 3 && (ia & 3)) return '';
    if (n === 4 && (ia & 3) === 3) return '';
    if (n === 1 && (ia & 3) === 3) alignBits = 32;
    if (n === 2 && (ia & 1)) alignBits = 64;
    if (n === 4 && (ia & 3)) alignBits = 32 << (ia & 3);
  }
  const regs: string[] = [];
  for (let i = 0; i < n; i++) regs.push(`d${firstD(x) + i * inc}[${index}]`);
  return `${x.f('L') ? 'vld' : 'vst'}${n}${x.c}.${8 << size} {${regs.join(',')}}, ${address(x, alignBits)}`;
};

/** A single element to all lanes (VLDn single n-element structure to all lanes); loads only. */
const ALL_LANES: Formatter = (x) => {
  if (!x.f('L')) return '';
  const n = x.f('N') + 1;
  const size = x.f('z');
  const t = x.f('T');
  const a = x.f('a');
  let regs = n;
  let inc = 1;
  let alignBits = 0;
  let bits = 8 << size;
  if (n === 1) {
    if (size === 3 || (size === 0 && a)) return '';
    regs = t ? 2 : 1;
    if (a) alignBits = 8 << size;
  } else {
    inc = t ? 2 : 1;
    if (n < 4 && size === 3) return '';
    if (n === 3 && a) return '';
    if (n === 2 && a) alignBits = 16 << size;
    if (n === 4 && a) alignBits = size === 3 ? 128 : size === 2 ? 64 : 32 << size;
    if (n === 4 && size === 3) bits = 32;
  }
  return `vld${n}${x.c}.${bits} ${list(firstD(x), regs, inc, '[]')}, ${address(x, alignBits)}`;
};

export function simdElementLoadStoreForms(prefix8: string): Encoding<Formatter>[] {
  return [
    { name: 'VLD1-4/VST1-4 (multiple structures)', pattern: `${prefix8} 0DL0 nnnn dddd tttt zzaa mmmm`, exec: MULTIPLE_STRUCTURES },
    { name: 'VLD1-4/VST1-4 (single structure to one lane)', pattern: `${prefix8} 1DL0 nnnn dddd zzNN iiii mmmm`, exec: SINGLE_LANE, unless: ['---- ---- ---- ---- ---- 11-- ---- ----'] },
    { name: 'VLD1-4 (single structure to all lanes)', pattern: `${prefix8} 1DL0 nnnn dddd 11NN zzTa mmmm`, exec: ALL_LANES },
  ];
}
