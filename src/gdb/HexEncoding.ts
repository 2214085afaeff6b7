/**
 * Hex text as the GDB remote protocol writes it: two lower-case digits per
 * byte, in memory order (GDB manual, "Overview" of the Remote Protocol).
 */

const DIGITS = '0123456789abcdef';

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += DIGITS[b >>> 4]! + DIGITS[b & 15]!;
  return out;
}

/** Bytes of an even-length hex string, or null when it is not one. */
export function hexToBytes(text: string): Uint8Array | null {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A number written as hex digits (addresses, lengths, thread ids), or null. At most 13 digits, so it stays exact. */
export function parseHexNumber(text: string): number | null {
  if (!/^[0-9a-fA-F]{1,13}$/.test(text)) return null;
  return parseInt(text, 16);
}

/** A 32-bit register value as the target stores it: 8 hex digits in its byte order. */
export function wordToHex(value: number, littleEndian: boolean): string {
  const v = value >>> 0;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) bytes[littleEndian ? i : 3 - i] = (v >>> (8 * i)) & 0xff;
  return bytesToHex(bytes);
}

/** The inverse of `wordToHex` for 4 bytes. */
export function bytesToWord(bytes: Uint8Array, offset: number, littleEndian: boolean): number {
  let v = 0;
  for (let i = 0; i < 4; i++) v |= bytes[offset + (littleEndian ? i : 3 - i)]! << (8 * i);
  return v >>> 0;
}

/** ASCII text as hex (qThreadExtraInfo answers, qRcmd output). */
export function textToHex(text: string): string {
  return bytesToHex(new TextEncoder().encode(text));
}
