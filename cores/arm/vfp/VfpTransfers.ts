import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import { trapVfp } from '../HypTraps.ts';
import { VfpRegisters } from './VfpRegisters.ts';

/**
 * VFP/Advanced SIMD register transfers and loads/stores (A7.6 extension
 * register load/store, A7.8 8/16/32-bit transfers between core and extension
 * registers, A7.9 64-bit transfers): VMRS, VMSR, VMOV (core ↔ single,
 * core ↔ scalar, two core ↔ two singles / one double), VLDR, VSTR, VLDM,
 * VSTM, VPUSH, VPOP. Arithmetic comes with the VFP data-processing support.
 *
 * Access (B1.14.2, B4.1.40 CPACR): CPACR.cp10 must grant the current
 * privilege level, and FPEXC.EN must be set — except for VMRS/VMSR of FPSID,
 * FPEXC and MVFRx at PL1, which firmware uses to turn the unit on.
 */

/**
 * FPSCR bits that exist on Cortex-A15: no trap enables (they read as zero);
 * LEN and STRIDE hold what is written although there are no short vectors
 * (a non-zero value makes vector-capable data processing UNDEFINED, see
 * VfpDataProcessing.ts), as QEMU's cortex-a15 does.
 */
const FPSCR_MASK = 0xfff7009f;

function cpacrAllows(c: ArmCpu): boolean {
  const cp10 = (c.sys.cpacr >>> 20) & 3;
  return cp10 === 3 || (cp10 === 1 && c.privileged === 1);
}

/**
 * The full check for ordinary VFP instructions; takes the Undefined
 * exception when denied, or the Hyp trap when HCPTR traps the unit (checked
 * between CPACR and FPEXC.EN, B1.14.x).
 */
export function enabled(c: ArmCpu, i: number): boolean {
  if (cpacrAllows(c)) {
    if (c.hypTraps && trapVfp(c, -1, 0)) return false;
    if (c.vfp.enabled) return true;
  }
  c.undefinedInstruction(i);
  return false;
}

/** D registers beyond D15 exist unless CPACR.D32DIS (bit 30) hides them. */
export function dRegisterOk(c: ArmCpu, d: number): boolean {
  return d < 16 || (c.sys.cpacr & 0x40000000) === 0;
}

// --- VMRS / VMSR (B6.1.x, A8.8.348–A8.8.349) -------------------------------------

const VMRS: A32Handler = (c, i) => {
  const reg = (i >>> 16) & 15;
  const t = (i >>> 12) & 15;
  const system = reg === 0 || reg === 6 || reg === 7 || reg === 8;
  if (!cpacrAllows(c)) return c.undefinedInstruction(i);
  if (c.hypTraps && trapVfp(c, reg, t)) return;
  if (system ? !c.privileged : !c.vfp.enabled) return c.undefinedInstruction(i);
  let value: number;
  switch (reg) {
    case 0: value = VfpRegisters.FPSID; break;
    case 1: value = c.vfp.fpscr; break;
    case 6: value = VfpRegisters.MVFR1; break;
    case 7: value = VfpRegisters.MVFR0; break;
    case 8: value = c.vfp.fpexc; break;
    default: return c.undefinedInstruction(i);
  }
  if (t === 15) {
    if (reg !== 1) return c.undefinedInstruction(i);
    c.setNzcv(value >>> 28); // VMRS APSR_nzcv, FPSCR
  } else c.r[t] = value;
};

const VMSR: A32Handler = (c, i) => {
  const reg = (i >>> 16) & 15;
  const value = c.r[(i >>> 12) & 15];
  const system = reg === 0 || reg === 8;
  if (!cpacrAllows(c)) return c.undefinedInstruction(i);
  if (c.hypTraps && trapVfp(c, -1, 0)) return;
  if (system ? !c.privileged : !c.vfp.enabled) return c.undefinedInstruction(i);
  switch (reg) {
    case 0: break; // FPSID is read-only; writes are ignored
    case 1: c.vfp.fpscr = value & FPSCR_MASK; break;
    case 8: c.vfp.fpexc = value & VfpRegisters.FPEXC_EN; break;
    default: c.undefinedInstruction(i);
  }
};

// --- VMOV between core and extension registers ------------------------------------

/** VMOV (between ARM core register and single-precision register), A8.8.343: S = Vn:N. */
const VMOV_single: A32Handler = (c, i) => {
  if (!enabled(c, i)) return;
  const s = (((i >>> 16) & 15) << 1) | ((i >>> 7) & 1);
  const t = (i >>> 12) & 15;
  if ((i & (1 << 20)) !== 0) c.r[t] = c.vfp.words[s];
  else c.vfp.words[s] = c.r[t];
};

/**
 * VMOV (ARM core register to scalar / scalar to ARM core register), A8.8.341–342:
 * D = D:Vd, opc1:opc2 select a 32-, 16- or 8-bit element; U zero-extends.
 */
function scalarSelect(i: number): number {
  // Packed as size << 3 | index (no object per execution); -1 when UNDEFINED.
  const opc = (((i >>> 21) & 3) << 2) | ((i >>> 5) & 3);
  if ((opc & 0b1000) !== 0) return (8 << 3) | (opc & 7);
  if ((opc & 0b1001) === 0b0001) return (16 << 3) | ((opc >>> 1) & 3);
  if ((opc & 0b1011) === 0) return (32 << 3) | ((opc >>> 2) & 1);
  return -1;
}

const VMOV_toScalar: A32Handler = (c, i) => {
  if (!enabled(c, i)) return;
  const d = (((i >>> 7) & 1) << 4) | ((i >>> 16) & 15);
  const sel = scalarSelect(i);
  if (sel < 0 || !dRegisterOk(c, d)) return c.undefinedInstruction(i);
  const size = sel >> 3;
  const value = c.r[(i >>> 12) & 15];
  const bitOffset = (sel & 7) * size;
  const w = 2 * d + (bitOffset >>> 5);
  const shift = bitOffset & 31;
  const mask = size === 32 ? -1 : ((1 << size) - 1) << shift;
  c.vfp.words[w] = (c.vfp.words[w] & ~mask) | ((value << shift) & mask);
};

const VMOV_fromScalar: A32Handler = (c, i) => {
  if (!enabled(c, i)) return;
  const n = (((i >>> 7) & 1) << 4) | ((i >>> 16) & 15);
  const sel = scalarSelect(i);
  if (sel < 0 || !dRegisterOk(c, n)) return c.undefinedInstruction(i);
  const size = sel >> 3;
  if (size === 32 && (i & (1 << 23)) !== 0) return c.undefinedInstruction(i);
  const bitOffset = (sel & 7) * size;
  const word = c.vfp.words[2 * n + (bitOffset >>> 5)];
  const shift = bitOffset & 31;
  let v = word >>> shift;
  if (size < 32) {
    const unsigned = (i & (1 << 23)) !== 0;
    const bits = 32 - size;
    v = unsigned ? (v << bits) >>> bits : (v << bits) >> bits;
  }
  c.r[(i >>> 12) & 15] = v;
};

/** VMOV (between two ARM core registers and two single-precision registers), A8.8.345: S = Vm:M, S+1. */
const VMOV_twoSingles: A32Handler = (c, i) => {
  if (!enabled(c, i)) return;
  const m = ((i & 15) << 1) | ((i >>> 5) & 1);
  if (m === 31) return c.undefinedInstruction(i);
  const t = (i >>> 12) & 15;
  const t2 = (i >>> 16) & 15;
  if ((i & (1 << 20)) !== 0) {
    c.r[t] = c.vfp.words[m];
    c.r[t2] = c.vfp.words[m + 1];
  } else {
    c.vfp.words[m] = c.r[t];
    c.vfp.words[m + 1] = c.r[t2];
  }
};

/** VMOV (between two ARM core registers and a doubleword register), A8.8.346: D = M:Vm. */
const VMOV_double: A32Handler = (c, i) => {
  if (!enabled(c, i)) return;
  const m = (((i >>> 5) & 1) << 4) | (i & 15);
  if (!dRegisterOk(c, m)) return c.undefinedInstruction(i);
  const t = (i >>> 12) & 15;
  const t2 = (i >>> 16) & 15;
  if ((i & (1 << 20)) !== 0) {
    c.r[t] = c.vfp.words[2 * m];
    c.r[t2] = c.vfp.words[2 * m + 1];
  } else {
    c.vfp.words[2 * m] = c.r[t];
    c.vfp.words[2 * m + 1] = c.r[t2];
  }
};

// --- loads and stores -----------------------------------------------------------------

/** First word index and word count of a transfer's registers; -1 when out of range. */
function registerWords(c: ArmCpu, i: number, count: number): number {
  const double = (i & 0x100) !== 0;
  const vd = (i >>> 12) & 15;
  const D = (i >>> 22) & 1;
  if (double) {
    const d = (D << 4) | vd;
    if (count < 1 || count > 16 || d + count > 32 || (d + count > 16 && (c.sys.cpacr & 0x40000000) !== 0)) return -1;
    return 2 * d;
  }
  const s = (vd << 1) | D;
  if (count < 1 || s + count > 32) return -1;
  return s;
}

/** VLDR / VSTR (A8.8.333, A8.8.413): one register at Rn ± imm8×4 (PC-relative reads Align(PC, 4)). */
function singleTransfer(c: ArmCpu, i: number, load: boolean): void {
  if (!enabled(c, i)) return;
  const words = (i & 0x100) !== 0 ? 2 : 1;
  const first = registerWords(c, i, 1);
  if (first < 0) return c.undefinedInstruction(i);
  const n = (i >>> 16) & 15;
  const base = n === 15 ? c.r[15] & ~3 : c.r[n];
  const offset = (i & 0xff) << 2;
  const address = (i & (1 << 23)) !== 0 ? (base + offset) | 0 : (base - offset) | 0;
  transfer(c, address, first, words, load);
}

/** Move `count` words between memory and the register file (word-aligned accesses). */
function transfer(c: ArmCpu, address: number, first: number, count: number, load: boolean): void {
  const regs = c.vfp.words;
  if (load) {
    // Load into scratch first so an abort part-way changes nothing.
    for (let k = 0; k < count; k++) {
      scratch[k] = c.read32Aligned((address + 4 * k) | 0);
      if (c.aborted) return;
    }
    for (let k = 0; k < count; k++) regs[first + k] = scratch[k];
  } else {
    for (let k = 0; k < count; k++) {
      c.write32Aligned((address + 4 * k) | 0, regs[first + k]);
      if (c.aborted) return;
    }
  }
}

const scratch = new Int32Array(64);

const VLDR: A32Handler = (c, i) => singleTransfer(c, i, true);
const VSTR: A32Handler = (c, i) => singleTransfer(c, i, false);

/**
 * VLDM / VSTM (A8.8.332, A8.8.412), VPUSH/VPOP: increment-after (U = 1,
 * optional writeback) or decrement-before (U = 0, writeback). imm8 counts
 * words; for doubles an odd imm8 is the FLDMX/FSTMX form, one extra word
 * that is transferred but not loaded into a register.
 */
function multipleTransfer(c: ArmCpu, i: number, load: boolean): void {
  if (!enabled(c, i)) return;
  const imm8 = i & 0xff;
  const double = (i & 0x100) !== 0;
  const regsCount = double ? imm8 >>> 1 : imm8;
  const first = registerWords(c, i, regsCount);
  if (first < 0) return c.undefinedInstruction(i);
  const n = (i >>> 16) & 15;
  const base = c.r[n];
  const increment = (i & (1 << 23)) !== 0;
  const address = increment ? base : (base - 4 * imm8) | 0;
  transfer(c, address, first, double ? regsCount * 2 : regsCount, load);
  if (c.aborted) return;
  if ((i & (1 << 21)) !== 0) c.r[n] = increment ? (base + 4 * imm8) | 0 : (base - 4 * imm8) | 0;
}

const VLDM: A32Handler = (c, i) => multipleTransfer(c, i, true);
const VSTM: A32Handler = (c, i) => multipleTransfer(c, i, false);

export const vfpTransferEncodings: Encoding<A32Handler>[] = [
  { name: 'VMRS', pattern: 'cccc 1110 1111 rrrr tttt 1010 (0)(0)(0)1 (0)(0)(0)(0)', exec: VMRS },
  { name: 'VMSR', pattern: 'cccc 1110 1110 rrrr tttt 1010 (0)(0)(0)1 (0)(0)(0)(0)', exec: VMSR },
  { name: 'VMOV (core register and single-precision register)', pattern: 'cccc 1110 000o nnnn tttt 1010 N(0)(0)1 (0)(0)(0)(0)', exec: VMOV_single },
  { name: 'VMOV (core register to scalar)', pattern: 'cccc 1110 0oo0 dddd tttt 1011 Dpp1 (0)(0)(0)(0)', exec: VMOV_toScalar },
  { name: 'VMOV (scalar to core register)', pattern: 'cccc 1110 Uoo1 nnnn tttt 1011 Npp1 (0)(0)(0)(0)', exec: VMOV_fromScalar },
  { name: 'VMOV (two core registers and two single-precision registers)', pattern: 'cccc 1100 010o uuuu tttt 1010 00M1 mmmm', exec: VMOV_twoSingles },
  { name: 'VMOV (two core registers and a doubleword register)', pattern: 'cccc 1100 010o uuuu tttt 1011 00M1 mmmm', exec: VMOV_double },
  { name: 'VSTR', pattern: 'cccc 1101 UD00 nnnn dddd 101s iiii iiii', exec: VSTR },
  { name: 'VLDR', pattern: 'cccc 1101 UD01 nnnn dddd 101s iiii iiii', exec: VLDR },
  { name: 'VSTM (increment after)', pattern: 'cccc 1100 1DW0 nnnn dddd 101s iiii iiii', exec: VSTM },
  { name: 'VLDM (increment after)', pattern: 'cccc 1100 1DW1 nnnn dddd 101s iiii iiii', exec: VLDM },
  { name: 'VSTM (decrement before), VPUSH', pattern: 'cccc 1101 0D10 nnnn dddd 101s iiii iiii', exec: VSTM },
  { name: 'VLDM (decrement before)', pattern: 'cccc 1101 0D11 nnnn dddd 101s iiii iiii', exec: VLDM },
];
