import test from 'ava';
import { readFileSync } from 'node:fs';
import { loadBoard, parseBoardText } from '../../dts/board/BoardLoader.ts';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { parseElf } from '../../src/loader/ElfImage.ts';

function virtArm() {
  const { board, diagnostics } = loadBoard('boards/virt-arm.xml');
  if (!board) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return board;
}

test('virt-arm: RAM, flash and devices sit where QEMU virt puts them', (t) => {
  const { machine } = buildMachine(virtArm(), { dryRun: true });
  const at = (a: number) => machine.bus.regionAt(a);
  t.like(at(0x40000000), { kind: 'ram', base: 0x40000000, size: 256 * 1024 * 1024 });
  t.is(at(0x50000000), null);
  t.truthy(at(0x0)); // flash bank 0
  t.truthy(at(0x04000000)); // flash bank 1
  for (const [addr, name] of [
    [0x08000000, 'intc'],
    [0x09000000, 'pl011'],
    [0x09010000, 'pl031'],
    [0x09020000, 'fw-cfg'],
    [0x09030000, 'pl061'],
    [0x0a000000, 'virtio_mmio@a000000'],
    [0x0a003e00, 'virtio_mmio@a003e00'],
  ] as const) {
    const r = at(addr);
    t.is(r?.kind, 'mmio', `${name} at 0x${addr.toString(16)}`);
    t.true(r!.name.startsWith(name), `${r?.name} is ${name}`);
  }
  // A PrimeCell answers its peripheral ID through the bus (PL011 TRM: UARTPeriphID0 = 0x11).
  t.is(machine.bus.read32(0x09000fe0), 0x11);
  // An empty virtio-mmio transport: magic "virt", version 1, device ID 0 (no device).
  t.is(machine.bus.read32(0x0a000000), 0x74726976);
  t.is(machine.bus.read32(0x0a000008), 0);
});

test('virt-arm: the DTB (padded to 1 MiB) and the firmware are in memory at reset', (t) => {
  const board = virtArm();
  const built = buildMachine(board);
  const bus = built.machine.bus;
  const dtb = writeDtb(board.tree, { totalSize: 0x100000 });
  t.deepEqual(bus.readBytes(0x40000000, 64), dtb.subarray(0, 64));
  t.is(bus.read32(0x40000004), 0x00001000); // totalsize 0x100000, big-endian, read little-endian
  const elf = parseElf(new Uint8Array(readFileSync(board.firmware!.path)), { path: board.firmware!.path });
  for (const seg of elf.loadSegments.filter((s) => s.fileSize > 0)) {
    t.deepEqual(bus.readBytes(seg.physAddr, 32), elf.bytes.subarray(seg.fileOffset, seg.fileOffset + 32));
  }
});

test("virt-arm: the PL011's interrupt reaches the GIC as SPI 1 (ID 33)", (t) => {
  const { machine } = buildMachine(virtArm(), { dryRun: true });
  const bus = machine.bus;
  const ISPENDR1 = 0x08000000 + 0x204; // GICv2 spec 4.3.7: IDs 32–63
  t.is(bus.read32(ISPENDR1) & 2, 0);
  bus.write32(0x09000030, 0x301); // UARTCR: enable, TX and RX
  bus.write32(0x09000038, 0x20); // UARTIMSC: TX interrupt unmasked
  bus.write32(0x09000000, 0x41); // a character sent: the TX interrupt asserts (PL011 TRM 3.4.4)
  t.not(bus.read32(0x09000040) & 0x20, 0, 'UARTMIS shows the masked TX interrupt');
  t.is(bus.read32(ISPENDR1) & 2, 2, 'ID 33 pending in the distributor');
});

const tiny = (body: string) =>
  parseBoardText(
    `<board name="t"><node name="/" _address-cells="1" _size-cells="1">
  <node name="gic@1000" label="gic" compatible="arm,cortex-a15-gic" interrupt-controller="" _interrupt-cells="3" reg="0x1000 0x1000 0x2000 0x1000"/>
${body}
</node></board>`,
    't.xml',
  ).board!;

test('an interrupt specifier the controller rejects is an error at the node', (t) => {
  const board = tiny('  <node name="uart@9000" compatible="arm,pl011" reg="0x9000 0x1000" interrupt-parent="&amp;gic" interrupts="7 1 4"/>');
  const e = t.throws(() => buildMachine(board, { dryRun: true }), { instanceOf: InputError });
  t.regex(e!.message, /^t\.xml:3:\d+: error: \/uart@9000: interrupt <7 1 4> for \/gic@1000/m);
});

test('a node whose compatible has no model is a warning and an unimplemented region that reads zero', (t) => {
  const board = tiny('  <node name="thing@9000" compatible="acme,widget" reg="0x9000 0x100"/>');
  const lines: string[] = [];
  const built = buildMachine(board, { dryRun: true, log: (l) => lines.push(l) });
  t.true(built.warnings.some((w) => /no device model for 'acme,widget'/.test(w.message) && w.pos?.line === 3));
  t.is(built.machine.bus.read32(0x9010), 0);
  built.machine.bus.write32(0x9020, 0xdead);
  t.true(lines.some((l) => /thing@9000/.test(l) && /9020/.test(l) && /dead/.test(l)), lines.join('\n'));
});

test('no cpu model: the machine still builds and says why it cannot run', (t) => {
  const board = tiny('  <node name="cpus" _address-cells="1" _size-cells="0"><node name="cpu@0" device_type="cpu" compatible="acme,cpu9000" reg="0"/></node>');
  const built = buildMachine(board, { dryRun: true });
  t.is(built.coreModel, undefined);
  t.regex(built.noCore!, /no core model matches 'acme,cpu9000'/);
});
