import test from 'ava';
import { a32DisasmTable, disassembleA32 } from '../../cores/arm/disasm/A32Disassembler.ts';
import { DisasmInstruction } from '../../cores/arm/disasm/DisasmInstruction.ts';
import {
  disassembleThumb,
  itAdvance,
  ThumbDisassembler,
  thumb16DisasmTable,
  thumb32DisasmTable,
  thumbInstructionSize,
} from '../../cores/arm/disasm/ThumbDisassembler.ts';

/**
 * Runs the formatter of the form `word` matches directly, without the
 * safety net of the public functions, so that a formatter that throws
 * fails the test instead of printing a directive.
 */
function formatRaw(table: ReturnType<typeof a32DisasmTable>, word: number, thumb: boolean, itCond = -1): string | null {
  const e = table.lookup(word >>> 0);
  if (e === null) return null;
  return e.exec(new DisasmInstruction(word >>> 0, 0x1000, thumb, e, undefined, itCond));
}

// The disassembler's contract beyond the objdump vectors: it never throws,
// UNDEFINED encodings print as data directives, symbols name targets, and
// Thumb follows IT blocks as ARM ARM A2.5.2 and A6.2 describe.

test('A32: every class of encoding gives text, and no formatter throws', (t) => {
  const fills = [0x00000000, 0x000fff0f, 0x0000f000, 0x0005a5a5];
  let count = 0;
  for (let key = 0; key < 4096; key++) {
    // Bits [27:20] and [7:4], the manual's top-level split (A5.1), under every fill and two conditions.
    const classBits = (((key >>> 4) & 0xff) << 20) | ((key & 15) << 4);
    for (const fill of fills) {
      for (const cond of [0xe, 0xf, 0x3]) {
        const word = ((cond << 28) | classBits | fill) >>> 0;
        formatRaw(a32DisasmTable(), word, false);
        const text = disassembleA32(word, 0x40100000);
        if (text.length === 0) t.fail(`empty text for ${word.toString(16)}`);
        count++;
      }
    }
  }
  t.is(count, 4096 * 4 * 3);
});

test('Thumb: every halfword and every 32-bit class gives text of the right size, and no formatter throws', (t) => {
  for (let hw = 0; hw < 0x10000; hw++) {
    const size = thumbInstructionSize(hw);
    if (size === 2) {
      formatRaw(thumb16DisasmTable(), hw, true);
      formatRaw(thumb16DisasmTable(), hw, true, 1);
    }
    for (const it of [0, 0x18]) {
      const r = disassembleThumb(hw, 0x8f00, 0x1000, undefined, it);
      if (r.size !== size || r.text.length === 0) t.fail(`bad result for ${hw.toString(16)}: ${JSON.stringify(r)}`);
    }
  }
  for (let hw1 = 0xe800; hw1 < 0x10000; hw1++) {
    for (const hw2 of [0x0000, 0xffff, 0x8f00, 0x5a5a]) {
      formatRaw(thumb32DisasmTable(), (hw1 << 16) | hw2, true);
      const r = disassembleThumb(hw1, hw2, 0x1000);
      if (r.size !== 4 || r.text.length === 0) t.fail(`bad result for ${hw1.toString(16)} ${hw2.toString(16)}`);
    }
  }
  t.pass();
});

test('UNDEFINED encodings print as .word / .inst.n / .inst.w', (t) => {
  // A5.4: media instructions with op1 = 00000 are UNDEFINED.
  t.is(disassembleA32(0xe6000010, 0), '.word 0xe6000010');
  // A5.7: unconditional op1 = 0xxxxxxx outside the listed forms is UNDEFINED.
  t.is(disassembleA32(0xf0000000, 0), '.word 0xf0000000');
  // A6.2.5: 1011 1010 10xx xxxx is UNDEFINED in ARMv7.
  t.deepEqual(disassembleThumb(0xba80, 0, 0), { text: '.inst.n 0xba80', size: 2 });
  // A6.3.11: data processing (shifted register) op = 0101 is UNDEFINED.
  t.deepEqual(disassembleThumb(0xeaa0, 0x0000, 0), { text: '.inst.w 0xeaa00000', size: 4 });
  // A8.8.282 VADD (integer): Q = 1 with an odd register number is UNDEFINED; with even ones it is q0-q15.
  t.is(disassembleA32(0xf2220844, 0), 'vadd.i32 q0, q1, q2');
  t.is(disassembleA32(0xf2221844, 0), '.word 0xf2221844');
});

test('branch targets and literal addresses carry symbol names when given', (t) => {
  const names = new Map([[0x1008, 'main'], [0x100c, 'table+0x4']]);
  const symbols = (a: number) => names.get(a);
  // BL: target = PC (address + 8) + imm24 * 4 (A8.8.25).
  t.is(disassembleA32(0xeb000000, 0x1000, symbols), 'bl 0x1008 <main>');
  t.is(disassembleA32(0xeb000000, 0x1000), 'bl 0x1008');
  t.is(disassembleA32(0xebfffffe, 0x1000), 'bl 0x1000');
  // LDR (literal): address = Align(PC, 4) + imm12.
  t.is(disassembleA32(0xe59f0004, 0x1000, symbols), 'ldr r0, [pc, #4]\t@ 0x100c <table+0x4>');
  // Thumb BL T1 to a negative offset: f7ff fffe is "bl ." (PC = address + 4, offset -4).
  t.is(disassembleThumb(0xf7ff, 0xfffe, 0x2000).text, 'bl 0x2000');
});

test('ITSTATE advances as ITAdvance() (A2.5.2)', (t) => {
  // ITTE NE: firstcond 0001, mask 1010.
  t.is(itAdvance(0x1a), 0x14);
  t.is(itAdvance(0x14), 0x08);
  t.is(itAdvance(0x08), 0x00);
  t.is(itAdvance(0x00), 0x00);
});

test('16-bit instructions set flags outside IT blocks and take the block condition inside (A6.2)', (t) => {
  const d = new ThumbDisassembler();
  const run = (hw: number) => d.next(hw, 0, 0).text;
  t.is(run(0xbf1a), 'itte ne');
  t.is(run(0x1840), 'addne r0, r0, r1');
  t.is(run(0x1840), 'addne r0, r0, r1');
  t.is(run(0x1840), 'addeq r0, r0, r1');
  t.is(run(0x1840), 'adds r0, r0, r1');
  // The same through the stateless call with ITSTATE given: EQ, last instruction of a block.
  t.is(disassembleThumb(0x1840, 0, 0, undefined, 0x08).text, 'addeq r0, r0, r1');
  // 32-bit instructions in a block put the condition before .w.
  t.is(disassembleThumb(0xea40, 0x0001, 0, undefined, 0x08).text, 'orreq.w r0, r0, r1');
});

test('instruction size comes from the first halfword (A6.1)', (t) => {
  t.is(thumbInstructionSize(0xe7ff), 2);
  t.is(thumbInstructionSize(0xe800), 4);
  t.is(thumbInstructionSize(0xf000), 4);
  t.is(thumbInstructionSize(0xf800), 4);
  t.is(thumbInstructionSize(0xdfff), 2);
});

test('CP15 transfers name their register in a comment (B3.17)', (t) => {
  // MRC p15, 0, r0, c1, c0, 0 is SCTLR (B4.1.130).
  t.is(disassembleA32(0xee110f10, 0), 'mrc 15, 0, r0, cr1, cr0, {0}\t@ SCTLR');
  // MCR p15, 4, r0, c1, c1, 0 is HCR (B4.1.65).
  t.is(disassembleA32(0xee810f11, 0), 'mcr 15, 4, r0, cr1, cr1, {0}\t@ HCR');
  // MCR p15, 0, r0, c7, c5, 0 is ICIALLU (B4.2.1).
  t.is(disassembleA32(0xee070f15, 0), 'mcr 15, 0, r0, cr7, cr5, {0}\t@ ICIALLU');
  // MRRC p15, 0, r0, r1, c2 is the 64-bit TTBR0 (B4.1.154); MRRC p15, 1, r0, r1, c14 is CNTVCT (B8.2).
  t.is(disassembleA32(0xec510f02, 0), 'mrrc 15, 0, r0, r1, cr2\t@ TTBR0');
  t.is(disassembleA32(0xec510f1e, 0), 'mrrc 15, 1, r0, r1, cr14\t@ CNTVCT');
  // Thumb shares the forms: ee11 0f10 is the same MRC.
  t.is(disassembleThumb(0xee11, 0x0f10, 0).text, 'mrc 15, 0, r0, cr1, cr0, {0}\t@ SCTLR');
  // Other coprocessors and unnamed encodings get no comment.
  t.is(disassembleA32(0xee110e10, 0), 'mrc 14, 0, r0, cr1, cr0, {0}');
  t.is(disassembleA32(0xee1f0f1f, 0), 'mrc 15, 0, r0, cr15, cr15, {0}');
});
