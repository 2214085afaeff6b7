import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';

/**
 * Media instructions (A5.4): SIMD within a register (parallel add/subtract,
 * A5.4.1–A5.4.2), packing, unpacking, saturation and reversal (A5.4.3), and
 * the bitfield instructions. The signed multiplies of the media space are in
 * Multiply.ts.
 */

// --- parallel addition and subtraction ---------------------------------------

/** How lane results are produced: modular (sets GE), saturating, or halving. */
const enum LaneMode {
  Modular = 1,
  Saturating = 2,
  Halving = 3,
}

/** Lane operations (op2 of A5.4.1): which halves are added or subtracted. */
const enum LaneOp {
  Add16 = 0,
  AddSubExchange = 1, // ASX: low = n.lo − m.hi, high = n.hi + m.lo
  SubAddExchange = 2, // SAX: low = n.lo + m.hi, high = n.hi − m.lo
  Sub16 = 3,
  Add8 = 4,
  Sub8 = 7,
}

function lane(v: number, shift: number, bits: number, signed: boolean): number {
  const x = (v >>> shift) & ((1 << bits) - 1);
  return signed && x >= 1 << (bits - 1) ? x - (1 << bits) : x;
}

/**
 * Combine one lane. Returns the lane's bits; for modular forms sets the GE
 * bits `geMask` when the signed result is ≥ 0 or the unsigned one carries /
 * does not borrow (A2.8.2, "GE flags").
 */
function laneResult(c: ArmCpu, value: number, bits: number, signed: boolean, mode: number, add: boolean, geMask: number): number {
  const size = 1 << bits;
  if (mode === LaneMode.Modular) {
    const ge = signed ? value >= 0 : add ? value >= size : value >= 0;
    if (ge) c.ge |= geMask;
    else c.ge &= ~geMask;
    return value & (size - 1);
  }
  if (mode === LaneMode.Halving) return (value >> 1) & (size - 1);
  // Saturating.
  const max = signed ? size / 2 - 1 : size - 1;
  const min = signed ? -size / 2 : 0;
  const clipped = value > max ? max : value < min ? min : value;
  return clipped & (size - 1);
}

function parallel(c: ArmCpu, i: number, signed: boolean, mode: number, op: number): void {
  const n = c.r[(i >>> 16) & 15];
  const m = c.r[i & 15];
  let result = 0;
  if (op === LaneOp.Add8 || op === LaneOp.Sub8) {
    const add = op === LaneOp.Add8;
    for (let k = 0; k < 4; k++) {
      const a = lane(n, 8 * k, 8, signed);
      const b = lane(m, 8 * k, 8, signed);
      result |= laneResult(c, add ? a + b : a - b, 8, signed, mode, add, 1 << k) << (8 * k);
    }
  } else {
    const nl = lane(n, 0, 16, signed);
    const nh = lane(n, 16, 16, signed);
    const ml = lane(m, 0, 16, signed);
    const mh = lane(m, 16, 16, signed);
    let lo: number, hi: number, addLo: boolean, addHi: boolean;
    switch (op) {
      case LaneOp.Add16: lo = nl + ml; hi = nh + mh; addLo = addHi = true; break;
      case LaneOp.AddSubExchange: lo = nl - mh; hi = nh + ml; addLo = false; addHi = true; break;
      case LaneOp.SubAddExchange: lo = nl + mh; hi = nh - ml; addLo = true; addHi = false; break;
      default: lo = nl - ml; hi = nh - mh; addLo = addHi = false; break;
    }
    result = laneResult(c, lo, 16, signed, mode, addLo, 0b0011) | (laneResult(c, hi, 16, signed, mode, addHi, 0b1100) << 16);
  }
  c.r[(i >>> 12) & 15] = result;
}

const OPS: readonly [string, number, string][] = [
  ['ADD16', LaneOp.Add16, '000'],
  ['ASX', LaneOp.AddSubExchange, '001'],
  ['SAX', LaneOp.SubAddExchange, '010'],
  ['SUB16', LaneOp.Sub16, '011'],
  ['ADD8', LaneOp.Add8, '100'],
  ['SUB8', LaneOp.Sub8, '111'],
];

const PREFIXES: readonly [string, boolean, number, string][] = [
  ['S', true, LaneMode.Modular, '001'],
  ['Q', true, LaneMode.Saturating, '010'],
  ['SH', true, LaneMode.Halving, '011'],
  ['U', false, LaneMode.Modular, '101'],
  ['UQ', false, LaneMode.Saturating, '110'],
  ['UH', false, LaneMode.Halving, '111'],
];

const parallelEncodings: Encoding<A32Handler>[] = PREFIXES.flatMap(([prefix, signed, mode, bits]) =>
  OPS.map(([name, op, opBits]): Encoding<A32Handler> => ({
    name: prefix + name,
    pattern: `cccc 0110 0${bits} nnnn dddd (1)(1)(1)(1) ${opBits}1 mmmm`,
    exec: (c, i) => parallel(c, i, signed, mode, op),
  })),
);

/** SEL (A8.8.166): each byte from Rn where its GE bit is set, else from Rm. */
const SEL: A32Handler = (c, i) => {
  const n = c.r[(i >>> 16) & 15];
  const m = c.r[i & 15];
  let mask = 0;
  for (let k = 0; k < 4; k++) if ((c.ge >>> k) & 1) mask |= 0xff << (8 * k);
  c.r[(i >>> 12) & 15] = (n & mask) | (m & ~mask);
};

// --- packing ----------------------------------------------------------------------

/** PKHBT (A8.8.125): Rn[15:0] with (Rm LSL imm)[31:16]. */
const PKHBT: A32Handler = (c, i) => {
  const shifted = c.r[i & 15] << ((i >>> 7) & 31);
  c.r[(i >>> 12) & 15] = (c.r[(i >>> 16) & 15] & 0xffff) | (shifted & 0xffff0000);
};

/** PKHTB: (Rm ASR imm)[15:0] (imm 0 means 32) with Rn[31:16]. */
const PKHTB: A32Handler = (c, i) => {
  const imm = (i >>> 7) & 31;
  const shifted = c.r[i & 15] >> (imm === 0 ? 31 : imm);
  c.r[(i >>> 12) & 15] = (shifted & 0xffff) | (c.r[(i >>> 16) & 15] & 0xffff0000);
};

// --- saturation --------------------------------------------------------------------

/** Operand of SSAT/USAT: Rn LSL imm, or ASR imm (0 → 32) when sh. */
function saturationOperand(c: ArmCpu, i: number): number {
  const v = c.r[i & 15];
  const imm = (i >>> 7) & 31;
  if ((i & 0x40) === 0) return v << imm;
  return v >> (imm === 0 ? 31 : imm);
}

/** SSAT (A8.8.193): saturate to a (sat_imm + 1)-bit signed range, Q when clipped. */
const SSAT: A32Handler = (c, i) => {
  const bits = ((i >>> 16) & 31) + 1;
  const v = saturationOperand(c, i);
  const max = 2 ** (bits - 1) - 1;
  const min = -(2 ** (bits - 1));
  let r = v;
  if (v > max) { r = max; c.q = 1; }
  else if (v < min) { r = min; c.q = 1; }
  c.r[(i >>> 12) & 15] = r;
};

/** USAT (A8.8.252): saturate to a sat_imm-bit unsigned range. */
const USAT: A32Handler = (c, i) => {
  const bits = (i >>> 16) & 31;
  const v = saturationOperand(c, i);
  const max = 2 ** bits - 1;
  let r = v;
  if (v > max) { r = max; c.q = 1; }
  else if (v < 0) { r = 0; c.q = 1; }
  c.r[(i >>> 12) & 15] = r;
};

/** Clip a signed halfword lane to [min, max], setting Q when it clips. */
function clipLane(c: ArmCpu, h: number, min: number, max: number): number {
  if (h > max) {
    c.q = 1;
    return max;
  }
  if (h < min) {
    c.q = 1;
    return min;
  }
  return h;
}

/** SSAT16 (A8.8.194): both halfwords to a (sat_imm + 1)-bit signed range. */
const SSAT16: A32Handler = (c, i) => {
  const bits = ((i >>> 16) & 15) + 1;
  const max = 2 ** (bits - 1) - 1;
  const min = -(2 ** (bits - 1));
  const v = c.r[i & 15];
  const lo = clipLane(c, (v << 16) >> 16, min, max);
  const hi = clipLane(c, v >> 16, min, max);
  c.r[(i >>> 12) & 15] = (lo & 0xffff) | (hi << 16);
};

/** USAT16 (A8.8.253): both halfwords to a sat_imm-bit unsigned range. */
const USAT16: A32Handler = (c, i) => {
  const max = 2 ** ((i >>> 16) & 15) - 1;
  const v = c.r[i & 15];
  const lo = clipLane(c, (v << 16) >> 16, 0, max);
  const hi = clipLane(c, v >> 16, 0, max);
  c.r[(i >>> 12) & 15] = (lo & 0xffff) | (hi << 16);
};

// --- extension (A8.8.220–A8.8.225, A8.8.258–A8.8.263) ----------------------------

/** Rm rotated right by 8 × rotate (bits 11:10). */
function rotated(c: ArmCpu, i: number): number {
  const v = c.r[i & 15];
  const rot = ((i >>> 10) & 3) * 8;
  return rot === 0 ? v : (v >>> rot) | (v << (32 - rot));
}

/** Rn of an extend-and-add, or 0 for the plain extend (Rn = 1111). */
function addend(c: ArmCpu, i: number): number {
  const n = (i >>> 16) & 15;
  return n === 15 ? 0 : c.r[n];
}

const SXTAB: A32Handler = (c, i) => {
  c.r[(i >>> 12) & 15] = (addend(c, i) + ((rotated(c, i) << 24) >> 24)) | 0;
};
const SXTAH: A32Handler = (c, i) => {
  c.r[(i >>> 12) & 15] = (addend(c, i) + ((rotated(c, i) << 16) >> 16)) | 0;
};
const UXTAB: A32Handler = (c, i) => {
  c.r[(i >>> 12) & 15] = (addend(c, i) + (rotated(c, i) & 0xff)) | 0;
};
/** UXTB alone is frequent (byte-wise FDT and string code): no addend, no rotation fast path. */
const UXTB: A32Handler = (c, i) => {
  c.r[(i >>> 12) & 15] = (i & 0xc00) === 0 ? c.r[i & 15] & 0xff : rotated(c, i) & 0xff;
};
const UXTAH: A32Handler = (c, i) => {
  c.r[(i >>> 12) & 15] = (addend(c, i) + (rotated(c, i) & 0xffff)) | 0;
};
/** SXTAB16/SXTB16: bytes 0 and 2 sign-extended to halfwords, added to Rn's halfwords. */
const SXTAB16: A32Handler = (c, i) => {
  const v = rotated(c, i);
  const n = addend(c, i);
  const lo = (n + ((v << 24) >> 24)) & 0xffff;
  const hi = ((n >> 16) + ((v << 8) >> 24)) & 0xffff;
  c.r[(i >>> 12) & 15] = lo | (hi << 16);
};
const UXTAB16: A32Handler = (c, i) => {
  const v = rotated(c, i);
  const n = addend(c, i);
  const lo = (n + (v & 0xff)) & 0xffff;
  const hi = ((n >>> 16) + ((v >>> 16) & 0xff)) & 0xffff;
  c.r[(i >>> 12) & 15] = lo | (hi << 16);
};

// --- reversal ---------------------------------------------------------------------

/** REV (A8.8.145): byte-reverse a word. */
const REV: A32Handler = (c, i) => {
  const v = c.r[i & 15];
  c.r[(i >>> 12) & 15] = (v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
};

/** REV16 (A8.8.146): byte-reverse each halfword. */
const REV16: A32Handler = (c, i) => {
  const v = c.r[i & 15];
  c.r[(i >>> 12) & 15] = ((v & 0x00ff00ff) << 8) | ((v >>> 8) & 0x00ff00ff);
};

/** REVSH (A8.8.147): byte-reverse the low halfword and sign-extend. */
const REVSH: A32Handler = (c, i) => {
  const v = c.r[i & 15];
  c.r[(i >>> 12) & 15] = (((v & 0xff) << 24) >> 16) | ((v >>> 8) & 0xff);
};

/** RBIT (A8.8.144): reverse the bit order. */
const RBIT: A32Handler = (c, i) => {
  let v = c.r[i & 15];
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  c.r[(i >>> 12) & 15] = (v >>> 16) | (v << 16);
};

// --- bitfields ------------------------------------------------------------------------

/** SBFX (A8.8.164): signed extract of widthminus1+1 bits at lsb. */
const SBFX: A32Handler = (c, i) => {
  const lsb = (i >>> 7) & 31;
  const width = ((i >>> 16) & 31) + 1;
  if (lsb + width > 32) return c.undefinedInstruction(i); // UNPREDICTABLE
  c.r[(i >>> 12) & 15] = (c.r[i & 15] << (32 - lsb - width)) >> (32 - width);
};

/** UBFX (A8.8.246). */
const UBFX: A32Handler = (c, i) => {
  const lsb = (i >>> 7) & 31;
  const width = ((i >>> 16) & 31) + 1;
  if (lsb + width > 32) return c.undefinedInstruction(i);
  c.r[(i >>> 12) & 15] = width === 32 ? c.r[i & 15] : (c.r[i & 15] >>> lsb) & ((1 << width) - 1);
};

/** Mask of bits lsb..msb. */
function fieldMask(lsb: number, msb: number): number {
  const width = msb - lsb + 1;
  return width >= 32 ? -1 : ((1 << width) - 1) << lsb;
}

/** BFC (A8.8.19): clear bits lsb..msb. */
const BFC: A32Handler = (c, i) => {
  const lsb = (i >>> 7) & 31;
  const msb = (i >>> 16) & 31;
  if (msb < lsb) return c.undefinedInstruction(i);
  const d = (i >>> 12) & 15;
  c.r[d] = c.r[d] & ~fieldMask(lsb, msb);
};

/** BFI (A8.8.20): insert Rn's low bits into lsb..msb. */
const BFI: A32Handler = (c, i) => {
  const lsb = (i >>> 7) & 31;
  const msb = (i >>> 16) & 31;
  if (msb < lsb) return c.undefinedInstruction(i);
  const d = (i >>> 12) & 15;
  const mask = fieldMask(lsb, msb);
  c.r[d] = (c.r[d] & ~mask) | ((c.r[i & 15] << lsb) & mask);
};

const NOT_RN_PC = '---- ---- ---- 1111 ---- ---- ---- ----';

export const mediaEncodings: Encoding<A32Handler>[] = [
  ...parallelEncodings,
  { name: 'SEL', pattern: 'cccc 0110 1000 nnnn dddd (1)(1)(1)(1) 1011 mmmm', exec: SEL },
  { name: 'PKHBT', pattern: 'cccc 0110 1000 nnnn dddd iiii i001 mmmm', exec: PKHBT },
  { name: 'PKHTB', pattern: 'cccc 0110 1000 nnnn dddd iiii i101 mmmm', exec: PKHTB },
  { name: 'SSAT', pattern: 'cccc 0110 101s ssss dddd iiii ih01 nnnn', exec: SSAT },
  { name: 'USAT', pattern: 'cccc 0110 111s ssss dddd iiii ih01 nnnn', exec: USAT },
  { name: 'SSAT16', pattern: 'cccc 0110 1010 ssss dddd (1)(1)(1)(1) 0011 nnnn', exec: SSAT16 },
  { name: 'USAT16', pattern: 'cccc 0110 1110 ssss dddd (1)(1)(1)(1) 0011 nnnn', exec: USAT16 },
  { name: 'SXTAB16', pattern: 'cccc 0110 1000 nnnn dddd rr(0)(0) 0111 mmmm', exec: SXTAB16, unless: [NOT_RN_PC] },
  { name: 'SXTB16', pattern: 'cccc 0110 1000 1111 dddd rr(0)(0) 0111 mmmm', exec: SXTAB16 },
  { name: 'SXTAB', pattern: 'cccc 0110 1010 nnnn dddd rr(0)(0) 0111 mmmm', exec: SXTAB, unless: [NOT_RN_PC] },
  { name: 'SXTB', pattern: 'cccc 0110 1010 1111 dddd rr(0)(0) 0111 mmmm', exec: SXTAB },
  { name: 'SXTAH', pattern: 'cccc 0110 1011 nnnn dddd rr(0)(0) 0111 mmmm', exec: SXTAH, unless: [NOT_RN_PC] },
  { name: 'SXTH', pattern: 'cccc 0110 1011 1111 dddd rr(0)(0) 0111 mmmm', exec: SXTAH },
  { name: 'UXTAB16', pattern: 'cccc 0110 1100 nnnn dddd rr(0)(0) 0111 mmmm', exec: UXTAB16, unless: [NOT_RN_PC] },
  { name: 'UXTB16', pattern: 'cccc 0110 1100 1111 dddd rr(0)(0) 0111 mmmm', exec: UXTAB16 },
  { name: 'UXTAB', pattern: 'cccc 0110 1110 nnnn dddd rr(0)(0) 0111 mmmm', exec: UXTAB, unless: [NOT_RN_PC] },
  { name: 'UXTB', pattern: 'cccc 0110 1110 1111 dddd rr(0)(0) 0111 mmmm', exec: UXTB },
  { name: 'UXTAH', pattern: 'cccc 0110 1111 nnnn dddd rr(0)(0) 0111 mmmm', exec: UXTAH, unless: [NOT_RN_PC] },
  { name: 'UXTH', pattern: 'cccc 0110 1111 1111 dddd rr(0)(0) 0111 mmmm', exec: UXTAH },
  { name: 'REV', pattern: 'cccc 0110 1011 (1)(1)(1)(1) dddd (1)(1)(1)(1) 0011 mmmm', exec: REV },
  { name: 'REV16', pattern: 'cccc 0110 1011 (1)(1)(1)(1) dddd (1)(1)(1)(1) 1011 mmmm', exec: REV16 },
  { name: 'RBIT', pattern: 'cccc 0110 1111 (1)(1)(1)(1) dddd (1)(1)(1)(1) 0011 mmmm', exec: RBIT },
  { name: 'REVSH', pattern: 'cccc 0110 1111 (1)(1)(1)(1) dddd (1)(1)(1)(1) 1011 mmmm', exec: REVSH },
  { name: 'SBFX', pattern: 'cccc 0111 101w wwww dddd llll l101 nnnn', exec: SBFX },
  { name: 'UBFX', pattern: 'cccc 0111 111w wwww dddd llll l101 nnnn', exec: UBFX },
  { name: 'BFC', pattern: 'cccc 0111 110m mmmm dddd llll l001 1111', exec: BFC },
  { name: 'BFI', pattern: 'cccc 0111 110m mmmm dddd llll l001 nnnn', exec: BFI, unless: ['---- ---- ---- ---- ---- ---- ---- 1111'] },
];
