/**
 * Reading the objdump reference vectors (test/arm/vectors/disasm-*.json,
 * recorded by scripts/record-disasm-vectors.ts) and the normalisation that
 * makes objdump's text and ours comparable. The normalisation, and nothing
 * else, is applied before comparing:
 *
 *  1. Comments go: everything from a tab followed by "@" (objdump's
 *     "@ 0x1d3", "@ (mov r0, r0)", literal addresses; ours are checked
 *     separately against objdump's literal addresses).
 *  2. An encoding objdump calls "<UNDEFINED> instruction: 0x…" is ".word
 *     0x…" in A32 and ".inst.n 0x…" / ".inst.w 0x…" in Thumb, as we print it.
 *  3. A branch target objdump prints as bare hex ("bl 40100124 <main>") gets
 *     the 0x prefix we print ("bl 0x40100124 <main>").
 *  4. Runs of white space become one space.
 *  5. Without symbols, the "<sym+off>" after a branch target is dropped;
 *     the symbol tests keep it and pass objdump's own names.
 */
import { readFileSync } from 'node:fs';
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

const BRANCH = /^(b|bl|blx|cbz|cbnz)(eq|ne|cs|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)?(\.n|\.w)?$/;

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
  if (squash(body) === '' && comment.startsWith('<UNDEFINED> instruction:')) {
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
