import test from 'ava';
import { join } from 'node:path';
import { ArmCpu } from '../../cores/arm/ArmCpu.ts';
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { uBootImage } from '../boards/DebianUBoot.ts';
import { repoRoot } from '../cli/CliRunner.ts';

/**
 * Whole boards with the JIT on and off: the interpreter is the reference,
 * and the same board and firmware must print the same text, retire the same
 * number of instructions, reach the same virtual time and end with the same
 * registers on every core. Timers, interrupts (timer.elf), exceptions, the
 * MMU, Thumb and exclusives all go through it.
 */

const board = join(repoRoot, 'boards', 'virt-arm.xml');

/** Compile after a few entries (the default waits for code that runs far longer than these programs). */
const EARLY = 3;

function run(firmware: string, jit: boolean) {
  const s = BoardSession.open(board, { firmware, jit });
  for (const c of s.built.cpus as ArmCpu[]) c.jit?.setThresholds(EARLY);
  const result = s.runToEnd({ maxTimeNs: 2e9 });
  const cpus = s.built.cpus as ArmCpu[];
  return {
    output: s.output,
    result: result.kind,
    instructions: s.instructions,
    timeNs: s.machine.clock.now,
    registers: cpus.map((c) => c.registerNames().map((n) => c.getRegister(n))),
    regions: cpus.reduce((n, c) => n + (c.jit?.stats.regions ?? 0), 0),
    thumbRegions: cpus.reduce((n, c) => n + (c.jit?.stats.thumbRegions ?? 0), 0),
    failures: cpus.reduce((n, c) => n + (c.jit?.stats.failures ?? 0), 0),
  };
}

for (const name of ['hello', 'arith', 'thumb', 'exceptions', 'mmu', 'timer', 'exclusives', 'bench', 'bench-thumb']) {
  test(`${name}.elf: the same output, instruction count, virtual time and registers with the JIT`, (t) => {
    const firmware = join(repoRoot, 'boards', 'firmware', 'arm', `${name}.elf`);
    const reference = run(firmware, false);
    const jitted = run(firmware, true);
    t.is(jitted.output, reference.output);
    t.is(jitted.result, reference.result);
    t.is(jitted.instructions, reference.instructions);
    t.is(jitted.timeNs, reference.timeNs);
    t.deepEqual(jitted.registers, reference.registers);
    t.is(jitted.failures, 0);
    t.is(reference.regions, 0, 'the reference run did not compile');
    if (name !== 'hello') t.true(jitted.regions > 0, 'the JIT compiled some of it');
    // thumb.elf's checks are compiled as T32 (scripts/build-firmware.sh): its regions are T32 ones.
    if (name === 'thumb' || name === 'bench-thumb') t.true(jitted.thumbRegions > 0, 'T32 code was compiled');
  });
}

test('Debian U-Boot: the same banner, prompt, answers and instruction counts with the JIT', (t) => {
  const image = uBootImage('qemu_arm/u-boot.bin');
  const transcript = (jit: boolean) => {
    const s = BoardSession.open(board, { firmware: image, jit });
    for (const c of s.built.cpus as ArmCpu[]) c.jit?.setThresholds(EARLY);
    const parts: (string | number)[] = [s.waitFor('Hit any key to stop autoboot: ', { maxTimeNs: 5e9 }), s.instructions];
    s.send(' ');
    parts.push(s.waitFor('\n=> '), s.instructions);
    for (const command of ['version', 'md.l 0x40000000 8', 'crc32 0x40000000 0x10000', 'bdinfo']) {
      s.send(`${command}\r`);
      parts.push(s.waitFor('\n=> ', { maxTimeNs: 10e9 }), s.instructions);
    }
    const cpu = s.built.cpus[0] as ArmCpu;
    return { parts, registers: cpu.registerNames().map((n) => cpu.getRegister(n)), regions: cpu.jit?.stats.regions ?? 0 };
  };
  const reference = transcript(false);
  const jitted = transcript(true);
  t.deepEqual(jitted.parts, reference.parts);
  t.deepEqual(jitted.registers, reference.registers);
  t.true(jitted.regions > 0);
});
