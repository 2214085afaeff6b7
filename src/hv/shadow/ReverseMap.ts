/**
 * Guest page-table page → the shadow entries built from entries in it, so a
 * write to that page finds every shadow translation it may invalidate. Entry
 * ids are (shadow table id) × 2^20 + (guest-virtual page number).
 */
export class ReverseMap {
  private readonly byPage = new Map<number, Set<number>>();

  /** Record that entry `id` depends on page `gpfn`; true when the page had no dependents before. */
  add(gpfn: number, id: number): boolean {
    let set = this.byPage.get(gpfn);
    const first = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.byPage.set(gpfn, set);
    }
    set.add(id);
    return first;
  }

  /** Forget that dependency; true when the page has no dependents left. */
  remove(gpfn: number, id: number): boolean {
    const set = this.byPage.get(gpfn);
    if (set === undefined) return false;
    set.delete(id);
    if (set.size > 0) return false;
    this.byPage.delete(gpfn);
    return true;
  }

  /** The entries depending on page `gpfn` (a copy: callers change the map while going through it). */
  dependents(gpfn: number): number[] {
    const set = this.byPage.get(gpfn);
    return set === undefined ? [] : [...set];
  }

  has(gpfn: number, id: number): boolean {
    return this.byPage.get(gpfn)?.has(id) ?? false;
  }

  pages(): number[] {
    return [...this.byPage.keys()];
  }

  /** Pages and their entries in insertion order (the order `dependents` gives), for snapshots. */
  snapshot(): Array<[number, number[]]> {
    return [...this.byPage].map(([page, ids]) => [page, [...ids]]);
  }

  restore(s: ReadonlyArray<readonly [number, readonly number[]]>): void {
    this.byPage.clear();
    for (const [page, ids] of s) this.byPage.set(page, new Set(ids));
  }

  get pageCount(): number {
    return this.byPage.size;
  }
}

export const ENTRY_ID_SCALE = 2 ** 20;

export function entryId(tableId: number, vpn: number): number {
  return tableId * ENTRY_ID_SCALE + vpn;
}
