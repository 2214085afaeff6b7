import test from 'ava';
import { disassembleA32 } from '../../cores/arm/disasm/A32Disassembler.ts';
import { commentAddress, loadVectors, normaliseObjdump, normaliseOurs, symbolsFromVectors } from './disasm-objdump.ts';

// A32 disassembly against GNU objdump: the hand-written corpus covering every
// A32 form (test/arm/vectors/disasm-a32.s) and every A32 instruction of the
// committed firmware ELFs, recorded by scripts/record-disasm-vectors.ts.

const blocks = loadVectors('disasm-a32');

for (const block of blocks) {
  test(`A32 text matches objdump: ${block.source}`, (t) => {
    const mismatches: string[] = [];
    for (const [address, encoding, text] of block.vectors) {
      const expected = normaliseObjdump(text, 'a32', encoding, false);
      const got = normaliseOurs(disassembleA32(parseInt(encoding, 16), parseInt(address, 16)));
      if (got !== expected) mismatches.push(`${address}: ${encoding} objdump "${expected}" ours "${got}"`);
    }
    const matched = block.vectors.length - mismatches.length;
    t.log(`${matched}/${block.vectors.length} match (${((100 * matched) / block.vectors.length).toFixed(2)}%)`);
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
      if (!/ <[^>]+>$/.test(text) || text.includes('\t@')) continue;
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
      if (target === undefined) continue;
      const ours = disassembleA32(parseInt(encoding, 16), parseInt(address, 16));
      t.true(ours.includes(`@ 0x${target.toString(16)}`), `${address}: ${encoding} "${ours}" should name 0x${target.toString(16)}`);
      checked++;
    }
  }
  t.true(checked > 50);
});
