import test from 'ava';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { installThumb } from '../../cores/arm/thumb/index.ts';

/**
 * Our self-checking firmware (boards/firmware/arm/, expected values from the
 * ARM ARM, every check passing under QEMU 7.2) on boards/virt-arm.xml with
 * the T32 executor installed: `thumb` (its C checks compiled as Thumb-2, IT
 * blocks, CBZ/TBB/TBH, interworking in both directions), `exclusives` (the
 * Thumb LDREX/STREX offset form among them) and `exceptions` (SVC, UDF, a
 * data abort and a prefetch abort from Thumb code, with their LR values).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const board = join(root, 'boards', 'virt-arm.xml');

installThumb();

function run(name: string): { output: string; result: unknown } {
  const s = BoardSession.open(board, { firmware: join(root, 'boards', 'firmware', 'arm', `${name}.elf`) });
  const result = s.runToEnd({ maxTimeNs: 0.5e9 });
  return { output: s.output, result };
}

for (const [name, checks] of [
  ['thumb', 145],
  ['exceptions', 50],
] as const) {
  test(`${name}.elf: all ${checks} checks pass with the T32 executor and the board powers off with 0`, (t) => {
    const { output, result } = run(name);
    const fails = output.split('\n').filter((line) => line.startsWith('FAIL'));
    t.deepEqual(fails, [], output.slice(-2000));
    t.regex(output, new RegExp(`^SUMMARY ${name}: ${checks} passed, 0 failed`, 'm'), output.slice(-2000));
    t.like(result, { kind: 'poweroff', exitCode: 0 });
  });
}

test('exclusives.elf: all 21 checks pass (the Thumb LDREX/STREX offset form among them) and the board powers off with 0', (t) => {
  const { output, result } = run('exclusives');
  t.regex(output, /^PASS thumb ldrex\/strex with immediate offset: status\r?$/m, output);
  t.regex(output, /^PASS thumb ldrex\/strex with immediate offset: value\r?$/m, output);
  t.deepEqual(output.split('\n').filter((line) => line.startsWith('FAIL')), [], output.slice(-2000));
  t.regex(output, /^SUMMARY exclusives: 21 passed, 0 failed/m);
  t.like(result, { kind: 'poweroff', exitCode: 0 });
});
