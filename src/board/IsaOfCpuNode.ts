import type { Isa } from '../machine/Cpu.ts';

/**
 * The ISA a cpu node's compatible names, by vendor/family prefix, for boards
 * whose core has no model yet (so the firmware's ELF machine can still be
 * checked). Cores that exist say their ISA themselves.
 */
const PREFIXES: ReadonlyArray<[RegExp, Isa]> = [
  [/^arm,/, 'arm'],
  [/^(mti|mips|img),/, 'mips'],
  [/^(fsl|ibm|ppc|power),|^PowerPC,/, 'ppc'],
  [/^(intel|amd|x86),|^i[3-6]86$/, 'x86'],
];

export function isaOfCompatible(compatibles: readonly string[]): Isa | undefined {
  for (const c of compatibles) for (const [re, isa] of PREFIXES) if (re.test(c)) return isa;
  return undefined;
}
