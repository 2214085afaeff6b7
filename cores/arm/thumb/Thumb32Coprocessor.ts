import type { A32Handler } from '../ArmCpu.ts';
import { coprocessorEncodings } from '../a32/Coprocessor.ts';
import { DecodeTable, type Encoding } from '../decode/DecodeTable.ts';
import { vfpDataProcessingEncodings } from '../vfp/VfpDataProcessing.ts';
import { vfpTransferEncodings } from '../vfp/VfpTransfers.ts';
import { coreToSimdEncodings } from '../neon/CoreToSimd.ts';
import { sameWordAsA32 } from './A32Equivalents.ts';
import { undefinedThumb, type ThumbHandler } from './ThumbPseudocode.ts';

/**
 * Coprocessor, VFP and Advanced SIMD space of T32 (ARM ARM A6.3.18). With
 * hw1[12] = 0 these encodings are the A32 coprocessor encodings with
 * condition 1110, bit for bit: MCR/MRC/MCRR/MRRC to CP14 and CP15 and the
 * VFP register transfers and loads/stores run the A32 handlers on the T32
 * word (VLDR's literal base Align(PC, 4) works out the same since R15 reads
 * as the address + 4 here). Everything the core does not implement there
 * (other coprocessors, VFP data processing, the hw1[12] = 1 "2" forms
 * MCR2 and friends, Advanced SIMD) is UNDEFINED, as it is in A32.
 */

const a32CoprocessorTable = new DecodeTable<A32Handler>('A32 coprocessor (for T32)', 32, [27, 26, 25, 24, 23, 22, 21, 20, 11, 10, 9, 8, 4], [
  ...coprocessorEncodings,
  ...vfpTransferEncodings,
  ...coreToSimdEncodings,
  ...vfpDataProcessingEncodings,
]);

function bind(i: number): ThumbHandler {
  const e = a32CoprocessorTable.lookup(i >>> 0);
  if (e === null) return undefinedThumb;
  return sameWordAsA32(e.specialize ? e.specialize(i >>> 0) : e.exec);
}

export const thumb32CoprocessorEncodings: Encoding<ThumbHandler>[] = [
  { name: 'coprocessor and VFP (A32 encoding, condition 1110)', pattern: '1110 11-- ---- ---- ---- ---- ---- ----', unless: ['1110 1111 ---- ---- ---- ---- ---- ----'], exec: (c, i) => bind(i)(c, i), specialize: bind },
];
