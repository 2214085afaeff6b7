import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { ArmTestMachine } from './ArmTestMachine.ts';
// The machine's ARM core model: imported for its side effects, so that
// whatever support modules it installs on ArmCpu (the T32 executor) are
// installed here exactly as on a board.
import '../../cores/arm/ArmCoreModel.ts';

/**
 * Replays the reference vectors in test/arm/vectors/ on tskvm's ARM core.
 *
 * Each vector is one A32 or T32 instruction recorded from an independent
 * implementation, QEMU's qemu-arm emulating a Cortex-A15 in user mode
 * (scripts/record-arm-vectors.sh): the registers r0–r14 and the APSR flags
 * (N Z C V Q GE) before and after it, and for loads and stores the 128-byte
 * scratch buffer around the base register before and after. The replay puts
 * the encoding at the address QEMU ran it from, sets the same inputs in User
 * mode, runs exactly one instruction (an IT block: IT and the instructions
 * it covers) and compares every register, the flags, the memory and the next
 * PC (the address after the last instruction: none of them branches).
 *
 * One test per vector file; a failing test lists every failing class of
 * instruction with its count and the first failing vector in full, so one
 * wrong instruction form is easy to tell from a wrong file.
 */

interface State {
  readonly [register: string]: string;
}

interface Vector {
  readonly class: string;
  readonly isa: 'a32' | 't32';
  readonly asm: string;
  readonly encoding: string;
  readonly addr: string;
  /** Instructions to run: more than one only for an IT block and the instructions it covers. */
  readonly steps?: number;
  readonly in: State;
  readonly out: State;
  readonly mem?: { readonly base: string; readonly before: string; readonly after: string };
}

/** The bits of the CPSR the vectors record: N Z C V Q and GE[3:0] (ARM ARM B1.3.3). */
const APSR_MASK = 0xf80f0000;
/** User mode with A, I and F masked: the state qemu-arm runs its process in (no interrupts here). */
const USER_MODE = 0x1d0;
const THUMB_BIT = 0x20;
const ITSTATE_BITS = 0x0600fc00;
const REGISTERS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14'];

/**
 * Whether the core executes T32 at all: `movs r0, #1` (0x2001) in Thumb
 * state must set r0. Until the Thumb support is installed the core treats
 * every T32 instruction as UNDEFINED, and the t32-* files run as ava's
 * `test.failing` (reported as known failures, not skipped). As soon as a
 * T32 instruction executes they run as ordinary tests, so each T32 class
 * must then pass on its own.
 */
function coreRunsThumb(): boolean {
  const machine = new ArmTestMachine();
  machine.bus.loadBytes(0x1000, new Uint8Array([0x01, 0x20]));
  machine.cpu.setRegister('cpsr', USER_MODE | THUMB_BIT);
  machine.cpu.setRegister('r0', 0);
  machine.cpu.setPc(0x1000);
  try {
    machine.cpu.run(1);
  } catch {
    return false;
  }
  return machine.cpu.getRegister('r0') === 1 && (machine.cpu.getRegister('cpsr') & 0x1f) === (USER_MODE & 0x1f);
}

const thumbMissing = !coreRunsThumb();

const vectorDir = new URL('./vectors/', import.meta.url);
const vectorFiles = readdirSync(vectorDir)
  .filter((f) => /^(a32|t32)-[a-z0-9-]+\.json$/.test(f))
  .sort();

const hex8 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

function bytesOf(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function hexOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * The instructions' bytes in memory order: little-endian A32 words, or T32
 * halfwords with a 32-bit instruction's first halfword first. `encoding`
 * holds one instruction, or an IT block's instructions separated by spaces.
 */
function instructionBytes(v: Vector): Uint8Array {
  const out: number[] = [];
  for (const text of v.encoding.split(' ')) {
    const value = parseInt(text, 16) >>> 0;
    if (v.isa === 'a32') out.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
    else if (text.length === 6) out.push(value & 0xff, value >>> 8);
    else out.push((value >>> 16) & 0xff, value >>> 24, value & 0xff, (value >>> 8) & 0xff);
  }
  return new Uint8Array(out);
}

/** "NZC-- ge=1010" */
function describeFlags(cpsr: number): string {
  const bit = (n: number, c: string) => ((cpsr >>> n) & 1 ? c : '-');
  const ge = ((cpsr >>> 16) & 0xf).toString(2).padStart(4, '0');
  return `${bit(31, 'N')}${bit(30, 'Z')}${bit(29, 'C')}${bit(28, 'V')}${bit(27, 'Q')} ge=${ge}`;
}

/** Registers named in the asm text (r0-r3 ranges expanded), whose inputs a report shows. */
function operandRegisters(asm: string): string[] {
  const names = new Set<string>();
  for (const m of asm.matchAll(/\br(\d+)(?:-r(\d+))?/g)) {
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    for (let r = first; r <= last; r++) names.add(`r${r}`);
  }
  return [...names];
}

/** Run one vector; returns null when the core agrees with QEMU, else what differs. */
function replay(machine: ArmTestMachine, v: Vector): string | null {
  const cpu = machine.cpu;
  const bus = machine.bus;
  const addr = parseInt(v.addr, 16);
  const code = instructionBytes(v);
  const problems: string[] = [];
  try {
    cpu.reset();
    bus.loadBytes(addr, code);
    if (v.mem) bus.loadBytes(parseInt(v.mem.base, 16), bytesOf(v.mem.before));
    cpu.setRegister('cpsr', (parseInt(v.in.cpsr, 16) & APSR_MASK) | USER_MODE | (v.isa === 't32' ? THUMB_BIT : 0));
    for (const r of REGISTERS) cpu.setRegister(r, parseInt(v.in[r], 16) >>> 0);
    cpu.setPc(addr);
    cpu.run(v.steps ?? 1);
  } catch (e) {
    return `  the core threw: ${e instanceof Error ? e.message : String(e)}`;
  }
  for (const r of REGISTERS) {
    const want = parseInt(v.out[r], 16) >>> 0;
    const got = cpu.getRegister(r) >>> 0;
    if (got !== want) problems.push(`  ${r}: expected ${hex8(want)}, got ${hex8(got)}`);
  }
  const wantCpsr = parseInt(v.out.cpsr, 16) & APSR_MASK;
  const gotCpsr = cpu.getRegister('cpsr') & APSR_MASK;
  if (gotCpsr !== wantCpsr) problems.push(`  flags: expected ${describeFlags(wantCpsr)}, got ${describeFlags(gotCpsr)}`);
  // Still in User mode and the same instruction set, and outside any IT block
  // (every vector ends its block): ITSTATE is CPSR[26:25,15:10] (B1.3.3).
  const gotState = cpu.getRegister('cpsr') & (ITSTATE_BITS | 0x3f);
  const wantState = (USER_MODE & 0x1f) | (v.isa === 't32' ? THUMB_BIT : 0);
  if (gotState !== wantState) problems.push(`  CPSR IT/T/mode bits: expected ${hex8(wantState)}, got ${hex8(gotState)} (an exception was taken?)`);
  const wantPc = (addr + code.length) >>> 0;
  if (cpu.getPc() >>> 0 !== wantPc) problems.push(`  next PC: expected ${hex8(wantPc)}, got ${hex8(cpu.getPc())}`);
  if (v.mem) {
    const base = parseInt(v.mem.base, 16);
    const actualMemory = bus.readBytes(base, v.mem.after.length / 2);
    const got = hexOf(actualMemory);
    if (got !== v.mem.after) {
      const want = bytesOf(v.mem.after);
      for (let i = 0; i < want.length; i++) {
        if (want[i] !== actualMemory[i]) {
          problems.push(`  memory at ${hex8(base + i)} (scratch+${i}) and on: expected ${v.mem.after.slice(2 * i, 2 * i + 16)}, got ${got.slice(2 * i, 2 * i + 16)}`);
          break;
        }
      }
    }
  }
  if (problems.length === 0) return null;
  const inputs = operandRegisters(v.asm).map((r) => `${r}=${v.in[r]}`);
  inputs.push(`flags ${describeFlags(parseInt(v.in.cpsr, 16))}`);
  return [`  inputs: ${inputs.join(' ')}`, ...problems].join('\n');
}

interface ClassResult {
  total: number;
  failed: number;
  example: string | null;
}

test('the reference vector files are present', (t) => {
  // A missing directory or an empty list would make every replay below vanish silently.
  t.true(vectorFiles.some((f) => f.startsWith('a32-')), 'no a32-*.json in test/arm/vectors');
  t.true(vectorFiles.some((f) => f.startsWith('t32-')), 'no t32-*.json in test/arm/vectors');
});

for (const file of vectorFiles) {
  const name = file.replace(/\.json$/, '');
  const knownGap = thumbMissing && name.startsWith('t32-');
  const define = knownGap ? test.failing : test;
  define(`${name}: every vector matches QEMU${knownGap ? ' (known failure: the core has no T32 support yet)' : ''}`, (t) => {
    const vectors = JSON.parse(readFileSync(new URL(file, vectorDir), 'utf8')) as Vector[];
    t.true(vectors.length > 0, `${file} holds no vectors`);
    const machine = new ArmTestMachine();
    const classes = new Map<string, ClassResult>();
    let failed = 0;
    for (const v of vectors) {
      let result = classes.get(v.class);
      if (!result) classes.set(v.class, (result = { total: 0, failed: 0, example: null }));
      result.total++;
      const problem = replay(machine, v);
      if (problem === null) continue;
      failed++;
      result.failed++;
      result.example ??= `${v.asm}   [${v.isa} ${v.encoding} at ${v.addr}]\n${problem}`;
    }
    const failing = [...classes].filter(([, r]) => r.failed > 0);
    t.log(`${vectors.length - failed}/${vectors.length} vectors pass; ${classes.size - failing.length}/${classes.size} classes pass`);
    if (failing.length > 0) {
      const report = failing.map(([cls, r]) => `${cls}: ${r.failed}/${r.total} fail, first:\n  ${r.example}`);
      t.fail(`${failed} of ${vectors.length} vectors differ from QEMU in ${failing.length} of ${classes.size} classes:\n\n${report.join('\n\n')}`);
    } else {
      t.pass();
    }
  });
}
