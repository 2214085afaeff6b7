import test from 'ava';
import { DecodeTable } from '../../cores/arm/decode/DecodeTable.ts';
import { parsePattern } from '../../cores/arm/decode/EncodingPattern.ts';
import { a32Table } from '../../cores/arm/a32/A32Decoder.ts';

/**
 * The encoding tables: patterns read like the manual's diagrams, overlaps
 * are refused when a table is built, and the A32 table sorts encodings into
 * the instruction forms of ARM ARM A5.
 */

test('a pattern gives fixed bits and named fields, "(0)" bits are not fixed', (t) => {
  const p = parsePattern('cccc 0010 100S nnnn dddd iiii iiii (0)(1)ii', 32);
  t.is(p.mask, 0x0fe00000);
  t.is(p.fields.get('S'), 0x00100000);
  t.is(p.value, 0x02800000);
  t.is(p.fields.get('n'), 0x000f0000);
  t.is(p.fields.get('i'), 0x00000ff3);
});

test('a pattern of the wrong width is refused', (t) => {
  t.throws(() => parsePattern('1111 0000', 32), { message: /has 8 bits, expected 32/ });
});

test('overlapping encodings are refused when the table is built, naming both', (t) => {
  const e = t.throws(() =>
    new DecodeTable('test', 8, [7, 6], [
      { name: 'A', pattern: '01xx xxxx'.replace(/x/g, '-'), exec: 1 },
      { name: 'B', pattern: '0--- ---1', exec: 2 },
    ]),
  );
  t.regex(e.message, /'A'.*'B'.*overlap/);
});

test('an exclusion resolves an overlap the way the manual does ("SEE ...")', (t) => {
  const table = new DecodeTable('test', 8, [7], [
    { name: 'general', pattern: '01-- nnnn', exec: 1, unless: ['---- 1111'] },
    { name: 'special', pattern: '01-- 1111', exec: 2 },
  ]);
  t.is(table.lookup(0x41)?.name, 'general');
  t.is(table.lookup(0x4f)?.name, 'special');
  t.is(table.lookup(0x81), null);
});

test('an exclusion that leaves part of the overlap is still refused', (t) => {
  t.throws(() =>
    new DecodeTable('test', 8, [7], [
      { name: 'general', pattern: '01-- nnnn', exec: 1, unless: ['---- 1111'] },
      { name: 'special', pattern: '01-- 111-', exec: 2 },
    ]),
  );
});

test('field values are concatenated from the most significant bit', (t) => {
  const e = a32Table.lookup(0xe30b3eef)!; // movw r3, #0xbeef
  t.is(e.name, 'MOVW');
  t.is(DecodeTable.field(e, 'i', 0xe30b3eef), 0xbeef);
  t.is(DecodeTable.field(e, 'd', 0xe30b3eef), 3);
});

test('the A32 table names the forms of sample encodings', (t) => {
  const samples: [number, string][] = [
    [0xe3a00001, 'MOV (immediate)'],
    [0xe1a00001, 'MOV (register)'],
    [0xe1a00081, 'LSL (immediate)'],
    [0xe1a00061, 'RRX'],
    [0xe0902001, 'ADD (register)'],
    [0xe0202351, 'EOR (register-shifted register)'],
    [0xe3500601, 'CMP (immediate)'],
    [0xe12fff1e, 'BX'],
    [0xeb000000, 'BL (immediate)'],
    [0xfa000000, 'BLX (immediate)'],
    [0xe92d4030, 'STM (STMDA, STMIA, STMDB, STMIB)'],
    [0xe8fd8001, 'LDM (exception return)'],
    [0xe5902004, 'LDR (immediate)'],
    [0xe4b02004, 'LDRT (immediate)'],
    [0xe1c020d8, 'LDRD (immediate)'],
    [0xe0120190, 'MUL'],
    [0xe10231c0, 'SMLA<x><y>'],
    [0xe1902f9f, 'LDREX'],
    [0xe10f0000, 'MRS'],
    [0xe1050200, 'MRS (banked register)'],
    [0xe320f003, 'WFI'],
    [0xe328f20f, 'MSR (immediate)'],
    [0xe6bf2f30, 'REV'],
    [0xe6ef2071, 'UXTB'],
    [0xe6502f91, 'UADD8'],
    [0xe7e72250, 'UBFX'],
    [0xe712f110, 'SDIV'],
    [0xf57ff05f, 'DMB'],
    [0xf5d0f000, 'PLD, PLDW (immediate)'],
    [0xee100f10, 'MRC (CP15)'],
    [0xec510f0e, 'MRRC (CP15)'],
    [0xeef80a10, 'VMRS'],
    [0xed2d8b04, 'VSTM (decrement before), VPUSH'],
    [0xef000000, 'SVC'],
  ];
  for (const [word, name] of samples) t.is(a32Table.lookup(word)?.name, name, word.toString(16));
});

test('unallocated and absent-coprocessor encodings are not in the A32 table', (t) => {
  t.is(a32Table.lookup(0xf0000000), null, 'unallocated unconditional space');
  t.is(a32Table.lookup(0xee000710), null, 'MCR to coprocessor 7');
  t.is(a32Table.lookup(0xee000700), null, 'CDP to coprocessor 7');
  t.is(a32Table.lookup(0xee300a81)?.name, 'VFP data-processing', 'vadd.f32 s0, s1, s2: CDP-class CP10 is VFP (A7.5)');
  t.is(a32Table.lookup(0xe0500090 | (1 << 22) | (1 << 21)), null, 'multiply space op 0111');
});
