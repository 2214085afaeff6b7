import test, { type ExecutionContext } from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { DeviceTree, DtNode, type DtProperty, type ValueSegment } from '../../dts/model/DeviceTree.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import { parseBoardText } from '../../dts/board/BoardLoader.ts';
import { readDtb } from '../../dts/blob/DtbReader.ts';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import { writeBoardXml } from '../../dts/print/BoardXmlWriter.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const oracle = (board: string) => join(repoRoot, '..', 'shared', 'oracle', board, 'board.dtb');

function dtc(args: string[], input: string | Uint8Array): string {
  return execFileSync('dtc', ['-q', ...args, '-'], { input, maxBuffer: 1 << 24, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

/** The board file parsed by the real board loader, as `tskvm-board dtb` would. */
function parseBoard(t: ExecutionContext, xml: string): DeviceTree {
  const { board, diagnostics } = parseBoardText(xml, 'imported.xml');
  t.deepEqual(diagnostics.filter((d) => d.severity === 'error'), [], 'the imported board loads without errors');
  if (board === undefined) throw new Error('the board did not load');
  return board.tree;
}

for (const board of ['arm-virt', 'ppc-e500']) {
  test(`${board}: import → XML → board loader → DTB is the original blob`, (t) => {
    const file = oracle(board);
    if (!existsSync(file)) t.fail(`missing ${file}: the QEMU oracle data is needed for this test`);
    const original = new Uint8Array(readFileSync(file));
    const xml = writeBoardXml(readDtb(original, `${board}.dtb`), { name: board });
    t.is(XMLValidator.validate(xml), true, 'well-formed XML');
    const blob = writeDtb(parseBoard(t, xml));
    t.is(dtc(['-s', '-I', 'dtb', '-O', 'dts'], blob), dtc(['-s', '-I', 'dtb', '-O', 'dts'], original));
    // Unsorted too: property and node order survive, so the bytes are dtc's re-flattening of QEMU's blob.
    t.is(Buffer.from(blob).toString('hex'), execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dtb', file]).toString('hex'));
  });
}

const u32 = (...values: bigint[]): ValueSegment => ({ kind: 'cells', bits: 32, cells: values });
const str = (value: string): ValueSegment => ({ kind: 'string', value });
const bytes = (...b: number[]): ValueSegment => ({ kind: 'bytes', bytes: Uint8Array.from(b) });
const prop = (name: string, ...value: ValueSegment[]): DtProperty => ({ name, value });

function addChild(parent: DtNode, name: string, ...props: DtProperty[]): DtNode {
  const n = parent.addChild(new DtNode(name));
  n.properties.push(...props);
  return n;
}

/** Values that the attribute form's typing would get wrong, so the writer must fall back. */
function trickyTree(): DeviceTree {
  const tree = new DeviceTree();
  const root = tree.root;
  root.properties.push(prop('#address-cells', u32(2n)), prop('#size-cells', u32(1n)), prop('model', str('Board <&> "quoted" \'single\'')));
  addChild(
    root,
    'strings',
    prop('generic-text', str('plain words here')),
    prop('bootargs', str('console=ttyS0,115200 root=/dev/vda')),
    prop('compatible', str('has space'), str('b')),
    prop('clock-names', str('a'), str(''), str('c')),
    prop('model', str('  padded  ')),
    prop('status', str('')),
    prop('generic-number-like', str('0x10 20')),
    prop('generic-ref-like', str('&gic')),
    prop('two-strings', str('x'), str('y')),
    prop('control', str('tab\there')),
    prop('utf8', str('café')),
  );
  addChild(
    root,
    'names',
    prop('#foo-cells', u32(1n)),
    prop('linux,code', u32(0x74n)),
    prop('name', str('n')),
    prop('label', str('l')),
    prop('ref', u32(1n)),
    prop('has.dot', u32(1n)),
    prop('_underscore', u32(2n)),
    prop('vendor,has#hash', u32(3n)),
    prop('9starts-with-digit', u32(4n)),
    prop('q?mark', u32(5n)),
  );
  const bus = addChild(root, 'bus@100000000', prop('#address-cells', u32(1n)), prop('#size-cells', u32(1n)), prop('ranges', u32(0n, 1n, 0n, 0x1000000n)));
  addChild(bus, 'dev@10', prop('reg', u32(0x10n, 0x100n, 0x200n, 0x400n)));
  addChild(bus, 'late@1000', prop('compatible', str('has space')), prop('reg', u32(0x1000n, 0x100n)), prop('after', str('plain')));
  addChild(bus, 'empty-reg', prop('reg'), prop('dma-ranges'));
  const pci = addChild(root, 'pci@0', prop('#address-cells', u32(3n)), prop('#size-cells', u32(2n)), prop('ranges', u32(0x2000000n, 0n, 0x10000000n, 0n, 0x10000000n, 0n, 0x10000000n)));
  addChild(pci, 'ep@0,0', prop('reg', u32(0n, 0n, 0n, 0n, 0n)));
  addChild(
    root,
    'kinds',
    prop('bool'),
    prop('phandle', u32(0x8001n)),
    prop('u8', { kind: 'cells', bits: 8, cells: [1n, 0xffn] }),
    prop('u16', { kind: 'cells', bits: 16, cells: [0xabcdn] }),
    prop('u64', { kind: 'cells', bits: 64, cells: [0x100000000n, 0n] }),
    prop('bytes', bytes(0, 0x1a, 0xff)),
    prop('mixed', str('a'), u32(1n, 2n), bytes(3), str('')),
    prop('cells-empty', u32()),
  );
  addChild(root, 'chosen', prop('stdout-path', str('/strings')), prop('rng-seed', u32(0xdeadbeefn)));
  // One property per node, so that each is first and the attribute form is open to it.
  const typing = addChild(root, 'typing');
  const alone: Array<[string, DtProperty]> = [
    ['a', prop('number-like', str('0x10 20'))],
    ['b', prop('ref-like', str('&gic'))],
    ['c', prop('text-with-digit', str('1abc def'))],
    ['d', prop('model', str('  padded  '))],
    ['e', prop('status', str(''))],
    ['f', prop('compatible', str('a'), str(''))],
    ['g', prop('compatible')],
    ['h', prop('empty-string', str(''))],
    ['i', prop('two-cells', u32(1n), u32(2n))],
  ];
  for (const [name, p] of alone) addChild(typing, name, p);
  return tree;
}

test('tricky values survive import → XML → board loader with the same bytes', (t) => {
  const tree = trickyTree();
  const xml = writeBoardXml(tree, { name: 'tricky & <board>' });
  t.is(XMLValidator.validate(xml), true, 'well-formed XML');
  t.is(Buffer.from(writeDtb(parseBoard(t, xml))).toString('hex'), Buffer.from(writeDtb(tree)).toString('hex'));
});

test('the attribute form is used where it is exact, the element form elsewhere', (t) => {
  const xml = writeBoardXml(trickyTree(), { name: 'b' });
  // Short forms.
  t.regex(xml, / model="Board &lt;&amp;&gt; &quot;quoted&quot; 'single'"/);
  t.regex(xml, / _address-cells="2"/);
  t.regex(xml, / _foo-cells="1" linux\.code="0x74"/);
  t.regex(xml, / generic-text="plain words here"/);
  t.regex(xml, / bootargs="console=ttyS0,115200 root=\/dev\/vda"/);
  t.regex(xml, /<node name="bus@100000000" _address-cells="1" _size-cells="1" ranges="0 0x100000000 16M"\/?>/, 'ranges: child 1 cell, parent 2 cells, size 1 cell');
  t.regex(xml, /<node name="dev@10" reg="0x10 0x100 0x200 1K"\/>/);
  t.regex(xml, /<node name="kinds" bool="" phandle="0x8001">/, 'phandles stay numbers');
  // Read back by the loader's typing before the attribute form is chosen.
  t.regex(xml, /<node name="a">\s*<prop name="number-like" string="0x10 20"\/>/);
  t.regex(xml, /<node name="b">\s*<prop name="ref-like" string="&amp;gic"\/>/);
  t.regex(xml, /<node name="c" text-with-digit="1abc def"\/>/);
  t.regex(xml, /<node name="d" model="  padded  "\/>/);
  t.regex(xml, /<node name="e" status=""\/>/, 'a single-string name takes the whole attribute, even empty');
  t.regex(xml, /<node name="f">\s*<prop name="compatible">\s*<string>a<\/string>\s*<string><\/string>/);
  t.regex(xml, /<node name="g" compatible=""\/>/);
  t.regex(xml, /<node name="h">\s*<prop name="empty-string" string=""\/>/);
  t.regex(xml, /<node name="i">\s*<prop name="two-cells">\s*<cells>1<\/cells>\s*<cells>2<\/cells>/);
  // Exact forms.
  t.regex(xml, /<prop name="compatible">\s*<string>has space<\/string>\s*<string>b<\/string>\s*<\/prop>/);
  t.regex(xml, /<prop name="status" string=""\/>/);
  t.regex(xml, /<prop name="generic-number-like" string="0x10 20"\/>/);
  t.regex(xml, /<prop name="has\.dot" cells="1"\/>/);
  t.regex(xml, /<prop name="_underscore" cells="2"\/>/);
  t.regex(xml, /<prop name="name" string="n"\/>/);
  t.regex(xml, /<prop name="u64" u64="0x100000000 0"\/>/);
  t.regex(xml, /<prop name="u8">\s*<cells bits="8">1 0xff<\/cells>\s*<\/prop>/);
  t.regex(
    xml,
    /<node name="late@1000">\s*<prop name="compatible" string="has space"\/>\s*<prop name="reg" cells="0x1000 0x100"\/>\s*<prop name="after" string="plain"\/>/,
    'after one element-form property the rest follow in element form, keeping the order',
  );
  t.regex(xml, /<node name="ep@0,0">\s*<prop name="reg" cells="0 0 0 0 0"\/>/, 'addresses of 3 cells use the cells form');
  t.regex(xml, /<prop name="control" bytes="74 61 62 09 68 65 72 65 00"\/>/);
  t.regex(xml, /<prop name="bytes" bytes="00 1a ff"\/>/);
});

test('labels are written, and references in a tree that has them use the & form', (t) => {
  const tree = new DeviceTree();
  const gic = addChild(tree.root, 'gic', prop('interrupt-controller'), prop('phandle', u32(1n)));
  gic.labels.push('gic', 'intc');
  tree.root.properties.push({ name: 'interrupt-parent', value: [{ kind: 'cells', bits: 32, cells: [{ ref: 'gic' }] }] });
  tree.root.properties.push({ name: 'where', value: [{ kind: 'pathref', ref: '/gic' }] });
  const xml = writeBoardXml(tree, { name: 'b' });
  t.regex(xml, /<node name="\/" interrupt-parent="&amp;gic">/);
  t.regex(xml, /<prop name="where">\s*<pathref>&amp;\{\/gic\}<\/pathref>/);
  t.regex(xml, /<node name="gic" label="gic intc" interrupt-controller="" phandle="1"\/>/);
  t.is(Buffer.from(writeDtb(parseBoard(t, xml))).toString('hex'), Buffer.from(writeDtb(tree)).toString('hex'));
});

function writeError(t: ExecutionContext, tree: DeviceTree): string {
  return t.throws(() => writeBoardXml(tree, { name: 'b' }), { instanceOf: InputError })?.message ?? '';
}

// Memory reservations and the boot CPU id are written now (<memreserve>, boot-cpu): test/dts/import-memreserve.test.ts.
test('what a board file cannot hold is refused rather than dropped', (t) => {
  const odd = new DeviceTree();
  addChild(odd.root, 'x&y<z>"q"\tt');
  t.regex(writeBoardXml(odd, { name: 'a&b' }), /<board name="a&amp;b">[^]*<node name="x&amp;y&lt;z&gt;&quot;q&quot;&#9;t"\/>/);
  const ctl = new DeviceTree();
  addChild(ctl.root, 'bad\x01name');
  t.is(writeError(t, ctl), 'error: the name of /bad\x01name contains the character U+0001, which XML cannot hold');
});
