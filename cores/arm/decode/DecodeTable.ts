import {
  cubeMatches,
  cubeMinusHolesNonEmpty,
  intersectCubes,
  parsePattern,
  type BitCube,
  type ParsedPattern,
} from './EncodingPattern.ts';

/**
 * One instruction form of an encoding table: the manual's name, its bit
 * pattern and the handler that executes it.
 *
 * `unless` lists patterns the manual carves out of this one ("if Rn ==
 * '1111' then SEE ADR"): words matching one of them belong to another
 * encoding. `specialize`, when present, builds the handler for one
 * particular instruction word at decode time (e.g. an MRC bound to the
 * system register it names), so execution skips the look-up.
 */
export interface Encoding<H> {
  readonly name: string;
  readonly pattern: string;
  readonly exec: H;
  readonly unless?: readonly string[];
  readonly specialize?: (word: number) => H;
}

export interface DecodedEncoding<H> {
  readonly name: string;
  readonly pattern: ParsedPattern;
  readonly holes: readonly BitCube[];
  readonly exec: H;
  readonly specialize?: (word: number) => H;
}

/**
 * An encoding table checked when it is built: every pattern has the table's
 * width and no word matches two forms (an overlap throws, naming both). For
 * look-up, forms are bucketed by the bits `keyBits` (for A32 the manual's
 * classic split on bits [27:20] and [7:4]); decoding scans one bucket.
 */
export class DecodeTable<H> {
  readonly encodings: readonly DecodedEncoding<H>[];
  private readonly buckets: DecodedEncoding<H>[][];
  private readonly keyBits: readonly number[];

  constructor(
    readonly name: string,
    readonly width: number,
    keyBits: readonly number[],
    encodings: readonly Encoding<H>[],
  ) {
    this.keyBits = keyBits;
    const parsed: DecodedEncoding<H>[] = encodings.map((e) => {
      const pattern = parsePattern(e.pattern, width);
      const holes: BitCube[] = (e.unless ?? []).map((u) => parsePattern(u, width));
      // 'cccc' in the top nibble of an A32 pattern means "any condition but 1111".
      if (width === 32 && /^\s*cccc/.test(e.pattern)) holes.push({ mask: 0xf0000000, value: 0xf0000000 });
      return { name: e.name, pattern, holes, exec: e.exec, specialize: e.specialize };
    });
    for (let i = 0; i < parsed.length; i++) {
      for (let j = i + 1; j < parsed.length; j++) {
        const both = intersectCubes(parsed[i].pattern, parsed[j].pattern);
        if (both === null) continue;
        if (cubeMinusHolesNonEmpty(both, [...parsed[i].holes, ...parsed[j].holes])) {
          throw new Error(
            `${name}: encodings '${parsed[i].name}' (${parsed[i].pattern.text}) and ` +
              `'${parsed[j].name}' (${parsed[j].pattern.text}) overlap`,
          );
        }
      }
    }
    this.encodings = parsed;
    const nKeys = 1 << keyBits.length;
    this.buckets = [];
    for (let key = 0; key < nKeys; key++) {
      const cube = this.keyCube(key);
      this.buckets.push(parsed.filter((e) => intersectCubes(e.pattern, cube) !== null));
    }
  }

  /** The set of words whose key bits spell `key`. */
  private keyCube(key: number): BitCube {
    let mask = 0;
    let value = 0;
    const n = this.keyBits.length;
    for (let i = 0; i < n; i++) {
      const bit = 2 ** this.keyBits[i];
      mask += bit;
      if ((key >>> (n - 1 - i)) & 1) value += bit;
    }
    return { mask: mask >>> 0, value: value >>> 0 };
  }

  private keyOf(word: number): number {
    const bits = this.keyBits;
    let key = 0;
    for (let i = 0; i < bits.length; i++) key = (key << 1) | ((word >>> bits[i]) & 1);
    return key;
  }

  /** The form `word` belongs to, or null when it is not in the table (UNDEFINED). */
  lookup(word: number): DecodedEncoding<H> | null {
    const bucket = this.buckets[this.keyOf(word)];
    for (let i = 0; i < bucket.length; i++) {
      const e = bucket[i];
      if (!cubeMatches(e.pattern, word)) continue;
      let excluded = false;
      for (let h = 0; h < e.holes.length; h++) {
        if (cubeMatches(e.holes[h], word)) {
          excluded = true;
          break;
        }
      }
      if (!excluded) return e;
    }
    return null;
  }

  /** The handler for `word`, or `fallback` when no form matches. */
  decode(word: number, fallback: H): H {
    const e = this.lookup(word >>> 0);
    if (e === null) return fallback;
    return e.specialize ? e.specialize(word >>> 0) : e.exec;
  }

  /** Value of field `letter` of a form in `word` (bits concatenated from most significant), for traces and disassemblers. */
  static field(e: DecodedEncoding<unknown>, letter: string, word: number): number {
    const mask = e.pattern.fields.get(letter);
    if (mask === undefined) throw new Error(`encoding '${e.name}' has no field '${letter}'`);
    let v = 0;
    for (let b = 31; b >= 0; b--) {
      if ((mask >>> b) & 1) v = v * 2 + ((word >>> b) & 1);
    }
    return v;
  }
}
