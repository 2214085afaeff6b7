import test from 'ava';
import { parseBoardText } from '../../dts/board/BoardLoader.ts';
import type { DeviceTree } from '../../dts/model/DeviceTree.ts';
import { addressCells, hasCpuAddress, regEntries, sizeCells, translateReg } from '../../dts/model/AddressTranslation.ts';
import { InputError, formatDiagnostic } from '../../dts/model/SourcePos.ts';

function loadTree(t: { deepEqual: (a: unknown, b: unknown, m?: string) => void }, body: string): DeviceTree {
  const r = parseBoardText(`<board name="a">\n${body}\n</board>\n`, 'a.xml');
  t.deepEqual(r.diagnostics.map(formatDiagnostic), [], 'no diagnostics');
  return r.board!.tree;
}

function problems(body: string): string[] {
  return parseBoardText(`<board name="a">\n${body}\n</board>\n`, 'a.xml').diagnostics.map(formatDiagnostic);
}

function cells(tree: DeviceTree, path: string, name: string): bigint[] {
  const seg = tree.nodeAt(path)!.property(name)!.value;
  return seg.flatMap((s) => (s.kind === 'cells' ? (s.cells as bigint[]) : []));
}

test('reg values expand to the parent\'s #address-cells and #size-cells: 2/2, 1/1, 1/0, 2/1', (t) => {
  const tree = loadTree(
    t,
    `<node name="/" _address-cells="2" _size-cells="2">
  <node name="memory@40000000" reg="0x40000000 256M"/>
  <node name="big@100000000" reg="0x100000000 4G 0x200000000 0x10"/>
  <node name="soc" _address-cells="1" _size-cells="1" ranges="">
    <node name="uart@1000" reg="0x1000 4K"/>
  </node>
  <node name="cpus" _address-cells="1" _size-cells="0">
    <node name="cpu@0" reg="0"/>
    <node name="cpu@1" reg="1"/>
  </node>
  <node name="bus" _address-cells="2" _size-cells="1" ranges="">
    <node name="dev@323456789" reg="0x323456789 0x20"/>
  </node>
</node>`,
  );
  t.deepEqual(cells(tree, '/memory@40000000', 'reg'), [0n, 0x40000000n, 0n, 0x10000000n], 'the format spec\'s own example');
  t.deepEqual(cells(tree, '/big@100000000', 'reg'), [1n, 0n, 1n, 0n, 2n, 0n, 0n, 0x10n]);
  t.deepEqual(cells(tree, '/soc/uart@1000', 'reg'), [0x1000n, 0x1000n]);
  t.deepEqual(cells(tree, '/cpus/cpu@1', 'reg'), [1n], 'no size under #size-cells = <0>');
  t.deepEqual(cells(tree, '/bus/dev@323456789', 'reg'), [3n, 0x23456789n, 0x20n]);
});

test('without #address-cells/#size-cells the defaults 2 and 1 apply (DT spec 2.3.5)', (t) => {
  const tree = loadTree(t, `<node name="/"><node name="dev@1000" reg="0x1000 0x100"/></node>`);
  t.deepEqual(cells(tree, '/dev@1000', 'reg'), [0n, 0x1000n, 0x100n]);
  t.is(addressCells(tree.root), 2);
  t.is(sizeCells(tree.root), 1);
});

test('ranges expand as (child address, parent address, size) by own, parent\'s and own cell counts', (t) => {
  const tree = loadTree(
    t,
    `<node name="/" _address-cells="2" _size-cells="2">
  <node name="bus@100000000" _address-cells="1" _size-cells="1" ranges="0 0x100000000 16M 0x2000000 0x3000000 1M"
        dma-ranges="0 0x80000000 1G"/>
  <node name="flat" _address-cells="2" _size-cells="2" ranges=""/>
</node>`,
  );
  t.deepEqual(cells(tree, '/bus@100000000', 'ranges'), [0n, 1n, 0n, 0x1000000n, 0x2000000n, 0n, 0x3000000n, 0x100000n]);
  t.deepEqual(cells(tree, '/bus@100000000', 'dma-ranges'), [0n, 0n, 0x80000000n, 0x40000000n]);
  t.deepEqual(tree.nodeAt('/flat')!.property('ranges')!.value, [], 'an empty ranges is the 1:1 mapping');
});

test('reg is expanded with the cell sizes in force at the end, after later overrides', (t) => {
  // The root says 1/1 first; an override further down says 2/2, as a board overriding its SoC file would.
  const tree = loadTree(
    t,
    `<node name="/" _address-cells="1" _size-cells="1">
  <node name="memory@0" reg="0 1G"/>
</node>
<node ref="/" _address-cells="2" _size-cells="2"/>`,
  );
  t.deepEqual(cells(tree, '/memory@0', 'reg'), [0n, 0n, 0n, 0x40000000n]);
});

test('a value too big for its cells is an error naming the cells', (t) => {
  t.deepEqual(
    problems(`<node name="/" _address-cells="1" _size-cells="1">
  <node name="a" reg="0x100000000 0x10"/>
  <node name="b" reg="0x1000 0x100000000"/>
  <node name="c" _address-cells="1" _size-cells="1" ranges="0 0x1ffffffff 0x10"/>
</node>`),
    [
      'a.xml:3:23: error: address 0x100000000 in reg does not fit in 1 cell (#address-cells = <1> of /)',
      'a.xml:4:30: error: size 0x100000000 in reg does not fit in 1 cell (#size-cells = <1> of /)',
      'a.xml:5:63: error: parent address 0x1ffffffff in ranges does not fit in 1 cell (#address-cells = <1> of /)',
    ],
  );
});

test('a count of values that is not whole entries is an error naming the cells', (t) => {
  t.deepEqual(
    problems(`<node name="/" _address-cells="2" _size-cells="2">
  <node name="a" reg="0x1000 0x100 0x2000"/>
  <node name="b" _address-cells="1" _size-cells="1" ranges="0 0x1000"/>
  <node name="cpus" _address-cells="1" _size-cells="0"><node name="cpu@0" reg="0 4"/></node>
</node>`),
    [
      'a.xml:3:23: error: reg has 3 values, not a multiple of 2 (each entry: address (#address-cells = <2> of /), size (#size-cells = <2> of /))',
      'a.xml:4:61: error: ranges has 2 values, not a multiple of 3 (each entry: child address (#address-cells = <1> of /b), parent address (#address-cells = <2> of /), size (#size-cells = <1> of /b))',
    ],
    'cpu@0 has 2 values for 1-value entries: a whole number of entries, so no error (2 CPUs ids)',
  );
});

test('addresses cannot be references, negative or words', (t) => {
  t.deepEqual(
    problems(`<node name="/" _address-cells="1" _size-cells="1">
  <node name="a" label="a" reg="&amp;a 0x10"/>
  <node name="b" reg="-1 0x10"/>
</node>`),
    [
      "a.xml:3:33: error: bad address '&a' in reg (expected a non-negative number: 0x…, 0b… or decimal, optional K/M/G)",
      "a.xml:4:23: error: bad address '-1' in reg (expected a non-negative number: 0x…, 0b… or decimal, optional K/M/G)",
    ],
  );
});

test('translateReg goes through every ancestor\'s ranges to CPU addresses', (t) => {
  const tree = loadTree(
    t,
    `<node name="/" _address-cells="2" _size-cells="2">
  <node name="soc@f00000000" _address-cells="1" _size-cells="1" ranges="0 0xf00000000 0x10000000">
    <node name="bridge@100000" _address-cells="1" _size-cells="1" ranges="0x0 0x100000 0x10000 0x20000 0x200000 0x1000">
      <node name="dev@20" reg="0x20 0x10 0x20010 0x8"/>
    </node>
    <node name="plain" _address-cells="1" _size-cells="1" ranges="">
      <node name="uart@4500" reg="0x4500 0x100"/>
    </node>
  </node>
  <node name="memory@0" reg="0 512M"/>
</node>`,
  );
  t.deepEqual(translateReg(tree.nodeAt('/soc@f00000000/bridge@100000/dev@20')!), [
    { address: 0xf00100020, size: 0x10 },
    { address: 0xf00200010, size: 0x8 },
  ]);
  t.deepEqual(translateReg(tree.nodeAt('/soc@f00000000/plain/uart@4500')!), [{ address: 0xf00004500, size: 0x100 }], 'empty ranges: 1:1');
  t.deepEqual(translateReg(tree.nodeAt('/memory@0')!), [{ address: 0, size: 0x20000000 }]);
  t.deepEqual(regEntries(tree.nodeAt('/soc@f00000000/bridge@100000/dev@20')!), [
    { address: 0x20n, size: 0x10n },
    { address: 0x20010n, size: 0x8n },
  ]);
});

test('translateReg reports a bus without ranges and an address outside every range, as the checks do', (t) => {
  const r = parseBoardText(
    `<board name="a">
<node name="/" _address-cells="1" _size-cells="1">
  <node name="soc" _address-cells="1" _size-cells="1">
    <node name="dev@10" reg="0x10 0x10"/>
  </node>
  <node name="bus" _address-cells="1" _size-cells="1" ranges="0 0x1000 0x100">
    <node name="dev@200" reg="0x200 0x10"/>
  </node>
</node>
</board>`,
    'a.xml',
  );
  const expected = [
    'a.xml:4:25: error: reg entry 0 of /soc/dev@10 cannot be translated to a CPU address: /soc has no ranges property (ranges="" maps 1:1)',
    'a.xml:7:26: error: reg entry 0 of /bus/dev@200: address 0x200 is outside every ranges entry of /bus',
  ];
  t.deepEqual(r.diagnostics.map(formatDiagnostic), expected);
  // The same tree, errors and all, through the public function.
  const again = parseBoardText(
    `<board name="a"><node name="/" _address-cells="1" _size-cells="1"><node name="soc" _address-cells="1" _size-cells="1"><node name="dev@10" reg="0x10 0x10"/></node></node></board>`,
    'b.xml',
  );
  t.is(again.board, undefined, 'no board when there are errors');
});

test('translateReg throws an InputError at the reg property', (t) => {
  const tree = loadTree(
    t,
    `<node name="/" _address-cells="1" _size-cells="1">
  <node name="soc" _address-cells="1" _size-cells="1" ranges="">
    <node name="dev@10" reg="0x10 0x10"/>
  </node>
</node>`,
  );
  const soc = tree.nodeAt('/soc')!;
  soc.deleteProperty('ranges');
  const e = t.throws(() => translateReg(tree.nodeAt('/soc/dev@10')!), { instanceOf: InputError });
  t.is(e?.message, 'a.xml:4:25: error: reg entry 0 of /soc/dev@10 cannot be translated to a CPU address: /soc has no ranges property (ranges="" maps 1:1)');
  soc.setProperty({ name: 'ranges', value: [{ kind: 'cells', bits: 32, cells: [0n, 0x1000n, 0x8n] }] });
  t.throws(() => translateReg(tree.nodeAt('/soc/dev@10')!), { message: /address 0x10 is outside every ranges entry of \/soc/ });
});

test('hasCpuAddress: CPUs, I2C devices, flash partitions and PCI functions are not memory-mapped', (t) => {
  const tree = loadTree(
    t,
    `<node name="/" _address-cells="1" _size-cells="1">
  <node name="cpus" _address-cells="1" _size-cells="0"><node name="cpu@0" reg="0"/></node>
  <node name="i2c@1000" _address-cells="1" _size-cells="0" reg="0x1000 0x100"><node name="rtc@68" reg="0x68"/></node>
  <node name="flash@8000000" reg="0x8000000 64M">
    <node name="partitions" _address-cells="1" _size-cells="1"><node name="partition@0" reg="0 1M"/></node>
  </node>
  <node name="pci@3000" device_type="pci" _address-cells="3" _size-cells="2" reg="0x3000 0x1000" ranges="">
    <node name="ep@0"><prop name="reg" cells="0x800 0 0 0 0"/></node>
  </node>
</node>`,
  );
  t.false(hasCpuAddress(tree.nodeAt('/cpus/cpu@0')!));
  t.true(hasCpuAddress(tree.nodeAt('/i2c@1000')!));
  t.false(hasCpuAddress(tree.nodeAt('/i2c@1000/rtc@68')!));
  t.true(hasCpuAddress(tree.nodeAt('/flash@8000000')!));
  t.false(hasCpuAddress(tree.nodeAt('/flash@8000000/partitions/partition@0')!));
  t.true(hasCpuAddress(tree.nodeAt('/pci@3000')!));
  t.false(hasCpuAddress(tree.nodeAt('/pci@3000/ep@0')!));
  t.false(hasCpuAddress(tree.root));
});
