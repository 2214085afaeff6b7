import type { ArmCpu } from '../ArmCpu.ts';
import * as neonAccessModule from './NeonAccess.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { FPSCR_QC } = neonAccessModule;

/**
 * Saturation (A2.2.1 SignedSatQ/UnsignedSatQ) for the Advanced SIMD
 * saturating forms. A clipped lane notes it in `qc`; the handler then sets
 * the cumulative FPSCR.QC once with `commitQc` (A2.6.3: QC is sticky).
 */
export const qc = { hit: false };

/** Clip an exact integer to the signed or unsigned range of `size` bits. */
export function saturate(v: number, size: number, unsigned: boolean): number {
  let min: number;
  let max: number;
  if (unsigned) {
    min = 0;
    max = size === 32 ? 0xffffffff : (1 << size) - 1;
  } else {
    max = size === 32 ? 0x7fffffff : (1 << (size - 1)) - 1;
    min = -max - 1;
  }
  if (v > max) {
    qc.hit = true;
    return max;
  }
  if (v < min) {
    qc.hit = true;
    return min;
  }
  return v;
}

export function commitQc(c: ArmCpu): void {
  if (qc.hit) {
    c.vfp.fpscr |= FPSCR_QC;
    qc.hit = false;
  }
}
