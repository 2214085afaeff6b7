import type { A32Handler } from '../ArmCpu.ts';
import { a32Table, decodeA32 } from '../a32/A32Decoder.ts';
import { undefinedThumb, type ThumbHandler } from './ThumbPseudocode.ts';

/**
 * T32 forms whose operation is exactly that of an A32 instruction (the ARM
 * ARM gives both encodings one operation in A8): at decode time the T32
 * fields are moved into the A32 word, and the A32 handler runs on that
 * word. The A32 handlers are what the A32 reference vectors check, so the
 * two instruction sets cannot drift apart. Only instructions that neither
 * read the PC nor branch go this way, since an A32 handler sees R15 as its
 * address + 8 and writes of the PC interwork.
 */

/** The handler running A32 instruction `a32Word` (condition AL), or UNDEFINED when A32 has no such instruction. */
export function a32Equivalent(a32Word: number): ThumbHandler {
  const word = a32Word | 0;
  if (a32Table.lookup(word >>> 0) === null) return undefinedThumb;
  const handler: A32Handler = decodeA32(word);
  return (c) => handler(c, word);
}

/**
 * For the 32-bit T32 encodings that are bit for bit the A32 encoding with
 * condition 1110 (coprocessor, VFP transfers): the A32 handler runs on the
 * T32 word itself. Those handlers take the Undefined Instruction exception
 * at run time (absent system registers, VFP disabled), so they see
 * `nextPc` = address + 2 while they run, which makes LR_und the Thumb
 * value (see `undefinedThumb`); the next instruction is restored after.
 */
export function sameWordAsA32(handler: A32Handler): ThumbHandler {
  return (c, i) => {
    const next = c.nextPc;
    const secondHalf = (next - 2) | 0;
    c.nextPc = secondHalf;
    handler(c, i);
    if (c.nextPc === secondHalf) c.nextPc = next;
  };
}
