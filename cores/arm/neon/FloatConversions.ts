import type { A32Handler } from '../ArmCpu.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';
import * as neonLanesModule from './NeonLanes.ts';
import * as floatLanesModule from './FloatLanes.ts';
import * as standardFloatModule from './StandardFloat.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { oddQuad, quad, UNDEFINED, unsignedBit, vd, vm } = neonFieldsModule;
const { AREA_B, AREA_R, loadRegisters, S32, storeRegisters, U32 } = neonLanesModule;
const { commitFloatFlags, floatUnary } = floatLanesModule;
const { fixedToFp, fpToFixed } = standardFloatModule;

/**
 * VCVT between single precision and 32-bit integers or fixed point (ARM ARM
 * A8.8.305 encoding A1 in two registers misc, A8.8.308 encoding A1 in two
 * registers and a shift amount). To integer rounds towards zero, to float
 * to nearest (the Standard FPSCR value).
 */

/** Two registers misc, op = bits 8:7: 00 F32←S32, 01 F32←U32, 10 S32←F32, 11 U32←F32. */
export const integerConversion = (i: number): A32Handler => {
  const op = (i >>> 7) & 3;
  if (op === 0) return floatUnary((m) => fixedToFp(m | 0, 0))(i);
  if (op === 1) return floatUnary((m) => fixedToFp(m >>> 0, 0))(i);
  if (op === 2) return floatUnary((m) => fpToFixed(m, 0, false) >>> 0)(i);
  return floatUnary((m) => fpToFixed(m, 0, true) >>> 0)(i);
};

/**
 * Fixed point, in the shift-amount class: 1111 001U 1Dii iiii dddd 111o 0QM1 mmmm,
 * fraction bits 64 − imm6 (imm6<5> must be 1), op (bit 8) 0 = to float.
 */
export const fixedPointConversion = (i: number): A32Handler => {
  const imm6 = (i >>> 16) & 0x3f;
  const q = quad(i);
  const d = vd(i);
  const m = vm(i);
  if ((imm6 & 0x20) === 0 || oddQuad(q, d, m)) return UNDEFINED;
  const fractionBits = 64 - imm6;
  const unsigned = unsignedBit(i);
  const toFixed = (i & 0x100) !== 0;
  const regs = q ? 2 : 1;
  const last = Math.max(d, m) + regs - 1;
  return (c, word) => {
    if (!simdEnabled(c, word)) return;
    if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
    loadRegisters(c, m, regs, AREA_B);
    const b = AREA_B >>> 2;
    const r = AREA_R >>> 2;
    for (let e = 0; e < 2 * regs; e++) {
      if (toFixed) S32[r + e] = fpToFixed(U32[b + e], fractionBits, unsigned);
      else U32[r + e] = fixedToFp(unsigned ? U32[b + e] : S32[b + e], fractionBits);
    }
    storeRegisters(c, d, regs, AREA_R);
    commitFloatFlags(c);
  };
};
