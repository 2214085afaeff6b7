import type { ValueSegment } from '../model/DeviceTree.ts';

/**
 * A blob keeps no types: a property is just bytes. To show them usefully we guess the
 * type the way `dtc -I dtb -O dts` does, so that our .dts and dtc's agree:
 *  - no bytes: a boolean (empty) property;
 *  - ends in NUL, every byte printable ASCII, NUL or one of the C escapes \a \b \t \n \v \f \r,
 *    and no more NULs than other bytes: a list of strings;
 *  - otherwise, a length that is a multiple of 4: 32-bit cells;
 *  - otherwise: bytes.
 */
export function guessValueSegments(bytes: Uint8Array): ValueSegment[] {
  if (bytes.length === 0) return [];
  if (looksLikeStrings(bytes)) return splitStrings(bytes);
  if (bytes.length % 4 === 0) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const cells: bigint[] = [];
    for (let at = 0; at < bytes.length; at += 4) cells.push(BigInt(view.getUint32(at)));
    return [{ kind: 'cells', bits: 32, cells }];
  }
  return [{ kind: 'bytes', bytes: bytes.slice() }];
}

/** \a \b \t \n \v \f \r: the control characters a C string literal can spell. */
const C_ESCAPES = new Set([0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

function isStringByte(b: number): boolean {
  return (b >= 0x20 && b <= 0x7e) || b === 0 || C_ESCAPES.has(b);
}

function looksLikeStrings(bytes: Uint8Array): boolean {
  if (bytes[bytes.length - 1] !== 0) return false;
  let nuls = 0;
  for (const b of bytes) {
    if (!isStringByte(b)) return false;
    if (b === 0) nuls++;
  }
  return nuls <= bytes.length - nuls;
}

function splitStrings(bytes: Uint8Array): ValueSegment[] {
  // Every byte is ASCII here, so decoding cannot change them.
  const text = new TextDecoder().decode(bytes.subarray(0, bytes.length - 1));
  return text.split('\0').map((value) => ({ kind: 'string', value }));
}
