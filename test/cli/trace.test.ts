import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseElf } from '../../src/loader/ElfImage.ts';
import { runCli } from './CliRunner.ts';

const traceFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'tskvm-trace-')), name);
const linesOf = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n');
const retiredOf = (stderr: string) => Number(/; (\d+) instructions, /.exec(stderr)?.[1]);
const stampOf = (line: string) => Number(/ t=(\d+) /.exec(line)?.[1]);

test('--trace insn:FILE writes each instruction with address, symbol, encoding and disassembly', (t) => {
  const file = traceFile('insn.txt');
  const r = runCli(['run', 'boards/virt-arm.xml', '--trace', `insn:${file}`]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /Hello from tskvm on virt-arm/);
  const lines = linesOf(file);
  // arm-none-eabi-objdump -d hello.elf: "40100000 <_start>: ea000006  b 40100020 <reset>"
  t.is(lines[0], '[cpu0] 40100000 <_start>  ea000006  b 0x40100020 <reset>');
  t.regex(lines[1]!, /^\[cpu0\] 40100020 <reset> {2}e10f0000 {2}mrs r0, CPSR$/);
  // The summary line counts every traced instruction.
  t.is(lines.length, retiredOf(r.stderr));
});

test('--trace exc reports exceptions with where they came from', (t) => {
  const r = runCli(['run', 'boards/virt-arm.xml', '--firmware', 'boards/firmware/arm/exceptions.elf', '--max-instructions', '300000', '--trace', 'exc']);
  // The first check of the program is an A32 SVC from main to the vector at VBAR + 8.
  t.regex(r.stderr, /^\[cpu0\] exception svc from [0-9a-f]{8} <main\+0x[0-9a-f]+> to vector 40100008$/m);
});

test('--trace with an unknown kind is bad input listing the kinds', (t) => {
  const r = runCli(['run', 'boards/virt-arm.xml', '--trace', 'insn,bogus']);
  t.is(r.status, 2);
  t.regex(r.stderr, /--trace: unknown kind 'bogus' \(kinds: insn, mem, mmio, irq, exc, undef, exit, mmu\)/);
});

test('--trace mmio,mem on hello: the PL011 data register writes are the bytes printed, loads read what the ELF holds', (t) => {
  const file = traceFile('hello.txt');
  const plain = runCli(['run', 'boards/virt-arm.xml']);
  const r = runCli(['run', 'boards/virt-arm.xml', '--trace', `mmio,mem:${file}`]);
  t.is(r.status, 0, r.stderr);
  // Tracing changes nothing the firmware does: same output, same instruction count.
  t.is(r.stdout, plain.stdout);
  t.is(retiredOf(r.stderr), retiredOf(plain.stderr));
  const lines = linesOf(file);

  // PL011 TRM (DDI 0183G) 3.3.1: UARTDR at offset 0x000, a write sends data bits [7:0].
  const dr = lines.filter((l) => / mmio write pl011@9000000 offset=0x0 /.test(l));
  t.true(dr.length > 0);
  for (const l of dr) t.regex(l, /^\[cpu0\] t=\d+ mmio write pl011@9000000 offset=0x0 reg=UARTDR size=4 value=0x000000[0-9a-f]{2} pc=0x[0-9a-f]+ <uart_\w+\+0x[0-9a-f]+>$/);
  const sent = dr.map((l) => String.fromCharCode(Number(/value=(0x[0-9a-f]+)/.exec(l)![1]) & 0xff)).join('');
  t.is(sent, plain.stdout);
  // 3.3.3: UARTFR at 0x018; the firmware polls it and may only write while TXFF (bit 5) is clear.
  const fr = lines.filter((l) => / mmio read pl011@9000000 offset=0x18 reg=UARTFR /.test(l));
  t.true(fr.length >= dr.length);
  for (const l of fr) t.is(Number(/value=(0x[0-9a-f]+)/.exec(l)![1]) & 0x20, 0);

  // Data accesses: the MMU is off (SCTLR.M = 0 after reset), so VA = PA (B3.2 "the MMU disabled").
  const mem = lines.filter((l) => / mem (read|write) /.test(l));
  t.true(mem.length > 10);
  for (const l of mem) {
    const m = /^\[cpu0\] t=\d+ mem (read|write) size=([124]) va=(0x[0-9a-f]+) pa=(0x[0-9a-f]+) value=(0x[0-9a-f]+) pc=0x[0-9a-f]+ <\w+(?:\+0x[0-9a-f]+)?>$/.exec(l);
    if (!m) return t.fail(`malformed line: ${l}`);
    t.is(m[3], m[4]);
    t.is(m[5]!.length, 2 + 2 * Number(m[2]));
  }
  // Loads from code and constants (.text literal pools, .rodata: nothing writes them) return the
  // bytes of the ELF file, little-endian.
  const elf = parseElf(new Uint8Array(readFileSync('boards/firmware/arm/hello.elf')), { path: 'hello.elf' });
  const constant = elf.sections.filter((s) => s.name === '.text' || s.name === '.rodata');
  t.is(constant.length, 2);
  let checked = 0;
  for (const l of mem) {
    const m = /mem read size=4 va=(0x[0-9a-f]+) pa=0x[0-9a-f]+ value=(0x[0-9a-f]+)/.exec(l);
    if (!m) continue;
    const va = Number(m[1]);
    const sec = constant.find((s) => va >= s.addr && va + 4 <= s.addr + s.size);
    if (!sec) continue;
    const o = sec.offset + va - sec.addr;
    const word = (elf.bytes[o]! | (elf.bytes[o + 1]! << 8) | (elf.bytes[o + 2]! << 16) | (elf.bytes[o + 3]! << 24)) >>> 0;
    t.is(Number(m[2]), word, l);
    checked++;
  }
  t.true(checked > 0);
  // Virtual time stamps never go back on one core.
  const stamps = lines.map(stampOf);
  t.true(stamps.every((s, i) => i === 0 || s >= stamps[i - 1]!));
});

test('--trace irq on the generic-timer firmware: line 30 and 27 raised at the GIC, taken, acknowledged and ended with their INTID', (t) => {
  const file = traceFile('irq.txt');
  const plain = runCli(['run', 'boards/virt-arm.xml', '--firmware', 'boards/firmware/arm/timer.elf']);
  const r = runCli(['run', 'boards/virt-arm.xml', '--firmware', 'boards/firmware/arm/timer.elf', '--trace', `irq:${file}`]);
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, plain.stdout);
  t.is(retiredOf(r.stderr), retiredOf(plain.stderr));
  const lines = linesOf(file);
  // The virt board's timer node lists PPIs 13, 14, 11, 10 (secure, non-secure physical, virtual, hyp):
  // INTIDs 29, 30, 27, 26 (GIC PPI n = INTID 16 + n). The firmware uses the physical and virtual timers.
  for (const intid of [30, 27]) {
    const raised = lines.findIndex((l) => l.endsWith(`irq line input=${intid} raised (timer -> intc@8000000:${intid})`));
    t.true(raised >= 0, `line ${intid} raised`);
    const taken = lines.findIndex((l, i) => i > raised && / irq taken exception=irq pc=0x[0-9a-f]+ <\w+\+0x[0-9a-f]+> vector=0x40100018$/.test(l));
    // IHI 0048B 4.4.4: reading GICC_IAR returns the INTID being acknowledged; 4.4.5: EOIR takes it back.
    const ack = lines.findIndex((l, i) => i > taken && l.includes(` irq ack intid=${intid} intc@8000000.cpu-interface pc=`));
    const eoi = lines.findIndex((l, i) => i > ack && l.includes(` irq eoi intid=${intid} intc@8000000.cpu-interface pc=`));
    t.true(taken > raised && ack > taken && eoi > ack, `${intid}: raised ${raised}, taken ${taken}, ack ${ack}, eoi ${eoi}`);
    // The handler silences the timer (CTL.IMASK or a new CVAL) before the EOI, so the line drops in between.
    const lowered = lines.findIndex((l, i) => i > ack && l.includes(`irq line input=${intid} lowered`));
    t.true(lowered > ack && lowered < eoi);
    // The line rose while no core ran (a clock event), the rest happened on cpu0.
    t.regex(lines[raised]!, /^\[machine\] t=\d+ /);
    t.regex(lines[ack]!, /^\[cpu0\] t=\d+ /);
  }
  // A read of IAR with nothing pending gives the spurious INTID 1023 (4.4.4).
  t.true(lines.every((l) => !/ irq ack intid=(\d+)/.test(l) || ['30', '27', '1023'].includes(/ irq ack intid=(\d+)/.exec(l)![1]!)));
});

test('--trace mmu on the MMU firmware: walks, TTBR0 and TLB maintenance, aborts with DFSR/DFAR and IFSR/IFAR', (t) => {
  const file = traceFile('mmu.txt');
  const r = runCli(['run', 'boards/virt-arm.xml', '--firmware', 'boards/firmware/arm/mmu.elf', '--trace', `mmu:${file}`]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /SUMMARY mmu: \d+ passed, 0 failed/);
  const lines = linesOf(file);
  t.true(lines.some((l) => /^\[cpu0\] t=\d+ mmu TTBR0 = 0x[0-9a-f]+$/.test(l)));
  t.true(lines.some((l) => /^\[cpu0\] t=\d+ mmu TLBIALL /.test(l)));
  t.true(lines.some((l) => /^\[cpu0\] t=\d+ mmu TLBIMVA 0x[0-9a-f]+$/.test(l)));
  // SCTLR.M (bit 0) set turns the MMU on; walks follow.
  const on = lines.findIndex((l) => {
    const m = / mmu SCTLR = (0x[0-9a-f]+)$/.exec(l);
    return m !== null && (Number(m[1]) & 1) === 1;
  });
  t.true(on >= 0);
  t.regex(lines[on + 1] ?? '', / mmu (walk va=0x[0-9a-f]+ pa=0x[0-9a-f]+ level=[12]|DACR = 0x[0-9a-f]+)$/);

  // Short-descriptor DFSR/IFSR (B4.1.52, Table B3-23): FS = bits [10, 3:0], WnR = bit 11.
  const aborts = lines.filter((l) => / mmu (data|prefetch)-abort /.test(l)).map((l) => {
    const m = /(D|I)FSR=(0x[0-9a-f]+) (?:D|I)FAR=(0x[0-9a-f]+)/.exec(l)!;
    const fsr = Number(m[2]);
    return { kind: m[1], fs: ((fsr >>> 6) & 0x10) | (fsr & 0xf), wnr: (fsr >>> 11) & 1, far: Number(m[3]) };
  });
  const has = (kind: string, fs: number, wnr: number) => aborts.some((a) => a.kind === kind && a.fs === fs && a.wnr === wnr);
  t.true(has('D', 0b01111, 1), 'write to a read-only page: permission fault, page (0b01111), WnR');
  t.true(has('D', 0b01101, 1), 'write to a read-only section: permission fault, section (0b01101), WnR');
  t.true(has('D', 0b00111, 0), 'read through an invalid second-level entry: translation fault, page (0b00111)');
  t.true(has('D', 0b01001, 0), 'no-access domain: domain fault, section (0b01001)');
  t.true(has('D', 0b00001, 0), 'alignment fault (0b00001)');
  t.true(has('I', 0b01111, 0), 'execute from an XN page: permission fault, page, in IFSR');
  // The walk that found the invalid second-level entry reports a fault at level 2, before the abort.
  const translation = lines.findIndex((l) => /DFSR=0x0000000?7 /.test(l) || /DFSR=0x[0-9a-f]*0[0-9a-f]7 /.test(l));
  const dfar = /DFAR=(0x[0-9a-f]+)/.exec(lines[translation]!)![1];
  t.true(lines.slice(0, translation).some((l) => l.endsWith(`mmu walk va=${dfar} fault level=2`)));
});

test('--trace exit on the phone board: one line per exit as the VM counts them, UART stores spell the guest console, a shutdown system event last', (t) => {
  const file = traceFile('exit.txt');
  const r = runCli(['run', 'boards/phone.xml', '--trace', `exit:${file}`]);
  t.is(r.status, 0, r.stderr);
  const lines = linesOf(file);
  for (const vm of ['guest-nested', 'guest-shadow']) {
    const mine = lines.filter((l) => l.startsWith(`[${vm}/vcpu0] `));
    // The guest's PL011 is at 0x09000000 in its own tree, reached through MMIO exits (KVM_EXIT_MMIO).
    // pc: the guest's store to the data register (UARTDR, offset 0), named from the guest's own ELF.
    const dr = mine.filter((l) => / exit mmio gpa=0x9000000 size=\d dir=write data=0x[0-9a-f]+ pc=0x[0-9a-f]+ <\w+(?:\+0x[0-9a-f]+)?>$/.test(l));
    const text = dr.map((l) => String.fromCharCode(Number(/data=(0x[0-9a-f]+)/.exec(l)![1]) & 0xff)).join('');
    // The bytes stored are the guest's console output (which stdout shows with a "[name] " prefix).
    const printed = r.stdout.split('\n').filter((l) => l.startsWith(`[${vm}] `)).map((l) => `${l.slice(vm.length + 3)}\n`).join('');
    t.true(printed.length > 0);
    t.is(text.replace(/\r/g, ''), printed.replace(/\r/g, ''));
    // PSCI SYSTEM_OFF becomes KVM_EXIT_SYSTEM_EVENT with type SHUTDOWN.
    t.regex(mine.at(-1)!, / exit system-event type=shutdown pc=0x[0-9a-f]+ <\w+(?:\+0x[0-9a-f]+)?>$/);
    // One line per exit, of each kind as many as the VM's counters report ("exits: intr 12, mmio 345, …").
    const counters = new RegExp(`vm ${vm}: .*exits: ([^;]+)`).exec(r.stderr)![1]!.split(', ').map((c) => c.split(' '));
    t.true(counters.some(([kind]) => kind === 'mmio'));
    for (const [kind, n] of counters) t.is(mine.filter((l) => l.includes(` exit ${kind} `) || l.endsWith(` exit ${kind}`)).length, Number(n), kind);
  }
});

test('traces are deterministic and leave the run unchanged: two traced runs of the phone board give the same file', (t) => {
  const kinds = 'mmio,irq,exc,exit,mmu';
  const a = traceFile('a.txt');
  const b = traceFile('b.txt');
  const plain = runCli(['run', 'boards/phone.xml']);
  const ra = runCli(['run', 'boards/phone.xml', '--trace', `${kinds}:${a}`]);
  const rb = runCli(['run', 'boards/phone.xml', '--trace', `${kinds}:${b}`]);
  t.is(ra.stdout, plain.stdout);
  t.is(rb.stdout, plain.stdout);
  t.is(retiredOf(ra.stderr), retiredOf(plain.stderr));
  const ta = readFileSync(a, 'utf8');
  t.true(ta.length > 1000);
  t.is(readFileSync(b, 'utf8'), ta);
  // Guest and host lines are both there.
  t.regex(ta, /^\[guest-shadow\/vcpu0\] t=\d+ mmio write pl011@9000000 offset=0x0 reg=UARTDR /m);
  t.regex(ta, /^\[cpu0\] t=\d+ irq ack intid=30 /m);
});

test('a bad --trace or --trace-out with --gdb is bad input, not a hang on the listening socket', (t) => {
  const r = runCli(['run', 'boards/virt-arm.xml', '--gdb', '0', '--trace', 'mmio,nope'], { timeoutMs: 60_000 });
  t.is(r.status, 2, r.stderr);
  t.regex(r.stderr, /--trace: unknown kind 'nope'/);
  const o = runCli(['run', 'boards/virt-arm.xml', '--gdb', '0', '--trace-out', '/nonexistent/dir/x.json'], { timeoutMs: 60_000 });
  t.is(o.status, 2, o.stderr);
  t.regex(o.stderr, /--trace-out: cannot write \/nonexistent\/dir\/x\.json/);
});
