/**
 * Reading the objdump reference vectors (test/arm/vectors/disasm-*.json,
 * recorded by scripts/record-disasm-vectors.ts) and the normalisation that
 * makes objdump's text and ours comparable. The normalisation, and nothing
 * else, is applied before comparing:
 *
 *  1. Comments go: everything from a tab followed by "@" (objdump's
 *     "@ 0x1d3", "@ (mov r0, r0)", literal addresses; ours are checked
 *     separately against objdump's literal addresses).
 *  2. An encoding objdump calls "<UNDEFINED> instruction: 0x…", or prints
 *     with an "<illegal reg …>" / "<illegal width …>" operand (an odd Q
 *     register, a reserved size), is ".word 0x…" in A32 and ".inst.n 0x…" /
 *     ".inst.w 0x…" in Thumb, as we print it.
 *  3. A branch target objdump prints as bare hex ("bl 40100124 <main>") gets
 *     the 0x prefix we print ("bl 0x40100124 <main>").
 *  4. Runs of white space become one space.
 *  5. Without symbols, the "<sym+off>" after a branch target is dropped;
 *     the symbol tests keep it and pass objdump's own names.
 *
 * Vectors of the random sweep for which objdump is no ARMv7 reference are
 * not compared; skipReason() says which and why (none of the hand-written
 * or firmware vectors may be skipped).
 */
import { readFileSync } from 'node:fs';
import { a32DisasmTable } from '../../cores/arm/disasm/A32Disassembler.ts';
import { violatesShouldBeBits } from '../../cores/arm/disasm/ShouldBeBits.ts';
import { thumb16DisasmTable, thumb32DisasmTable } from '../../cores/arm/disasm/ThumbDisassembler.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Vector = [address: string, encoding: string, text: string];
export interface VectorBlock {
  source: string;
  vectors: Vector[];
}

export function loadVectors(name: 'disasm-a32' | 'disasm-t32'): VectorBlock[] {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'vectors', `${name}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { blocks: VectorBlock[] }).blocks;
}

const BRANCH = /^(b|bl|blx|cbz|cbnz)(eq|ne|cs|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?(\.n|\.w)?$/;

/** objdump's text split into instruction text and comment (without the "@"). */
export function splitComment(text: string): { body: string; comment: string } {
  const at = text.indexOf('\t@');
  if (at < 0) return { body: text, comment: '' };
  return { body: text.slice(0, at), comment: text.slice(at + 2).trim() };
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** objdump's text after the normalisation above; `keepSymbols` keeps "<sym>" after branch targets. */
export function normaliseObjdump(text: string, isa: 'a32' | 't32', encoding: string, keepSymbols: boolean): string {
  const { body, comment } = splitComment(text);
  const undefinedText = (squash(body) === '' && comment.startsWith('<UNDEFINED> instruction:')) || /<illegal (reg|width)/.test(body);
  if (undefinedText) {
    if (isa === 'a32') return `.word 0x${encoding}`;
    return encoding.length === 4 ? `.inst.n 0x${encoding}` : `.inst.w 0x${encoding}`;
  }
  let out = squash(body);
  const space = out.indexOf(' ');
  if (space > 0 && BRANCH.test(out.slice(0, space))) {
    out = out.replace(/(^| |, )([0-9a-f]+)( <[^>]*>)?$/, (_m, lead: string, hex: string, sym: string | undefined) =>
      `${lead}0x${hex}${keepSymbols && sym ? sym : ''}`,
    );
  }
  return out;
}

/** Our text with comments dropped and white space squashed. */
export function normaliseOurs(text: string): string {
  return squash(splitComment(text).body);
}

/**
 * The symbol table objdump used, as far as the vectors show it: every
 * "target <name>" of a branch, for passing the same names to our
 * disassembler.
 */
export function symbolsFromVectors(blocks: VectorBlock[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const block of blocks) {
    for (const [, , text] of block.vectors) {
      const m = /\s([0-9a-f]+) <([^>]+)>\)?$/.exec(text);
      if (m) names.set(parseInt(m[1], 16), m[2]);
    }
  }
  return names;
}

/** The address objdump names in a literal-address comment ("@ 401001a8 <x>", "@ (74 <x>)", "@ (adr r0, a4 <x>)"). */
export function commentAddress(text: string): number | undefined {
  const { comment } = splitComment(text);
  const m = /(?:^|\(|, )([0-9a-f]+) </.exec(comment);
  return m ? parseInt(m[1], 16) : undefined;
}

/**
 * Why objdump's text for an encoding is not an ARMv7 reference, or
 * undefined when it is. The corpora and firmware never hit these; the
 * random sweep does. Each reason is a property of the encoding (or of
 * objdump's own answer) stated from the ARM ARM:
 */
export function objdumpDeviation(isa: 'a32' | 't32', encoding: string, text: string): string | undefined {
  const word = parseInt(encoding, 16) >>> 0;
  const { body } = splitComment(text);
  const mnemonic = body.trim().split(/\s+/)[0] ?? '';
  const wide = encoding.length === 8;
  const coprocessorSpace = wide && (((word >>> 25) & 7) === 6 || ((word >>> 24) & 15) === 14);
  const coproc = (word >>> 8) & 15;
  if (coprocessorSpace) {
    if ([0, 1, 2, 4, 5, 6].includes(coproc)) {
      return 'objdump decodes coprocessors 0-2 and 4-6 as FPA, Maverick and iWMMXt instructions; in ARMv7 they are generic coprocessor instructions (A5.6)';
    }
    if (coproc === 9 || ([8, 12, 13, 14, 15].includes(coproc) && mnemonic.startsWith('v'))) {
      return 'objdump gives coprocessors 8, 9, 12-15 to ARMv8 and M-profile extensions (FP16, dot products, BF16, FP system registers); in ARMv7 they are generic coprocessor instructions';
    }
    if ((coproc === 10 || coproc === 11) && /^(ldc|stc|mcr|mrc|mrrc|cdp)/.test(mnemonic)) {
      return 'objdump shows encodings of coprocessors 10 and 11 that are no VFP instruction as generic coprocessor instructions; ARMv7 reserves those coprocessors for VFP/Advanced SIMD, so they are UNDEFINED (A5.6, A6.3.18)';
    }
    if (((word >>> 20) & 0xfa) === 0xc0 && /^(ldc|stc)/.test(mnemonic)) {
      return 'LDC/STC with P = U = W = 0 and D = 0 is UNDEFINED (A5.6); objdump decodes it as unindexed';
    }
  }
  if (isa === 'a32' && /^(tst|teq|cmp|cmn)/.test(mnemonic)) {
    if ((word & 0x0d900000) >>> 0 === 0x01000000) {
      return 'TST/TEQ/CMP/CMN need S = 1; with S = 0 the encodings are other ARMv7 instructions or UNDEFINED (A5.2), objdump still names the old TSTP-style forms';
    }
    if ((word & 0x0e000090) >>> 0 === 0x00000090) {
      return 'bits [7] and [4] set put a data-processing-looking word in the multiply, extra load/store and synchronization space (A5.2); objdump names it TST/TEQ/CMP/CMN';
    }
  }
  const elementSpace = isa === 'a32' ? (word & 0xff100000) >>> 0 === 0xf4000000 : wide && (word & 0xff100000) >>> 0 === 0xf9000000;
  if (elementSpace && ((word >>> 23) & 1) === 0) {
    const type = (word >>> 8) & 15;
    const align = (word >>> 4) & 3;
    const undefinedAlignment =
      ((type === 0b0111 || type === 0b0110 || type === 0b0100 || type === 0b0101) && (align & 2) !== 0) ||
      ((type === 0b1010 || type === 0b1000 || type === 0b1001) && align === 3);
    if (undefinedAlignment) return 'VLD1-3/VST1-3 (multiple structures) with an alignment their pages make UNDEFINED (A8.8.320-329); objdump prints it';
  }
  if (isa === 'a32' && (word & 0xff700000) >>> 0 === 0xf4100000) {
    return '1111 0100 x001 is an unallocated memory hint (A5.7); objdump prints a post-indexed PLDW';
  }
  const base = mnemonic.split('.')[0];
  const LATER = /^(crc32c?[bhw]|hlt|stlex[bhd]?|stl[bh]?|ldaex[bhd]?|lda[bh]?|vsel(eq|ge|gt|vs)|vmaxnm|vminnm|vrint[anpmrxz]|vcvt[anpm]|vjcvt|vins|vmovx|v[us]*dot|v[us]*mmla|vfma[bt]|vcadd|vcmla|vqrdml[as]h|bf|bfl|bfx|bflx|bfcsel)(eq|ne|cs|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?$/;
  // Half-precision arithmetic and loads (ARMv8.2); ARMv7 only converts between f16 and f32.
  const halfPrecision = (/\.b?f(16|8)\b/.test(mnemonic) && !mnemonic.includes('.f32')) || /^v(ldr|str)\w*\.16$/.test(mnemonic);
  if (LATER.test(base) || base === 'sb' || halfPrecision || /f64\.f16|f16\.f64/.test(mnemonic)) {
    return 'an ARMv8 or M-profile instruction that objdump decodes even for ARMv7';
  }
  if (/undefined|\?\?|<invalid reg/.test(body) || /^v(ld|st)[1-4]\S*$/.test(body.trim())) {
    return "objdump's partial text for an encoding it finds unallocated";
  }
  // (1111 1001 xxx0 is the Advanced SIMD element space, not a single load/store.)
  if (isa === 't32' && wide && (word & 0xfe000000) >>> 0 === 0xf8000000 && (word & 0xff100000) >>> 0 !== 0xf9000000) {
    const load = (word >>> 20) & 1;
    const rn = (word >>> 16) & 15;
    const op2 = (word >>> 6) & 0x3f;
    if (!load && rn === 15) return 'Thumb stores with Rn = PC are UNDEFINED (A6.3.10); objdump decodes them';
    if (op2 !== 0 && ((word >>> 8) & 15) === 0 && ((word >>> 23) & 1) === 0) {
      return 'a Thumb load/store with hw2[11:6] neither 1xxxxx nor 000000 is unallocated (A6.3.7-10); objdump decodes it as the register form';
    }
    if (load && rn === 15 && /t$/.test(mnemonic.replace(/\.w$/, ''))) {
      return 'Thumb loads with Rn = PC are the literal forms (A6.3.7); objdump takes some for LDRT';
    }
  }
  return undefined;
}

/**
 * Whether a vector is compared, and if not why: an encoding with a
 * should-be-zero/one bit the other way is UNPREDICTABLE (we decode it as the
 * instruction, as the core executes it; objdump often refuses it), and the
 * deviations above.
 */
export function skipReason(isa: 'a32' | 't32', encoding: string, text: string): string | undefined {
  const word = parseInt(encoding, 16) >>> 0;
  const table = isa === 'a32' ? a32DisasmTable() : encoding.length === 4 ? thumb16DisasmTable() : thumb32DisasmTable();
  const form = table.lookup(word);
  if (form !== null && violatesShouldBeBits(form, word)) return 'should-be bits the other way (UNPREDICTABLE)';
  return objdumpDeviation(isa, encoding, text);
}
