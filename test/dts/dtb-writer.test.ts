import test from 'ava';
import { execFileSync } from 'node:child_process';
import { DeviceTree, DtNode, type DtProperty, type ValueSegment } from '../../dts/model/DeviceTree.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import { printDts } from '../../dts/print/DtsPrinter.ts';

/** dtc (Debian's device-tree-compiler) is the independent implementation we check against. */
function dtc(args: string[], input: string | Uint8Array): Buffer {
  return execFileSync('dtc', ['-q', ...args, '-'], { input, maxBuffer: 1 << 24, stdio: ['pipe', 'pipe', 'pipe'] });
}

const cells = (bits: 8 | 16 | 32 | 64, ...values: Array<bigint | string>): ValueSegment => ({
  kind: 'cells',
  bits,
  cells: values.map((v) => (typeof v === 'bigint' ? v : { ref: v })),
});
const str = (value: string): ValueSegment => ({ kind: 'string', value });
const prop = (name: string, ...value: ValueSegment[]): DtProperty => ({ name, value });

function node(name: string, props: DtProperty[], children: DtNode[] = [], labels: string[] = []): DtNode {
  const n = new DtNode(name);
  n.properties.push(...props);
  n.labels.push(...labels);
  for (const c of children) n.addChild(c);
  return n;
}

/** A tree with every value kind: strings and lists, 8/16/32/64-bit cells, bytes, references, mixes. */
function everyKindTree(): DeviceTree {
  const gic = node(
    'intc@8000000',
    [prop('compatible', str('arm,cortex-a15-gic')), prop('interrupt-controller'), prop('#interrupt-cells', cells(32, 3n)), prop('phandle', cells(32, 0x8002n))],
    [],
    ['gic', 'intc'],
  );
  const uart = node(
    'uart@9000000',
    [
      prop('compatible', str('arm,pl011'), str('arm,primecell')),
      prop('reg', cells(32, 0n, 0x9000000n, 0n, 0x1000n)),
      prop('interrupts', cells(32, 0n, 1n, 4n)),
      prop('interrupt-parent', cells(32, 'gic')),
      prop('phandle', cells(32, 1n)),
    ],
    [],
    ['uart0'],
  );
  const kinds = node('kinds', [
    prop('empty-bool'),
    prop('empty-string', str('')),
    prop('escapes', str('tab\there "quoted" back\\slash bell\x07 ctl\x01 del\x7f')),
    prop('u8', cells(8, 0n, 0x7fn, 0xffn)),
    prop('u16', cells(16, 0x1234n, 0xffffn)),
    prop('u64', cells(64, 0x100000000n, 0xffffffffffffffffn)),
    prop('negative', cells(32, -1n, -2147483648n)),
    prop('bytes', { kind: 'bytes', bytes: Uint8Array.of(0x00, 0x1a, 0xff) }),
    prop('label-path', { kind: 'pathref', ref: 'uart0' }),
    prop('path-path', { kind: 'pathref', ref: '/intc@8000000' }),
    prop('path-cell', cells(32, '/uart@9000000', 7n)),
    prop('mixed', str('a'), cells(32, 'gic', 2n), { kind: 'bytes', bytes: Uint8Array.of(1, 2, 3) }, cells(16, 5n), str('z'), { kind: 'pathref', ref: '&{/kinds}' }),
  ]);
  const root = node('', [prop('#address-cells', cells(32, 2n)), prop('#size-cells', cells(32, 2n)), prop('model', str('test board')), prop('compatible', str('vendor,board'))], [
    gic,
    uart,
    kinds,
    node('chosen', [prop('stdout-path', str('/uart@9000000'))]),
  ]);
  root.labels.push('top');
  return new DeviceTree(root, [
    [0x40000000n, 0x100000n],
    [0xffffffff00000000n, 0x1000n],
  ]);
}

test('writeDtb gives the same bytes as dtc compiling our .dts, for every value kind, labels and memreserves', (t) => {
  const tree = everyKindTree();
  const ours = writeDtb(tree);
  const theirs = dtc(['-I', 'dts', '-O', 'dtb'], printDts(tree));
  t.deepEqual(Buffer.from(ours), theirs);
});

test('the blob has the header, block order and alignment DTSpec chapter 5 prescribes', (t) => {
  const tree = everyKindTree();
  tree.bootCpuId = 3;
  const blob = writeDtb(tree);
  const v = new DataView(blob.buffer, blob.byteOffset);
  t.is(v.getUint32(0), 0xd00dfeed, 'magic');
  t.is(v.getUint32(4), blob.length, 'totalsize');
  t.is(v.getUint32(20), 17, 'version');
  t.is(v.getUint32(24), 16, 'last_comp_version');
  t.is(v.getUint32(28), 3, 'boot_cpuid_phys');
  const rsv = v.getUint32(16);
  const struct = v.getUint32(8);
  const strings = v.getUint32(12);
  t.is(rsv % 8, 0, 'memory reservation block 8-byte aligned');
  t.is(struct % 4, 0, 'structure block 4-byte aligned');
  // Two entries, then the terminating zero entry.
  t.is(v.getBigUint64(rsv), 0x40000000n);
  t.is(v.getBigUint64(rsv + 8), 0x100000n);
  t.is(v.getBigUint64(rsv + 16), 0xffffffff00000000n);
  t.is(v.getBigUint64(rsv + 32), 0n);
  t.is(v.getBigUint64(rsv + 40), 0n);
  t.is(struct, rsv + 48, 'structure block follows the reservations');
  t.is(strings, struct + v.getUint32(36), 'strings follow the structure block (size_dt_struct)');
  t.is(strings + v.getUint32(32), blob.length, 'size_dt_strings ends the blob');
  t.is(v.getUint32(struct), 1, 'first token is FDT_BEGIN_NODE');
  t.is(v.getUint32(strings - 4), 9, 'last token is FDT_END');
  // dtc -b passes the boot CPU id; the blobs must still agree.
  t.deepEqual(Buffer.from(blob), dtc(['-b', '3', '-I', 'dts', '-O', 'dtb'], printDts(tree)));
});

test('each property name is stored once in the strings block, tails shared like dtc does', (t) => {
  const tree = new DeviceTree(
    node('', [prop('linux,phandle', cells(32, 1n)), prop('phandle', cells(32, 1n))], [node('a', [prop('phandle', cells(32, 2n))]), node('b', [prop('linux,phandle', cells(32, 3n))])]),
  );
  const blob = writeDtb(tree);
  const v = new DataView(blob.buffer, blob.byteOffset);
  const strings = Buffer.from(blob.subarray(v.getUint32(12))).toString('latin1');
  t.is(strings, 'linux,phandle\0', '"phandle" points into "linux,phandle"');
  t.deepEqual(Buffer.from(blob), dtc(['-I', 'dts', '-O', 'dtb'], printDts(tree)));
});

test('dtc reads our blob back to the values we wrote', (t) => {
  const tree = everyKindTree();
  const text = dtc(['-I', 'dtb', '-O', 'dts'], writeDtb(tree)).toString();
  t.regex(text, /\/memreserve\/\s+0x0000000040000000 0x0000000000100000;/);
  t.regex(text, /u64 = <0x01 0x00 0xffffffff 0xffffffff>;/);
  t.regex(text, /u16 = <0x1234ffff>;/, '4 bytes read back as one cell');
  t.regex(text, /u8 = \[00 7f ff\];/);
  t.regex(text, /negative = <0xffffffff 0x80000000>;/);
  t.regex(text, /interrupt-parent = <0x8002>;/, 'reference became the phandle');
  t.regex(text, /label-path = "\/uart@9000000";/, 'path reference became the path string');
  t.regex(text, /path-cell = <0x01 0x07>;/);
  t.regex(text, /empty-bool;/);
});

test('an empty tree is a valid blob: a root node and nothing else', (t) => {
  const tree = new DeviceTree();
  t.deepEqual(Buffer.from(writeDtb(tree)), dtc(['-I', 'dts', '-O', 'dtb'], '/dts-v1/;\n/ { };\n'));
});

function errorOf(t: import('ava').ExecutionContext, fn: () => unknown): string {
  const err = t.throws(fn, { instanceOf: InputError });
  return err?.message ?? '';
}

test('a reference to a missing label is an error at the property position', (t) => {
  const tree = new DeviceTree(node('', [{ name: 'interrupt-parent', value: [cells(32, 'nope')], pos: { file: 'b.xml', line: 7, column: 5 } }]));
  t.is(errorOf(t, () => writeDtb(tree)), 'b.xml:7:5: error: property "interrupt-parent" of /: reference to missing label \'nope\'');
});

test('a reference to a missing path, or to a node without phandle, is an error', (t) => {
  const pos = { file: 'b.xml', line: 2, column: 3 };
  const missing = new DeviceTree(node('', [{ name: 'p', value: [{ kind: 'pathref', ref: '/no/such' }], pos }]));
  t.is(errorOf(t, () => writeDtb(missing)), 'b.xml:2:3: error: property "p" of /: reference to missing path \'/no/such\'');
  const noPhandle = new DeviceTree(node('', [{ name: 'p', value: [cells(32, 'x')], pos }], [node('x', [], [], ['x'])]));
  t.is(errorOf(t, () => writeDtb(noPhandle)), 'b.xml:2:3: error: property "p" of /: &x names /x, which has no phandle');
});

test('references in non-32-bit cells and values too wide for their cells are errors', (t) => {
  const pos = { file: 'b.xml', line: 4, column: 9 };
  const target = node('x', [prop('phandle', cells(32, 1n))], [], ['x']);
  const wideRef = new DeviceTree(node('', [{ name: 'p', value: [cells(64, 'x')], pos }], [target]));
  t.regex(errorOf(t, () => writeDtb(wideRef)), /^b\.xml:4:9: error: property "p" of \/: reference &x in a \/bits\/ 64 array; references need 32-bit cells$/);
  const tooBig = new DeviceTree(node('', [{ name: 'p', value: [cells(8, 0x100n)], pos }]));
  t.is(errorOf(t, () => writeDtb(tooBig)), 'b.xml:4:9: error: property "p" of /: value 256 does not fit in 8 bits');
  const tooNegative = new DeviceTree(node('', [{ name: 'p', value: [cells(16, -32769n)], pos }]));
  t.regex(errorOf(t, () => writeDtb(tooNegative)), /value -32769 does not fit in 16 bits/);
});

test('duplicate node names and duplicate properties are refused', (t) => {
  const dupNode = new DeviceTree(node('', [], [node('a', []), node('a', [])]));
  t.regex(errorOf(t, () => writeDtb(dupNode)), /\/: duplicate node name "a"/);
  const dupProp = new DeviceTree(node('', [prop('x'), prop('x')]));
  t.regex(errorOf(t, () => writeDtb(dupProp)), /duplicate property "x"/);
});

test('names a blob cannot hold, and header numbers out of range, are refused', (t) => {
  t.is(errorOf(t, () => writeDtb(new DeviceTree(node('', [], [node('a/b', [])])))), `error: node "a/b" under /: a node name must be non-empty and contain no '/' or NUL`);
  t.regex(errorOf(t, () => writeDtb(new DeviceTree(node('', [], [node('', [])])))), /node "" under \/: a node name must be non-empty/);
  t.is(errorOf(t, () => writeDtb(new DeviceTree(node('', [prop('a\0b')])))), 'error: /: a property name must be non-empty and contain no NUL');
  t.regex(errorOf(t, () => writeDtb(new DeviceTree(new DtNode(''), [[-1n, 1n]]))), /memory reservation address -1 is not a 64-bit unsigned number/);
  t.regex(errorOf(t, () => writeDtb(new DeviceTree(new DtNode(''), [[0n, 1n << 64n]]))), /memory reservation size 18446744073709551616 is not a 64-bit unsigned number/);
  t.regex(errorOf(t, () => writeDtb(new DeviceTree(new DtNode(''), [], 2 ** 32))), /boot CPU id 4294967296 is not a 32-bit unsigned number/);
});

test('a large tree (a 64 KiB property, 500 nodes) flattens as dtc does', (t) => {
  const big = new Uint8Array(65537).map((_, i) => i & 0xff);
  const children = Array.from({ length: 500 }, (_, i) => node(`n@${i.toString(16)}`, [prop('reg', cells(32, BigInt(i)))]));
  const tree = new DeviceTree(node('', [prop('#address-cells', cells(32, 1n)), prop('#size-cells', cells(32, 0n)), prop('blob', { kind: 'bytes', bytes: big })], children));
  t.deepEqual(Buffer.from(writeDtb(tree)), dtc(['-I', 'dts', '-O', 'dtb'], printDts(tree)));
});
