/**
 * Turns a snapshot's state tree (plain objects, arrays, numbers, strings,
 * booleans, null, typed arrays) into bytes and back.
 *
 * The tree is written as JSON, except typed arrays: their bytes go into a
 * binary area after the JSON and the JSON holds `{ "$bin": [type, offset,
 * length] }` in their place, so RAM pages and register files are neither
 * inflated by JSON nor lose precision. Non-finite numbers (Infinity for "no
 * deadline", NaN) become `{ "$num": "Infinity" }`. Layout:
 *
 *   u32 LE  length of the JSON text in bytes
 *   …       JSON text (UTF-8)
 *   …       binary area (each typed array's bytes, 8-byte aligned)
 */

/** A value a snapshot can hold. */
export type StateValue =
  | null
  | boolean
  | number
  | string
  | StateTypedArray
  | readonly StateValue[]
  | { readonly [key: string]: StateValue | undefined };

export type StateTypedArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

const TYPED: Record<string, new (buffer: ArrayBuffer, offset: number, length: number) => StateTypedArray> = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
};

/** A snapshot payload that does not decode: a corrupt or foreign file. */
export class StateFormatError extends Error {
  override readonly name = 'StateFormatError';
}

function typeNameOf(v: unknown): string | undefined {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return undefined;
  const name = (v as object).constructor.name;
  return name in TYPED ? name : undefined;
}

export function encodeState(value: StateValue): Uint8Array {
  const blobs: Uint8Array[] = [];
  let binaryLength = 0;
  const json = JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
    const type = typeNameOf(v);
    if (type === undefined) return v;
    const view = v as StateTypedArray;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const offset = binaryLength;
    blobs.push(bytes);
    binaryLength += bytes.length;
    const pad = (8 - (binaryLength % 8)) % 8;
    if (pad > 0) {
      blobs.push(new Uint8Array(pad));
      binaryLength += pad;
    }
    return { $bin: [type, offset, view.length] };
  });
  const text = new TextEncoder().encode(json);
  const out = new Uint8Array(4 + text.length + binaryLength);
  new DataView(out.buffer).setUint32(0, text.length, true);
  out.set(text, 4);
  let at = 4 + text.length;
  for (const b of blobs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

export function decodeState(bytes: Uint8Array): StateValue {
  if (bytes.length < 4) throw new StateFormatError('the state is shorter than its header');
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + jsonLength > bytes.length) throw new StateFormatError('the state is shorter than its JSON part says');
  const binary = bytes.subarray(4 + jsonLength);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + jsonLength)), (_key, v: unknown) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const o = v as Record<string, unknown>;
      if ('$num' in o) return Number(o.$num);
      if (!('$bin' in o)) return v;
      const [type, offset, length] = o.$bin as [string, number, number];
      const ctor = TYPED[type];
      if (ctor === undefined) throw new StateFormatError(`unknown typed array ${String(type)}`);
      const size = (ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT * length;
      if (!Number.isSafeInteger(offset) || offset < 0 || offset + size > binary.length) throw new StateFormatError('a typed array lies outside the binary area');
      // Copy into a buffer of its own: aligned, and independent of the file's bytes.
      const copy = new Uint8Array(size);
      copy.set(binary.subarray(offset, offset + size));
      return new ctor(copy.buffer, 0, length);
    });
  } catch (e) {
    if (e instanceof StateFormatError) throw e;
    throw new StateFormatError(`the state's JSON does not parse: ${(e as Error).message}`);
  }
  return parsed as StateValue;
}
