import test from 'ava';
import { fileURLToPath } from 'node:url';
import { loadFirmware } from '../../src/loader/FirmwareLoader.ts';
import { MemoryOnlyBus } from './MemoryOnlyBus.ts';

/**
 * The committed ARM test firmware (boards/firmware/arm/*.elf) must keep the
 * contract its README states: loaded in RAM from 0x40100000, clear of the
 * DTB's first MiB and inside the next MiB, entry at the vector table.
 */
const programs = ['hello', 'arith', 'thumb', 'exceptions', 'mmu', 'timer', 'exclusives', 'bench'];

function virtRam(): MemoryOnlyBus {
  const bus = new MemoryOnlyBus(true);
  bus.add('rom', 'flash0', 0, 0x10_0000);
  bus.add('ram', 'ram', 0x4000_0000, 0x100_0000);
  return bus;
}

for (const program of programs) {
  test(`${program}.elf loads at 0x40100000 with its entry at the vectors`, (t) => {
    const path = fileURLToPath(new URL(`../../boards/firmware/arm/${program}.elf`, import.meta.url));
    const bus = virtRam();
    const fw = loadFirmware(bus, { path, format: 'auto' }, 'arm');
    t.is(fw.entry, 0x4010_0000);
    t.is(fw.symbols.addressOf('vectors'), 0x4010_0000);
    t.true(fw.symbols.addressOf('main') !== undefined);
    for (const s of fw.segments) {
      t.true(s.physAddr >= 0x4010_0000 && s.physAddr + s.memSize <= 0x4020_0000, `segment at 0x${s.physAddr.toString(16)}`);
    }
    // The reset vector is an A32 branch (cond AL, 0b101, L = 0) to the reset code.
    t.is(bus.read32(0x4010_0000) >>> 24, 0xea);
    t.regex(fw.symbols.lookup(fw.symbols.addressOf('main')! + 4) ?? '', /^main\+0x4$/);
  });
}
