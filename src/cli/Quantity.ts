import { UsageError } from './UsageError.ts';

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  min: 60e9,
  h: 3600e9,
};

/**
 * Parse a duration of virtual time such as "10s", "250ms", "1.5m" or "100us"
 * into nanoseconds. A bare number means seconds.
 */
export function parseDuration(text: string, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? (m[2] === '' ? 's' : m[2]!.toLowerCase()) : '';
  const scale = DURATION_UNITS[unit];
  if (!m || scale === undefined) {
    throw new UsageError(
      `${option}: '${text}' is not a duration (expected a number with ns, us, ms, s, m or h, e.g. 10s)`,
    );
  }
  const ns = Math.round(Number(m[1]) * scale);
  if (!Number.isSafeInteger(ns) || ns <= 0) throw new UsageError(`${option}: '${text}' is out of range`);
  return ns;
}

/**
 * Parse a positive count such as "1000000", "5e8", "300M" or "2G"
 * (K/M/G are powers of 1000 here: these are instruction counts, not bytes).
 */
export function parseCount(text: string, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmg]?)\s*$/i.exec(text);
  if (!m) throw new UsageError(`${option}: '${text}' is not a count (expected e.g. 1000000, 5e8 or 300M)`);
  const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Number(m[1]) * scale;
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${option}: '${text}' is out of range`);
  return n;
}

/** Parse an address or size: 0x hex or decimal. */
export function parseAddress(text: string, option: string): number {
  const t = text.trim();
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? parseInt(t, 10) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${option}: '${text}' is not an address (expected 0x… or decimal)`);
  return n;
}
