/**
 * 16-bit Thumb instructions (ARM ARM DDI 0406C A6.2), run outside an IT
 * block, where the data-processing forms set the flags (the S forms) except
 * the high-register ADD/MOV. Each asm text carries `.n` so the assembler must
 * use the 16-bit encoding.
 */
import { scratchAt, type CaseList } from './CaseList.ts';

const REGISTER_AMOUNTS = [0, 1, 31, 32, 33, 255];

export function addThumb16(list: CaseList): void {
  const rnd = list.random;
  const file = 't32-thumb16';
  const add = (group: string, asm: string, inputs: Record<string, number | string>, memory = false) =>
    list.add(file, group, 't32', asm, inputs, { memory });

  for (let i = 0; i < 3; i++) add('movs Rd, Rm', 'movs.n r0, r1', { r1: rnd.word() });
  for (const [m, amounts] of [['lsls', [1, 31]], ['lsrs', [1, 31, 32]], ['asrs', [1, 31, 32]]] as const) {
    for (const a of amounts) for (let i = 0; i < 2; i++) add(`${m} #imm`, `${m}.n r0, r1, #${a}`, { r1: rnd.word() });
  }
  for (const m of ['adds', 'subs']) {
    for (let i = 0; i < 6; i++) add(`${m} Rd, Rn, Rm`, `${m}.n r0, r1, r2`, { r1: rnd.word(), r2: rnd.word() });
    for (const imm of [0, 1, 7]) add(`${m} Rd, Rn, #imm3`, `${m}.n r0, r1, #${imm}`, { r1: rnd.word() });
    for (const imm of [0, 1, 0x80, 0xff]) add(`${m} Rdn, #imm8`, `${m}.n r0, #${imm}`, { r0: rnd.word() });
  }
  for (const imm of [0, 0x80, 0xff]) add('movs #imm8', `movs.n r0, #${imm}`, {});
  for (const imm of [0, 1, 0x80, 0xff]) add('cmp #imm8', `cmp.n r1, #${imm}`, { r1: rnd.word() });

  // Data-processing (register), A6.2.2.
  for (const m of ['ands', 'eors', 'adcs', 'sbcs', 'tst', 'cmp', 'cmn', 'orrs', 'bics', 'mvns']) {
    for (let i = 0; i < 6; i++) add(`${m} Rdn, Rm`, `${m}.n r0, r1`, { r0: rnd.word(), r1: rnd.word() });
  }
  for (const m of ['lsls', 'lsrs', 'asrs', 'rors']) {
    for (const a of REGISTER_AMOUNTS) add(`${m} Rdn, Rm`, `${m}.n r0, r1`, { r0: rnd.word(), r1: a });
  }
  for (let i = 0; i < 6; i++) add('rsbs Rd, Rn, #0', 'rsbs.n r0, r1, #0', { r1: rnd.word() });
  for (let i = 0; i < 6; i++) add('muls Rdm, Rn', 'muls.n r0, r1, r0', { r0: rnd.word(), r1: rnd.word() });

  // High registers (A6.2.3): no flags except CMP.
  for (let i = 0; i < 3; i++) {
    add('add Rdn, Rm (high)', 'add.n r0, r8', { r0: rnd.word(), r8: rnd.word() });
    add('add Rdn, Rm (high)', 'add.n r8, r0', { r0: rnd.word(), r8: rnd.word() });
    add('cmp Rn, Rm (high)', 'cmp.n r0, r8', { r0: rnd.word(), r8: rnd.word() });
    add('cmp Rn, Rm (high)', 'cmp.n r9, r1', { r1: rnd.word(), r9: rnd.word() });
    add('mov Rd, Rm (high)', 'mov.n r0, r8', { r8: rnd.word() });
    add('mov Rd, Rm (high)', 'mov.n r10, r1', { r1: rnd.word() });
  }
  add('add Rd, sp, #imm', 'add.n r0, sp, #8', {});
  add('add Rd, sp, #imm', 'add.n r0, sp, #1020', {});

  for (const m of ['sxtb', 'sxth', 'uxtb', 'uxth', 'rev', 'rev16', 'revsh']) {
    for (let i = 0; i < 4; i++) add(m, `${m}.n r0, r1`, { r1: rnd.word() });
  }

  // Loads and stores (A6.2.4).
  const single: Array<[string, number, number]> = [
    ['ldr', 4, 4], ['ldr', 4, 60], ['str', 4, 8], ['str', 4, 0],
    ['ldrb', 1, 3], ['ldrb', 1, 31], ['strb', 1, 5], ['ldrh', 2, 6], ['ldrh', 2, 62], ['strh', 2, 2],
  ];
  for (const [m, , offset] of single) {
    for (let i = 0; i < 2; i++) add(`${m} [Rn, #imm]`, `${m}.n r0, [r1, #${offset}]`, { r0: rnd.word(), r1: scratchAt(i === 0 ? 0 : 64) }, true);
  }
  for (const [m, size] of [['ldr', 4], ['str', 4], ['ldrb', 1], ['strb', 1], ['ldrh', 2], ['strh', 2], ['ldrsb', 1], ['ldrsh', 2]] as const) {
    for (const offset of [0, 3 * size, -2 * size]) {
      add(`${m} [Rn, Rm]`, `${m}.n r0, [r1, r2]`, { r0: rnd.word(), r1: scratchAt(64), r2: offset }, true);
    }
  }
  const multiple: Array<[string, string]> = [
    ['ldm Rn!', 'ldm.n r1!, {r0, r2, r3}'], ['ldm Rn!', 'ldm.n r1!, {r0, r2-r7}'], ['ldm Rn (in list)', 'ldm.n r1, {r0, r1, r2}'],
    ['stm Rn!', 'stm.n r1!, {r0, r2, r3}'], ['stm Rn!', 'stm.n r1!, {r2-r7}'], ['stm Rn! (lowest in list)', 'stm.n r1!, {r1, r2, r3}'],
  ];
  for (const [group, asm] of multiple) {
    for (let i = 0; i < 2; i++) add(group, asm, { r1: scratchAt(i === 0 ? 32 : 64) }, true);
  }
}
