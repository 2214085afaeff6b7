/** Nanoseconds per unit of a duration written in a scenario file. */
const UNITS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9 };

/**
 * A span of virtual time such as "5s", "250ms", "1.5s" or "100us", in ns; undefined when
 * the text is not one. The unit is required: a bare "5" could mean seconds or milliseconds.
 */
export function parseVirtualDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|ms|s|m)\s*$/.exec(text);
  if (m === null) return undefined;
  const ns = Math.round(Number(m[1]) * UNITS[m[2]!]!);
  return Number.isSafeInteger(ns) && ns > 0 ? ns : undefined;
}

/** A virtual time for people: "358 ns", "41.298 us", "12.000 ms", "2.500 s". */
export function formatVirtualTime(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(3)} us`;
  return `${ns} ns`;
}
