import test from 'ava';
import { loadBoard, parseBoardText } from '../../dts/board/BoardLoader.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';

/**
 * The GICv2m frame of QEMU's virt board (SBSA ARM-DEN-0029 "GICv2m" registers;
 * QEMU: base SPI 48, 64 SPIs) on boards/virt-arm.xml, through the bus.
 */
const V2M = 0x08020000;
const GICD = 0x08000000;

function virt() {
  const { board, diagnostics } = loadBoard('boards/virt-arm.xml');
  if (!board) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return buildMachine(board, { dryRun: true }).machine.bus;
}

test('MSI_TYPER names IDs 80..143 (first SPI ID in [25:16], count in [9:0]); MSI_IIDR says QEMU', (t) => {
  const bus = virt();
  t.is(bus.read32(V2M + 0x008), (80 << 16) | 64);
  t.is(bus.read32(V2M + 0xfcc), 0x51 << 20);
  t.is(bus.read32(V2M + 0xfd0), 0);
});

test('a write of an owned ID to MSI_SETSPI_NS makes that SPI pending in the distributor; other IDs do nothing', (t) => {
  const bus = virt();
  const ispendr = (id: number) => (bus.read32(GICD + 0x200 + 4 * Math.floor(id / 32)) >>> id % 32) & 1;
  // Linux configures MSI SPIs as edge-triggered (GICD_ICFGR: 2 bits per ID, bit 1 = edge).
  for (const id of [80, 143, 79, 144]) bus.write32(GICD + 0xc00 + 4 * Math.floor(id / 16), 0xaaaaaaaa);
  bus.write32(V2M + 0x040, 81);
  t.is(ispendr(81), 1, 'ID 81 pending');
  t.is(ispendr(80), 0);
  bus.write32(V2M + 0x040, 143);
  t.is(ispendr(143), 1, 'last owned ID');
  bus.write32(V2M + 0x040, 79);
  bus.write32(V2M + 0x040, 144);
  t.is(ispendr(79), 0, 'below the frame: ignored');
  t.is(ispendr(144), 0, 'above the frame: ignored');
});

test('arm,msi-base-spi and arm,msi-num-spis override the range; a range outside 32..1019 is an error at the node', (t) => {
  const text = (base: number, n: number) => `<board name="m"><node name="/" _address-cells="1" _size-cells="1">
<node name="gic@1000" label="gic" compatible="arm,cortex-a15-gic" interrupt-controller="" _interrupt-cells="3"
      _address-cells="1" _size-cells="1" ranges="" reg="0x1000 0x1000 0x2000 0x1000">
  <node name="v2m@3000" compatible="arm,gic-v2m-frame" msi-controller="" reg="0x3000 0x1000" arm.msi-base-spi="${base}" arm.msi-num-spis="${n}"/>
</node></node></board>`;
  const ok = buildMachine(parseBoardText(text(64, 32), 'm.xml').board!, { dryRun: true }).machine.bus;
  t.is(ok.read32(0x3008), (64 << 16) | 32);
  const e = t.throws(() => buildMachine(parseBoardText(text(1000, 32), 'm.xml').board!, { dryRun: true }), { instanceOf: InputError });
  t.regex(e!.message, /^m\.xml:4:\d+: error: .*SPIs 1000\.\.1031 are outside the GIC's SPI range 32\.\.1019/m);
});
