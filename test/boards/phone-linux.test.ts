import test from 'ava';
import { join } from 'node:path';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { describeVms } from '../../src/board/VmBuilder.ts';
import type { Vmm } from '../../src/hv/Vmm.ts';
import { repoRoot } from '../cli/CliRunner.ts';
import { debianLinuxArm } from './DebianLinux.ts';

/**
 * Debian's armhf kernel and our busybox initramfs as guests on the phone
 * (boards/phone-linux.xml): one VM under nested paging, one under shadow
 * paging, beside the phone's host kernel. Both shells are driven through
 * their own PL011 and must give the same answers; the run's summary shows
 * each VM's exits and paging counters.
 */
const PROMPT = /\n[~/][^\n]*# (\x1b\[6n)?$/;
const COMMANDS = [
  'uname -a',
  'grep -E "^(model name|Features|CPU part)" /proc/cpuinfo',
  `awk 'BEGIN { x = 0; for (i = 1; i <= 20; i++) x += 1 / (i * i); printf "%.9f %.17g\\n", x, 0.1 + 0.2 }'`,
];

interface Guest {
  readonly vmm: Vmm;
  text: string;
  readonly answers: string[];
}

let result: { guests: Map<string, Guest>; summary: string[]; exit: unknown } | undefined;

function run() {
  if (result) return result;
  debianLinuxArm();
  const { board, diagnostics } = loadBoard(join(repoRoot, 'boards', 'phone-linux.xml'));
  if (board === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const built = buildMachine(board);
  const guests = new Map<string, Guest>();
  for (const vmm of built.vms!.vmms) guests.set(vmm.vm.name, { vmm, text: '', answers: [] });
  // Each guest's console straight into its own text (the CLI prefixes lines with the VM's name instead).
  for (const g of guests.values()) g.vmm.attachConsole({ transmit: (b) => (g.text += String.fromCharCode(b)) });
  const typing = new Map<string, number[]>();
  const send = (name: string, text: string) => typing.set(name, [...(typing.get(name) ?? []), ...Buffer.from(text)]);
  const feed = () => {
    for (const [name, bytes] of typing) {
      const uart = guests.get(name)!.vmm.consoleDevice!;
      while (bytes.length > 0 && uart.canReceive()) uart.receive(bytes.shift()!);
    }
  };
  // Per guest: wait for the shell, then each command between markers, then poweroff -f (the shadow guest first:
  // the nested one has ends-run="true" and takes the run with it).
  const script = new Map<string, string[]>([...guests.keys()].map((n) => [n, [...COMMANDS]]));
  const seen = new Map<string, number>([...guests.keys()].map((n) => [n, 0]));
  const ready = new Set<string>();
  const poweredOffSent = new Set<string>();
  let exit: unknown;
  for (let slice = 0; slice < 4000 && exit === undefined; slice++) {
    feed();
    const r = built.machine.run({ maxTimeNs: 20_000_000 });
    if (r.kind !== 'limit') exit = r;
    for (const [name, g] of guests) {
      const text = g.text.replace(/\r/g, '');
      if (!PROMPT.test(text) || text.length === seen.get(name)) continue;
      seen.set(name, text.length);
      // The answer to the last command: between the last markers, before this prompt.
      const answered = /\n==BEGIN==\n((?:(?!==BEGIN==)[\s\S])*?)==END==\n[^\n]*$/.exec(text);
      if (answered && g.answers.length < COMMANDS.length) g.answers.push(answered[1]!);
      const next = script.get(name)!.shift();
      if (next !== undefined) send(name, `echo "==BE""GIN=="; ${next}; echo "==E""ND=="\n`);
      else ready.add(name);
    }
    const powerOff = (name: string) => {
      if (poweredOffSent.has(name)) return;
      poweredOffSent.add(name);
      send(name, 'poweroff -f\n');
    };
    if (ready.has('linux-shadow')) powerOff('linux-shadow');
    if (ready.has('linux-nested') && built.vms!.manager.state('linux-shadow') === 'powered-off') powerOff('linux-nested');
  }
  result = { guests, summary: describeVms(built.vms), exit };
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
