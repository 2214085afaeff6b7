/** One part of a suite split over several CI jobs: part `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** "i/n" with 1 <= i <= n; undefined when the text is not such a spec. */
export function parseShard(text: string): Shard | undefined {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) return undefined;
  return { index, count };
}

/**
 * Whether the scenario at `position` (0-based, counting every scenario of every file in the
 * order given) belongs to the shard: positions i-1, i-1+n, i-1+2n… Every scenario is in
 * exactly one of the n shards, and the split does not depend on how long scenarios take.
 */
export function inShard(position: number, shard: Shard): boolean {
  return position % shard.count === shard.index - 1;
}
