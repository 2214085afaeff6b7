import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runCli } from './CliRunner.ts';
import { traceEventProblems } from '../trace/TraceEventChecker.ts';
import { uBootImage } from '../boards/DebianUBoot.ts';

type Event = { name: string; ph: string; pid: number; tid: number; ts?: number; dur?: number; args?: Record<string, string | number> };

const outFile = () => join(mkdtempSync(join(tmpdir(), 'tskvm-timeline-')), 'trace.json');
const load = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: Event[]; displayTimeUnit: string };
const virtualNsOf = (stderr: string) => {
  const m = /instructions, ([\d.]+) (s|ms|us) virtual/.exec(stderr)!;
  return Number(m[1]) * { s: 1e9, ms: 1e6, us: 1e3 }[m[2] as 's' | 'ms' | 'us'];
};

function names(events: Event[], kind: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === kind) m.set(kind === 'process_name' ? `${e.pid}` : `${e.pid}/${e.tid}`, String(e.args!.name));
  return m;
}

test('--trace-out on the phone board: a valid trace-event file with a process per VM, a track per core and per vCPU, exits as instants', (t) => {
  const path = outFile();
  const plain = runCli(['run', 'boards/phone.xml']);
  const r = runCli(['run', 'boards/phone.xml', '--trace-out', path]);
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, plain.stdout);
  const doc = load(path);
  t.deepEqual(traceEventProblems(doc), []);
  const ev = doc.traceEvents;

  const processes = names(ev, 'process_name');
  t.is(processes.get('1'), 'phone');
  t.is(processes.get('2'), 'VM guest-nested');
  t.is(processes.get('3'), 'VM guest-shadow');
  const threads = names(ev, 'thread_name');
  t.is(threads.get('1/1'), 'core 0');
  const vcpuTrack = (pid: number) => [...threads].find(([k, v]) => k.startsWith(`${pid}/`) && v === 'vcpu0')![0];
  for (const pid of [2, 3]) {
    const [, tid] = vcpuTrack(pid).split('/').map(Number);
    const on = ev.filter((e) => e.pid === pid && e.tid === tid);
    t.true(on.some((e) => e.ph === 'X' && e.name === 'running' && e.dur! > 0));
    // One instant per MMIO exit (the UART) and the final system event; KVM_EXIT_INTR is the end of a slice, not an instant.
    const exits = on.filter((e) => e.ph === 'i' && e.name.startsWith('exit '));
    const vm = pid === 2 ? 'guest-nested' : 'guest-shadow';
    const counted = Number(new RegExp(`vm ${vm}: .*exits: (?:[\\w-]+ \\d+, )*mmio (\\d+)`).exec(r.stderr)?.[1]);
    t.is(exits.filter((e) => e.name === 'exit mmio').length, counted);
    t.is(exits.at(-1)!.name, 'exit system-event');
    // The first store to the guest UART's data register carries the first character the guest printed.
    const first = r.stdout.split('\n').find((l) => l.startsWith(`[${vm}] `))!.charCodeAt(vm.length + 3);
    const store = exits.find((e) => e.args?.gpa === '0x9000000' && e.args.dir === 'write')!;
    t.like(store.args, { gpa: '0x9000000', dir: 'write' });
    t.is(Number(store.args!.data) & 0xff, first);
  }
  // The one physical core runs the host and both vCPUs in turn: its track names each context.
  const core = ev.filter((e) => e.pid === 1 && e.tid === 1 && e.ph === 'X');
  t.deepEqual([...new Set(core.map((e) => e.name))].sort(), ['cpu0', 'guest-nested/vcpu0', 'guest-shadow/vcpu0']);
  // Slices cover at most the run's virtual time, and the last ends at its end.
  const end = Math.max(...core.map((e) => e.ts! + e.dur!));
  t.true(Math.abs(end * 1000 - virtualNsOf(r.stderr)) < 1000, `${end} µs vs ${r.stderr}`);
});

test('--trace-out on the timer firmware: the GIC acknowledges INTID 30 and 27 on core 0, the timer line rises between slices', (t) => {
  const path = outFile();
  const r = runCli(['run', 'boards/virt-arm.xml', '--firmware', 'boards/firmware/arm/timer.elf', '--trace-out', path]);
  t.is(r.status, 0, r.stderr);
  const doc = load(path);
  t.deepEqual(traceEventProblems(doc), []);
  const ev = doc.traceEvents;
  const acks = ev.filter((e) => e.ph === 'i' && e.name.startsWith('ack INTID'));
  t.deepEqual([...new Set(acks.map((e) => e.args!.intid))].sort(), [27, 30]);
  t.true(acks.every((e) => e.pid === 1 && e.tid === 1 && e.args!.controller === 'intc@8000000.cpu-interface'));
  t.true(ev.some((e) => e.ph === 'i' && e.name === 'irq taken' && e.tid === 1));
  const raised = ev.filter((e) => e.name === 'line 30 raised');
  t.true(raised.length > 0);
  t.true(raised.every((e) => e.tid === 999 && e.args!.line === 'timer -> intc@8000000:30'));
});

test('--trace-out is closed properly when a limit ends the run', (t) => {
  const path = outFile();
  const r = runCli(['run', 'boards/virt-arm.xml', '--max-instructions', '100', '--trace-out', path]);
  t.is(r.status, 1);
  t.regex(r.stderr, /instruction limit of 100 reached/);
  const doc = load(path);
  t.deepEqual(traceEventProblems(doc), []);
  const slices = doc.traceEvents.filter((e) => e.ph === 'X');
  t.is(slices.reduce((s, e) => s + e.dur!, 0), 0.1); // 100 instructions at 1 GHz
});

test('--trace-out is closed properly when Ctrl-C (SIGINT) ends the run', async (t) => {
  const path = outFile();
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'tskvm-board.js'), 'run', 'boards/virt-arm.xml', '--firmware', uBootImage('qemu_arm/u-boot.bin'), '--trace-out', path], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('latin1');
      // U-Boot's banner is out: the run loop (and its signal handlers) is going.
      if (stdout.includes('U-Boot 2023')) resolve();
    });
    setTimeout(resolve, 100_000);
  });
  child.kill('SIGINT');
  const code = await exited;
  t.is(code, 1, stderr);
  t.regex(stderr, /stopped: interrupted \(SIGINT\)/);
  const doc = load(path);
  t.deepEqual(traceEventProblems(doc), []);
  t.true(doc.traceEvents.some((e) => e.ph === 'X' && e.name === 'cpu0'));
});

test('--trace-out into a directory that does not exist is bad input naming the file', (t) => {
  const r = runCli(['run', 'boards/virt-arm.xml', '--trace-out', '/nonexistent/dir/t.json']);
  t.is(r.status, 2);
  t.regex(r.stderr, /--trace-out: cannot write \/nonexistent\/dir\/t\.json/);
});
