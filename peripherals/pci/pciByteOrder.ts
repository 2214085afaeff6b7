/**
 * PCI is little-endian: configuration registers and BAR registers keep their
 * least significant byte at the lowest address. A device on the bus sees the
 * value a CPU access carries in the board's byte order (MmioDevice), so on a
 * big-endian board the PCI host swaps 2- and 4-byte values at the boundary.
 */
export function pciValue(value: number, width: number, bigEndian: boolean): number {
  if (!bigEndian || width === 1) return value;
  if (width === 2) return ((value & 0xff) << 8) | ((value >>> 8) & 0xff);
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>> 0;
}

/** All ones at an access width: what a read nobody claims returns (a master abort, PCI 3.0 §3.3.3.1). */
export function allOnes(width: number): number {
  return width === 4 ? 0xffffffff : width === 2 ? 0xffff : 0xff;
}
