import type { ArmCpu } from '../ArmCpu.ts';

/**
 * The pieces of the ARM ARM pseudocode that T32 handlers share and that
 * differ from A32: BranchWritePC in Thumb state, ITAdvance, the Undefined
 * Instruction entry as seen from Thumb code, and the field extractions of
 * the 32-bit encodings (DDI 0406C A2.3.1, A2.5.2, B1.9.2, A6.3).
 *
 * A T32 handler gets the instruction as one number: a 16-bit instruction is
 * its halfword (0–0xffff); a 32-bit one is hw1 << 16 | hw2, so its bit k is
 * bit k of the manual's 32-bit diagrams (hw1 bits are 31–16). R15 reads as
 * the instruction's address + 4 and `cpu.nextPc` is the next instruction.
 */
export type ThumbHandler = (cpu: ArmCpu, insn: number) => void;

/** BranchWritePC in Thumb state (A2.3.1): the target's bit 0 is ignored and the state stays Thumb. */
export function branchWritePc(cpu: ArmCpu, target: number): void {
  cpu.nextPc = target & ~1;
}

/** ITAdvance() (A2.5.2): the mask shifts left; when only its terminating 1 would remain, the block ends. */
export function itAdvance(it: number): number {
  return (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
}

/**
 * The Undefined Instruction exception taken by a T32 instruction. LR_und is
 * the instruction's address + 2 for 16- and 32-bit instructions alike
 * (TakeUndefInstrException, B1.9.2: new_lr_value = PC − 2 in Thumb state,
 * PC being the address + 4; QEMU 7.2 gives the same LR for UDF.W), so for a
 * 32-bit instruction LR points at its second halfword, which is where an
 * emulating handler (Linux's VFP support) expects it.
 */
export function undefinedThumb(cpu: ArmCpu, insn: number): void {
  cpu.nextPc = (cpu.r[15] - 2) | 0;
  cpu.undefinedInstruction(insn);
}

/**
 * Set by a handler that wrote ITSTATE itself (an exception return loads it
 * from the SPSR), so the executor does not also advance it.
 */
export const itWrite = { byHandler: false };

// --- fields of the 32-bit encodings (A6.3) ---------------------------------------

/** i:imm3:imm8 (hw1[10], hw2[14:12], hw2[7:0]): the imm12 of A6.3.1 and A6.3.3. */
export function imm12Of(i: number): number {
  return ((i >>> 15) & 0x800) | ((i >>> 4) & 0x700) | (i & 0xff);
}

/** imm3:imm2 (hw2[14:12], hw2[7:6]): the shift amount of A6.3.11 and the lsb of the bit-field forms. */
export function imm5Of(i: number): number {
  return ((i >>> 10) & 0x1c) | ((i >>> 6) & 3);
}
