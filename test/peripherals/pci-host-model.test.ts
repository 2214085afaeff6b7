import test from 'ava';
import { loadBoard, parseBoardText } from '../../dts/board/BoardLoader.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { PciEcamWindow } from '../../peripherals/pci/PciEcamWindow.ts';
import { createDeviceRegistry } from '../../peripherals/models.ts';

/**
 * The "pci-host-ecam-generic" binding (devicetree pci/host-generic-pci.yaml)
 * as boards use it: the virt board's node as QEMU writes it, and board files
 * with mistakes in reg, bus-range or ranges.
 */

test('the registry picks the ECAM host model for compatible "pci-host-ecam-generic"', (t) => {
  const m = createDeviceRegistry().lookup('pci-host-ecam-generic');
  t.truthy(m);
  t.regex(m!.description, /ECAM/);
});

test('virt-arm: ECAM, I/O and both memory windows sit where QEMU maps them and answer as QEMU does', (t) => {
  const { board, diagnostics } = loadBoard('boards/virt-arm.xml');
  if (!board) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const { machine } = buildMachine(board, { dryRun: true });
  const bus = machine.bus;
  // QEMU's `info mtree -f` (oracle mtree.txt): ECAM 16 MiB at 0x3f000000, PIO 64 KiB at 0x3eff0000,
  // MMIO 0x10000000-0x3efeffff and the high window at 0x80_0000_0000.
  for (const [addr, size] of [[0x3f000000, 0x1000000], [0x3eff0000, 0x10000], [0x10000000, 0x2eff0000], [0x8000000000, 0x8000000000]]) {
    const r = bus.regionAt(addr);
    t.is(r?.kind, 'mmio', `0x${addr.toString(16)}`);
    t.is(r?.size, size);
    t.true(r!.name.startsWith('pcie@10000000'), r?.name);
  }
  // What U-Boot's md showed under QEMU: the host bridge, empty slots, empty windows.
  t.is(bus.read32(0x3f000000), 0x00081b36);
  t.is(bus.read32(0x3f000008), 0x06000000);
  t.is(bus.read32(0x3f00002c), 0x11001af4);
  t.is(bus.read32(0x3f008000), 0xffffffff);
  t.is(bus.read32(0x3f100000), 0xffffffff);
  t.is(bus.read32(0x3f000100), 0xffffffff);
  t.is(bus.read32(0x10000000), 0xffffffff);
  t.is(bus.read32(0x3eff0000), 0xffffffff);
});

test('virt-arm: a machine reset puts the host bridge header back to its power-on state', (t) => {
  const { board } = loadBoard('boards/virt-arm.xml');
  const { machine } = buildMachine(board!, { dryRun: true });
  machine.bus.write16(0x3f000004, 0x4);
  machine.bus.write8(0x3f00000c, 0x8);
  t.is(machine.bus.read32(0x3f000004), 0x4);
  machine.reset();
  t.is(machine.bus.read32(0x3f000004), 0);
  t.is(machine.bus.read32(0x3f00000c), 0);
});

const host = (props: string, children = '') =>
  parseBoardText(
    `<board name="t"><node name="/" _address-cells="2" _size-cells="2">
  <node name="pcie@10000000" compatible="pci-host-ecam-generic" device_type="pci" _address-cells="3" _size-cells="2"
        ${props}>${children}</node>
</node></board>`,
    't.xml',
  );

function buildError(t: import('ava').ExecutionContext, props: string, children = ''): string {
  const { board, diagnostics } = host(props, children);
  if (!board) return new InputError(diagnostics).message; // caught by the board checks already
  const e = t.throws(() => buildMachine(board, { dryRun: true }), { instanceOf: InputError });
  return e?.message ?? '';
}

test('without bus-range the buses are those the ECAM window holds (Linux cuts 0-255 down the same way)', (t) => {
  const { board } = host('reg="0x3f000000 4M"');
  const r = buildMachine(board!, { dryRun: true }).machine.bus.regionAt(0x3f000000);
  const ecam = r?.kind === 'mmio' ? r.device : undefined;
  if (!(ecam instanceof PciEcamWindow)) return t.fail(`0x3f000000 holds ${r?.name}, not the ECAM window`);
  t.deepEqual([ecam.segment.firstBus, ecam.segment.lastBus], [0, 3]);
  t.is(ecam.read(0, 4), 0x00081b36, 'the gpex host bridge at 00:00.0');
});

test('board mistakes are errors at file:line:column', (t) => {
  t.regex(buildError(t, 'reg="0x3f000000 0x80000"'), /^t\.xml:\d+:\d+: error: \/pcie@10000000: the ECAM window \(reg size 0x80000\) is smaller than one bus/m);
  t.regex(buildError(t, 'reg="0x3f000000 16M" bus-range="0 0x10"'),
    /^t\.xml:\d+:\d+: error: \/pcie@10000000: bus-range <0 16> needs 17 MiB of ECAM but reg gives 0x1000000 bytes/m);
  t.regex(buildError(t, 'reg="0x3f000000 16M" bus-range="3 2"'), /^t\.xml:\d+:\d+: error: \/pcie@10000000: bus-range must be two cells <first last>/m);
  t.regex(buildError(t, 'reg="0x3f000000 16M"', '<prop name="ranges" cells="0 0 0 0 0x3eff0000 0 0x10000"/>'),
    /^t\.xml:\d+:\d+: error: \/pcie@10000000: ranges entry 0 maps configuration space/m);
  t.regex(buildError(t, 'reg="0x3f000000 16M"', '<prop name="ranges" cells="0x1000000 0 0 0 0x3eff0000 0 0x10000 0x2000000"/>'),
    /^t\.xml:\d+:\d+: error: ranges of \/pcie@10000000 has 8 cells, not a multiple of 7/m);
});
