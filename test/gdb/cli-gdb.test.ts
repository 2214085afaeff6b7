import test from 'ava';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot, runCli } from '../cli/CliRunner.ts';
import { RspTestClient, freePort, registerValue } from './RspTestClient.ts';
import { readFileSync } from 'node:fs';
import { parseElf } from '../../src/loader/ElfImage.ts';
import { symbolTableOf } from '../../src/loader/ElfSymbolReader.ts';

/**
 * `tskvm-board run BOARD --gdb PORT [--gdb-wait]` as a user runs it: a child
 * process, driven by our protocol client and by the real gdb-multiarch.
 */

const HELLO_ELF = 'boards/firmware/arm/hello.elf';
/** arm-none-eabi-nm boards/firmware/arm/hello.elf: "401004f0 T main" (checked against nm below when it is installed). */
const MAIN_FROM_NM = 0x401004f0;

interface Running {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Resolves once stderr matches. */
  stderrMatch(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

function startRun(args: string[]): Running {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'tskvm-board.js'), 'run', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TSKVM_DEBUG: '', FORCE_COLOR: '0' },
  });
  let out = '';
  let err = '';
  const listeners: Array<() => void> = [];
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const l of listeners) l();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    stderrMatch: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const m = pattern.exec(err);
          if (m) resolve(m);
          return m !== null;
        };
        if (check()) return;
        const timer = setTimeout(() => reject(new Error(`stderr never matched ${String(pattern)}:\n${err}`)), timeoutMs);
        listeners.push(() => {
          if (check()) clearTimeout(timer);
        });
        void exited.then(() => setTimeout(() => reject(new Error(`exited before stderr matched ${String(pattern)}:\n${err}`)), 100));
      }),
  };
}

function hasCommand(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).error === undefined;
}

test('--gdb needs a port number; --gdb-wait needs --gdb', (t) => {
  const bad = runCli(['run', 'boards/virt-arm.xml', '--gdb', 'abc']);
  t.is(bad.status, 2);
  t.regex(bad.stderr, /--gdb: 'abc' is not a TCP port number \(0-65535\)/);
  t.is(runCli(['run', 'boards/virt-arm.xml', '--gdb', '70000']).status, 2);
  const alone = runCli(['run', 'boards/virt-arm.xml', '--gdb-wait']);
  t.is(alone.status, 2);
  t.regex(alone.stderr, /--gdb-wait needs --gdb PORT/);
  t.regex(runCli(['run', '--help']).stdout, /--gdb PORT/);
});

test('a port in use is bad input (exit 2) with a clear message', async (t) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const run = startRun(['boards/virt-arm.xml', '--gdb', String(port)]);
    t.is(await run.exited, 2);
    t.regex(run.stderr(), new RegExp(`error: --gdb ${port}: port ${port} on 127.0.0.1 is already in use`));
    t.notRegex(run.stderr(), /internal error|at .*\.ts:\d+/);
  } finally {
    server.close();
  }
});

test('--gdb-wait holds the board until gdb continues it; the run then ends as usual and gdb hears W00', async (t) => {
  const run = startRun(['boards/virt-arm.xml', '--gdb', '0', '--gdb-wait']);
  const [, port] = await run.stderrMatch(/gdb stub on 127\.0\.0\.1:(\d+)/);
  await new Promise((r) => setTimeout(r, 200));
  t.is(run.stdout(), '', 'nothing ran before gdb attached');
  const client = await RspTestClient.connect(Number(port));
  t.is(await client.request('?'), 'T05thread:1;');
  t.is(await client.request('c'), 'W00');
  t.is(await run.exited, 0);
  t.regex(run.stdout(), /Hello from tskvm on virt-arm/);
  t.regex(run.stderr(), /PSCI SYSTEM_OFF/);
  client.close();
});

test('k from the debugger ends the run with exit code 1 and says so', async (t) => {
  const run = startRun(['boards/virt-arm.xml', '--gdb', '0', '--gdb-wait']);
  const [, port] = await run.stderrMatch(/gdb stub on 127\.0\.0\.1:(\d+)/);
  const client = await RspTestClient.connect(Number(port));
  t.is(await client.request('?'), 'T05thread:1;');
  client.send('k');
  t.is(await run.exited, 1);
  t.regex(run.stderr(), /tskvm-board: stopped: killed by the debugger; 0 instructions/);
  client.close();
});

// The only reason to skip: no gdb-multiarch on this machine (Debian package gdb-multiarch).
const haveGdb = hasCommand('gdb-multiarch');
const gdbTitle = 'gdb-multiarch: break main, continue, stepi, kill';
(haveGdb ? test : test.skip)(haveGdb ? gdbTitle : `${gdbTitle} — SKIPPED: gdb-multiarch is not installed (apt-get install gdb-multiarch)`, async (t) => {
  let main = MAIN_FROM_NM;
  if (hasCommand('arm-none-eabi-nm')) {
    const nm = spawnSync('arm-none-eabi-nm', [HELLO_ELF], { cwd: repoRoot, encoding: 'utf8' });
    main = parseInt(/^([0-9a-f]+) T main$/m.exec(nm.stdout)![1]!, 16);
    t.is(main, MAIN_FROM_NM, 'the address recorded for CI machines without arm-none-eabi-nm');
  }
  const port = await freePort();
  const run = startRun(['boards/virt-arm.xml', '--gdb', String(port), '--gdb-wait']);
  await run.stderrMatch(new RegExp(`gdb stub on 127\\.0\\.0\\.1:${port}`));
  const gdb = spawn(
    'gdb-multiarch',
    ['-nx', '-batch', '-ex', 'set architecture arm', '-ex', `target remote :${port}`, '-ex', 'break main', '-ex', 'continue',
      '-ex', 'info registers pc', '-ex', 'stepi', '-ex', 'info registers pc', '-ex', 'kill', HELLO_ELF],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  gdb.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  gdb.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const gdbExit = await new Promise<number | null>((resolve) => gdb.on('exit', resolve));
  t.is(gdbExit, 0, out);
  const hex = main.toString(16);
  t.regex(out, new RegExp(`Breakpoint 1 at 0x${hex}`));
  t.regex(out, new RegExp(`Breakpoint 1, 0x0*${hex} in main \\(\\)`));
  const pcs = [...out.matchAll(/^pc\s+0x([0-9a-f]+)/gm)].map((m) => parseInt(m[1]!, 16));
  t.deepEqual(pcs, [main, main + 4], 'hit at main, then stepi advanced pc by 4');
  t.is(await run.exited, 1, 'killed');
  t.regex(run.stderr(), /killed by the debugger/);
});

test('on phone.xml the host core and every vCPU are threads; each thread reads memory through its own address space', async (t) => {
  // Breakpoints on a host symbol (phone-host's kernel_main) and a guest one (phone-guest's on_fault,
  // its page-fault handler); both images sit at 0x40100000 upwards, so each address holds other
  // code in the other image. Every stop's memory, read through the stopped thread, must be that
  // thread's own image.
  const image = (name: string) => {
    const path = join(repoRoot, 'boards', 'firmware', 'arm', `${name}.elf`);
    return parseElf(new Uint8Array(readFileSync(path)), { path });
  };
  const host = image('phone-host');
  const guest = image('phone-guest');
  const wordAt = (elf: ReturnType<typeof parseElf>, address: number) => {
    const seg = elf.loadSegments.find((s) => address >= s.virtAddr && address + 4 <= s.virtAddr + s.fileSize)!;
    const at = seg.fileOffset + address - seg.virtAddr;
    return Buffer.from(elf.bytes.subarray(at, at + 4)).reverse().toString('hex');
  };
  const hostMain = symbolTableOf(host).addressOf('kernel_main')!;
  const guestFault = symbolTableOf(guest).addressOf('on_fault')!;
  t.not(wordAt(host, guestFault), wordAt(guest, guestFault), 'the guest\'s handler address holds other code in the host image');
  const run = startRun(['boards/phone.xml', '--gdb', '0', '--gdb-wait']);
  const [, port] = await run.stderrMatch(/gdb stub on 127\.0\.0\.1:(\d+)/);
  const client = await RspTestClient.connect(Number(port));
  t.is(await client.request('qfThreadInfo'), 'm1,2,3');
  const extra = async (id: number) => Buffer.from(await client.request(`qThreadExtraInfo,${id}`), 'hex').toString();
  t.regex(await extra(1), /^cpu0 \(arm\)/);
  t.regex(await extra(2), /guest-nested.*\(arm\)/);
  t.regex(await extra(3), /guest-shadow.*\(arm\)/);
  t.is(await client.request(`Z0,${hostMain.toString(16)},4`), 'OK');
  t.is(await client.request(`Z0,${guestFault.toString(16)},4`), 'OK');
  const stops: Array<[number, number]> = [];
  const seen = () => new Set(stops.map(([thread]) => thread)).size === 3 && stops.some(([thread, pc]) => thread > 1 && pc === guestFault);
  for (let i = 0; i < 20 && !seen(); i++) {
    const reply = await client.request('c', 60_000);
    const m = /^T05thread:([0-9a-f]+);/.exec(reply);
    t.truthy(m, reply);
    const thread = parseInt(m![1]!, 16);
    t.is(await client.request(`Hg${thread.toString(16)}`), 'OK');
    // pc is register 15 of the ARM target description.
    const pc = registerValue(await client.request('pf'));
    t.true(pc === hostMain || pc === guestFault, `thread ${thread} stopped at 0x${pc.toString(16)}`);
    // Memory at the pc, read through this thread's translation and address space (little-endian bytes).
    const word = (await client.request(`m${pc.toString(16)},4`)).match(/../g)!.reverse().join('');
    t.is(word, wordAt(thread === 1 ? host : guest, pc), `thread ${thread} reads its own image at 0x${pc.toString(16)}`);
    stops.push([thread, pc]);
  }
  // Breakpoints are per address, as gdb's: a thread whose own code runs through the other address stops there too.
  t.true(seen(), `the host and both vCPUs stopped, a guest in its fault handler: ${JSON.stringify(stops)}`);
  t.true(stops.some(([thread, pc]) => thread === 1 && pc === hostMain));
  client.send('k');
  t.is(await run.exited, 1);
  client.close();
});

