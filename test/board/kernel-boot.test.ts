import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadBoard, parseBoardText } from '../../dts/board/BoardLoader.ts';
import { readDtb } from '../../dts/blob/DtbReader.ts';
import { formatDiagnostic, InputError } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { planKernelLayout } from '../../src/loader/KernelLayout.ts';
import { writeCpioNewc } from '../../scripts/linux/CpioNewcArchive.ts';
import { runCli } from '../cli/CliRunner.ts';

const MIB = 1 << 20;
const INITRD_TEXT = 'not really gzip, but bytes the loader must place unchanged';

/**
 * A stand-in zImage: the header of arch/arm/boot/compressed/head.S (a branch
 * over eight words, the magic 0x016f2818 at 0x24, start and end) and then
 * `wfi; b .` — enough for the boot protocol, which only looks at the magic.
 */
function fakeZImage(): Uint8Array {
  const words = new Uint32Array(16);
  words[0] = 0xea00000a; // b 0x30
  words[9] = 0x016f2818;
  words[10] = 0;
  words[11] = words.length * 4;
  words[12] = 0xe320f003; // wfi
  words[13] = 0xeafffffe; // b .
  return new Uint8Array(words.buffer);
}

function tempFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-kernel-'));
  const zImage = join(dir, 'zImage');
  writeFileSync(zImage, fakeZImage());
  const initrd = join(dir, 'initrd.cpio.gz');
  writeFileSync(initrd, Buffer.from(INITRD_TEXT));
  return { dir, zImage, initrd };
}

function virtArm() {
  const { board, diagnostics } = loadBoard('boards/virt-arm.xml');
  if (!board) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return board;
}

test('layout: QEMU\'s rules — image at RAM + 64 KiB, initrd at RAM + min(RAM/2, 128 MiB), DTB on the next 4 KiB after it', (t) => {
  t.deepEqual(planKernelLayout({ ramBase: 0x40000000, ramSize: 256 * MIB, kernelOffset: 0x10000, kernelSize: 5_448_192, initrdSize: 907_353, dtbSize: 0x10000 }), {
    kernel: 0x40010000,
    initrd: { start: 0x48000000, end: 0x48000000 + 907_353 },
    dtb: 0x480de000,
  });
  // 64 MiB of RAM: the initrd goes half-way up.
  t.deepEqual(planKernelLayout({ ramBase: 0x40000000, ramSize: 64 * MIB, kernelOffset: 0x10000, kernelSize: 1000, dtbSize: 0x10000 }), {
    kernel: 0x40010000,
    dtb: 0x42000000,
  });
  t.regex(
    planKernelLayout({ ramBase: 0, ramSize: 8 * MIB, kernelOffset: 0x10000, kernelSize: 5 * MIB, dtbSize: 0x10000 }) as string,
    /the kernel image \(5\.0 MiB\) does not fit below the initrd at RAM \+ 4\.0 MiB; the board needs more RAM/,
  );
  t.regex(
    planKernelLayout({ ramBase: 0, ramSize: 8 * MIB, kernelOffset: 0x10000, kernelSize: MIB, initrdSize: 4 * MIB, dtbSize: 0x10000 }) as string,
    /the initrd \(4\.0 MiB\) and the DTB do not fit in RAM/,
  );
});

test('--kernel: r0 = 0, r1 = ~0, r2 = the DTB, pc = the image, SVC mode with IRQ and FIQ masked; /chosen carries bootargs and the initrd', (t) => {
  const { zImage, initrd } = tempFiles();
  const built = buildMachine(virtArm(), { kernel: { path: zImage, initrd, append: 'console=ttyAMA0 quiet' } });
  const cpu = built.cpus[0]!;
  t.is(cpu.getRegister('r0'), 0);
  t.is(cpu.getRegister('r1') >>> 0, 0xffffffff);
  const dtbAddress = cpu.getRegister('r2') >>> 0;
  t.is(cpu.getPc(), 0x40010000);
  t.is(dtbAddress, built.kernelBoot!.layout.dtb);
  const cpsr = cpu.getRegister('cpsr');
  t.is(cpsr & 0x1f, 0x13, 'SVC mode');
  t.is(cpsr & 0xc0, 0xc0, 'IRQ and FIQ masked');
  const bus = built.machine.bus;
  t.deepEqual(bus.readBytes(0x40010000, 64), fakeZImage());
  // The DTB is the board's tree with /chosen filled in, 64-bit values as the root's #address-cells = 2 says.
  const tree = readDtb(bus.readBytes(dtbAddress, 0x10000), 'dtb in RAM');
  const chosen = tree.nodeAt('/chosen')!;
  t.deepEqual(chosen.property('bootargs')!.value, [{ kind: 'string', value: 'console=ttyAMA0 quiet' }]);
  const start = 0x48000000;
  const u64 = (name: string) => {
    const v = chosen.property(name)!.value[0]!;
    if (v.kind !== 'cells') throw new Error(`${name} is not cells`);
    return v.cells.reduce<bigint>((acc, c) => (acc << BigInt(v.bits)) | (c as bigint), 0n);
  };
  t.is(u64('linux,initrd-start'), BigInt(start));
  t.is(u64('linux,initrd-end'), BigInt(start + INITRD_TEXT.length));
  t.is(Buffer.from(bus.readBytes(start, INITRD_TEXT.length)).toString(), INITRD_TEXT);
  t.regex(built.summary, /kernel zImage/);
});

test('a board reset puts the kernel, initrd, DTB and boot registers back', (t) => {
  const { zImage, initrd } = tempFiles();
  const built = buildMachine(virtArm(), { kernel: { path: zImage, initrd } });
  const cpu = built.cpus[0]!;
  const bus = built.machine.bus;
  bus.loadBytes(0x40010000, new Uint8Array(64));
  bus.loadBytes(built.kernelBoot!.layout.dtb, new Uint8Array(16));
  cpu.setRegister('r2', 0);
  built.machine.reset();
  t.deepEqual(bus.readBytes(0x40010000, 64), fakeZImage());
  t.is(bus.read32(built.kernelBoot!.layout.dtb) >>> 0, 0xedfe0dd0, 'FDT magic 0xd00dfeed, big-endian in memory');
  t.is(cpu.getRegister('r2') >>> 0, built.kernelBoot!.layout.dtb);
  t.is(cpu.getPc(), 0x40010000);
});

test('<kernel> in a board file: paths relative to it; missing files and <firmware> beside it are errors at their place', (t) => {
  const { dir } = tempFiles();
  const head = `<board name="k">\n  <include href="${resolve('dts/arm/qemu-virt.xml')}"/>\n`;
  const tail = `  <node name="/">\n    <node name="memory@40000000" device_type="memory" reg="0x40000000 256M"/>\n    <node name="cpus" _address-cells="1" _size-cells="0"><node name="cpu@0" device_type="cpu" compatible="arm,cortex-a15" reg="0"/></node>\n  </node>\n</board>\n`;
  const ok = parseBoardText(`${head}  <kernel image="zImage" initrd="initrd.cpio.gz" append="console=ttyAMA0"/>\n${tail}`, join(dir, 'k.xml'));
  t.deepEqual(ok.diagnostics.filter((d) => d.severity === 'error'), []);
  t.like(ok.board!.kernel, { path: join(dir, 'zImage'), initrd: join(dir, 'initrd.cpio.gz'), append: 'console=ttyAMA0' });
  const built = buildMachine(ok.board!);
  t.is(built.cpus[0]!.getPc(), 0x40010000);

  const bad = parseBoardText(`${head}  <kernel image="nope" initrd="missing.gz" colour="red"/>\n${tail}`, join(dir, 'bad.xml'));
  const text = bad.diagnostics.map(formatDiagnostic).join('\n');
  t.regex(text, /bad\.xml:3:\d+: error: .*colour/);
  t.regex(text, /bad\.xml:3:\d+: error: missing kernel image file 'nope'/);
  t.regex(text, /bad\.xml:3:\d+: error: missing initrd file 'missing\.gz'/);

  const both = parseBoardText(`${head}  <firmware elf="${resolve('boards/firmware/arm/hello.elf')}"/>\n  <kernel image="zImage"/>\n${tail}`, join(dir, 'both.xml'));
  t.regex(both.diagnostics.map(formatDiagnostic).join('\n'), /both\.xml:4:3: error: <board> boots either <firmware> or <kernel>, not both \(<firmware> at line 3, column 3\)/);
});

test('what is not a zImage, or does not fit, is an error naming the file', (t) => {
  const { dir } = tempFiles();
  const board = virtArm();
  const elf = resolve('boards/firmware/arm/hello.elf');
  const e1 = t.throws(() => buildMachine(board, { kernel: { path: elf } }), { instanceOf: InputError });
  t.regex(e1!.message, /hello\.elf: not a kernel image tskvm can boot on arm: it is an ELF file/);
  const junk = join(dir, 'junk');
  writeFileSync(junk, new Uint8Array(100));
  t.regex(t.throws(() => buildMachine(board, { kernel: { path: junk } }))!.message, /junk: .*no ARM zImage magic 0x016f2818 at offset 0x24/);
  const huge = join(dir, 'huge');
  const big = new Uint8Array(200 * MIB);
  big.set(fakeZImage());
  writeFileSync(huge, big);
  t.regex(t.throws(() => buildMachine(board, { kernel: { path: huge } }))!.message, /does not fit below the initrd/);
});

test('CLI: --kernel boots it; --initrd without a kernel, --kernel with --firmware and missing files are usage errors', (t) => {
  const { zImage } = tempFiles();
  const r = runCli(['run', 'boards/virt-arm.xml', '--kernel', zImage, '--append', 'x', '--max-instructions', '1000']);
  t.is(r.status, 1, r.stderr);
  t.regex(r.stderr, /instruction limit of 1000 reached|all cores idle/);
  const e1 = runCli(['run', 'boards/virt-arm.xml', '--initrd', zImage]);
  t.is(e1.status, 2);
  t.regex(e1.stderr, /--initrd needs a kernel: give --kernel, or a board with <kernel>/);
  const e2 = runCli(['run', 'boards/virt-arm.xml', '--kernel', zImage, '--firmware', 'boards/firmware/arm/hello.elf']);
  t.is(e2.status, 2);
  t.regex(e2.stderr, /--firmware and --kernel both say what boots; give one/);
  const e3 = runCli(['run', 'boards/virt-arm.xml', '--kernel', 'no/such/zImage']);
  t.is(e3.status, 2);
  t.regex(e3.stderr, /--kernel: no such file 'no\/such\/zImage'/);
});

test('initramfs archives: cpio newc headers as the kernel reads them (buffer-format.rst)', (t) => {
  const archive = writeCpioNewc([
    { kind: 'dir', path: 'bin' },
    { kind: 'file', path: 'bin/hi', data: new TextEncoder().encode('hello'), mode: 0o755 },
    { kind: 'symlink', path: 'bin/sh', target: 'hi' },
    { kind: 'char', path: 'console', major: 5, minor: 1 },
  ]);
  const text = Buffer.from(archive).toString('latin1');
  const entries: { name: string; mode: number; size: number; rdev: [number, number]; data: string }[] = [];
  let at = 0;
  for (;;) {
    t.is(text.slice(at, at + 6), '070701');
    const field = (i: number) => parseInt(text.slice(at + 6 + i * 8, at + 14 + i * 8), 16);
    const nameSize = field(11);
    const size = field(6);
    const name = text.slice(at + 110, at + 110 + nameSize - 1);
    t.is(text[at + 110 + nameSize - 1], '\0');
    const dataAt = Math.ceil((at + 110 + nameSize) / 4) * 4;
    entries.push({ name, mode: field(1), size, rdev: [field(9), field(10)], data: text.slice(dataAt, dataAt + size) });
    at = Math.ceil((dataAt + size) / 4) * 4;
    if (name === 'TRAILER!!!') break;
  }
  t.is(at, archive.length, 'the archive ends with the trailer, padded to 4 bytes');
  t.deepEqual(entries.map((e) => [e.name, e.mode.toString(8)]), [
    ['bin', '40755'],
    ['bin/hi', '100755'],
    ['bin/sh', '120777'],
    ['console', '20600'],
    ['TRAILER!!!', '0'],
  ]);
  t.is(entries[1]!.data, 'hello');
  t.is(entries[2]!.data, 'hi', 'a symlink\'s data is its target');
  t.deepEqual(entries[3]!.rdev, [5, 1]);
});

test('<kernel> in a <vm>: the guest\'s boot vCPU gets r0 = 0, r1 = ~0, r2 = the DTB in guest RAM; secondaries wait for PSCI CPU_ON', (t) => {
  const { dir } = tempFiles();
  const text = `<board name="k">
  <include href="${resolve('dts/arm/qemu-virt.xml')}"/>
  <firmware elf="${resolve('boards/firmware/arm/hello.elf')}"/>
  <node name="/">
    <node name="memory@40000000" device_type="memory" reg="0x40000000 256M"/>
    <node name="cpus" _address-cells="1" _size-cells="0"><node name="cpu@0" device_type="cpu" compatible="arm,cortex-a15" reg="0"/></node>
  </node>
  <vm name="g" vcpus="2" memory="64M">
    <kernel image="zImage" initrd="initrd.cpio.gz" append="console=ttyAMA0"/>
    <node name="/" compatible="tskvm,guest" _address-cells="1" _size-cells="1">
      <node name="memory@40000000" device_type="memory" reg="0x40000000 64M"/>
      <node name="intc" label="intc" compatible="tskvm,level-irqchip" interrupt-controller="" _interrupt-cells="1"/>
    </node>
  </vm>
</board>
`;
  const { board, diagnostics } = parseBoardText(text, join(dir, 'vm.xml'));
  t.deepEqual(diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), []);
  const built = buildMachine(board!);
  const vmm = built.vms!.vmms[0]!;
  const [boot, second] = vmm.vm.vcpus;
  t.is(boot!.getRegister('r0'), 0);
  t.is(boot!.getRegister('r1') >>> 0, 0xffffffff);
  t.is(boot!.getPc(), 0x40010000);
  // 64 MiB of guest RAM: the initrd half-way up, the DTB after it.
  const dtb = boot!.getRegister('r2') >>> 0;
  t.is(dtb, 0x42000000 + Math.ceil(INITRD_TEXT.length / 4096) * 4096);
  t.deepEqual(vmm.vm.bus.readBytes(0x40010000, 64), fakeZImage());
  const tree = readDtb(vmm.vm.bus.readBytes(dtb, 0x10000), 'guest dtb');
  t.deepEqual(tree.nodeAt('/chosen')!.property('bootargs')!.value, [{ kind: 'string', value: 'console=ttyAMA0' }]);
  // #address-cells = 1 in this guest's tree: 32-bit initrd addresses.
  t.deepEqual(tree.nodeAt('/chosen')!.property('linux,initrd-start')!.value, [{ kind: 'cells', bits: 32, cells: [0x42000000n] }]);
  t.true(second!.poweredOff);
});
