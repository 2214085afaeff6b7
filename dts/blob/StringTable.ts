/**
 * The strings block of a blob (DTSpec 5.5): property names, NUL-terminated, referenced by
 * offset. A name is stored once; a name that is the tail of one already stored
 * (`phandle` after `linux,phandle`) points into it. dtc lays its table out the same way
 * (first occurrence of the name and its NUL anywhere in the table), so our blobs come out
 * byte for byte like dtc's.
 */
export class StringTable {
  /** One character per byte of the block, so string offsets are byte offsets. */
  private binary = '';

  /** Offset of `name` in the block, adding it at the end when it is not there yet. */
  offsetOf(name: string): number {
    const key = `${toBinary(name)}\0`;
    const found = this.binary.indexOf(key);
    if (found >= 0) return found;
    const at = this.binary.length;
    this.binary += key;
    return at;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.binary, (c) => c.charCodeAt(0));
  }
}

/** Names are ASCII in practice; anything else is stored as UTF-8. */
function toBinary(text: string): string {
  return String.fromCharCode(...new TextEncoder().encode(text));
}
