import type { Encoding } from '../decode/DecodeTable.ts';
import type { Formatter } from './DisasmInstruction.ts';
import { cp15Name32, cp15Name64 } from './Cp15RegisterNames.ts';
import { reg } from './OperandText.ts';

/**
 * Generic coprocessor instructions (A5.6 in A32, A6.3.18 in Thumb): LDC,
 * STC, MCRR, MRRC, CDP, MCR, MRC and their "2" forms. The same 28 low bits
 * serve both instruction sets; `prefix` is the top nibble ('cccc' or
 * '1111' in A32, '1110'/'1111' in Thumb). Coprocessors 10 and 11 are the
 * VFP/Advanced SIMD space, decoded by the VFP table instead.
 * Fields: P U D W L as for loads, n Rn, d CRd, p coproc, i imm8,
 * o opc1, O opc2, t Rt, T Rt2, N CRn, m CRm.
 *
 * Transfers to and from CP15 get the register's name as a comment
 * ("@ SCTLR"), which objdump does not print.
 */

/** "\t@ NAME" for a named CP15 register, else nothing. */
function cp15Comment(coproc: number, name: string | undefined): string {
  return coproc === 15 && name !== undefined ? `\t@ ${name}` : '';
}

const NOT_VFP = '---- ---- ---- ---- ---- 101- ---- ----';

function transferAddress(x: Parameters<Formatter>[0]): string {
  const n = x.f('n');
  const p = x.f('P');
  const u = x.f('U');
  const w = x.f('W');
  const i = x.f('i');
  const offset = i * 4;
  if (p === 0 && w === 0) return `[${reg(n)}], {${i}}`;
  const signed = `#${u ? '' : '-'}${offset}`;
  const base = x.thumb ? (x.pc & ~3) >>> 0 : x.pc;
  if (p === 0) return `[${reg(n)}], ${signed}${n === 15 ? x.addressComment(u ? base + offset : base - offset) : ''}`;
  const body = (offset === 0 && u ? `[${reg(n)}]` : `[${reg(n)}, ${signed}]`) + (w ? '!' : '');
  if (n === 15) return body + x.addressComment(u ? base + offset : base - offset);
  return body;
}

/** The coprocessor forms for one top nibble; `two` adds the "2" to the names. */
export function coprocessorForms(prefix: string, two: boolean): Encoding<Formatter>[] {
  const s = two ? '2' : '';
  const tag = two ? '2' : '';
  return [
    {
      name: `LDC${tag}/STC${tag}`,
      pattern: `${prefix} 110P UDWL nnnn dddd pppp iiii iiii`,
      unless: ['---- ---0 0-0- ---- ---- ---- ---- ----', NOT_VFP],
      exec: (x) => `${x.f('L') ? 'ldc' : 'stc'}${s}${x.f('D') ? 'l' : ''}${x.c} ${x.f('p')}, cr${x.f('d')}, ${transferAddress(x)}`,
    },
    {
      name: `MCRR${tag}/MRRC${tag}`,
      pattern: `${prefix} 1100 010L TTTT tttt pppp oooo mmmm`,
      unless: [NOT_VFP],
      exec: (x) =>
        `${x.f('L') ? 'mrrc' : 'mcrr'}${s}${x.c} ${x.f('p')}, ${x.f('o')}, ${reg(x.f('t'))}, ${reg(x.f('T'))}, cr${x.f('m')}` +
        cp15Comment(x.f('p'), cp15Name64(x.f('o'), x.f('m'))),
    },
    {
      name: `CDP${tag}`,
      pattern: `${prefix} 1110 oooo NNNN dddd pppp OOO0 mmmm`,
      unless: [NOT_VFP],
      exec: (x) => `cdp${s}${x.c} ${x.f('p')}, ${x.f('o')}, cr${x.f('d')}, cr${x.f('N')}, cr${x.f('m')}, {${x.f('O')}}`,
    },
    {
      name: `MCR${tag}/MRC${tag}`,
      pattern: `${prefix} 1110 oooL NNNN tttt pppp OOO1 mmmm`,
      unless: [NOT_VFP],
      exec: (x) => {
        const load = x.f('L');
        const t = x.f('t');
        const rt = load && t === 15 && !two ? 'APSR_nzcv' : reg(t);
        const name = cp15Name32(x.f('N'), x.f('o'), x.f('m'), x.f('O'));
        return `${load ? 'mrc' : 'mcr'}${s}${x.c} ${x.f('p')}, ${x.f('o')}, ${rt}, cr${x.f('N')}, cr${x.f('m')}, {${x.f('O')}}${cp15Comment(x.f('p'), name)}`;
      },
    },
  ];
}
