import type { Encoding } from '../decode/DecodeTable.ts';
import type { Formatter } from './DisasmInstruction.ts';
import { reg, signExtend } from './OperandText.ts';

/**
 * A32 branches (A5.5 B/BL, A5.7 BLX (immediate), A5.2.12 BX/BXJ/BLX
 * (register)). Fields: i imm24, L link, H halfword bit of BLX, m Rm.
 */

const B_BL: Formatter = (x) => `b${x.f('L') ? 'l' : ''}${x.c} ${x.target(x.pc + signExtend(x.f('i') << 2, 26))}`;

/** BLX (immediate) switches to Thumb; H supplies bit 1 of the target (A8.8.25). */
const BLX_imm: Formatter = (x) => `blx ${x.target(x.pc + signExtend((x.f('i') << 2) | (x.f('H') << 1), 26))}`;

const BX = (name: string): Formatter => (x) => `${name}${x.c} ${reg(x.f('m'))}`;

export const a32Branch: Encoding<Formatter>[] = [
  { name: 'B/BL', pattern: 'cccc 101L iiii iiii iiii iiii iiii iiii', exec: B_BL },
  { name: 'BLX (immediate)', pattern: '1111 101H iiii iiii iiii iiii iiii iiii', exec: BLX_imm },
  { name: 'BX', pattern: 'cccc 0001 0010 (1)(1)(1)(1) (1)(1)(1)(1) (1)(1)(1)(1) 0001 mmmm', exec: BX('bx') },
  { name: 'BXJ', pattern: 'cccc 0001 0010 (1)(1)(1)(1) (1)(1)(1)(1) (1)(1)(1)(1) 0010 mmmm', exec: BX('bxj') },
  { name: 'BLX (register)', pattern: 'cccc 0001 0010 (1)(1)(1)(1) (1)(1)(1)(1) (1)(1)(1)(1) 0011 mmmm', exec: BX('blx') },
];
