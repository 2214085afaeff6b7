import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { installThumb } from '../../cores/arm/thumb/index.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';

installThumb();

/**
 * The T32 reference vectors recorded from QEMU (test/arm/vectors/t32-*.json,
 * format in reference-vectors.test.ts) run through compiled T32 regions:
 * each vector's instructions are followed by `b .`, run once by the
 * interpreter (which makes the slot hot for a JIT compiling after one
 * instruction), then the inputs are set again and the same code runs as a
 * compiled region of the vector and the branch. The results must be QEMU's:
 * r0–r14, N Z C V Q GE, the scratch memory, the PC, User mode, Thumb state,
 * no IT block left.
 */

interface Vector {
  readonly class: string;
  readonly asm: string;
  readonly encoding: string;
  readonly addr: string;
  readonly steps?: number;
  readonly in: Readonly<Record<string, string>>;
  readonly out: Readonly<Record<string, string>>;
  readonly mem?: { readonly base: string; readonly before: string; readonly after: string };
}

const APSR = 0xf80f0000;
const USER_THUMB_MASKED = 0x10 | 0x20 | 0x1c0;
const IT_MODE_T = 0x0600fc00 | 0x3f;
const GPRS = Array.from({ length: 15 }, (_, k) => `r${k}`);
const BRANCH_TO_SELF = [0xfe, 0xe7];

const dir = new URL('./vectors/', import.meta.url);
const files = readdirSync(dir).filter((f) => /^t32-[a-z0-9-]+\.json$/.test(f)).sort();

const bytesOf = (text: string) => Uint8Array.from({ length: text.length / 2 }, (_, k) => parseInt(text.slice(2 * k, 2 * k + 2), 16));

/** Halfwords little-endian, the first halfword of a 32-bit instruction first. */
function codeOf(encoding: string): number[] {
  const out: number[] = [];
  for (const part of encoding.split(' ')) {
    const v = parseInt(part, 16) >>> 0;
    if (part.length <= 6) out.push(v & 0xff, v >>> 8);
    else out.push((v >>> 16) & 0xff, v >>> 24, v & 0xff, (v >>> 8) & 0xff);
  }
  return out;
}

function setInputs(m: ArmTestMachine, v: Vector, at: number): void {
  if (v.mem) m.bus.loadBytes(parseInt(v.mem.base, 16), bytesOf(v.mem.before));
  m.cpu.setRegister('cpsr', (parseInt(v.in.cpsr, 16) & APSR) | USER_THUMB_MASKED);
  for (const name of GPRS) m.cpu.setRegister(name, parseInt(v.in[name], 16) >>> 0);
  m.cpu.setPc(at);
}

function check(m: ArmTestMachine, v: Vector): string[] {
  const at = parseInt(v.addr, 16);
  const code = codeOf(v.encoding);
  m.bus.loadBytes(at, Uint8Array.from([...code, ...BRANCH_TO_SELF]));
  const steps = (v.steps ?? 1) + 1; // the vector, then b . once
  setInputs(m, v, at);
  m.cpu.run(steps);
  setInputs(m, v, at);
  m.cpu.run(steps);
  const wrong: string[] = [];
  const hex = (x: number) => `0x${(x >>> 0).toString(16)}`;
  for (const name of GPRS) {
    const want = parseInt(v.out[name], 16) >>> 0;
    if (m.cpu.getRegister(name) >>> 0 !== want) wrong.push(`${name} ${hex(m.cpu.getRegister(name))} (want ${hex(want)})`);
  }
  const cpsr = m.cpu.getRegister('cpsr');
  if ((cpsr & APSR) >>> 0 !== (parseInt(v.out.cpsr, 16) & APSR) >>> 0) wrong.push(`APSR ${hex(cpsr & APSR)} (want ${hex(parseInt(v.out.cpsr, 16) & APSR)})`);
  if ((cpsr & IT_MODE_T) !== 0x30) wrong.push(`mode/T/IT ${hex(cpsr & IT_MODE_T)}`);
  if (m.cpu.getPc() !== at + code.length) wrong.push(`PC ${hex(m.cpu.getPc())} (want ${hex(at + code.length)})`);
  if (v.mem) {
    const got = m.bus.readBytes(parseInt(v.mem.base, 16), v.mem.after.length / 2);
    if (Buffer.compare(Buffer.from(got), Buffer.from(bytesOf(v.mem.after))) !== 0) wrong.push('memory differs');
  }
  return wrong;
}

for (const file of files) {
  test(`${file.replace(/\.json$/, '')}: every T32 vector gives QEMU's result from a compiled region`, (t) => {
    const vectors = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Vector[];
    const problems: string[] = [];
    let regions = 0;
    let m: ArmTestMachine | null = null;
    for (const [k, v] of vectors.entries()) {
      // A new machine every other vector: a page rewritten for every vector makes the JIT wait longer
      // after four compiles (A32Jit's back-off), and these must compile at once.
      if (k % 2 === 0) {
        if (m !== null) regions += m.cpu.jit!.stats.thumbRegions;
        m = new ArmTestMachine({ jit: { threshold: 1 } });
      }
      const wrong = check(m!, v);
      if (wrong.length > 0 && problems.length < 5) problems.push(`${v.asm} [${v.encoding}]: ${wrong.join(', ')}`);
      if (m!.cpu.jit!.stats.failures !== 0 && problems.length < 5) problems.push(`${v.asm}: ${m!.cpu.jit!.stats.lastError}`);
    }
    if (m !== null) regions += m.cpu.jit!.stats.thumbRegions;
    t.true(regions >= vectors.length, `${regions} T32 regions for ${vectors.length} vectors`);
    t.deepEqual(problems, []);
  });
}
