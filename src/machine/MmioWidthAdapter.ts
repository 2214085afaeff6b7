import type { AccessWidth, MmioDevice } from './MmioDevice.ts';

/**
 * Turns a CPU access of any width into accesses a device implements natively
 * (MmioDevice.widths), keeping memory order: byte `offset + i` of the access
 * is always byte `offset + i` of the device, in the given byte order.
 *
 * - Width implemented: one access.
 * - A narrower width implemented: split into pieces of the widest such width,
 *   lowest address first, composed in `littleEndian` order.
 * - Only wider widths implemented: one access of the smallest wider width at
 *   the aligned offset, and the bytes of interest are picked from (or, for a
 *   write, placed in) their byte lanes; on writes the other lanes are zero.
 *   No read-modify-write is ever done, so reading a register with side
 *   effects (FIFO pops) never happens behind the guest's back.
 *
 * Widths are encoded as a bit mask (1 | 2 | 4) so the bus can test them
 * without searching an array.
 */

export function widthMaskOf(widths: readonly AccessWidth[]): number {
  let mask = 0;
  for (const w of widths) {
    if (w !== 1 && w !== 2 && w !== 4) throw new RangeError(`invalid MMIO access width ${String(w)}`);
    mask |= w;
  }
  return mask;
}

function valueMask(width: number): number {
  return width === 4 ? 0xffffffff : width === 2 ? 0xffff : 0xff;
}

/** Widest implemented width strictly narrower than `width`, or 0. */
function narrowerWidth(mask: number, width: number): AccessWidth | 0 {
  if (width > 2 && (mask & 2) !== 0) return 2;
  if (width > 1 && (mask & 1) !== 0) return 1;
  return 0;
}

/** Narrowest implemented width strictly wider than `width` (callers know a narrower one is not implemented). */
function widerWidth(mask: number, width: number): AccessWidth {
  if (width < 2 && (mask & 2) !== 0) return 2;
  return 4;
}

export function adaptedRead(
  device: MmioDevice, offset: number, width: AccessWidth, mask: number, littleEndian: boolean,
): number {
  if ((mask & width) !== 0) return (device.read(offset, width) & valueMask(width)) >>> 0;
  const piece = narrowerWidth(mask, width);
  if (piece !== 0) {
    const count = width / piece;
    const bits = piece * 8;
    let value = 0;
    for (let i = 0; i < count; i++) {
      const part = (device.read(offset + i * piece, piece) & valueMask(piece)) >>> 0;
      // Multiplications keep the arithmetic exact above bit 31.
      if (littleEndian) value += part * 2 ** (bits * i);
      else value = value * 2 ** bits + part;
    }
    return value >>> 0;
  }
  const wide = widerWidth(mask, width);
  const lane = offset % wide;
  if (lane + width > wide) {
    // The access straddles two of the device's words: assemble it byte by byte.
    return composeBytes(device, offset, width, mask, littleEndian);
  }
  const word = (device.read(offset - lane, wide) & valueMask(wide)) >>> 0;
  const shift = littleEndian ? lane * 8 : (wide - lane - width) * 8;
  return (word >>> shift) & valueMask(width);
}

function composeBytes(
  device: MmioDevice, offset: number, width: AccessWidth, mask: number, littleEndian: boolean,
): number {
  let value = 0;
  for (let i = 0; i < width; i++) {
    const b = adaptedRead(device, offset + i, 1, mask, littleEndian);
    if (littleEndian) value += b * 2 ** (8 * i);
    else value = value * 256 + b;
  }
  return value >>> 0;
}

export function adaptedWrite(
  device: MmioDevice, offset: number, width: AccessWidth, value: number, mask: number, littleEndian: boolean,
): void {
  const v = (value & valueMask(width)) >>> 0;
  if ((mask & width) !== 0) {
    device.write(offset, width, v);
    return;
  }
  const piece = narrowerWidth(mask, width);
  if (piece !== 0) {
    const count = width / piece;
    const bits = piece * 8;
    for (let i = 0; i < count; i++) {
      const index = littleEndian ? i : count - 1 - i;
      const part = Math.floor(v / 2 ** (bits * index)) & valueMask(piece);
      device.write(offset + i * piece, piece, part >>> 0);
    }
    return;
  }
  const wide = widerWidth(mask, width);
  const lane = offset % wide;
  if (lane + width > wide) {
    for (let i = 0; i < width; i++) {
      const index = littleEndian ? i : width - 1 - i;
      adaptedWrite(device, offset + i, 1, (v >>> (8 * index)) & 0xff, mask, littleEndian);
    }
    return;
  }
  const shift = littleEndian ? lane * 8 : (wide - lane - width) * 8;
  device.write(offset - lane, wide, (v << shift) >>> 0);
}

/** Reverse the bytes of a `width`-byte value (for devices whose order differs from the bus's). */
export function swapBytes(value: number, width: number): number {
  if (width === 4) {
    return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>> 0;
  }
  if (width === 2) return ((value & 0xff) << 8) | ((value >>> 8) & 0xff);
  return value & 0xff;
}
