import test from 'ava';
import { parseBoardText } from '../../dts/board/BoardLoader.ts';
import type { DeviceTree, ValueSegment } from '../../dts/model/DeviceTree.ts';
import { PhandleIndex } from '../../dts/model/Phandles.ts';
import { encodeValue, parseNumber, attributeValueKind, fitCell } from '../../dts/model/PropertyValue.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { attributeToPropertyName, propertyToAttributeName } from '../../dts/board/AttributeNames.ts';

function loadTree(t: { deepEqual: (a: unknown, b: unknown, m?: string) => void }, body: string): DeviceTree {
  const r = parseBoardText(`<board name="v">\n${body}\n</board>\n`, 'v.xml');
  t.deepEqual(r.diagnostics.map(formatDiagnostic), [], 'no diagnostics');
  return r.board!.tree;
}

function problems(body: string): string[] {
  return parseBoardText(`<board name="v">\n${body}\n</board>\n`, 'v.xml').diagnostics.map(formatDiagnostic);
}

/** The property's value as the DTB stores it, in hex. */
function bytesOf(tree: DeviceTree, path: string, name: string): string {
  const prop = tree.nodeAt(path)!.property(name)!;
  const index = PhandleIndex.build(tree);
  return Buffer.from(encodeValue(prop.value, index.phandleOfRef, index.pathOfRef)).toString('hex');
}

function valueOf(tree: DeviceTree, path: string, name: string): ValueSegment[] {
  return tree.nodeAt(path)!.property(name)!.value;
}

test('numbers: hex, decimal, binary, K/M/G suffixes, negatives', (t) => {
  t.is(parseNumber('0x1F'), 31n);
  t.is(parseNumber('0X10'), 16n);
  t.is(parseNumber('42'), 42n);
  t.is(parseNumber('010'), 10n, 'a leading zero is not octal');
  t.is(parseNumber('0b1011'), 11n);
  t.is(parseNumber('4K'), 4096n);
  t.is(parseNumber('256M'), 0x10000000n);
  t.is(parseNumber('2G'), 0x80000000n);
  t.is(parseNumber('0x10K'), 0x4000n);
  t.is(parseNumber('-1'), -1n);
  for (const bad of ['', '0x', '1.5', '12Q', 'K', '0b2', '1k', '--1', '0x-1', 'abc']) t.is(parseNumber(bad), undefined, bad);
});

test('cells keep negative values in two\'s complement and refuse values too wide', (t) => {
  t.is(fitCell(-1n, 32), 0xffffffffn);
  t.is(fitCell(-128n, 8), 0x80n);
  t.is(fitCell(-129n, 8), undefined);
  t.is(fitCell(0xffn, 8), 0xffn);
  t.is(fitCell(0x100n, 8), undefined);
  t.is(fitCell(0xffffffffffffffffn, 64), 0xffffffffffffffffn);
  t.is(fitCell(1n << 64n, 64), undefined);
});

test('attribute values are typed by the property name', (t) => {
  t.is(attributeValueKind('model'), 'string');
  t.is(attributeValueKind('stdout-path'), 'string');
  t.is(attributeValueKind('linux,stdout-path'), 'string');
  t.is(attributeValueKind('vendor,reset-method'), 'string');
  t.is(attributeValueKind('compatible'), 'string-list');
  t.is(attributeValueKind('interrupt-names'), 'string-list');
  t.is(attributeValueKind('clock-output-names'), 'string-list');
  t.is(attributeValueKind('reg'), 'address');
  t.is(attributeValueKind('dma-ranges'), 'address');
  t.is(attributeValueKind('interrupts'), 'auto');
  t.is(attributeValueKind('modelx'), 'auto');
});

// Devicetree Specification v0.4 section 2.2.4.2, table 2.3: the example encodings.
test('strings, string lists, cells and booleans encode as the DT specification shows', (t) => {
  const tree = loadTree(
    t,
    `<node name="/">
  <node name="n" model="hello" compatible="hello world" u32="0x11223344" empty="" two="1 2">
    <prop name="u64" u64="0x1122334455667788"/>
  </node>
</node>`,
  );
  t.is(bytesOf(tree, '/n', 'model'), '68656c6c6f00', '"hello" is its bytes and a NUL');
  t.is(bytesOf(tree, '/n', 'compatible'), '68656c6c6f00776f726c6400', '"hello","world"');
  t.is(bytesOf(tree, '/n', 'u32'), '11223344', 'a u32 is big-endian');
  t.is(bytesOf(tree, '/n', 'u64'), '1122334455667788', 'a u64 is big-endian, high cell first');
  t.is(bytesOf(tree, '/n', 'empty'), '', 'a boolean has no bytes');
  t.is(bytesOf(tree, '/n', 'two'), '0000000100000002');
});

test('a single-string property keeps spaces and punctuation as one string', (t) => {
  const tree = loadTree(t, `<node name="/" bootargs="console=ttyS0,115200 root=/dev/vda rw" status="okay" device_type="memory" method="hvc"/>`);
  t.deepEqual(valueOf(tree, '/', 'bootargs'), [{ kind: 'string', value: 'console=ttyS0,115200 root=/dev/vda rw' }]);
  t.deepEqual(valueOf(tree, '/', 'status'), [{ kind: 'string', value: 'okay' }]);
  t.is(bytesOf(tree, '/', 'method'), '68766300');
});

test('other properties: all numbers or references give 32-bit cells, anything else one string', (t) => {
  const tree = loadTree(
    t,
    `<node name="/">
  <node name="a" label="target" phandle-less=""/>
  <node name="b" nums="0x10 16 0b10000 1K -1" refs="&amp;target 7 &amp;{/a}" text="fast mode" mixed="1 two" boolean=""/>
</node>`,
  );
  t.deepEqual(valueOf(tree, '/b', 'nums'), [{ kind: 'cells', bits: 32, cells: [16n, 16n, 16n, 1024n, 0xffffffffn] }]);
  t.deepEqual(valueOf(tree, '/b', 'text'), [{ kind: 'string', value: 'fast mode' }]);
  t.deepEqual(valueOf(tree, '/b', 'mixed'), [{ kind: 'string', value: '1 two' }]);
  t.deepEqual(valueOf(tree, '/b', 'boolean'), []);
  const refs = valueOf(tree, '/b', 'refs')[0]!;
  if (refs.kind !== 'cells') return t.fail('refs is not cells');
  t.deepEqual(
    refs.cells.map((c) => (typeof c === 'bigint' ? c : c.ref)),
    ['target', 7n, '/a'],
    'references are kept by name for printing: a label, or a path',
  );
  t.is(bytesOf(tree, '/b', 'refs'), '000000010000000700000001', 'both references become the phandle of /a, numbered from 1');
  t.deepEqual(valueOf(tree, '/a', 'phandle'), [{ kind: 'cells', bits: 32, cells: [1n] }], '/a got a phandle property');
});

test('the element form: strings, cells of every width, bytes, path references, mixed values', (t) => {
  const tree = loadTree(
    t,
    `<node name="/">
  <node name="uart" label="uart0"/>
  <node name="p">
    <prop name="s1" string="with  two spaces"/>
    <prop name="s2"><string>  kept as written  </string><string>b</string></prop>
    <prop name="c8"><cells bits="8">0x12 0xff -1</cells></prop>
    <prop name="c16"><cells bits="16">0xabcd 1</cells></prop>
    <prop name="c32" cells="1 0x2"/>
    <prop name="c64"><cells bits="64">0x100000000 -1</cells></prop>
    <prop name="b1" bytes="00 1a ff"/>
    <prop name="b2"><bytes>001aff
      0102</bytes></prop>
    <prop name="where"><pathref>&amp;uart0</pathref></prop>
    <prop name="where2"><pathref>&amp;{/uart}</pathref></prop>
    <prop name="mixed"><string>a</string><cells>1</cells><bytes>02</bytes></prop>
    <prop name="flag"/>
    <prop name="weird#name?" cells="5"/>
  </node>
</node>`,
  );
  t.is(bytesOf(tree, '/p', 's1'), Buffer.from('with  two spaces\0').toString('hex'));
  t.is(bytesOf(tree, '/p', 's2'), Buffer.from('  kept as written  \0b\0').toString('hex'));
  t.is(bytesOf(tree, '/p', 'c8'), '12ffff');
  t.is(bytesOf(tree, '/p', 'c16'), 'abcd0001');
  t.is(bytesOf(tree, '/p', 'c32'), '0000000100000002');
  t.is(bytesOf(tree, '/p', 'c64'), '0000000100000000ffffffffffffffff');
  t.is(bytesOf(tree, '/p', 'b1'), '001aff');
  t.is(bytesOf(tree, '/p', 'b2'), '001aff0102');
  t.is(bytesOf(tree, '/p', 'where'), Buffer.from('/uart\0').toString('hex'), 'a path reference is the full path as a string');
  t.is(bytesOf(tree, '/p', 'where2'), Buffer.from('/uart\0').toString('hex'));
  t.is(bytesOf(tree, '/p', 'mixed'), '61000000000102', 'segments follow each other without padding');
  t.is(bytesOf(tree, '/p', 'flag'), '');
  t.is(bytesOf(tree, '/p', 'weird#name?'), '00000005');
  t.is(tree.nodeAt('/uart')!.property('phandle'), undefined, 'a path reference needs no phandle');
});

test('attribute names map _ to # and . to ,', (t) => {
  const tree = loadTree(t, `<node name="/" _address-cells="1" _size-cells="0" linux.initrd-start="0x100" arm.cpu-registers-not-fw-configured=""/>`);
  t.deepEqual(
    tree.root.properties.map((p) => p.name),
    ['#address-cells', '#size-cells', 'linux,initrd-start', 'arm,cpu-registers-not-fw-configured'],
  );
});

test('explicit phandles are kept and skipped when numbering referenced nodes', (t) => {
  const tree = loadTree(
    t,
    `<node name="/" a="&amp;x" b="&amp;y" c="&amp;z">
  <node name="x" label="x"/>
  <node name="y" label="y" phandle="1"/>
  <node name="z" label="z"/>
</node>`,
  );
  t.is(bytesOf(tree, '/', 'a'), '00000002', 'x gets 2: 1 is taken by y');
  t.is(bytesOf(tree, '/', 'b'), '00000001');
  t.is(bytesOf(tree, '/', 'c'), '00000003');
});

test('a value too large for its cell is an error at the token', (t) => {
  t.deepEqual(problems(`<node name="/" a="1 0x100000000"/>`), ['v.xml:2:21: error: 0x100000000 does not fit in a 32-bit cell']);
  t.deepEqual(problems(`<node name="/"><prop name="b"><cells bits="8">255 256</cells></prop></node>`), [
    'v.xml:2:51: error: 256 does not fit in an 8-bit cell',
  ]);
  t.deepEqual(problems(`<node name="/"><prop name="c" u64="0x10000000000000000"/></node>`), [
    'v.xml:2:36: error: 0x10000000000000000 does not fit in a 64-bit cell',
  ]);
});

test('bad numbers, bytes, bits and references in the element form are errors at the token', (t) => {
  t.deepEqual(
    problems(`<node name="/">
  <prop name="a" cells="1 zz"/>
  <prop name="b" bytes="0g"/>
  <prop name="c" bytes="001"/>
  <prop name="d"><cells bits="12">1</cells></prop>
  <prop name="e"><cells bits="16">&amp;x</cells></prop>
  <prop name="f"><pathref>uart0</pathref></prop>
</node>`),
    [
      "v.xml:3:27: error: bad number 'zz' (expected 0x…, 0b…, a decimal, with an optional K/M/G suffix, or a &reference)",
      "v.xml:4:25: error: bad bytes '0g' (expected pairs of hex digits such as 00 1a ff)",
      "v.xml:5:25: error: bad bytes '001': an odd number of hex digits",
      "v.xml:6:25: error: bad bits '12' (8, 16, 32 or 64)",
      "v.xml:7:35: error: reference '&x' in 16-bit cells: references need 32-bit cells",
      "v.xml:8:27: error: bad path reference 'uart0' (expected &label or &{/path})",
    ],
  );
});

test('a <prop> takes one shorthand or children, never both, and only value elements', (t) => {
  t.deepEqual(
    problems(`<node name="/">
  <prop name="a" cells="1" bytes="00"/>
  <prop name="b" string="x"><string>y</string></prop>
  <prop name="c"><u32>1</u32></prop>
  <prop name="d">loose</prop>
  <prop cells="1"/>
</node>`),
    [
      'v.xml:3:28: error: a <prop> takes one shorthand attribute; write a value of several parts as child elements',
      'v.xml:4:29: error: a <prop> has either a shorthand attribute (string=…) or child elements, not both',
      'v.xml:5:18: error: unknown element <u32> in <prop> (allowed: <string>, <cells>, <bytes>, <pathref>)',
      'v.xml:6:18: error: unexpected text in <prop>',
      "v.xml:7:3: error: <prop> needs the attribute 'name'",
    ],
  );
});

test('names that are not valid property or node names are errors', (t) => {
  t.deepEqual(
    problems(`<node name="/">
  <prop name="bad name" cells="1"/>
  <node name="a b"/>
  <node name="x@"/>
</node>`),
    [
      "v.xml:3:9: error: bad property name 'bad name' (letters, digits and , . _ + ? # -)",
      "v.xml:4:9: error: bad node name 'a b' (letters, digits and , . _ + - then an optional @unit-address)",
      "v.xml:5:9: error: bad node name 'x@' (letters, digits and , . _ + - then an optional @unit-address)",
    ],
  );
});

test('a reference written as a single string is kept as the string, with a warning', (t) => {
  const r = parseBoardText(`<board>\n<node name="/"><node name="chosen" stdout-path="&amp;uart0"/></node>\n</board>`, 'v.xml');
  t.deepEqual(r.diagnostics.map(formatDiagnostic), [
    'v.xml:2:36: warning: stdout-path is the string \'&uart0\' here; for the path of a labelled node write <prop name="stdout-path"><pathref>&amp;uart0</pathref></prop>',
  ]);
  t.deepEqual(r.board!.tree.nodeAt('/chosen')!.property('stdout-path')!.value, [{ kind: 'string', value: '&uart0' }]);
});

test('encodeValue resolves references through the given resolvers', (t) => {
  const segs: ValueSegment[] = [
    { kind: 'cells', bits: 32, cells: [{ ref: 'gic' }, 5n] },
    { kind: 'pathref', ref: 'uart0' },
    { kind: 'pathref', ref: '/soc/x' },
  ];
  const bytes = encodeValue(
    segs,
    (ref) => (ref === 'gic' ? 0x8002 : 0),
    (ref) => (ref === 'uart0' ? '/pl011@9000000' : ref),
  );
  t.is(Buffer.from(bytes).toString('hex'), `0000800200000005${Buffer.from('/pl011@9000000\0/soc/x\0').toString('hex')}`);
  t.is(Buffer.from(encodeValue([{ kind: 'pathref', ref: '/a' }], () => 0)).toString(), '/a\0', 'a path needs no resolver');
});

test('property names map back to attribute names only where the mapping gives them back', (t) => {
  t.is(propertyToAttributeName('#address-cells'), '_address-cells');
  t.is(propertyToAttributeName('linux,code'), 'linux.code');
  t.is(propertyToAttributeName('#foo,bar'), '_foo.bar');
  t.is(propertyToAttributeName('compatible'), 'compatible');
  for (const name of ['has.dot', '_underscore', 'name', 'label', 'ref', 'vendor,has#hash', '9starts', '-dash', 'q?mark', 'a+b', ',lead']) {
    t.is(propertyToAttributeName(name), undefined, name);
  }
  for (const name of ['#address-cells', 'linux,code', 'interrupt-map-mask', '#foo,bar']) {
    t.is(attributeToPropertyName(propertyToAttributeName(name)!), name);
  }
});

test('misplaced roots, bad labels, attribute names that make no property name, elements inside values', (t) => {
  t.deepEqual(
    problems(`<node name="/" x:y="1">
  <node name="/"/>
  <node name="a" label="ok 9bad also-bad"/>
  <node name="b"><prop name="s"><string>a<b/></string></prop></node>
</node>`),
    [
      'v.xml:2:16: error: attribute \'x:y\' does not stand for a valid property name; use <prop name="…">',
      "v.xml:3:9: error: only a top-level <node> can be the root '/'",
      "v.xml:4:28: error: bad label name '9bad' (letters, digits and _, not starting with a digit)",
      "v.xml:4:33: error: bad label name 'also-bad' (letters, digits and _, not starting with a digit)",
      'v.xml:5:42: error: unexpected element <b> in <string> (it holds text only)',
    ],
  );
});
