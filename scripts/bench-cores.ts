import type { BenchResult } from './bench.ts';

/**
 * Core and firmware speed sections of the bench: filled in as cores land
 * (MIPS on our CPU-bound firmware, instructions and seconds to U-Boot's prompt).
 */
export async function benchCoreSections(): Promise<BenchResult[]> {
  return [];
}
