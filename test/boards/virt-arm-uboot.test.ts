import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { repoRoot, runCli } from '../cli/CliRunner.ts';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { uBootImage } from './DebianUBoot.ts';

/**
 * Debian's U-Boot for QEMU's virt machine boots on boards/virt-arm.xml as it
 * does under QEMU, stops autoboot on a key, answers commands at its prompt
 * exactly as it does under QEMU, and `poweroff` ends the run with exit code 0
 * (PSCI SYSTEM_OFF). The expected text is what QEMU showed:
 * ../shared/oracle/arm-virt/transcript.txt (boot, version, bdinfo, coninfo)
 * and test/boards/fixtures/qemu-arm-virt-uboot-commands.txt, recorded with
 * scripts/record-qemu-uboot-transcript.exp (md, crc32, setexpr, itest, flinfo).
 */
const strip = (s: string) => s.replace(/\r/g, '');
const oracle = strip(readFileSync(join(repoRoot, '..', 'shared', 'oracle', 'arm-virt', 'transcript.txt'), 'latin1'));
const recorded = strip(readFileSync(join(repoRoot, 'test', 'boards', 'fixtures', 'qemu-arm-virt-uboot-commands.txt'), 'latin1'));

/** Output of `command` in a transcript: from after its echo line to the next prompt. */
function section(transcript: string, command: string): string | undefined {
  const start = transcript.indexOf(`=> ${command}\n`);
  if (start < 0) return undefined;
  const body = start + command.length + 4;
  const end = transcript.indexOf('\n=> ', body - 1) + 1;
  return transcript.slice(body, end <= 0 ? undefined : end);
}

// One boot shared by the tests: commands are typed at each prompt, as a user (or QEMU's
// expect script) does; U-Boot reads type-ahead as Ctrl-C checks, so it is not sent early.
interface Boot {
  banner: string;
  answers: Map<string, string>;
  session: BoardSession;
  instructionsToCountdown: number;
  instructionsToPrompt: number;
}
let booted: Boot | undefined;
function boot(): Boot {
  if (booted) return booted;
  const session = BoardSession.open(join(repoRoot, 'boards', 'virt-arm.xml'), { firmware: uBootImage('qemu_arm/u-boot.bin') });
  const banner = strip(session.waitFor('Hit any key to stop autoboot: ', { maxTimeNs: 5e9 })).replace(/Hit any key to stop autoboot: $/, '');
  const instructionsToCountdown = session.instructionsAtLastOutput;
  session.send(' ');
  strip(session.waitFor('\n=> '));
  const instructionsToPrompt = session.instructionsAtLastOutput;
  const answers = new Map<string, string>();
  const commands = [
    'version', 'bdinfo', 'coninfo', 'md.l 0x0 4', 'crc32 0x0 0x1000', 'setexpr sum 0x1234 + 0x0ff0',
    'echo sum=${sum}', 'itest.l 0x10 -lt 0x20 && echo lt-yes', 'itest 5 == 6 || echo eq-no', 'flinfo',
  ];
  for (const c of commands) {
    session.send(`${c}\r`);
    // The prompt starts a line ("==> " inside crc32's answer is not one).
    const out = strip(session.waitFor('\n=> ', { maxTimeNs: 10e9 }));
    // The echo of the typed command, then its output, then the next prompt.
    answers.set(c, out.slice(out.indexOf('\n') + 1, out.length - 3));
  }
  booted = { banner, answers, session, instructionsToCountdown, instructionsToPrompt };
  return booted;
}

test('the banner and boot messages match QEMU', (t) => {
  const { banner } = boot();
  const expected = oracle.slice(0, oracle.indexOf('Hit any key to stop autoboot: '));
  t.is(banner, expected);
});

test('version and coninfo answer exactly as under QEMU', (t) => {
  const { answers } = boot();
  for (const c of ['version', 'coninfo']) t.is(answers.get(c), section(oracle, c), c);
});

test('bdinfo shows the same RAM, flash, relocation, DTB and stack layout as under QEMU', (t) => {
  const got = boot().answers.get('bdinfo')!;
  const want = section(oracle, 'bdinfo')!;
  t.is(got, want);
});

test('md, crc32, setexpr, itest and flinfo answer exactly as under QEMU', (t) => {
  const { answers } = boot();
  for (const c of ['md.l 0x0 4', 'crc32 0x0 0x1000', 'setexpr sum 0x1234 + 0x0ff0', 'echo sum=${sum}',
    'itest.l 0x10 -lt 0x20 && echo lt-yes', 'itest 5 == 6 || echo eq-no', 'flinfo']) {
    t.is(answers.get(c), section(recorded, c), c);
  }
});

test('crc32 over flash is the CRC-32 of the image U-Boot runs from', (t) => {
  const image = readFileSync(uBootImage('qemu_arm/u-boot.bin'));
  const want = crc32(image.subarray(0, 0x1000)).toString(16).padStart(8, '0');
  t.is(boot().answers.get('crc32 0x0 0x1000'), `crc32 for 00000000 ... 00000fff ==> ${want}\n`);
});

test('the countdown appears after about as many instructions as under QEMU', (t) => {
  // QEMU: "Hit any key…" complete at 28,440,679 instructions (oracle icount.txt). Delay loops
  // poll the generic timer, whose rate against instructions differs from QEMU's wall-clock
  // timer, so the counts differ a little; a large difference means missed work or a stuck loop.
  const n = boot().instructionsToCountdown;
  t.log(`instructions to the countdown: ${n} (QEMU 28,440,679)`);
  t.true(n > 0.8 * 28_440_679 && n < 1.25 * 28_440_679, `${n}`);
});

test('a key typed when the countdown appears stops it at once, as under QEMU', (t) => {
  // QEMU's driver typed the key as the message appeared; the prompt followed 1,450 instructions
  // after it (28,440,679 → 28,442,129, oracle icount.txt): U-Boot's first tstc() saw the key
  // before any delay loop. waitFor stops right after the instruction that printed the text.
  const { instructionsToCountdown, instructionsToPrompt } = boot();
  const gap = instructionsToPrompt - instructionsToCountdown;
  t.log(`countdown ${instructionsToCountdown}, prompt ${instructionsToPrompt} (QEMU 28,440,679 and 28,442,129)`);
  t.true(gap > 0 && gap < 20_000, `${gap} instructions between the countdown and the prompt`);
});

test('poweroff ends the run: PSCI SYSTEM_OFF with exit code 0', (t) => {
  const { session } = boot();
  session.send('poweroff\r');
  const r = session.runToEnd({ maxTimeNs: 5e9 });
  t.deepEqual(r.kind, 'poweroff');
  t.is(r.kind === 'poweroff' ? r.exitCode : -1, 0);
});

test('the CLI runs U-Boot with piped input and exits 0 on poweroff', (t) => {
  const r = runCli(['run', 'boards/virt-arm.xml', '--firmware', uBootImage('qemu_arm/u-boot.bin'), '--max-time', '30s'], {
    input: ' version\rpoweroff\r',
  });
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /=> version\r?\nU-Boot 2023\.01/);
  t.regex(r.stderr, /PSCI SYSTEM_OFF/);
});

test('saveenv writes the environment to flash; it survives a reset (PSCI SYSTEM_RESET)', (t) => {
  // QEMU 7.2's pflash model answers U-Boot's buffered write with a timeout here ("Flash buffer
  // write timeout at address 4000000", saveenv "Failed (1)"); Intel's buffered program (0xe8)
  // completes on real parts, and so it does here. One place tskvm deliberately differs.
  const s = BoardSession.open(join(repoRoot, 'boards', 'virt-arm.xml'), { firmware: uBootImage('qemu_arm/u-boot.bin') });
  s.waitFor('Hit any key to stop autoboot: ', { maxTimeNs: 5e9 });
  s.send(' ');
  s.waitFor('\n=> ');
  s.send('setenv board tskvm\r');
  s.waitFor('\n=> ');
  s.send('saveenv\r');
  const saved = strip(s.waitFor('\n=> '));
  t.regex(saved, /Erasing Flash\.\.\.\n\.\. done\nErased 2 sectors\nWriting to Flash\.\.\. done\nProtected 2 sectors\nOK\n/);
  s.send('reset\r');
  const again = strip(s.waitFor('Hit any key to stop autoboot: ', { maxTimeNs: 5e9 }));
  t.regex(again, /resetting \.\.\./);
  t.regex(again, /Loading Environment from Flash\.\.\. OK\n/);
  t.is(s.machine.resetCount, 1);
  s.send(' ');
  s.waitFor('\n=> ');
  s.send('printenv board\r');
  t.regex(strip(s.waitFor('\n=> ')), /^printenv board\nboard=tskvm\n/);
});
