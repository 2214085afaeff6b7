import type { ArmCpu } from '../ArmCpu.ts';

/**
 * Scratch lanes for Advanced SIMD handlers. An instruction copies its
 * operand registers here first, computes its result lanes into the result
 * area and then copies that back to the register file: this gives the
 * manual's read-all-operands-then-write order (A8 pseudocode) even when the
 * destination overlaps a source (long, narrow and permute forms), and needs
 * no allocation per instruction. Each area holds 32 bytes (up to four D
 * registers). The host is little-endian like the register file, so element
 * e of size s in an area is entry (area / s + e) of the view of that size
 * (A2.6.2: D[n] element e is bits [s·e + s − 1 : s·e]).
 */

const buffer = new ArrayBuffer(160);
export const U8 = new Uint8Array(buffer);
export const S8 = new Int8Array(buffer);
export const U16 = new Uint16Array(buffer);
export const S16 = new Int16Array(buffer);
export const U32 = new Uint32Array(buffer);
export const S32 = new Int32Array(buffer);
export const F32 = new Float32Array(buffer);

/** Byte offsets of the areas: two sources, the old destination, the result, and a spare. */
export const AREA_A = 0;
export const AREA_B = 32;
export const AREA_D = 64;
export const AREA_R = 96;
export const AREA_X = 128;

/** Copy `count` D registers starting at D[first] into the area at byte offset `area`. */
export function loadRegisters(c: ArmCpu, first: number, count: number, area: number): void {
  const words = c.vfp.words;
  const w = area >>> 2;
  for (let k = 0; k < 2 * count; k++) S32[w + k] = words[2 * first + k];
}

/** Copy `count` D registers from the area at byte offset `area` to D[first]… */
export function storeRegisters(c: ArmCpu, first: number, count: number, area: number): void {
  const words = c.vfp.words;
  const w = area >>> 2;
  for (let k = 0; k < 2 * count; k++) words[2 * first + k] = S32[w + k];
}

/** Element `e` of `size` bits (8, 16, 32) in `area`, sign- or zero-extended. */
export function lane(area: number, e: number, size: number, unsigned: boolean): number {
  if (size === 8) return unsigned ? U8[area + e] : S8[area + e];
  if (size === 16) return unsigned ? U16[(area >>> 1) + e] : S16[(area >>> 1) + e];
  return unsigned ? U32[(area >>> 2) + e] : S32[(area >>> 2) + e];
}

/** Write element `e` of `size` bits in `area` (the value is truncated to the element). */
export function setLane(area: number, e: number, size: number, value: number): void {
  if (size === 8) U8[area + e] = value;
  else if (size === 16) U16[(area >>> 1) + e] = value;
  else S32[(area >>> 2) + e] = value;
}

export type LaneView = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** The scratch view whose entries are lanes of `size` bits (8, 16, 32), signed or not: chosen at decode time. */
export function laneView(size: number, unsigned: boolean): LaneView {
  if (size === 8) return unsigned ? U8 : S8;
  if (size === 16) return unsigned ? U16 : S16;
  return unsigned ? U32 : S32;
}

/** Index of an area's first lane in a view of `size`-bit lanes. */
export function areaIndex(area: number, size: number): number {
  return area / (size / 8);
}
