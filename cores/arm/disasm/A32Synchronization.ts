import type { Encoding } from '../decode/DecodeTable.ts';
import type { Formatter } from './DisasmInstruction.ts';
import { reg } from './OperandText.ts';

/**
 * A32 synchronization primitives (A5.2.10): SWP/SWPB and the exclusive
 * loads and stores. objdump names only the first register of the
 * doubleword pair (Rt2 is always Rt + 1 in A32).
 * Fields: B byte, n Rn, t Rt, d Rd (status), m Rm.
 */

const SWP: Formatter = (x) => `swp${x.f('B') ? 'b' : ''}${x.c} ${reg(x.f('t'))}, ${reg(x.f('m'))}, [${reg(x.f('n'))}]`;
const LDREX = (name: string): Formatter => (x) => `${name}${x.c} ${reg(x.f('t'))}, [${reg(x.f('n'))}]`;
const STREX = (name: string): Formatter => (x) => `${name}${x.c} ${reg(x.f('d'))}, ${reg(x.f('t'))}, [${reg(x.f('n'))}]`;

export const a32Synchronization: Encoding<Formatter>[] = [
  { name: 'SWP/SWPB', pattern: 'cccc 0001 0B00 nnnn tttt (0)(0)(0)(0) 1001 mmmm', exec: SWP },
  { name: 'STREX', pattern: 'cccc 0001 1000 nnnn dddd (1)(1)(1)(1) 1001 tttt', exec: STREX('strex') },
  { name: 'LDREX', pattern: 'cccc 0001 1001 nnnn tttt (1)(1)(1)(1) 1001 (1)(1)(1)(1)', exec: LDREX('ldrex') },
  { name: 'STREXD', pattern: 'cccc 0001 1010 nnnn dddd (1)(1)(1)(1) 1001 tttt', exec: STREX('strexd') },
  { name: 'LDREXD', pattern: 'cccc 0001 1011 nnnn tttt (1)(1)(1)(1) 1001 (1)(1)(1)(1)', exec: LDREX('ldrexd') },
  { name: 'STREXB', pattern: 'cccc 0001 1100 nnnn dddd (1)(1)(1)(1) 1001 tttt', exec: STREX('strexb') },
  { name: 'LDREXB', pattern: 'cccc 0001 1101 nnnn tttt (1)(1)(1)(1) 1001 (1)(1)(1)(1)', exec: LDREX('ldrexb') },
  { name: 'STREXH', pattern: 'cccc 0001 1110 nnnn dddd (1)(1)(1)(1) 1001 tttt', exec: STREX('strexh') },
  { name: 'LDREXH', pattern: 'cccc 0001 1111 nnnn tttt (1)(1)(1)(1) 1001 (1)(1)(1)(1)', exec: LDREX('ldrexh') },
];
