import type { ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import type { ThumbHandler } from './ThumbPseudocode.ts';

/**
 * 32-bit single loads and stores (ARM ARM A6.3.7 load word, A6.3.8 load
 * halfword, A6.3.9 load byte, A6.3.10 store single data item) and the
 * memory hints PLD, PLDW and PLI, which have no effect in this model.
 *
 * hw1 = 11111 00 S U sz L Rn, where S is "signed", sz the size (00 byte,
 * 01 halfword, 10 word) and L load. The addressing forms:
 *   imm12:   U = 1, Rn + imm12
 *   imm8:    hw2 = Rt 1 P U W imm8: offset (P = 1), pre-indexed with
 *            writeback (P = 1, W = 1) or post-indexed (P = 0, W = 1);
 *            P = 1, U = 1, W = 0 is the unprivileged form (LDRT etc.,
 *            Rn + imm8, no writeback); P = 0, W = 0 is UNDEFINED
 *   register: hw2 = Rt 000000 imm2 Rm, Rn + (Rm LSL imm2)
 *   literal:  Rn = 1111, Align(PC, 4) ± imm12 (loads only; stores with
 *            Rn = 1111 are UNDEFINED)
 * A word load to the PC is LoadWritePC: an interworking branch (A2.3.1).
 * Registers are written only after the access succeeded.
 */

/** What an access moves: the size and, for loads, whether it sign-extends. */
const enum Kind {
  Byte = 0,
  SignedByte = 1,
  Half = 2,
  SignedHalf = 3,
  Word = 4,
}

const SIZE = [1, 1, 2, 2, 4];

function load(c: ArmCpu, address: number, kind: number): number {
  switch (kind) {
    case Kind.Word: return c.read32(address);
    case Kind.Byte: return c.read8(address);
    case Kind.SignedByte: return (c.read8(address) << 24) >> 24;
    case Kind.Half: return c.read16(address);
    default: return (c.read16(address) << 16) >> 16;
  }
}

function store(c: ArmCpu, address: number, kind: number, value: number): void {
  if (kind === Kind.Word) c.write32(address, value);
  else if (kind === Kind.Half) c.write16(address, value & 0xffff);
  else c.write8(address, value & 0xff);
}

/** Write a loaded value to Rt; a word to the PC branches with interworking. */
function writeLoaded(c: ArmCpu, t: number, value: number): void {
  if (t === 15) c.branchExchange(value);
  else c.r[t] = value;
}

// --- loads -----------------------------------------------------------------------------

/** LDR (immediate) T3, the commonest 32-bit load: Rn + imm12. */
const LDR_imm12: ThumbHandler = (c, i) => {
  const v = c.read32((c.r[(i >>> 16) & 15] + (i & 0xfff)) | 0);
  if (c.aborted) return;
  writeLoaded(c, (i >>> 12) & 15, v);
};

function loadImm12(kind: number): ThumbHandler {
  return (c, i) => {
    const v = load(c, (c.r[(i >>> 16) & 15] + (i & 0xfff)) | 0, kind);
    if (!c.aborted) writeLoaded(c, (i >>> 12) & 15, v);
  };
}

function loadImm8(kind: number): ThumbHandler {
  return (c, i) => {
    const n = (i >>> 16) & 15;
    const base = c.r[n];
    const offsetAddress = (i & 0x200) !== 0 ? (base + (i & 0xff)) | 0 : (base - (i & 0xff)) | 0;
    const v = load(c, (i & 0x400) !== 0 ? offsetAddress : base, kind);
    if (c.aborted) return;
    if ((i & 0x100) !== 0) c.r[n] = offsetAddress;
    writeLoaded(c, (i >>> 12) & 15, v);
  };
}

function loadRegister(kind: number): ThumbHandler {
  return (c, i) => {
    const v = load(c, (c.r[(i >>> 16) & 15] + (c.r[i & 15] << ((i >>> 4) & 3))) | 0, kind);
    if (!c.aborted) writeLoaded(c, (i >>> 12) & 15, v);
  };
}

/** Literal loads (A8.8.64 and friends): the base is Align(PC, 4); U = hw1[7]. */
function loadLiteral(kind: number): ThumbHandler {
  return (c, i) => {
    const base = c.r[15] & ~3;
    const v = load(c, (i & 0x800000) !== 0 ? (base + (i & 0xfff)) | 0 : (base - (i & 0xfff)) | 0, kind);
    if (!c.aborted) writeLoaded(c, (i >>> 12) & 15, v);
  };
}

/** LDRT, LDRBT, LDRHT, LDRSBT, LDRSHT T1: Rn + imm8 read as from User mode, no writeback. */
function loadUnprivileged(kind: number): ThumbHandler {
  return (c, i) => {
    let v = c.readUnprivileged((c.r[(i >>> 16) & 15] + (i & 0xff)) | 0, SIZE[kind]);
    if (c.aborted) return;
    if (kind === Kind.SignedByte) v = (v << 24) >> 24;
    else if (kind === Kind.SignedHalf) v = (v << 16) >> 16;
    c.r[(i >>> 12) & 15] = v;
  };
}

// --- stores ----------------------------------------------------------------------------

/** STR (immediate) T3. */
const STR_imm12: ThumbHandler = (c, i) => {
  c.write32((c.r[(i >>> 16) & 15] + (i & 0xfff)) | 0, c.r[(i >>> 12) & 15]);
};

function storeImm12(kind: number): ThumbHandler {
  return (c, i) => store(c, (c.r[(i >>> 16) & 15] + (i & 0xfff)) | 0, kind, c.r[(i >>> 12) & 15]);
}

function storeImm8(kind: number): ThumbHandler {
  return (c, i) => {
    const n = (i >>> 16) & 15;
    const base = c.r[n];
    const offsetAddress = (i & 0x200) !== 0 ? (base + (i & 0xff)) | 0 : (base - (i & 0xff)) | 0;
    store(c, (i & 0x400) !== 0 ? offsetAddress : base, kind, c.r[(i >>> 12) & 15]);
    if (!c.aborted && (i & 0x100) !== 0) c.r[n] = offsetAddress;
  };
}

function storeRegister(kind: number): ThumbHandler {
  return (c, i) => store(c, (c.r[(i >>> 16) & 15] + (c.r[i & 15] << ((i >>> 4) & 3))) | 0, kind, c.r[(i >>> 12) & 15]);
}

function storeUnprivileged(kind: number): ThumbHandler {
  return (c, i) => c.writeUnprivileged((c.r[(i >>> 16) & 15] + (i & 0xff)) | 0, SIZE[kind], c.r[(i >>> 12) & 15]);
}

/** PLD, PLDW, PLI and the unallocated memory hints: no caches to warm, so no effect (and never a fault). */
const HINT: ThumbHandler = () => {};

// --- tables ------------------------------------------------------------------------------

const RN_PC = '---- ---- ---- 1111 ---- ---- ---- ----';
const RT_PC = '---- ---- ---- ---- 1111 ---- ---- ----';
/** imm8 forms: P = 0 and W = 0 is UNDEFINED; P U W = 110 is the unprivileged form. */
const NOT_IMM8 = ['---- ---- ---- ---- ---- 10-0 ---- ----', '---- ---- ---- ---- ---- 1110 ---- ----'];
/** With Rt = 1111, the negative-offset imm8 form (P U W = 100) of a byte or halfword load is a hint. */
const HINT_IMM8 = '---- ---- ---- ---- 1111 1100 ---- ----';

function loadForms(name: string, s: string, sz: string, kind: number): Encoding<ThumbHandler>[] {
  const hints = kind !== Kind.Word;
  const plus = (list: string[], extra: string[]) => (hints ? [...list, ...extra] : list);
  const hw1 = (u: string, n: string) => `11111 00 ${s} ${u} ${sz} 1 ${n}`;
  const forms: Encoding<ThumbHandler>[] = [
    {
      name: `${name} (immediate, imm12)`,
      pattern: `${hw1('1', 'nnnn')} tttt iiiiiiiiiiii`,
      exec: kind === Kind.Word ? LDR_imm12 : loadImm12(kind),
      unless: plus([RN_PC], [RT_PC]),
    },
    {
      name: `${name} (immediate, imm8)`,
      pattern: `${hw1('0', 'nnnn')} tttt 1 PUW iiiiiiii`,
      exec: loadImm8(kind),
      unless: plus([RN_PC, ...NOT_IMM8], [HINT_IMM8]),
    },
    { name: `${name}T`, pattern: `${hw1('0', 'nnnn')} tttt 1110 iiiiiiii`, exec: loadUnprivileged(kind), unless: [RN_PC] },
    {
      name: `${name} (register)`,
      pattern: `${hw1('0', 'nnnn')} tttt 000000 ii mmmm`,
      exec: loadRegister(kind),
      unless: plus([RN_PC], [RT_PC]),
    },
    { name: `${name} (literal)`, pattern: `${hw1('U', '1111')} tttt iiiiiiiiiiii`, exec: loadLiteral(kind), unless: plus([], [RT_PC]) },
  ];
  if (hints) {
    const hint = kind === Kind.Byte ? 'PLD' : kind === Kind.SignedByte ? 'PLI' : kind === Kind.Half ? 'PLDW / hint' : 'hint';
    forms.push(
      { name: `${hint} (immediate, imm12)`, pattern: `${hw1('1', 'nnnn')} 1111 iiiiiiiiiiii`, exec: HINT, unless: [RN_PC] },
      { name: `${hint} (immediate, imm8)`, pattern: `${hw1('0', 'nnnn')} 1111 1100 iiiiiiii`, exec: HINT, unless: [RN_PC] },
      { name: `${hint} (register)`, pattern: `${hw1('0', 'nnnn')} 1111 000000 ii mmmm`, exec: HINT, unless: [RN_PC] },
      { name: `${hint} (literal)`, pattern: `${hw1('U', '1111')} 1111 iiiiiiiiiiii`, exec: HINT },
    );
  }
  return forms;
}

function storeForms(name: string, sz: string, kind: number): Encoding<ThumbHandler>[] {
  const hw1 = (u: string) => `11111 000 ${u} ${sz} 0 nnnn`;
  return [
    { name: `${name} (immediate, imm12)`, pattern: `${hw1('1')} tttt iiiiiiiiiiii`, exec: kind === Kind.Word ? STR_imm12 : storeImm12(kind), unless: [RN_PC] },
    { name: `${name} (immediate, imm8)`, pattern: `${hw1('0')} tttt 1 PUW iiiiiiii`, exec: storeImm8(kind), unless: [RN_PC, ...NOT_IMM8] },
    { name: `${name}T`, pattern: `${hw1('0')} tttt 1110 iiiiiiii`, exec: storeUnprivileged(kind), unless: [RN_PC] },
    { name: `${name} (register)`, pattern: `${hw1('0')} tttt 000000 ii mmmm`, exec: storeRegister(kind), unless: [RN_PC] },
  ];
}

export const thumb32LoadStoreEncodings: Encoding<ThumbHandler>[] = [
  ...loadForms('LDRB', '0', '00', Kind.Byte),
  ...loadForms('LDRSB', '1', '00', Kind.SignedByte),
  ...loadForms('LDRH', '0', '01', Kind.Half),
  ...loadForms('LDRSH', '1', '01', Kind.SignedHalf),
  ...loadForms('LDR', '0', '10', Kind.Word),
  ...storeForms('STRB', '00', Kind.Byte),
  ...storeForms('STRH', '01', Kind.Half),
  ...storeForms('STR', '10', Kind.Word),
];
