import test, { type ExecutionContext } from 'ava';
import { XMLParser } from 'fast-xml-parser';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { buildMachine, type BuiltMachine } from '../../src/board/MachineBuilder.ts';
import { GdbRunControl } from '../../src/gdb/GdbRunControl.ts';
import type { Machine, RunResult } from '../../src/machine/Machine.ts';
import { RspTestClient, registerHex, registerValue } from './RspTestClient.ts';

/**
 * A gdb session against a board built in this process: our client speaks
 * the protocol over TCP to the stub, and a loop like `tskvm-board run`'s
 * runs the machine between the stub's turns. The firmware is
 * boards/firmware/arm/hello.elf; addresses and encodings below are what
 * arm-none-eabi-nm and arm-none-eabi-objdump -d show for it:
 *
 *   40100000 T _start          (the ELF entry point)
 *   401004f0 T main            e52d4008  str r4, [sp, #-8]!
 *                              e58de004  str lr, [sp, #4]
 *   401001dc T uart_puts
 *   40100308 T psci_system_off
 */

const START = 0x40100000;
const MAIN = 0x401004f0;
const UART_PUTS = 0x401001dc;
const PSCI_SYSTEM_OFF = 0x40100308;
const HELLO = 'Hello from tskvm on virt-arm\n';
/** What the console shows: uart_puts sends \r before each \n. */
const HELLO_ON_CONSOLE = 'Hello from tskvm on virt-arm\r\n';
/** Register numbers in our target description (r0–r12, sp, lr, pc, cpsr). */
const SP = 13;
const PC = 15;
const CPSR = 16;

interface Board {
  readonly built: BuiltMachine;
  readonly control: GdbRunControl;
  readonly client: RspTestClient;
  /** How the run ended. */
  readonly finished: Promise<RunResult>;
  readonly logs: string[];
  console(): string;
}

/** The run loop of `tskvm-board run`, in small slices so the test's socket traffic is served often. */
async function drive(control: GdbRunControl, machine: Machine): Promise<RunResult> {
  for (;;) {
    const killed = await control.whileHeld();
    if (killed) return killed;
    const r = machine.run({ maxTimeNs: 1_000_000 });
    if (control.takes(r)) continue;
    if (r.kind === 'limit' && machine.clock.now < 1e9) {
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    return r;
  }
}

async function open(
  t: ExecutionContext,
  boardFile = 'boards/virt-arm.xml',
  waitForDebugger = true,
  prepare?: (built: BuiltMachine) => void,
): Promise<Board> {
  const { board, diagnostics } = loadBoard(boardFile);
  if (!board) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const built = buildMachine(board);
  let text = '';
  built.consoleDevice?.attachBackend({ transmit: (b) => (text += String.fromCharCode(b)) });
  prepare?.(built);
  const logs: string[] = [];
  const control = await GdbRunControl.start({ port: 0, waitForDebugger, cpus: built.cpus, bus: built.machine.bus, log: (l) => logs.push(l) });
  const finished = drive(control, built.machine);
  const client = await RspTestClient.connect(control.port);
  // Whatever happens in the test, the port and the connection are given back.
  t.teardown(async () => {
    client.close();
    await control.close(0);
  });
  return { built, control, client, finished, logs, console: () => text };
}

async function registers(client: RspTestClient): Promise<number[]> {
  const g = await client.request('g');
  return g.match(/.{8}/g)!.map(registerValue);
}

async function register(client: RspTestClient, n: number): Promise<number> {
  return registerValue(await client.request(`p${n.toString(16)}`));
}

async function end(b: Board): Promise<void> {
  b.client.close();
  await b.control.close(0);
}

test('attach: qSupported, the target description, threads, and the registers at reset', async (t) => {
  const b = await open(t);
  const features = (await b.client.request('qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386')).split(';');
  for (const f of ['PacketSize=4000', 'qXfer:features:read+', 'QStartNoAckMode+', 'swbreak+', 'hwbreak+', 'vContSupported+']) {
    t.true(features.includes(f), f);
  }
  t.is(await b.client.request('vMustReplyEmpty'), '');

  // target.xml read in small pieces: 'm' while more follows, 'l' with the last piece.
  let xml = '';
  for (;;) {
    const part = await b.client.request(`qXfer:features:read:target.xml:${xml.length.toString(16)},40`);
    t.regex(part, /^[ml]/);
    xml += part.slice(1);
    if (part[0] === 'l') break;
    t.is(part.length, 0x41);
  }
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  t.is(doc.target.architecture, 'arm');
  t.is(doc.target.feature.name, 'org.gnu.gdb.arm.core');
  const regs = doc.target.feature.reg as Array<{ name: string; bitsize: string }>;
  t.deepEqual(
    regs.map((r) => r.name),
    ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc', 'cpsr'],
  );
  t.true(regs.every((r) => r.bitsize === '32'));
  t.is(await b.client.request('qXfer:features:read:other.xml:0,40'), 'E00');

  t.is(await b.client.request('?'), 'T05thread:1;');
  t.is(await b.client.request('qfThreadInfo'), 'm1');
  t.is(await b.client.request('qsThreadInfo'), 'l');
  t.is(await b.client.request('qC'), 'QC1');
  t.is(await b.client.request('qAttached'), '1');
  t.is(await b.client.request('T1'), 'OK');
  t.is(await b.client.request('T2'), 'E01');
  const info = Buffer.from(await b.client.request('qThreadExtraInfo,1'), 'hex').toString();
  t.is(info, 'cpu0 (arm)');

  const r = await registers(b.client);
  t.is(r.length, 17);
  t.is(r[PC], START, 'held at the ELF entry point');
  t.is(r[CPSR], 0x400001d3, 'reset CPSR (SVC, A/I/F masked), as QEMU');
  t.is(r[2], 0x40000000, 'the board passes the DTB address in r2');
  t.is(await register(b.client, PC), START);
  t.is(await b.client.request('p11'), 'E01', 'no register 17');
  t.is(b.built.cpus[0]!.retired, 0, 'nothing ran while held');
  await end(b);
});

test('register and memory reads and writes, in the target byte order', async (t) => {
  const b = await open(t);
  const c = b.client;
  const cpu = b.built.cpus[0]!;
  t.is(await c.noAckMode(), 'OK');
  t.is(await c.request('P0=78563412'), 'OK');
  t.is(cpu.getRegister('r0'), 0x12345678);
  t.is(await c.request('p0'), '78563412');

  const g = await c.request('g');
  const withR3 = g.slice(0, 24) + registerHex(0xa5a5a5a5) + g.slice(32);
  t.is(await c.request(`G${withR3}`), 'OK');
  t.is(cpu.getRegister('r3'), 0xa5a5a5a5);
  t.is(cpu.getPc(), START, 'the other registers kept their values');
  t.is(await c.request(`G${g.slice(0, 16)}`), 'E01', 'G with too little data');

  // main's first two instructions, little-endian (objdump: e52d4008 e58de004).
  t.is(await c.request(`m${MAIN.toString(16)},8`), '08402de504e08de5');

  t.is(await c.request('M40200000,4:deadbeef'), 'OK');
  t.is(b.built.machine.bus.read32(0x40200000), 0xefbeadde);
  t.is(await c.request('m40200000,4'), 'deadbeef');
  // X carries binary: '#', '}', '*' and '$' arrive escaped.
  c.send('X40200004,4:}\x03}]}\x0a}\x04');
  t.is(await c.next(), 'OK');
  t.is(await c.request('m40200004,4'), '237d2a24');
  t.is(await c.request('X40200000,0:'), 'OK', 'the empty X gdb probes with');

  // Writing code drops what the core decoded from it.
  t.is(await c.request(`M${MAIN.toString(16)},4:0000a0e1`), 'OK'); // mov r0, r0
  t.is(await c.request(`m${MAIN.toString(16)},4`), '0000a0e1');

  t.is(await c.request('m9000000,4'), 'E01', 'a device (the PL011) is not read: reads can have side effects');
  t.is(await c.request('m4ffffffe,4'), '0000', 'a read running off the end of RAM stops there');
  t.is(await c.request('M4ffffffe,4:01020304'), 'E01', 'writes are all or nothing');
  t.is(b.built.machine.bus.read16(0x4ffffffe), 0);
  await end(b);
});

test('breakpoint on main: continue, hit, step, break on uart_puts (software) and psci_system_off (hardware), run to power-off', async (t) => {
  const b = await open(t);
  const c = b.client;
  t.is(b.built.firmware?.symbols.addressOf('main'), MAIN);
  t.is(await c.request('vCont?'), 'vCont;c;C;s;S');
  t.is(await c.request(`Z0,${MAIN.toString(16)},4`), 'OK');
  t.is(await c.request('vCont;c'), 'T05thread:1;swbreak:;');
  const atMain = await registers(c);
  t.is(atMain[PC], MAIN);
  t.is(b.console(), '', 'uart_puts has not run yet');

  // As gdb does: remove the breakpoint, step, insert it again.
  t.is(await c.request(`z0,${MAIN.toString(16)},4`), 'OK');
  t.is(await c.request('vCont;s:1;c'), 'T05thread:1;');
  const stepped = await registers(c);
  t.is(stepped[PC], MAIN + 4);
  t.is(stepped[SP], atMain[SP]! - 8, 'str r4, [sp, #-8]! wrote back sp - 8');
  t.is(await c.request(`m${stepped[SP]!.toString(16)},4`), registerHex(atMain[4]!), 'and stored r4 there');
  t.is(await c.request('s'), 'T05thread:1;', 'legacy step');
  t.is(await register(c, PC), MAIN + 8);

  t.is(await c.request(`Z0,${UART_PUTS.toString(16)},4`), 'OK');
  t.is(await c.request(`Z1,${PSCI_SYSTEM_OFF.toString(16)},4`), 'OK');
  t.is(await c.request('c'), 'T05thread:1;swbreak:;');
  t.is(await register(c, PC), UART_PUTS);
  const text = await c.request(`m${(await register(c, 0)).toString(16)},${HELLO.length.toString(16)}`);
  t.is(Buffer.from(text, 'hex').toString(), HELLO, 'r0 points at the string');

  t.is(await c.request('C0b'), 'T05thread:1;hwbreak:;', 'C with a signal: the signal is ignored');
  t.is(await register(c, PC), PSCI_SYSTEM_OFF);
  t.is(b.console(), HELLO_ON_CONSOLE);

  // Continue with the breakpoint still on the PC: the stub steps over it, and the board powers off.
  c.send('vCont;c');
  const result = await b.finished;
  t.deepEqual(result, { kind: 'poweroff', exitCode: 0, message: 'PSCI SYSTEM_OFF' });
  await b.control.close(0);
  t.is(await c.next(), 'W00', 'gdb hears the exit code');
});

test('watchpoints stop before the access (gdb steps over it): write, read and access kinds', async (t) => {
  const b = await open(t);
  const c = b.client;
  await c.request(`Z0,${MAIN.toString(16)},4`);
  await c.request('c');
  await c.request(`z0,${MAIN.toString(16)},4`);
  const sp = await register(c, SP);
  const slot = sp - 8;
  const before = await c.request(`m${slot.toString(16)},4`);
  t.is(await c.request(`Z2,${slot.toString(16)},4`), 'OK');
  t.is(await c.request('vCont;c'), `T05thread:1;watch:${slot.toString(16)};`);
  t.is(await register(c, PC), MAIN, 'stopped on the store, before it');
  t.is(await c.request(`m${slot.toString(16)},4`), before, 'memory not written yet');
  t.is(await register(c, SP), sp, 'no writeback yet');
  t.is(await c.request(`z2,${slot.toString(16)},4`), 'OK');
  t.is(await c.request('vCont;s:1'), 'T05thread:1;');
  t.is(await c.request(`m${slot.toString(16)},4`), registerHex(await register(c, 4)));

  // uart_puts reads the string a byte at a time (r0 = its address at the call).
  await c.request(`Z0,${UART_PUTS.toString(16)},4`);
  await c.request('c');
  await c.request(`z0,${UART_PUTS.toString(16)},4`);
  const string = await register(c, 0);
  t.is(await c.request(`Z3,${(string + 1).toString(16)},1`), 'OK');
  t.is(await c.request('c'), `T05thread:1;rwatch:${(string + 1).toString(16)};`);
  t.is(b.console(), 'H', 'the first character was sent, the second not yet read');
  t.is(await c.request(`z3,${(string + 1).toString(16)},1`), 'OK');
  t.is(await c.request(`Z4,${(string + 2).toString(16)},2`), 'OK');
  t.is(await c.request('c'), `T05thread:1;awatch:${(string + 2).toString(16)};`);
  t.is(b.console(), 'He');
  t.is(await c.request(`Z2,${string.toString(16)},0`), 'E01', 'an empty range');
  await end(b);
});

test('Ctrl-C stops a running board with SIGINT; detach lets it run on', async (t) => {
  const b = await open(t);
  const c = b.client;
  await c.noAckMode();
  // A branch-to-self at 0x40200000 (b .: eafffffe) keeps the core busy.
  t.is(await c.request('M40200000,4:feffffea'), 'OK');
  t.is(await c.request(`P${PC.toString(16)}=${registerHex(0x40200000)}`), 'OK');
  c.send('vCont;c');
  t.false(await c.hasPacketWithin(300), 'no stop while it loops');
  const ran = b.built.cpus[0]!.retired;
  t.true(ran > 0);
  c.sendRaw('\x03');
  t.is(await c.next(), 'T02thread:1;');
  t.is(await register(c, PC), 0x40200000);
  t.is(await c.request('?'), 'T02thread:1;');
  // Back to the program: the board powers off after the debugger leaves.
  t.is(await c.request(`P${PC.toString(16)}=${registerHex(START)}`), 'OK');
  t.is(await c.request('D'), 'OK');
  await c.whenClosed();
  const result = await b.finished;
  t.is(result.kind, 'poweroff');
  t.is(b.console(), HELLO_ON_CONSOLE);
  t.true(b.logs.some((l) => /gdb detached/.test(l)));
  t.false(b.control.attached);
  await b.control.close(0);
});

test('k ends the run (no reply); vKill answers OK first', async (t) => {
  const b = await open(t);
  b.client.send('k');
  t.deepEqual(await b.finished, { kind: 'limit', message: 'killed by the debugger' });
  await b.control.close(1);
  t.false(await b.client.hasPacketWithin(100), 'nothing after k, not even W');

  const v = await open(t);
  t.is(await v.client.request('vKill;1'), 'OK');
  t.is((await v.finished).kind, 'limit');
  await end(v);
});

test('malformed packets get E01 (or a resend request) and the session goes on', async (t) => {
  const b = await open(t);
  const c = b.client;
  c.sendRaw('$g#00');
  t.is(await c.request('?'), 'T05thread:1;');
  t.true(c.acknowledgements.includes('-'), 'bad checksum answered with -');
  for (const bad of ['mzz,4', 'm1', 'M40200000,4:123', 'M40200000,2:aabbcc', 'Z0,xyz,4', 'Z0,1', 'vCont;x', 'vCont;c:9', 'Hg9', 'P0=12', 'pzz', 'X40200000,2:a', 'qXfer:features:read:target.xml:zz']) {
    t.is(await c.request(bad), 'E01', bad);
  }
  t.is(await c.request('qThreadExtraInfo,5'), 'E01');
  t.is(await c.request('Z9,0,0'), '', 'unknown breakpoint type: not supported');
  t.is(await c.request('Jfoo'), '', 'unknown packet: empty reply');
  t.is(await c.request('qRcmd,7265736574'), '');
  t.is(await c.request(`m${'f'.repeat(20)},4`), 'E01', 'an address with too many digits');
  t.is(await c.request(`X40200000,1:${'a'.repeat(0x4100)}`), 'E01', 'longer than PacketSize');
  await c.noAckMode();
  c.sendRaw('$g#00');
  t.is(await c.next(), 'E01', 'without acks a bad checksum gets an error reply');
  t.is(await c.request('?'), 'T05thread:1;');
  t.is(b.built.cpus[0]!.retired, 0);
  await end(b);
});

test('without --gdb-wait the board runs until gdb attaches and stops it; a second debugger is refused', async (t) => {
  const b = await open(t, 'boards/virt-arm.xml', false, (built) => {
    // A branch-to-self (b .: eafffffe) instead of the firmware, so the board is still running when gdb comes.
    built.machine.bus.write32(0x40200000, 0xeafffffe);
    built.cpus[0]!.setPc(0x40200000);
  });
  t.is(await b.client.request('?'), 'T05thread:1;');
  const cpu = b.built.cpus[0]!;
  const ran = cpu.retired;
  t.true(ran > 0, 'it ran before gdb attached');
  t.is(await register(b.client, PC), 0x40200000);
  const second = await RspTestClient.connect(b.control.port);
  await second.whenClosed();
  t.true(second.isClosed);
  t.false(await b.client.hasPacketWithin(100));
  t.is(cpu.retired, ran, 'held while gdb has it stopped');
  t.true(b.control.attached);
  t.true(b.logs.some((l) => /gdb attached/.test(l)));
  await end(b);
});

test('two cores are two threads: Hg selects the registers, a powered-off core steps at once', async (t) => {
  const b = await open(t, 'test/gdb/fixtures/virt-arm-2cpu.xml');
  const c = b.client;
  t.is(await c.request('qfThreadInfo'), 'm1,2');
  t.is(await c.request('T2'), 'OK');
  t.regex(Buffer.from(await c.request('qThreadExtraInfo,2'), 'hex').toString(), /^cpu1 \(arm\), powered off$/);
  t.is(await c.request('Hg2'), 'OK');
  t.is(await c.request('qC'), 'QC2');
  t.is(await register(c, PC), 0, 'cpu1 is still at its reset PC');
  t.is(await c.request('Hg1'), 'OK');
  t.is(await register(c, PC), START);
  t.is(await c.request('Hc-1'), 'OK');
  t.is(await c.request('vCont;s:2'), 'T05thread:2;');
  t.is(b.built.cpus[0]!.retired, 0, 'cpu0 stayed stopped: it had no action');
  t.is(await c.request('vCont;s:p1.1'), 'T05thread:1;', 'multiprocess thread-ids are read too');
  t.is(b.built.cpus[0]!.retired, 1);
  t.is(await c.request(`Z0,${MAIN.toString(16)},4`), 'OK');
  t.is(await c.request('vCont;c'), 'T05thread:1;swbreak:;');
  t.is(await c.request('Hc1'), 'OK');
  t.is(await c.request('Hgp1.2'), 'OK');
  t.is(await register(c, PC), 0);
  await end(b);
});
