import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../dts/model/SourcePos.ts';
import { loadFirmware, loadFirmwareImage, type FirmwareSource, type LoadedFirmware } from '../../src/loader/FirmwareLoader.ts';
import { PF_R, PF_W, PF_X } from '../../src/loader/ElfImage.ts';
import type { Isa } from '../../src/machine/Cpu.ts';
import { ElfPatch, fixturePath } from './ElfPatch.ts';
import { MemoryOnlyBus } from './MemoryOnlyBus.ts';

/** Memory is pre-filled with this, so bytes the loader zeroes or leaves alone can be told apart. */
const FILL = 0xaa;

function armVirtBus(): MemoryOnlyBus {
  const bus = new MemoryOnlyBus(true);
  bus.add('rom', 'flash0', 0x0, 0x10_0000, FILL);
  bus.add('ram', 'ram', 0x4000_0000, 0x20_0000, FILL);
  return bus;
}

function lowRamBus(littleEndian: boolean, size: number): MemoryOnlyBus {
  const bus = new MemoryOnlyBus(littleEndian);
  bus.add('ram', 'ram', 0, size, FILL);
  return bus;
}

const spec = (name: string, extra: Partial<FirmwareSource> = {}): FirmwareSource => ({
  path: fixturePath(name),
  format: 'auto',
  ...extra,
});

function loadError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error('expected an InputError');
}

/**
 * Facts of each fixture from its linker script (test/fixtures/elf/*.ld):
 * where .text and .data are linked (virtual) and loaded (physical).
 */
interface FixtureFacts {
  file: string;
  isa: Isa;
  bus: () => MemoryOnlyBus;
  entry: number;
  textVirt: number;
  textPhys: number;
  dataVirt: number;
  dataPhys: number;
}

const fixtures: FixtureFacts[] = [
  { file: 'arm-le.elf', isa: 'arm', bus: armVirtBus, entry: 0x4010_0000, textVirt: 0x4010_0000, textPhys: 0x4010_0000, dataVirt: 0x4011_0000, dataPhys: 0x4011_0000 },
  { file: 'ppc-be.elf', isa: 'ppc', bus: () => lowRamBus(false, 0x100_0000), entry: 0xf0_0000, textVirt: 0xf0_0000, textPhys: 0xf0_0000, dataVirt: 0xf1_0000, dataPhys: 0xf1_0000 },
  // Linked in kseg0: loaded at the physical address kseg0 maps to (address - 0x80000000).
  { file: 'mipsel.elf', isa: 'mips', bus: () => lowRamBus(true, 0x20_0000), entry: 0x8010_0000, textVirt: 0x8010_0000, textPhys: 0x10_0000, dataVirt: 0x8011_0000, dataPhys: 0x11_0000 },
  // Linked like a kernel: virtual 0xc0100000, physical 0x100000 (AT() in the script).
  { file: 'i386.elf', isa: 'x86', bus: () => lowRamBus(true, 0x20_0000), entry: 0xc010_0000, textVirt: 0xc010_0000, textPhys: 0x10_0000, dataVirt: 0xc011_0000, dataPhys: 0x11_0000 },
  // The text segment includes the 0xb0 bytes of ELF64 + program headers below .text at 0x401000.
  { file: 'x86_64.elf', isa: 'x86', bus: () => lowRamBus(true, 0x80_0000), entry: 0x40_1000, textVirt: 0x40_0f50, textPhys: 0x40_0f50, dataVirt: 0x41_0000, dataPhys: 0x41_0000 },
];

/** Physical address of a data/text symbol, through the segment that holds it. */
function physOf(fw: LoadedFirmware, name: string): number {
  const virt = fw.symbols.addressOf(name);
  if (virt === undefined) throw new Error(`no symbol ${name}`);
  const seg = fw.segments.find((s) => virt >= s.virtAddr && virt < s.virtAddr + s.memSize);
  if (seg === undefined) throw new Error(`${name} is in no segment`);
  return seg.physAddr + (virt - seg.virtAddr);
}

for (const f of fixtures) {
  test(`${f.file}: segments are placed at their physical addresses with the linker script's permissions`, (t) => {
    const fw = loadFirmware(f.bus(), spec(f.file), f.isa);
    t.is(fw.format, 'elf');
    t.is(fw.segments.length, 2);
    const [text, data] = fw.segments;
    t.like(text, { physAddr: f.textPhys, virtAddr: f.textVirt, flags: PF_R | PF_X });
    t.like(data, { physAddr: f.dataPhys, virtAddr: f.dataVirt, flags: PF_R | PF_W });
    // .data then .bss (256 bytes of fixture_bss): memory size exceeds file size.
    t.true(data!.memSize - data!.fileSize >= 256);
  });

  test(`${f.file}: entry point is e_entry, the address of _start`, (t) => {
    const fw = loadFirmware(f.bus(), spec(f.file), f.isa);
    t.is(fw.entry, f.entry);
    t.is(fw.symbols.addressOf('_start'), f.entry);
  });

  test(`${f.file}: initialised data arrives in the board's byte order`, (t) => {
    const bus = f.bus();
    const fw = loadFirmware(bus, spec(f.file), f.isa);
    // Values from fixture.c.
    t.is(bus.read32(physOf(fw, 'fixture_data')), 0x11223344);
    const table = physOf(fw, 'fixture_table');
    t.deepEqual([0, 4, 8, 12].map((o) => bus.read32(table + o)), [1, 2, 3, 4]);
    const message = Buffer.from(bus.readBytes(physOf(fw, 'fixture_message'), 21)).toString('latin1');
    t.is(message, 'tskvm loader fixture\0');
  });

  test(`${f.file}: .bss is zeroed and memory past the segment is untouched`, (t) => {
    const bus = f.bus();
    const fw = loadFirmware(bus, spec(f.file), f.isa);
    const bss = physOf(fw, 'fixture_bss');
    t.true(bus.readBytes(bss, 256).every((b) => b === 0));
    const data = fw.segments[1]!;
    const end = data.physAddr + data.memSize;
    t.true(bus.readBytes(end, 64).every((b) => b === FILL));
    t.true(bus.readBytes(data.physAddr - 16, 16).every((b) => b === FILL));
  });

  test(`${f.file}: symbols: functions and objects with their sizes`, (t) => {
    const fw = loadFirmware(f.bus(), spec(f.file), f.isa);
    const table = fw.symbols.addressOf('fixture_table')!;
    t.is(fw.symbols.get('fixture_table')?.size, 16);
    t.is(fw.symbols.get('fixture_table')?.kind, 'object');
    t.is(fw.symbols.lookup(table), 'fixture_table');
    t.is(fw.symbols.lookup(table + 8), 'fixture_table+0x8');
    t.is(fw.symbols.lookup(table + 15), 'fixture_table+0xf');
    t.not(fw.symbols.lookup(table + 16)?.startsWith('fixture_table'), true);
    const sum = fw.symbols.addressOf('fixture_sum')!;
    t.is(fw.symbols.get('fixture_sum')?.kind, 'function');
    t.is(fw.symbols.lookup(sum + 4), 'fixture_sum+0x4');
    t.is(fw.symbols.get('fixture_bss')?.size, 256);
    t.is(fw.symbols.lookup(fw.symbols.addressOf('fixture_bss')! + 255), 'fixture_bss+0xff');
    // Nothing is named past the end of .bss.
    t.is(fw.symbols.lookup(fw.symbols.addressOf('fixture_bss')! + 256), undefined);
  });
}

test('x86_64.elf: the headers inside the first segment are loaded unaltered, and the input is not modified', (t) => {
  const bus = lowRamBus(true, 0x80_0000);
  const bytes = new Uint8Array(readFileSync(fixturePath('x86_64.elf')));
  const before = bytes.slice();
  loadFirmwareImage(bus, bytes, spec('x86_64.elf'), 'x86');
  t.deepEqual(bytes, before);
  // ELF64 header in memory at the segment start: magic, class 2, LSB, then e_entry at byte 24.
  t.deepEqual([...bus.readBytes(0x40_0f50, 6)], [0x7f, 0x45, 0x4c, 0x46, 2, 1]);
  t.is(bus.read32(0x40_0f50 + 24), 0x40_1000);
  t.is(bus.read32(0x40_0f50 + 28), 0);
});

test('arm-le.elf: a Thumb function is named at its even address and ARM mapping symbols are dropped', (t) => {
  const fw = loadFirmware(armVirtBus(), spec('arm-le.elf'), 'arm');
  const thumb = fw.symbols.get('fixture_thumb')!;
  t.is(thumb.address % 2, 0);
  t.true(thumb.thumb);
  t.is(fw.symbols.lookup(thumb.address + 2), 'fixture_thumb+0x2');
  t.false(fw.symbols.get('_start')!.thumb ?? false);
  // The file has $a/$t/$d symbols (readelf -s); none may name an address.
  t.true(fw.symbols.all().every((s) => !s.name.startsWith('$')));
});

test('entry override from the board wins over e_entry', (t) => {
  const fw = loadFirmware(armVirtBus(), spec('arm-le.elf', { entry: 0x4010_0030 }), 'arm');
  t.is(fw.entry, 0x4010_0030);
});

test('raw image: loaded at the load address, entry defaults to it, no symbols', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-loader-'));
  const path = join(dir, 'image.bin');
  const image = Uint8Array.from([0x01, 0x02, 0x03, 0x04, 0x05]);
  const bus = armVirtBus();
  const fw = loadFirmwareImage(bus, image, { path, format: 'auto', loadAddress: 0x4020_0000 - 5 }, 'arm');
  t.is(fw.format, 'raw');
  t.is(fw.entry, 0x4020_0000 - 5);
  t.deepEqual([...bus.readBytes(0x4020_0000 - 5, 5)], [1, 2, 3, 4, 5]);
  t.is(fw.symbols.size, 0);
  t.like(fw.segments[0], { physAddr: 0x4020_0000 - 5, memSize: 5, fileSize: 5 });
  const withEntry = loadFirmwareImage(armVirtBus(), image, { path, format: 'raw', loadAddress: 0, entry: 4 }, 'arm');
  t.is(withEntry.entry, 4);
});

test('format="raw" loads an ELF file as plain bytes', (t) => {
  const bus = armVirtBus();
  const fw = loadFirmware(bus, spec('arm-le.elf', { format: 'raw', loadAddress: 0x1000 }), 'arm');
  t.is(fw.format, 'raw');
  t.deepEqual([...bus.readBytes(0x1000, 4)], [0x7f, 0x45, 0x4c, 0x46]);
});

// ---- errors ----

test('error: the file does not exist (with the board position)', (t) => {
  const message = loadError(() =>
    loadFirmware(armVirtBus(), { path: '/nonexistent/fw.elf', format: 'auto', pos: { file: 'virt.xml', line: 12, column: 5 } }, 'arm'),
  );
  t.is(message, 'virt.xml:12:5: error: /nonexistent/fw.elf: file does not exist');
});

test('error: a directory is not an image', (t) => {
  const message = loadError(() => loadFirmware(armVirtBus(), { path: tmpdir(), format: 'auto' }, 'arm'));
  t.regex(message, /is a directory/);
});

test('error: not an ELF and no load address', (t) => {
  const bytes = new TextEncoder().encode('hello world');
  const message = loadError(() => loadFirmwareImage(armVirtBus(), bytes, { path: 'fw.bin', format: 'auto' }, 'arm'));
  t.is(message, 'error: fw.bin: not an ELF file (it starts with 68 65 6c 6c) and no load address is given for a raw image');
});

test('error: format="elf" but no ELF magic', (t) => {
  const message = loadError(() =>
    loadFirmwareImage(armVirtBus(), Uint8Array.from([0, 1, 2, 3, 4]), { path: 'fw.elf', format: 'elf', loadAddress: 0 }, 'arm'),
  );
  t.regex(message, /^error: fw\.elf: not an ELF file: it starts with 00 01 02 03/);
});

test('error: empty raw image', (t) => {
  const message = loadError(() => loadFirmwareImage(armVirtBus(), new Uint8Array(0), { path: 'e.bin', format: 'auto', loadAddress: 0 }, 'arm'));
  t.regex(message, /raw image is empty/);
});

test('error: raw image outside RAM/ROM names its range and the memory there is', (t) => {
  const message = loadError(() =>
    loadFirmwareImage(armVirtBus(), new Uint8Array(0x100), { path: 'fw.bin', format: 'raw', loadAddress: 0x0900_0000 }, 'arm'),
  );
  t.is(
    message,
    'error: fw.bin: raw image at physical 0x9000000-0x90000ff is outside the board\'s RAM and ROM ' +
      '(rom flash0 0x0-0xfffff, ram ram 0x40000000-0x401fffff)',
  );
});

test('error: truncated ELF header (ELF32 and ELF64)', (t) => {
  const arm = new ElfPatch('arm-le.elf');
  t.regex(
    loadError(() => loadFirmwareImage(armVirtBus(), arm.truncated(40), spec('arm-le.elf'), 'arm')),
    /truncated ELF header: the file has 40 bytes, an ELF32 header needs 52$/,
  );
  const x64 = new ElfPatch('x86_64.elf');
  t.regex(
    loadError(() => loadFirmwareImage(lowRamBus(true, 0x80_0000), x64.truncated(60), spec('x86_64.elf'), 'x86')),
    /truncated ELF header: the file has 60 bytes, an ELF64 header needs 64$/,
  );
  t.regex(
    loadError(() => loadFirmwareImage(armVirtBus(), arm.truncated(10), spec('arm-le.elf'), 'arm')),
    /the file has 10 bytes, e_ident alone needs 16/,
  );
});

test('error: truncated program header table names its byte range', (t) => {
  const arm = new ElfPatch('arm-le.elf');
  // ELF32: program headers follow the 52-byte header; two entries of 32 bytes.
  t.is(arm.phoff, 52);
  const message = loadError(() => loadFirmwareImage(armVirtBus(), arm.truncated(52 + 40), spec('arm-le.elf'), 'arm'));
  t.regex(message, /truncated: the program header table \(2 entries at bytes 0x34-0x73\) extends past the end of the file \(92 bytes\)$/);
});

test('error: truncated section header table', (t) => {
  const ppc = new ElfPatch('ppc-be.elf');
  const message = loadError(() => loadFirmwareImage(lowRamBus(false, 0x100_0000), ppc.truncated(ppc.bytes.length - 1), spec('ppc-be.elf'), 'ppc'));
  t.regex(message, /truncated: the section header table \(\d+ entries at bytes 0x[0-9a-f]+-0x[0-9a-f]+\) extends past the end of the file/);
});

test('error: a segment past the end of the file (file without section headers)', (t) => {
  const arm = new ElfPatch('arm-le.elf');
  arm.setU16(arm.at.shnum, 0);
  const dataOffset = arm.word(arm.ph(1, 'offset'));
  const dataSize = arm.word(arm.ph(1, 'filesz'));
  const cut = arm.truncated(dataOffset + dataSize - 1);
  const message = loadError(() => loadFirmwareImage(armVirtBus(), cut, spec('arm-le.elf'), 'arm'));
  const range = `0x${dataOffset.toString(16)}-0x${(dataOffset + dataSize - 1).toString(16)}`;
  t.true(message.endsWith(`truncated: segment 1 (PT_LOAD at 0x40110000) has file bytes ${range}, past the end of the file (${cut.length} bytes)`), message);
});

test('a file without section headers still loads (and has no symbols)', (t) => {
  for (const name of ['arm-le.elf', 'x86_64.elf']) {
    const elf = new ElfPatch(name);
    elf.setU16(elf.at.shnum, 0).setWord(elf.at.shoff, 0);
    const bus = name === 'arm-le.elf' ? armVirtBus() : lowRamBus(true, 0x80_0000);
    const fw = loadFirmwareImage(bus, elf.bytes, spec(name), name === 'arm-le.elf' ? 'arm' : 'x86');
    t.is(fw.symbols.size, 0);
    t.is(fw.segments.length, 2);
    t.is(bus.read32(fw.segments[1]!.physAddr + fw.segments[1]!.fileSize), 0);
  }
});

test('error: e_machine does not match the board ISA (names both)', (t) => {
  t.regex(
    loadError(() => loadFirmware(lowRamBus(true, 0x20_0000), spec('arm-le.elf'), 'mips')),
    /: the ELF is for EM_ARM \(40\), but this board's CPU is mips, which runs EM_MIPS \(8\)$/,
  );
  t.regex(
    loadError(() => loadFirmware(armVirtBus(), spec('i386.elf'), 'arm')),
    /the ELF is for EM_386 \(3\), but this board's CPU is arm, which runs EM_ARM \(40\)$/,
  );
  t.regex(
    loadError(() => loadFirmware(lowRamBus(false, 0x100_0000), spec('x86_64.elf'), 'ppc')),
    /the ELF is for EM_X86_64 \(62\), but this board's CPU is ppc, which runs EM_PPC \(20\)$/,
  );
  t.regex(
    loadError(() => loadFirmware(lowRamBus(true, 0x100_0000), spec('mipsel.elf'), 'x86')),
    /the ELF is for EM_MIPS \(8\), but this board's CPU is x86, which runs EM_386 \(3\) or EM_X86_64 \(62\)$/,
  );
  const odd = new ElfPatch('arm-le.elf').setU16(18, 183);
  t.regex(loadError(() => loadFirmwareImage(armVirtBus(), odd.bytes, spec('arm-le.elf'), 'arm')), /EM_AARCH64 \(183\)/);
});

test('error: ELF byte order differs from the board', (t) => {
  t.regex(
    loadError(() => loadFirmware(lowRamBus(true, 0x100_0000), spec('ppc-be.elf'), 'ppc')),
    /the ELF is big-endian but the board is little-endian/,
  );
});

test('error: a segment outside RAM/ROM names its address range', (t) => {
  // RAM that ends exactly where the fixture's .text starts.
  const bus = new MemoryOnlyBus(true);
  bus.add('ram', 'ram', 0x4000_0000, 0x10_0000);
  t.regex(
    loadError(() => loadFirmware(bus, spec('arm-le.elf'), 'arm')),
    /: segment 0 at physical 0x40100000-0x401000[0-9a-f]{2} is outside the board's RAM and ROM \(ram ram 0x40000000-0x400fffff\)$/,
  );
  // RAM that ends inside .bss: the zero-filled part must fit too.
  const short = new MemoryOnlyBus(true);
  short.add('ram', 'ram', 0x4010_0000, 0x1_0000 + 0x20);
  t.regex(loadError(() => loadFirmware(short, spec('arm-le.elf'), 'arm')), /segment 1 at physical 0x40110000-0x401101[0-9a-f]{2} is outside/);
});

test('a segment may span two adjacent memory regions', (t) => {
  const bus = new MemoryOnlyBus(true);
  bus.add('ram', 'low', 0x4000_0000, 0x11_0008);
  bus.add('ram', 'high', 0x4011_0008, 0x1000);
  const fw = loadFirmware(bus, spec('arm-le.elf'), 'arm');
  t.is(bus.read32(physOf(fw, 'fixture_data')), 0x11223344);
});

test('error: overlapping segments name both ranges', (t) => {
  const arm = new ElfPatch('arm-le.elf');
  arm.setWord(arm.ph(1, 'paddr'), 0x4010_0010);
  const message = loadError(() => loadFirmwareImage(armVirtBus(), arm.bytes, spec('arm-le.elf'), 'arm'));
  t.regex(message, /: segment 0 \(0x40100000-0x401000[0-9a-f]{2}\) and segment 1 \(0x40100010-0x401001[0-9a-f]{2}\) overlap$/);
});

test('error: other malformed headers', (t) => {
  const load = (p: ElfPatch) => loadError(() => loadFirmwareImage(armVirtBus(), p.bytes, spec('arm-le.elf'), 'arm'));
  const rel = new ElfPatch('arm-le.elf').setU16(16, 1);
  t.regex(load(rel), /relocatable object \(ET_REL\)/);
  const cls = new ElfPatch('arm-le.elf');
  cls.bytes[4] = 3;
  t.regex(load(cls), /bad ELF class 3 at byte 4/);
  const data = new ElfPatch('arm-le.elf');
  data.bytes[5] = 0;
  t.regex(load(data), /bad ELF data encoding 0 at byte 5/);
  const phentsize = new ElfPatch('arm-le.elf');
  phentsize.setU16(phentsize.at.phentsize, 56);
  t.regex(load(phentsize), /e_phentsize is 56, but ELF32 program headers are 32 bytes/);
  const nophdr = new ElfPatch('arm-le.elf');
  nophdr.setU16(nophdr.at.phnum, 0);
  t.regex(load(nophdr), /no program headers/);
  const sizes = new ElfPatch('arm-le.elf');
  sizes.setWord(sizes.ph(0, 'filesz'), sizes.word(sizes.ph(0, 'memsz')) + 1);
  t.regex(load(sizes), /segment 0 \(PT_LOAD at 0x40100000\): p_filesz 0x[0-9a-f]+ is larger than p_memsz/);
  const strndx = new ElfPatch('arm-le.elf');
  strndx.setU16(strndx.at.shstrndx, 200);
  t.regex(load(strndx), /e_shstrndx 200 is not a section index/);
  const huge = new ElfPatch('x86_64.elf');
  huge.setWord(huge.at.entry, 2 ** 60);
  t.regex(
    loadError(() => loadFirmwareImage(lowRamBus(true, 0x80_0000), huge.bytes, spec('x86_64.elf'), 'x86')),
    /e_entry at byte 24 is larger than 2\*\*53/,
  );
});

test('error: a MIPS segment that runs past the end of kseg0', (t) => {
  const mips = new ElfPatch('mipsel.elf');
  mips.setWord(mips.ph(1, 'paddr'), 0x9fff_ff00).setWord(mips.ph(1, 'vaddr'), 0x9fff_ff00);
  t.regex(
    loadError(() => loadFirmwareImage(lowRamBus(true, 0x20_0000), mips.bytes, spec('mipsel.elf'), 'mips')),
    /segment at 0x9fffff00 \(\d+ bytes\) runs past the end of its kseg window at 0xa0000000/,
  );
});

test('error: corrupt symbol and section name tables', (t) => {
  const load = (p: ElfPatch) => loadError(() => loadFirmwareImage(armVirtBus(), p.bytes, spec('arm-le.elf'), 'arm'));
  const sym = new ElfPatch('arm-le.elf');
  const symtab = sym.section32(sym.findSection32(2));
  // Symbol 3 (16-byte ELF32 entries): st_name is its first word.
  sym.setU32(symtab.offset + 3 * 16, 0xfffff);
  t.regex(load(sym), new RegExp(`symbol 3 \\(byte 0x${(symtab.offset + 48).toString(16)}\\): st_name 0xfffff is outside the string table \\(\\d+ bytes\\)$`));
  const link = new ElfPatch('arm-le.elf');
  const index = link.findSection32(2);
  // sh_link (+24) of .symtab pointing at itself, which is not a string table.
  link.setU32(link.section32(index).at + 24, index);
  t.regex(load(link), new RegExp(`section ${index} \\(\\.symtab\\): sh_link ${index} is not a string table`));
  const names = new ElfPatch('arm-le.elf');
  names.setU32(names.section32(1).at, 0xffff);
  t.regex(load(names), /malformed program or section headers: Offset out of range of string table/);
});
