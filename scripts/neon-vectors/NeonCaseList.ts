/**
 * The case list of the Advanced SIMD reference vectors: each case is one
 * instruction (asm text for GNU as), its inputs (r0-r12, FPSCR, the D
 * registers it reads, a scratch-memory image for loads and stores), and the
 * vector file it goes to. Values come from a seeded generator, so the list
 * is the same on every run.
 */

export type Isa = 'a32' | 't32';

export interface NeonCase {
  readonly file: string;
  readonly cls: string;
  readonly isa: Isa;
  readonly asm: string;
  /** r0-r12: numbers, or 'scratch+N' for addresses in the harness's scratch buffer. */
  readonly registers: (number | string)[];
  readonly fpscr: number;
  /** D registers given a value (the others are zero): index → [low word, high word]. */
  readonly d: Map<number, [number, number]>;
  readonly memory: number[] | null;
}

/** xorshift32: small, deterministic. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  below(n: number): number {
    return this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

export type LaneKind = 'int' | 'float';

const FLOAT_SPECIALS = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x40000000, 0x3f000000, 0x7f800000, 0xff800000,
  0x7fc00000, 0x7fc12345, 0x7f812345, 0xff800001, 0x00012345, 0x80400000, 0x7f7fffff, 0xff7fffff,
  0x00800000, 0x80800000, 0x4f000000, 0x4f800000, 0xcf000000, 0x4e800001, 0x3effffff, 0x00ffffff,
  0x7e800000, 0x7effffff, 0x01000000, 0x40400000, 0x3fc00000,
];

export class NeonCaseList {
  readonly cases: NeonCase[] = [];
  constructor(readonly random: Random) {}

  /** One lane of `size` bits: half the time uniform, else an edge value (0, ±1, extremes, small). */
  lane(size: number, kind: LaneKind): number {
    const r = this.random;
    if (kind === 'float') {
      const choice = r.below(8);
      if (choice < 3) return r.pick(FLOAT_SPECIALS);
      if (choice < 6) {
        // Normal numbers of moderate exponent, so sums and products stay in range.
        const exponent = 110 + r.below(36);
        return ((r.below(2) << 31) | (exponent << 23) | (r.next() & 0x7fffff)) >>> 0;
      }
      if (choice === 6) return floatBits((r.below(2000) - 1000) / (1 + r.below(8)));
      return r.next();
    }
    const mask = size === 32 ? 0xffffffff : (1 << size) - 1;
    const choice = r.below(12);
    const top = size === 32 ? 0x80000000 : 1 << (size - 1);
    switch (choice) {
      case 0: return 0;
      case 1: return 1;
      case 2: return mask;
      case 3: return top;
      case 4: return (top - 1) >>> 0;
      case 5: return (top + 1) >>> 0;
      case 6: return r.below(16);
      case 7: return (mask - r.below(16)) >>> 0;
      default: return (r.next() & mask) >>> 0;
    }
  }

  /** A D register of lanes of `size` bits (64: two random words). */
  dValue(size: number, kind: LaneKind): [number, number] {
    if (size === 64) {
      const pick = this.random.below(6);
      if (pick === 0) return [0xffffffff, 0x7fffffff];
      if (pick === 1) return [0, 0x80000000];
      if (pick === 2) return [this.random.below(64), 0];
      return [this.random.next(), this.random.next()];
    }
    const words: [number, number] = [0, 0];
    const per = 32 / size;
    for (let w = 0; w < 2; w++) {
      let v = 0;
      for (let k = 0; k < per; k++) {
        const l = this.lane(size, kind);
        v = size === 32 ? l : (v | (l << (k * size))) >>> 0;
      }
      words[w] = v >>> 0;
    }
    return words;
  }

  fpscr(): number {
    return this.random.pick([0, 0, 0, 0x08000000, 0x0000009f, 0x01000000, 0x00c00000, 0x04000000]);
  }

  add(c: NeonCase): void {
    this.cases.push(c);
  }
}

function floatBits(v: number): number {
  const f = new Float32Array([v]);
  return new Uint32Array(f.buffer)[0];
}
