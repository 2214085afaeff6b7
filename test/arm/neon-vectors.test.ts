import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { ArmTestMachine } from './ArmTestMachine.ts';
// The machine's ARM core model, for the T32 executor it installs.
import '../../cores/arm/ArmCoreModel.ts';

/**
 * Replays the Advanced SIMD reference vectors (test/arm/vectors/neon-*.json)
 * on tskvm's ARM core. Each vector is one A32 or T32 instruction recorded
 * from QEMU's qemu-arm emulating a Cortex-A15 in user mode
 * (scripts/record-neon-vectors.sh): r0–r12, FPSCR and D0–D31 (registers not
 * listed are zero) before and after, plus the scratch memory for loads and
 * stores. The replay runs the instruction in User mode with the unit
 * enabled (CPACR cp10/cp11 full access, FPEXC.EN) and compares every core
 * register, every D register, FPSCR (flags, QC, cumulative exception bits)
 * and the memory.
 *
 * One test per file; a failure lists each failing class with its count and
 * its first failing vector.
 */

interface Vector {
  readonly class: string;
  readonly isa: 'a32' | 't32';
  readonly asm: string;
  readonly encoding: string;
  readonly addr: string;
  readonly in: Readonly<Record<string, string>>;
  readonly out: Readonly<Record<string, string>>;
  readonly mem?: { readonly base: string; readonly before: string; readonly after: string };
}

const USER_MODE = 0x1d0;
const THUMB_BIT = 0x20;
/** FPSCR bits Cortex-A15 keeps (VfpTransfers' mask): NZCV, QC, AHP/DN/FZ/RMode, the cumulative flags. */
const FPSCR_BITS = 0xffc0009f;

const vectorDir = new URL('./vectors/', import.meta.url);
const vectorFiles = readdirSync(vectorDir)
  .filter((f) => /^neon-(a32|t32)-[a-z0-9-]+\.json$/.test(f))
  .sort();

const hex8 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

function bytesOf(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function instructionBytes(v: Vector): Uint8Array {
  const w = parseInt(v.encoding, 16) >>> 0;
  if (v.isa === 'a32') return new Uint8Array([w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);
  return new Uint8Array([(w >>> 16) & 0xff, w >>> 24, w & 0xff, (w >>> 8) & 0xff]);
}

function dValue(state: Readonly<Record<string, string>>, n: number): string {
  return state[`d${n}`] ?? '0000000000000000';
}

function newMachine(): ArmTestMachine {
  const machine = new ArmTestMachine();
  // The harness's data (case table, scratch buffer) lies above the test machine's first MiB.
  machine.bus.addRam('neon-vectors', 0x100000, 0x300000);
  return machine;
}

function replay(machine: ArmTestMachine, v: Vector): string | null {
  const cpu = machine.cpu;
  const addr = parseInt(v.addr, 16);
  const code = instructionBytes(v);
  const problems: string[] = [];
  try {
    cpu.reset();
    cpu.sys.cpacr = 0x00f00000;
    cpu.vfp.fpexc = 0x40000000;
    cpu.vfp.fpscr = parseInt(v.in.fpscr, 16) & FPSCR_BITS;
    const words = cpu.vfp.words;
    for (let n = 0; n < 32; n++) {
      const text = dValue(v.in, n);
      words[2 * n] = parseInt(text.slice(8), 16) | 0;
      words[2 * n + 1] = parseInt(text.slice(0, 8), 16) | 0;
    }
    machine.bus.loadBytes(addr, code);
    if (v.mem) machine.bus.loadBytes(parseInt(v.mem.base, 16), bytesOf(v.mem.before));
    cpu.setRegister('cpsr', USER_MODE | (v.isa === 't32' ? THUMB_BIT : 0));
    for (let r = 0; r < 13; r++) cpu.setRegister(`r${r}`, parseInt(v.in[`r${r}`], 16) >>> 0);
    cpu.setPc(addr);
    cpu.run(1);
  } catch (e) {
    return `  the core threw: ${e instanceof Error ? e.message : String(e)}`;
  }
  for (let r = 0; r < 13; r++) {
    const want = parseInt(v.out[`r${r}`], 16) >>> 0;
    const got = cpu.getRegister(`r${r}`) >>> 0;
    if (got !== want) problems.push(`  r${r}: expected ${hex8(want)}, got ${hex8(got)}`);
  }
  const words = cpu.vfp.words;
  for (let n = 0; n < 32; n++) {
    const want = dValue(v.out, n);
    const got = (words[2 * n + 1] >>> 0).toString(16).padStart(8, '0') + (words[2 * n] >>> 0).toString(16).padStart(8, '0');
    if (got !== want) problems.push(`  d${n}: expected ${want}, got ${got} (input ${dValue(v.in, n)})`);
  }
  const wantFpscr = parseInt(v.out.fpscr, 16) & FPSCR_BITS;
  if ((cpu.vfp.fpscr & FPSCR_BITS) >>> 0 !== wantFpscr >>> 0) problems.push(`  fpscr: expected ${hex8(wantFpscr)}, got ${hex8(cpu.vfp.fpscr)}`);
  const state = cpu.getRegister('cpsr') & 0x3f;
  if (state !== ((USER_MODE & 0x1f) | (v.isa === 't32' ? THUMB_BIT : 0))) problems.push(`  CPSR mode/T: ${hex8(state)} (an exception was taken?)`);
  if (cpu.getPc() >>> 0 !== (addr + 4) >>> 0) problems.push(`  next PC: expected ${hex8(addr + 4)}, got ${hex8(cpu.getPc())}`);
  if (v.mem) {
    const base = parseInt(v.mem.base, 16);
    const got = machine.bus.readBytes(base, v.mem.after.length / 2);
    const want = bytesOf(v.mem.after);
    for (let i = 0; i < want.length; i++) {
      if (want[i] !== got[i]) {
        problems.push(`  memory at scratch+${i}: expected ${v.mem.after.slice(2 * i, 2 * i + 16)}…, got ${Buffer.from(got.slice(i, i + 8)).toString('hex')}…`);
        break;
      }
    }
  }
  if (problems.length === 0) return null;
  return [`  fpscr in ${v.in.fpscr}`, ...problems].join('\n');
}

test('the Advanced SIMD vector files are present for both instruction sets', (t) => {
  t.true(vectorFiles.some((f) => f.startsWith('neon-a32-')));
  t.true(vectorFiles.some((f) => f.startsWith('neon-t32-')));
});

for (const file of vectorFiles) {
  test(`${file.replace(/\.json$/, '')}: every vector matches QEMU`, (t) => {
    const vectors = JSON.parse(readFileSync(new URL(file, vectorDir), 'utf8')) as Vector[];
    t.true(vectors.length > 0);
    const machine = newMachine();
    const classes = new Map<string, { total: number; failed: number; example: string | null }>();
    let failed = 0;
    for (const v of vectors) {
      let entry = classes.get(v.class);
      if (!entry) classes.set(v.class, (entry = { total: 0, failed: 0, example: null }));
      entry.total++;
      const problem = replay(machine, v);
      if (problem === null) continue;
      failed++;
      entry.failed++;
      entry.example ??= `${v.asm}   [${v.isa} ${v.encoding}]\n${problem}`;
    }
    t.log(`${vectors.length - failed}/${vectors.length} vectors pass`);
    const failing = [...classes].filter(([, e]) => e.failed > 0);
    if (failing.length > 0) {
      t.fail(`${failed} of ${vectors.length} vectors differ in ${failing.length} classes:\n\n${failing.map(([c, e]) => `${c}: ${e.failed}/${e.total} fail, first:\n  ${e.example}`).join('\n\n')}`);
    } else t.pass();
  });
}
