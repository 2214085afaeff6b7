import test from 'ava';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBoard, loadFragment, parseBoardText } from '../../dts/board/BoardLoader.ts';
import type { DeviceTree } from '../../dts/model/DeviceTree.ts';
import { PhandleIndex } from '../../dts/model/Phandles.ts';
import { encodeValue } from '../../dts/model/PropertyValue.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';

/** The fixtures folder as a path relative to the working directory, as messages show it. */
const FIX = relative(process.cwd(), fileURLToPath(new URL('../fixtures/boards/', import.meta.url)));

function strings(tree: DeviceTree, path: string, name: string): string[] | undefined {
  return tree
    .nodeAt(path)
    ?.property(name)
    ?.value.map((s) => (s.kind === 'string' ? s.value : `<${s.kind}>`));
}

function hex(tree: DeviceTree, path: string, name: string): string {
  const index = PhandleIndex.build(tree);
  return Buffer.from(encodeValue(tree.nodeAt(path)!.property(name)!.value, index.phandleOfRef, index.pathOfRef)).toString('hex');
}

test('an include, then overrides by label and path, deletions and merges give the tree dtc would', (t) => {
  const { board, diagnostics } = loadBoard(join(FIX, 'board-overrides.xml'));
  t.deepEqual(diagnostics.map(formatDiagnostic), []);
  const tree = board!.tree;
  t.deepEqual(
    [...tree.root.walk()].map((n) => n.path),
    ['/', '/apb-pclk', '/intc@8000000', '/pl011@9000000', '/cpus', '/cpus/cpu@0', '/memory@40000000', '/chosen'],
    'the nested include comes first, /flash@0 and /cpus/cpu@1 are deleted, new nodes are appended',
  );
  // <node ref="&uart0" status="okay"> replaces the value in place, as dtc keeps a property's position.
  t.deepEqual(
    tree.nodeAt('/pl011@9000000')!.properties.map((p) => p.name),
    ['compatible', 'status', 'reg', 'interrupts', 'clocks'],
  );
  t.deepEqual(strings(tree, '/pl011@9000000', 'status'), ['okay']);
  t.deepEqual(tree.nodeAt('/pl011@9000000')!.labels, ['uart0', 'serial0'], 'an override can add a label');
  t.is(hex(tree, '/pl011@9000000', 'interrupts'), '000000000000000500000004', 'the last override (ref="uart0", a bare label) wins');
  t.is(tree.nodeAt('/cpus')!.property('foo'), undefined, 'delete-property');
  t.deepEqual(tree.nodeAt('/cpus/cpu@0')!.properties.map((p) => p.name), ['device_type', 'reg', 'compatible'], 'merged node keeps its properties');
  t.deepEqual(tree.nodeAt('/cpus/cpu@0')!.labels, ['cpu0']);
  t.deepEqual(strings(tree, '/', 'model'), ['overrides']);
  t.is(hex(tree, '/chosen', 'stdout-path'), Buffer.from('/pl011@9000000\0').toString('hex'), 'a path reference to the added label');
  t.is(hex(tree, '/intc@8000000', 'phandle'), '00000001', 'phandles in tree order of first reference: / references gic first');
  t.is(hex(tree, '/apb-pclk', 'phandle'), '00000002');
});

test('overrides resolve labels at the point they are written, as dtc does', (t) => {
  const xml = `<board name="early">
  <node ref="&amp;uart0" status="okay"/>
  <include href="soc/soc-a.xml"/>
  <node ref="&amp;cpu1" status="okay"/>
  <delete-node path="&amp;cpu1"/>
  <node ref="&amp;cpu1"/>
  <delete-node path="/cpus/cpu@7"/>
  <delete-node path="/"/>
</board>`;
  const r = parseBoardText(xml, join(FIX, 'inline.xml'));
  t.deepEqual(r.diagnostics.map(formatDiagnostic), [
    `${FIX}/inline.xml:2:9: error: reference to missing label 'uart0'`,
    `${FIX}/inline.xml:6:9: error: reference to missing label 'cpu1'`,
    `${FIX}/inline.xml:7:16: error: delete-node: reference to missing path '/cpus/cpu@7'`,
    `${FIX}/inline.xml:8:16: error: delete-node: the root node cannot be deleted`,
  ]);
});

test('deleting a child or property that does not exist is an error at its name', (t) => {
  const xml = `<board name="del">
  <include href="soc/soc-a.xml"/>
  <node ref="/cpus">
    <delete-node name="cpu@9"/>
    <delete-property name="bar"/>
    <delete-property name="#address-cells"/>
  </node>
</board>`;
  const r = parseBoardText(xml, join(FIX, 'inline.xml'));
  t.deepEqual(r.diagnostics.map(formatDiagnostic), [
    `${FIX}/inline.xml:4:18: error: delete-node: /cpus has no child node 'cpu@9'`,
    `${FIX}/inline.xml:5:22: error: delete-property: /cpus has no property 'bar'`,
  ]);
});

test('errors inside an included file are reported with that file\'s name and positions', (t) => {
  const { board, diagnostics } = loadBoard(join(FIX, 'bad/includes-bad-fragment.xml'));
  t.is(board, undefined);
  t.deepEqual(diagnostics.map(formatDiagnostic), [
    `${FIX}/bad/fragment-errors.xml:3:3: error: <firmware> is not allowed in a <fragment> (only <include>, <node>, <delete-node> and <memreserve>)`,
    `${FIX}/bad/fragment-errors.xml:5:29: error: 0x100000000 does not fit in a 32-bit cell`,
    `${FIX}/bad/includes-bad-fragment.xml:5:31: error: 0x1ffffffff does not fit in a 32-bit cell`,
  ]);
});

test('an include cycle is an error at the include that closes it, with the whole chain', (t) => {
  const { board, diagnostics } = loadBoard(join(FIX, 'bad/cycle-a.xml'));
  t.is(board, undefined);
  t.deepEqual(diagnostics.map(formatDiagnostic), [
    `${FIX}/bad/cycle-c.xml:4:12: error: include cycle: ${FIX}/bad/cycle-a.xml → ${FIX}/bad/cycle-b.xml → ${FIX}/bad/cycle-c.xml → ${FIX}/bad/cycle-b.xml`,
  ]);
});

test('a missing include and an include of a board are errors at the href', (t) => {
  const { diagnostics } = loadBoard(join(FIX, 'bad/missing-include.xml'));
  t.deepEqual(diagnostics.map(formatDiagnostic), [
    `${FIX}/bad/missing-include.xml:4:12: error: missing include 'no-such-soc.xml': no such file (${FIX}/bad/no-such-soc.xml)`,
    `${FIX}/bad/missing-include.xml:5:12: error: ${FIX}/board-overrides.xml cannot be included: its root element is <board>, an included file must be a <fragment>`,
  ]);
});

test('a fragment included twice merges into the same nodes without errors', (t) => {
  const xml = `<board name="twice">
  <include href="soc/soc-a.xml"/>
  <include href="soc/soc-a.xml"/>
</board>`;
  const r = parseBoardText(xml, join(FIX, 'inline.xml'));
  t.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  t.is(r.board!.tree.root.children.length, 5);
});

test('repeated root blocks in one file merge, like repeated / { } blocks in a .dts', (t) => {
  const r = parseBoardText(
    `<board name="merge">
  <node name="/" a="1"><node name="x" p="1"/></node>
  <node name="/" b="2"><node name="x" q="2"/></node>
</board>`,
    'm.xml',
  );
  t.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  const tree = r.board!.tree;
  t.deepEqual(tree.root.properties.map((p) => p.name), ['a', 'b']);
  t.deepEqual(tree.nodeAt('/x')!.properties.map((p) => p.name), ['p', 'q']);
});

test('loadFragment checks an SoC file on its own', (t) => {
  const r = loadFragment(join(FIX, 'soc/soc-a.xml'));
  t.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  t.deepEqual(
    r.tree!.root.children.map((n) => n.name),
    ['apb-pclk', 'intc@8000000', 'flash@0', 'pl011@9000000', 'cpus'],
  );
  const board = loadFragment(join(FIX, 'board-overrides.xml'));
  t.is(board.tree, undefined);
  t.deepEqual(board.diagnostics.map(formatDiagnostic), [`${FIX}/board-overrides.xml:2:1: error: expected the root element <fragment>, found <board>`]);
});

test('a board file that is a fragment, or does not exist, is refused', (t) => {
  const r = loadBoard(join(FIX, 'soc/soc-a.xml'));
  t.deepEqual(r.diagnostics.map(formatDiagnostic), [
    `${FIX}/soc/soc-a.xml:2:1: error: ${FIX}/soc/soc-a.xml is a <fragment>, which boards include; a board file has the root element <board>`,
  ]);
  const missing = loadBoard(join(FIX, 'nope.xml'));
  t.deepEqual(missing.diagnostics.map(formatDiagnostic), [`error: cannot read '${FIX}/nope.xml': no such file`]);
});
