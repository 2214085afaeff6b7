/**
 * What every stateful part of a machine offers for snapshots: its state as
 * plain data (numbers, strings, booleans, arrays, plain objects, typed
 * arrays — see StateCodec) and the way back.
 *
 * `restore` is called on a part built from the same board, in any state (a
 * fresh machine, or one that ran on). It must bring back everything that
 * affects what the part does next, recompute its interrupt outputs
 * (`updateIrq()`), and re-create its pending clock events at the times they
 * were due (save the deadline when register state alone does not give it,
 * as the PL011's receive timeout does): the snapshot cannot hold callbacks,
 * so the machine re-creates none itself and checks afterwards that every
 * event pending at the snapshot is pending again (VirtualClock.reorder).
 */
export interface Snapshottable<S = unknown> {
  snapshot(): S;
  restore(state: S): void;
  /**
   * Memory whose contents the part saves in its own state (a flash bank's
   * array): bus regions over these bytes are left out of the RAM section.
   */
  ownedMemory?(): readonly Uint8Array[];
}

export function isSnapshottable(x: unknown): x is Snapshottable {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Snapshottable).snapshot === 'function' &&
    typeof (x as Snapshottable).restore === 'function'
  );
}
