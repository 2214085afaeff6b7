import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import * as neonAccessModule from './NeonAccess.ts';
import * as neonFieldsModule from './NeonFields.ts';
import * as neonLanesModule from './NeonLanes.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { highRegistersHidden, simdEnabled } = neonAccessModule;
const { oddQuad, quad, UNDEFINED, vd, vm, vn } = neonFieldsModule;
const { AREA_A, AREA_B, AREA_D, AREA_R, lane, loadRegisters, setLane, storeRegisters, U8 } = neonLanesModule;

/**
 * Lane moves between registers (ARM ARM A7.4.5 VSWP, VTRN, VUZP, VZIP;
 * A7.4 VEXT, VTBL/VTBX, VDUP (scalar)). The permutes write both Vd and Vm.
 */

const sizeOf = (i: number): number => (i >>> 18) & 3;

type Permute = (count: number, size: number) => void;

/** Build a permute of Vd and Vm: old Vd lanes in AREA_D, Vm lanes in AREA_B, new ones to AREA_R (Vd) and AREA_A (Vm). */
function permute(op: Permute, allowed: (size: number, q: boolean) => boolean) {
  return (i: number): A32Handler => {
    const q = quad(i);
    const d = vd(i);
    const m = vm(i);
    const size = 8 << sizeOf(i);
    if (!allowed(size, q) || oddQuad(q, d, m)) return UNDEFINED;
    const regs = q ? 2 : 1;
    const count = (regs * 64) / size;
    const last = Math.max(d, m) + regs - 1;
    if (op === transpose && size === 32) {
      // Word lanes are swapped in place (with Vd = Vm each pair of words trades places, as on QEMU).
      return (c, word) => {
        if (!simdEnabled(c, word)) return;
        if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
        const r = c.vfp.words;
        for (let e = 0; e < count; e += 2) {
          const t = r[2 * m + e];
          r[2 * m + e] = r[2 * d + e + 1];
          r[2 * d + e + 1] = t;
        }
      };
    }
    return (c, word) => {
      if (!simdEnabled(c, word)) return;
      if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
      loadRegisters(c, d, regs, AREA_D);
      loadRegisters(c, m, regs, AREA_B);
      op(count, size);
      // With Vd = Vm the results are UNKNOWN (A8.8.419…); Vd is written last, as QEMU does.
      storeRegisters(c, m, regs, AREA_A);
      storeRegisters(c, d, regs, AREA_R);
    };
  };
}

/** VSWP (A8.8.418). */
const swap: Permute = (count, size) => {
  for (let e = 0; e < count; e++) {
    setLane(AREA_R, e, size, lane(AREA_B, e, size, true));
    setLane(AREA_A, e, size, lane(AREA_D, e, size, true));
  }
};

/** VTRN (A8.8.419): Elem[Vd, 2e+1] ↔ Elem[Vm, 2e]. */
const transpose: Permute = (count, size) => {
  for (let e = 0; e < count; e += 2) {
    setLane(AREA_R, e, size, lane(AREA_D, e, size, true));
    setLane(AREA_R, e + 1, size, lane(AREA_B, e, size, true));
    setLane(AREA_A, e, size, lane(AREA_D, e + 1, size, true));
    setLane(AREA_A, e + 1, size, lane(AREA_B, e + 1, size, true));
  }
};

/** Lane k of the concatenation Vd:Vm (Vd's lanes first). */
const joined = (k: number, count: number, size: number): number =>
  k < count ? lane(AREA_D, k, size, true) : lane(AREA_B, k - count, size, true);

/** VUZP (A8.8.420): Vd gets the even lanes of Vd:Vm, Vm the odd ones. */
const unzip: Permute = (count, size) => {
  for (let e = 0; e < count; e++) {
    setLane(AREA_R, e, size, joined(2 * e, count, size));
    setLane(AREA_A, e, size, joined(2 * e + 1, count, size));
  }
};

/** VZIP (A8.8.421): Vd:Vm becomes Vd[0] Vm[0] Vd[1] Vm[1] … */
const zip: Permute = (count, size) => {
  for (let k = 0; k < 2 * count; k++) {
    const v = (k & 1) === 0 ? lane(AREA_D, k >>> 1, size, true) : lane(AREA_B, k >>> 1, size, true);
    if (k < count) setLane(AREA_R, k, size, v);
    else setLane(AREA_A, k - count, size, v);
  }
};

/** VEXT (A8.8.316): bytes imm4… of Vm:Vn (Vn the low part). */
const VEXT = (i: number): A32Handler => {
  const q = quad(i);
  const d = vd(i);
  const n = vn(i);
  const m = vm(i);
  const imm4 = (i >>> 8) & 15;
  if (oddQuad(q, d, n, m) || (!q && imm4 > 7)) return UNDEFINED;
  const regs = q ? 2 : 1;
  const bytes = 8 * regs;
  const last = Math.max(d, n, m) + regs - 1;
  return (c, word) => {
    if (!simdEnabled(c, word)) return;
    if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
    loadRegisters(c, n, regs, AREA_A);
    loadRegisters(c, m, regs, AREA_B);
    for (let k = 0; k < bytes; k++) {
      const j = k + imm4;
      U8[AREA_R + k] = j < bytes ? U8[AREA_A + j] : U8[AREA_B + j - bytes];
    }
    storeRegisters(c, d, regs, AREA_R);
  };
};

/**
 * VTBL / VTBX (A8.8.419): each byte of Vm indexes the table of len + 1
 * consecutive D registers from Vn; an index beyond the table gives 0 (VTBL)
 * or leaves the Vd byte (VTBX).
 */
const VTBL = (i: number): A32Handler => {
  const d = vd(i);
  const n = vn(i);
  const m = vm(i);
  const length = ((i >>> 8) & 3) + 1;
  const extension = (i & 0x40) !== 0;
  const last = Math.max(d, m, n + length - 1);
  return (c, word) => {
    if (!simdEnabled(c, word)) return;
    if (n + length > 32 || highRegistersHidden(c, last)) return c.undefinedInstruction(word);
    loadRegisters(c, n, length, AREA_A);
    loadRegisters(c, m, 1, AREA_B);
    loadRegisters(c, d, 1, AREA_D);
    for (let k = 0; k < 8; k++) {
      const index = U8[AREA_B + k];
      U8[AREA_R + k] = index < 8 * length ? U8[AREA_A + index] : extension ? U8[AREA_D + k] : 0;
    }
    storeRegisters(c, d, 1, AREA_R);
  };
};

/** VDUP (scalar) (A8.8.314): imm4 = xxx1 → byte x, xx10 → halfword, x100 → word. */
const VDUP_scalar = (i: number): A32Handler => {
  const q = quad(i);
  const d = vd(i);
  const m = vm(i);
  const imm4 = (i >>> 16) & 15;
  let size: number;
  let index: number;
  if ((imm4 & 1) !== 0) {
    size = 8;
    index = imm4 >>> 1;
  } else if ((imm4 & 2) !== 0) {
    size = 16;
    index = imm4 >>> 2;
  } else if ((imm4 & 4) !== 0) {
    size = 32;
    index = imm4 >>> 3;
  } else return UNDEFINED;
  if (oddQuad(q, d)) return UNDEFINED;
  const regs = q ? 2 : 1;
  const last = Math.max(d + regs - 1, m);
  return (c, word) => {
    if (!simdEnabled(c, word)) return;
    if (highRegistersHidden(c, last)) return c.undefinedInstruction(word);
    loadRegisters(c, m, 1, AREA_B);
    const v = lane(AREA_B, index, size, true);
    const count = (regs * 64) / size;
    for (let e = 0; e < count; e++) setLane(AREA_R, e, size, v);
    storeRegisters(c, d, regs, AREA_R);
  };
};

function misc(name: string, b: string, build: (i: number) => A32Handler): Encoding<A32Handler> {
  return {
    name,
    pattern: `1111 0011 1D11 zz10 dddd 0${b} QM0 mmmm`,
    exec: (cpu: ArmCpu, i: number) => build(i)(cpu, i),
    specialize: build,
  };
}

function encoding(name: string, pattern: string, build: (i: number) => A32Handler): Encoding<A32Handler> {
  return { name, pattern, exec: (cpu: ArmCpu, i: number) => build(i)(cpu, i), specialize: build };
}

export const permuteEncodings: Encoding<A32Handler>[] = [
  misc('VSWP', '000 0', permute(swap, (size) => size === 8)),
  misc('VTRN', '000 1', permute(transpose, (size) => size < 64)),
  misc('VUZP', '001 0', permute(unzip, (size, q) => size < 32 || (q && size === 32))),
  misc('VZIP', '001 1', permute(zip, (size, q) => size < 32 || (q && size === 32))),
];

export const extractTableDupEncodings: Encoding<A32Handler>[] = [
  encoding('VEXT', '1111 0010 1D11 nnnn dddd iiii NQM0 mmmm', VEXT),
  encoding('VTBL, VTBX', '1111 0011 1D11 nnnn dddd 10ll NoM0 mmmm', VTBL),
  encoding('VDUP (scalar)', '1111 0011 1D11 iiii dddd 1100 0QM0 mmmm', VDUP_scalar),
];
