/**
 * Packing, sign/zero extension with rotation, and the extend-and-add forms
 * (ARM ARM DDI 0406C A5.4.3, A6.3.12; PKHBT/PKHTB A8.8.125, SXTB ff, UXTB ff).
 */
import type { CaseList, Isa } from './CaseList.ts';

export function addPacking(list: CaseList, isa: Isa): void {
  const rnd = list.random;
  const file = `${isa}-packing`;
  for (const shift of ['', ', lsl #1', ', lsl #16', ', lsl #31']) {
    for (let i = 0; i < 3; i++) list.add(file, 'pkhbt', isa, `pkhbt r0, r1, r2${shift}`, { r1: rnd.next(), r2: rnd.next() });
  }
  for (const shift of [', asr #1', ', asr #16', ', asr #32']) {
    for (let i = 0; i < 3; i++) list.add(file, 'pkhtb', isa, `pkhtb r0, r1, r2${shift}`, { r1: rnd.next(), r2: rnd.word() });
  }
  const rotations = ['', ', ror #8', ', ror #16', ', ror #24'];
  for (const m of ['sxtb', 'sxth', 'sxtb16', 'uxtb', 'uxth', 'uxtb16']) {
    // In T32 the plain forms of sxtb/sxth/uxtb/uxth would pick a 16-bit encoding: .w keeps this file 32-bit.
    const wide = isa === 't32' && !m.endsWith('16') ? '.w' : '';
    for (const rot of rotations) {
      for (let i = 0; i < 2; i++) list.add(file, m, isa, `${m}${wide} r0, r1${rot}`, { r1: rnd.lanes() });
    }
  }
  for (const m of ['sxtab', 'sxtah', 'sxtab16', 'uxtab', 'uxtah', 'uxtab16']) {
    for (const rot of rotations) {
      for (let i = 0; i < 2; i++) list.add(file, m, isa, `${m} r0, r1, r2${rot}`, { r1: rnd.word(), r2: rnd.lanes() });
    }
  }
}
