import test from 'ava';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';

/** A scratch folder with firmware images: an ELF (by its magic) and a raw binary. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-board-fw-'));
  mkdirSync(join(dir, 'fw'));
  mkdirSync(join(dir, 'boards'));
  writeFileSync(join(dir, 'fw', 'hello.elf'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]));
  writeFileSync(join(dir, 'fw', 'image.bin'), Buffer.from([0xea, 0x00, 0x00, 0x10]));
  return dir;
}

/** Writes `xml` as boards/b.xml in a fresh scratch folder and loads it. */
function load(xml: string): { dir: string; result: ReturnType<typeof loadBoard>; problems: string[] } {
  const dir = scratch();
  const file = join(dir, 'boards', 'b.xml');
  writeFileSync(file, xml);
  const result = loadBoard(file);
  const problems = result.diagnostics.map((d) => formatDiagnostic(d).replaceAll(`${dir}/`, ''));
  return { dir, result, problems };
}

const TREE = `<node name="/" _address-cells="1" _size-cells="1">
    <node name="uart@1000" label="uart0" reg="0x1000 0x100"/>
  </node>`;

test('<firmware elf> gives the path relative to the board file, DTB placement and preset registers', (t) => {
  const { dir, result, problems } = load(`<board name="fw">
  ${TREE}
  <firmware elf="../fw/hello.elf" entry="0x8000" dtb-address="0x40000000" dtb-register="r2">
    <register name="r6" value="0x45504150"/>
    <register name="r7" value="64M"/>
    <register name="r8" value="-1"/>
  </firmware>
</board>`);
  t.deepEqual(problems, []);
  const fw = result.board!.firmware!;
  t.is(fw.path, join(dir, 'fw', 'hello.elf'));
  t.is(fw.format, 'elf');
  t.is(fw.entry, 0x8000);
  t.is(fw.dtbAddress, 0x40000000);
  t.is(fw.dtbRegister, 'r2');
  t.is(fw.loadAddress, undefined);
  t.deepEqual([...fw.registers], [
    ['r6', 0x45504150],
    ['r7', 0x4000000],
    ['r8', 0xffffffff],
  ]);
  t.deepEqual(fw.pos, { file: join(dir, 'boards', 'b.xml'), line: 5, column: 3 }, 'after the 3 lines of the tree');
});

test('<firmware bin> needs load; file= decides by the ELF magic', (t) => {
  const raw = load(`<board name="fw">${TREE}<firmware bin="../fw/image.bin" load="0x10000"/></board>`);
  t.deepEqual(raw.problems, []);
  t.is(raw.result.board!.firmware!.format, 'raw');
  t.is(raw.result.board!.firmware!.loadAddress, 0x10000);

  const autoElf = load(`<board name="fw">${TREE}<firmware file="../fw/hello.elf"/></board>`);
  t.deepEqual(autoElf.problems, []);
  t.is(autoElf.result.board!.firmware!.format, 'auto');

  const autoRaw = load(`<board name="fw">${TREE}<firmware file="../fw/image.bin" load="4K"/></board>`);
  t.deepEqual(autoRaw.problems, []);
  t.is(autoRaw.result.board!.firmware!.loadAddress, 4096);
});

test('a missing firmware file is an error at its path; a second <firmware> is an error', (t) => {
  const { problems } = load(
    [
      '<board name="fw">',
      '  <firmware elf="../fw/nothere.elf"/>',
      '  <firmware bin="../fw/image.bin"/>',
      '</board>',
    ].join('\n'),
  );
  t.deepEqual(problems, [
    "boards/b.xml:2:13: error: missing firmware file '../fw/nothere.elf' (fw/nothere.elf)",
    'boards/b.xml:3:3: error: second <firmware> in <board> (the first is at line 2, column 3)',
  ]);
});

test('a raw image without load, or a non-ELF file= without load, is an error at the path', (t) => {
  t.deepEqual(load('<board>\n  <firmware bin="../fw/image.bin"/>\n</board>').problems, [
    'boards/b.xml:2:13: error: a raw image (bin="…") needs load="0x…", the address it is loaded at',
  ]);
  t.deepEqual(load('<board>\n  <firmware file="../fw/image.bin"/>\n</board>').problems, [
    "boards/b.xml:2:13: error: '../fw/image.bin' is not an ELF file, so it is loaded as a raw image and needs load=\"0x…\"",
  ]);
});

test('a <firmware> needs exactly one image; registers are named once and fit 32 bits', (t) => {
  t.deepEqual(
    load(
      [
        '<board>',
        '  <firmware dtb-address="0x100"/>',
        '  <vm name="g" memory="1M">',
        '    <firmware elf="../fw/hello.elf" bin="../fw/image.bin" dtb-register="2r">',
        '      <register name="r1" value="0x100000000"/>',
        '      <register name="r1" value="1"/>',
        '      <register name="r2"/>',
        '      <set name="r3"/>',
        '    </firmware>',
        '  </vm>',
        '</board>',
      ].join('\n'),
    ).problems,
    [
      'boards/b.xml:2:3: error: <firmware> needs one of elf="…", bin="…" or file="…"',
      'boards/b.xml:4:37: error: <firmware> takes one of elf, bin and file, not elf and bin',
      "boards/b.xml:4:59: error: bad register name '2r' (like r2, a0 or eax)",
      'boards/b.xml:5:27: error: value 0x100000000 does not fit in a 32-bit register',
      'boards/b.xml:6:17: error: register r1 is preset twice',
      "boards/b.xml:7:7: error: <register> needs the attribute 'value'",
      'boards/b.xml:8:7: error: unknown element <set> in <firmware> (allowed: <register>)',
    ],
  );
});

test('<console> names a UART by &label, bare label or path; a missing one is an error', (t) => {
  for (const uart of ['&amp;uart0', 'uart0', '/uart@1000', '&amp;{/uart@1000}']) {
    const { result, problems } = load(`<board name="c">${TREE}<console uart="${uart}"/></board>`);
    t.deepEqual(problems, [], uart);
    t.is(result.board!.console!.nodePath, '/uart@1000', uart);
  }
  t.deepEqual(load(`<board name="c">\n  <console uart="/serial@0"/>\n  ${TREE}\n</board>`).problems, [
    "boards/b.xml:2:12: error: console: reference to missing path '/serial@0'",
  ]);
  t.deepEqual(load(`<board name="c">\n  <console uart="uart 0"/>\n</board>`).problems, [
    "boards/b.xml:2:12: error: console: bad reference 'uart 0' (expected &label, a label name, /path or &{/path})",
  ]);
});

test('a <vm> has its own tree, labels, firmware and console; defaults for vcpus, paging and nice', (t) => {
  const fixtures = fileURLToPath(new URL('../fixtures/boards', import.meta.url));
  const { result, problems, dir } = load(`<board name="host">
  ${TREE}
  <console uart="&amp;uart0"/>
  <vm name="guest0" memory="128M">
    <node name="/" _address-cells="1" _size-cells="1">
      <node name="uart@9000000" label="uart0" reg="0x9000000 0x1000"/>
    </node>
    <console uart="&amp;uart0"/>
    <firmware elf="../fw/hello.elf" dtb-register="a0"/>
  </vm>
  <vm name="guest1" vcpus="2" memory="1G" paging="shadow" nice="-5">
    <include href="${fixtures}/soc/soc-a.xml"/>
    <node ref="&amp;uart0" status="okay"/>
  </vm>
</board>`);
  t.deepEqual(problems, [], 'the same label in host and guest trees is no duplicate');
  const board = result.board!;
  t.is(board.name, 'host');
  t.is(board.console!.nodePath, '/uart@1000');
  t.is(board.vms.length, 2);
  const [g0, g1] = board.vms;
  t.deepEqual([g0!.name, g0!.vcpus, g0!.memory, g0!.paging, g0!.nice], ['guest0', 1, 128 * 1024 * 1024, 'nested', 0]);
  t.is(g0!.console!.nodePath, '/uart@9000000', 'the guest console is in the guest tree');
  t.is(g0!.firmware!.path, join(dir, 'fw', 'hello.elf'));
  t.is(g0!.firmware!.dtbRegister, 'a0');
  t.deepEqual([g1!.name, g1!.vcpus, g1!.memory, g1!.paging, g1!.nice], ['guest1', 2, 1 << 30, 'shadow', -5]);
  t.truthy(g1!.tree.nodeAt('/intc@8000000'), 'the include (an absolute href) went into the guest tree');
  t.is(board.tree.nodeAt('/intc@8000000'), undefined, 'and not into the host tree');
  t.deepEqual(g1!.tree.nodeAt('/pl011@9000000')!.property('status')!.value, [{ kind: 'string', value: 'okay' }]);
});

test('<vm> errors: duplicate names, missing memory, nested vm', (t) => {
  t.deepEqual(
    load(
      [
        '<board name="v">',
        '  <vm name="g" memory="1M"/>',
        '  <vm name="g" memory="1M"/>',
        '  <vm name="h">',
        '    <vm name="i" memory="1M"/>',
        '  </vm>',
        '</board>',
      ].join('\n'),
    ).problems,
    [
      "boards/b.xml:3:7: error: duplicate VM name 'g' (first at line 2, column 7)",
      "boards/b.xml:4:3: error: <vm> needs the attribute 'memory'",
      'boards/b.xml:5:5: error: a <vm> cannot contain another <vm>',
    ],
  );
});

test('the board name defaults to the file name', (t) => {
  const { result, problems } = load(`<board>${TREE}</board>`);
  t.deepEqual(problems, []);
  t.is(result.board!.name, 'b');
});
