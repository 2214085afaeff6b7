/**
 * IT blocks (ARM ARM DDI 0406C A8.8.54, A6.2.x): the IT instruction and the
 * 1–4 instructions it makes conditional, run as one case. Inside a block the
 * 16-bit data-processing forms do not set flags, a failed condition leaves
 * everything unchanged, and a flag-setting instruction changes the flags the
 * later instructions of the block test. Each block runs on random flags.
 */
import type { CaseList } from './CaseList.ts';

const BLOCKS: readonly string[] = [
  'it eq; addeq r0, r1, r2',
  'it ne; subne r0, r1, #3',
  'it cs; lslcs r0, r1, #3',
  'ite mi; movmi r0, #1; movpl r0, #2',
  'itt vs; addvs r0, r1, r2; rsbvs r3, r4, #0',
  'it gt; addsgt.w r0, r1, r2',
  'ite lt; cmplt r0, r1; addge r0, r1, r2',
  'itt ge; cmpge r0, r1; addge r2, r3, r4',
  'itete hi; addhi r0, r1, r2; subls r0, r1, r2; addhi r3, r4, #1; subls r3, r4, #1',
  'itt le; mulle r0, r1, r0; andle r2, r3',
  'itet cc; movcc r0, r1; movcs r0, #7; addcc r0, r2',
];

export function addItBlocks(list: CaseList): void {
  const rnd = list.random;
  for (const asm of BLOCKS) {
    const steps = asm.split(';').length;
    const group = asm.split(';')[0];
    for (let i = 0; i < 6; i++) {
      // Walk N and Z through all four combinations; C and V random.
      const apsr = ((i & 3) << 30) | (rnd.apsr() & 0x3fffffff);
      list.add('t32-it', group, 't32', asm, { r0: rnd.word(), r1: rnd.word(), r2: rnd.word(), r3: rnd.word(), r4: rnd.word() }, { apsr, steps });
    }
  }
}
