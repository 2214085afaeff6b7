import type { ArmCpu } from '../../cores/arm/ArmCpu.ts';
import type { ArmTestMachine } from './ArmTestMachine.ts';
import { PROGRAM_AT, WINDOW, Xorshift } from './JitRandomProgram.ts';

/**
 * What the A32 and T32 lockstep tests share: where a seed's program goes,
 * the state compared after every run, and the runs themselves (the same
 * random budgets, now and then an IRQ for one slice, in both cores).
 */

/** Even seeds load the program across a page boundary, so that second-tier regions link the next page. */
export const programAt = (seed: number) => (seed % 2 === 0 ? PROGRAM_AT + 0xf00 : PROGRAM_AT);

/** The whole architectural state the two cores must agree on: every mode's registers, PSRs, R15, the count, the fault registers. */
export function lockstepState(cpu: ArmCpu) {
  return {
    registers: cpu.registerNames().map((n) => cpu.getRegister(n)),
    spsr: cpu.getRegister('spsr'),
    banked: [...cpu.bankedSp, ...cpu.bankedLr, ...cpu.spsr, ...cpu.usrHigh, ...cpu.fiqHigh],
    r15: cpu.r[15],
    retired: cpu.retired,
    dfsr: cpu.sys.dfsr,
    dfar: cpu.sys.dfar,
    q: cpu.q,
    ge: cpu.ge,
  };
}

/** The data window the programs load from and store to (and 4 KiB either side). */
export function windowBytes(m: ArmTestMachine): Uint8Array {
  const region = m.bus.memoryAt(WINDOW)!;
  const from = WINDOW - 0x1000 - region.base;
  return region.bytes.slice(from, from + 0x3000);
}

/**
 * Run `reference` (interpreter) and `jitted` under the same `steps` random
 * budgets drawn from `budgetSeed`, comparing after each; the first difference
 * as a message, or null.
 */
export function runLockstep(seed: number, reference: ArmTestMachine, jitted: ArmTestMachine, budgetSeed: number, steps: number): string | null {
  const budgets = new Xorshift(budgetSeed);
  for (let step = 0; step < steps; step++) {
    const budget = budgets.chance(0.1) ? 200 + budgets.below(2000) : 1 + budgets.below(40);
    // Now and then an IRQ for one slice: taken (CPSR.I clear) before the slice's first instruction, in both.
    const irq = budgets.chance(0.1);
    if (irq) for (const m of [reference, jitted]) m.cpu.setIrqLevel(0, true);
    reference.cpu.run(budget);
    jitted.cpu.run(budget);
    if (irq) for (const m of [reference, jitted]) m.cpu.setIrqLevel(0, false);
    const a = JSON.stringify(lockstepState(reference.cpu));
    const b = JSON.stringify(lockstepState(jitted.cpu));
    if (a !== b) return `seed ${seed}, step ${step} (budget ${budget}): state ${a} vs ${b}`;
    if (Buffer.compare(windowBytes(reference), windowBytes(jitted)) !== 0) return `seed ${seed}, step ${step}: data window differs`;
  }
  return null;
}
