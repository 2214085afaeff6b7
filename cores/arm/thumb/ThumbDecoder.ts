import { DecodeTable } from '../decode/DecodeTable.ts';
import { thumb16ControlEncodings } from './Thumb16Control.ts';
import { thumb16DataProcessingEncodings } from './Thumb16DataProcessing.ts';
import { thumb16LoadStoreEncodings } from './Thumb16LoadStore.ts';
import { thumb32ControlEncodings } from './Thumb32Control.ts';
import { thumb32CoprocessorEncodings } from './Thumb32Coprocessor.ts';
import { thumb32DataProcessingEncodings } from './Thumb32DataProcessing.ts';
import { thumb32DualExclusiveEncodings } from './Thumb32DualExclusive.ts';
import { thumb32LoadStoreEncodings } from './Thumb32LoadStore.ts';
import { thumb32LoadStoreMultipleEncodings } from './Thumb32LoadStoreMultiple.ts';
import { thumb32MediaEncodings } from './Thumb32Media.ts';
import { undefinedThumb, type ThumbHandler } from './ThumbPseudocode.ts';
import { thumb32AdvancedSimdEncodings } from '../neon/NeonThumb.ts';

/**
 * The T32 instruction set (ARM ARM A6) as two checked encoding tables: the
 * 16-bit instructions (A6.2), bucketed on the top byte, and the 32-bit ones
 * (A6.3) over hw1:hw2. A halfword whose top five bits are 11101, 11110 or
 * 11111 starts a 32-bit instruction (A6.1). Anything in neither table is
 * UNDEFINED.
 */
export const thumb16Table = new DecodeTable<ThumbHandler>('T16', 16, [15, 14, 13, 12, 11, 10, 9, 8], [
  ...thumb16DataProcessingEncodings,
  ...thumb16LoadStoreEncodings,
  ...thumb16ControlEncodings,
]);

export const thumb32Table = new DecodeTable<ThumbHandler>('T32', 32, [28, 27, 26, 25, 24, 23, 22, 21, 20, 15, 14, 12], [
  ...thumb32DataProcessingEncodings,
  ...thumb32MediaEncodings,
  ...thumb32LoadStoreEncodings,
  ...thumb32LoadStoreMultipleEncodings,
  ...thumb32DualExclusiveEncodings,
  ...thumb32ControlEncodings,
  ...thumb32CoprocessorEncodings,
  ...thumb32AdvancedSimdEncodings,
]);

export function decodeThumb16(halfword: number): ThumbHandler {
  return thumb16Table.decode(halfword & 0xffff, undefinedThumb);
}

export function decodeThumb32(word: number): ThumbHandler {
  return thumb32Table.decode(word >>> 0, undefinedThumb);
}

/** Whether `halfword` is the first halfword of a 32-bit instruction (A6.1). */
export function isThumb32(halfword: number): boolean {
  return (halfword & 0xffff) >= 0xe800;
}
