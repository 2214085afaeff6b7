import test from 'ava';
import { FwCfgMmio, DMA_CTL_ERROR, DMA_CTL_READ, DMA_CTL_SELECT, DMA_CTL_SKIP, DMA_CTL_WRITE } from '../../peripherals/firmware-cfg/FwCfgMmio.ts';
import { fwCfgModel } from '../../peripherals/firmware-cfg/fwCfgModel.ts';
import { Bus } from '../../src/machine/Bus.ts';
import { testContext } from './support/deviceContext.ts';

const DATA = 0x0, SEL = 0x8, DMA_HI = 0x10, DMA_LO = 0x14;
const bswap16 = (v: number) => ((v & 0xff) << 8) | (v >> 8);
const bswap32 = (v: number) => (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

/** RAM where U-Boot put its DMA descriptor in the oracle run (0x4edf7848). */
function setup() {
  const bus = new Bus({ littleEndian: true });
  bus.addRam('ram', 0x4edf7000, 0x2000);
  const fw = new FwCfgMmio({ name: 'fw-cfg@9020000', bus, numCpus: 1 });
  return { bus, fw };
}

/** Select as U-Boot does on a little-endian CPU: writew(cpu_to_be16(key)). */
function select(fw: FwCfgMmio, key: number) {
  fw.write(SEL, 2, bswap16(key));
}

function descriptor(bus: Bus, at: number, control: number, length: number, address: number) {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint32(0, control, false);
  v.setUint32(4, length, false);
  v.setUint32(8, 0, false);
  v.setUint32(12, address, false);
  bus.loadBytes(at, b);
}

/** Start a DMA transfer as U-Boot does: writel(0, dma+0) then writel(cpu_to_be32(addr), dma+4). */
function startDma(fw: FwCfgMmio, at: number) {
  fw.write(DMA_HI, 4, 0);
  fw.write(DMA_LO, 4, bswap32(at));
}

test('run B of the oracle: signature "QEMU" read 4 bytes at once, then feature ID 3', (t) => {
  const { fw } = setup();
  select(fw, 0);
  // QEMU traced 0x51454d55 on its big-endian data region: the CPU gets the bytes Q E M U in memory order.
  t.is(fw.read(DATA, 4), 0x554d4551);
  select(fw, 1);
  t.is(fw.read(DATA, 1), 3);
});

test('the data port streams the item byte by byte and reads 0 past its end', (t) => {
  const { fw } = setup();
  select(fw, 0);
  t.deepEqual([0, 1, 2, 3, 4].map(() => String.fromCharCode(fw.read(DATA, 1))), ['Q', 'E', 'M', 'U', '\0']);
  select(fw, 0);
  t.is(fw.read(DATA, 2), 0x4551, '"QE" in memory order');
  t.is(fw.read(DATA, 2), 0x554d);
  select(fw, 0x1234);
  t.is(fw.read(DATA, 4), 0, 'no such item');
});

test('on a big-endian board the selector and data need no swapping', (t) => {
  const fw = new FwCfgMmio({ name: 'fw', bigEndian: true });
  fw.write(SEL, 2, 0);
  t.is(fw.read(DATA, 4), 0x51454d55);
  t.is(fw.read(DMA_HI, 4), 0x51454d55);
});

test('the DMA address register reads "QEMU CFG"', (t) => {
  const { fw } = setup();
  const bytes = [...new Uint8Array(new Uint32Array([fw.read(DMA_HI, 4), fw.read(DMA_LO, 4)]).buffer)];
  t.is(String.fromCharCode(...bytes), 'QEMU CFG');
});

test('DMA read with select, as U-Boot\'s qfw does for the kernel size: a missing item reads as zeros, control becomes 0', (t) => {
  const { bus, fw } = setup();
  const desc = 0x4edf7848, buf = 0x4edf7900;
  bus.loadBytes(buf, Uint8Array.of(0xaa, 0xaa, 0xaa, 0xaa));
  descriptor(bus, desc, (0x0008 << 16) | DMA_CTL_SELECT | DMA_CTL_READ, 4, buf);
  startDma(fw, desc);
  t.deepEqual([...bus.readBytes(buf, 4)], [0, 0, 0, 0]);
  t.deepEqual([...bus.readBytes(desc, 4)], [0, 0, 0, 0]);
  t.is(fw.dmaTransfers, 1);
});

test('DMA read of the signature and of a file through the directory', (t) => {
  const { bus, fw } = setup();
  fw.addFile('etc/b', Uint8Array.of(1, 2, 3));
  fw.addFile('etc/a', Uint8Array.of(9));
  const desc = 0x4edf7000, buf = 0x4edf7100;
  descriptor(bus, desc, (0 << 16) | DMA_CTL_SELECT | DMA_CTL_READ, 4, buf);
  startDma(fw, desc);
  t.is(new TextDecoder().decode(bus.readBytes(buf, 4)), 'QEMU');
  descriptor(bus, desc, (0x19 << 16) | DMA_CTL_SELECT | DMA_CTL_READ, 4 + 128, buf);
  startDma(fw, desc);
  const dir = new DataView(bus.readBytes(buf, 4 + 128).buffer);
  t.is(dir.getUint32(0, false), 2);
  t.is(dir.getUint32(4, false), 1, 'etc/a first (sorted), 1 byte');
  t.is(dir.getUint16(8, false), 0x20);
  t.is(new TextDecoder().decode(bus.readBytes(buf + 12, 5)), 'etc/a');
  t.is(dir.getUint16(8 + 64, false), 0x21);
  descriptor(bus, desc, (0x21 << 16) | DMA_CTL_SELECT | DMA_CTL_SKIP, 1, 0);
  startDma(fw, desc);
  descriptor(bus, desc, DMA_CTL_READ, 2, buf);
  startDma(fw, desc);
  t.deepEqual([...bus.readBytes(buf, 2)], [2, 3], 'skip then read continue at the offset');
});

test('an empty file directory has count 0', (t) => {
  const { fw } = setup();
  select(fw, 0x19);
  t.is(fw.read(DATA, 4), 0);
});

test('DMA write: accepted into a writable file, refused (error bit) for read-only items or past the end', (t) => {
  const { bus, fw } = setup();
  const file = new Uint8Array(4);
  fw.addFile('etc/ramfb', file, true);
  const desc = 0x4edf7000, buf = 0x4edf7100;
  bus.loadBytes(buf, Uint8Array.of(5, 6, 7, 8));
  descriptor(bus, desc, (0x20 << 16) | DMA_CTL_SELECT | DMA_CTL_WRITE, 4, buf);
  startDma(fw, desc);
  t.deepEqual([...file], [5, 6, 7, 8]);
  t.is(bus.readBytes(desc, 4)[3], 0);
  descriptor(bus, desc, (0x20 << 16) | DMA_CTL_SELECT | DMA_CTL_WRITE, 5, buf);
  startDma(fw, desc);
  t.is(bus.readBytes(desc, 4)[3], DMA_CTL_ERROR);
  descriptor(bus, desc, (0x0 << 16) | DMA_CTL_SELECT | DMA_CTL_WRITE, 4, buf);
  startDma(fw, desc);
  t.is(bus.readBytes(desc, 4)[3], DMA_CTL_ERROR);
});

test('DMA to an address outside RAM sets the error bit', (t) => {
  const { bus, fw } = setup();
  const desc = 0x4edf7000;
  descriptor(bus, desc, (0 << 16) | DMA_CTL_SELECT | DMA_CTL_READ, 4, 0x10000000);
  startDma(fw, desc);
  t.is(bus.readBytes(desc, 4)[3], DMA_CTL_ERROR);
});

test('without a bus DMA is logged and does nothing', (t) => {
  const lines: string[] = [];
  const fw = new FwCfgMmio({ name: 'fw', log: (m) => lines.push(m) });
  startDma(fw, 0x1000);
  t.regex(lines[0], /no guest memory/);
});

test('factory: window of 0x18 bytes, CPU count item, DMA through the context bus', (t) => {
  const bus = new Bus({ littleEndian: true });
  bus.addRam('ram', 0x40000000, 0x1000);
  const ctx = testContext({ name: 'fw-cfg@9020000', regs: [{ address: 0x9020000, size: 0x18 }], bus });
  const inst = fwCfgModel.factory(ctx);
  t.deepEqual(inst.mappings.map((m) => [m.address, m.size]), [[0x9020000, 0x18]]);
  const fw = inst.model as FwCfgMmio;
  select(fw, 5);
  t.is(fw.read(DATA, 2), 1, 'one CPU (FW_CFG_NB_CPUS, little-endian u16)');
  descriptor(bus, 0x40000000, (0 << 16) | DMA_CTL_SELECT | DMA_CTL_READ, 4, 0x40000100);
  startDma(fw, 0x40000000);
  t.is(new TextDecoder().decode(bus.readBytes(0x40000100, 4)), 'QEMU');
});
