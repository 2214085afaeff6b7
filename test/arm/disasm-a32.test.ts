import test from 'ava';
import { disassembleA32 } from '../../cores/arm/disasm/A32Disassembler.ts';
import { commentAddress, loadVectors, normaliseObjdump, normaliseOurs, skipReason, symbolsFromVectors } from './disasm-objdump.ts';

// A32 disassembly against GNU objdump: the hand-written corpus covering every
// A32 form (test/arm/vectors/disasm-a32.s), every A32 instruction of the
// committed firmware ELFs, and a sweep of pseudo-random words, recorded by
// scripts/record-disasm-vectors.ts.

const blocks = loadVectors('disasm-a32');
const isRandom = (source: string) => source.startsWith('random');

for (const block of blocks) {
  test(`A32 text matches objdump: ${block.source}`, (t) => {
    const mismatches: string[] = [];
    const skipped = new Map<string, number>();
    for (const [address, encoding, text] of block.vectors) {
      const reason = skipReason('a32', encoding, text);
      if (reason !== undefined) {
        skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
        continue;
      }
      const expected = normaliseObjdump(text, 'a32', encoding, false);
      const got = normaliseOurs(disassembleA32(parseInt(encoding, 16), parseInt(address, 16)));
      if (got !== expected) mismatches.push(`${address}: ${encoding} objdump "${expected}" ours "${got}"`);
    }
    const compared = block.vectors.length - [...skipped.values()].reduce((a, b) => a + b, 0);
    const matched = compared - mismatches.length;
    t.log(`${matched}/${compared} match (${((100 * matched) / compared).toFixed(2)}%)`);
    for (const [reason, count] of skipped) t.log(`  not compared: ${count} × ${reason}`);
    // Only the random sweep may reach encodings where objdump is no ARMv7 reference.
    if (!isRandom(block.source)) t.is(skipped.size, 0);
    t.deepEqual(mismatches.slice(0, 20), []);
  });
}

test('A32 branch targets carry the names objdump gives them', (t) => {
  let checked = 0;
  for (const block of blocks) {
    // Each block is its own program: names come from that block only.
    const names = symbolsFromVectors([block]);
    const symbols = (a: number) => names.get(a);
    for (const [address, encoding, text] of block.vectors) {
      if (!/ <[^>]+>$/.test(text) || text.includes('\t@') || skipReason('a32', encoding, text)) continue;
      const expected = normaliseObjdump(text, 'a32', encoding, true);
      t.is(normaliseOurs(disassembleA32(parseInt(encoding, 16), parseInt(address, 16), symbols)), expected, `${address}: ${encoding}`);
      checked++;
    }
  }
  t.true(checked > 100);
});

test('A32 PC-relative loads name the literal address objdump computes', (t) => {
  let checked = 0;
  for (const block of blocks) {
    for (const [address, encoding, text] of block.vectors) {
      const target = commentAddress(text);
      if (target === undefined || skipReason('a32', encoding, text)) continue;
      const ours = disassembleA32(parseInt(encoding, 16), parseInt(address, 16));
      t.true(ours.includes(`@ 0x${target.toString(16)}`), `${address}: ${encoding} "${ours}" should name 0x${target.toString(16)}`);
      checked++;
    }
  }
  t.true(checked > 50);
});
