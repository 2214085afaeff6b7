import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { ConsoleSwitch } from '../../src/cli/ConsoleSwitch.ts';
import { Monitor } from '../../src/monitor/Monitor.ts';
import { MonitorLineEditor, MONITOR_PROMPT } from '../../src/monitor/MonitorLineEditor.ts';
import { runCli } from '../cli/CliRunner.ts';
import { saveSnapshotFile } from '../../src/snapshot/SnapshotOptions.ts';
import { loadMachineSnapshot } from '../../src/snapshot/MachineSnapshot.ts';
import { readSnapshotHeader } from '../../src/snapshot/SnapshotFile.ts';

const BOARDS = resolve('boards');

/** phone.xml whose guests run the CPU-bound bench firmware, so they are still running when the monitor looks. */
function busyPhone() {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-monitor-'));
  const text = readFileSync(join(BOARDS, 'phone.xml'), 'utf8')
    .replaceAll('href="../dts/', `href="${resolve('dts')}/`)
    .replaceAll(/elf="firmware\/arm\/([a-z-]+)\.elf"/g, (_m, name: string) =>
      `elf="${join(BOARDS, 'firmware/arm', name === 'phone-guest' ? 'bench' : name)}.elf"`);
  const path = join(dir, 'phone.xml');
  writeFileSync(path, text);
  const { board, diagnostics } = loadBoard(path);
  if (board === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const built = buildMachine(board);
  const vms = built.vms!;
  const consoles = new ConsoleSwitch(built.machine.console, built.consoleDevice ?? null, vms.vmms);
  let quits = 0;
  const monitor = new Monitor({
    cpus: built.cpus,
    clockNs: () => built.machine.clock.now,
    vmms: vms.vmms,
    manager: vms.manager,
    consoles: () => consoles.names,
    currentConsole: () => consoles.current,
    selectConsole: (name) => consoles.select(name),
    quit: () => quits++,
  });
  const guestInstructions = (name: string) => vms.manager.status().find((s) => s.name === name)!.instructions;
  const run = (n: number) => built.machine.run({ maxInstructions: n });
  return { built, monitor, consoles, run, guestInstructions, quits: () => quits };
}

test('info vms lists each VM with state, nice, vCPUs, memory and instructions', (t) => {
  const { monitor, run } = busyPhone();
  run(2_000_000);
  const lines = monitor.execute('info vms').split('\n');
  t.regex(lines[0]!, /^vm\s+state\s+nice\s+vcpus busy\s+memory touched\s+instructions/);
  t.regex(lines[1]!, /^guest-nested\s+running\s+0\s+1\/1\s+\d+ KiB\s+[1-9]\d*/);
  t.regex(lines[2]!, /^guest-shadow\s+running\s+0\s+1\/1\s+\d+ KiB\s+[1-9]\d*/);
});

test('pause keeps a VM off the cores until resume; the other VM goes on meanwhile', (t) => {
  const { monitor, run, guestInstructions } = busyPhone();
  run(1_000_000);
  t.is(monitor.execute('pause guest-nested'), 'guest-nested: paused\n');
  const frozen = guestInstructions('guest-nested');
  const other = guestInstructions('guest-shadow');
  run(2_000_000);
  t.is(guestInstructions('guest-nested'), frozen);
  t.true(guestInstructions('guest-shadow') > other);
  t.regex(monitor.execute('info vms'), /guest-nested\s+paused/);
  // A second pause is refused by the manager with its reason, printed, not thrown.
  t.is(monitor.execute('pause guest-nested'), 'VM "guest-nested" is paused, not running\n');
  t.is(monitor.execute('resume guest-nested'), 'guest-nested: running\n');
  run(3_000_000);
  t.true(guestInstructions('guest-nested') > frozen);
});

test('nice changes a VM\'s share of the core; kill stops it alone and frees its memory', (t) => {
  const { monitor, run, guestInstructions } = busyPhone();
  run(500_000);
  t.is(monitor.execute('nice guest-shadow 10'), 'guest-shadow: nice 10\n');
  const a0 = guestInstructions('guest-nested');
  const b0 = guestInstructions('guest-shadow');
  run(4_000_000);
  const a = guestInstructions('guest-nested') - a0;
  const b = guestInstructions('guest-shadow') - b0;
  // nice 10 against nice 0 is a weight ratio of about 1.25^10 ≈ 9.3 (Linux's CFS table).
  t.true(a / b > 5 && a / b < 15, `nested ${a}, shadow ${b}`);
  t.regex(monitor.execute('info vms'), /guest-shadow\s+running\s+10\s/);
  t.is(monitor.execute('kill guest-shadow'), 'guest-shadow: killed\n');
  t.regex(monitor.execute('info vms'), /guest-shadow\s+killed\s+10\s+1\/1\s+0 KiB\s+\d+\s+guest-shadow: killed/);
  const after = guestInstructions('guest-shadow');
  run(5_000_000);
  t.is(guestInstructions('guest-shadow'), after);
  t.regex(monitor.execute('info vms'), /guest-nested\s+running/);
});

test('info exits and info mmu show each VM\'s counters in columns', (t) => {
  const { built, monitor, run } = busyPhone();
  run(3_000_000);
  const exits = monitor.execute('info exits').split('\n');
  // The bench guests print through their PL011 (MMIO exits) and are preempted at the end of each quantum (INTR).
  t.regex(exits[0]!, /^vm\s+intr\s+mmio\s+total$/);
  for (const [i, vmm] of built.vms!.vmms.entries()) {
    const byReason = vmm.vm.exitsByReason();
    t.true(byReason.mmio! > 0 && byReason.intr! > 0);
    t.deepEqual(exits[i + 1]!.split(/\s+/), [vmm.vm.name, String(byReason.intr), String(byReason.mmio), String(byReason.intr! + byReason.mmio!)]);
  }
  const mmu = monitor.execute('info mmu').split('\n');
  t.regex(mmu[0]!, /^vm\s+paging\s+walks\s+refs\/walk\s+s2 faults\s+guest faults\s+shadow fills\s+syncs\s+zaps\s+wp faults$/);
  for (const [i, vmm] of built.vms!.vmms.entries()) {
    const p = vmm.vm.pagingCounters;
    t.deepEqual(mmu[i + 1]!.split(/\s+/), [
      vmm.vm.name, vmm.vm.paging, String(p.walks), p.memoryReferencesPerWalk.toFixed(2), String(p.stage2Faults), String(p.guestPageFaults),
      String(p.shadowFills), String(p.shadowSyncs), String(p.shadowZaps), String(p.writeProtectFaults),
    ]);
  }
  t.is(mmu[1]!.split(/\s+/)[1], 'nested');
  // The bench guests run with their MMU off: under nested paging every walk is a stage 2 walk of three levels.
  t.true(built.vms!.vmms[0]!.vm.pagingCounters.walks > 0 && built.vms!.vmms[0]!.vm.pagingCounters.stage2Faults > 0);
  t.is(mmu[2]!.split(/\s+/)[1], 'shadow');
});

test('info cpus shows the host core\'s pc and instructions; console switches the keyboard between UARTs', (t) => {
  const { built, monitor, run } = busyPhone();
  run(1_000_000);
  const cpus = monitor.execute('info cpus');
  t.regex(cpus, /^virtual time \d+ ns\ncore\s+pc\s+state\s+instructions\n/);
  t.regex(cpus, new RegExp(`\\n${built.cpus[0]!.name}\\s+0x[0-9a-f]{8}\\s+(running|idle)\\s+${built.cpus[0]!.retired}\\n`));
  t.is(monitor.execute('console'), 'the keyboard types into host\n');
  t.is(monitor.execute('info consoles'), '* host\n  guest-nested\n  guest-shadow\n');
  t.is(monitor.execute('console guest-shadow'), 'the keyboard types into guest-shadow\n');
  t.is(built.machine.console.attached, built.vms!.vmms[1]!.consoleDevice);
  t.is(monitor.execute('console nowhere'), "no console named 'nowhere' (consoles: host, guest-nested, guest-shadow)\n");
});

test('mistakes are answered at the prompt: unknown commands, VMs and items, bad numbers, wrong argument counts', (t) => {
  const { monitor, quits } = busyPhone();
  t.is(monitor.execute('frobnicate'), "unknown command 'frobnicate'; try 'help'\n");
  t.is(monitor.execute('pause'), 'usage: pause NAME\n');
  t.is(monitor.execute('nice guest-nested'), 'usage: nice NAME N\n');
  t.is(monitor.execute('kill nosuch'), "no VM named 'nosuch' (VMs: guest-nested, guest-shadow)\n");
  t.is(monitor.execute('nice guest-nested fast'), "nice: 'fast' is not a whole number\n");
  t.is(monitor.execute('nice guest-nested 20'), 'nice: 20 is outside -20 … 19\n');
  t.is(monitor.execute('info things'), "info: unknown item 'things' (vms, exits, mmu, cpus, consoles)\n");
  t.is(monitor.execute('resume guest-nested'), 'VM "guest-nested" is running, not paused\n');
  t.is(monitor.execute('   '), '');
  t.regex(monitor.execute('help'), /^command\s+what it does\nhelp\s+list the commands\n(.*\n)*quit\s+end the run/);
  t.is(quits(), 0);
  t.is(monitor.execute('quit'), '');
  t.is(monitor.execute('q'), '');
  t.is(quits(), 2);
});

test('on a board without VMs the VM commands say so', (t) => {
  const { board } = loadBoard(join(BOARDS, 'virt-arm.xml'));
  const built = buildMachine(board!);
  const consoles = new ConsoleSwitch(built.machine.console, built.consoleDevice ?? null, []);
  const monitor = new Monitor({
    cpus: built.cpus,
    clockNs: () => 0,
    vmms: [],
    consoles: () => consoles.names,
    currentConsole: () => consoles.current,
    selectConsole: (n) => consoles.select(n),
    quit: () => undefined,
  });
  t.is(monitor.execute('info vms'), 'this board has no VMs\n');
  t.is(monitor.execute('pause x'), 'this board has no VMs\n');
  t.is(monitor.execute('info consoles'), '* host\n');
});

test('the line editor echoes keys, erases with backspace and Ctrl-U, and answers below the line', (t) => {
  let screen = '';
  const executed: string[] = [];
  const editor = new MonitorLineEditor({ execute: (l: string) => (executed.push(l), `ran ${l}\nok\n`), quitting: false } as unknown as Monitor, (s) => (screen += s));
  editor.enter();
  t.true(screen.endsWith(MONITOR_PROMPT));
  screen = '';
  for (const b of Buffer.from('infx\x7fo vms\r\n')) editor.feed(b);
  t.deepEqual(executed, ['info vms']);
  t.is(screen, `infx\b \bo vms\nran info vms\nok\n${MONITOR_PROMPT}`);
  screen = '';
  for (const b of Buffer.from('junk\x15\x1b[Ahelp\n')) editor.feed(b);
  t.deepEqual(executed, ['info vms', 'help']);
  t.is(screen, `junk${'\b \b'.repeat(4)}help\nran help\nok\n${MONITOR_PROMPT}`);
});

test('run --console NAME: a console that does not exist is bad input naming the ones there are', (t) => {
  const r = runCli(['run', 'boards/phone.xml', '--console', 'guest-x']);
  t.is(r.status, 2);
  t.regex(r.stderr, /--console: no console named 'guest-x' \(consoles: host, guest-nested, guest-shadow\)/);
  t.is(r.stdout, '');
});

test('snapshot FILE saves the whole machine between slices; a machine restored from it goes on exactly as the saved one', (t) => {
  const { built, run } = busyPhone();
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-monitor-snap-'));
  const file = join(dir, 'phone.snap');
  const monitor = new Monitor({
    cpus: built.cpus,
    clockNs: () => built.machine.clock.now,
    vmms: built.vms!.vmms,
    manager: built.vms!.manager,
    consoles: () => ['host'],
    currentConsole: () => 'host',
    selectConsole: () => undefined,
    quit: () => undefined,
    snapshot: (f) => `saved ${saveSnapshotFile(built, f, [])} bytes to ${f}`,
  });
  run(2_000_000);
  t.regex(monitor.execute(`snapshot ${file}`), new RegExp(`^saved \\d+ bytes to ${file.replace(/[.]/g, '\\.')}\\n$`));
  const header = readSnapshotHeader(readFileSync(file), file);
  t.true(header.payload.length > 0);
  // A second machine from the same board, restored from the file, retires the same instructions from there.
  const other = busyPhone();
  loadMachineSnapshot(other.built, readFileSync(file), file);
  run(1_000_000);
  other.run(1_000_000);
  t.deepEqual(other.built.vms!.manager.status().map((s) => s.instructions), built.vms!.manager.status().map((s) => s.instructions));
  t.is(other.built.machine.clock.now, built.machine.clock.now);
  t.is(monitor.execute('snapshot'), 'usage: snapshot FILE\n');
  // A file that cannot be written is reported at the prompt; the run goes on.
  t.regex(monitor.execute(`snapshot ${join(dir, 'no', 'such', 'dir', 'x.snap')}`), /cannot write .*x\.snap: ENOENT/);
  const without = new Monitor({ cpus: [], clockNs: () => 0, vmms: [], consoles: () => [], currentConsole: () => 'host', selectConsole: () => undefined, quit: () => undefined });
  t.is(without.execute('snapshot x'), 'snapshots are not available here\n');
});
