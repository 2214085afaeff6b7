import test from 'ava';
import { runCli } from '../cli/CliRunner.ts';

/**
 * `tskvm-board run --no-jit` interprets every instruction; the JIT (on by
 * default) must not change what a run prints or how many instructions it
 * retires (the summary line counts them).
 */

const summary = (stderr: string) => /PSCI SYSTEM_OFF; (\d+) instructions, ([\d.]+ \w+) virtual/.exec(stderr)?.slice(1);

test('run --no-jit prints the same output and retires the same instructions as the default run', (t) => {
  const args = ['run', 'boards/virt-arm.xml', '--firmware', 'boards/firmware/arm/bench.elf'];
  const jitted = runCli(args);
  const interpreted = runCli([...args, '--no-jit']);
  t.is(interpreted.status, 0, interpreted.stderr);
  t.is(jitted.status, 0, jitted.stderr);
  t.regex(jitted.stdout, /BENCH checksum 0x027947e5/);
  t.is(interpreted.stdout, jitted.stdout);
  t.truthy(summary(jitted.stderr));
  t.deepEqual(summary(interpreted.stderr), summary(jitted.stderr));
});

test('run --help documents --no-jit', (t) => {
  const r = runCli(['run', '--help']);
  t.regex(r.stdout + r.stderr, /--no-jit/);
});
