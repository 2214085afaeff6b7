import test from 'ava';
import { join } from 'node:path';
import { repoRoot } from '../cli/CliRunner.ts';
import { BoardSession } from '../../src/testing/BoardSession.ts';

/**
 * Our self-checking firmware (boards/firmware/arm/, expectations from the ARM
 * ARM, each program verified under QEMU when written) on boards/virt-arm.xml:
 * every check passes and the program powers the board off with code 0.
 */
const board = join(repoRoot, 'boards', 'virt-arm.xml');
const firmware = (name: string) => join(repoRoot, 'boards', 'firmware', 'arm', `${name}.elf`);

function runProgram(name: string) {
  const s = BoardSession.open(board, { firmware: firmware(name) });
  const result = s.runToEnd({ maxTimeNs: 0.5e9 });
  return { s, result };
}

for (const name of ['arith', 'thumb', 'exceptions', 'mmu', 'timer', 'exclusives']) {
  test(`${name}: every check passes and the board powers off with 0`, (t) => {
    const { s, result } = runProgram(name);
    const fails = s.output.split('\n').filter((l) => l.startsWith('FAIL'));
    t.deepEqual(fails, [], s.output.slice(-1500));
    t.regex(s.output, new RegExp(`^SUMMARY ${name}: [1-9]\\d* passed, 0 failed`, 'm'));
    t.like(result, { kind: 'poweroff', exitCode: 0 });
  });
}

test('hello prints its line and powers off', (t) => {
  const { s, result } = runProgram('hello');
  t.regex(s.output, /^Hello from tskvm on virt-arm\r?\n/);
  t.like(result, { kind: 'poweroff', exitCode: 0 });
});

test('runs are deterministic: same output, instruction count and virtual time twice', (t) => {
  // timer.elf reads the counter, waits for timer interrupts and uses WFI: the most time-dependent program.
  const a = runProgram('timer');
  const b = runProgram('timer');
  t.is(a.s.output, b.s.output);
  t.is(a.s.instructions, b.s.instructions);
  t.is(a.s.machine.clock.now, b.s.machine.clock.now);
});
