import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { repoRoot } from '../cli/CliRunner.ts';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { attachGuestConsoles } from '../../src/board/VmBuilder.ts';
import type { ArmCpu } from '../../cores/arm/ArmCpu.ts';
import { isSerialDevice } from '../../src/machine/SerialPort.ts';

/**
 * The phone's own firmware (boards/firmware/arm/phone-host and phone-guest),
 * mostly run as plain firmware on boards/virt-arm.xml. What the tasks print
 * is checked against values computed here independently (prime counts,
 * Collatz records, CRC-32 from node:zlib, the guest's heap checksums), the
 * tick counts against the virtual time the run took, the scheduling against
 * the order the lines came out in, and everything against QEMU's output for
 * the same ELFs. Then on phone.xml: the host's view of the board, and the
 * guest in both of the phone's VMs.
 */
const board = join(repoRoot, 'boards', 'virt-arm.xml');
const phone = join(repoRoot, 'boards', 'phone.xml');
const elf = (name: string) => join(repoRoot, 'boards', 'firmware', 'arm', `${name}.elf`);

/** Both kernels tick at 4000 Hz: 250 µs of virtual time per tick. */
const TICK_NS = 250_000;

function run(name: string) {
  const s = BoardSession.open(board, { firmware: elf(name) });
  const result = s.runToEnd({ maxTimeNs: 0.5e9 });
  const lines = s.output.split('\r\n');
  return { s, result, lines };
}

function timerEnabled(s: BoardSession): { physical: boolean; virtual: boolean } {
  const cpu = s.built.cpus[0] as unknown as ArmCpu;
  return { physical: (cpu.timer.physical.readCtl() & 1) === 1, virtual: (cpu.timer.virtual.readCtl() & 1) === 1 };
}

/** Task number of every "[task N] ..." line, in output order. */
function taskOrder(lines: string[]): number[] {
  return lines.flatMap((l) => {
    const m = /^\[task (\d)\] /.exec(l);
    return m ? [Number(m[1])] : [];
  });
}

function primesBelow(n: number): number {
  let count = 0;
  for (let v = 2; v < n; v++) {
    let prime = true;
    for (let d = 2; d * d <= v; d++) if (v % d === 0) { prime = false; break; }
    if (prime) count++;
  }
  return count;
}

function collatzRecord(below: number): [number, number] {
  let best = 1;
  let bestSteps = 0;
  for (let v = 1; v < below; v++) {
    let x = v;
    let steps = 0;
    while (x !== 1) {
      x = x % 2 ? 3 * x + 1 : x / 2;
      steps++;
    }
    if (steps > bestSteps) [best, bestSteps] = [v, steps];
  }
  return [best, bestSteps];
}

function crcOfCountingBytes(n: number): string {
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i++) bytes[i] = i & 0xff;
  return '0x' + crc32(bytes).toString(16).padStart(8, '0');
}

const host = run('phone-host');

test('phone-host boots from the DTB: RAM, PSCI method, console, the PL031 boot time, MMU, GIC and a physical-timer tick', (t) => {
  const out = host.s.output;
  t.regex(out, /^Booting tskvm phone host kernel\r$/m);
  // virt-arm.xml: 256 MiB at 0x40000000, psci method "hvc", one PL011, a PL031.
  t.regex(out, /^memory: 0x40000000-0x4fffffff \(256 MiB\)\r$/m);
  t.regex(out, /^psci: method hvc\r$/m);
  t.regex(out, /^serial: pl011 at 0x09000000 \(console \/pl011@9000000\)\r$/m);
  const rtc = /^rtc: pl031 at 0x09010000, boot time (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC \((\d+) s since 1970\)\r$/m.exec(out);
  t.truthy(rtc, out.slice(0, 800));
  // The kernel's calendar conversion agrees with JavaScript's for the seconds it read.
  t.is(rtc![1], new Date(Number(rtc![2]) * 1000).toISOString().slice(0, 19).replace('T', ' '));
  t.regex(out, /^mmu: on, caches on; /m);
  // GICD_TYPER.ITLinesNumber of the board's GIC (QEMU virt: 288 lines).
  t.regex(out, /^gic: v2 distributor 0x08000000, cpu interface 0x08010000, 288 interrupt lines\r$/m);
  // 62.5 MHz counter / 4000 Hz = 15625 counts per tick, on PPI 14 (ID 30).
  t.regex(out, /^timer: 62500000 Hz counter, tick 4000 Hz \(15625 counts\) on the physical timer, interrupt 30\r$/m);
  t.deepEqual(timerEnabled(host.s), { physical: true, virtual: false });
});

test('phone-host: every task prints correct results, step by step, and exits with 0', (t) => {
  const out = host.s.output;
  for (let k = 1; k <= 6; k++) {
    t.regex(out, new RegExp(`^\\[task 1\\] step ${k}/6: ${primesBelow(2000 * k)} primes below ${2000 * k}\\r$`, 'm'));
    const [start, steps] = collatzRecord(1000 * k);
    t.regex(out, new RegExp(`^\\[task 2\\] step ${k}/6: longest Collatz trajectory below ${1000 * k} starts at ${start} \\(${steps} steps\\)\\r$`, 'm'));
    t.regex(out, new RegExp(`^\\[task 3\\] step ${k}/6: crc32 of ${4096 * k} bytes = ${crcOfCountingBytes(4096 * k)}\\r$`, 'm'));
  }
  for (let n = 1; n <= 4; n++) {
    t.regex(out, new RegExp(`^\\[task ${n}\\] done: pid ${n}, `, 'm'));
    t.regex(out, new RegExp(`^exit: pid ${n} \\(\\w+\\) code 0, `, 'm'));
  }
  // Each task's own lines come in order: steps 1..6, then done.
  for (let n = 1; n <= 4; n++) {
    const own = host.lines.flatMap((l) => {
      const m = /^\[task (\d)\] (?:step (\d)\/6|(done))/.exec(l);
      return m && Number(m[1]) === n ? [m[2] ?? m[3]] : [];
    });
    t.deepEqual(own, ['1', '2', '3', '4', '5', '6', 'done']);
  }
});

test('phone-host: the tick preempts the CPU-bound tasks, so their lines alternate (round robin)', (t) => {
  const order = taskOrder(host.lines);
  // Every CPU-bound task has lines of other tasks between its first and its last line.
  for (const n of [1, 2, 3]) {
    const first = order.indexOf(n);
    const last = order.lastIndexOf(n);
    const between = new Set(order.slice(first, last).filter((m) => m !== n));
    t.true(between.size >= 2, `task ${n}: ${order.join('')}`);
  }
  // Before any CPU-bound task has finished, all three have printed: they ran by turns, not one after another.
  const firstDone = host.lines.findIndex((l) => /^\[task [123]\] done/.test(l));
  const before = new Set(taskOrder(host.lines.slice(0, firstDone)));
  t.deepEqual([...before].filter((n) => n <= 3).sort(), [1, 2, 3]);
  const changes = order.slice(1).filter((n, i) => n !== order[i]).length;
  t.true(changes >= 10, order.join(''));
  const stats = /^sched: (\d+) ticks, (\d+) task switches, (\d+) idle waits, (\d+) system calls\r$/m.exec(host.s.output);
  t.truthy(stats);
  const perTask = [...host.s.output.matchAll(/preempted by (\d+) ticks, scheduled (\d+) times/g)].map((m) => Number(m[1]));
  // Ticks that landed in a CPU-bound task preempted it; the sleeper never runs a whole tick.
  t.true(perTask[0]! > 0 && perTask[1]! > 0 && perTask[2]! > 0, String(perTask));
  t.true(perTask.reduce((a, b) => a + b) <= Number(stats![1]));
  t.true(Number(stats![2]) >= changes);
  t.true(Number(stats![3]) > 0, 'the kernel idled in WFI while only the sleeper was left');
});

test('phone-host: timer ticks are counted at 4000 Hz of virtual time and the sleeper sleeps 20 of them', (t) => {
  const ticks = Number(/^sched: (\d+) ticks/m.exec(host.s.output)![1]);
  const elapsed = host.s.machine.clock.now / TICK_NS;
  // The tick starts a little after reset and the run ends a little after the last one.
  t.true(ticks <= elapsed && ticks >= elapsed - 2, `${ticks} ticks in ${elapsed} tick periods`);
  const woke = [...host.s.output.matchAll(/^\[task 4\] step \d\/6: woke at tick (\d+)\r$/gm)].map((m) => Number(m[1]));
  t.is(woke.length, 6);
  for (let i = 1; i < woke.length; i++) t.true(woke[i]! - woke[i - 1]! >= 20 && woke[i]! - woke[i - 1]! <= 22, String(woke));
});

test('phone-host: a task reading kernel memory takes a permission fault and is killed; the others go on', (t) => {
  t.regex(host.s.output, /^\[task 5\] reading kernel memory at 0x40100000\r$/m);
  // A User-mode read of a PL1-only small page: permission fault, second level, DFSR.FS = 0b01111, WnR = 0
  // (ARMv7 ARM B3.13.3, Table B3-23); DFAR is the address read.
  t.regex(host.s.output, /^kernel: task 5 \(intruder\) killed: data abort at pc 0x[0-9a-f]{8}, dfar 0x40100000, dfsr 0x0000000f\r$/m);
  t.notRegex(host.s.output, /the kernel is not protected/);
  t.regex(host.s.output, /^exit: pid 5 \(intruder\) code 132, /m);
});

test('phone-host: write() refuses a buffer User mode cannot read with EFAULT (14)', (t) => {
  // The kernel's pages are PL1-only; the kernel checks the buffer with an unprivileged address translation.
  t.regex(host.s.output, /^\[task 4\] write\(\) of a kernel address returns -14\r$/m);
});

test('phone-host powers the board off through PSCI SYSTEM_OFF with exit code 0 after its last line', (t) => {
  t.like(host.result, { kind: 'poweroff', exitCode: 0 });
  t.regex(host.s.output, /All tasks finished; power off\r\n$/);
});

test('phone-host uses the conduit the DTB names: with /psci method "smc" it powers off through SMC', (t) => {
  // With PSCI on SMC, an HVC would be a hypervisor call into HYP mode, not a power-off.
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-smc-'));
  const path = join(dir, 'virt-smc.xml');
  writeFileSync(
    path,
    readFileSync(board, 'utf8')
      .replaceAll('href="../dts/', `href="${join(repoRoot, 'dts')}/`)
      .replaceAll('elf="firmware/arm/', `elf="${join(repoRoot, 'boards', 'firmware', 'arm')}/`)
      .replace('<node name="chosen" stdout-path="/pl011@9000000"/>', '<node name="chosen" stdout-path="/pl011@9000000"/>\n<node name="psci" method="smc"/>'),
  );
  const s = BoardSession.open(path, { firmware: elf('phone-host') });
  const result = s.runToEnd({ maxTimeNs: 0.5e9 });
  t.regex(s.output, /^psci: method smc\r$/m);
  t.like(result, { kind: 'poweroff', exitCode: 0 });
  t.regex(s.output, /All tasks finished; power off\r\n$/);
});

test('phone-host on phone.xml sees 512 MiB and the second PL011, and writes its notices there', (t) => {
  const s = BoardSession.open(phone);
  // The second UART is a PL011 of its own at 0x09040000: what the host writes there comes out of that device.
  const region = s.machine.bus.regionAt(0x09040000);
  t.true(region?.kind === 'mmio' && isSerialDevice(region.device), String(region?.kind));
  let uart1 = '';
  if (region?.kind === 'mmio' && isSerialDevice(region.device)) region.device.attachBackend({ transmit: (b) => (uart1 += String.fromCharCode(b)) });
  const result = s.runToEnd({ maxTimeNs: 0.5e9 });
  t.like(result, { kind: 'poweroff', exitCode: 0 });
  t.regex(s.output, /^memory: 0x40000000-0x5fffffff \(512 MiB\)\r$/m);
  t.regex(s.output, /^serial: pl011 at 0x09000000, pl011 at 0x09040000 \(console \/pl011@9000000\)\r$/m);
  t.regex(s.output, /^serial: kernel notices go to the pl011 at 0x09040000\r$/m);
  const ticks = /^sched: (\d+) ticks/m.exec(s.output)![1];
  t.is(uart1, `phone-host: kernel notices on this port\r\nphone-host: ${ticks} ticks, power off\r\n`);
  // Nothing of it on the console.
  t.notRegex(s.output, /kernel notices on this port/);
});

const guest = run('phone-guest');

/** The guest's step lines: space letter, thread, step, value read at 0x10000000, counter, heap address, sum. */
function guestSteps(lines: string[]) {
  return lines.flatMap((l) => {
    const m = /^\[([AB])\.(\d)\] step (\d)\/5: 0x10000000 reads (0x[0-9a-f]{8}), process counter (\d+), heap (0x[0-9a-f]{8}) sum (0x[0-9a-f]{8})$/.exec(l);
    return m ? [{ space: m[1]!, thread: Number(m[2]), step: Number(m[3]), value: m[4]!, counter: Number(m[5]), heap: m[6]!, sum: m[7]! }] : [];
  });
}

/** What a thread's last fill of its heap page sums to (usr_tasks.c: 24 rounds, the last one counts). */
function heapSum(magic: number, step: number): string {
  let sum = 0;
  for (let i = 0; i < 1024; i++) {
    const word = (magic ^ Math.imul(i, 2654435761) ^ (step << 24) ^ 23) >>> 0;
    sum = (Math.imul(sum, 31) + word) >>> 0;
  }
  return '0x' + sum.toString(16).padStart(8, '0');
}

test('phone-guest: the same virtual address reads a different page in each address space', (t) => {
  const steps = guestSteps(guest.lines);
  t.is(steps.length, 20, guest.s.output.slice(-2000));
  const magic: Record<string, number> = { A: 0xa0a0a0a0, B: 0xb0b0b0b0 };
  for (const st of steps) {
    t.is(Number(st.value), magic[st.space], JSON.stringify(st));
    t.is(st.heap, st.thread === 1 ? '0x10040000' : '0x10041000');
    t.is(st.sum, heapSum(magic[st.space]!, st.step), JSON.stringify(st));
  }
  // The threads of a process share its counter page; each process counts 1..10 on its own page.
  for (const space of ['A', 'B']) {
    t.deepEqual(steps.filter((s) => s.space === space).map((s) => s.counter).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  }
  const pa = (space: string) => Number(new RegExp(`^mm: space ${space} \\(asid \\d\\): table 0x[0-9a-f]+, process page va 0x10000000 -> pa (0x[0-9a-f]+)\\r$`, 'm').exec(guest.s.output)![1]);
  t.not(pa('A'), pa('B'));
  // The pages themselves, read from physical memory after the run: each holds its process's magic and count.
  const bus = guest.s.machine.bus;
  t.deepEqual([bus.read32(pa('A')) >>> 0, bus.read32(pa('A') + 8)], [0xa0a0a0a0, 10]);
  t.deepEqual([bus.read32(pa('B')) >>> 0, bus.read32(pa('B') + 8)], [0xb0b0b0b0, 10]);
});

test('phone-guest: heap pages are mapped on demand, a different physical page per space for the same address', (t) => {
  const faults = [...guest.s.output.matchAll(/^mm: page fault in space ([AB]) at (0x[0-9a-f]+), mapped va (0x[0-9a-f]+) -> pa (0x[0-9a-f]+)\r$/gm)];
  t.is(faults.length, 4);
  const key = (m: RegExpMatchArray) => `${m[1]} ${m[3]}`;
  t.deepEqual(faults.map(key).sort(), ['A 0x10040000', 'A 0x10041000', 'B 0x10040000', 'B 0x10041000']);
  t.is(new Set(faults.map((m) => m[4])).size, 4);
  t.regex(guest.s.output, /, 4 page faults, /);
});

test('phone-guest: virtual timer ticks preempt threads of both spaces, switching address spaces', (t) => {
  t.regex(guest.s.output, /^timer: tick 4000 Hz on the virtual timer, interrupt 27\r$/m);
  t.deepEqual(timerEnabled(guest.s), { physical: false, virtual: true });
  const stats = /^sched: (\d+) virtual timer ticks, (\d+) task switches, (\d+) address space switches, /m.exec(guest.s.output);
  t.truthy(stats, guest.s.output.slice(-600));
  const ticks = Number(stats![1]);
  const elapsed = guest.s.machine.clock.now / TICK_NS;
  t.true(ticks <= elapsed && ticks >= elapsed - 2, `${ticks} ticks in ${elapsed} tick periods`);
  t.true(Number(stats![3]) > 0);
  // Step 1 of all four threads comes before step 2 of any: they ran by turns.
  const steps = guestSteps(guest.lines);
  const firstStep2 = steps.findIndex((s) => s.step === 2);
  t.deepEqual(steps.slice(0, firstStep2).map((s) => `${s.space}.${s.thread}`).sort(), ['A.1', 'A.2', 'B.1', 'B.2']);
  for (const name of ['A.1', 'B.1', 'A.2', 'B.2']) t.regex(guest.s.output, new RegExp(`^exit: pid \\d \\(${name.replace('.', '\\.')}\\) code 0, preempted by [1-9]\\d* ticks\\r$`, 'm'));
});

test('phone-guest powers off through PSCI SYSTEM_OFF over HVC with exit code 0', (t) => {
  t.regex(guest.s.output, /^psci: method hvc\r$/m);
  t.like(guest.result, { kind: 'poweroff', exitCode: 0 });
  t.regex(guest.s.output, /All processes finished; power off\r\n$/);
});

/*
 * The same ELFs under QEMU 7.2 (Debian 12) with virtual time, one instruction
 * per nanosecond as tskvm counts them, and the RTC started where tskvm's is:
 *   qemu-system-arm -M virt -cpu cortex-a15 -m 256M -nographic -net none \
 *     -icount shift=0 -rtc base=2024-01-01T00:00:00 -kernel phone-host.elf
 * recorded in test/boards/fixtures/qemu-phone-{host,guest}.txt (CRs removed).
 * Everything must be the same: boot lines, results, the order the tasks'
 * lines came in (where the ticks preempted them), tick counts, page faults,
 * statistics. Only the MIDR differs: QEMU models another Cortex-A15 revision.
 */
function withoutMidr(text: string): string[] {
  return text.replace(/\r/g, '').split('\n').filter((l) => !l.startsWith('cpu: MIDR '));
}

for (const [name, session] of [['phone-host', host], ['phone-guest', guest]] as const) {
  test(`${name} prints what QEMU prints for it, preemption points and tick counts included`, (t) => {
    const recorded = readFileSync(join(repoRoot, 'test', 'boards', 'fixtures', `qemu-${name}.txt`), 'latin1');
    t.deepEqual(withoutMidr(session.s.output), withoutMidr(recorded));
  });
}

/**
 * phone.xml as it is: phone-guest in both VMs, whose trees have a GICv2 (the
 * in-kernel vGIC), so the guest takes its virtual timer tick as interrupt 27.
 * Returns each guest's console text without its prefix, and the VMs.
 */
function phoneWithGuestOs() {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-phone-guest-'));
  const path = join(dir, 'phone.xml');
  writeFileSync(
    path,
    readFileSync(phone, 'utf8')
      .replaceAll('href="../dts/', `href="${join(repoRoot, 'dts')}/`)
      .replaceAll('elf="firmware/arm/', `elf="${join(repoRoot, 'boards', 'firmware', 'arm')}/`),
  );
  const { board: spec, diagnostics } = loadBoard(path);
  if (!spec) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const built = buildMachine(spec);
  let host = '';
  let guests = '';
  let all = ''; // host and guest text in the order it was printed, as on the terminal
  built.consoleDevice?.attachBackend({
    transmit: (b) => {
      host += String.fromCharCode(b);
      all += String.fromCharCode(b);
    },
  });
  const consoles = attachGuestConsoles(built.vms, (text) => {
    guests += text;
    all += text;
  });
  const result = built.machine.run({ maxInstructions: 100_000_000 });
  for (const c of consoles) c.flush();
  const of = (name: string) =>
    guests
      .split('\n')
      .filter((l) => l.startsWith(`[${name}] `))
      .map((l) => l.slice(name.length + 3))
      .join('\n');
  return { built, result, host, all, nested: of('guest-nested'), shadow: of('guest-shadow') };
}

test('phone-guest in the phone\'s two VMs: identical output under nested and shadow paging, both spaces seen, the counters of each mode', (t) => {
  const r = phoneWithGuestOs();
  t.is(r.result.kind, 'poweroff');
  t.regex(r.host, /^All tasks finished; power off\r\n/m);
  t.regex(r.nested, /^timer: tick 4000 Hz on the virtual timer, interrupt 27\r$/m);
  t.regex(r.nested, /^All processes finished; power off\r$/m);
  t.is(r.shadow, r.nested);
  // The same checks as on virt-arm: each space reads its own page through 0x10000000.
  const steps = guestSteps(r.nested.split('\r\n').map((l) => l.replace(/\r$/, '')));
  t.is(steps.length, 20, r.nested.slice(-1500));
  for (const st of steps) t.is(Number(st.value), st.space === 'A' ? 0xa0a0a0a0 : 0xb0b0b0b0);
  // Host and guest lines are interleaved: the guests' steps begin before the host's tasks end, and end after they began.
  const at = (text: string) => r.all.indexOf(text);
  t.true(at('[guest-nested] [A.1] step 1/5') < at('[task 1] done'));
  t.true(at('[task 1] step 1/6') < at('[guest-nested] [B.2] step 5/5'));
  t.true(at('[guest-shadow] All processes finished') < at('All tasks finished'));
  const [nested, shadow] = r.built.vms!.vmms.map((v) => v.vm.pagingCounters);
  // Nested: the core walks the guest's tables through stage 2; there are no shadow tables.
  t.true(nested!.walks > 0);
  t.deepEqual([nested!.shadowFills, nested!.shadowSyncs, nested!.writeProtectFaults], [0, 0, 0]);
  // Shadow: the shadow tables are filled per address space. The guest's demand paging (four stores to
  // fault entries) and the heap teardown at exit (four stores to live entries) hit its write-protected
  // second-level tables; only the teardown overwrites words shadows were built from, so only it resyncs.
  t.true(shadow!.shadowFills > 0);
  t.is(shadow!.writeProtectFaults, 8);
  t.true(shadow!.shadowSyncs > 0 && shadow!.shadowSyncs <= 4);
  const status = r.built.vms!.manager.status();
  t.deepEqual(status.map((s) => s.state), ['powered-off', 'powered-off']);
  for (const s of status) t.is(s.exits['system-event'], 1);
});

test('both programs are deterministic: same output, instruction count and virtual time twice', (t) => {
  for (const [name, first] of [['phone-host', host], ['phone-guest', guest]] as const) {
    const again = run(name);
    t.is(again.s.output, first.s.output);
    t.is(again.s.instructions, first.s.instructions);
    t.is(again.s.machine.clock.now, first.s.machine.clock.now);
  }
});
