import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { UNDEFINED } = neonFieldsModule;

/**
 * VDUP (ARM core register) (ARM ARM A8.8.315, A7.8): cccc 1110 1BQ0 dddd
 * tttt 1011 D0E1 0000, conditional. Every lane of Dd/Qd gets the low 8, 16
 * or 32 bits of Rt (B:E = 10, 01, 00). The other A7.8 transfers (VMOV
 * scalar ↔ core register, VMRS/VMSR) are in vfp/VfpTransfers.ts.
 */
const VDUP_core = (i: number): A32Handler => {
  const q = (i & 0x200000) !== 0;
  const d = (((i >>> 7) & 1) << 4) | ((i >>> 16) & 15);
  const be = (((i >>> 22) & 1) << 1) | ((i >>> 5) & 1);
  if (be === 3 || (q && (d & 1) !== 0)) return UNDEFINED;
  const t = (i >>> 12) & 15;
  const words = q ? 4 : 2;
  const last = d + words / 2 - 1;
  return (c, word) => {
    if (!simdEnabled(c, word)) return;
    if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
    let v = c.r[t];
    if (be === 2) v = (v & 0xff) * 0x01010101;
    else if (be === 1) v = (v & 0xffff) * 0x10001;
    const r = c.vfp.words;
    for (let k = 0; k < words; k++) r[2 * d + k] = v;
  };
};

export const coreToSimdEncodings: Encoding<A32Handler>[] = [
  {
    name: 'VDUP (ARM core register)',
    pattern: 'cccc 1110 1BQ0 dddd tttt 1011 D0E1 (0)(0)(0)(0)',
    exec: (cpu: ArmCpu, i: number) => VDUP_core(i)(cpu, i),
    specialize: VDUP_core,
  },
];
