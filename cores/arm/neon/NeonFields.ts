import type { A32Handler } from '../ArmCpu.ts';

/**
 * Register and size fields of the Advanced SIMD encodings in their A32 form
 * (ARM ARM A7.4; the T32 forms are moved into this layout by NeonThumb.ts):
 * D:Vd, N:Vn, M:Vm, Q (bit 6), size (bits 21:20), U (bit 24).
 */
export const vd = (i: number): number => ((i >>> 18) & 0x10) | ((i >>> 12) & 15);
export const vn = (i: number): number => ((i >>> 3) & 0x10) | ((i >>> 16) & 15);
export const vm = (i: number): number => ((i >>> 1) & 0x10) | (i & 15);
export const quad = (i: number): boolean => (i & 0x40) !== 0;
export const sizeField = (i: number): number => (i >>> 20) & 3;
export const unsignedBit = (i: number): boolean => (i & 0x1000000) !== 0;

/** The Undefined Instruction exception for words the manual makes UNDEFINED within a form. */
export const UNDEFINED: A32Handler = (c, i) => c.undefinedInstruction(i);

/** "if Q == '1' && (Vd<0> == '1' || ...) then UNDEFINED": Q registers are even pairs of D registers. */
export function oddQuad(q: boolean, ...registers: number[]): boolean {
  if (!q) return false;
  for (const r of registers) if ((r & 1) !== 0) return true;
  return false;
}
