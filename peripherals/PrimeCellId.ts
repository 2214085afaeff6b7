import type { RegisterSpec } from './RegisterBlock.ts';

/**
 * The identification registers every ARM PrimeCell has at 0xFE0–0xFFC:
 * PeriphID0–3 (part number, designer, revision) then CellID0–3 (always
 * 0x0D 0xF0 0x05 0xB1), one byte per 32-bit register, read-only.
 */
export function primeCellIdRegisters(periphId: readonly number[], cellId: readonly number[]): RegisterSpec[] {
  return [
    { name: 'PeriphID', offset: 0xfe0, count: 4, stride: 4, access: 'R', reset: (i) => periphId[i] },
    { name: 'PCellID', offset: 0xff0, count: 4, stride: 4, access: 'R', reset: (i) => cellId[i] },
  ];
}
