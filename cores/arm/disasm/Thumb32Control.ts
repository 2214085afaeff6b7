import type { Encoding } from '../decode/DecodeTable.ts';
import { condName, type DisasmInstruction, type Formatter } from './DisasmInstruction.ts';
import { cpsText, hintText } from './A32System.ts';
import { bankedRegister, barrierOption, psrFields, reg, signExtend } from './OperandText.ts';

/**
 * 32-bit Thumb branches and miscellaneous control (ARM ARM A6.3.4).
 * Patterns are hw1 then hw2. Fields: S sign, J/K the J1/J2 bits, i/j the
 * high and low offset parts, c condition, R SPSR, k MSR mask, m SYSm or Rm,
 * M bit 4 of banked SYSm, n Rn, d Rd, o option/hint.
 */

/** I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S) (A8.8.18, encoding T4). */
function longOffset(x: DisasmInstruction, lowShift = 1): number {
  const s = x.f('S');
  const i1 = 1 ^ x.f('J') ^ s;
  const i2 = 1 ^ x.f('K') ^ s;
  return signExtend((s << 24) | (i1 << 23) | (i2 << 22) | (x.f('i') << 12) | (x.f('j') << lowShift), 25);
}

const B_cond: Formatter = (x) => {
  const offset = signExtend((x.f('S') << 20) | (x.f('K') << 19) | (x.f('J') << 18) | (x.f('i') << 12) | (x.f('j') << 1), 21);
  return `b${condName(x.f('c'))}.w ${x.target(x.pc + offset)}`;
};
const B_wide: Formatter = (x) => `b${x.c}.w ${x.target(x.pc + longOffset(x))}`;
const BL: Formatter = (x) => `bl${x.c} ${x.target(x.pc + longOffset(x))}`;
/** BLX (immediate) to A32: imm10L counts words; the target is Align(PC, 4) + offset (A8.8.25, T2). */
const BLX: Formatter = (x) => (x.f('H') ? '' : `blx${x.c} ${x.target(((x.pc & ~3) + longOffset(x, 2)) >>> 0)}`);

const psr = (x: DisasmInstruction) => (x.f('R') ? 'SPSR' : 'CPSR');
const banked = (x: DisasmInstruction) => {
  const sysm = (x.f('M') << 4) | x.f('m');
  return bankedRegister(x.f('R'), sysm) ?? `#${sysm}`;
};

const MSR: Formatter = (x) => `msr${x.c} ${psr(x)}_${psrFields(x.f('k'))}, ${reg(x.f('n'))}`;
const MSR_banked: Formatter = (x) => `msr${x.c} ${banked(x)}, ${reg(x.f('n'))}`;
const MRS: Formatter = (x) => `mrs${x.c} ${reg(x.f('d'))}, ${psr(x)}`;
const MRS_banked: Formatter = (x) => `mrs${x.c} ${reg(x.f('d'))}, ${banked(x)}`;

/** Hints (A6.3.4, op1 = 0111010, op2 = 000); objdump writes .w on all but DBG, ESB and CSDB. */
const HINT: Formatter = (x) => hintText(x.f('o'), x.c, '.w', true);

/** CPS (B9.3.2): objdump writes .w for the forms the 16-bit encoding also has (no mode change). */
const CPS: Formatter = (x) => {
  const imod = x.f('I');
  const change = x.f('C');
  // A, I, F without an enable/disable (imod = 00) is UNPREDICTABLE (B9.3.2); objdump does not decode it.
  if (imod === 0 && (x.f('A') | x.f('i') | x.f('F')) !== 0) return '';
  const text = cpsText(imod, x.f('A'), x.f('i'), x.f('F'), change, x.f('o'));
  if ((imod === 2 || imod === 3) && !change) return text.replace(/^(cpsi[ed])/, '$1.w');
  return text.replace(/,#/, ', #');
};

const CLREX: Formatter = (x) => `clrex${x.c}`;
const DSB: Formatter = (x) => {
  const o = x.f('o');
  // The speculation barriers reuse reserved options; objdump's Thumb tables also know ARMv8's DFB.
  if (o === 0) return 'ssbb';
  if (o === 4) return 'pssbb';
  if (o === 12) return 'dfb';
  return `dsb${x.c} ${barrierOption(o)}`;
};
const DMB: Formatter = (x) => `dmb${x.c} ${barrierOption(x.f('o'))}`;
const ISB: Formatter = (x) => `isb${x.c} ${x.f('o') === 15 ? 'sy' : `#${x.f('o')}`}`;
const BXJ: Formatter = (x) => `bxj${x.c} ${reg(x.f('m'))}`;
/** SUBS PC, LR, #imm8 (B9.3.19); ERET is its imm8 = 0 case, which objdump also shows as SUBS. */
const SUBS_PC_LR: Formatter = (x) => `subs${x.c} pc, lr, #${x.f('i')}`;
const SMC: Formatter = (x) => `smc${x.c} #${x.f('i')}`;
const HVC: Formatter = (x) => `hvc #${(x.f('k') << 12) | x.f('i')}`;
const UDF: Formatter = (x) => `udf.w #${(x.f('k') << 12) | x.f('i')}`;

export const thumb32Control: Encoding<Formatter>[] = [
  { name: 'B (T3, conditional)', pattern: '1111 0Scc ccii iiii 10J0 Kjjj jjjj jjjj', exec: B_cond, unless: ['---- --11 1--- ---- ---- ---- ---- ----'] },
  { name: 'B (T4)', pattern: '1111 0Sii iiii iiii 10J1 Kjjj jjjj jjjj', exec: B_wide },
  { name: 'BL', pattern: '1111 0Sii iiii iiii 11J1 Kjjj jjjj jjjj', exec: BL },
  { name: 'BLX (immediate)', pattern: '1111 0Sii iiii iiii 11J0 Kjjj jjjj jjjH', exec: BLX },
  { name: 'MSR (register)', pattern: '1111 0011 100R nnnn 10(0)0 kkkk (0)(0)0(0) (0)(0)(0)(0)', exec: MSR },
  { name: 'MSR (banked register)', pattern: '1111 0011 100R nnnn 10(0)0 mmmm (0)(0)1M (0)(0)(0)(0)', exec: MSR_banked },
  { name: 'hints', pattern: '1111 0011 1010 (1)(1)(1)(1) 10(0)0 (0)000 oooo oooo', exec: HINT },
  { name: 'CPS', pattern: '1111 0011 1010 (1)(1)(1)(1) 10(0)0 (0)IIC AiFo oooo', exec: CPS, unless: ['---- ---- ---- ---- ---- -000 ---- ----', '---- ---- ---- ---- ---- -01- ---- ----'] },
  { name: 'CLREX', pattern: '1111 0011 1011 (1)(1)(1)(1) 10(0)0 (1)(1)(1)(1) 0010 (1)(1)(1)(1)', exec: CLREX },
  { name: 'DSB', pattern: '1111 0011 1011 (1)(1)(1)(1) 10(0)0 (1)(1)(1)(1) 0100 oooo', exec: DSB },
  { name: 'DMB', pattern: '1111 0011 1011 (1)(1)(1)(1) 10(0)0 (1)(1)(1)(1) 0101 oooo', exec: DMB },
  { name: 'ISB', pattern: '1111 0011 1011 (1)(1)(1)(1) 10(0)0 (1)(1)(1)(1) 0110 oooo', exec: ISB },
  { name: 'BXJ', pattern: '1111 0011 1100 mmmm 10(0)0 (1)(1)(1)(1) (0)(0)(0)(0) (0)(0)(0)(0)', exec: BXJ },
  { name: 'SUBS PC, LR (ERET)', pattern: '1111 0011 1101 (1)(1)(1)(0) 10(0)0 (1)(1)(1)(1) iiii iiii', exec: SUBS_PC_LR },
  { name: 'MRS', pattern: '1111 0011 111R (1)(1)(1)(1) 10(0)0 dddd (0)(0)0(0) (0)(0)(0)(0)', exec: MRS },
  { name: 'MRS (banked register)', pattern: '1111 0011 111R mmmm 10(0)0 dddd (0)(0)1M (0)(0)(0)(0)', exec: MRS_banked },
  { name: 'HVC', pattern: '1111 0111 1110 kkkk 1000 iiii iiii iiii', exec: HVC },
  { name: 'SMC', pattern: '1111 0111 1111 iiii 1000 (0)(0)(0)(0) (0)(0)(0)(0) (0)(0)(0)(0)', exec: SMC },
  { name: 'UDF', pattern: '1111 0111 1111 kkkk 1010 iiii iiii iiii', exec: UDF },
];
