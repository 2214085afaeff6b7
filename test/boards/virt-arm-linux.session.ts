import { join } from 'node:path';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { repoRoot } from '../cli/CliRunner.ts';
import { debianLinuxArm } from './DebianLinux.ts';

/**
 * Boots Debian's kernel on boards/virt-arm-linux.xml, types the commands of
 * virt-arm-linux.test.ts at the busybox shell, powers off, and prints what it
 * saw as one JSON line (run without coverage: see UncoveredRun.ts).
 */
const strip = (s: string) => s.replace(/\r/g, '');
// busybox ash's prompt; its line editor then asks the terminal where the cursor is (ESC [ 6 n).
const PROMPT = /\n[~/][^\n]*# (\x1b\[6n)?$/;
export const COMMANDS = [
  'uname -a',
  'cat /proc/cpuinfo',
  'cat /proc/interrupts',
  // Floating point through busybox awk (Debian's busybox-static has no libm functions such as
  // sqrt, so: the four operations, formatting and conversion) — VFP in the kernel's eyes, NEON in
  // the C library's string functions.
  `awk 'BEGIN { x = 0; for (i = 1; i <= 20; i++) x += 1 / (i * i); printf "%.9f %.6e %d %.17g\\n", x, x * 1e10, -7.5, 0.1 + 0.2 }'`,
  'cat /sys/class/rtc/rtc0/since_epoch',
];

if (process.argv[1]?.endsWith('virt-arm-linux.session.ts')) {
  debianLinuxArm(); // fetch kernel and initramfs into .cache/linux-arm/ if they are not there yet
  const session = BoardSession.open(join(repoRoot, 'boards', 'virt-arm-linux.xml'));
  const log = strip(session.waitFor('tskvm-initramfs:', { maxTimeNs: 30e9 }) + session.waitFor(PROMPT, { maxTimeNs: 10e9 }));
  const answers: string[] = [];
  for (const c of COMMANDS) {
    // Markers around the answer, quoted so that the shell's echo of the typed line never holds them
    // (a long line is wrapped by busybox's line editor, so "the echo is the first line" does not hold).
    session.send(`echo "==BE""GIN=="; ${c}; echo "==E""ND=="\n`);
    const out = strip(session.waitFor(PROMPT, { maxTimeNs: 10e9 }));
    const m = /\n==BEGIN==\n([\s\S]*?)==END==\n/.exec(out);
    if (m === null) throw new Error(`no answer to ${c} in:\n${out}`);
    answers.push(m[1]!);
  }
  const virtualSecondsAtShell = session.machine.clock.now / 1e9;
  session.send('poweroff -f\n');
  const exit = session.runToEnd({ maxTimeNs: 10e9 });
  console.log(JSON.stringify({ log, answers, exit: { kind: exit.kind, exitCode: (exit as { exitCode?: number }).exitCode }, virtualSecondsAtShell, instructions: session.instructions }));
}
