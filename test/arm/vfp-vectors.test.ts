import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { ArmTestMachine } from './ArmTestMachine.ts';
// The board's ARM core model, for its side effects (the T32 executor).
import '../../cores/arm/ArmCoreModel.ts';

/**
 * Replays the VFP reference vectors in test/arm/vectors/vfp-*.json: single
 * VFP data-processing instructions (A32 and T32) recorded from QEMU's
 * qemu-arm emulating a Cortex-A15 (scripts/record-vfp-vectors.sh), with the
 * FPSCR (rounding mode, FZ, DN, AHP, sticky flags, NZCV) and the operand
 * registers going in, and the FPSCR and every changed D register after.
 * The replay sets the same state in User mode with the unit enabled, runs
 * the one instruction, and compares all 32 D registers and the FPSCR.
 */

interface Vector {
  readonly class: string;
  readonly isa: 'a32' | 't32';
  readonly asm: string;
  readonly encoding: string;
  readonly fpscr: readonly [string, string];
  readonly in: Record<string, string>;
  readonly out: Record<string, string>;
}

const USER_MODE = 0x10;
const THUMB_BIT = 0x20;
const ADDRESS = 0x2000;

const vectorDir = new URL('./vectors/', import.meta.url);
const vectorFiles = readdirSync(vectorDir).filter((f) => /^vfp-(a32|t32)-[a-z]+\.json$/.test(f)).sort();

function registerWords(regs: Record<string, string>): Uint32Array {
  const words = new Uint32Array(64);
  for (const [name, value] of Object.entries(regs)) {
    const n = Number(name.slice(1));
    if (name[0] === 's') words[n] = parseInt(value, 16);
    else {
      words[2 * n + 1] = parseInt(value.slice(0, 8), 16);
      words[2 * n] = parseInt(value.slice(8), 16);
    }
  }
  return words;
}

const hex = (v: number, digits = 8) => (v >>> 0).toString(16).padStart(digits, '0');

function instructionBytes(v: Vector): Uint8Array {
  const w = parseInt(v.encoding, 16) >>> 0;
  if (v.isa === 'a32') return new Uint8Array([w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);
  return new Uint8Array([(w >>> 16) & 0xff, w >>> 24, w & 0xff, (w >>> 8) & 0xff]);
}

function replay(machine: ArmTestMachine, v: Vector): string | null {
  const cpu = machine.cpu;
  const input = registerWords(v.in);
  const expected = registerWords(v.in);
  for (const [name, value] of Object.entries(v.out)) {
    const d = Number(name.slice(1));
    expected[2 * d + 1] = parseInt(value.slice(0, 8), 16);
    expected[2 * d] = parseInt(value.slice(8), 16);
  }
  try {
    cpu.reset();
    cpu.sys.cpacr = 0x00f00000;
    cpu.vfp.fpexc = 0x40000000;
    for (let k = 0; k < 64; k++) cpu.vfp.words[k] = input[k];
    cpu.vfp.fpscr = parseInt(v.fpscr[0], 16) | 0;
    machine.bus.loadBytes(ADDRESS, instructionBytes(v));
    cpu.setRegister('cpsr', USER_MODE | (v.isa === 't32' ? THUMB_BIT : 0));
    cpu.setPc(ADDRESS);
    cpu.run(1);
  } catch (e) {
    return `the core threw: ${e instanceof Error ? e.message : String(e)}`;
  }
  const problems: string[] = [];
  if ((cpu.getRegister('cpsr') & 0x1f) !== USER_MODE) problems.push('  an exception was taken (UNDEFINED?)');
  const wantFpscr = parseInt(v.fpscr[1], 16) >>> 0;
  if (cpu.vfp.fpscr >>> 0 !== wantFpscr) problems.push(`  fpscr: expected ${hex(wantFpscr)}, got ${hex(cpu.vfp.fpscr)}`);
  for (let d = 0; d < 32; d++) {
    const gotHigh = cpu.vfp.words[2 * d + 1] >>> 0;
    const gotLow = cpu.vfp.words[2 * d] >>> 0;
    if (gotHigh !== expected[2 * d + 1] || gotLow !== expected[2 * d]) {
      problems.push(`  d${d}: expected ${hex(expected[2 * d + 1])}${hex(expected[2 * d])}, got ${hex(gotHigh)}${hex(gotLow)}`);
    }
  }
  if (problems.length === 0) return null;
  const inputs = Object.entries(v.in).map(([r, x]) => `${r}=${x}`).join(' ');
  return [`  inputs: ${inputs} fpscr=${v.fpscr[0]}`, ...problems].join('\n');
}

test('the VFP vector files are present', (t) => {
  t.true(vectorFiles.some((f) => f.startsWith('vfp-a32-')), 'no vfp-a32-*.json');
  t.true(vectorFiles.some((f) => f.startsWith('vfp-t32-')), 'no vfp-t32-*.json');
});

for (const file of vectorFiles) {
  test(`${file.replace(/\.json$/, '')}: every vector matches QEMU`, (t) => {
    const vectors = JSON.parse(readFileSync(new URL(file, vectorDir), 'utf8')) as Vector[];
    t.true(vectors.length > 0);
    const machine = new ArmTestMachine();
    const classes = new Map<string, { total: number; failed: number; examples: string[] }>();
    let failed = 0;
    for (const v of vectors) {
      let r = classes.get(v.class);
      if (!r) classes.set(v.class, (r = { total: 0, failed: 0, examples: [] }));
      r.total++;
      const problem = replay(machine, v);
      if (problem === null) continue;
      failed++;
      r.failed++;
      if (r.examples.length < 3) r.examples.push(`${v.asm}   [${v.isa} ${v.encoding}]\n${problem}`);
    }
    t.log(`${vectors.length - failed}/${vectors.length} vectors pass`);
    const failing = [...classes].filter(([, r]) => r.failed > 0);
    if (failing.length > 0) {
      const report = failing.map(([cls, r]) => `${cls}: ${r.failed}/${r.total} fail, first:\n  ${r.examples.join('\n  ')}`);
      t.fail(`${failed} of ${vectors.length} vectors differ from QEMU:\n\n${report.join('\n\n')}`);
    } else t.pass();
  });
}
