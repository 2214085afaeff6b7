/** One row of `npm run bench`: a name and its figures (numbers, or strings for checksums, notes and skips). */
export interface BenchResult {
  readonly name: string;
  readonly figures: Record<string, number | string | Record<string, number>>;
}

/** A number rounded for the table and the JSON (figures are measurements, not exact values). */
export function rounded(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** Million instructions per second. */
export function mips(instructions: number, seconds: number): number {
  return seconds > 0 ? rounded(instructions / seconds / 1e6, 1) : 0;
}
