/**
 * A non-negative integer written in a scenario: `0x` hexadecimal or decimal, with `_`
 * allowed between digits for long values (0x4010_0000). BigInt because a 64-bit memory
 * value does not fit a double; undefined when the text is not such a number.
 */
export function parseScenarioInteger(text: string): bigint | undefined {
  const t = text.trim();
  if (/^0x[0-9a-f]+(?:_[0-9a-f]+)*$/i.test(t)) return BigInt(`0x${t.slice(2).replace(/_/g, '')}`);
  if (/^[0-9]+(?:_[0-9]+)*$/.test(t)) return BigInt(t.replace(/_/g, ''));
  return undefined;
}

/** `value` as 0x… with two hex digits per byte of `size`. */
export function formatHex(value: bigint | number, size: number): string {
  return `0x${value.toString(16).padStart(size * 2, '0')}`;
}
