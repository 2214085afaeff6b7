import test from 'ava';
import { loadFirmware, loadFirmwareImage } from '../../src/loader/FirmwareLoader.ts';
import { Bus } from '../../src/machine/Bus.ts';
import { fixturePath } from './ElfPatch.ts';

/** The loader against the machine's real bus (the other tests use a minimal one). */

test('big-endian PowerPC ELF on a big-endian Bus: words read in the board byte order, .bss zeroed', (t) => {
  const bus = new Bus({ littleEndian: false });
  const ram = bus.addRam('ram', 0, 0x100_0000);
  ram.bytes.fill(0xaa);
  const fw = loadFirmware(bus, { path: fixturePath('ppc-be.elf'), format: 'auto' }, 'ppc');
  t.is(fw.entry, 0xf0_0000);
  t.is(bus.read32(fw.symbols.addressOf('fixture_data')!), 0x11223344);
  const bss = fw.symbols.addressOf('fixture_bss')!;
  t.true(bus.readBytes(bss, 256).every((b) => b === 0));
});

test('a raw image goes into ROM, which the CPU cannot write', (t) => {
  const bus = new Bus({ littleEndian: true });
  bus.addRom('flash0', 0, 0x10_0000);
  bus.addRam('ram', 0x4000_0000, 0x10_0000);
  const image = Uint8Array.from([0x78, 0x56, 0x34, 0x12]);
  const fw = loadFirmwareImage(bus, image, { path: 'flash.bin', format: 'auto', loadAddress: 0 }, 'arm');
  t.is(fw.entry, 0);
  t.is(bus.read32(0), 0x12345678);
  bus.write32(0, 0);
  t.is(bus.read32(0), 0x12345678);
});

test('a segment that would land in a hole of the real bus is refused before anything is written', (t) => {
  const bus = new Bus({ littleEndian: true });
  bus.addRam('ram', 0x4000_0000, 0x10_0000);
  bus.addRam('high', 0x4011_0000, 0x1000);
  const message = t.throws(() => loadFirmware(bus, { path: fixturePath('arm-le.elf'), format: 'auto' }, 'arm'))?.message;
  t.regex(message ?? '', /segment 0 at physical 0x40100000-0x401000[0-9a-f]{2} is outside the board's RAM and ROM \(ram ram 0x40000000-0x400fffff, ram high 0x40110000-0x40110fff\)/);
  t.true(bus.readBytes(0x4011_0000, 0x20).every((b) => b === 0));
});
