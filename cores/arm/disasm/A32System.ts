import type { Encoding } from '../decode/DecodeTable.ts';
import type { DisasmInstruction, Formatter } from './DisasmInstruction.ts';
import { armImmOperand, bankedRegister, barrierOption, hex, immShift, reg, psrFields, signedOffset } from './OperandText.ts';

/**
 * A32 status register access, hints, exception-generating and other
 * miscellaneous instructions (A5.2.11, A5.2.12) and the unconditional space
 * (A5.7: CPS, SETEND, SRS, RFE, barriers, CLREX, preloads). Fields: c cond,
 * R SPSR select, k MSR field mask, m Rm/SYSm, M bit 8 of banked forms,
 * d Rd, n Rn, i immediate, o option.
 */

const MRS: Formatter = (x) => `mrs${x.c} ${reg(x.f('d'))}, ${x.f('R') ? 'SPSR' : 'CPSR'}`;

function banked(x: DisasmInstruction): string {
  return bankedRegister(x.f('R'), (x.f('M') << 4) | x.f('m')) ?? `#${(x.f('M') << 4) | x.f('m')}`;
}

const MRS_banked: Formatter = (x) => `mrs${x.c} ${reg(x.f('d'))}, ${banked(x)}`;
const MSR_banked: Formatter = (x) => `msr${x.c} ${banked(x)}, ${reg(x.f('n'))}`;

const psr = (x: DisasmInstruction) => `${x.f('R') ? 'SPSR' : 'CPSR'}_${psrFields(x.f('k'))}`;
const MSR_reg: Formatter = (x) => `msr${x.c} ${psr(x)}, ${reg(x.f('n'))}`;
const MSR_imm: Formatter = (x) => `msr${x.c} ${psr(x)}, ${armImmOperand(x.f('i'))}`;

/** The architected hints (A8.8.100 NOP, YIELD, WFE, WFI, SEV, DBG) and later ones objdump knows. */
export function hintText(op: number, c: string, wide: string, thumb: boolean): string {
  // ARMv7 names the hints 0-4; CSDB (0x14) was added to ARMv7 later as a speculation barrier.
  // objdump's ARMv7 Thumb tables also know the ARMv8 SEVL (5) and ESB (0x10).
  const names: Record<number, string> = thumb
    ? { 0: 'nop', 1: 'yield', 2: 'wfe', 3: 'wfi', 4: 'sev', 5: 'sevl', 0x14: 'csdb', 0x10: 'esb' }
    : { 0: 'nop', 1: 'yield', 2: 'wfe', 3: 'wfi', 4: 'sev', 0x14: 'csdb' };
  if ((op & 0xf0) === 0xf0) return `dbg${c} #${op & 15}`;
  // objdump writes the A32 hint NOP as "nop {0}" (to tell it from MOV r0, r0) and the Thumb ones plainly.
  if (op === 0) return thumb ? `nop${c}${wide}` : `nop${c}${wide} {0}`;
  if (op === 0x14 || (thumb && op === 0x10)) return `${names[op]}${c}`;
  const name = names[op];
  if (name !== undefined) return `${name}${c}${wide}`;
  return `nop${c}${wide} {${op}}`;
}

const HINT: Formatter = (x) => hintText(x.f('o'), x.c, '', false);

const CLZ: Formatter = (x) => `clz${x.c} ${reg(x.f('d'))}, ${reg(x.f('m'))}`;

/** QADD Rd, Rm, Rn (note the operand order, A8.8.134). */
const SATURATING = (name: string): Formatter => (x) => `${name}${x.c} ${reg(x.f('d'))}, ${reg(x.f('m'))}, ${reg(x.f('n'))}`;

const SVC: Formatter = (x) => `svc${x.c} ${hex(x.f('i'), 8)}`;
const BKPT: Formatter = (x) => `bkpt ${hex(x.f('i'), 4)}`;
const HVC: Formatter = (x) => `hvc${x.c} ${x.f('i')}`;
const SMC: Formatter = (x) => `smc${x.c} ${x.f('i')}`;
const UDF: Formatter = (x) => `udf #${x.f('i')}`;
const ERET: Formatter = (x) => `eret${x.c}`;

/** CPS (B9.3.2): CPSIE/CPSID with the A/I/F letters, then the mode if M. */
export function cpsText(imod: number, a: number, i: number, f: number, changeMode: number, mode: number): string {
  const flags = (a ? 'a' : '') + (i ? 'i' : '') + (f ? 'f' : '');
  if (imod === 2 || imod === 3) {
    const name = imod === 2 ? 'cpsie' : 'cpsid';
    return changeMode ? `${name} ${flags},#${mode}` : `${name} ${flags}`;
  }
  return `cps #${mode}`;
}

const CPS: Formatter = (x) => cpsText(x.f('I'), x.f('A'), x.f('i'), x.f('F'), x.f('M'), x.f('o'));
const SETEND: Formatter = (x) => `setend ${x.f('E') ? 'be' : 'le'}`;

const MODES = ['da', 'ia', 'db', 'ib'];
const SRS: Formatter = (x) => `srs${MODES[x.f('P') * 2 + x.f('U')]} sp${x.f('W') ? '!' : ''}, #${x.f('o')}`;
const RFE: Formatter = (x) => `rfe${MODES[x.f('P') * 2 + x.f('U')]} ${reg(x.f('n'))}${x.f('W') ? '!' : ''}`;

const CLREX: Formatter = () => 'clrex';
const DSB: Formatter = (x) => {
  const o = x.f('o');
  // The speculation barriers SSBB and PSSBB, added to ARMv7 later, reuse two reserved options.
  if (o === 0) return 'ssbb';
  if (o === 4) return 'pssbb';
  return `dsb ${barrierOption(o)}`;
};
const DMB: Formatter = (x) => `dmb ${barrierOption(x.f('o'))}`;
const ISB: Formatter = (x) => `isb ${x.f('o') === 15 ? 'sy' : `#${x.f('o')}`}`;

/** Preloads (A8.8.126-130): pld/pldw by R, pli. */
function preloadName(x: DisasmInstruction, kind: 'pld' | 'pli'): string {
  return kind === 'pli' ? 'pli' : x.f('R') ? 'pld' : 'pldw';
}

function preloadImm(kind: 'pld' | 'pli'): Formatter {
  return (x) => {
    const n = x.f('n');
    const offset = x.f('i');
    const u = x.f('U');
    const body = offset === 0 && u ? `[${reg(n)}]` : `[${reg(n)}, ${signedOffset(u, offset)}]`;
    const comment = n === 15 ? x.addressComment(u ? x.pc + offset : x.pc - offset) : '';
    return `${preloadName(x, kind)} ${body}${comment}`;
  };
}

function preloadReg(kind: 'pld' | 'pli'): Formatter {
  return (x) => `${preloadName(x, kind)} [${reg(x.f('n'))}, ${x.f('U') ? '' : '-'}${reg(x.f('m'))}${immShift(x.f('t'), x.f('i'))}]`;
}

export const a32System: Encoding<Formatter>[] = [
  { name: 'MRS', pattern: 'cccc 0001 0R00 (1)(1)(1)(1) dddd (0)(0)0(0) 0000 (0)(0)(0)(0)', exec: MRS },
  { name: 'MRS (banked register)', pattern: 'cccc 0001 0R00 mmmm dddd (0)(0)1M 0000 (0)(0)(0)(0)', exec: MRS_banked },
  { name: 'MSR (register)', pattern: 'cccc 0001 0R10 kkkk (1)(1)(1)(1) (0)(0)0(0) 0000 nnnn', exec: MSR_reg },
  { name: 'MSR (banked register)', pattern: 'cccc 0001 0R10 mmmm (1)(1)(1)(1) (0)(0)1M 0000 nnnn', exec: MSR_banked },
  { name: 'MSR (immediate)', pattern: 'cccc 0011 0R10 kkkk (1)(1)(1)(1) iiii iiii iiii', exec: MSR_imm, unless: ['---- ---- -0-- 0000 ---- ---- ---- ----'] },
  { name: 'hints (NOP, YIELD, WFE, WFI, SEV, DBG)', pattern: 'cccc 0011 0010 0000 (1)(1)(1)(1) (0)(0)(0)(0) oooo oooo', exec: HINT },
  { name: 'CLZ', pattern: 'cccc 0001 0110 (1)(1)(1)(1) dddd (1)(1)(1)(1) 0001 mmmm', exec: CLZ },
  { name: 'QADD', pattern: 'cccc 0001 0000 nnnn dddd (0)(0)(0)(0) 0101 mmmm', exec: SATURATING('qadd') },
  { name: 'QSUB', pattern: 'cccc 0001 0010 nnnn dddd (0)(0)(0)(0) 0101 mmmm', exec: SATURATING('qsub') },
  { name: 'QDADD', pattern: 'cccc 0001 0100 nnnn dddd (0)(0)(0)(0) 0101 mmmm', exec: SATURATING('qdadd') },
  { name: 'QDSUB', pattern: 'cccc 0001 0110 nnnn dddd (0)(0)(0)(0) 0101 mmmm', exec: SATURATING('qdsub') },
  { name: 'SVC', pattern: 'cccc 1111 iiii iiii iiii iiii iiii iiii', exec: SVC },
  { name: 'BKPT', pattern: 'cccc 0001 0010 iiii iiii iiii 0111 iiii', exec: BKPT },
  { name: 'HVC', pattern: 'cccc 0001 0100 iiii iiii iiii 0111 iiii', exec: HVC },
  { name: 'SMC', pattern: 'cccc 0001 0110 (0)(0)(0)(0) (0)(0)(0)(0) (0)(0)(0)(0) 0111 iiii', exec: SMC },
  { name: 'ERET', pattern: 'cccc 0001 0110 (0)(0)(0)(0) (0)(0)(0)(0) (0)(0)(0)(0) 0110 1110', exec: ERET },
  { name: 'UDF', pattern: '1110 0111 1111 iiii iiii iiii 1111 iiii', exec: UDF },
  { name: 'CPS', pattern: '1111 0001 0000 IIM0 (0)(0)(0)(0) (0)(0)(0)A iF0o oooo', exec: CPS, unless: ['---- ---- ---- 0000 ---- ---- ---- ----', '---- ---- ---- 01-- ---- ---- ---- ----'] },
  { name: 'SETEND', pattern: '1111 0001 0000 0001 (0)(0)(0)(0) (0)(0)E(0) (0)(0)(0)(0) (0)(0)(0)(0)', exec: SETEND },
  { name: 'SRS', pattern: '1111 100P U1W0 (1)(1)(0)(1) (0)(0)(0)(0) (0)(1)(0)(1) (0)(0)(0)o oooo', exec: SRS },
  { name: 'RFE', pattern: '1111 100P U0W1 nnnn (0)(0)(0)(0) (1)(0)(1)(0) (0)(0)(0)(0) (0)(0)(0)(0)', exec: RFE },
  { name: 'CLREX', pattern: '1111 0101 0111 (1)(1)(1)(1) (1)(1)(1)(1) (0)(0)(0)(0) 0001 (1)(1)(1)(1)', exec: CLREX },
  { name: 'DSB', pattern: '1111 0101 0111 (1)(1)(1)(1) (1)(1)(1)(1) (0)(0)(0)(0) 0100 oooo', exec: DSB },
  { name: 'DMB', pattern: '1111 0101 0111 (1)(1)(1)(1) (1)(1)(1)(1) (0)(0)(0)(0) 0101 oooo', exec: DMB },
  { name: 'ISB', pattern: '1111 0101 0111 (1)(1)(1)(1) (1)(1)(1)(1) (0)(0)(0)(0) 0110 oooo', exec: ISB },
  { name: 'PLD, PLDW (immediate)', pattern: '1111 0101 UR01 nnnn (1)(1)(1)(1) iiii iiii iiii', exec: preloadImm('pld') },
  { name: 'PLD, PLDW (register)', pattern: '1111 0111 UR01 nnnn (1)(1)(1)(1) iiii itt0 mmmm', exec: preloadReg('pld') },
  { name: 'PLI (immediate)', pattern: '1111 0100 U101 nnnn (1)(1)(1)(1) iiii iiii iiii', exec: preloadImm('pli') },
  { name: 'PLI (register)', pattern: '1111 0110 U101 nnnn (1)(1)(1)(1) iiii itt0 mmmm', exec: preloadReg('pli') },
];
