import test from 'ava';
import { Bus } from '../../src/machine/Bus.ts';
import type { AccessWidth, MmioDevice } from '../../src/machine/MmioDevice.ts';

/** A device that logs every access and reads back `pattern(offset, width)`. */
class RecordingDevice implements MmioDevice {
  readonly log: string[] = [];
  resets = 0;
  constructor(
    readonly name: string,
    readonly widths: readonly AccessWidth[],
    private readonly pattern: (offset: number, width: AccessWidth) => number = () => 0,
  ) {}
  read(offset: number, width: AccessWidth): number {
    this.log.push(`r${width}@${offset.toString(16)}`);
    return this.pattern(offset, width);
  }
  write(offset: number, width: AccessWidth, value: number): void {
    this.log.push(`w${width}@${offset.toString(16)}=${value.toString(16)}`);
  }
  reset(): void {
    this.resets++;
  }
}

/** Byte `offset` of this device reads as 0xa0 + offset. */
const byteDevice = (name = 'bytes'): RecordingDevice => new RecordingDevice(name, [1], (o) => (0xa0 + o) & 0xff);

/** A device that only takes aligned 32-bit accesses; the word at 4 reads 0xb3b2b1b0, at 0 0x03020100. */
const wordDevice = (name = 'words'): RecordingDevice =>
  new RecordingDevice(name, [4], (o) => (o === 4 ? 0xb3b2b1b0 : o === 0 ? 0x03020100 : 0xdeadbeef));

function bytesAt(bus: Bus, addr: number, n: number): number[] {
  return [...bus.readBytes(addr, n)];
}

function errors(bus: Bus): string[] {
  const seen: string[] = [];
  bus.onBusError((addr, write, width) => seen.push(`${write ? 'w' : 'r'}${width}@${addr.toString(16)}`));
  return seen;
}

for (const le of [true, false]) {
  const order = le ? 'little-endian' : 'big-endian';

  test(`${order}: 8/16/32-bit RAM accesses use the bus byte order`, (t) => {
    const bus = new Bus({ littleEndian: le });
    bus.addRam('ram', 0x1000, 0x1000);
    bus.write32(0x1000, 0x11223344);
    bus.write16(0x1004, 0xaabb);
    bus.write8(0x1006, 0x5a);
    t.deepEqual(
      bytesAt(bus, 0x1000, 7),
      le ? [0x44, 0x33, 0x22, 0x11, 0xbb, 0xaa, 0x5a] : [0x11, 0x22, 0x33, 0x44, 0xaa, 0xbb, 0x5a],
    );
    t.is(bus.read16(0x1000), le ? 0x3344 : 0x1122);
    t.is(bus.read8(0x1000), le ? 0x44 : 0x11);
    // Unaligned 32-bit load over both stores.
    t.is(bus.read32(0x1002), le ? 0xaabb1122 : 0x3344aabb);
    // Negative (signed) store values are stored as their 32-bit pattern.
    bus.write32(0x1008, -2);
    t.is(bus.read32(0x1008), 0xfffffffe);
  });

  test(`${order}: 64-bit accesses are two words in memory order`, (t) => {
    const bus = new Bus({ littleEndian: le });
    bus.addRam('ram', 0, 0x2000);
    bus.write64(0x10, 0x55667788, 0x11223344);
    t.deepEqual(
      bytesAt(bus, 0x10, 8),
      le ? [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11] : [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88],
    );
    const out = new Uint32Array(2);
    bus.read64(0x10, out);
    t.deepEqual([...out], [0x55667788, 0x11223344]);
    // Across a page boundary (slow path), same layout.
    bus.write64(0xffc, 0xcafef00d, 0x0badc0de);
    bus.read64(0xffc, out);
    t.deepEqual([...out], [0xcafef00d, 0x0badc0de]);
    t.deepEqual(bytesAt(bus, 0xffc, 4), le ? [0x0d, 0xf0, 0xfe, 0xca] : [0x0b, 0xad, 0xc0, 0xde]);
  });

  test(`${order}: accesses crossing pages and regions are assembled byte by byte`, (t) => {
    const bus = new Bus({ littleEndian: le });
    bus.addRam('ram', 0x1000, 0x1000);
    const dev = byteDevice();
    bus.mapMmio('dev', 0x2000, 0x100, dev);
    bus.loadBytes(0x1ffe, Uint8Array.of(0x12, 0x34));
    // Bytes in memory order: 12 34 a0 a1.
    t.is(bus.read32(0x1ffe), le ? 0xa1a03412 : 0x1234a0a1);
    t.deepEqual(dev.log, ['r1@0', 'r1@1']);
    dev.log.length = 0;
    bus.write32(0x1ffe, 0x01020304);
    t.deepEqual(bytesAt(bus, 0x1ffe, 2), le ? [0x04, 0x03] : [0x01, 0x02]);
    t.deepEqual(dev.log, le ? ['w1@0=2', 'w1@1=1'] : ['w1@0=3', 'w1@1=4']);
  });

  test(`${order}: wide accesses to a byte-only device are split lowest address first`, (t) => {
    const bus = new Bus({ littleEndian: le });
    const dev = byteDevice();
    bus.mapMmio('dev', 0x9000000, 0x1000, dev);
    t.is(bus.read32(0x9000004), le ? 0xa7a6a5a4 : 0xa4a5a6a7);
    t.is(bus.read16(0x9000008), le ? 0xa9a8 : 0xa8a9);
    t.deepEqual(dev.log, ['r1@4', 'r1@5', 'r1@6', 'r1@7', 'r1@8', 'r1@9']);
    dev.log.length = 0;
    bus.write32(0x9000004, 0x11223344);
    t.deepEqual(dev.log, le ? ['w1@4=44', 'w1@5=33', 'w1@6=22', 'w1@7=11'] : ['w1@4=11', 'w1@5=22', 'w1@6=33', 'w1@7=44']);
  });

  test(`${order}: a 32-bit access to a 16-bit device is two halves`, (t) => {
    const bus = new Bus({ littleEndian: le });
    const dev = new RecordingDevice('halves', [2], (o) => 0x1000 + o);
    bus.mapMmio('dev', 0x4000, 0x100, dev);
    t.is(bus.read32(0x4010), le ? 0x10121010 : 0x10101012);
    bus.write32(0x4010, 0xaaaabbbb);
    t.deepEqual(dev.log, le ? ['r2@10', 'r2@12', 'w2@10=bbbb', 'w2@12=aaaa'] : ['r2@10', 'r2@12', 'w2@10=aaaa', 'w2@12=bbbb']);
  });

  test(`${order}: narrow accesses to a word-only device use the aligned word's byte lanes`, (t) => {
    const bus = new Bus({ littleEndian: le });
    const dev = wordDevice();
    bus.mapMmio('dev', 0x10000, 0x1000, dev);
    // Word at 4 is 0xb3b2b1b0. LE: byte 5 is bits 15:8; BE: byte 5 is bits 23:16.
    t.is(bus.read8(0x10005), le ? 0xb1 : 0xb2);
    t.is(bus.read16(0x10006), le ? 0xb3b2 : 0xb1b0);
    t.deepEqual(dev.log, ['r4@4', 'r4@4']);
    dev.log.length = 0;
    bus.write8(0x10006, 0xee);
    bus.write16(0x10004, 0x1234);
    t.deepEqual(dev.log, le ? ['w4@4=ee0000', 'w4@4=1234'] : ['w4@4=ee00', 'w4@4=12340000']);
    dev.log.length = 0;
    // A halfword straddling two device words: one aligned word read per byte.
    // Word 0 is 0x03020100, so byte 3 is 0x03 (LE) or 0x00 (BE); byte 4 is 0xb0 (LE) or 0xb3 (BE).
    t.is(bus.read16(0x10003), le ? 0xb003 : 0x00b3);
    t.deepEqual(dev.log, ['r4@0', 'r4@4']);
    dev.log.length = 0;
    bus.write16(0x10003, 0x1234);
    // Memory bytes 3 and 4 get 34 12 (LE) or 12 34 (BE), each in its own word's lane.
    t.deepEqual(dev.log, le ? ['w4@0=34000000', 'w4@4=12'] : ['w4@0=12', 'w4@4=34000000']);
  });

  test(`${order}: 64-bit accesses reach a device as two 32-bit accesses`, (t) => {
    const bus = new Bus({ littleEndian: le });
    const dev = wordDevice();
    bus.mapMmio('dev', 0x10000, 0x1000, dev);
    const out = new Uint32Array(2);
    bus.read64(0x10000, out);
    // Word at 0 holds the low half on little-endian buses, the high half on big-endian ones.
    t.deepEqual([...out], le ? [0x03020100, 0xb3b2b1b0] : [0xb3b2b1b0, 0x03020100]);
    bus.write64(0x10008, 0x22222222, 0x11111111);
    t.deepEqual(dev.log.slice(2), le ? ['w4@8=22222222', 'w4@c=11111111'] : ['w4@8=11111111', 'w4@c=22222222']);
  });

  test(`${order}: devices with a fixed byte order see memory-order-consistent values`, (t) => {
    const bus = new Bus({ littleEndian: le });
    const native = new RecordingDevice('native', [1, 2, 4], () => 0x11223344);
    const fixedLe = new RecordingDevice('virtio', [1, 2, 4], (o, w) => (w === 4 ? 0x11223344 : w === 2 ? 0x1122 : 0x11));
    bus.mapMmio('native', 0x20000, 0x100, native);
    bus.mapMmio('virtio', 0x21000, 0x100, fixedLe, { byteOrder: 'little' });
    // Numeric values pass unchanged to a device in the bus's own order.
    t.is(bus.read32(0x20000), 0x11223344);
    bus.write32(0x20000, 0xa1b2c3d4);
    t.deepEqual(native.log, ['r4@0', 'w4@0=a1b2c3d4']);
    // A little-endian device on a big-endian bus: the CPU sees the bytes reversed.
    t.is(bus.read32(0x21000), le ? 0x11223344 : 0x44332211);
    t.is(bus.read16(0x21000), le ? 0x1122 : 0x2211);
    bus.write32(0x21000, 0xa1b2c3d4);
    t.is(fixedLe.log[2], le ? 'w4@0=a1b2c3d4' : 'w4@0=d4c3b2a1');
  });
}

test('ROM ignores CPU writes but loadBytes fills it', (t) => {
  const bus = new Bus({ littleEndian: true });
  const rom = bus.addRom('flash', 0, 0x10000);
  const ignored: string[] = [];
  bus.onRomWrite((addr, width, value) => ignored.push(`${addr}:${width}:${value}`));
  bus.loadBytes(0x100, Uint8Array.of(1, 2, 3, 4));
  t.is(bus.read32(0x100), 0x04030201);
  bus.write32(0x100, 0xffffffff);
  bus.write8(0x101, 0);
  t.is(bus.read32(0x100), 0x04030201);
  t.deepEqual(ignored, [`256:4:${0xffffffff}`, '257:1:0']);
  t.is(rom.kind, 'rom');
  t.is(bus.memoryAt(0x100), rom);
});

test('RAM and MMIO route by address; memoryAt and regionAt tell them apart', (t) => {
  const bus = new Bus({ littleEndian: true });
  const ram = bus.addRam('ram', 0x40000000, 0x100000);
  const dev = wordDevice('uart');
  const win = bus.mapMmio('uart@9000000', 0x09000000, 0x1000, dev);
  bus.write32(0x40000010, 0x12345678);
  t.is(ram.bytes[0x10], 0x78);
  t.is(bus.read32(0x09000004), 0xb3b2b1b0);
  t.is(bus.memoryAt(0x40000010), ram);
  t.is(bus.memoryAt(0x09000004), null);
  t.is(bus.regionAt(0x09000fff), win);
  t.is(bus.regionAt(0x09001000), null);
  t.deepEqual(bus.regions().map((r) => r.name), ['uart@9000000', 'ram']);
});

test('an MMIO window may start inside its device (deviceOffset)', (t) => {
  const bus = new Bus({ littleEndian: true });
  const dev = new RecordingDevice('gic', [4], (o) => o);
  bus.mapMmio('gicd', 0x8000000, 0x1000, dev);
  bus.mapMmio('gicc', 0x8010000, 0x1000, dev, { deviceOffset: 0x1000 });
  t.is(bus.read32(0x8010004), 0x1004);
  t.is(bus.read32(0x8000004), 0x4);
});

test('36-, 40- and 52-bit physical addresses', (t) => {
  const bus = new Bus({ littleEndian: false });
  const ccsr = new RecordingDevice('ccsr', [4], (o) => 0x80000000 + o);
  bus.mapMmio('ccsr', 0xf_fe00_0000, 0x100000, ccsr);
  bus.addRam('high-ram', 0xf_e000_0000, 0x10000);
  bus.addRam('ram40', 0xff_0000_0000, 0x2000);
  bus.addRam('far', 2 ** 48, 0x1000);
  t.is(bus.read32(0xf_fe00_0020), 0x80000020);
  t.deepEqual(ccsr.log, ['r4@20']);
  bus.write32(0xf_e000_0ffc, 0xa5a5a5a5);
  t.is(bus.read32(0xf_e000_0ffc), 0xa5a5a5a5);
  t.is(bus.read32(0xe000_0ffc), 0, 'the low 32 bits alone do not alias');
  bus.write16(0xff_0000_1000, 0xbeef);
  t.is(bus.read16(0xff_0000_1000), 0xbeef);
  bus.write32(2 ** 48 + 8, 0x01020304);
  t.is(bus.read32(2 ** 48 + 8), 0x01020304);
  t.deepEqual(bytesAt(bus, 2 ** 48 + 8, 4), [1, 2, 3, 4]);
  t.is(bus.regionAt(0xff_0000_1000)?.name, 'ram40');
});

test('sub-page MMIO regions: 32 virtio-mmio transports of 0x200 bytes', (t) => {
  const bus = new Bus({ littleEndian: true });
  const devs: RecordingDevice[] = [];
  for (let i = 0; i < 32; i++) {
    const d = new RecordingDevice(`virtio${i}`, [4], (o) => i * 0x1000 + o);
    devs.push(d);
    bus.mapMmio(`virtio_mmio@${(0xa000000 + i * 0x200).toString(16)}`, 0xa000000 + i * 0x200, 0x200, d);
  }
  t.is(bus.read32(0xa000000 + 5 * 0x200 + 0x10), 5 * 0x1000 + 0x10);
  t.is(bus.read32(0xa000000 + 31 * 0x200 + 0x1fc), 31 * 0x1000 + 0x1fc);
  bus.write32(0xa000000 + 8 * 0x200 + 0x70, 7);
  t.deepEqual(devs[8].log, ['w4@70=7']);
  t.deepEqual(devs[7].log, []);
  t.is(bus.regionAt(0xa0001ff)?.name, 'virtio_mmio@a000000');
  t.is(bus.regionAt(0xa000200)?.name, 'virtio_mmio@a000200');
});

test('regions smaller than 64 bytes share a granule; holes between them are unmapped', (t) => {
  const bus = new Bus({ littleEndian: true });
  const seen = errors(bus);
  const a = new RecordingDevice('a', [1], () => 0xaa);
  const b = new RecordingDevice('b', [1], () => 0xbb);
  bus.mapMmio('a', 0x3000, 0x10, a);
  bus.mapMmio('b', 0x3010, 0x8, b);
  t.is(bus.read8(0x300f), 0xaa);
  t.is(bus.read8(0x3010), 0xbb);
  t.is(bus.read8(0x3018), 0);
  t.deepEqual(seen, ['r1@3018']);
  t.deepEqual(a.log, ['r1@f']);
  t.deepEqual(b.log, ['r1@0']);
});

test('RAM whose size is not a page multiple ends where it says', (t) => {
  const bus = new Bus({ littleEndian: true });
  const seen = errors(bus);
  bus.addRam('sram', 0x10000, 0x1800);
  bus.write32(0x117fc, 0x01020304);
  t.is(bus.read32(0x117fc), 0x01020304);
  t.is(bus.read32(0x11800), 0);
  t.deepEqual(seen, ['r4@11800']);
  // An MMIO region can share that last page.
  const d = byteDevice();
  bus.mapMmio('after', 0x11800, 0x100, d);
  t.is(bus.read8(0x11801), 0xa1);
});

test('overlapping maps are rejected naming both regions', (t) => {
  const bus = new Bus({ littleEndian: true });
  bus.addRam('ram', 0x80000000, 0x10000000);
  const e1 = t.throws(() => bus.mapMmio('uart@8000f000', 0x8000f000, 0x1000, byteDevice()));
  t.regex(e1.message, /"uart@8000f000" at 0x8000f000-0x8000ffff: overlaps "ram" at 0x80000000-0x8fffffff/);
  bus.mapMmio('v0', 0x1000, 0x200, byteDevice());
  const e2 = t.throws(() => bus.mapMmio('v1', 0x11f0, 0x200, byteDevice()));
  t.regex(e2.message, /"v1".*overlaps "v0"/);
  // The failed maps left nothing behind.
  t.is(bus.regionAt(0x1200), null);
  t.is(bus.regions().length, 2);
});

test('invalid maps are rejected', (t) => {
  const bus = new Bus({ littleEndian: true });
  t.throws(() => bus.addRam('odd', 0x1001, 0x1000), { message: /4 KiB boundary/ });
  t.throws(() => bus.addRam('empty', 0x1000, 0), { message: /size > 0/ });
  t.throws(() => bus.addRam('huge', 2 ** 52 - 0x1000, 0x2000), { message: /2\*\*52/ });
  t.throws(() => bus.mapMmio('none', 0x1000, 0x10, new RecordingDevice('none', [])), { message: /no access widths/ });
});

test('unmapped accesses call the bus-error handler and read 0', (t) => {
  const bus = new Bus({ littleEndian: true });
  const seen = errors(bus);
  bus.addRam('ram', 0, 0x1000);
  t.is(bus.read32(0x5000), 0);
  t.is(bus.read8(0x5001), 0);
  t.is(bus.read16(-2), 0);
  bus.write32(0x6000, 1);
  bus.write16(0x6000, 1);
  bus.write8(0x6000, 1);
  const out = Uint32Array.of(7, 7);
  bus.read64(0x7000, out);
  bus.write64(0x7000, 1, 2);
  t.deepEqual([...out], [0, 0]);
  t.is(bus.read32(2 ** 50), 0);
  t.deepEqual(seen, ['r4@5000', 'r1@5001', 'r2@-2', 'w4@6000', 'w2@6000', 'w1@6000', 'r8@7000', 'w8@7000', `r4@${(2 ** 50).toString(16)}`]);
});

test('writes to a page flagged in codePages notify code-write listeners', (t) => {
  const bus = new Bus({ littleEndian: true });
  const ram = bus.addRam('ram', 0x80000000, 0x10000);
  const pages: number[] = [];
  bus.onCodeWrite((p) => pages.push(p));
  bus.write32(0x80001000, 1);
  t.deepEqual(pages, [], 'no page flagged yet');
  ram.codePages[1] = 1;
  bus.write8(0x80001fff, 1);
  bus.write16(0x80001010, 1);
  bus.write32(0x80001020, 1);
  bus.write32(0x80002000, 1);
  t.deepEqual(pages, [0x80001000, 0x80001000, 0x80001000]);
  pages.length = 0;
  // A store straddling into the flagged page, a 64-bit store, and a loader write.
  bus.write32(0x80000ffe, 0xffffffff);
  bus.write64(0x80001100, 0, 0);
  bus.loadBytes(0x80000ff0, new Uint8Array(0x20));
  t.deepEqual(pages, [0x80001000, 0x80001000, 0x80001000, 0x80001000]);
  // Once the core drops its cache and clears the flag, writes are silent again.
  pages.length = 0;
  ram.codePages[1] = 0;
  bus.write32(0x80001000, 2);
  t.deepEqual(pages, []);
});

test('loadBytes refuses ranges not backed by memory and changes nothing', (t) => {
  const bus = new Bus({ littleEndian: true });
  bus.addRam('ram', 0, 0x1000);
  bus.mapMmio('uart', 0x1000, 0x100, byteDevice());
  const e = t.throws(() => bus.loadBytes(0xff0, new Uint8Array(0x20).fill(9)), { instanceOf: RangeError });
  t.regex(e.message, /0x1000 is not RAM or ROM \(it is "uart"/);
  t.deepEqual(bytesAt(bus, 0xff0, 4), [0, 0, 0, 0]);
  t.throws(() => bus.loadBytes(0x9000, Uint8Array.of(1)), { message: /nothing is mapped there/ });
  // readBytes: MMIO and holes read as zeros, without touching the device.
  bus.loadBytes(0xffe, Uint8Array.of(5, 6));
  t.deepEqual(bytesAt(bus, 0xffe, 4), [5, 6, 0, 0]);
});

test('adjacent RAM regions load and read as one range', (t) => {
  const bus = new Bus({ littleEndian: true });
  bus.addRam('low', 0, 0x1000);
  bus.addRam('high', 0x1000, 0x1000);
  bus.loadBytes(0xffe, Uint8Array.of(1, 2, 3, 4));
  t.is(bus.read32(0xffe), 0x04030201);
  t.deepEqual(bytesAt(bus, 0xffe, 4), [1, 2, 3, 4]);
});

test('unmap frees the range; sibling sub-page regions keep working; map listeners hear of it', (t) => {
  const bus = new Bus({ littleEndian: true });
  let changes = 0;
  bus.onMapChange(() => changes++);
  const a = new RecordingDevice('a', [4], () => 1);
  const b = new RecordingDevice('b', [4], () => 2);
  const wa = bus.mapMmio('a', 0x5000, 0x200, a);
  bus.mapMmio('b', 0x5200, 0x200, b);
  const ram = bus.addRam('bar', 0x100000, 0x2000);
  t.is(changes, 3);
  bus.unmap(wa);
  bus.unmap(ram);
  t.is(changes, 5);
  const seen = errors(bus);
  t.is(bus.read32(0x5000), 0);
  t.is(bus.read32(0x5200), 2);
  t.is(bus.read32(0x100000), 0);
  t.deepEqual(seen, ['r4@5000', 'r4@100000']);
  // The freed range can be mapped again (a PCI BAR moving back).
  bus.addRam('bar', 0x100000, 0x1000);
  bus.write32(0x100000, 3);
  t.is(bus.read32(0x100000), 3);
  t.throws(() => bus.unmap(wa), { message: /not mapped/ });
});

test('a huge MMIO window (512 GiB PCIe range) maps whole 16 MiB chunks at once and routes like any region', (t) => {
  const bus = new Bus({ littleEndian: true });
  const dev = wordDevice('pcie-high');
  const base = 0x80_0000_0000;
  const size = 0x80_0000_0000;
  const region = bus.mapMmio('pcie-high', base, size, dev);
  // Neighbours that only partly cover chunks still work beside it.
  bus.addRam('ram', 0x7f_ff00_0000 + 0x800000, 0x800000);
  t.is(bus.regionAt(base)?.name, 'pcie-high');
  t.is(bus.regionAt(base + size - 1)?.name, 'pcie-high');
  t.is(bus.regionAt(base + size), null);
  t.is(bus.regionAt(base - 1)?.name, 'ram');
  bus.write32(base + 0x1234_5678, 0xcafe);
  t.is(dev.log.at(-1), 'w4@12345678=cafe');
  bus.unmap(region);
  t.is(bus.regionAt(base + 0x4000_0000), null);
  t.is(bus.regionAt(base - 1)?.name, 'ram');
  // The same range can be mapped again after the unmap (nothing left behind).
  bus.mapMmio('again', base, 0x100_0000, dev);
  t.is(bus.regionAt(base + 0xff_ffff)?.name, 'again');
  t.is(bus.regionAt(base + 0x100_0000), null);
});
