import test from 'ava';
import { readFileSync } from 'node:fs';
import { DeviceTree, DtNode, type DtProperty } from '../../dts/model/DeviceTree.ts';
import { Bus } from '../../src/machine/Bus.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import { IrqLine } from '../../src/machine/IrqLine.ts';
import type { DeviceContext, DeviceInstance } from '../../peripherals/DeviceModel.ts';
import { createDeviceRegistry } from '../../peripherals/models.ts';
import type { Pl011Uart } from '../../peripherals/uart/Pl011Uart.ts';
import { cellsProp, stringProp } from './support/deviceContext.ts';

/**
 * The devices of QEMU's virt board (oracle board.dts), built through the
 * registry from their compatible strings and mapped on the machine's Bus at
 * the DTB's addresses; accesses go through the bus as a core's would.
 */
function virtBoard() {
  const tree = new DeviceTree();
  const bus = new Bus({ littleEndian: true });
  bus.addRam('ram', 0x4ed00000, 0x200000);           // holds U-Boot's fw_cfg DMA descriptor (0x4edf7848)
  const clock = new VirtualClock();
  const registry = createDeviceRegistry();
  const log: string[] = [];
  const instances = new Map<string, DeviceInstance>();
  const add = (name: string, compatible: string[], regs: Array<[number, number]>, props: DtProperty[] = []) => {
    const node = new DtNode(name);
    node.properties.push(stringProp('compatible', ...compatible), ...props);
    tree.root.addChild(node);
    const match = registry.match(node);
    if (match === undefined) throw new Error(`no model for ${compatible.join(', ')}`);
    const ctx: DeviceContext = {
      node, tree, name, regs: regs.map(([address, size]) => ({ address, size })),
      irqs: [IrqLine.unconnected()], clock, bigEndian: false,
      stop: { requestStop: () => {} }, pc: { currentPc: () => undefined }, log: (m) => log.push(m), bus,
    };
    const inst = match.model.factory(ctx);
    for (const m of inst.mappings) bus.mapMmio(name, m.address, m.size, m.device, { deviceOffset: m.deviceOffset });
    instances.set(name, inst);
    return inst;
  };
  add('flash@0', ['cfi-flash'], [[0, 0x4000000], [0x4000000, 0x4000000]], [cellsProp('bank-width', 4)]);
  add('intc@8000000', ['arm,cortex-a15-gic'], [[0x8000000, 0x10000], [0x8010000, 0x10000]]);
  add('pl011@9000000', ['arm,pl011', 'arm,primecell'], [[0x9000000, 0x1000]]);
  add('pl031@9010000', ['arm,pl031', 'arm,primecell'], [[0x9010000, 0x1000]]);
  add('fw-cfg@9020000', ['qemu,fw-cfg-mmio'], [[0x9020000, 0x18]]);
  add('pl061@9030000', ['arm,pl061', 'arm,primecell'], [[0x9030000, 0x1000]]);
  for (let n = 0; n < 32; n++) {
    const a = 0xa000000 + n * 0x200;
    add(`virtio_mmio@${a.toString(16)}`, ['virtio,mmio'], [[a, 0x200]]);
  }
  return { bus, log, instances };
}

function access(bus: Bus, op: string, addr: number, width: number, value = 0): number {
  if (op === 'W') {
    if (width === 1) bus.write8(addr, value); else if (width === 2) bus.write16(addr, value); else bus.write32(addr, value);
    return 0;
  }
  return width === 1 ? bus.read8(addr) : width === 2 ? bus.read16(addr) : bus.read32(addr);
}

test('U-Boot\'s flash probe through the bus gets QEMU\'s answers on both banks', (t) => {
  const { bus, log } = virtBoard();
  const text = readFileSync(new URL('./fixtures/uboot-cfi-probe.txt', import.meta.url), 'utf8');
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [op, b, off, val, size] = line.split(' ');
    const addr = Number(b) * 0x4000000 + Number(off);
    const width = Number(size);
    const got = access(bus, op, addr, width, Number(val));
    if (op === 'R') t.is(got, width === 4 ? Number(val) >>> 0 : Number(val) & ((1 << (8 * width)) - 1), line);
  }
  t.deepEqual(log, []);
});

test('all 32 virtio-mmio slots answer magic, version 1, device 0 as in the oracle', (t) => {
  const { bus } = virtBoard();
  for (let n = 0; n < 32; n++) {
    const a = 0xa000000 + n * 0x200;
    t.deepEqual([bus.read32(a), bus.read32(a + 4), bus.read32(a + 8)], [0x74726976, 1, 0]);
  }
});

test('PL011 as U-Boot drives it: CR=0, LCR_H=0x70, CR=0xb01, FR polls 0x90, DR writes reach the terminal', (t) => {
  const { bus, instances } = virtBoard();
  const uart = instances.get('pl011@9000000')!.model as Pl011Uart;
  const out: number[] = [];
  uart.attachBackend({ transmit: (b) => out.push(b) });
  bus.write32(0x9000030, 0);
  bus.write32(0x900002c, 0x70);
  bus.write32(0x9000030, 0xb01);
  for (const c of '=> ') {
    t.is(bus.read32(0x9000018), 0x90);
    bus.write32(0x9000000, c.charCodeAt(0));
  }
  t.is(String.fromCharCode(...out), '=> ');
  uart.receive(0x20);                               // the key the oracle driver sent
  t.is(bus.read32(0x9000018), 0x80, 'oracle: FR read 0x80 with a character waiting');
  t.is(bus.read32(0x9000000), 0x20);
});

test('fw_cfg as in the oracle\'s run B, through the bus, DMA descriptor at 0x4edf7848', (t) => {
  const { bus } = virtBoard();
  bus.write16(0x9020008, 0x0000);
  t.is(bus.read32(0x9020000), 0x554d4551);
  bus.write16(0x9020008, 0x0100);                   // cpu_to_be16(FW_CFG_ID)
  t.is(bus.read8(0x9020000), 3);
  const desc = new DataView(new ArrayBuffer(16));
  desc.setUint32(0, (0x0008 << 16) | 0x8 | 0x2, false);   // select FW_CFG_KERNEL_SIZE, read
  desc.setUint32(4, 4, false);
  desc.setUint32(12, 0x4edf7900, false);
  bus.loadBytes(0x4edf7848, new Uint8Array(desc.buffer));
  bus.loadBytes(0x4edf7900, Uint8Array.of(1, 2, 3, 4));
  bus.write32(0x9020010, 0);
  bus.write32(0x9020014, 0x4878df4e);               // cpu_to_be32(0x4edf7848)
  t.deepEqual([...bus.readBytes(0x4edf7900, 4)], [0, 0, 0, 0], 'no kernel: size 0');
  t.deepEqual([...bus.readBytes(0x4edf7848, 4)], [0, 0, 0, 0], 'control cleared: done');
});

test('GIC, PL031 and PL061 identify themselves through the bus', (t) => {
  const { bus } = virtBoard();
  t.is(bus.read32(0x8000004), 8, 'GICD_TYPER: 288 interrupt IDs, one CPU');
  t.is(bus.read32(0x80100fc), 0x0202143b, 'GICC_IIDR');
  t.is(bus.read32(0x9010fe0), 0x31);
  t.is(bus.read32(0x9030fe0), 0x61);
});

test('on the machine Bus the flash is ROM in read-array mode once a loader made its bytes: images go in with loadBytes, code runs from memory', (t) => {
  const { bus, instances } = virtBoard();
  t.deepEqual(instances.get('flash@0')!.mappings, [], 'the banks are mapped by the romd mapper itself');
  // An erased bank nothing wrote is a register window reading 0xff; a loader makes its bytes first.
  t.is(bus.memoryAt(0), null);
  t.is(bus.read32(0) >>> 0, 0xffffffff);
  bus.materializeMemory(0, 4);
  bus.loadBytes(0, Uint8Array.of(0x0f, 0x00, 0x00, 0xea));   // an ARM branch, as U-Boot's first word
  t.is(bus.memoryAt(0)?.kind, 'rom');
  t.is(bus.memoryAt(0x4000000), null, 'the second bank still has no bytes');
  t.is(bus.read32(0), 0xea00000f);
  bus.write16(0x154, 0x98);                                   // CFI query on bank 0, as U-Boot
  t.is(bus.memoryAt(0), null);
  t.is(bus.read16(0x40), 0x51);
  const flash = instances.get('flash@0')!.model as { reset(): void };
  flash.reset();                                              // machine reset: back to read array
  t.is(bus.read32(0), 0xea00000f);
});
