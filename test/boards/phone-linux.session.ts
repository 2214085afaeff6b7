import { join } from 'node:path';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { describeVms } from '../../src/board/VmBuilder.ts';
import type { Vmm } from '../../src/hv/Vmm.ts';
import { repoRoot } from '../cli/CliRunner.ts';
import { debianLinuxArm } from './DebianLinux.ts';

/**
 * Boots Debian's kernel in both VMs of boards/phone-linux.xml, types the
 * commands of phone-linux.test.ts at each busybox shell, powers them off and
 * prints what it saw as one JSON line (run without coverage: see UncoveredRun.ts).
 */
const PROMPT = /\n[~/][^\n]*# (\x1b\[6n)?$/;
export const COMMANDS = [
  'uname -a',
  'grep -E "^(model name|Features|CPU part)" /proc/cpuinfo',
  `awk 'BEGIN { x = 0; for (i = 1; i <= 20; i++) x += 1 / (i * i); printf "%.9f %.17g\\n", x, 0.1 + 0.2 }'`,
];

interface Guest {
  readonly vmm: Vmm;
  text: string;
  readonly answers: string[];
}


function run() {
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
  return { guests, summary: describeVms(built.vms), exit };
}

if (process.argv[1]?.endsWith('phone-linux.session.ts')) {
  const r = run();
  const guests = Object.fromEntries([...r.guests].map(([name, g]) => [name, { text: g.text, answers: g.answers }]));
  console.log(JSON.stringify({ guests, summary: r.summary, exit: r.exit }));
}
