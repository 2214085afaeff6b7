import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './CliRunner.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'tskvm-cli-'));
const dtcSorted = (args: string[], input?: Buffer | string) =>
  execFileSync('dtc', ['-q', '-s', ...args], { input, encoding: 'utf8' });

test('check accepts the virt-arm board and exits 0', (t) => {
  const r = runCli(['check', 'boards/virt-arm.xml']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /virt-arm\.xml: ok \(1 cpu/);
});

test('check reports errors as file:line:column and exits 2', (t) => {
  const dir = tmp();
  const file = join(dir, 'bad.xml');
  writeFileSync(
    file,
    [
      '<?xml version="1.0"?>',
      '<board name="bad">',
      '  <node name="/" _address-cells="1" _size-cells="1">',
      '    <node name="uart@1000" reg="0x1000 0x100" interrupt-parent="&amp;nosuch" interrupts="1"/>',
      '  </node>',
      '</board>',
      '',
    ].join('\n'),
  );
  const r = runCli(['check', file]);
  t.is(r.status, 2);
  t.regex(r.stderr, new RegExp(`${file.replace(/[/.]/g, '\\$&')}:4:\\d+: error: .*nosuch`));
  t.notRegex(r.stderr, /\n\s+at /);
});

test('dtb writes a blob dtc reads back with the board content', (t) => {
  const out = join(tmp(), 'virt.dtb');
  const r = runCli(['dtb', 'boards/virt-arm.xml', '-o', out]);
  t.is(r.status, 0, r.stderr);
  const dts = dtcSorted(['-I', 'dtb', '-O', 'dts', out]);
  t.regex(dts, /pl011@9000000 \{[^}]*compatible = "arm,pl011\\0arm,primecell";/s);
  t.regex(dts, /memory@40000000 \{[^}]*reg = <0x00 0x40000000 0x00 0x10000000>;/s);
  // The GIC's label became a phandle that interrupt-parent points at.
  const phandle = /intc@8000000 \{[^}]*?phandle = <(0x[0-9a-f]+)>;/s.exec(dts)?.[1];
  t.truthy(phandle);
  t.regex(dts, new RegExp(`interrupt-parent = <${phandle}>;`));
});

test('dts prints source that dtc compiles to the same tree as the dtb command', (t) => {
  const dir = tmp();
  const out = join(dir, 'virt.dtb');
  t.is(runCli(['dtb', 'boards/virt-arm.xml', '-o', out]).status, 0);
  const r = runCli(['dts', 'boards/virt-arm.xml']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^\/dts-v1\/;/);
  // Compile our .dts with dtc, then compare both blobs decompiled the same way.
  const viaDtc = execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb'], { input: r.stdout });
  t.is(dtcSorted(['-I', 'dtb', '-O', 'dts'], viaDtc), dtcSorted(['-I', 'dtb', '-O', 'dts', out]));
});

for (const board of ['arm-virt', 'ppc-e500']) {
  test(`import of QEMU's ${board} DTB is lossless through XML and dtb`, (t) => {
    const dir = tmp();
    const original = join('..', 'shared', 'oracle', board, 'board.dtb');
    const xml = join(dir, 'imported.xml');
    const again = join(dir, 'again.dtb');
    const r = runCli(['import', original, '-o', xml]);
    t.is(r.status, 0, r.stderr);
    t.regex(readFileSync(xml, 'utf8'), /^<\?xml/);
    t.is(runCli(['check', xml]).status, 0);
    t.is(runCli(['dtb', xml, '-o', again]).status, 0);
    t.is(dtcSorted(['-I', 'dtb', '-O', 'dts', again]), dtcSorted(['-I', 'dtb', '-O', 'dts', original]));
  });
}

test('import of a file that is not a blob is bad input naming the file', (t) => {
  const dir = tmp();
  const bogus = join(dir, 'bogus.dtb');
  writeFileSync(bogus, 'not a device tree at all');
  const r = runCli(['import', bogus, '-o', join(dir, 'x.xml')]);
  t.is(r.status, 2);
  t.regex(r.stderr, /bogus\.dtb/);
  t.notRegex(r.stderr, /\n\s+at /);
});

test('run without a core model builds the board, says why it cannot run and exits 1', (t) => {
  const r = runCli(['run', 'boards/virt-arm.xml', '--max-time', '1ms']);
  if (/core models exist for .*cortex-a15/.test(r.stderr) || r.status === 0) {
    t.pass('the ARM core exists now; covered by the run tests');
    return;
  }
  t.is(r.status, 1);
  t.regex(r.stderr, /no core model matches 'arm,cortex-a15'/);
});

test('run of a board without firmware and no --firmware is bad input', (t) => {
  const dir = tmp();
  const file = join(dir, 'nofw.xml');
  writeFileSync(file, '<?xml version="1.0"?>\n<board name="x"><node name="/"/></board>\n');
  const r = runCli(['run', file]);
  t.is(r.status, 2);
  t.regex(r.stderr, /the board has no <firmware> or <kernel> and no --firmware or --kernel was given/);
});

test('run with a firmware file that does not exist is bad input naming it', (t) => {
  const r = runCli(['run', 'boards/virt-arm.xml', '--firmware', 'no/such.elf']);
  t.is(r.status, 2);
  t.regex(r.stderr, /no\/such\.elf/);
});
