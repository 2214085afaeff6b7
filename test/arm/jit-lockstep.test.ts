import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';
import { programAt, runLockstep } from './JitLockstep.ts';
import { NO_MEMORY, randomProgram, VECTORS, WINDOW, Xorshift } from './JitRandomProgram.ts';

/**
 * The interpreter is the reference: a core with the JIT (compiling every
 * block on first sight) and one without run the same random A32 program
 * with the same sequence of run budgets, and after every run their whole
 * state must be equal: registers of every mode, CPSR and SPSRs, the next
 * PC, the instruction count, the fault registers and the data window.
 * Budgets are small and varied so that slices end inside blocks, at block
 * boundaries and inside loops; the programs raise exceptions (Data Aborts
 * from addresses with no memory and from unaligned LDRD/LDM, SVC, UDF)
 * in the middle of blocks.
 */

function setUp(jit: false | { threshold: number; tierUpEntries?: number }, program: readonly number[], seed: number): ArmTestMachine {
  const m = new ArmTestMachine({ jit });
  for (const [address, word] of VECTORS) m.bus.write32(address, word);
  m.load(program, programAt(seed));
  const r = new Xorshift(seed ^ 0x5bd1e995);
  for (let i = 0; i < 7; i++) m.cpu.setRegister(`r${i}`, r.next());
  m.cpu.setRegister('r8', WINDOW);
  m.cpu.setRegister('r9', r.below(0x400));
  m.cpu.setRegister('r10', WINDOW);
  m.cpu.setRegister('r12', NO_MEMORY);
  m.cpu.setRegister('sp', 0x40080000);
  // Flags from the generator too.
  // SVC mode, IRQs unmasked.
  m.cpu.setRegister('cpsr', ((r.next() & 0xf8000000) | 0x153) >>> 0);
  for (let a = WINDOW - 0x1000; a < WINDOW + 0x2000; a += 4) m.bus.write32(a, r.next());
  return m;
}

function lockstep(seed: number, length: number, steps: number, threshold: number): string | null {
  const program = randomProgram(seed, length);
  const reference = setUp(false, program, seed);
  const jitted = setUp({ threshold, tierUpEntries: 3 + (seed % 4) }, program, seed);
  const problem = runLockstep(seed, reference, jitted, seed * 7 + 1, steps);
  if (problem !== null) return problem;
  const stats = jitted.cpu.jit!.stats;
  if (stats.failures !== 0) return `seed ${seed}: compile failure ${stats.lastError}`;
  if (stats.regions === 0) return `seed ${seed}: nothing was compiled`;
  links += stats.links;
  return null;
}

/** Links made across pages by all the runs (the programs of even seeds cross a page boundary). */
let links = 0;

for (let group = 0; group < 4; group++) {
  test(`random A32 programs run the same with and without the JIT (seeds ${group * 25 + 1}–${group * 25 + 25})`, (t) => {
    for (let seed = group * 25 + 1; seed <= group * 25 + 25; seed++) {
      const problem = lockstep(seed, 40 + (seed % 5) * 20, 150, 1 + (seed % 3));
      if (problem !== null) return t.fail(problem);
    }
    t.true(links > 0, 'some second-tier regions linked the next page');
  });
}

test('the random programs do raise the exceptions they are meant to (the comparison covers them)', (t) => {
  let aborts = 0;
  let svcs = 0;
  let undefs = 0;
  for (let seed = 1; seed <= 10; seed++) {
    const m = setUp({ threshold: 1 }, randomProgram(seed, 80), seed);
    const seen = { aborts: 0, svcs: 0, undefs: 0 };
    m.cpu.probe = {
      traceInstructions: false,
      instruction() {},
      undefinedInstruction() {},
      exception(kind) {
        if (kind === 'data-abort') seen.aborts++;
        else if (kind === 'svc') seen.svcs++;
        else if (kind === 'undefined') seen.undefs++;
      },
    };
    for (let i = 0; i < 100; i++) m.cpu.run(50);
    aborts += seen.aborts;
    svcs += seen.svcs;
    undefs += seen.undefs;
  }
  t.true(aborts > 0 && svcs > 0 && undefs > 0, `aborts ${aborts}, svcs ${svcs}, undefs ${undefs}`);
});
