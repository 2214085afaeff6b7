import test from 'ava';
import { execFileSync } from 'node:child_process';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import { parseBoardText } from '../../dts/board/BoardLoader.ts';
import { InputError } from '../../dts/model/SourcePos.ts';

const board = parseBoardText(
  '<board name="p"><node name="/" model="pad" _address-cells="1" _size-cells="1"><node name="m@0" reg="0 0x1000"/></node></board>',
  'p.xml',
).board!;

test('a padded blob has the requested totalsize, the same content, and dtc reads it', (t) => {
  const plain = writeDtb(board.tree);
  const padded = writeDtb(board.tree, { totalSize: 0x100000 });
  t.is(padded.length, 0x100000);
  // totalsize is the header's second big-endian word (DTSpec 5.2).
  t.is(new DataView(padded.buffer).getUint32(4), 0x100000);
  t.deepEqual(padded.subarray(8, plain.length), plain.subarray(8));
  t.true(padded.subarray(plain.length).every((b) => b === 0));
  const dts = execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', '-'], { input: padded, encoding: 'utf8' });
  t.regex(dts, /model = "pad";/);
});

test('a tree larger than the requested size is an error, not a truncated blob', (t) => {
  const e = t.throws(() => writeDtb(board.tree, { totalSize: 64 }), { instanceOf: InputError });
  t.regex(e!.message, /needs \d+ bytes, more than the requested blob size of 64/);
});
