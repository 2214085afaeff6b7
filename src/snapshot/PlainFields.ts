import type { StateTypedArray } from './StateCodec.ts';

/**
 * Snapshots of register files that are plain objects of number, boolean
 * and typed-array fields (CP15 storage, CP14 debug registers): every such
 * own field is saved, so a register added later is saved without anyone
 * remembering to list it. Fields of other types (objects, functions) are
 * not state of this kind and are left alone.
 */
export type PlainFieldState = Record<string, number | boolean | StateTypedArray>;

function isTyped(v: unknown): v is StateTypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

export function capturePlainFields(source: object): PlainFieldState {
  const out: PlainFieldState = {};
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (isTyped(value)) out[key] = value.slice();
  }
  return out;
}

/** Write saved fields back; a field the object lacks or holds in another type is an error naming `what`. */
export function restorePlainFields(target: object, state: PlainFieldState, what: string): void {
  const t = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(state)) {
    const current = t[key];
    if (isTyped(value)) {
      if (!isTyped(current) || current.length !== value.length) throw new Error(`${what}: the snapshot's ${key} does not fit this model`);
      current.set(value as never);
    } else if (typeof current === typeof value) {
      t[key] = value;
    } else {
      throw new Error(`${what}: the snapshot has a field ${key} this model does not have`);
    }
  }
}
