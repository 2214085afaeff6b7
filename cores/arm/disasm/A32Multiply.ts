import type { Encoding } from '../decode/DecodeTable.ts';
import type { Formatter } from './DisasmInstruction.ts';
import { reg } from './OperandText.ts';

/**
 * A32 multiplies: multiply and multiply-accumulate (A5.2.5), halfword
 * multiplies (A5.2.7), signed multiplies and divide in the media space
 * (A5.4.4), and USAD8/USADA8. Fields: d Rd (or RdHi h / RdLo l), n Rn,
 * m Rm, a Ra, S setflags, x/y halfword selects (N = bit 5, M = bit 6),
 * X the "exchange"/"round" bit.
 */

const r = reg;
const bt = (bit: number) => (bit ? 't' : 'b');

const MUL: Formatter = (x) => `mul${x.f('S') ? 's' : ''}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;
const MLA: Formatter = (x) => `mla${x.f('S') ? 's' : ''}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}, ${r(x.f('a'))}`;
const MLS: Formatter = (x) => `mls${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}, ${r(x.f('a'))}`;

/** Long multiplies: RdLo, RdHi, Rn, Rm. */
function long(name: string, withS: boolean): Formatter {
  return (x) => `${name}${withS && x.f('S') ? 's' : ''}${x.c} ${r(x.f('l'))}, ${r(x.f('h'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;
}

const SMLAxy: Formatter = (x) => `smla${bt(x.f('x'))}${bt(x.f('y'))}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}, ${r(x.f('a'))}`;
const SMULxy: Formatter = (x) => `smul${bt(x.f('x'))}${bt(x.f('y'))}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;
const SMLAWy: Formatter = (x) => `smlaw${bt(x.f('y'))}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}, ${r(x.f('a'))}`;
const SMULWy: Formatter = (x) => `smulw${bt(x.f('y'))}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;
const SMLALxy: Formatter = (x) => `smlal${bt(x.f('x'))}${bt(x.f('y'))}${x.c} ${r(x.f('l'))}, ${r(x.f('h'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;

/** Dual and most-significant-word multiplies; Ra = 1111 selects the non-accumulating name. */
function accumulateOrNot(acc: string, plain: string, suffix: string): Formatter {
  return (x) => {
    const sfx = x.opt('X') ? suffix : '';
    const a = x.f('a');
    if (a === 15) return `${plain}${sfx}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;
    return `${acc}${sfx}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}, ${r(a)}`;
  };
}

function longDual(name: string): Formatter {
  return (x) => `${name}${x.f('X') ? 'x' : ''}${x.c} ${r(x.f('l'))}, ${r(x.f('h'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;
}

const SMMLS: Formatter = (x) => `smmls${x.f('X') ? 'r' : ''}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}, ${r(x.f('a'))}`;
const DIV = (name: string): Formatter => (x) => `${name}${x.c} ${r(x.f('d'))}, ${r(x.f('n'))}, ${r(x.f('m'))}`;

export const a32Multiply: Encoding<Formatter>[] = [
  { name: 'MUL', pattern: 'cccc 0000 000S dddd (0)(0)(0)(0) mmmm 1001 nnnn', exec: MUL },
  { name: 'MLA', pattern: 'cccc 0000 001S dddd aaaa mmmm 1001 nnnn', exec: MLA },
  { name: 'UMAAL', pattern: 'cccc 0000 0100 hhhh llll mmmm 1001 nnnn', exec: long('umaal', false) },
  { name: 'MLS', pattern: 'cccc 0000 0110 dddd aaaa mmmm 1001 nnnn', exec: MLS },
  { name: 'UMULL', pattern: 'cccc 0000 100S hhhh llll mmmm 1001 nnnn', exec: long('umull', true) },
  { name: 'UMLAL', pattern: 'cccc 0000 101S hhhh llll mmmm 1001 nnnn', exec: long('umlal', true) },
  { name: 'SMULL', pattern: 'cccc 0000 110S hhhh llll mmmm 1001 nnnn', exec: long('smull', true) },
  { name: 'SMLAL', pattern: 'cccc 0000 111S hhhh llll mmmm 1001 nnnn', exec: long('smlal', true) },
  { name: 'SMLA<x><y>', pattern: 'cccc 0001 0000 dddd aaaa mmmm 1yx0 nnnn', exec: SMLAxy },
  { name: 'SMLAW<y>', pattern: 'cccc 0001 0010 dddd aaaa mmmm 1y00 nnnn', exec: SMLAWy },
  { name: 'SMULW<y>', pattern: 'cccc 0001 0010 dddd (0)(0)(0)(0) mmmm 1y10 nnnn', exec: SMULWy },
  { name: 'SMLAL<x><y>', pattern: 'cccc 0001 0100 hhhh llll mmmm 1yx0 nnnn', exec: SMLALxy },
  { name: 'SMUL<x><y>', pattern: 'cccc 0001 0110 dddd (0)(0)(0)(0) mmmm 1yx0 nnnn', exec: SMULxy },
  { name: 'SMLAD/SMUAD', pattern: 'cccc 0111 0000 dddd aaaa mmmm 00X1 nnnn', exec: accumulateOrNot('smlad', 'smuad', 'x') },
  { name: 'SMLSD/SMUSD', pattern: 'cccc 0111 0000 dddd aaaa mmmm 01X1 nnnn', exec: accumulateOrNot('smlsd', 'smusd', 'x') },
  { name: 'SDIV', pattern: 'cccc 0111 0001 dddd (1)(1)(1)(1) mmmm 0001 nnnn', exec: DIV('sdiv') },
  { name: 'UDIV', pattern: 'cccc 0111 0011 dddd (1)(1)(1)(1) mmmm 0001 nnnn', exec: DIV('udiv') },
  { name: 'SMLALD', pattern: 'cccc 0111 0100 hhhh llll mmmm 00X1 nnnn', exec: longDual('smlald') },
  { name: 'SMLSLD', pattern: 'cccc 0111 0100 hhhh llll mmmm 01X1 nnnn', exec: longDual('smlsld') },
  { name: 'SMMLA/SMMUL', pattern: 'cccc 0111 0101 dddd aaaa mmmm 00X1 nnnn', exec: accumulateOrNot('smmla', 'smmul', 'r') },
  { name: 'SMMLS', pattern: 'cccc 0111 0101 dddd aaaa mmmm 11X1 nnnn', exec: SMMLS },
  { name: 'USAD8/USADA8', pattern: 'cccc 0111 1000 dddd aaaa mmmm 0001 nnnn', exec: accumulateOrNot('usada8', 'usad8', '') },
];
