import type { Isa } from '../machine/Cpu.ts';

/** e_machine values (System V ABI, "ELF Header"; the numbers are assigned in the gABI registry). */
export const EM_386 = 3;
export const EM_MIPS = 8;
export const EM_PPC = 20;
export const EM_ARM = 40;
export const EM_X86_64 = 62;

const MACHINE_NAMES: Readonly<Record<number, string>> = {
  [EM_386]: 'EM_386',
  [EM_MIPS]: 'EM_MIPS',
  10: 'EM_MIPS_RS3_LE',
  [EM_PPC]: 'EM_PPC',
  21: 'EM_PPC64',
  [EM_ARM]: 'EM_ARM',
  [EM_X86_64]: 'EM_X86_64',
  183: 'EM_AARCH64',
  243: 'EM_RISCV',
};

/** The e_machine values a board of each ISA accepts (an x86 board takes 32- and 64-bit images). */
export const MACHINES_FOR_ISA: Readonly<Record<Isa, readonly number[]>> = {
  arm: [EM_ARM],
  mips: [EM_MIPS],
  ppc: [EM_PPC],
  x86: [EM_386, EM_X86_64],
};

/** "EM_ARM (40)", or "e_machine 1234" for numbers tskvm has no name for. */
export function machineName(machine: number): string {
  const name = MACHINE_NAMES[machine];
  return name === undefined ? `e_machine ${machine}` : `${name} (${machine})`;
}
