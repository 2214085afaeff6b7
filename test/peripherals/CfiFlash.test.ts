import test from 'ava';
import { readFileSync } from 'node:fs';
import { CfiFlashBank } from '../../peripherals/flash/CfiFlashBank.ts';
import { CfiFlash, cfiFlashModel } from '../../peripherals/flash/cfiFlashModel.ts';
import { FlashRomdMapper } from '../../peripherals/flash/FlashRomdMapper.ts';
import { Bus } from '../../src/machine/Bus.ts';
import { cellsProp, stringProp, testContext } from './support/deviceContext.ts';

const MiB = 1024 * 1024;

/** A bank like each of QEMU virt's two: 64 MiB, 32-bit bus of two x16 devices, 256 KiB blocks. */
function virtBank(log?: (m: string) => void) {
  return new CfiFlashBank({ name: 'flash@0', size: 64 * MiB, bankWidth: 4, deviceWidth: 2, blockSize: 256 * 1024, log });
}

/** A small bank with the same bus layout, for tests that touch the contents. */
function smallBank() {
  return new CfiFlashBank({ name: 'flash@0', size: 1 * MiB, bankWidth: 4, deviceWidth: 2, blockSize: 256 * 1024 });
}

test('U-Boot\'s CFI probe of both virt banks gets the answers QEMU gave it (oracle trace replay)', (t) => {
  const text = readFileSync(new URL('./fixtures/uboot-cfi-probe.txt', import.meta.url), 'utf8');
  const banks = [virtBank(), virtBank()];
  let reads = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [op, b, off, val, size] = line.split(' ');
    const bank = banks[Number(b)];
    const width = Number(size) as 1 | 2 | 4;
    const offset = Number(off);
    const value = Number(val);
    if (op === 'W') {
      bank.write(offset, width, value);
    } else {
      // QEMU's trace shows the device's value before truncation to the access size.
      const expected = width === 4 ? value >>> 0 : value & ((1 << (8 * width)) - 1);
      t.is(bank.read(offset, width), expected, `${line}`);
      reads++;
    }
  }
  t.true(reads > 500);
  t.true(banks[0].readArrayMode && banks[1].readArrayMode, 'U-Boot leaves both banks in read-array mode');
});

test('CFI query table for a 64 MiB x16+x16 bank (JESD68 layout, Intel primary table)', (t) => {
  const bank = virtBank();
  bank.write(0x55 * 4, 4, 0x98);
  const q = (i: number) => bank.read(i * 4, 4);
  t.deepEqual([q(0x10), q(0x11), q(0x12)], [0x00510051, 0x00520052, 0x00590059], '"QRY" in each device');
  t.is(q(0x13) & 0xff, 0x01, 'primary vendor command set 0x0001 (Intel)');
  t.is(q(0x15) & 0xff, 0x31, 'primary extended table at 0x31');
  t.is(q(0x27) & 0xff, 25, 'each device 2^25 = 32 MiB');
  t.is(q(0x2a) & 0xff, 11, '2 KiB write buffer');
  t.is(q(0x2c) & 0xff, 1, 'one erase region');
  t.is(((q(0x2e) & 0xff) << 8 | (q(0x2d) & 0xff)) + 1, 256, '256 blocks');
  t.is(((q(0x30) & 0xff) << 8 | (q(0x2f) & 0xff)) * 256, 128 * 1024, 'of 128 KiB per device (256 KiB per bank)');
  t.deepEqual([q(0x31), q(0x32), q(0x33)].map((v) => v & 0xff), [0x50, 0x52, 0x49], '"PRI"');
  t.is(q(0x100), 0, 'beyond the table: 0');
  bank.write(0, 4, 0xff);
  t.true(bank.readArrayMode);
  t.is(bank.read(0x40, 4), 0xffffffff, 'erased array data again');
});

test('read identifier: manufacturer 0x89 (Intel) and device 0x18 in every device, block lock at word 2', (t) => {
  const bank = smallBank();
  bank.write(0, 2, 0x90);
  t.is(bank.read(0, 4), 0x00890089);
  t.is(bank.read(4, 4), 0x00180018);
  t.is(bank.read(0x40008, 2), 0, 'second block unlocked');
  t.false(bank.readArrayMode);
});

test('read status shows SR.7 ready in each device\'s lane', (t) => {
  const bank = smallBank();
  bank.write(0, 4, 0x70);
  t.is(bank.read(0, 4), 0x00800080);
  t.is(bank.read(2, 2), 0x0080);
  t.is(bank.read(1, 1), 0, 'the high byte of a x16 device\'s status is 0');
});

test('word program can only clear bits, and leaves the bank reading status', (t) => {
  const bank = smallBank();
  bank.write(0x100, 4, 0x40);
  bank.write(0x100, 4, 0x12345678);
  t.is(bank.read(0x100, 4), 0x00800080);
  bank.write(0, 4, 0xff);
  t.is(bank.read(0x100, 4), 0x12345678);
  bank.write(0x100, 4, 0x10);
  bank.write(0x100, 4, 0xff00ff00);
  bank.write(0, 4, 0xff);
  t.is(bank.read(0x100, 4), 0x12005600, 'old AND new');
});

test('block erase sets exactly one 256 KiB block to 0xff', (t) => {
  const bank = smallBank();
  bank.load(0, new Uint8Array(1 * MiB).fill(0x5a));
  bank.write(0x40000 + 0x1234, 4, 0x20);
  bank.write(0x40000 + 0x1234, 4, 0xd0);
  t.is(bank.read(0, 4), 0x00800080);
  bank.write(0, 4, 0xff);
  t.is(bank.read(0x3fffc, 4), 0x5a5a5a5a, 'block 0 untouched');
  t.is(bank.read(0x40000, 4), 0xffffffff);
  t.is(bank.read(0x7fffc, 4), 0xffffffff);
  t.is(bank.read(0x80000, 4), 0x5a5a5a5a, 'block 2 untouched');
});

test('erase without the 0xd0 confirm is a command sequence error (SR.4 and SR.5), cleared by 0x50', (t) => {
  const bank = smallBank();
  bank.write(0, 4, 0x20);
  bank.write(0, 4, 0xff);
  t.is(bank.read(0, 4), 0x00b000b0);
  bank.write(0, 4, 0x50);
  bank.write(0, 4, 0x70);
  t.is(bank.read(0, 4), 0x00800080);
});

test('buffered program (0xe8, count-1, data, 0xd0) writes the buffer at the confirm', (t) => {
  const bank = smallBank();
  bank.write(0x200, 4, 0xe8);
  t.is(bank.read(0x200, 4) & 0x80, 0x80, 'XSR: buffer available');
  bank.write(0x200, 4, 0x00030003);                 // 4 bank words
  for (let i = 0; i < 4; i++) bank.write(0x200 + 4 * i, 4, 0x11111111 * (i + 1));
  bank.write(0x200, 4, 0xff);                       // not the 0xd0 confirm: sequence error
  t.is(bank.read(0x200, 4), 0x00b000b0);
  bank.write(0, 4, 0x50);
  t.is(bank.read(0x200, 4), 0xffffffff, 'nothing written without the confirm');
  bank.write(0x200, 4, 0xe8);
  bank.write(0x200, 4, 0x00030003);
  for (let i = 0; i < 4; i++) bank.write(0x200 + 4 * i, 4, 0x11111111 * (i + 1));
  bank.write(0x200, 4, 0xd0);
  t.is(bank.read(0x200, 4), 0x00800080);
  bank.write(0, 4, 0xff);
  t.deepEqual([0, 1, 2, 3].map((i) => bank.read(0x200 + 4 * i, 4)), [0x11111111, 0x22222222, 0x33333333, 0x44444444]);
});

test('locked blocks refuse erase and program (SR.1 with SR.5 / SR.4); unlock with 0x60 0xd0', (t) => {
  const bank = smallBank();
  bank.write(0x40000, 4, 0x60);
  bank.write(0x40000, 4, 0x01);
  bank.write(0x40000, 4, 0x90);
  t.is(bank.read(0x40008, 4), 0x00010001, 'lock bit in the identifier space');
  bank.write(0x40000, 4, 0x20);
  bank.write(0x40000, 4, 0xd0);
  t.is(bank.read(0x40000, 4), 0x00a200a2);
  bank.write(0, 4, 0x50);
  bank.write(0x40010, 4, 0x40);
  bank.write(0x40010, 4, 0);
  t.is(bank.read(0x40010, 4), 0x00920092);
  bank.write(0, 4, 0xff);
  t.is(bank.read(0x40010, 4), 0xffffffff);
  bank.write(0x40000, 4, 0x60);
  bank.write(0x40000, 4, 0xd0);
  bank.write(0x40010, 4, 0x40);
  bank.write(0x40010, 4, 0);
  bank.write(0, 4, 0xff);
  t.is(bank.read(0x40010, 4), 0);
});

test('mode and content listeners tell a machine when array mode starts and ends and what changed', (t) => {
  const bank = smallBank();
  const modes: boolean[] = [];
  const changes: Array<[number, number]> = [];
  bank.onModeChange((m) => modes.push(m));
  bank.onContentChange((o, l) => changes.push([o, l]));
  bank.write(0, 4, 0x98);
  bank.write(0, 4, 0x90);
  bank.write(0, 4, 0xff);
  bank.write(8, 4, 0x40);
  bank.write(8, 2, 0);
  t.deepEqual(modes, [false, true, false]);
  t.deepEqual(changes, [[8, 2]]);
});

test('unknown commands are logged and return to read array', (t) => {
  const lines: string[] = [];
  const bank = virtBank((m) => lines.push(m));
  bank.write(0x555 * 4, 4, 0xaa);
  t.true(bank.readArrayMode);
  t.regex(lines[0], /unknown flash command 0xaa at \+0x1554/);
});

test('big-endian boards read array data in memory order', (t) => {
  const bank = new CfiFlashBank({ name: 'f', size: 1 * MiB, bankWidth: 4, bigEndian: true });
  bank.load(0, Uint8Array.of(0x12, 0x34, 0x56, 0x78));
  t.is(bank.read(0, 4), 0x12345678);
  t.is(bank.read(2, 2), 0x5678);
  bank.write(0, 4, 0x90);
  t.is(bank.read(0, 4), 0x00890089);
});

test('factory: one bank per reg entry, bank-width required, loads by physical address', (t) => {
  const ctx = testContext({
    name: 'flash@0',
    regs: [{ address: 0, size: 4 * MiB }, { address: 0x4000000, size: 4 * MiB }],
    props: [stringProp('compatible', 'cfi-flash'), cellsProp('bank-width', 4)],
  });
  const inst = cfiFlashModel.factory(ctx);
  t.deepEqual(inst.mappings.map((m) => [m.address, m.size]), [[0, 4 * MiB], [0x4000000, 4 * MiB]]);
  const flash = inst.model as CfiFlash;
  t.true(flash.load(0x4000010, Uint8Array.of(1, 2, 3, 4)));
  t.false(flash.load(0x3fffffe, Uint8Array.of(1, 2, 3, 4)));
  t.is(inst.mappings[1].device.read(0x10, 4), 0x04030201);
  t.is(flash.banks[0].bank.deviceWidth, 2, 'x16 devices by default, as QEMU virt');
  t.throws(() => cfiFlashModel.factory(testContext({ props: [stringProp('compatible', 'cfi-flash')] })), { message: /bank-width/ });
  t.throws(() => cfiFlashModel.factory(testContext({ regs: [{ address: 0, size: 3 * MiB }], props: [cellsProp('bank-width', 4)] })),
    { message: /not a power of two/ });
});

test('reset returns to read-array mode with status clear and blocks unlocked; contents stay', (t) => {
  const bank = smallBank();
  bank.load(0, Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
  bank.write(0, 4, 0x60);
  bank.write(0, 4, 0x01);
  bank.write(0, 4, 0x20);
  bank.write(0, 4, 0xd0);
  t.false(bank.readArrayMode);
  t.true(bank.isLocked(0));
  bank.reset();
  t.true(bank.readArrayMode);
  t.false(bank.isLocked(0));
  t.is(bank.read(0, 4), 0xefbeadde);
  bank.write(0, 4, 0x70);
  t.is(bank.read(0, 4), 0x00800080);
});

test('romd mapping on the Bus: ROM while in read array, MMIO during commands, commands reach the bank', (t) => {
  const bus = new Bus({ littleEndian: true });
  const bank = smallBank();
  bank.load(0x1000, Uint8Array.of(0x78, 0x56, 0x34, 0x12));
  const other: number[] = [];
  const mapper = new FlashRomdMapper(bus, (a) => other.push(a));
  mapper.add(0x4000000, bank);
  t.is(bus.memoryAt(0x4001000)?.kind, 'rom', 'array mode: served from memory');
  t.is(bus.read32(0x4001000), 0x12345678);
  const changed: number[] = [];
  bus.onCodeWrite((p) => changed.push(p));
  bus.write32(0x4000000, 0x90);                     // a CPU write to the ROM is a command
  t.is(bus.memoryAt(0x4001000), null, 'identifier mode: the MMIO model answers');
  t.is(bus.read32(0x4000000), 0x00890089);
  bus.write32(0x4000000, 0x40);
  bus.write32(0x4002000, 0x0000ffff);
  bus.write32(0x4000000, 0xff);
  t.is(bus.memoryAt(0x4002000)?.kind, 'rom');
  t.is(bus.read32(0x4002000), 0x0000ffff);
  t.deepEqual(changed, [0x4002000], 'programmed page reported for decoded-code invalidation');
  bus.addRom('boot', 0x8000000, 0x1000);
  bus.write8(0x8000000, 1);
  t.deepEqual(other, [0x8000000], 'writes to other ROM go to the fallback');
});

test('an erased bank nothing wrote keeps no bytes: a register window reading 0xff, ROM once something programs it', (t) => {
  const bus = new Bus({ littleEndian: true });
  const bank = smallBank();
  const mapper = new FlashRomdMapper(bus);
  mapper.add(0x4000000, bank);
  t.false(bank.allocated, 'building the bank makes no bytes');
  t.is(bus.memoryAt(0x4000000), null, 'not mapped as memory yet');
  t.is(bus.read32(0x40ffffc) >>> 0, 0xffffffff, 'erased flash reads all ones in array mode');
  t.is(bus.read8(0x4000003), 0xff);
  t.false(bank.allocated, 'reading does not make them');
  // Word program (0x40, then the data) at +0x2000: the bank makes its bytes and becomes ROM.
  bus.write32(0x4002000, 0x00400040);
  bus.write32(0x4002000, 0x12345678);
  bus.write32(0x4000000, 0x00ff00ff);
  t.true(bank.allocated);
  t.is(bus.memoryAt(0x4002000)?.kind, 'rom', 'array mode with bytes: served from memory');
  t.is(bus.read32(0x4002000), 0x12345678);
  t.is(bus.read32(0x4002004) >>> 0, 0xffffffff, 'the rest still reads erased');
});

test('a loader placing an image in an erased bank makes its bytes first (Bus.materializeMemory)', (t) => {
  const bus = new Bus({ littleEndian: true });
  const banks = [smallBank(), smallBank()];
  const mapper = new FlashRomdMapper(bus);
  mapper.add(0, banks[0]);
  mapper.add(1 * MiB, banks[1]);
  bus.materializeMemory(0x100, 0x20);
  t.true(banks[0].allocated, 'the bank under the range');
  t.false(banks[1].allocated, 'not the other one');
  t.is(bus.memoryAt(0x100)?.kind, 'rom');
  bus.loadBytes(0x100, Uint8Array.of(1, 2, 3, 4));
  t.is(bus.read32(0x100), 0x04030201);
});

test('snapshots of an erased bank stay without bytes, and a restored bank reads what was saved', (t) => {
  const ctx = testContext({
    name: 'flash@0',
    regs: [{ address: 0, size: 1 * MiB }, { address: 1 * MiB, size: 1 * MiB }],
    props: [stringProp('compatible', 'cfi-flash'), cellsProp('bank-width', 4)],
  });
  const flash = cfiFlashModel.factory(ctx).model as CfiFlash;
  const [a, b] = flash.banks.map((x) => x.bank);
  a.load(0x10, Uint8Array.of(0xaa, 0xbb));
  const saved = flash.snapshot();
  t.is(saved.banks[1].contents.pages.length, 0, 'the erased bank saves no page');
  t.false(b.allocated, 'saving did not make its bytes');
  a.load(0x10, Uint8Array.of(0, 0));
  flash.restore(saved);
  t.deepEqual([...a.bytes.subarray(0x10, 0x12)], [0xaa, 0xbb]);
  t.false(b.allocated, 'restoring an erased image leaves the bank without bytes');
  t.deepEqual(flash.ownedMemory(), [a.bytes], 'only banks with bytes own memory');
});

test('debuggers and the test API read an erased bank without bytes as all ones, and a programmed one as programmed (MmioDevice.peek)', (t) => {
  const bus = new Bus({ littleEndian: true });
  const bank = smallBank();
  new FlashRomdMapper(bus).add(0x4000000, bank);
  t.deepEqual([...bus.readBytes(0x4000ffe, 4)], [0xff, 0xff, 0xff, 0xff]);
  t.false(bank.allocated, 'peeking makes no bytes');
  bank.load(0x1000, Uint8Array.of(1, 2));
  bus.write32(0x4000000, 0x00900090); // read identifier: the window is the bank's registers now
  t.is(bus.memoryAt(0x4001000), null);
  t.deepEqual([...bus.readBytes(0x4001000, 3)], [1, 2, 0xff], 'the array, whatever mode the bank is in');
});
