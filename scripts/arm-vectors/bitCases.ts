/**
 * Bit and byte operations (ARM ARM DDI 0406C A5.4.x, A6.3.x): CLZ, RBIT,
 * REV/REV16/REVSH, BFI/BFC/UBFX/SBFX, USAD8/USADA8, MOVW/MOVT.
 */
import type { CaseList, Isa } from './CaseList.ts';

/** (lsb, width) pairs at the edges of the bitfield instructions. */
const FIELDS: Array<[number, number]> = [[0, 1], [0, 32], [4, 8], [31, 1], [16, 16], [8, 12], [1, 31], [7, 9]];

export function addBitOperations(list: CaseList, isa: Isa): void {
  const rnd = list.random;
  const file = `${isa}-bits`;
  const wide = isa === 't32' ? '.w' : '';
  for (const m of ['clz', 'rbit', 'rev', 'rev16', 'revsh']) {
    const suffix = m.startsWith('rev') ? wide : '';
    for (let i = 0; i < 8; i++) {
      const v = m === 'clz' && i > 3 ? rnd.next() >>> rnd.below(33) : rnd.word();
      list.add(file, m, isa, `${m}${suffix} r0, r1`, { r1: v });
    }
  }
  for (const [lsb, width] of FIELDS) {
    list.add(file, 'bfi', isa, `bfi r0, r1, #${lsb}, #${width}`, { r0: rnd.next(), r1: rnd.next() });
    list.add(file, 'bfc', isa, `bfc r0, #${lsb}, #${width}`, { r0: rnd.next() });
    for (const m of ['ubfx', 'sbfx']) {
      for (let i = 0; i < 2; i++) list.add(file, m, isa, `${m} r0, r1, #${lsb}, #${width}`, { r1: rnd.word() });
    }
  }
  for (let i = 0; i < 8; i++) {
    list.add(file, 'usad8', isa, 'usad8 r0, r1, r2', { r1: rnd.lanes(), r2: rnd.lanes() });
    list.add(file, 'usada8', isa, 'usada8 r0, r1, r2, r3', { r1: rnd.lanes(), r2: rnd.lanes(), r3: rnd.word() });
  }
  for (const imm of [0, 1, 0x8000, 0xffff, 0x1234, 0xfedc]) {
    list.add(file, 'movw', isa, `movw r0, #0x${imm.toString(16)}`, { r0: rnd.next() });
    list.add(file, 'movt', isa, `movt r0, #0x${imm.toString(16)}`, { r0: rnd.next() });
  }
}
