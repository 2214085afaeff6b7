/**
 * Parallel addition and subtraction (ARM ARM DDI 0406C A5.4.1/A5.4.2, A6.3.13/14):
 * signed, saturating, halving, unsigned, unsigned saturating and unsigned
 * halving × ADD16/ASX/SAX/SUB16/ADD8/SUB8, of which S and U set GE; and SEL,
 * which reads GE.
 */
import type { CaseList, Isa } from './CaseList.ts';

export function addParallel(list: CaseList, isa: Isa): void {
  const rnd = list.random;
  const file = `${isa}-parallel`;
  for (const prefix of ['s', 'q', 'sh', 'u', 'uq', 'uh']) {
    for (const op of ['add16', 'asx', 'sax', 'sub16', 'add8', 'sub8']) {
      const m = prefix + op;
      for (let i = 0; i < 8; i++) list.add(file, m, isa, `${m} r0, r1, r2`, { r1: rnd.lanes(), r2: rnd.lanes() });
    }
  }
  for (let ge = 0; ge < 16; ge++) {
    list.add(file, 'sel', isa, 'sel r0, r1, r2', { r1: rnd.next(), r2: rnd.next() }, { apsr: (rnd.apsr() & 0xf8000000) | (ge << 16) });
  }
}
