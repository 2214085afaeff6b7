import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBoard, parseBoardText, parseFragmentText } from '../../dts/board/BoardLoader.ts';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';

/**
 * <memreserve> and boot-cpu in board files (docs/BOARD-FORMAT.md): what they become in the
 * tree and the blob, checked against dtc compiling the equivalent .dts, and the errors and
 * warnings of bad ones, each at its file:line:column.
 */

function problems(xml: string, file = 'b.xml'): string[] {
  return parseBoardText(xml, file).diagnostics.map(formatDiagnostic);
}

function dtc(args: string[], input: string | Uint8Array): Buffer {
  return execFileSync('dtc', ['-q', ...args, '-'], { input, maxBuffer: 1 << 24, stdio: ['pipe', 'pipe', 'pipe'] });
}

const CPUS = `<node name="/" _address-cells="1" _size-cells="1" model="m">
    <node name="cpus" _address-cells="1" _size-cells="0">
      <node name="cpu@0" device_type="cpu" reg="0"/>
      <node name="cpu@2" device_type="cpu" reg="2"/>
    </node>
  </node>`;

test('memreserve entries in document order and boot-cpu give the blob dtc compiles from /memreserve/ and -b', (t) => {
  const xml = `<board name="r" boot-cpu="2">
  <memreserve address="0x10000000" size="16K"/>
  ${CPUS}
  <memreserve address="0x1234567800000000" size="4G"/>
  <memreserve address="0b1000" size="0xff0"/>
  <memreserve address="0xffffffffffff0000" size="64K"/>
</board>`;
  const { board, diagnostics } = parseBoardText(xml, 'b.xml');
  t.deepEqual(diagnostics.map(formatDiagnostic), [], 'the last region ends at 2^64 exactly, which is no wrap-around');
  const tree = board!.tree;
  t.deepEqual(tree.memoryReservations, [
    [0x10000000n, 0x4000n],
    [0x1234567800000000n, 0x100000000n],
    [8n, 0xff0n],
    [0xffffffffffff0000n, 0x10000n],
  ]);
  t.is(tree.bootCpuId, 2);
  const dts = `/dts-v1/;
/memreserve/ 0x10000000 0x4000;
/memreserve/ 0x1234567800000000 0x100000000;
/memreserve/ 8 0xff0;
/memreserve/ 0xffffffffffff0000 0x10000;
/ { #address-cells = <1>; #size-cells = <1>; model = "m";
  cpus { #address-cells = <1>; #size-cells = <0>;
    cpu@0 { device_type = "cpu"; reg = <0>; };
    cpu@2 { device_type = "cpu"; reg = <2>; };
  };
};
`;
  const expected = dtc(['-b', '2', '-I', 'dts', '-O', 'dtb'], dts);
  t.is(Buffer.from(writeDtb(tree)).toString('hex'), expected.toString('hex'), 'byte for byte the blob dtc -b 2 writes');
});

test('without boot-cpu and memreserve the header says CPU 0 and the reservation block is just its end marker', (t) => {
  const { board } = parseBoardText(`<board name="r">${CPUS}</board>`, 'b.xml');
  const tree = board!.tree;
  t.deepEqual(tree.memoryReservations, []);
  t.is(tree.bootCpuId, 0);
  const blob = Buffer.from(writeDtb(tree));
  t.is(blob.readUInt32BE(0x1c), 0, 'boot_cpuid_phys');
  const rsvmap = blob.readUInt32BE(0x10);
  t.is(blob.subarray(rsvmap, rsvmap + 16).toString('hex'), '0'.repeat(32));
  t.is(blob.readUInt32BE(0x08), rsvmap + 16, 'the structure block follows the 16-byte end marker');
});

test('memreserves from includes count where the include stands; a VM has its own list and boot-cpu', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-memreserve-'));
  mkdirSync(join(dir, 'soc'));
  writeFileSync(join(dir, 'soc', 'soc.xml'), '<fragment>\n  <memreserve address="0x2000" size="0x100"/>\n  <node name="/" model="soc"/>\n</fragment>\n');
  writeFileSync(join(dir, 'guest.xml'), '<fragment><memreserve address="0x9000" size="1K"/></fragment>');
  const file = join(dir, 'b.xml');
  writeFileSync(
    file,
    `<board name="inc">
  <memreserve address="0x1000" size="0x10"/>
  <include href="soc/soc.xml"/>
  <memreserve address="0x3000" size="0x30"/>
  <vm name="g" memory="16M" boot-cpu="7">
    <memreserve address="0x8000" size="2K"/>
    <include href="guest.xml"/>
    <node name="/" model="guest"/>
  </vm>
</board>`,
  );
  const { board, diagnostics } = loadBoard(file);
  t.deepEqual(diagnostics.map(formatDiagnostic), []);
  t.deepEqual(board!.tree.memoryReservations, [
    [0x1000n, 0x10n],
    [0x2000n, 0x100n],
    [0x3000n, 0x30n],
  ]);
  t.is(board!.tree.bootCpuId, 0);
  const vm = board!.vms[0]!;
  t.deepEqual(vm.tree.memoryReservations, [
    [0x8000n, 0x800n],
    [0x9000n, 0x400n],
  ]);
  t.is(vm.tree.bootCpuId, 7, 'no /cpus in the guest tree, so nothing to compare boot-cpu with');
  t.is(Buffer.from(writeDtb(vm.tree)).readUInt32BE(0x1c), 7);
});

test('a fragment loaded alone keeps its memreserves', (t) => {
  const r = parseFragmentText('<fragment>\n  <memreserve address="1M" size="1M"/>\n  <node name="/"/>\n</fragment>', 'f.xml');
  t.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  t.deepEqual(r.tree!.memoryReservations, [[0x100000n, 0x100000n]]);
});

test('bad memreserve numbers, missing and unknown attributes, content and the 0 0 end marker are errors at their position', (t) => {
  const xml = `<board name="bad">
  <memreserve address="0x1g" size="0x10"/>
  <memreserve address="0x1000"/>
  <memreserve size="0x10"/>
  <memreserve address="-1" size="0x10"/>
  <memreserve address="0x1000" size="0x10000000000000000"/>
  <memreserve address="16G" size="0x1000" name="x"/>
  <memreserve address="0x4000" size="0x10"><node name="a"/></memreserve>
  <memreserve address="0" size="0x0"/>
  <node name="/"/>
</board>`;
  t.deepEqual(problems(xml), [
    "b.xml:2:15: error: bad number '0x1g' for address (expected 0x…, 0b… or decimal, optional K/M/G)",
    "b.xml:3:3: error: <memreserve> needs the attribute 'size'",
    "b.xml:4:3: error: <memreserve> needs the attribute 'address'",
    'b.xml:5:15: error: memreserve address -1 is negative',
    'b.xml:6:32: error: memreserve size 0x10000000000000000 does not fit in 64 bits',
    "b.xml:7:43: error: unknown attribute 'name' on <memreserve> (allowed: address, size)",
    'b.xml:8:44: error: unexpected element <node> in <memreserve> (it takes no child elements)',
    'b.xml:9:3: error: memreserve with address 0 and size 0 is the end marker of the memory reservation block (DT spec 5.3), not an entry',
  ]);
  t.is(parseBoardText(xml, 'b.xml').board, undefined);
});

test('bad boot-cpu values are errors at the attribute; on a fragment it is unknown', (t) => {
  t.deepEqual(problems('<board name="b" boot-cpu="0x100000000"><node name="/"/></board>'), [
    'b.xml:1:17: error: boot-cpu="0x100000000" is out of range (0 to 0xffffffff)',
  ]);
  t.deepEqual(problems('<board name="b" boot-cpu="-1"><node name="/"/></board>'), ['b.xml:1:17: error: boot-cpu="-1" is out of range (0 to 0xffffffff)']);
  t.deepEqual(problems('<board name="b">\n  <vm name="g" memory="1M"\n      boot-cpu="two"/>\n</board>'), [
    "b.xml:3:7: error: bad number 'two' for boot-cpu (expected 0x…, 0b… or decimal, optional K/M/G)",
  ]);
  t.deepEqual(problems('<board name="b" boot-cpu="0xffffffff"/>'), [], 'the largest 32-bit id');
  t.deepEqual(
    parseFragmentText('<fragment boot-cpu="1"/>', 'f.xml').diagnostics.map(formatDiagnostic),
    ["f.xml:1:11: error: unknown attribute 'boot-cpu' on <fragment> (it takes no attributes)"],
  );
});

test('a zero-size memreserve loads with a warning: dtc reading the blob back stops the list there', (t) => {
  const xml = `<board name="z">
  <memreserve address="0x1000" size="0x10"/>
  <memreserve address="0x5000" size="0"/>
  <memreserve address="0x6000" size="0x10"/>
  <node name="/"/>
</board>`;
  const { board, diagnostics } = parseBoardText(xml, 'b.xml');
  t.deepEqual(diagnostics.map(formatDiagnostic), [
    'b.xml:3:3: warning: memreserve at 0x5000 has size 0: dtc and libfdt (U-Boot, Linux) end the reservation list at the first entry of size 0, so they ignore this entry and the entries after it',
  ]);
  t.deepEqual(board!.tree.memoryReservations, [
    [0x1000n, 0x10n],
    [0x5000n, 0n],
    [0x6000n, 0x10n],
  ]);
  // The claim of the warning, checked on dtc itself: the blob holds all three entries …
  const blob = Buffer.from(writeDtb(board!.tree));
  const rsvmap = blob.readUInt32BE(0x10);
  t.is(blob.readBigUInt64BE(rsvmap + 32), 0x6000n, 'the third entry is in the blob');
  // … and dtc's reader lists only the first.
  const dts = dtc(['-I', 'dtb', '-O', 'dts'], blob).toString();
  t.deepEqual(dts.match(/^\/memreserve\/.*$/gm), ['/memreserve/\t0x0000000000001000 0x0000000000000010;']);
});

test('overlapping and wrapping memreserves are warnings (DT spec 5.3), the board still loads', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-memreserve-'));
  writeFileSync(join(dir, 'f.xml'), '<fragment>\n  <memreserve address="0x1000" size="0x1000"/>\n</fragment>\n');
  const file = join(dir, 'b.xml');
  writeFileSync(
    file,
    `<board name="o">
  <include href="f.xml"/>
  <memreserve address="0x1800" size="0x1000"/>
  <memreserve address="0x2000" size="0x10"/>
  <memreserve address="0x3000" size="0x10"/>
  <memreserve address="0xfffffffffffff000" size="0x2000"/>
  <node name="/"/>
</board>`,
  );
  const { board, diagnostics } = loadBoard(file);
  t.not(board, undefined);
  t.deepEqual(
    diagnostics.map((d) => formatDiagnostic(d).replaceAll(`${dir}/`, '')),
    [
      `b.xml:3:3: warning: memreserve 0x1800 size 0x1000 overlaps memreserve 0x1000 size 0x1000 (at f.xml:2:3); the DT spec (5.3) says reserved regions shall not overlap`,
      'b.xml:4:3: warning: memreserve 0x2000 size 0x10 overlaps memreserve 0x1800 size 0x1000 (at line 3, column 3); the DT spec (5.3) says reserved regions shall not overlap',
      'b.xml:6:3: warning: memreserve 0xfffffffffffff000 + 0x2000 runs past the end of the 64-bit address space',
    ],
    '0x3000 touches nothing: regions that only meet do not overlap',
  );
});

test('boot-cpu that is no CPU node\'s reg is a warning (DT spec 5.2); one that is, or a tree without CPU nodes, is not', (t) => {
  t.deepEqual(problems(`<board name="c" boot-cpu="1">\n  ${CPUS}\n</board>`), [
    'b.xml:1:17: warning: boot-cpu 1 is not the reg of any CPU node under /cpus (they have 0x0, 0x2); the DT spec (5.2) says boot_cpuid_phys is the boot CPU\'s reg',
  ]);
  t.deepEqual(problems(`<board name="c" boot-cpu="2">${CPUS}</board>`), []);
  t.deepEqual(problems('<board name="c" boot-cpu="3"><node name="/"><node name="cpus"/></node></board>'), []);
  // A CPU node's reg lists one id per thread (DT spec 3.8.1): any of them may boot.
  const threads = `<board name="t" boot-cpu="0x101">
  <node name="/">
    <node name="cpus" _address-cells="1" _size-cells="0">
      <node name="cpu@100" device_type="cpu" reg="0x100 0x101"/>
      <node name="l2" reg="5"/>
    </node>
  </node>
</board>`;
  t.deepEqual(problems(threads), []);
  t.deepEqual(problems(threads.replace('0x101"', '5"')), [
    'b.xml:1:17: warning: boot-cpu 5 is not the reg of any CPU node under /cpus (they have 0x100, 0x101); the DT spec (5.2) says boot_cpuid_phys is the boot CPU\'s reg',
  ], 'a node without device_type "cpu" is not a CPU');
});
