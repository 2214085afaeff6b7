import type { ArmCpu } from '../ArmCpu.ts';
import { instructionIs32Bit } from '../Exceptions.ts';
import { HsrEc, hsr } from '../HypSyndrome.ts';
import { takeHypTrap, trapVfp } from '../HypTraps.ts';

/**
 * Whether an Advanced SIMD instruction may execute (ARM ARM B1.14.2,
 * B4.1.40 CPACR, B6.1.x FPEXC; the CheckAdvSIMDEnabled() pseudocode):
 * CPACR.cp10 must grant the current privilege level, CPACR.ASEDIS (bit 31)
 * must be clear, HCPTR must not trap the unit (TCP10/TCP11, or TASE for
 * Advanced SIMD: HSR EC 0x07 with TA = 1, B3.13.6), and FPEXC.EN must be set.
 * When it may not, the Undefined Instruction exception (or the Hyp trap) is
 * taken here and false is returned; the handler then does nothing more.
 */
const HCPTR_TASE = 1 << 15;

export function simdEnabled(c: ArmCpu, insn: number): boolean {
  const cpacr = c.sys.cpacr;
  const cp10 = (cpacr >>> 20) & 3;
  if ((cp10 === 3 || (cp10 === 1 && c.privileged === 1)) && (cpacr & 0x80000000) === 0) {
    if (c.hypTraps) {
      if (trapVfp(c, -1, 0)) return false;
      if ((c.sys.hcptr & HCPTR_TASE) !== 0) {
        takeHypTrap(c, hsr(HsrEc.Hcptr, instructionIs32Bit(c), (1 << 24) | (0xe << 20) | (1 << 5)));
        return false;
      }
    }
    if (c.vfp.enabled) return true;
  }
  c.undefinedInstruction(insn);
  return false;
}

/**
 * CPACR.D32DIS (bit 30) hides D16–D31: an instruction naming one of them is
 * UNDEFINED (B4.1.40). `last` is the highest D register the instruction
 * touches.
 */
export function highRegistersHidden(c: ArmCpu, last: number): boolean {
  return last >= 16 && (c.sys.cpacr & 0x40000000) !== 0;
}

/** FPSCR.QC, the cumulative saturation flag (A2.6.3, B6.1.x). */
export const FPSCR_QC = 1 << 27;
