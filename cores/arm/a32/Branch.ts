import type { A32Handler } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';

/**
 * Branches (A5.5 bit 25 = 1, A5.2.12 BX/BLX/BXJ, A5.7 BLX immediate).
 * Targets are relative to the PC as read (instruction address + 8).
 */

/** B (A8.8.18): PC += SignExtend(imm24:'00'). */
const B: A32Handler = (c, i) => {
  c.nextPc = (c.r[15] + ((i << 8) >> 6)) | 0;
};

/** BL (A8.8.25 A1): LR = next instruction, then branch. */
const BL: A32Handler = (c, i) => {
  const pc = c.r[15];
  c.r[14] = (pc - 4) | 0;
  c.nextPc = (pc + ((i << 8) >> 6)) | 0;
};

/** BLX (immediate) (A8.8.25 A2): always to Thumb state; H (bit 24) is bit 1 of the offset. */
const BLX_imm: A32Handler = (c, i) => {
  const pc = c.r[15];
  c.r[14] = (pc - 4) | 0;
  c.branchExchange(((pc + ((i << 8) >> 6) + ((i >>> 23) & 2)) | 1) | 0);
};

/** BX (A8.8.27): interworking branch to Rm. */
const BX: A32Handler = (c, i) => {
  c.branchExchange(c.r[i & 15]);
};

/** BLX (register) (A8.8.26). */
const BLX_reg: A32Handler = (c, i) => {
  const target = c.r[i & 15];
  c.r[14] = (c.r[15] - 4) | 0;
  c.branchExchange(target);
};

/** BXJ (A8.8.28): with the trivial Jazelle implementation it behaves as BX. */
const BXJ: A32Handler = BX;

export const branchEncodings: Encoding<A32Handler>[] = [
  { name: 'B', pattern: 'cccc 1010 iiii iiii iiii iiii iiii iiii', exec: B },
  { name: 'BL (immediate)', pattern: 'cccc 1011 iiii iiii iiii iiii iiii iiii', exec: BL },
  { name: 'BLX (immediate)', pattern: '1111 101H iiii iiii iiii iiii iiii iiii', exec: BLX_imm },
  { name: 'BX', pattern: 'cccc 0001 0010 (1)(1)(1)(1) (1)(1)(1)(1) (1)(1)(1)(1) 0001 mmmm', exec: BX },
  { name: 'BXJ', pattern: 'cccc 0001 0010 (1)(1)(1)(1) (1)(1)(1)(1) (1)(1)(1)(1) 0010 mmmm', exec: BXJ },
  { name: 'BLX (register)', pattern: 'cccc 0001 0010 (1)(1)(1)(1) (1)(1)(1)(1) (1)(1)(1)(1) 0011 mmmm', exec: BLX_reg },
];
