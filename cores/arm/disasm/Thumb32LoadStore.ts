import type { Encoding } from '../decode/DecodeTable.ts';
import type { DisasmInstruction, Formatter } from './DisasmInstruction.ts';
import { reg, regList } from './OperandText.ts';

/**
 * 32-bit Thumb loads and stores (ARM ARM A6.3.5 load/store multiple,
 * A6.3.6 dual, exclusive and table branch, A6.3.7-10 single data items and
 * preloads). Patterns are hw1 then hw2. Fields: P U W L as in A32, n Rn,
 * t Rt, T Rt2, d Rd (exclusive status), m Rm, i offset, k shift of Rm,
 * r register list, s sign (bit 8 of hw1), z size.
 */

const r = reg;

/** The literal address of a PC-relative form: Align(PC, 4) ± offset. */
function literal(x: DisasmInstruction, add: boolean, offset: number): string {
  const base = (x.pc & ~3) >>> 0;
  return x.addressComment((add ? base + offset : base - offset) >>> 0);
}

const LDM_STM = (mode: 'ia' | 'db'): Formatter => (x) => {
  const name = `${x.f('L') ? 'ldm' : 'stm'}${mode}${x.c}${mode === 'ia' ? '.w' : ''}`;
  return `${name} ${r(x.f('n'))}${x.f('W') ? '!' : ''}, ${regList(x.f('r'))}`;
};

const SRS = (mode: string): Formatter => (x) => `srs${mode}${x.c} sp${x.f('W') ? '!' : ''}, #${x.f('o')}`;
const RFE = (mode: string): Formatter => (x) => `rfe${mode}${x.c} ${r(x.f('n'))}${x.f('W') ? '!' : ''}`;

/** Exclusive forms with an immediate offset scaled by 4 (A8.8.75, A8.8.212). */
const exclusiveAddress = (x: DisasmInstruction) => (x.f('i') === 0 ? `[${r(x.f('n'))}]` : `[${r(x.f('n'))}, #${x.f('i') * 4}]`);
const LDREX: Formatter = (x) => `ldrex${x.c} ${r(x.f('t'))}, ${exclusiveAddress(x)}`;
const STREX: Formatter = (x) => `strex${x.c} ${r(x.f('d'))}, ${r(x.f('t'))}, ${exclusiveAddress(x)}`;
const LDREX_bh = (name: string): Formatter => (x) => `${name}${x.c} ${r(x.f('t'))}, [${r(x.f('n'))}]`;
const STREX_bh = (name: string): Formatter => (x) => `${name}${x.c} ${r(x.f('d'))}, ${r(x.f('t'))}, [${r(x.f('n'))}]`;
const LDREXD: Formatter = (x) => `ldrexd${x.c} ${r(x.f('t'))}, ${r(x.f('T'))}, [${r(x.f('n'))}]`;
const STREXD: Formatter = (x) => `strexd${x.c} ${r(x.f('d'))}, ${r(x.f('t'))}, ${r(x.f('T'))}, [${r(x.f('n'))}]`;
const TBB_TBH: Formatter = (x) =>
  x.f('H') ? `tbh${x.c} [${r(x.f('n'))}, ${r(x.f('m'))}, lsl #1]` : `tbb${x.c} [${r(x.f('n'))}, ${r(x.f('m'))}]`;

/** An immediate-offset address with index/writeback: [Rn, #±imm]{!} or [Rn], #±imm. */
function indexedAddress(x: DisasmInstruction, offset: number): string {
  const n = r(x.f('n'));
  const u = x.f('U');
  const signed = `#${u ? '' : '-'}${offset}`;
  const comment = x.f('n') === 15 ? literal(x, u === 1, offset) : '';
  if (x.f('P') === 0) return `[${n}], ${signed}${comment}`;
  const body = offset === 0 && u ? `[${n}]` : `[${n}, ${signed}]`;
  return body + (x.f('W') ? '!' : '') + comment;
}

const LDRD_STRD: Formatter = (x) =>
  `${x.f('L') ? 'ldrd' : 'strd'}${x.c} ${r(x.f('t'))}, ${r(x.f('T'))}, ${indexedAddress(x, x.f('i') * 4)}`;

// --- single loads and stores -------------------------------------------------------------------

/** Name of a single load/store by sign, size and direction. */
function singleName(x: DisasmInstruction): string {
  const size = ['b', 'h', '', ''][x.f('z')];
  if (!x.f('L')) return `str${size}`;
  return `ldr${x.opt('s') ? 's' : ''}${size}`;
}

/**
 * Byte and halfword loads to PC are the preload hints (A6.3.7, A6.3.8):
 * LDRB → PLD, LDRH → PLDW, LDRSB → PLI (LDRSH is an unallocated hint, a NOP).
 */
function preloadName(x: DisasmInstruction): string | null {
  if (!x.f('L') || x.f('t') !== 15) return null;
  const size = x.f('z');
  const signed = x.opt('s');
  if (size === 0) return signed ? 'pli' : 'pld';
  if (size === 1) return signed ? null : 'pldw';
  return null;
}

/** Stores with Rn = 1111 are UNDEFINED (A8.8.203 and the other store pages, encodings T2-T4). */
const storeToPc = (x: DisasmInstruction) => !x.f('L') && x.f('n') === 15;

const SINGLE_imm12: Formatter = (x) => {
  if (storeToPc(x)) return '';
  const offset = x.f('i');
  const address = offset === 0 ? `[${r(x.f('n'))}]` : `[${r(x.f('n'))}, #${offset}]`;
  const hint = preloadName(x);
  if (hint !== null) return `${hint} ${address}`;
  return `${singleName(x)}${x.c}.w ${r(x.f('t'))}, ${address}`;
};

const SINGLE_imm8: Formatter = (x) => {
  if (storeToPc(x)) return '';
  const offset = x.f('i');
  const puw = (x.f('P') << 2) | (x.f('U') << 1) | x.f('W');
  if (puw === 6) {
    // P U W = 1 1 0: the unprivileged forms (LDRT and friends, A8.8.92).
    const address = offset === 0 ? `[${r(x.f('n'))}]` : `[${r(x.f('n'))}, #${offset}]`;
    return `${singleName(x)}t${x.c} ${r(x.f('t'))}, ${address}`;
  }
  const hint = preloadName(x);
  if (hint !== null) return puw === 4 ? `${hint} [${r(x.f('n'))}, #-${offset}]` : '';
  if (puw === 0 || puw === 2) return '';
  return `${singleName(x)}${x.c}.w ${r(x.f('t'))}, ${indexedAddress(x, offset)}`;
};

const SINGLE_reg: Formatter = (x) => {
  if (storeToPc(x)) return '';
  const shift = x.f('k');
  const address = `[${r(x.f('n'))}, ${r(x.f('m'))}${shift ? `, lsl #${shift}` : ''}]`;
  const hint = preloadName(x);
  if (hint !== null) return `${hint} ${address}`;
  return `${singleName(x)}${x.c}.w ${r(x.f('t'))}, ${address}`;
};

const SINGLE_literal: Formatter = (x) => {
  const offset = x.f('i');
  const u = x.f('U');
  const body = offset === 0 && u ? '[pc]' : `[pc, #${u ? '' : '-'}${offset}]`;
  const hint = preloadName(x);
  if (hint !== null && hint !== 'pldw') return `${hint} ${body}${literal(x, u === 1, offset)}`;
  return `${singleName(x)}${x.c}.w ${r(x.f('t'))}, ${body}${literal(x, u === 1, offset)}`;
};

export const thumb32LoadStore: Encoding<Formatter>[] = [
  { name: 'STM/LDM (increment after)', pattern: '1110 1000 10WL nnnn rrrr rrrr rrrr rrrr', exec: LDM_STM('ia') },
  { name: 'STMDB/LDMDB', pattern: '1110 1001 00WL nnnn rrrr rrrr rrrr rrrr', exec: LDM_STM('db') },
  { name: 'SRS (decrement before)', pattern: '1110 1000 00W0 (1)(1)(0)(1) (1)(1)(0)(0) (0)(0)(0)(0) (0)(0)(0)o oooo', exec: SRS('db') },
  { name: 'SRS (increment after)', pattern: '1110 1001 10W0 (1)(1)(0)(1) (1)(1)(0)(0) (0)(0)(0)(0) (0)(0)(0)o oooo', exec: SRS('ia') },
  { name: 'RFE (decrement before)', pattern: '1110 1000 00W1 nnnn (1)(1)(0)(0) (0)(0)(0)(0) (0)(0)(0)(0) (0)(0)(0)(0)', exec: RFE('db') },
  { name: 'RFE (increment after)', pattern: '1110 1001 10W1 nnnn (1)(1)(0)(0) (0)(0)(0)(0) (0)(0)(0)(0) (0)(0)(0)(0)', exec: RFE('ia') },
  { name: 'STREX', pattern: '1110 1000 0100 nnnn tttt dddd iiii iiii', exec: STREX },
  { name: 'LDREX', pattern: '1110 1000 0101 nnnn tttt (1)(1)(1)(1) iiii iiii', exec: LDREX },
  { name: 'STRD/LDRD (immediate, literal)', pattern: '1110 100P U1WL nnnn tttt TTTT iiii iiii', exec: LDRD_STRD, unless: ['---- ---0 --0- ---- ---- ---- ---- ----'] },
  { name: 'STREXB', pattern: '1110 1000 1100 nnnn tttt (1)(1)(1)(1) 0100 dddd', exec: STREX_bh('strexb') },
  { name: 'STREXH', pattern: '1110 1000 1100 nnnn tttt (1)(1)(1)(1) 0101 dddd', exec: STREX_bh('strexh') },
  { name: 'STREXD', pattern: '1110 1000 1100 nnnn tttt TTTT 0111 dddd', exec: STREXD },
  { name: 'TBB/TBH', pattern: '1110 1000 1101 nnnn (1)(1)(1)(1) (0)(0)(0)(0) 000H mmmm', exec: TBB_TBH },
  { name: 'LDREXB', pattern: '1110 1000 1101 nnnn tttt (1)(1)(1)(1) 0100 (1)(1)(1)(1)', exec: LDREX_bh('ldrexb') },
  { name: 'LDREXH', pattern: '1110 1000 1101 nnnn tttt (1)(1)(1)(1) 0101 (1)(1)(1)(1)', exec: LDREX_bh('ldrexh') },
  { name: 'LDREXD', pattern: '1110 1000 1101 nnnn tttt TTTT 0111 (1)(1)(1)(1)', exec: LDREXD },
  // Stores (A6.3.10): size 00 byte, 01 halfword, 10 word.
  { name: 'STR/STRB/STRH (immediate, 12 bits)', pattern: '1111 1000 1zzL nnnn tttt iiii iiii iiii', exec: SINGLE_imm12, unless: ['---- ---- -11- ---- ---- ---- ---- ----', '---- ---- ---1 ---- ---- ---- ---- ----'] },
  { name: 'STR/STRB/STRH (immediate, 8 bits), STRT', pattern: '1111 1000 0zzL nnnn tttt 1PUW iiii iiii', exec: SINGLE_imm8, unless: ['---- ---- -11- ---- ---- ---- ---- ----', '---- ---- ---1 ---- ---- ---- ---- ----'] },
  { name: 'STR/STRB/STRH (register)', pattern: '1111 1000 0zzL nnnn tttt 0000 00kk mmmm', exec: SINGLE_reg, unless: ['---- ---- -11- ---- ---- ---- ---- ----', '---- ---- ---1 ---- ---- ---- ---- ----'] },
  // Loads (A6.3.7-9): s = signed; a base of PC is the literal form.
  { name: 'LDR/LDRB/LDRH/LDRSB/LDRSH (immediate, 12 bits), PLD/PLDW/PLI', pattern: '1111 100s 1zzL nnnn tttt iiii iiii iiii', exec: SINGLE_imm12, unless: ['---- ---- -11- ---- ---- ---- ---- ----', '---- ---- ---0 ---- ---- ---- ---- ----', '---- ---- ---- 1111 ---- ---- ---- ----', '---- ---1 -1-- ---- ---- ---- ---- ----'] },
  { name: 'LDR/LDRB/LDRH/LDRSB/LDRSH (immediate, 8 bits), LDRT…, PLD/PLDW/PLI', pattern: '1111 100s 0zzL nnnn tttt 1PUW iiii iiii', exec: SINGLE_imm8, unless: ['---- ---- -11- ---- ---- ---- ---- ----', '---- ---- ---0 ---- ---- ---- ---- ----', '---- ---- ---- 1111 ---- ---- ---- ----', '---- ---1 -1-- ---- ---- ---- ---- ----'] },
  { name: 'LDR… (register), PLD/PLDW/PLI (register)', pattern: '1111 100s 0zzL nnnn tttt 0000 00kk mmmm', exec: SINGLE_reg, unless: ['---- ---- -11- ---- ---- ---- ---- ----', '---- ---- ---0 ---- ---- ---- ---- ----', '---- ---- ---- 1111 ---- ---- ---- ----', '---- ---1 -1-- ---- ---- ---- ---- ----'] },
  { name: 'LDR… (literal), PLD/PLI (literal)', pattern: '1111 100s UzzL 1111 tttt iiii iiii iiii', exec: SINGLE_literal, unless: ['---- ---- -11- ---- ---- ---- ---- ----', '---- ---- ---0 ---- ---- ---- ---- ----', '---- ---1 -1-- ---- ---- ---- ---- ----'] },
];
