import test from 'ava';
import { join } from 'node:path';
import { repoRoot } from '../cli/CliRunner.ts';
import { BoardSession } from '../../src/testing/BoardSession.ts';

/**
 * boards/firmware/arm/float.elf on boards/virt-arm.xml: C floating point
 * compiled to VFPv4 instructions, each result compared with the value the
 * cross gcc folded at build time (or, for rounding modes, flags and
 * saturation, with the ARM ARM's rules); the program passes under
 * qemu-system-arm -M virt -cpu cortex-a15 as well.
 */
test('float: every VFP check passes and the board powers off with 0', (t) => {
  const board = join(repoRoot, 'boards', 'virt-arm.xml');
  const firmware = join(repoRoot, 'boards', 'firmware', 'arm', 'float.elf');
  // With the JIT (it must hand VFP instructions to the interpreter) and without.
  for (const jit of [true, false]) {
    const s = BoardSession.open(board, { firmware, jit });
    const result = s.runToEnd({ maxTimeNs: 0.5e9 });
    const fails = s.output.split('\n').filter((l) => l.startsWith('FAIL'));
    t.deepEqual(fails, [], s.output.slice(-1500));
    t.regex(s.output, /^SUMMARY float: ([6-9]\d|\d{3,}) passed, 0 failed/m);
    t.like(result, { kind: 'poweroff', exitCode: 0 });
  }
});
