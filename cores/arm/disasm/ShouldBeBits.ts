import type { DecodedEncoding } from '../decode/DecodeTable.ts';

/**
 * The "should be" bits of an encoding diagram, written "(0)" and "(1)" in
 * the patterns (ARM ARM: a different value makes the instruction
 * UNPREDICTABLE). The decode tables ignore them, as cores mostly do; this
 * tells a tool whether a word honours them.
 */
const cache = new WeakMap<object, { mask: number; value: number }>();

function shouldBeCube(e: DecodedEncoding<unknown>): { mask: number; value: number } {
  let cube = cache.get(e);
  if (cube !== undefined) return cube;
  const text = e.pattern.text.replace(/\s+/g, '');
  let bit = e.pattern.width - 1;
  let mask = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') {
      mask += 2 ** bit;
      if (text[i + 1] === '1') value += 2 ** bit;
      i += 2;
    }
    bit--;
  }
  cube = { mask: mask >>> 0, value: value >>> 0 };
  cache.set(e, cube);
  return cube;
}

/** True when `word` has a should-be-zero or should-be-one bit of form `e` the other way. */
export function violatesShouldBeBits(e: DecodedEncoding<unknown>, word: number): boolean {
  const cube = shouldBeCube(e);
  return ((word & cube.mask) >>> 0) !== cube.value;
}
