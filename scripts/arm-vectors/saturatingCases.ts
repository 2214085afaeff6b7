/**
 * Saturating arithmetic (ARM ARM DDI 0406C A5.2.6, A5.4.1; A8.8.121 ff,
 * A8.8.180 ff, A8.8.245 ff): QADD/QSUB/QDADD/QDSUB and SSAT/USAT with their
 * shifted forms and the 16-bit lane forms, all of which set Q on saturation.
 */
import type { CaseList, Isa } from './CaseList.ts';

export function addSaturating(list: CaseList, isa: Isa): void {
  const rnd = list.random;
  const file = `${isa}-saturate`;
  for (const m of ['qadd', 'qsub', 'qdadd', 'qdsub']) {
    for (let i = 0; i < 10; i++) list.add(file, m, isa, `${m} r0, r1, r2`, { r1: rnd.word(), r2: rnd.word() });
  }
  // An ASR #32 shift exists only in A32 (in T32 that encoding is SSAT16/USAT16).
  const shifts = ['', ', lsl #1', ', lsl #31', ', asr #1', ', asr #31', ...(isa === 'a32' ? [', asr #32'] : [])];
  for (const [m, widths] of [['ssat', [1, 8, 16, 31, 32]], ['usat', [0, 1, 8, 16, 31]]] as const) {
    for (const width of widths) {
      for (let i = 0; i < 3; i++) list.add(file, m, isa, `${m} r0, #${width}, r1`, { r1: rnd.word() });
    }
    for (const shift of shifts.slice(1)) {
      for (let i = 0; i < 3; i++) {
        const width = rnd.choose(widths);
        list.add(file, `${m} shifted`, isa, `${m} r0, #${width}, r1${shift}`, { r1: rnd.word() });
      }
    }
  }
  for (const [m, widths] of [['ssat16', [1, 4, 8, 16]], ['usat16', [0, 1, 8, 15]]] as const) {
    for (const width of widths) {
      for (let i = 0; i < 4; i++) list.add(file, m, isa, `${m} r0, #${width}, r1`, { r1: rnd.lanes() });
    }
  }
}
