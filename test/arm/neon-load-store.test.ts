import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * VLD1–VLD4 / VST1–VST4 (ARM ARM A7.7, A8.8.320 …): structure interleaving
 * of the multiple, single-lane and all-lanes forms, register spacing,
 * writeback, the alignment qualifier's Alignment fault (A3.2.1), and a
 * Data Abort part-way through a load leaving the registers as they were.
 * Memory is RAM at 0x40000000 (the test machine's second bank, 1 MiB).
 */

const DATA = 0x40000100;

function neonMachine(): ArmTestMachine {
  const m = new ArmTestMachine();
  m.cpu.sys.cpacr = 0x00f00000;
  m.cpu.vfp.fpexc = 0x40000000;
  m.bus.write32(0x10, 0xeafffffe); // Data Abort vector: b .
  return m;
}

function d(m: ArmTestMachine, n: number): string {
  const w = m.cpu.vfp.words;
  return (w[2 * n + 1] >>> 0).toString(16).padStart(8, '0') + (w[2 * n] >>> 0).toString(16).padStart(8, '0');
}

function setD(m: ArmTestMachine, n: number, hex: string): void {
  const w = m.cpu.vfp.words;
  w[2 * n + 1] = parseInt(hex.slice(0, 8), 16) | 0;
  w[2 * n] = parseInt(hex.slice(8), 16) | 0;
}

/** Bytes 0x00, 0x01, … at DATA. */
function countingBytes(m: ArmTestMachine, n: number): void {
  m.bus.loadBytes(DATA, Uint8Array.from({ length: n }, (_, k) => k));
}

test('VLD2.8 de-interleaves pairs: even bytes to the first register, odd to the second', (t) => {
  const m = neonMachine();
  countingBytes(m, 16);
  m.exec([0xf420080f], (c) => c.setRegister('r0', DATA)); // vld2.8 {d0, d1}, [r0]
  t.is(d(m, 0), '0e0c0a0806040200');
  t.is(d(m, 1), '0f0d0b0907050301');
  t.is(m.reg('r0') >>> 0, DATA, 'no writeback');
});

test('VLD3.16 de-interleaves triples and writes back the transfer size', (t) => {
  const m = neonMachine();
  for (let k = 0; k < 12; k++) m.bus.write16(DATA + 2 * k, 0x1000 + k);
  m.exec([0xf420044d], (c) => c.setRegister('r0', DATA)); // vld3.16 {d0-d2}, [r0]!
  t.is(d(m, 0), '1009100610031000');
  t.is(d(m, 1), '100a100710041001');
  t.is(d(m, 2), '100b100810051002');
  t.is(m.reg('r0') >>> 0, DATA + 24);
});

test('VLD4.32 to one lane changes only that lane of each register; Rm writeback adds Rm', (t) => {
  const m = neonMachine();
  for (let k = 0; k < 4; k++) m.bus.write32(DATA + 4 * k, 0xa0000000 + k);
  for (let n = 0; n < 4; n++) setD(m, n, '1111111122222222');
  m.exec([0xf4a00b81], (c) => { // vld4.32 {d0[1], d1[1], d2[1], d3[1]}, [r0], r1
    c.setRegister('r0', DATA);
    c.setRegister('r1', 0x40);
  });
  for (let n = 0; n < 4; n++) t.is(d(m, n), `a000000${n}22222222`);
  t.is(m.reg('r0') >>> 0, DATA + 0x40);
});

test('VLD1.32 to all lanes replicates the element into both registers', (t) => {
  const m = neonMachine();
  m.bus.write32(DATA, 0xcafef00d);
  m.exec([0xf4a00cbf], (c) => c.setRegister('r0', DATA)); // vld1.32 {d0[], d1[]}, [r0:32]
  t.is(d(m, 0), 'cafef00dcafef00d');
  t.is(d(m, 1), 'cafef00dcafef00d');
});

test('VLD4.8 with spacing 2 fills d0, d2, d4, d6 and leaves d1, d3, d5 alone', (t) => {
  const m = neonMachine();
  countingBytes(m, 32);
  for (const n of [1, 3, 5]) setD(m, n, '5555555555555555');
  m.exec([0xf420010f], (c) => c.setRegister('r0', DATA)); // vld4.8 {d0, d2, d4, d6}, [r0]
  t.is(d(m, 0), '1c1814100c080400');
  t.is(d(m, 2), '1d1915110d090501');
  t.is(d(m, 4), '1e1a16120e0a0602');
  t.is(d(m, 6), '1f1b17130f0b0703');
  for (const n of [1, 3, 5]) t.is(d(m, n), '5555555555555555');
});

test('VST2.16 interleaves halfwords of D16 and D17', (t) => {
  const m = neonMachine();
  setD(m, 16, '0003000200010000');
  setD(m, 17, '0103010201010100');
  m.exec([0xf440084d], (c) => c.setRegister('r0', DATA)); // vst2.16 {d16, d17}, [r0]!
  const halves = Array.from({ length: 8 }, (_, k) => m.bus.read16(DATA + 2 * k));
  t.deepEqual(halves, [0x0000, 0x0100, 0x0001, 0x0101, 0x0002, 0x0102, 0x0003, 0x0103]);
  t.is(m.reg('r0') >>> 0, DATA + 16);
});

test('an alignment qualifier the address does not meet takes an Alignment fault (SCTLR.A clear)', (t) => {
  const m = neonMachine();
  countingBytes(m, 16);
  setD(m, 0, '0123456789abcdef');
  m.exec([0xf420071f], (c) => c.setRegister('r0', DATA + 4)); // vld1.8 {d0}, [r0:64]
  t.is(m.cpu.mode, 0x17, 'Abort mode');
  t.is(m.cpu.sys.dfsr & 0x40f, 0x1, 'FS = 00001 alignment');
  t.is(m.cpu.sys.dfar >>> 0, DATA + 4);
  t.is(d(m, 0), '0123456789abcdef', 'the register is unchanged');

  const aligned = neonMachine();
  countingBytes(aligned, 16);
  aligned.exec([0xf420071f], (c) => c.setRegister('r0', DATA + 8));
  t.is(aligned.cpu.mode, 0x13, 'no exception when aligned');
  t.is(d(aligned, 0), '0f0e0d0c0b0a0908');

  const store = neonMachine();
  store.exec([0xf4000aaf], (c) => c.setRegister('r0', DATA + 8)); // vst1.32 {d0, d1}, [r0:128]
  t.is(store.cpu.mode, 0x17);
  t.is(store.cpu.sys.dfsr & 0x80f, 0x801, 'alignment fault on a write (WnR)');
});

test('without a qualifier elements may be unaligned unless SCTLR.A is set', (t) => {
  const m = neonMachine();
  countingBytes(m, 16);
  m.exec([0xf420070f], (c) => c.setRegister('r0', DATA + 1)); // vld1.8 {d0}, [r0]
  t.is(d(m, 0), '0807060504030201');
  const words = neonMachine();
  countingBytes(words, 16);
  words.exec([0xf420078f], (c) => c.setRegister('r0', DATA + 2)); // vld1.32 {d0}, [r0]
  t.is(words.cpu.mode, 0x13);
  t.is(d(words, 0), '0908070605040302');
  const strict = neonMachine();
  strict.cpu.sys.sctlr |= 2; // SCTLR.A
  strict.exec([0xf420078f], (c) => c.setRegister('r0', DATA + 2));
  t.is(strict.cpu.mode, 0x17, 'a misaligned 32-bit element faults with SCTLR.A');
});

test('a Data Abort part-way through VLD1 leaves every register and the base unchanged', (t) => {
  const m = neonMachine();
  const end = 0x40100000; // the RAM bank ends here: the third register's bytes have no memory
  for (let n = 0; n < 4; n++) setD(m, n, '7777777777777777');
  m.exec([0xf420020d], (c) => c.setRegister('r0', end - 16)); // vld1.8 {d0-d3}, [r0]!
  t.is(m.cpu.mode, 0x17);
  for (let n = 0; n < 4; n++) t.is(d(m, n), '7777777777777777');
  t.is(m.reg('r0') >>> 0, end - 16);
});

test('with CPSR.E set elements are big-endian: a 64-bit element takes its high word from the lower address', (t) => {
  const m = neonMachine();
  countingBytes(m, 16);
  const setBigEndian = (c: ArmTestMachine['cpu']) => {
    c.setRegister('r0', DATA);
    c.setRegister('cpsr', c.getRegister('cpsr') | 0x200);
  };
  m.exec([0xf42007cf], setBigEndian); // vld1.64 {d0}, [r0]
  t.is(d(m, 0), '0001020304050607');
  m.exec([0xf420074f], setBigEndian); // vld1.16 {d0}, [r0]: each halfword swapped, lane order kept
  t.is(d(m, 0), '0607040502030001');
  const little = neonMachine();
  countingBytes(little, 16);
  little.exec([0xf42007cf], (c) => c.setRegister('r0', DATA));
  t.is(d(little, 0), '0706050403020100');
});
