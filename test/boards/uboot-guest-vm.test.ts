import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ArmVgic } from '../../cores/arm/guest/ArmVgic.ts';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { uBootImage } from './DebianUBoot.ts';

/**
 * Debian's U-Boot for QEMU's virt machine as a guest: a <vm> whose tree
 * includes dts/arm/qemu-virt.xml (GIC → the in-kernel vGIC, its flash as
 * read-only memory slots it executes from, PL011, fw-cfg, PCIe, …) in
 * test/boards/fixtures/uboot-guest.xml. It boots to its prompt, answers
 * `version` as under QEMU (../shared/oracle/arm-virt/transcript.txt), and its
 * `poweroff` (PSCI SYSTEM_OFF over HVC) ends its VM only.
 *
 * The fixture's host runs U-Boot as well; here the host gets a two-word
 * firmware that waits in WFI forever, so that the run is the guest's.
 */
const FIXTURE = resolve('test/boards/fixtures/uboot-guest.xml');

function boardWithIdleHost(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-uboot-guest-'));
  const idle = join(dir, 'idle.bin');
  // wfi; b <wfi>
  writeFileSync(idle, Uint8Array.from([0x03, 0xf0, 0x20, 0xe3, 0xfd, 0xff, 0xff, 0xea]));
  const uboot = uBootImage('qemu_arm/u-boot.bin');
  const lines = readFileSync(FIXTURE, 'utf8').replaceAll('href="../../../dts/', `href="${resolve('dts')}/`).split('\n');
  const hostFirmware = lines.findIndex((l) => l.includes('<firmware'));
  lines[hostFirmware] = lines[hostFirmware].replace(/bin="[^"]*"/, `bin="${idle}"`);
  const text = lines.join('\n').replaceAll('bin="/usr/lib/u-boot/qemu_arm/u-boot.bin"', `bin="${uboot}"`);
  const path = join(dir, 'uboot-guest.xml');
  writeFileSync(path, text);
  return path;
}

test('U-Boot boots as a guest on the vGIC, answers version, and its poweroff ends only its VM', (t) => {
  const { board, diagnostics } = loadBoard(boardWithIdleHost());
  if (board === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const built = buildMachine(board);
  const vmm = built.vms!.vmms[0];
  t.true(vmm.vm.irqChip instanceof ArmVgic, 'the qemu-virt GIC node gives the VM the vGIC');
  let out = '';
  vmm.attachConsole({ transmit: (b) => (out += String.fromCharCode(b)) });
  const uart = vmm.consoleDevice!;
  let seen = 0;
  /** Run until the guest prints `pattern` after what was already looked at; the text up to it. */
  const waitFor = (pattern: string, chunks = 200): string => {
    for (let i = 0; i < chunks; i++) {
      const at = out.indexOf(pattern, seen);
      if (at >= 0) {
        const text = out.slice(seen, at + pattern.length);
        seen = at + pattern.length;
        return text;
      }
      const r = built.machine.run({ maxTimeNs: 2e7 });
      if (r.kind === 'poweroff') break;
    }
    throw new Error(`the guest did not print ${JSON.stringify(pattern)}; it printed:\n${out.slice(seen)}`);
  };
  const type = (text: string) => {
    for (const ch of text) {
      for (let i = 0; i < 100 && !uart.canReceive(); i++) built.machine.run({ maxTimeNs: 1e5 });
      uart.receive(ch.charCodeAt(0));
      built.machine.run({ maxTimeNs: 1e5 });
    }
  };
  const banner = waitFor('Hit any key to stop autoboot: ');
  t.regex(banner, /U-Boot 2023\.01\+dfsg-2\+deb12u3 \(Jun 22 2026 - 08:38:07 \+0000\)/);
  t.regex(banner, /DRAM:  128 MiB/);
  t.regex(banner, /Flash: 64 MiB/, 'CFI flash probed through MMIO exits while out of array mode');
  type(' ');
  waitFor('\n=> ');
  type('version\r');
  const version = waitFor('\n=> ').replace(/\r/g, '');
  const oracle = readFileSync(resolve('..', 'shared', 'oracle', 'arm-virt', 'transcript.txt'), 'latin1').replace(/\r/g, '');
  const expected = oracle.slice(oracle.indexOf('=> version\n') + 11, oracle.indexOf('\n=> ', oracle.indexOf('=> version\n')) + 1);
  t.true(expected.length > 0, 'the oracle transcript has version\'s answer');
  t.is(version.slice(version.indexOf('\n') + 1, version.length - 3), expected, 'the same answer as under QEMU');
  type('poweroff\r');
  const result = built.machine.run({ maxTimeNs: 1e8 });
  t.is(vmm.vm.systemEvent, 1, 'PSCI SYSTEM_OFF: a shutdown event of the VM');
  t.regex(built.vms!.manager.status()[0].state, /powered-off/);
  t.not(result.kind, 'poweroff', 'the host machine was not powered off');
});
