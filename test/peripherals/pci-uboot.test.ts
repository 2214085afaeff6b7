import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../cli/CliRunner.ts';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { uBootImage } from '../boards/DebianUBoot.ts';

/**
 * Debian's U-Boot on boards/virt-arm.xml finds the PCIe host as it does under
 * QEMU: the same device and uclass counts in the banner, the same early
 * malloc use, and the same answers to its `pci` commands and to raw reads of
 * the ECAM and the empty windows, including after it writes config registers.
 * The expected text is test/peripherals/fixtures/qemu-arm-virt-uboot-pci.txt,
 * recorded under QEMU with scripts/record-qemu-uboot-pci.exp.
 */

const PROMPT = '=> ';
// The file starts with comment lines saying how it was recorded ("#   Bus start" further down is U-Boot's).
const recorded = readFileSync(join(repoRoot, 'test', 'peripherals', 'fixtures', 'qemu-arm-virt-uboot-pci.txt'), 'latin1')
  .replace(/^(#.*\n)+/, '');

/** The transcript's banner (up to the countdown) and each command with its answer, in order. */
function parse(transcript: string) {
  const countdown = transcript.indexOf('Hit any key to stop autoboot: ');
  const banner = transcript.slice(0, countdown);
  const commands: Array<{ command: string; answer: string }> = [];
  const parts = transcript.slice(transcript.indexOf(`\n${PROMPT}`) + 1).split(`\n${PROMPT}`);
  parts[0] = parts[0].slice(PROMPT.length);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    commands.push({ command: nl < 0 ? part : part.slice(0, nl), answer: nl < 0 ? '' : part.slice(nl + 1) + '\n' });
  }
  return { banner, commands };
}

const expected = parse(recorded);

interface Run { banner: string; answers: Map<string, string>; session: BoardSession }
let run: Run | undefined;
function boot(): Run {
  if (run) return run;
  const session = BoardSession.open(join(repoRoot, 'boards', 'virt-arm.xml'), { firmware: uBootImage('qemu_arm/u-boot.bin') });
  const strip = (s: string) => s.replace(/\r/g, '');
  const banner = strip(session.waitFor('Hit any key to stop autoboot: ', { maxTimeNs: 5e9 })).replace(/Hit any key to stop autoboot: $/, '');
  session.send(' ');
  session.waitFor(`\n${PROMPT}`);
  const answers = new Map<string, string>();
  // Typed at each prompt, as the recording did; poweroff is left for its own test.
  for (const { command } of expected.commands.filter((c) => c.command !== 'poweroff')) {
    session.send(`${command}\r`);
    const out = strip(session.waitFor(`\n${PROMPT}`, { maxTimeNs: 10e9 }));
    answers.set(command, out.slice(out.indexOf('\n') + 1, out.length - PROMPT.length));
  }
  run = { banner, answers, session };
  return run;
}

test('the recording holds the commands this test relies on', (t) => {
  const names = expected.commands.map((c) => c.command);
  for (const c of ['bdinfo', 'pci', 'pci long', 'pci regions', 'pci display.l 0.0.0 0 0x40', 'md.l 0x3f008000 4', 'poweroff']) {
    t.true(names.includes(c), c);
  }
  t.regex(expected.banner, /^Core: {2}47 devices, 13 uclasses, devicetree: board$/m);
});

test('the banner counts the PCIe host among the devices and uclasses, as under QEMU', (t) => {
  t.is(boot().banner, expected.banner);
});

test('bdinfo, early malloc use included, is what QEMU shows', (t) => {
  const want = expected.commands.find((c) => c.command === 'bdinfo')!.answer;
  t.regex(want, /^Early malloc usage: 1ec \/ 2000$/m);
  t.is(boot().answers.get('bdinfo'), want);
});

test('the pci commands and ECAM/window reads answer exactly as under QEMU', (t) => {
  const { answers } = boot();
  for (const { command, answer } of expected.commands) {
    if (command === 'poweroff' || command === 'bdinfo') continue;
    t.is(answers.get(command), answer, command);
  }
});

test('poweroff still ends the run after PCI config writes', (t) => {
  const { session } = boot();
  session.send('poweroff\r');
  const r = session.runToEnd({ maxTimeNs: 5e9 });
  t.is(r.kind, 'poweroff');
});
