/**
 * Encoding patterns written the way the ARM ARM draws its encoding diagrams:
 * one character per bit from the most significant down, spaces ignored.
 *
 *   '0' / '1'     fixed bit
 *   '(0)' / '(1)' a "should be" bit: the manual makes other values
 *                 UNPREDICTABLE; we do not check it (as real cores mostly do not)
 *   '-'           a bit the encoding does not care about
 *   a letter      a bit of the field named by that letter; a field's bits
 *                 need not be adjacent (e.g. 'i' in the Thumb BL encodings)
 *
 * A pattern whose top four characters are 'cccc' (A32 condition field) does
 * not match cond = 1111, which is the unconditional instruction space (A5.1).
 */
export interface ParsedPattern {
  readonly text: string;
  readonly width: number;
  /** Bits fixed by the pattern. */
  readonly mask: number;
  /** Their values. */
  readonly value: number;
  /** Field letter → mask of its bits. */
  readonly fields: ReadonlyMap<string, number>;
}

export function parsePattern(text: string, width: number): ParsedPattern {
  const bits: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === ' ') continue;
    if (ch === '(') {
      const inner = text[i + 1];
      if ((inner !== '0' && inner !== '1') || text[i + 2] !== ')') {
        throw new Error(`encoding pattern '${text}': '(' must be followed by 0) or 1)`);
      }
      bits.push('-');
      i += 2;
      continue;
    }
    if (ch === '0' || ch === '1' || ch === '-' || /[a-zA-Z]/.test(ch)) {
      bits.push(ch);
      continue;
    }
    throw new Error(`encoding pattern '${text}': unexpected character '${ch}'`);
  }
  if (bits.length !== width) {
    throw new Error(`encoding pattern '${text}' has ${bits.length} bits, expected ${width}`);
  }
  let mask = 0;
  let value = 0;
  const fields = new Map<string, number>();
  for (let i = 0; i < width; i++) {
    const bit = 2 ** (width - 1 - i);
    const ch = bits[i];
    if (ch === '0' || ch === '1') {
      mask += bit;
      if (ch === '1') value += bit;
    } else if (ch !== '-') {
      fields.set(ch, (fields.get(ch) ?? 0) + bit);
    }
  }
  return { text, width, mask: mask >>> 0, value: value >>> 0, fields };
}

/** A set of words given by fixed bits. */
export interface BitCube {
  readonly mask: number;
  readonly value: number;
}

export function cubeMatches(c: BitCube, word: number): boolean {
  return ((word & c.mask) >>> 0) === c.value;
}

/**
 * True when some word lies in `base` and in none of `holes` (all cubes of the
 * same width). Decides overlaps between encodings that carry exclusions, by
 * splitting `base` on a bit a hole fixes and `base` does not.
 */
export function cubeMinusHolesNonEmpty(base: BitCube, holes: readonly BitCube[]): boolean {
  for (let h = 0; h < holes.length; h++) {
    const hole = holes[h];
    // Disjoint: the hole removes nothing from base.
    if ((((base.value ^ hole.value) & base.mask & hole.mask) >>> 0) !== 0) continue;
    const free = (hole.mask & ~base.mask) >>> 0;
    if (free === 0) return false; // the hole covers all of base
    const bit = (free & -free) >>> 0;
    const rest = holes.slice(h + 1);
    const mask = (base.mask | bit) >>> 0;
    // The half of base that disagrees with the hole on `bit` escapes it.
    const escaping = { mask, value: (base.value | (~hole.value & bit)) >>> 0 };
    const inside = { mask, value: (base.value | (hole.value & bit)) >>> 0 };
    return cubeMinusHolesNonEmpty(escaping, rest) || cubeMinusHolesNonEmpty(inside, holes.slice(h));
  }
  return true;
}

/** Intersection of two cubes, or null when they are disjoint. */
export function intersectCubes(a: BitCube, b: BitCube): BitCube | null {
  if ((((a.value ^ b.value) & a.mask & b.mask) >>> 0) !== 0) return null;
  return { mask: (a.mask | b.mask) >>> 0, value: (a.value | b.value) >>> 0 };
}
