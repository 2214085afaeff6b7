/**
 * Multiplies and divides (ARM ARM DDI 0406C A5.2.5, A5.4.4, A6.3.16–18):
 * 32-bit and long products, the signed halfword and dual forms that set Q,
 * most-significant-word forms with rounding, and SDIV/UDIV.
 */
import type { CaseList, Isa } from './CaseList.ts';

/** `mnemonic` with its operand list (r0 = Rd or RdLo, r1 = RdHi for long forms). */
interface Form {
  readonly mnemonic: string;
  readonly operands: string;
  /** Registers the instruction reads. */
  readonly reads: readonly string[];
  /** Only in A32 (the S forms of the long multiplies and MULS/MLAS). */
  readonly a32Only?: boolean;
}

const forms: Form[] = [];
function form(mnemonics: string[], operands: string, reads: string[], a32Only = false): void {
  for (const mnemonic of mnemonics) forms.push({ mnemonic, operands, reads, a32Only });
}

form(['mul'], 'r0, r1, r2', ['r1', 'r2']);
form(['muls'], 'r0, r1, r2', ['r1', 'r2'], true);
form(['mla', 'mls'], 'r0, r1, r2, r3', ['r1', 'r2', 'r3']);
form(['mlas'], 'r0, r1, r2, r3', ['r1', 'r2', 'r3'], true);
form(['umull', 'smull'], 'r0, r1, r2, r3', ['r2', 'r3']);
form(['umulls', 'smulls'], 'r0, r1, r2, r3', ['r2', 'r3'], true);
form(['umlal', 'smlal', 'umaal'], 'r0, r1, r2, r3', ['r0', 'r1', 'r2', 'r3']);
form(['umlals', 'smlals'], 'r0, r1, r2, r3', ['r0', 'r1', 'r2', 'r3'], true);
form(['smlabb', 'smlabt', 'smlatb', 'smlatt', 'smlawb', 'smlawt'], 'r0, r1, r2, r3', ['r1', 'r2', 'r3']);
form(['smulbb', 'smulbt', 'smultb', 'smultt', 'smulwb', 'smulwt'], 'r0, r1, r2', ['r1', 'r2']);
form(['smlalbb', 'smlalbt', 'smlaltb', 'smlaltt'], 'r0, r1, r2, r3', ['r0', 'r1', 'r2', 'r3']);
form(['smuad', 'smuadx', 'smusd', 'smusdx'], 'r0, r1, r2', ['r1', 'r2']);
form(['smlad', 'smladx', 'smlsd', 'smlsdx'], 'r0, r1, r2, r3', ['r1', 'r2', 'r3']);
form(['smlald', 'smlaldx', 'smlsld', 'smlsldx'], 'r0, r1, r2, r3', ['r0', 'r1', 'r2', 'r3']);
form(['smmul', 'smmulr'], 'r0, r1, r2', ['r1', 'r2']);
form(['smmla', 'smmlar', 'smmls', 'smmlsr'], 'r0, r1, r2, r3', ['r1', 'r2', 'r3']);

/** Dividend/divisor pairs at the edges of SDIV/UDIV (A8.8.165, A8.8.248): zero divisor, INT_MIN / -1, rounding towards zero. */
const DIVISIONS: Array<[number, number]> = [
  [1234, 0], [0x80000000, 0], [0, 0], [0x80000000, 0xffffffff], [0xffffffff, 1], [0xffffffff, 0xffffffff],
  [7, 2], [0xfffffff9, 2], [7, 0xfffffffe], [0x7fffffff, 0x80000000], [0x80000000, 2], [100, 7],
];

export function addMultiplies(list: CaseList, isa: Isa): void {
  const rnd = list.random;
  const file = `${isa}-multiply`;
  for (const f of forms) {
    if (f.a32Only && isa === 't32') continue;
    for (let i = 0; i < 8; i++) {
      const inputs: Record<string, number> = {};
      for (const r of f.reads) inputs[r] = rnd.word();
      // Half the accumulating cases start from a value next to the overflow point, where Q and the carries show.
      if (i % 2 === 1 && f.reads.includes('r3') && f.operands.split(',').length === 4 && !f.reads.includes('r0')) {
        inputs.r3 = rnd.choose([0x7fffffff, 0x80000000, 0x7ffffffe, 0x80000001]);
      }
      list.add(file, f.mnemonic, isa, `${f.mnemonic} ${f.operands}`, inputs);
    }
  }
  for (const m of ['sdiv', 'udiv']) {
    for (const [n, d] of DIVISIONS) list.add(file, m, isa, `${m} r0, r1, r2`, { r1: n, r2: d });
    for (let i = 0; i < 4; i++) list.add(file, m, isa, `${m} r0, r1, r2`, { r1: rnd.word(), r2: rnd.next() >>> rnd.below(32) });
  }
}
