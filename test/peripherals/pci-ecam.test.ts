import test from 'ava';
import { readFileSync } from 'node:fs';
import type { AccessWidth, MmioDevice } from '../../src/machine/MmioDevice.ts';
import { PciHostEcam } from '../../peripherals/pci/PciHostEcam.ts';
import { GPEX_ROOT_FUNCTION } from '../../peripherals/pci/gpexRootFunction.ts';
import type { PciFunctionSpec } from '../../peripherals/pci/PciFunctionSpec.ts';

/**
 * The ECAM window (PCIe Base Spec §7.2.2: bus << 20 | device << 15 |
 * function << 12 | register) and the outbound windows of a host bridge,
 * driven as firmware drives them.
 */

const ecamOffset = (bus: number, dev: number, fn: number, reg = 0) => bus * 0x100000 + (dev << 15) + (fn << 12) + reg;

function virtHost(log: string[] = []) {
  const host = new PciHostEcam({
    name: 'pcie@10000000', firstBus: 0, lastBus: 15, log: (m) => log.push(m),
    windows: [
      { space: 'io', wide: false, prefetchable: false, pciAddress: 0, cpuAddress: 0x3eff0000, size: 0x10000 },
      { space: 'memory', wide: false, prefetchable: false, pciAddress: 0x10000000, cpuAddress: 0x10000000, size: 0x2eff0000 },
    ],
  });
  host.addFunction(0, 0, 0, GPEX_ROOT_FUNCTION);
  return host;
}

test("U-Boot's enumeration of QEMU's virt PCIe gets QEMU's answers, access by access", (t) => {
  const log: string[] = [];
  const { ecam } = virtHost(log);
  const text = readFileSync(new URL('./fixtures/uboot-ecam-probe.txt', import.meta.url), 'utf8');
  let reads = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [op, off, val, size] = line.split(' ');
    const width = Number(size) as AccessWidth;
    if (op === 'W') {
      ecam.write(Number(off), width, Number(val));
      continue;
    }
    const want = Number(BigInt(val) & BigInt(2 ** (8 * width) - 1));
    t.is(ecam.read(Number(off), width), want, line);
    reads++;
  }
  t.is(reads, 47);
  t.deepEqual(log, []);
});

test('a function answers at bus << 20 | device << 15 | function << 12 and nowhere else', (t) => {
  const host = virtHost();
  const other: PciFunctionSpec = { vendorId: 0x8086, deviceId: 0x100e, revisionId: 3, classCode: 0x020000, subsystemId: 0x1234 };
  host.addFunction(2, 3, 5, other);
  const { ecam } = host;
  t.is(ecam.read(ecamOffset(2, 3, 5), 4), 0x100e8086);
  t.is(ecam.read(ecamOffset(2, 3, 5, 0x2e), 2), 0x1234);
  t.is(ecam.read(ecamOffset(2, 3, 5, 0x08), 1), 3);
  for (const [b, d, f] of [[2, 3, 4], [2, 3, 6], [2, 2, 5], [2, 4, 5], [1, 3, 5], [3, 3, 5], [0, 3, 5]]) {
    t.is(ecam.read(ecamOffset(b, d, f), 2), 0xffff, `${b}.${d}.${f} is empty`);
  }
  t.is(ecam.read(ecamOffset(0, 0, 0), 4), 0x00081b36);
});

test('the window starts at the first bus of the range', (t) => {
  const host = new PciHostEcam({ name: 'h', firstBus: 0x10, lastBus: 0x13 });
  host.addFunction(0x10, 0, 0, GPEX_ROOT_FUNCTION);
  host.addFunction(0x12, 1, 0, GPEX_ROOT_FUNCTION);
  t.is(host.ecam.read(0, 4), 0x00081b36);
  t.is(host.ecam.read(ecamOffset(2, 1, 0), 4), 0x00081b36);
  t.is(host.ecam.read(ecamOffset(4, 0, 0), 4), 0xffffffff, 'bus 0x14 is past the range');
  t.throws(() => host.addFunction(0x14, 0, 0, GPEX_ROOT_FUNCTION), { message: /outside buses 16-19/ });
  t.throws(() => host.addFunction(0x12, 1, 0, GPEX_ROOT_FUNCTION), { message: /12:01\.0 is already taken/ });
});

test('absent functions and registers past the 256-byte space read all ones at every width; writes there change nothing', (t) => {
  const log: string[] = [];
  const { ecam } = virtHost(log);
  for (const w of [1, 2, 4] as const) {
    const ones = w === 4 ? 0xffffffff : (1 << (8 * w)) - 1;
    t.is(ecam.read(ecamOffset(0, 1, 0), w), ones);
    t.is(ecam.read(ecamOffset(0, 0, 1), w), ones, 'function 1 of a single-function device');
    t.is(ecam.read(ecamOffset(15, 31, 7, 0xffc), w), ones);
    t.is(ecam.read(ecamOffset(0, 0, 0, 0x100), w), ones, 'extended space of a conventional function (QEMU reads 0xffffffff at 0x3f000100)');
  }
  t.is(ecam.read(ecamOffset(0, 0, 0, 0xfc), 4), 0, 'last dword of the conventional space');
  ecam.write(ecamOffset(0, 0, 0, 0x100), 4, 0x12345678);
  t.is(ecam.read(ecamOffset(0, 0, 0, 0x100), 4), 0xffffffff);
  t.deepEqual(log, []);
  ecam.write(ecamOffset(0, 1, 0, 0x04), 2, 0x6);
  t.is(ecam.read(ecamOffset(0, 1, 0), 4), 0xffffffff);
  t.deepEqual(log, ['pcie@10000000.ecam: config write of 0x6 to absent function 00:01.0 register 0x4 dropped']);
});

test('on a big-endian board a CPU sees configuration registers byte-swapped, bytes in PCI order', (t) => {
  const host = new PciHostEcam({ name: 'h', firstBus: 0, lastBus: 0, bigEndian: true });
  host.addFunction(0, 0, 0, GPEX_ROOT_FUNCTION);
  t.is(host.ecam.read(0, 4), 0x361b0800, 'the dword at 0 as a big-endian load sees it');
  t.is(host.ecam.read(0, 1), 0x36, 'byte 0 is the low byte of the Vendor ID');
  t.is(host.ecam.read(0, 2), 0x361b);
  host.ecam.write(0x04, 2, 0x0600); // Memory Space + Bus Master as a big-endian store writes 0x0006
  t.is(host.segment.functionAt(0, 0)!.read(0x04, 2), 0x0006);
});

/** A BAR's device: each read returns 0xd0000000 | offset, writes are recorded. */
class BarDevice implements MmioDevice {
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  readonly writes: Array<[number, number, number]> = [];
  constructor(readonly name: string) {}
  read(offset: number, width: AccessWidth): number {
    return ((0xd0000000 | offset) & (width === 4 ? 0xffffffff : (1 << (8 * width)) - 1)) >>> 0;
  }
  write(offset: number, width: AccessWidth, value: number): void {
    this.writes.push([offset, width, value]);
  }
  reset(): void {}
}

test('outbound windows reach a BAR once it is placed and its space enabled; otherwise a master abort reads all ones', (t) => {
  const log: string[] = [];
  const host = virtHost(log);
  const mmio = new BarDevice('mmio');
  const ports = new BarDevice('ports');
  host.addFunction(0, 1, 0, {
    vendorId: 0x1af4, deviceId: 0x1000, revisionId: 0, classCode: 0x020000,
    bars: [{ kind: 'io', size: 0x20, device: ports }, { kind: 'memory32', size: 0x1000, device: mmio }],
  });
  const [io, mem] = host.windows.map((w) => w.device);
  const cfg = (reg: number) => ecamOffset(0, 1, 0, reg);
  host.ecam.write(cfg(0x10), 4, 0x1000);
  host.ecam.write(cfg(0x14), 4, 0x10040000);
  t.is(mem.read(0x40010, 4), 0xffffffff, 'memory decoding still off in Command');
  t.is(log.length, 1);
  t.regex(log[0], /^pcie@10000000\.memory1: read of PCI memory address 0x10040010 no device decodes \(master abort\)/);
  host.ecam.write(cfg(0x04), 2, 0x3);
  t.is(mem.read(0x40010, 4), 0xd0000010, 'window offset 0x40010 = PCI 0x10040010 = BAR1 + 0x10');
  t.is(mem.read(0x40ffe, 2), 0x0ffe);
  mem.write(0x40004, 4, 0xcafe);
  t.deepEqual(mmio.writes, [[4, 4, 0xcafe]]);
  t.is(io.read(0x1004, 1), 0x04, 'I/O window: PCI port 0x1004 = BAR0 + 4');
  io.write(0x101f, 1, 0x55);
  t.deepEqual(ports.writes, [[0x1f, 1, 0x55]]);
  t.is(io.read(0x1020, 1), 0xff, 'just past the I/O BAR');
  t.is(mem.read(0x41000, 4), 0xffffffff, 'just past the memory BAR');
  host.ecam.write(cfg(0x04), 2, 0x1);
  t.is(mem.read(0x40010, 4), 0xffffffff, 'memory decoding turned off again');
  t.is(io.read(0x1004, 1), 0x04);
  host.reset();
  t.is(io.read(0x1004, 1), 0xff, 'reset clears Command and the BARs');
});
