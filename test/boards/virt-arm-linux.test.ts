import test from 'ava';
import { runUncovered } from './UncoveredRun.ts';
import { COMMANDS } from './virt-arm-linux.session.ts';

/**
 * Debian 12's armhf kernel (linux-image-6.1.0-*-armmp) with a busybox
 * initramfs boots on boards/virt-arm-linux.xml (QEMU's virt, two Cortex-A15
 * cores, 512 MiB) to a shell, as it does under qemu-system-arm -M virt -cpu
 * cortex-a15 -smp 2. One boot serves every test; commands are typed at the
 * shell prompt as a user would (virt-arm-linux.session.ts, run in a child
 * process without coverage: see UncoveredRun.ts).
 */

interface Boot {
  log: string;
  answers: Map<string, string>;
  exit: { kind: string; exitCode?: number };
  virtualSecondsAtShell: number;
  instructions: number;
}
let booted: Boot | undefined;
function boot(): Boot {
  if (booted) return booted;
  const r = runUncovered<{ log: string; answers: string[]; exit: Boot['exit']; virtualSecondsAtShell: number; instructions: number }>('test/boards/virt-arm-linux.session.ts');
  booted = { ...r, answers: new Map(COMMANDS.map((c, i) => [c, r.answers[i]!])) };
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
  const { answers, virtualSecondsAtShell } = boot();
  const seconds = Number(answers.get('cat /sys/class/rtc/rtc0/since_epoch')!.trim());
  t.true(seconds >= 1704067200 && seconds <= 1704067200 + Math.ceil(virtualSecondsAtShell) + 1, String(seconds));
});

test('poweroff -f ends the run with exit code 0 (PSCI SYSTEM_OFF)', (t) => {
  const { exit } = boot();
  t.is(exit.kind, 'poweroff');
  t.is(exit.exitCode, 0);
});
