import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './CliRunner.ts';

test('--trace insn:FILE writes each instruction with address, symbol, encoding and disassembly', (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'tskvm-trace-')), 'insn.txt');
  const r = runCli(['run', 'boards/virt-arm.xml', '--trace', `insn:${file}`]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /Hello from tskvm on virt-arm/);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  // arm-none-eabi-objdump -d hello.elf: "40100000 <_start>: ea000006  b 40100020 <reset>"
  t.is(lines[0], '[cpu0] 40100000 <_start>  ea000006  b 0x40100020 <reset>');
  t.regex(lines[1]!, /^\[cpu0\] 40100020 <reset> {2}e10f0000 {2}mrs r0, CPSR$/);
  // The summary line counts every traced instruction.
  const count = Number(/; (\d+) instructions/.exec(r.stderr)?.[1]);
  t.is(lines.length, count);
});

test('--trace exc reports exceptions with where they came from', (t) => {
  const r = runCli(['run', 'boards/virt-arm.xml', '--firmware', 'boards/firmware/arm/exceptions.elf', '--max-instructions', '300000', '--trace', 'exc']);
  // The first check of the program is an A32 SVC from main to the vector at VBAR + 8.
  t.regex(r.stderr, /^\[cpu0\] exception svc from [0-9a-f]{8} <main\+0x[0-9a-f]+> to vector 40100008$/m);
});

test('--trace with an unknown kind is bad input listing the kinds', (t) => {
  const r = runCli(['run', 'boards/virt-arm.xml', '--trace', 'insn,bogus']);
  t.is(r.status, 2);
  t.regex(r.stderr, /--trace: unknown kind 'bogus' \(kinds: insn, exc, undef\)/);
});
