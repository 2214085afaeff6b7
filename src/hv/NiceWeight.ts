/**
 * Nice levels as scheduler weights. As in Linux's CFS, each nice step changes
 * a task's share of the CPU by about 10% relative to a task one step away,
 * which a ratio of 1.25 between neighbouring weights gives; nice 0 is weight 1
 * (the Scheduler multiplies its quantum by the weight).
 */
export const NICE_MIN = -20;
export const NICE_MAX = 19;

export function checkNice(nice: number): void {
  if (!Number.isInteger(nice) || nice < NICE_MIN || nice > NICE_MAX) {
    throw new RangeError(`nice ${String(nice)} is out of range (${NICE_MIN} … ${NICE_MAX})`);
  }
}

export function niceToWeight(nice: number): number {
  checkNice(nice);
  return 1.25 ** -nice;
}
