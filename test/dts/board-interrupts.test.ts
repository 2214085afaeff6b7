import test from 'ava';
import { parseBoardText } from '../../dts/board/BoardLoader.ts';
import type { DeviceTree } from '../../dts/model/DeviceTree.ts';
import { interruptParent, mapInterrupt, resolveInterrupts } from '../../dts/model/InterruptResolution.ts';
import { PhandleIndex } from '../../dts/model/Phandles.ts';
import { InputError, formatDiagnostic } from '../../dts/model/SourcePos.ts';

function loadTree(t: { deepEqual: (a: unknown, b: unknown, m?: string) => void }, body: string): DeviceTree {
  const r = parseBoardText(`<board name="i">\n${body}\n</board>\n`, 'i.xml');
  t.deepEqual(r.diagnostics.map(formatDiagnostic), [], 'no diagnostics');
  return r.board!.tree;
}

/** Each interrupt as "controller path: specifier". */
function resolved(tree: DeviceTree, path: string): string[] {
  return resolveInterrupts(tree, tree.nodeAt(path)!).map((r) => `${r.controller.path}: ${r.specifier.join(' ')}`);
}

const TWO_CONTROLLERS = `<node name="/" _address-cells="1" _size-cells="1" interrupt-parent="&amp;gic">
  <node name="gic@1000" label="gic" interrupt-controller="" _interrupt-cells="3" reg="0x1000 0x1000"/>
  <node name="timer" interrupts="1 13 0x104 1 14 0x104 1 11 0x104 1 10 0x104"/>
  <node name="soc" _address-cells="1" _size-cells="1" ranges="" interrupt-parent="&amp;pic">
    <node name="pic@4000" label="pic" interrupt-controller="" _interrupt-cells="2" reg="0x4000 0x100"/>
    <node name="uart@5000" reg="0x5000 0x100" interrupts="12 8"/>
    <node name="eth@6000" reg="0x6000 0x100" interrupt-parent="&amp;gic" interrupts="0 40 4 0 41 4"/>
    <node name="dual" interrupts-extended="&amp;gic 0 7 4 &amp;pic 3 2" interrupts="99"/>
    <node name="gpio@7000" label="gpio" reg="0x7000 0x100" interrupt-controller="" _interrupt-cells="1" interrupts="20 4">
      <node name="button" interrupts="5"/>
    </node>
  </node>
</node>`;

test('interrupts are split by the parent\'s #interrupt-cells; the parent comes from the nearest interrupt-parent', (t) => {
  const tree = loadTree(t, TWO_CONTROLLERS);
  t.deepEqual(resolved(tree, '/timer'), ['/gic@1000: 1 13 260', '/gic@1000: 1 14 260', '/gic@1000: 1 11 260', '/gic@1000: 1 10 260']);
  t.deepEqual(resolved(tree, '/soc/uart@5000'), ['/soc/pic@4000: 12 8'], 'inherited from /soc, not from /');
  t.deepEqual(resolved(tree, '/soc/eth@6000'), ['/gic@1000: 0 40 4', '/gic@1000: 0 41 4'], 'its own interrupt-parent wins');
});

test('interrupts-extended names a controller before each specifier and wins over interrupts', (t) => {
  const tree = loadTree(t, TWO_CONTROLLERS);
  t.deepEqual(resolved(tree, '/soc/dual'), ['/gic@1000: 0 7 4', '/soc/pic@4000: 3 2']);
});

test('a tree parent with #interrupt-cells is the interrupt parent of its children (DT spec 2.4.1)', (t) => {
  const tree = loadTree(t, TWO_CONTROLLERS);
  const index = PhandleIndex.build(tree);
  t.is(interruptParent(tree.nodeAt('/soc/gpio@7000/button')!, index)!.path, '/soc/gpio@7000');
  t.deepEqual(resolved(tree, '/soc/gpio@7000/button'), ['/soc/gpio@7000: 5']);
  t.deepEqual(resolved(tree, '/soc/gpio@7000'), ['/soc/pic@4000: 20 4'], 'the controller itself reports to its own parent');
  t.deepEqual(resolved(tree, '/soc'), [], 'no interrupts: nothing to resolve');
});

test('phandles given as numbers (as in an imported blob) resolve like references', (t) => {
  const tree = loadTree(
    t,
    `<node name="/" interrupt-parent="0x8002">
  <node name="intc" phandle="0x8002" interrupt-controller="" _interrupt-cells="2"/>
  <node name="dev" interrupts="4 1"/>
</node>`,
  );
  t.deepEqual(resolved(tree, '/dev'), ['/intc: 4 1']);
});

/**
 * The PCIe host of QEMU's arm "virt" machine, as in its blob (../shared/oracle/arm-virt):
 * hw/arm/virt.c create_pcie_irq_map() maps slot s, pin p (INTA = 1) to GIC SPI
 * 3 + ((p - 1 + s) mod 4), level-high (4), and masks the unit address with 0x1800 (slot
 * bits 11-12) and the pin with 7.
 */
function pcieMap(): string {
  const entries: string[] = [];
  for (let slot = 0; slot < 4; slot++) {
    for (let pin = 1; pin <= 4; pin++) entries.push(`0x${(slot << 11).toString(16)} 0 0 ${pin} &amp;gic 0 0 0 ${3 + ((pin - 1 + slot) % 4)} 4`);
  }
  return entries.join(' ');
}

const PCIE = `<node name="/" _address-cells="2" _size-cells="2" interrupt-parent="&amp;gic">
  <node name="intc@8000000" label="gic" interrupt-controller="" _interrupt-cells="3" _address-cells="2" _size-cells="2"
        reg="0x8000000 0x10000 0x8010000 0x10000"/>
  <node name="pcie@10000000" device_type="pci" _address-cells="3" _size-cells="2" _interrupt-cells="1"
        reg="0x3f000000 16M">
    <prop name="ranges" cells="0x1000000 0 0 0 0x3eff0000 0 0x10000 0x2000000 0 0x10000000 0 0x10000000 0 0x2eff0000"/>
    <prop name="interrupt-map-mask" cells="0x1800 0 0 7"/>
    <prop name="interrupt-map" cells="${pcieMap()}"/>
    <node name="net@1,0" interrupts="1"><prop name="reg" cells="0x800 0 0 0 0"/></node>
    <node name="disk@2,0" interrupts="2"><prop name="reg" cells="0x1000 0 0 0 0"/></node>
  </node>
</node>`;

test('an interrupt-map nexus routes PCI INTx pins to GIC SPIs as QEMU virt wires them', (t) => {
  const tree = loadTree(t, PCIE);
  const index = PhandleIndex.build(tree);
  const pcie = tree.nodeAt('/pcie@10000000')!;
  for (let slot = 0; slot < 8; slot++) {
    for (let pin = 1; pin <= 4; pin++) {
      const r = mapInterrupt(pcie, [slot << 11, 0, 0], [pin], index, 'test', undefined);
      t.is(r.controller.path, '/intc@8000000');
      // Slots 4-7 alias 0-3: the mask keeps only bits 11-12 of the unit address.
      t.deepEqual(r.specifier, [0, 3 + ((pin - 1 + (slot % 4)) % 4), 4], `slot ${slot} pin ${pin}`);
    }
  }
  t.deepEqual(resolved(tree, '/pcie@10000000/net@1,0'), ['/intc@8000000: 0 4 4'], 'slot 1 INTA → SPI 4');
  t.deepEqual(resolved(tree, '/pcie@10000000/disk@2,0'), ['/intc@8000000: 0 6 4'], 'slot 2 INTB → SPI 6');
});

test('a specifier no interrupt-map entry matches is an error', (t) => {
  const tree = loadTree(t, PCIE);
  const index = PhandleIndex.build(tree);
  const e = t.throws(() => mapInterrupt(tree.nodeAt('/pcie@10000000')!, [0, 0, 0], [5], index, 'interrupt 0 of /x', undefined), {
    instanceOf: InputError,
  });
  t.is(e?.message, 'error: interrupt 0 of /x: no interrupt-map entry of /pcie@10000000 matches specifier <5>');
});
