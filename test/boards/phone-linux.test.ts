import test from 'ava';
import { runUncovered } from './UncoveredRun.ts';
import { COMMANDS } from './phone-linux.session.ts';

/**
 * Debian's armhf kernel and our busybox initramfs as guests on the phone
 * (boards/phone-linux.xml): one VM under nested paging, one under shadow
 * paging, beside the phone's host kernel. Both shells are driven through
 * their own PL011 and must give the same answers; the run's summary shows
 * each VM's exits and paging counters (phone-linux.session.ts, run in a child
 * process without coverage: see UncoveredRun.ts).
 */
interface Guest {
  readonly text: string;
  readonly answers: string[];
}
let result: { guests: Map<string, Guest>; summary: string[]; exit: unknown } | undefined;
function run() {
  if (result) return result;
  const r = runUncovered<{ guests: Record<string, Guest>; summary: string[]; exit: unknown }>('test/boards/phone-linux.session.ts');
  result = { ...r, guests: new Map(Object.entries(r.guests)) };
  return result;
}

test('the kernel boots in both VMs to the busybox shell, one CPU each, beside the host kernel', (t) => {
  const { guests } = run();
  for (const [name, g] of guests) {
    t.regex(g.text, /Linux version 6\.1\.0-\d+-armmp/, name);
    t.regex(g.text, /tskvm-initramfs: Linux 6\.1\.0-\d+-armmp on armv7l, 1 CPU\(s\)/, name);
    t.notRegex(g.text, /Kernel panic|Oops|BUG:/, name);
  }
});

test('nested and shadow paging give the same shell answers', (t) => {
  const { guests } = run();
  const nested = guests.get('linux-nested')!.answers;
  const shadow = guests.get('linux-shadow')!.answers;
  t.is(nested.length, COMMANDS.length, guests.get('linux-nested')!.text.slice(-2000));
  t.deepEqual(shadow, nested);
  t.regex(nested[0]!, /^Linux \(none\) 6\.1\.0-\d+-armmp #1 SMP Debian .* armv7l GNU\/Linux\n$/);
  t.regex(nested[1]!, /model name\s+: ARMv7 Processor rev 1 \(v7l\)\nFeatures\s+: .*\bneon\b.*\bvfpv3\b/);
  t.is(nested[2], '1.596163244 0.30000000000000004\n');
});

test('poweroff -f ends each VM alone; the nested one (ends-run) ends the run; the summary shows each VM\'s exits and paging counters', (t) => {
  const { summary, exit } = run();
  t.like(exit, { kind: 'poweroff', exitCode: 0 });
  t.regex(summary[0]!, /^vm linux-nested: powered-off .*; \d+ instructions; exits: .*mmio \d+.*; nested paging: \d+ walks, \d+\.\d\d references\/walk, [1-9]\d* stage-2 faults$/);
  t.regex(summary[1]!, /^vm linux-shadow: powered-off .*; \d+ instructions; exits: .*mmio \d+.*; shadow paging: [1-9]\d* fills, [1-9]\d* syncs, \d+ zaps, [1-9]\d* write-protect faults$/);
});
