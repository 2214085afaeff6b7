/**
 * The cases the ARM reference-vector harness runs: one instruction each,
 * with every input register and the APSR chosen here (edge values and
 * pseudo-random values from a fixed seed, so every run of the generator
 * produces the same cases).
 */

export type Isa = 'a32' | 't32';

/** A register input: a number, or an assembler expression (an address inside `scratch`). */
export type RegisterInput = number | string;

export interface VectorCase {
  /** Output file stem, e.g. "a32-multiply". */
  readonly file: string;
  /** Class shown when the replay test groups results, e.g. "smlabb" or "ldr [Rn, #imm]!". */
  readonly group: string;
  readonly isa: Isa;
  /** Unified assembler syntax, as given to the assembler. */
  readonly asm: string;
  /** r0–r12 (r13 is the harness's capture pointer, not an input we choose). */
  readonly registers: RegisterInput[];
  readonly r14: number;
  /** N Z C V Q and GE[3:0] as they sit in the APSR. */
  readonly apsr: number;
  /** Initial contents of the 128-byte scratch buffer, or null for cases that touch no memory. */
  readonly memory: number[] | null;
  /** Instructions the stub runs before its branch back (more than one only for IT blocks). */
  readonly steps: number;
  /** Start the T32 stub at an address that is 2 modulo 4 (PC-relative forms use Align(PC, 4)). */
  readonly halfwordAligned: boolean;
}

/** Size of the harness's scratch buffer (harness.c SCRATCH_SIZE). */
export const SCRATCH_SIZE = 128;

/** Address expressions inside the scratch buffer, for base registers. */
export function scratchAt(offset: number): string {
  return `scratch+${offset}`;
}

/** Values that sit on the borders of signed/unsigned words, halfwords and bytes. */
export const EDGE_VALUES: readonly number[] = [
  0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x8000, 0xffff, 0x7fff, 0x80, 0xff, 0x7f,
  0x80008000, 0x7fff7fff, 0xffff0000, 0x0000ffff, 0x80808080, 0x7f7f7f7f, 0x01010101, 0x80000001,
];

const EDGE_BYTES: readonly number[] = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x81];

/** mulberry32: a small deterministic generator (no global Math.random). */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next unsigned 32-bit number. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  below(n: number): number {
    return this.next() % n;
  }

  choose<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  /** An operand: an edge value half of the time, else a random word. */
  word(): number {
    return this.below(2) === 0 ? this.choose(EDGE_VALUES) : this.next();
  }

  /** A SIMD operand: each byte an edge byte half of the time, else random. */
  lanes(): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.below(2) === 0 ? this.choose(EDGE_BYTES) : this.below(256);
      v |= b << (8 * i);
    }
    return v >>> 0;
  }

  /** Random N Z C V Q and GE bits. */
  apsr(): number {
    return ((this.next() & 0xf8000000) | (this.below(16) << 16)) >>> 0;
  }

  bytes(n: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.below(3) === 0 ? this.choose(EDGE_BYTES) : this.below(256));
    return out;
  }
}

export interface CaseOptions {
  /** APSR input (default random). */
  readonly apsr?: number;
  /** Give the case a scratch-buffer image (load/store cases). */
  readonly memory?: boolean;
  /** Instructions in the asm text (statements separated by ";"); default 1. */
  readonly steps?: number;
  /** Place a T32 stub at an address that is 2 modulo 4. */
  readonly halfwordAligned?: boolean;
}

export class CaseList {
  readonly cases: VectorCase[] = [];

  constructor(readonly random: Random) {}

  /**
   * Add one case. `inputs` names the registers the instruction reads
   * ("r1": value); every other register of r0–r12 gets a random filler so that
   * reading the wrong register shows.
   */
  add(file: string, group: string, isa: Isa, asm: string, inputs: Readonly<Record<string, RegisterInput>>, options: CaseOptions = {}): void {
    const registers: RegisterInput[] = [];
    for (let i = 0; i < 13; i++) registers.push(this.random.next());
    for (const [name, value] of Object.entries(inputs)) {
      const m = /^r(\d+)$/.exec(name);
      if (m === null || Number(m[1]) > 12) throw new Error(`case "${asm}": input ${name} is not one of r0-r12`);
      registers[Number(m[1])] = typeof value === 'number' ? value >>> 0 : value;
    }
    this.cases.push({
      file,
      group,
      isa,
      asm,
      registers,
      r14: this.random.next(),
      apsr: (options.apsr ?? this.random.apsr()) >>> 0,
      memory: options.memory ? this.random.bytes(SCRATCH_SIZE) : null,
      steps: options.steps ?? 1,
      halfwordAligned: options.halfwordAligned ?? false,
    });
  }
}
