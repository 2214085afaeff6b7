import test from 'ava';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { runCli, repoRoot } from '../cli/CliRunner.ts';
import { uBootImage } from './DebianUBoot.ts';
import { join } from 'node:path';

/**
 * Debian's U-Boot for QEMU's virt machine boots on boards/virt-arm.xml as it
 * does under QEMU (../shared/oracle/arm-virt/transcript.txt), stops autoboot
 * on a key, answers commands at its prompt, and `poweroff` ends the run with
 * exit code 0 (PSCI SYSTEM_OFF).
 */
const oracle = readFileSync(join(repoRoot, '..', 'shared', 'oracle', 'arm-virt', 'transcript.txt'), 'latin1');

const commands = [
  'version',
  'bdinfo',
  'coninfo',
  'md.l 0x0 4',
  'crc32 0x0 0x1000',
  'setexpr sum 0x1234 + 0x0ff0',
  'echo sum=${sum}',
  'itest.l 0x10 -lt 0x20 && echo lt-yes',
  'itest 5 == 6 || echo eq-no',
  'flinfo',
  'poweroff',
];

// One run shared by the tests below: input is queued before the board starts and fed as the
// UART takes it, so the first key stops the countdown, as it does for a user at a terminal.
let run: ReturnType<typeof runCli> | undefined;
function boot() {
  run ??= runCli(['run', 'boards/virt-arm.xml', '--firmware', uBootImage('qemu_arm/u-boot.bin'), '--max-time', '60s'], {
    input: ' ' + commands.map((c) => c + '\r').join(''),
    timeoutMs: 300_000,
  });
  return run;
}

test('the banner and boot messages match QEMU line for line', (t) => {
  const r = boot();
  const banner = oracle.slice(0, oracle.indexOf('Hit any key')).split('\n').filter((l) => l.trim() !== '');
  const ours = r.stdout.replace(/\r/g, '');
  for (const line of banner) t.true(ours.includes(line.replace(/\r/g, '')), `missing line: ${line}`);
  t.regex(ours, /Hit any key to stop autoboot: {2}2/);
});

test('version, bdinfo and coninfo answer as under QEMU', (t) => {
  const out = boot().stdout.replace(/\r/g, '');
  // bdinfo shows where U-Boot relocated itself, its stack and the DTB copy: equal only when RAM,
  // the image and the DTB's total size (QEMU pads it to 1 MiB) are what QEMU gives it.
  for (const cmd of ['version', 'bdinfo', 'coninfo']) {
    const expected = section(oracle.replace(/\r/g, ''), cmd);
    const actual = section(out, cmd);
    t.truthy(expected, `oracle has no '${cmd}'`);
    t.is(actual, expected, `output of '${cmd}' differs`);
  }
});

test('md shows the flash words U-Boot runs from', (t) => {
  const image = readFileSync(uBootImage('qemu_arm/u-boot.bin'));
  const words = [0, 4, 8, 12].map((o) => image.readUInt32LE(o).toString(16).padStart(8, '0'));
  t.regex(boot().stdout, new RegExp(`00000000: ${words.join(' ')} `));
});

test('crc32 over flash equals the CRC-32 of the image U-Boot runs from', (t) => {
  const image = readFileSync(uBootImage('qemu_arm/u-boot.bin'));
  const want = crc32(image.subarray(0, 0x1000)).toString(16).padStart(8, '0');
  t.regex(boot().stdout, new RegExp(`crc32 for 00000000 \\.\\.\\. 00000fff ==> ${want}`));
});

test('setexpr and itest evaluate as U-Boot documents', (t) => {
  const out = boot().stdout;
  t.regex(out, /sum=2224/); // 0x1234 + 0x0ff0 = 0x2224, printed in hex without 0x
  t.regex(out, /lt-yes/);
  t.regex(out, /eq-no/);
});

test('flinfo shows two 64 MiB CFI banks with 256 KiB sectors', (t) => {
  const out = boot().stdout;
  t.regex(out, /Bank # 1: CFI conformant flash/);
  t.regex(out, /Size: 64 MB in 256 Sectors/);
  t.regex(out, /Intel/);
});

test('poweroff ends the run with exit code 0', (t) => {
  const r = boot();
  t.is(r.status, 0, r.stderr.slice(-2000));
  t.regex(r.stderr, /powered off/);
});

/** The output of one command: from its prompt line to the next prompt. */
function section(transcript: string, command: string): string | undefined {
  const start = transcript.indexOf(`=> ${command}\n`);
  if (start < 0) return undefined;
  const body = start + command.length + 4;
  const end = transcript.indexOf('=> ', body);
  return transcript.slice(body, end < 0 ? undefined : end);
}
