import type { A32Handler } from '../ArmCpu.ts';
import { DecodeTable, type Encoding } from '../decode/DecodeTable.ts';
import { undefinedThumb, type ThumbHandler } from '../thumb/ThumbPseudocode.ts';
import * as advancedSimdEncodingsModule from './AdvancedSimdEncodings.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { advancedSimdEncodings } = advancedSimdEncodingsModule;

/**
 * The T32 encodings of Advanced SIMD (ARM ARM A6.3.18, A7.4, A7.7): the
 * data-processing space 111U 1111 is the A32 space 1111 001U with the same
 * low 24 bits, and the element/structure loads/stores 1111 1001 xxx0 are
 * A32's 1111 0100 xxx0 (the manual draws both encodings of each instruction
 * that way). At decode time the T32 word becomes its A32 word and the A32
 * handler runs on it, so one implementation serves both instruction sets.
 * None of these instructions reads the PC (Rm = 1111 only means "no
 * writeback").
 */

const simdTable = new DecodeTable<A32Handler>('Advanced SIMD', 32, [27, 26, 25, 24, 23, 22, 21, 20, 11, 10, 9, 8], advancedSimdEncodings);

/** The A32 word of a T32 Advanced SIMD word. */
export function a32FromThumb(t: number): number {
  if ((t & 0xef000000) === (0xef000000 | 0)) return (0xf2000000 | ((t >>> 4) & 0x01000000) | (t & 0x00ffffff)) >>> 0;
  return (0xf4000000 | (t & 0x00ffffff)) >>> 0;
}

function bind(t: number): ThumbHandler {
  const word = a32FromThumb(t);
  const e = simdTable.lookup(word);
  if (e === null) return undefinedThumb;
  const handler = e.specialize ? e.specialize(word) : e.exec;
  // The Undefined Instruction exception from a T32 instruction has LR = address + 2
  // (see undefinedThumb); the A32 handler takes it with the nextPc it finds.
  return (c) => {
    const next = c.nextPc;
    const secondHalf = (next - 2) | 0;
    c.nextPc = secondHalf;
    handler(c, word);
    if (c.nextPc === secondHalf) c.nextPc = next;
  };
}

export const thumb32AdvancedSimdEncodings: Encoding<ThumbHandler>[] = [
  { name: 'Advanced SIMD data processing', pattern: '111- 1111 ---- ---- ---- ---- ---- ----', exec: (c, i) => bind(i)(c, i), specialize: bind },
  { name: 'Advanced SIMD element or structure load/store', pattern: '1111 1001 ---0 ---- ---- ---- ---- ----', exec: (c, i) => bind(i)(c, i), specialize: bind },
];
