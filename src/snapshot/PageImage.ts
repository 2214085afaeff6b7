import { PAGE_SIZE } from '../machine/MemoryRegions.ts';

/**
 * A block of memory as a snapshot stores it: only the 4 KiB pages that are
 * not entirely `fill` (0 for RAM, 0xff for erased flash), with their indices.
 * A 1 GiB RAM of which firmware touched 2 MiB costs 2 MiB before compression.
 */
export interface PageImage {
  readonly size: number;
  readonly fill: number;
  /** Index of each stored page, ascending. */
  readonly pages: Uint32Array;
  /** The stored pages, one after the other (the last may be short when `size` is not a page multiple). */
  readonly data: Uint8Array;
}

/** True when bytes[start, end) are all `fill`; `words` is a word view of the whole block when it is word-aligned. */
function isFilled(bytes: Uint8Array, words: Int32Array | null, start: number, end: number, fill: number): boolean {
  if (words !== null && (end - start) % 4 === 0) {
    // 1024 word compares per page.
    const pattern = (fill * 0x01010101) | 0;
    for (let i = start >>> 2, last = end >>> 2; i < last; i++) if (words[i] !== pattern) return false;
    return true;
  }
  for (let i = start; i < end; i++) if (bytes[i] !== fill) return false;
  return true;
}

export function encodePages(bytes: Uint8Array, fill = 0): PageImage {
  const count = Math.ceil(bytes.length / PAGE_SIZE);
  const words = bytes.byteOffset % 4 === 0 ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2) : null;
  const kept: number[] = [];
  for (let p = 0; p < count; p++) {
    const start = p * PAGE_SIZE;
    if (!isFilled(bytes, words, start, Math.min(start + PAGE_SIZE, bytes.length), fill)) kept.push(p);
  }
  let length = 0;
  for (const p of kept) length += Math.min(PAGE_SIZE, bytes.length - p * PAGE_SIZE);
  const data = new Uint8Array(length);
  let at = 0;
  for (const p of kept) {
    const chunk = bytes.subarray(p * PAGE_SIZE, Math.min((p + 1) * PAGE_SIZE, bytes.length));
    data.set(chunk, at);
    at += chunk.length;
  }
  return { size: bytes.length, fill, pages: Uint32Array.from(kept), data };
}

/** Write `image` over `bytes` (same size): stored pages copied, every other page set to the fill byte. */
export function decodePagesInto(image: PageImage, bytes: Uint8Array, what: string): void {
  if (image.size !== bytes.length) throw new RangeError(`${what}: the snapshot holds ${image.size} bytes, the board has ${bytes.length}`);
  bytes.fill(image.fill);
  let at = 0;
  for (const p of image.pages) {
    const start = p * PAGE_SIZE;
    const n = Math.min(PAGE_SIZE, bytes.length - start);
    if (start >= bytes.length || at + n > image.data.length) throw new RangeError(`${what}: page ${p} lies outside the snapshot's data`);
    bytes.set(image.data.subarray(at, at + n), start);
    at += n;
  }
}
