import { shiftImmediate } from './DataProcessingEmitter.ts';
import type { RegionEmitter } from './RegionEmitter.ts';

/**
 * JavaScript for loads and stores (ARM ARM A5.3, A5.2.8, A5.5; pages
 * A8.8.62–A8.8.91, A8.8.199–A8.8.219). The fast path is the interpreter's:
 * a soft-TLB hit in the current mode's read or write context, an aligned
 * access, RAM through the region's typed-array views. Anything else (a miss,
 * an unaligned address, a device, a code page, big-endian data, a watched
 * address) runs the instruction's own handler from the exact interpreter
 * state, which takes the slow path, faults or not, and the block goes on or
 * returns as the handler left things. The fast path has no side effect before
 * its check, so falling back is always clean.
 */

const P = 1 << 24;
const U = 1 << 23;
const W = 1 << 21;

type Size = 4 | 2 | 1;

/** TLB look-up for `va`; returns the names of the slot index and the check expression. */
function tlbCheck(e: RegionEmitter, va: string, write: boolean, size: Size): { slot: string; hit: string } {
  // A side exit must find every flag in its local, or a subtraction's operands (RegionEmitter.exit).
  e.flagsBeforeAccess();
  const vp = e.tmp('vp');
  const slot = e.tmp('ti');
  e.line(`const ${vp} = ${va} >>> 12, ${slot} = ${write ? 'WB' : 'RB'} + (${vp} & 2047);`);
  const aligned = size === 4 ? ` && (${va} & 3) === 0` : size === 2 ? ` && (${va} & 1) === 0` : '';
  return { slot, hit: `TAG[${slot}] === ${vp}${aligned}` };
}

/** Typed-array element for an access of `size` at `va` through TLB slot `slot`. */
function element(va: string, slot: string, size: Size): string {
  if (size === 4) return `W32[${slot}][(OFF[${slot}] + (${va} & 4095)) >>> 2]`;
  if (size === 2) return `H16[${slot}][(OFF[${slot}] + (${va} & 4095)) >>> 1]`;
  return `B8[${slot}][OFF[${slot}] + (${va} & 4095)]`;
}

interface Addressing {
  /** Captured base register value. */
  readonly base: string;
  /** Captured Rn ± offset. */
  readonly offsetAddress: string;
  /** Address accessed (offsetAddress when P, else base). */
  readonly address: string;
  /** Whether the base register is written back. */
  readonly writeBack: boolean;
}

/**
 * Base, offset and indexing of a single load/store (A5.3): offset imm12 or a
 * shifted Rm (word/byte forms), imm4H:imm4L or Rm (extra forms).
 */
function addressing(e: RegionEmitter, extra: boolean, registerOffset: boolean): Addressing | null {
  const w = e.insn.word;
  const n = (w >>> 16) & 15;
  const writeBack = (w & P) === 0 || (w & W) !== 0;
  if (writeBack && n === 15) return null; // UNPREDICTABLE; the handler's behaviour stands
  let offset: string;
  // A T32 form carries its offset apart (imm12 for the extra forms too, A6.3.7–A6.3.10).
  if (!registerOffset) offset = String(e.insn.imm ?? (extra ? ((w >>> 4) & 0xf0) | (w & 0xf) : w & 0xfff));
  else if (extra) offset = e.capture(e.reg(w & 15), 'o');
  else offset = e.capture(shiftImmediate(e, e.capture(e.reg(w & 15), 'm'), (w >>> 5) & 3, (w >>> 7) & 31, false).value, 'o');
  const base = e.capture(e.reg(n), 'b');
  let offsetAddress: string;
  if (offset === '0') offsetAddress = base;
  else offsetAddress = e.capture(`(${base} ${(w & U) !== 0 ? '+' : '-'} ${offset}) | 0`, 'a');
  return { base, offsetAddress, address: (w & P) !== 0 ? offsetAddress : base, writeBack };
}

/** Names of the single-transfer forms: size, signedness, load or store, extra form. */
const SINGLE: Record<string, { size: Size; signed: boolean; load: boolean; extra: boolean }> = {
  LDR: { size: 4, signed: false, load: true, extra: false },
  LDRB: { size: 1, signed: false, load: true, extra: false },
  STR: { size: 4, signed: false, load: false, extra: false },
  STRB: { size: 1, signed: false, load: false, extra: false },
  LDRH: { size: 2, signed: false, load: true, extra: true },
  LDRSH: { size: 2, signed: true, load: true, extra: true },
  LDRSB: { size: 1, signed: true, load: true, extra: true },
  STRH: { size: 2, signed: false, load: false, extra: true },
};

/**
 * A single load or store; false when the handler must run it. LDR with
 * Rt = PC is the caller's (it ends the block): see `emitLoadPc`.
 */
export function emitSingle(e: RegionEmitter): boolean {
  const m = /^(LDR|LDRB|STR|STRB|LDRH|LDRSH|LDRSB|STRH) \((immediate|register)\)$/.exec(e.insn.name);
  if (m === null) return false;
  const kind = SINGLE[m[1]];
  const w = e.insn.word;
  const t = (w >>> 12) & 15;
  if (kind.load && t === 15) return false;
  const a = addressing(e, kind.extra, m[2] === 'register');
  if (a === null) return false;
  const n = (w >>> 16) & 15;
  const { slot, hit } = tlbCheck(e, a.address, !kind.load, kind.size);
  e.line(`if (${hit}) {`);
  if (kind.load) {
    let value = element(a.address, slot, kind.size);
    if (kind.signed) value = kind.size === 1 ? `((${value} << 24) >> 24)` : `((${value} << 16) >> 16)`;
    const v = e.capture(value, 'v');
    // The handlers write the base back before Rt (Rt wins when they are the same register).
    if (a.writeBack) e.setReg(n, a.offsetAddress);
    e.setReg(t, v);
  } else {
    const value = e.reg(t);
    const stored = kind.size === 4 ? value : kind.size === 2 ? `${value} & 65535` : `${value} & 255`;
    e.line(`${element(a.address, slot, kind.size)} = ${stored};`);
    if (a.writeBack) e.setReg(n, a.offsetAddress);
  }
  e.line('} else {');
  e.sideExit();
  e.line('}');
  return true;
}

/**
 * LDR PC (immediate or register), POP {PC} among them: loads the target,
 * writes the base back, and returns the target's name (the caller ends the
 * block with an interworking branch, LoadWritePC A2.3.1).
 */
export function emitLoadPc(e: RegionEmitter): string | null {
  const m = /^LDR \((immediate|register)\)$/.exec(e.insn.name);
  if (m === null) return null;
  const a = addressing(e, false, m[1] === 'register');
  if (a === null) return null;
  const n = (e.insn.word >>> 16) & 15;
  const { slot, hit } = tlbCheck(e, a.address, false, 4);
  e.line(`if (!(${hit})) {`);
  e.sideExit();
  e.line('}');
  const target = e.capture(element(a.address, slot, 4), 'j');
  if (a.writeBack) e.setReg(n, a.offsetAddress);
  return target;
}

/**
 * LDRD / STRD (A8.8.72, A8.8.210): two aligned words; in A32 odd Rt or Rt =
 * LR is the handler's. T32 names both registers (`rt2`); SP, PC or the
 * same register twice are left to the handler.
 */
export function emitDouble(e: RegionEmitter): boolean {
  const m = /^(LDRD|STRD) \((immediate|register)\)$/.exec(e.insn.name);
  if (m === null) return false;
  const w = e.insn.word;
  const t = (w >>> 12) & 15;
  const t2 = e.insn.rt2 ?? t + 1;
  if (e.insn.rt2 === undefined ? (t & 1) !== 0 || t === 14 : t === t2 || t >= 13 || t2 >= 13) return false;
  const load = m[1] === 'LDRD';
  const a = addressing(e, true, m[2] === 'register');
  if (a === null) return false;
  const n = (w >>> 16) & 15;
  const { slot, hit } = tlbCheck(e, a.address, !load, 4);
  // Both words in the page: an aligned pair starting at most 8 bytes before its end.
  e.line(`if (${hit} && (${a.address} & 4095) <= 4088) {`);
  const index = e.capture(`(OFF[${slot}] + (${a.address} & 4095)) >>> 2`, 'x');
  const words = e.capture(`W32[${slot}]`, 'wa');
  if (load) {
    const low = e.capture(`${words}[${index}]`, 'v');
    const high = e.capture(`${words}[${index} + 1]`, 'v');
    if (a.writeBack) e.setReg(n, a.offsetAddress);
    e.setReg(t, low);
    e.setReg(t2, high);
  } else {
    e.line(`${words}[${index}] = ${e.reg(t)};`);
    e.line(`${words}[${index} + 1] = ${e.reg(t2)};`);
    if (a.writeBack) e.setReg(n, a.offsetAddress);
  }
  e.line('} else {');
  e.sideExit();
  e.line('}');
  return true;
}

function bitCount(list: number): number {
  let k = 0;
  for (let r = list; r !== 0; r &= r - 1) k++;
  return k;
}

/**
 * LDM/STM (A8.8.58–61, A8.8.199–202), PUSH/POP included, when every word
 * lies in one page that hits the TLB. Returns the name of the loaded PC for
 * an LDM with the PC (the caller ends the block), '' otherwise, or null
 * when the handler must run it. Loads complete before any register is
 * written; the base is written back before the loaded registers (so a
 * loaded base wins), as the interpreter does.
 */
export function emitMultiple(e: RegionEmitter): string | null {
  const name = e.insn.name;
  const load = name === 'LDM (LDMDA, LDMIA, LDMDB, LDMIB)';
  if (!load && name !== 'STM (STMDA, STMIA, STMDB, STMIB)') return null;
  const w = e.insn.word;
  const n = (w >>> 16) & 15;
  const list = w & 0xffff;
  const count = bitCount(list);
  if (n === 15 || count === 0) return null;
  const base = e.capture(e.reg(n), 'b');
  let start: string;
  switch (w & (P | U)) {
    case U: start = base; break; // IA
    case P | U: start = e.capture(`(${base} + 4) | 0`, 'a'); break; // IB
    case P: start = e.capture(`(${base} - ${4 * count}) | 0`, 'a'); break; // DB
    default: start = e.capture(`(${base} - ${4 * count - 4}) | 0`, 'a'); break; // DA
  }
  const { slot, hit } = tlbCheck(e, start, !load, 4);
  e.line(`if (!(${hit} && (${start} & 4095) <= ${4096 - 4 * count})) {`);
  e.sideExit();
  e.line('} else {');
  const index = e.capture(`(OFF[${slot}] + (${start} & 4095)) >>> 2`, 'x');
  const words = e.capture(`W32[${slot}]`, 'wa');
  const newBase = (w & U) !== 0 ? `(${base} + ${4 * count}) | 0` : `(${base} - ${4 * count}) | 0`;
  let k = 0;
  let pc = '';
  if (load) {
    const loaded: [number, string][] = [];
    for (let r = 0; r < 16; r++) {
      if ((list & (1 << r)) === 0) continue;
      loaded.push([r, e.capture(`${words}[${index} + ${k++}]`, 'v')]);
    }
    if ((w & W) !== 0) e.setReg(n, `(${newBase})`);
    for (const [r, v] of loaded) {
      if (r === 15) pc = v;
      else e.setReg(r, v);
    }
  } else {
    for (let r = 0; r < 16; r++) {
      if ((list & (1 << r)) === 0) continue;
      e.line(`${words}[${index} + ${k++}] = ${e.reg(r)};`);
    }
    if ((w & W) !== 0) e.setReg(n, `(${newBase})`);
  }
  if (pc !== '') {
    // Hoist the target out of the else-block scope for the caller.
    e.line(`jt = ${pc};`);
    pc = 'jt';
  }
  e.line('}');
  return pc;
}
