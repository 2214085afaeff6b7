import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { UNDEFINED } = neonFieldsModule;

/**
 * Advanced SIMD element and structure loads and stores (ARM ARM A7.7,
 * A8.8.320–A8.8.331, A8.8.400–A8.8.411): VLD1–VLD4 and VST1–VST4 of
 * multiple structures, of a single lane, and (loads only) to all lanes.
 *
 * A transfer of n-element structures walks memory in order: structure
 * member s of element e goes to register d + r + s·inc (multiple), lane
 * `index` of d + s·inc (single), or every lane of d + s·inc (all lanes).
 * Element accesses are MemU (unaligned allowed unless SCTLR.A); when the
 * alignment field asks for more, a misaligned address takes the Alignment
 * fault whatever SCTLR.A says (A3.2.1). Loads go through a scratch image of
 * the registers so a Data Abort part-way leaves the registers unchanged.
 * Writeback: Rm = 1111 none, Rm = 1101 the transfer size, else + Rm.
 */

const enum Shape {
  Multiple,
  SingleLane,
  AllLanes,
}

interface Transfer {
  readonly shape: Shape;
  /** Structure members (1–4). */
  readonly members: number;
  /** Registers per member (multiple: VLD1 1–4, VLD2 1–2), or 2 for VLD1 to all lanes with T = 1. */
  readonly regs: number;
  /** Register spacing between members. */
  readonly inc: number;
  readonly ebytes: number;
  /** Required address alignment in bytes (1: none beyond MemU's). */
  readonly alignment: number;
  readonly index: number;
}

/** The registers' image while loading: up to 8 consecutive D registers (d … d+7). */
const image = new Uint8Array(64);
const imageWords = new Int32Array(image.buffer);

function readElement(c: ArmCpu, address: number, ebytes: number, at: number): void {
  if (ebytes === 1) image[at] = c.read8(address);
  else if (ebytes === 2) {
    const v = c.read16(address);
    image[at] = v;
    image[at + 1] = v >>> 8;
  } else if (ebytes === 4) {
    const v = c.read32(address);
    image[at] = v;
    image[at + 1] = v >>> 8;
    image[at + 2] = v >>> 16;
    image[at + 3] = v >>> 24;
  } else {
    // A 64-bit element: with CPSR.E set the word at the lower address is its high half (A3.3).
    const first = c.endianBig === 0 ? at : at + 4;
    readElement(c, address, 4, first);
    if (!c.aborted) readElement(c, (address + 4) | 0, 4, first ^ 4);
  }
}

function writeElement(c: ArmCpu, address: number, ebytes: number, words: Int32Array, reg: number, byte: number): void {
  const w = words[2 * reg + (byte >>> 2)];
  if (ebytes === 1) c.write8(address, (w >>> (8 * (byte & 3))) & 0xff);
  else if (ebytes === 2) c.write16(address, (w >>> (8 * (byte & 3))) & 0xffff);
  else if (ebytes === 4) c.write32(address, w);
  else {
    const big = c.endianBig !== 0;
    c.write32(address, big ? words[2 * reg + 1] : w);
    if (!c.aborted) c.write32((address + 4) | 0, big ? w : words[2 * reg + 1]);
  }
}

/** SCTLR.A (HSCTLR.A in Hyp mode): 64-bit elements need 8-byte alignment when it is set. */
function strictAlignment(c: ArmCpu): boolean {
  return ((c.privilegeLevel === 2 ? c.sys.hsctlr : c.sys.sctlr) & 2) !== 0;
}

function build(t: Transfer | null, load: boolean) {
  return (i: number): A32Handler => {
    if (t === null) return UNDEFINED;
    const d = (((i >>> 22) & 1) << 4) | ((i >>> 12) & 15);
    const n = (i >>> 16) & 15;
    const m = i & 15;
    const span = t.shape === Shape.Multiple ? t.regs + (t.members - 1) * t.inc : (t.members - 1) * t.inc + (t.shape === Shape.AllLanes ? t.regs : 1);
    if (d + span > 32 || n === 15) return UNDEFINED;
    const total = t.shape === Shape.Multiple ? 8 * t.regs * t.members : t.ebytes * t.members;
    const elements = 8 / t.ebytes;
    // VLD1/VST1 of multiple registers move the registers' bytes in order, whatever the element size.
    const wholeWords = t.shape === Shape.Multiple && t.members === 1;
    const { shape, members, regs, inc, ebytes, alignment, index } = t;
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, d + span - 1)) return c.undefinedInstruction(word);
      const base = c.r[n];
      if (alignment > 1 && (base & (alignment - 1)) !== 0) {
        c.alignmentFault(base, !load);
        return;
      }
      if (ebytes === 8 && (base & 7) !== 0 && strictAlignment(c)) {
        c.alignmentFault(base, !load);
        return;
      }
      const words = c.vfp.words;
      let address = base;
      if (load) {
        for (let k = 0; k < 2 * span; k++) imageWords[k] = words[2 * d + k];
        if (wholeWords && (address & 3) === 0 && c.endianBig === 0) {
          // VLD1 of whole registers, word-aligned, little-endian: memory is the registers' bytes in order.
          for (let k = 0; k < 2 * regs; k++) {
            imageWords[k] = c.read32((address + 4 * k) | 0);
            if (c.aborted) return;
          }
        } else if (shape === Shape.Multiple) {
          for (let r = 0; r < regs; r++) {
            for (let e = 0; e < elements; e++) {
              for (let s = 0; s < members; s++) {
                readElement(c, address, ebytes, 8 * (r + s * inc) + e * ebytes);
                if (c.aborted) return;
                address = (address + ebytes) | 0;
              }
            }
          }
        } else {
          for (let s = 0; s < members; s++) {
            const reg = s * inc;
            if (shape === Shape.SingleLane) readElement(c, address, ebytes, 8 * reg + index * ebytes);
            else {
              readElement(c, address, ebytes, 8 * reg);
              for (let e = 1; e < elements; e++) {
                for (let b = 0; b < ebytes; b++) image[8 * reg + e * ebytes + b] = image[8 * reg + b];
              }
              // VLD1 to all lanes with T = 1 fills two registers.
              for (let r = 1; r < regs; r++) for (let b = 0; b < 8; b++) image[8 * (reg + r) + b] = image[8 * reg + b];
            }
            if (c.aborted) return;
            address = (address + ebytes) | 0;
          }
        }
        for (let k = 0; k < 2 * span; k++) words[2 * d + k] = imageWords[k];
      } else if (wholeWords && (address & 3) === 0 && c.endianBig === 0) {
        for (let k = 0; k < 2 * regs; k++) {
          c.write32((address + 4 * k) | 0, words[2 * d + k]);
          if (c.aborted) return;
        }
      } else if (shape === Shape.Multiple) {
        for (let r = 0; r < regs; r++) {
          for (let e = 0; e < elements; e++) {
            for (let s = 0; s < members; s++) {
              writeElement(c, address, ebytes, words, d + r + s * inc, e * ebytes);
              if (c.aborted) return;
              address = (address + ebytes) | 0;
            }
          }
        }
      } else {
        for (let s = 0; s < members; s++) {
          writeElement(c, address, ebytes, words, d + s * inc, index * ebytes);
          if (c.aborted) return;
          address = (address + ebytes) | 0;
        }
      }
      if (m === 15) return;
      c.r[n] = m === 13 ? (base + total) | 0 : (base + c.r[m]) | 0;
    };
  };
}

// --- decoding the forms (A8.8.320 …) --------------------------------------------------------------

function transfer(shape: Shape, members: number, regs: number, inc: number, ebytes: number, alignment: number, index = 0): Transfer {
  return { shape, members, regs, inc, ebytes, alignment, index };
}

/** Multiple structures: type = bits 11:8, size = bits 7:6, align = bits 5:4. */
function multiple(i: number): Transfer | null {
  const type = (i >>> 8) & 15;
  const size = (i >>> 6) & 3;
  const align = (i >>> 4) & 3;
  const ebytes = 1 << size;
  const wide = align === 0 ? 1 : 4 << align;
  switch (type) {
    case 0b0111: return (align & 2) !== 0 ? null : transfer(Shape.Multiple, 1, 1, 1, ebytes, wide);
    case 0b1010: return align === 3 ? null : transfer(Shape.Multiple, 1, 2, 1, ebytes, wide);
    case 0b0110: return (align & 2) !== 0 ? null : transfer(Shape.Multiple, 1, 3, 1, ebytes, wide);
    case 0b0010: return transfer(Shape.Multiple, 1, 4, 1, ebytes, wide);
    case 0b1000:
    case 0b1001:
      return size === 3 || align === 3 ? null : transfer(Shape.Multiple, 2, 1, type === 0b1000 ? 1 : 2, ebytes, wide);
    case 0b0011: return size === 3 ? null : transfer(Shape.Multiple, 2, 2, 2, ebytes, wide);
    case 0b0100:
    case 0b0101:
      return size === 3 || (align & 2) !== 0 ? null : transfer(Shape.Multiple, 3, 1, type === 0b0100 ? 1 : 2, ebytes, align === 0 ? 1 : 8);
    case 0b0000:
    case 0b0001:
      return size === 3 ? null : transfer(Shape.Multiple, 4, 1, type === 0b0000 ? 1 : 2, ebytes, wide);
  }
  return null;
}

/** Single lane: size = bits 11:10 (not 11), members − 1 = bits 9:8, index_align = bits 7:4. */
function singleLane(i: number): Transfer | null {
  const size = (i >>> 10) & 3;
  const members = ((i >>> 8) & 3) + 1;
  const ia = (i >>> 4) & 15;
  const ebytes = 1 << size;
  const index = ia >>> (size + 1);
  switch (members) {
    case 1:
      if (size === 0) return (ia & 1) !== 0 ? null : transfer(Shape.SingleLane, 1, 1, 1, 1, 1, index);
      if (size === 1) return (ia & 2) !== 0 ? null : transfer(Shape.SingleLane, 1, 1, 1, 2, ia & 1 ? 2 : 1, index);
      if ((ia & 4) !== 0 || ((ia & 3) !== 0 && (ia & 3) !== 3)) return null;
      return transfer(Shape.SingleLane, 1, 1, 1, 4, (ia & 3) === 3 ? 4 : 1, index);
    case 2:
      if (size === 0) return transfer(Shape.SingleLane, 2, 1, 1, 1, ia & 1 ? 2 : 1, index);
      if (size === 1) return transfer(Shape.SingleLane, 2, 1, ia & 2 ? 2 : 1, 2, ia & 1 ? 4 : 1, index);
      if ((ia & 2) !== 0) return null;
      return transfer(Shape.SingleLane, 2, 1, ia & 4 ? 2 : 1, 4, ia & 1 ? 8 : 1, index);
    case 3:
      if (size === 0) return (ia & 1) !== 0 ? null : transfer(Shape.SingleLane, 3, 1, 1, 1, 1, index);
      if (size === 1) return (ia & 1) !== 0 ? null : transfer(Shape.SingleLane, 3, 1, ia & 2 ? 2 : 1, 2, 1, index);
      if ((ia & 3) !== 0) return null;
      return transfer(Shape.SingleLane, 3, 1, ia & 4 ? 2 : 1, 4, 1, index);
    default:
      if (size === 0) return transfer(Shape.SingleLane, 4, 1, 1, 1, ia & 1 ? 4 : 1, index);
      if (size === 1) return transfer(Shape.SingleLane, 4, 1, ia & 2 ? 2 : 1, 2, ia & 1 ? 8 : 1, index);
      if ((ia & 3) === 3) return null;
      return transfer(Shape.SingleLane, 4, 1, ia & 4 ? 2 : 1, 4, (ia & 3) === 0 ? 1 : 4 << (ia & 3), index);
  }
}

/** To all lanes: members − 1 = bits 9:8, size = bits 7:6, T = bit 5, a = bit 4. */
function allLanes(i: number): Transfer | null {
  const members = ((i >>> 8) & 3) + 1;
  const size = (i >>> 6) & 3;
  const t = (i >>> 5) & 1;
  const a = (i >>> 4) & 1;
  const ebytes = 1 << size;
  switch (members) {
    case 1:
      if (size === 3 || (size === 0 && a === 1)) return null;
      return transfer(Shape.AllLanes, 1, t + 1, 1, ebytes, a ? ebytes : 1);
    case 2:
      if (size === 3) return null;
      return transfer(Shape.AllLanes, 2, 1, t + 1, ebytes, a ? 2 * ebytes : 1);
    case 3:
      if (size === 3 || a === 1) return null;
      return transfer(Shape.AllLanes, 3, 1, t + 1, ebytes, 1);
    default:
      if (size === 3) return a === 0 ? null : transfer(Shape.AllLanes, 4, 1, t + 1, 4, 16);
      return transfer(Shape.AllLanes, 4, 1, t + 1, ebytes, a === 0 ? 1 : size === 2 ? 8 : 4 * ebytes);
  }
}

function encoding(name: string, pattern: string, decode: (i: number) => Transfer | null, load: boolean): Encoding<A32Handler> {
  const specialize = (i: number) => build(decode(i), load)(i);
  return { name, pattern, exec: (cpu: ArmCpu, i: number) => specialize(i)(cpu, i), specialize };
}

export const elementLoadStoreEncodings: Encoding<A32Handler>[] = [
  encoding('VST1-VST4 (multiple structures)', '1111 0100 0D00 nnnn dddd tttt zzaa mmmm', multiple, false),
  encoding('VLD1-VLD4 (multiple structures)', '1111 0100 0D10 nnnn dddd tttt zzaa mmmm', multiple, true),
  {
    ...encoding('VST1-VST4 (single element from one lane)', '1111 0100 1D00 nnnn dddd zzNN iiii mmmm', singleLane, false),
    unless: ['1111 0100 1-00 ---- ---- 11-- ---- ----'],
  },
  {
    ...encoding('VLD1-VLD4 (single element to one lane)', '1111 0100 1D10 nnnn dddd zzNN iiii mmmm', singleLane, true),
    unless: ['1111 0100 1-10 ---- ---- 11-- ---- ----'],
  },
  encoding('VLD1-VLD4 (single element to all lanes)', '1111 0100 1D10 nnnn dddd 11NN zzTa mmmm', allLanes, true),
];
