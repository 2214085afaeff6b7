import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { repoRoot } from '../cli/CliRunner.ts';
import { uBootImage } from '../boards/DebianUBoot.ts';

// Debian's U-Boot for QEMU's virt board (firmware nobody here wrote): saved at its prompt, then
// restored into fresh machines, with and without the JIT, it answers commands as the saved
// machine does, down to the instruction count and virtual time. crc32 runs over flash (where
// U-Boot executes from) and over RAM U-Boot relocated itself into.

const BOARD = join(repoRoot, 'boards', 'virt-arm.xml');
const firmware = uBootImage('qemu_arm/u-boot.bin');
const strip = (s: string) => s.replace(/\r/g, '');
const COMMANDS = ['version', 'crc32 0x0 0x1000', 'crc32 0x47f00000 0x10000', 'coninfo'];

function atPrompt(): BoardSession {
  const s = BoardSession.open(BOARD, { firmware });
  s.waitFor('Hit any key to stop autoboot: ', { maxTimeNs: 5e9 });
  s.send(' ');
  s.waitFor('\n=> ');
  return s;
}

/** Each command's answer (echo, output, next prompt), the instruction count and virtual time after the last. */
function answer(s: BoardSession): { answers: string[]; instructions: number; now: number } {
  const answers = COMMANDS.map((c) => {
    s.send(`${c}\r`);
    return strip(s.waitFor('\n=> ', { maxTimeNs: 10e9 }));
  });
  return { answers, instructions: s.instructions, now: s.machine.clock.now };
}

test('U-Boot restored at its prompt answers version and crc32 exactly as the saved run does, with and without the JIT', (t) => {
  const saved = atPrompt();
  const bytes = saved.snapshot();
  t.true(bytes.length < 2_000_000, `snapshot of ${bytes.length} bytes`);
  const expected = answer(saved);
  t.regex(expected.answers[0], /^version\nU-Boot 2023\.01/);
  const image = readFileSync(firmware);
  t.is(expected.answers[1], `crc32 0x0 0x1000\ncrc32 for 00000000 ... 00000fff ==> ${crc32(image.subarray(0, 0x1000)).toString(16).padStart(8, '0')}\n=> `);
  for (const jit of [true, false]) {
    const s = BoardSession.open(BOARD, { firmware, jit });
    s.restore(bytes);
    t.true(s.output.endsWith('\n=> '));
    t.deepEqual(answer(s), expected, jit ? 'JIT' : 'interpreter');
  }
});

test('two boots of U-Boot to its prompt leave identical machines', (t) => {
  const a = atPrompt();
  const b = atPrompt();
  t.is(a.output, b.output);
  t.is(a.instructions, b.instructions);
  // The snapshot bytes hold the whole machine: equal bytes, equal state.
  t.deepEqual(a.snapshot(), b.snapshot());
});
