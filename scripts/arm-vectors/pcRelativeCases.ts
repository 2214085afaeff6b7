/**
 * Instructions that read the PC (ARM ARM DDI 0406C A2.3: PC reads as the
 * instruction's address + 8 in A32 and + 4 in T32; ADR and literal loads use
 * Align(PC, 4), A8.8.12 and A8.8.64). Literal loads here read the
 * instruction's own bytes, so a replay needs no other memory. T32 forms run
 * at a word-aligned address and at one that is 2 modulo 4.
 */
import type { CaseList, Isa } from './CaseList.ts';

const A32_FORMS = [
  'add r0, pc, #16', 'sub r0, pc, #4', 'mov r0, pc', 'add r0, r1, pc',
  'ldr r0, [pc, #-8]', 'ldrb r0, [pc, #-6]', 'ldrh r0, [pc, #-8]',
];

/** T32 forms that do not read memory: run at both alignments. */
const T32_ADDRESS_FORMS = ['add.n r0, pc, #8', 'addw r0, pc, #8', 'subw r0, pc, #8', 'mov.n r0, pc', 'add.n r0, pc'];

/** T32 literal loads of the instruction itself (word-aligned only: Align(PC, 4) - 4 is then its address). */
const T32_LITERAL_FORMS = ['ldr.w r0, [pc, #-4]', 'ldrh.w r0, [pc, #-2]', 'ldrb.w r0, [pc, #-1]', 'ldrsb.w r0, [pc, #-1]'];

export function addPcRelative(list: CaseList, isa: Isa): void {
  const rnd = list.random;
  const file = `${isa}-pc-relative`;
  const group = (asm: string) => asm.split(' ')[0];
  if (isa === 'a32') {
    for (const asm of A32_FORMS) {
      for (let i = 0; i < 2; i++) list.add(file, group(asm), isa, asm, { r0: rnd.next(), r1: rnd.word() });
    }
    return;
  }
  for (const asm of T32_ADDRESS_FORMS) {
    list.add(file, `${group(asm)} (word-aligned)`, isa, asm, { r0: rnd.next() });
    list.add(file, `${group(asm)} (halfword-aligned)`, isa, asm, { r0: rnd.next() }, { halfwordAligned: true });
  }
  for (const asm of T32_LITERAL_FORMS) {
    for (let i = 0; i < 2; i++) list.add(file, group(asm), isa, asm, { r0: rnd.next() });
  }
}
