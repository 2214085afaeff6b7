import type { ArmState } from './ArmState.ts';

/**
 * The shared arithmetic of the ARM ARM pseudocode (A2.2.1 "Integer
 * arithmetic", A8.4 "Shifts applied to a register"), used by the A32 and T32
 * instruction handlers. Values are int32 numbers; carries are 0/1 numbers.
 * Functions with a carry-out leave it in `ArmState.carryOut` (a field, so
 * nothing is allocated and no module binding is read in the hot path).
 */

/** Shift types of the shift field (A8.4.1). */
export const enum ShiftType {
  LSL = 0,
  LSR = 1,
  ASR = 2,
  ROR = 3,
}


/**
 * Shift by an immediate as encoded in the instruction (DecodeImmShift then
 * Shift, A8.4.3): LSR/ASR #0 mean #32 and ROR #0 means RRX. No carry out.
 */
export function shiftByImmediate(value: number, type: number, imm5: number, carryIn: number): number {
  switch (type) {
    case 0:
      return value << imm5;
    case 1:
      return imm5 === 0 ? 0 : value >>> imm5;
    case 2:
      return value >> (imm5 === 0 ? 31 : imm5);
    default:
      return imm5 === 0 ? (carryIn << 31) | (value >>> 1) : (value >>> imm5) | (value << (32 - imm5));
  }
}

/** As `shiftByImmediate`, also setting `s.carryOut` (Shift_C). */
export function shiftByImmediateC(s: ArmState, value: number, type: number, imm5: number, carryIn: number): number {
  switch (type) {
    case 0:
      if (imm5 === 0) {
        s.carryOut = carryIn;
        return value;
      }
      s.carryOut = (value >>> (32 - imm5)) & 1;
      return value << imm5;
    case 1:
      if (imm5 === 0) {
        s.carryOut = value >>> 31;
        return 0;
      }
      s.carryOut = (value >>> (imm5 - 1)) & 1;
      return value >>> imm5;
    case 2:
      if (imm5 === 0) {
        s.carryOut = value >>> 31;
        return value >> 31;
      }
      s.carryOut = (value >>> (imm5 - 1)) & 1;
      return value >> imm5;
    default:
      if (imm5 === 0) {
        s.carryOut = value & 1;
        return (carryIn << 31) | (value >>> 1);
      }
      s.carryOut = (value >>> (imm5 - 1)) & 1;
      return (value >>> imm5) | (value << (32 - imm5));
  }
}

/** Shift by a register amount (the bottom byte of Rs, 0–255). No carry out. */
export function shiftByRegister(value: number, type: number, amount: number): number {
  switch (type) {
    case 0:
      return amount >= 32 ? 0 : value << amount;
    case 1:
      return amount >= 32 ? 0 : value >>> amount;
    case 2:
      return value >> (amount >= 32 ? 31 : amount);
    default: {
      const a = amount & 31;
      return a === 0 ? value : (value >>> a) | (value << (32 - a));
    }
  }
}

/** Shift by a register amount with carry-out (Shift_C with amount = Rs[7:0]). */
export function shiftByRegisterC(s: ArmState, value: number, type: number, amount: number, carryIn: number): number {
  if (amount === 0) {
    s.carryOut = carryIn;
    return value;
  }
  switch (type) {
    case 0:
      if (amount < 32) {
        s.carryOut = (value >>> (32 - amount)) & 1;
        return value << amount;
      }
      s.carryOut = amount === 32 ? value & 1 : 0;
      return 0;
    case 1:
      if (amount < 32) {
        s.carryOut = (value >>> (amount - 1)) & 1;
        return value >>> amount;
      }
      s.carryOut = amount === 32 ? value >>> 31 : 0;
      return 0;
    case 2:
      if (amount < 32) {
        s.carryOut = (value >>> (amount - 1)) & 1;
        return value >> amount;
      }
      s.carryOut = value >>> 31;
      return value >> 31;
    default: {
      const a = amount & 31;
      if (a === 0) {
        // A multiple of 32: value unchanged, carry = bit 31.
        s.carryOut = value >>> 31;
        return value;
      }
      const result = (value >>> a) | (value << (32 - a));
      s.carryOut = result >>> 31;
      return result;
    }
  }
}

/** ARMExpandImm (A5.2.4): an 8-bit value rotated right by twice the 4-bit rotation. */
export function expandImmediate(imm12: number): number {
  const rot = (imm12 >>> 7) & 0x1e;
  const v = imm12 & 0xff;
  return rot === 0 ? v : (v >>> rot) | (v << (32 - rot));
}

/** ARMExpandImm_C: the carry-out is bit 31 of the result, or C when the rotation is 0. */
export function expandImmediateC(s: ArmState, imm12: number, carryIn: number): number {
  const rot = (imm12 >>> 7) & 0x1e;
  const v = imm12 & 0xff;
  if (rot === 0) {
    s.carryOut = carryIn;
    return v;
  }
  const result = (v >>> rot) | (v << (32 - rot));
  s.carryOut = result >>> 31;
  return result;
}

/** AddWithCarry(a, b, carry) (A2.2.1): returns the sum and sets N, Z, C, V on `s`. */
export function addWithCarryFlags(s: ArmState, a: number, b: number, carry: number): number {
  const result = (a + b + carry) | 0;
  s.n = result >>> 31;
  s.z = result === 0 ? 1 : 0;
  s.c = (a >>> 0) + (b >>> 0) + carry > 0xffffffff ? 1 : 0;
  s.v = ((a ^ result) & (b ^ result)) >>> 31;
  return result;
}

/** a - b with flags: AddWithCarry(a, NOT(b), 1). */
export function subtractFlags(s: ArmState, a: number, b: number): number {
  const result = (a - b) | 0;
  s.n = result >>> 31;
  s.z = result === 0 ? 1 : 0;
  s.c = a >>> 0 >= b >>> 0 ? 1 : 0;
  s.v = ((a ^ b) & (a ^ result)) >>> 31;
  return result;
}

/** N and Z from a result (logical operations; C from the shifter, V unchanged). */
export function setNZ(s: ArmState, result: number): void {
  s.n = result >>> 31;
  s.z = result === 0 ? 1 : 0;
}

/** SignedSatQ(i, n): saturate to an n-bit signed range; `saturated` tells whether it clipped. */
export let saturated = false;

export function signedSaturate(value: number, bits: number): number {
  const max = 2 ** (bits - 1) - 1;
  const min = -(2 ** (bits - 1));
  if (value > max) {
    saturated = true;
    return max;
  }
  if (value < min) {
    saturated = true;
    return min;
  }
  saturated = false;
  return value;
}

/** UnsignedSatQ(i, n). */
export function unsignedSaturate(value: number, bits: number): number {
  const max = 2 ** bits - 1;
  if (value > max) {
    saturated = true;
    return max;
  }
  if (value < 0) {
    saturated = true;
    return 0;
  }
  saturated = false;
  return value;
}

/** Count leading zeros (CLZ). */
export function countLeadingZeros(value: number): number {
  return Math.clz32(value);
}

/**
 * 64-bit results as two int32 halves without BigInt: unsigned 32×32 product
 * split into `productLow`/`productHigh`.
 */
export let productLow = 0;
export let productHigh = 0;

/** Unsigned 32×32 → 64 multiply. */
export function multiplyUnsigned64(a: number, b: number): void {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const lo = a0 * b0; // < 2^32
  const mid = a1 * b0 + a0 * b1; // < 2^33
  const hi = a1 * b1; // < 2^32
  // low 32 bits: lo + (mid << 16) mod 2^32
  const midLow = (mid % 0x10000) * 0x10000;
  const sumLow = lo + midLow; // < 2^33
  productLow = sumLow | 0;
  const carry = sumLow >= 0x100000000 ? 1 : 0;
  productHigh = (hi + Math.floor(mid / 0x10000) + carry) | 0;
}

/** Signed 32×32 → 64 multiply (two's-complement correction of the unsigned product). */
export function multiplySigned64(a: number, b: number): void {
  multiplyUnsigned64(a, b);
  let hi = productHigh;
  if (a < 0) hi = (hi - b) | 0;
  if (b < 0) hi = (hi - a) | 0;
  productHigh = hi;
}

/** 64-bit add of (hi:lo) + (addHi:addLo) into productHigh/productLow. */
export function add64(hi: number, lo: number, addHi: number, addLo: number): void {
  const l = (lo >>> 0) + (addLo >>> 0);
  productLow = l | 0;
  productHigh = (hi + addHi + (l > 0xffffffff ? 1 : 0)) | 0;
}
