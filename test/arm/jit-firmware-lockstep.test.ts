import test from 'ava';
import { join } from 'node:path';
import type { ArmCpu } from '../../cores/arm/ArmCpu.ts';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { repoRoot } from '../cli/CliRunner.ts';
import { lockstepState } from './JitLockstep.ts';
import { Xorshift } from './JitRandomProgram.ts';

/**
 * The test firmware in lockstep: the same board runs once with the
 * interpreter and once with the JIT (compiling after three entries), both
 * stopped after the same random numbers of instructions (mostly 1–300, now
 * and then thousands: slices end inside compiled blocks, at their ends and
 * inside loops), and after every slice the cores' whole state, the virtual
 * time and the console must be equal. jit-firmware.test.ts compares whole
 * runs; this finds the first instruction where they part.
 */

const board = join(repoRoot, 'boards', 'virt-arm.xml');

function open(name: string, jit: boolean): BoardSession {
  const s = BoardSession.open(board, { firmware: join(repoRoot, 'boards', 'firmware', 'arm', `${name}.elf`), jit });
  for (const c of s.built.cpus as ArmCpu[]) c.jit?.setThresholds(3);
  return s;
}

const state = (s: BoardSession) => JSON.stringify([(s.built.cpus as ArmCpu[]).map(lockstepState), s.machine.clock.now, s.output]);

// Whole programs, and the first 3M instructions of the CPU-bound bench in both instruction sets.
const PROGRAMS: ReadonlyArray<[string, number]> = [
  ['arith', Infinity], ['thumb', Infinity], ['exceptions', Infinity], ['mmu', Infinity], ['timer', Infinity],
  ['exclusives', Infinity], ['float', Infinity], ['bench', 3_000_000], ['bench-thumb', 3_000_000],
];

for (const [name, limit] of PROGRAMS) {
  test(`${name}.elf: interpreter and JIT agree after every one of thousands of random slices`, (t) => {
    const reference = open(name, false);
    const jitted = open(name, true);
    const budgets = new Xorshift(name.length * 7919 + 17);
    let slices = 0;
    while (reference.result === undefined && reference.instructions < limit) {
      const budget = budgets.chance(0.05) ? 1000 + budgets.below(5000) : 1 + budgets.below(300);
      const a = reference.machine.run({ maxInstructions: budget });
      const b = jitted.machine.run({ maxInstructions: budget });
      slices++;
      if (a.kind !== b.kind) return t.fail(`slice ${slices}: ${a.kind} against ${b.kind} with the JIT`);
      if (state(reference) !== state(jitted)) {
        return t.fail(`slice ${slices} (${reference.instructions} instructions): ${state(reference).slice(0, 400)} against ${state(jitted).slice(0, 400)}`);
      }
      if (a.kind !== 'limit') break;
    }
    const compiled = (jitted.built.cpus as ArmCpu[]).reduce((n, c) => n + (c.jit?.stats.regions ?? 0), 0);
    t.true(compiled > 0, 'the JIT compiled some of it');
    t.true(slices > 50, `${slices} slices compared`);
  });
}
