import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { ArmTestMachine } from './ArmTestMachine.ts';
import { installThumb } from '../../cores/arm/thumb/index.ts';

/**
 * The T32 reference vectors of test/arm/vectors (recorded from QEMU's
 * qemu-arm, Cortex-A15, see reference-vectors.test.ts for the format) run on
 * the core with the Thumb executor installed directly, so that they check
 * cores/arm/thumb whether or not the board's core model installs it yet.
 *
 * Each vector: its instruction(s) at the recorded address, the recorded
 * registers and APSR in User mode, Thumb state; run `steps` instructions
 * (IT and the instructions it covers) and compare r0–r14, N Z C V Q GE, the
 * scratch memory, the next PC, and that the core is still in User mode,
 * Thumb state, outside any IT block.
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
const USER = 0x10;
const ABORT_AND_INTERRUPT_MASKS = 0x1c0;
const T = 0x20;
const IT_BITS = 0x0600fc00;
const GPRS = Array.from({ length: 15 }, (_, k) => `r${k}`);

installThumb();

const dir = new URL('./vectors/', import.meta.url);
const files = readdirSync(dir).filter((f) => /^t32-[a-z0-9-]+\.json$/.test(f)).sort();

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

function fromHex(text: string): Uint8Array {
  return Uint8Array.from({ length: text.length / 2 }, (_, k) => parseInt(text.slice(2 * k, 2 * k + 2), 16));
}

/** T32 instructions in memory order: halfwords little-endian, a 32-bit instruction's first halfword first. */
function codeBytes(encoding: string): Uint8Array {
  const bytes: number[] = [];
  for (const part of encoding.split(' ')) {
    const v = parseInt(part, 16) >>> 0;
    if (part.length <= 6) bytes.push(v & 0xff, v >>> 8);
    else bytes.push((v >>> 16) & 0xff, v >>> 24, v & 0xff, (v >>> 8) & 0xff);
  }
  return Uint8Array.from(bytes);
}

function check(machine: ArmTestMachine, v: Vector): string[] {
  const { cpu, bus } = machine;
  const at = parseInt(v.addr, 16);
  const code = codeBytes(v.encoding);
  cpu.reset();
  bus.loadBytes(at, code);
  if (v.mem) bus.loadBytes(parseInt(v.mem.base, 16), fromHex(v.mem.before));
  cpu.setRegister('cpsr', (parseInt(v.in.cpsr, 16) & APSR) | ABORT_AND_INTERRUPT_MASKS | USER | T);
  for (const name of GPRS) cpu.setRegister(name, parseInt(v.in[name], 16) >>> 0);
  cpu.setPc(at);
  cpu.run(v.steps ?? 1);
  const wrong: string[] = [];
  for (const name of GPRS) {
    const want = parseInt(v.out[name], 16) >>> 0;
    if (cpu.getRegister(name) >>> 0 !== want) wrong.push(`${name} ${hex(cpu.getRegister(name))} (want ${hex(want)})`);
  }
  const cpsr = cpu.getRegister('cpsr');
  const wantFlags = parseInt(v.out.cpsr, 16) & APSR;
  if ((cpsr & APSR) >>> 0 !== wantFlags >>> 0) wrong.push(`APSR ${hex(cpsr & APSR)} (want ${hex(wantFlags)})`);
  if ((cpsr & (IT_BITS | 0x3f)) !== (USER | T)) wrong.push(`mode/T/IT ${hex(cpsr & (IT_BITS | 0x3f))} (want ${hex(USER | T)})`);
  const nextPc = (at + code.length) >>> 0;
  if (cpu.getPc() !== nextPc) wrong.push(`next PC ${hex(cpu.getPc())} (want ${hex(nextPc)})`);
  if (v.mem) {
    const base = parseInt(v.mem.base, 16);
    const got = bus.readBytes(base, v.mem.after.length / 2);
    const want = fromHex(v.mem.after);
    const k = want.findIndex((b, n) => got[n] !== b);
    if (k >= 0) wrong.push(`memory at ${hex(base + k)}: ${got[k]!.toString(16)} (want ${want[k]!.toString(16)})`);
  }
  return wrong;
}

for (const file of files) {
  test(`${file.replace(/\.json$/, '')}: every T32 vector matches QEMU`, (t) => {
    const vectors = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Vector[];
    t.true(vectors.length > 0);
    const machine = new ArmTestMachine();
    const failures = new Map<string, { count: number; first: string }>();
    let passed = 0;
    for (const v of vectors) {
      let wrong: string[];
      try {
        wrong = check(machine, v);
      } catch (e) {
        wrong = [`threw ${(e as Error).stack ?? e}`];
      }
      if (wrong.length === 0) {
        passed++;
        continue;
      }
      const f = failures.get(v.class);
      if (f) f.count++;
      else {
        const inputs = [...new Set(v.asm.match(/\br\d+\b/g) ?? [])].map((r) => `${r}=${v.in[r]}`).join(' ');
        failures.set(v.class, { count: 1, first: `${v.asm} [${v.encoding} at ${v.addr}] in: ${inputs} cpsr=${v.in.cpsr}\n    ${wrong.join('\n    ')}` });
      }
    }
    t.log(`${passed}/${vectors.length} pass`);
    if (failures.size === 0) t.pass();
    else t.fail([...failures].map(([cls, f]) => `${cls}: ${f.count} failing, first: ${f.first}`).join('\n'));
  });
}
