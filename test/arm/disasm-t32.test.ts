import test from 'ava';
import { ThumbDisassembler } from '../../cores/arm/disasm/ThumbDisassembler.ts';
import type { SymbolLookup } from '../../cores/arm/disasm/DisasmInstruction.ts';
import { commentAddress, loadVectors, normaliseObjdump, normaliseOurs, skipReason, symbolsFromVectors, type VectorBlock } from './disasm-objdump.ts';

// Thumb (16- and 32-bit) disassembly against GNU objdump: the hand-written
// corpus (test/arm/vectors/disasm-t32.s, with IT blocks), every Thumb
// instruction of the committed firmware ELFs and a pseudo-random sweep. Vectors are disassembled in
// address order with a ThumbDisassembler, which follows IT blocks the way
// objdump does; a gap in the addresses starts afresh outside any IT block.

const blocks = loadVectors('disasm-t32');

/** Our text for each vector of a block, in order. */
function disassembleBlock(block: VectorBlock, symbols?: SymbolLookup): string[] {
  const d = new ThumbDisassembler(symbols);
  let expected = -1;
  return block.vectors.map(([address, encoding]) => {
    const a = parseInt(address, 16);
    if (a !== expected) d.itState = 0;
    expected = a + encoding.length / 2;
    const hw1 = parseInt(encoding.slice(0, 4), 16);
    const hw2 = encoding.length === 8 ? parseInt(encoding.slice(4), 16) : 0;
    const result = d.next(hw1, hw2, a);
    if (result.size !== encoding.length / 2) return `size ${result.size} for ${encoding}`;
    return result.text;
  });
}

for (const block of blocks) {
  test(`Thumb text matches objdump: ${block.source}`, (t) => {
    const ours = disassembleBlock(block);
    const mismatches: string[] = [];
    const skipped = new Map<string, number>();
    block.vectors.forEach(([address, encoding, text], i) => {
      const reason = skipReason('t32', encoding, text);
      if (reason !== undefined) {
        skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
        return;
      }
      const expected = normaliseObjdump(text, 't32', encoding, false);
      const got = normaliseOurs(ours[i]);
      if (got !== expected) mismatches.push(`${address}: ${encoding} objdump "${expected}" ours "${got}"`);
    });
    const compared = block.vectors.length - [...skipped.values()].reduce((a, b) => a + b, 0);
    const matched = compared - mismatches.length;
    t.log(`${matched}/${compared} match (${((100 * matched) / compared).toFixed(2)}%)`);
    for (const [reason, count] of skipped) t.log(`  not compared: ${count} × ${reason}`);
    // Only the random sweep may reach encodings where objdump is no ARMv7 reference.
    if (!block.source.startsWith('random')) t.is(skipped.size, 0);
    t.deepEqual(mismatches.slice(0, 20), []);
  });
}

test('Thumb branch targets carry the names objdump gives them', (t) => {
  let checked = 0;
  for (const block of blocks) {
    const names = symbolsFromVectors([block]);
    const ours = disassembleBlock(block, (a) => names.get(a));
    block.vectors.forEach(([address, encoding, text], i) => {
      if (!/ <[^>]+>$/.test(text) || text.includes('\t@') || skipReason('t32', encoding, text)) return;
      t.is(normaliseOurs(ours[i]), normaliseObjdump(text, 't32', encoding, true), `${address}: ${encoding}`);
      checked++;
    });
  }
  t.true(checked > 100);
});

test('Thumb PC-relative loads and ADR name the address objdump computes', (t) => {
  let checked = 0;
  for (const block of blocks) {
    const ours = disassembleBlock(block);
    block.vectors.forEach(([address, encoding, text], i) => {
      const target = commentAddress(text);
      if (target === undefined || skipReason('t32', encoding, text)) return;
      t.true(ours[i].includes(`0x${target.toString(16)}`), `${address}: ${encoding} "${ours[i]}" should name 0x${target.toString(16)}`);
      checked++;
    });
  }
  t.true(checked > 30);
});
