import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { uBootImage } from './DebianUBoot.ts';

/**
 * Debian's U-Boot (qemu_arm) as a guest of the phone (boards/phone-uboot.xml)
 * beside the phone's host kernel: it boots to its prompt, answers `version`
 * as it does under QEMU (../shared/oracle/arm-virt/transcript.txt), and its
 * `poweroff` ends its VM only — the host kernel is still up afterwards.
 */
function phoneUboot(): string {
  const text = readFileSync(resolve('boards/phone-uboot.xml'), 'utf8');
  const uboot = uBootImage('qemu_arm/u-boot.bin');
  if (uboot === '/usr/lib/u-boot/qemu_arm/u-boot.bin') return resolve('boards/phone-uboot.xml');
  // u-boot-qemu fetched into .cache rather than installed: the same board with that path.
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-phone-uboot-'));
  const path = join(dir, 'phone-uboot.xml');
  writeFileSync(
    path,
    text
      .replaceAll('href="../dts/', `href="${resolve('dts')}/`)
      .replaceAll('elf="firmware/', `elf="${resolve('boards/firmware')}/`)
      .replace('/usr/lib/u-boot/qemu_arm/u-boot.bin', uboot),
  );
  return path;
}

test('U-Boot in a VM on the phone: prompt, version as under QEMU, and poweroff ends only its VM', (t) => {
  const { board, diagnostics } = loadBoard(phoneUboot());
  if (board === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const built = buildMachine(board);
  let host = '';
  built.consoleDevice!.attachBackend({ transmit: (b) => (host += String.fromCharCode(b)) });
  const vmm = built.vms!.vmms[0]!;
  let out = '';
  vmm.attachConsole({ transmit: (b) => (out += String.fromCharCode(b)) });
  const uart = vmm.consoleDevice!;
  let seen = 0;
  const waitFor = (pattern: string): string => {
    for (let i = 0; i < 400; i++) {
      const at = out.indexOf(pattern, seen);
      if (at >= 0) {
        const text = out.slice(seen, at + pattern.length);
        seen = at + pattern.length;
        return text;
      }
      built.machine.run({ maxTimeNs: 2e7 });
    }
    throw new Error(`U-Boot did not print ${JSON.stringify(pattern)}; it printed:\n${out.slice(seen)}`);
  };
  const type = (text: string) => {
    for (const ch of text) {
      for (let i = 0; i < 100 && !uart.canReceive(); i++) built.machine.run({ maxTimeNs: 1e5 });
      uart.receive(ch.charCodeAt(0));
    }
  };
  const banner = waitFor('Hit any key to stop autoboot: ');
  t.regex(banner, /U-Boot 2023\.01/);
  t.regex(banner, /DRAM:  128 MiB/);
  type(' ');
  waitFor('\n=> ');
  type('version\r');
  const version = waitFor('\n=> ').replace(/\r/g, '');
  const oracle = readFileSync(resolve('..', 'shared', 'oracle', 'arm-virt', 'transcript.txt'), 'latin1').replace(/\r/g, '');
  const start = oracle.indexOf('=> version\n') + '=> version\n'.length;
  const expected = oracle.slice(start, oracle.indexOf('\n=> ', start) + 1);
  t.true(expected.startsWith('U-Boot 2023.01'));
  t.is(version, `version\n${expected}=> `);
  type('poweroff\r');
  for (let i = 0; i < 100 && built.vms!.manager.state('uboot') !== 'powered-off'; i++) built.machine.run({ maxTimeNs: 2e7 });
  t.is(built.vms!.manager.state('uboot'), 'powered-off');
  // The host kernel was not stopped by it: it went on to the end of its tasks and stays up.
  const r = built.machine.run({ maxTimeNs: 1e8 });
  t.not(r.kind, 'poweroff');
  t.regex(host, /All tasks finished; the host stays up/);
  t.regex(host, /\[task 1\] done: /);
});
