import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { quad, UNDEFINED, vd } = neonFieldsModule;

/**
 * Advanced SIMD one register and a modified immediate (ARM ARM A7.4.6):
 * 1111 001i 1D00 0iii dddd cmod 0Qo1 iiii. AdvSIMDExpandImm(op, cmode,
 * imm8) (A7.4.6) gives a 64-bit constant, written here as two words.
 */

const expanded = new Int32Array(2);

/** AdvSIMDExpandImm into `expanded` (low word, high word). */
export function expandImmediate(op: number, cmode: number, imm8: number): void {
  let word: number;
  switch (cmode >>> 1) {
    case 0: word = imm8; break;
    case 1: word = imm8 << 8; break;
    case 2: word = imm8 << 16; break;
    case 3: word = imm8 << 24; break;
    case 4: word = imm8 | (imm8 << 16); break;
    case 5: word = (imm8 << 8) | (imm8 << 24); break;
    case 6: word = (cmode & 1) === 0 ? (imm8 << 8) | 0xff : (imm8 << 16) | 0xffff; break;
    default:
      if ((cmode & 1) === 0 && op === 1) {
        // Each bit of imm8 becomes a byte of ones or zeros.
        let lo = 0;
        let hi = 0;
        for (let k = 0; k < 4; k++) {
          if ((imm8 >>> k) & 1) lo |= 0xff << (8 * k);
          if ((imm8 >>> (k + 4)) & 1) hi |= 0xff << (8 * k);
        }
        expanded[0] = lo;
        expanded[1] = hi;
        return;
      }
      if ((cmode & 1) === 0) word = imm8 * 0x01010101;
      else {
        // VFPExpandImm for single precision: a:NOT(b):bbbbb:cdefgh:Zeros(19).
        word = ((imm8 >>> 7) << 31) | ((imm8 & 0x40) !== 0 ? 0x3e000000 : 0x40000000) | ((imm8 & 0x3f) << 19);
      }
  }
  expanded[0] = word;
  expanded[1] = word;
}

const enum Kind {
  Move,
  MoveNot,
  Or,
  AndNot,
}

function immediateForm(kind: Kind) {
  return (i: number): A32Handler => {
    const q = quad(i);
    const d = vd(i);
    if (q && (d & 1) !== 0) return UNDEFINED;
    const imm8 = ((i >>> 17) & 0x80) | ((i >>> 12) & 0x70) | (i & 15);
    const cmode = (i >>> 8) & 15;
    const op = (i >>> 5) & 1;
    expandImmediate(op, cmode, imm8);
    const lo = expanded[0];
    const hi = expanded[1];
    const words = q ? 4 : 2;
    const last = d + words / 2 - 1;
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      const r = c.vfp.words;
      for (let k = 0; k < words; k++) {
        const v = (k & 1) === 0 ? lo : hi;
        const at = 2 * d + k;
        if (kind === Kind.Move) r[at] = v;
        else if (kind === Kind.MoveNot) r[at] = ~v;
        else if (kind === Kind.Or) r[at] |= v;
        else r[at] &= ~v;
      }
    };
  };
}

function form(name: string, cmode: string, op: string, build: (i: number) => A32Handler): Encoding<A32Handler> {
  return {
    name,
    pattern: `1111 001i 1D00 0iii dddd ${cmode} 0Q${op}1 iiii`,
    exec: (cpu: ArmCpu, i: number) => build(i)(cpu, i),
    specialize: build,
  };
}

const VMOV = immediateForm(Kind.Move);
const VMVN = immediateForm(Kind.MoveNot);
const VORR = immediateForm(Kind.Or);
const VBIC = immediateForm(Kind.AndNot);

export const modifiedImmediateEncodings: Encoding<A32Handler>[] = [
  form('VMOV (immediate, 32-bit shifted)', '0cc0', '0', VMOV),
  form('VMOV (immediate, 16-bit shifted)', '10c0', '0', VMOV),
  form('VMOV (immediate, ones, bytes, float)', '11cc', '0', VMOV),
  form('VMOV (immediate, 64-bit)', '1110', '1', VMOV),
  form('VORR (immediate, 32-bit)', '0cc1', '0', VORR),
  form('VORR (immediate, 16-bit)', '10c1', '0', VORR),
  form('VMVN (immediate, 32-bit shifted)', '0cc0', '1', VMVN),
  form('VMVN (immediate, 16-bit shifted)', '10c0', '1', VMVN),
  form('VMVN (immediate, ones)', '110c', '1', VMVN),
  form('VBIC (immediate, 32-bit)', '0cc1', '1', VBIC),
  form('VBIC (immediate, 16-bit)', '10c1', '1', VBIC),
];
