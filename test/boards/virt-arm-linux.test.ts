import test from 'ava';
import { join } from 'node:path';
import { repoRoot } from '../cli/CliRunner.ts';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { debianLinuxArm } from './DebianLinux.ts';

/**
 * Debian 12's armhf kernel (linux-image-6.1.0-*-armmp) with a busybox
 * initramfs boots on boards/virt-arm-linux.xml (QEMU's virt, two Cortex-A15
 * cores, 512 MiB) to a shell, as it does under qemu-system-arm -M virt -cpu
 * cortex-a15 -smp 2. One boot serves every test; commands are typed at the
 * shell prompt as a user would.
 */
const strip = (s: string) => s.replace(/\r/g, '');
// busybox ash's prompt; its line editor then asks the terminal where the cursor is (ESC [ 6 n).
const PROMPT = /\n[~/][^\n]*# (\x1b\[6n)?$/;

interface Boot {
  session: BoardSession;
  log: string;
  answers: Map<string, string>;
  exit: { kind: string; exitCode?: number };
  instructions: number;
}
let booted: Boot | undefined;
function boot(): Boot {
  if (booted) return booted;
  debianLinuxArm(); // fetch kernel and initramfs into .cache/linux-arm/ if they are not there yet
  const session = BoardSession.open(join(repoRoot, 'boards', 'virt-arm-linux.xml'));
  const log = strip(session.waitFor('tskvm-initramfs:', { maxTimeNs: 30e9 }) + session.waitFor(PROMPT, { maxTimeNs: 10e9 }));
  const answers = new Map<string, string>();
  const commands = [
    'uname -a',
    'cat /proc/cpuinfo',
    'cat /proc/interrupts',
    // Floating point through busybox awk (Debian's busybox-static has no libm functions such as
    // sqrt, so: the four operations, formatting and conversion) — VFP in the kernel's eyes, NEON in
    // the C library's string functions.
    `awk 'BEGIN { x = 0; for (i = 1; i <= 20; i++) x += 1 / (i * i); printf "%.9f %.6e %d %.17g\\n", x, x * 1e10, -7.5, 0.1 + 0.2 }'`,
    'cat /sys/class/rtc/rtc0/since_epoch',
  ];
  for (const c of commands) {
    // Markers around the answer, quoted so that the shell's echo of the typed line never holds them
    // (a long line is wrapped by busybox's line editor, so "the echo is the first line" does not hold).
    session.send(`echo "==BE""GIN=="; ${c}; echo "==E""ND=="\n`);
    const out = strip(session.waitFor(PROMPT, { maxTimeNs: 10e9 }));
    const m = /\n==BEGIN==\n([\s\S]*?)==END==\n/.exec(out);
    if (m === null) throw new Error(`no answer to ${c} in:\n${out}`);
    answers.set(c, m[1]!);
  }
  session.send('poweroff -f\n');
  const result = session.runToEnd({ maxTimeNs: 10e9 });
  booted = { session, log, answers, exit: result as Boot['exit'], instructions: session.instructions };
  return booted;
}

test('the kernel boots: Linux version 6.1, both CPUs up, the initramfs runs /init on the PL011 console', (t) => {
  const { log } = boot();
  t.regex(log, /Linux version 6\.1\.0-\d+-armmp .*#1 SMP Debian 6\.1\./);
  t.regex(log, /CPU: ARMv7 Processor \[412fc0f1\] revision 1 \(ARMv7\)/);
  t.regex(log, /smp: Brought up 1 node, 2 CPUs/);
  t.regex(log, /9000000\.pl011: ttyAMA0 at MMIO 0x9000000 \(irq = \d+, base_baud = 0\) is a PL011 rev1/);
  t.regex(log, /Run \/init as init process/);
  t.regex(log, /tskvm-initramfs: Linux 6\.1\.0-\d+-armmp on armv7l, 2 CPU\(s\)/);
  t.notRegex(log, /Kernel panic|Oops|BUG:/);
});

test('uname -a names the kernel and the machine', (t) => {
  t.regex(boot().answers.get('uname -a')!, /^Linux \(none\) 6\.1\.0-\d+-armmp #1 SMP Debian 6\.1\.\S+ \(\d{4}-\d\d-\d\d\) armv7l GNU\/Linux\n/);
});

test('/proc/cpuinfo: two ARMv7 processors with vfpv3 and neon, as a Cortex-A15', (t) => {
  const info = boot().answers.get('cat /proc/cpuinfo')!;
  t.is(info.match(/^processor\s+: \d/gm)?.length, 2);
  t.regex(info, /model name\s+: ARMv7 Processor rev 1 \(v7l\)/);
  const features = /^Features\s+: (.*)$/m.exec(info)?.[1]?.split(' ') ?? [];
  for (const f of ['half', 'thumb', 'fastmult', 'vfp', 'edsp', 'neon', 'vfpv3', 'tls', 'vfpv4', 'idiva', 'idivt', 'vfpd32', 'lpae']) {
    t.true(features.includes(f), `Features has ${f}: ${features.join(' ')}`);
  }
  t.regex(info, /CPU implementer\s+: 0x41\nCPU architecture: 7\nCPU variant\s+: 0x2\nCPU part\s+: 0xc0f\nCPU revision\s+: 1/);
});

test('/proc/interrupts: the arch timer counts on both CPUs', (t) => {
  const lines = boot().answers.get('cat /proc/interrupts')!.split('\n');
  t.regex(lines[0]!, /^\s+CPU0\s+CPU1\s*$/);
  const timer = lines.find((l) => /arch_timer/.test(l));
  t.truthy(timer, lines.join('\n'));
  const [cpu0, cpu1] = /^\s*\d+:\s+(\d+)\s+(\d+)/.exec(timer!)!.slice(1).map(Number) as [number, number];
  t.true(cpu0 > 0 && cpu1 > 0, timer);
});

test('floating point through busybox awk gives the IEEE answers', (t) => {
  const out = boot().answers.get([...boot().answers.keys()][3]!)!;
  // The sum of 1/i² for i = 1..20, the same times 1e10, %d of -7.5 (truncated toward zero), and
  // 0.1 + 0.2 to 17 digits: the double nearest to it is 0.30000000000000004 under IEEE 754.
  t.is(out, '1.596163244 1.596163e+10 -7 0.30000000000000004\n');
});

test('the PL031 gives the kernel the time: the board\'s start time (2024-01-01 00:00 UTC) plus the virtual seconds since reset', (t) => {
  const { answers, session } = boot();
  const seconds = Number(answers.get('cat /sys/class/rtc/rtc0/since_epoch')!.trim());
  t.true(seconds >= 1704067200 && seconds <= 1704067200 + Math.ceil(session.machine.clock.now / 1e9), String(seconds));
});

test('poweroff -f ends the run with exit code 0 (PSCI SYSTEM_OFF)', (t) => {
  const { exit } = boot();
  t.is(exit.kind, 'poweroff');
  t.is(exit.exitCode, 0);
});
