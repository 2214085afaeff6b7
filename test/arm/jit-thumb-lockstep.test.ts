import test from 'ava';
import { installThumb } from '../../cores/arm/thumb/index.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';
import { programAt, runLockstep } from './JitLockstep.ts';
import { NO_MEMORY, VECTORS, WINDOW, Xorshift } from './JitRandomProgram.ts';
import { halfwordsToWords, randomThumbProgram } from './JitRandomThumbProgram.ts';

installThumb();

/**
 * The T32 interpreter is the reference: a core with the JIT (compiling
 * every block on first sight or after a few entries) and one without run
 * the same random T32 program (JitRandomThumbProgram.ts: 16- and 32-bit
 * forms, IT blocks, every branch encoding, exceptions in mid-block) under
 * the same random run budgets, and after every run their whole state must
 * be equal: registers of every mode, CPSR (ITSTATE and the T bit included)
 * and SPSRs, the next PC, the instruction count, the fault registers and
 * the data window.
 */

function setUp(jit: false | { threshold: number; tierUpEntries: number }, program: readonly number[], seed: number): ArmTestMachine {
  const m = new ArmTestMachine({ jit });
  for (const [address, word] of VECTORS) m.bus.write32(address, word);
  m.load(halfwordsToWords(program), programAt(seed));
  const r = new Xorshift(seed ^ 0x2545f491);
  for (const reg of ['r0', 'r1', 'r2', 'r3', 'r11']) m.cpu.setRegister(reg, r.next());
  m.cpu.setRegister('r4', r.below(0x400));
  m.cpu.setRegister('r5', WINDOW);
  m.cpu.setRegister('r6', WINDOW);
  m.cpu.setRegister('r8', WINDOW);
  m.cpu.setRegister('r9', r.below(0x400));
  m.cpu.setRegister('r10', WINDOW);
  m.cpu.setRegister('r12', NO_MEMORY);
  m.cpu.setRegister('sp', 0x40080000);
  // Thumb state, SVC mode, IRQs unmasked, flags from the generator.
  m.cpu.setRegister('cpsr', ((r.next() & 0xf8000000) | 0x173) >>> 0);
  for (let a = WINDOW - 0x1000; a < WINDOW + 0x2000; a += 4) m.bus.write32(a, r.next());
  return m;
}

function lockstep(seed: number, length: number, steps: number, threshold: number): string | null {
  const program = randomThumbProgram(seed, length);
  const reference = setUp(false, program, seed);
  const jitted = setUp({ threshold, tierUpEntries: 3 + (seed % 4) }, program, seed);
  const problem = runLockstep(seed, reference, jitted, seed * 7 + 3, steps);
  if (problem !== null) return problem;
  const stats = jitted.cpu.jit!.stats;
  if (stats.failures !== 0) return `seed ${seed}: compile failure ${stats.lastError}`;
  if (stats.thumbRegions === 0) return `seed ${seed}: no T32 region was compiled`;
  links += stats.links;
  return null;
}

/** Links made across pages by all the runs (the programs of even seeds cross a page boundary). */
let links = 0;

for (let group = 0; group < 3; group++) {
  test(`random T32 programs run the same with and without the JIT (seeds ${group * 20 + 1}–${group * 20 + 20})`, (t) => {
    for (let seed = group * 20 + 1; seed <= group * 20 + 20; seed++) {
      const problem = lockstep(seed, 30 + (seed % 5) * 12, 150, 1 + (seed % 3));
      if (problem !== null) return t.fail(problem);
    }
    t.true(links > 0, 'some second-tier regions linked the next page');
  });
}

test('the random T32 programs do raise exceptions, take IRQs and run IT blocks (the comparison covers them)', (t) => {
  let aborts = 0;
  let svcs = 0;
  let undefs = 0;
  let irqs = 0;
  let inIt = 0;
  for (let seed = 1; seed <= 10; seed++) {
    const m = setUp(false, randomThumbProgram(seed, 60), seed);
    m.cpu.probe = {
      traceInstructions: true,
      instruction() {
        if (m.cpu.it !== 0) inIt++;
      },
      undefinedInstruction() {},
      exception(kind) {
        if (kind === 'data-abort') aborts++;
        else if (kind === 'svc') svcs++;
        else if (kind === 'undefined') undefs++;
        else if (kind === 'irq') irqs++;
      },
    };
    for (let i = 0; i < 100; i++) {
      m.cpu.setIrqLevel(0, i % 10 === 0);
      m.cpu.run(50);
    }
  }
  t.true(aborts > 0 && svcs > 0 && undefs > 0 && irqs > 0 && inIt > 100, `aborts ${aborts}, svcs ${svcs}, undefs ${undefs}, IRQs ${irqs}, in IT blocks ${inIt}`);
});
