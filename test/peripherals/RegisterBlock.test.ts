import test from 'ava';
import { RegisterBlock, type RegisterSpec } from '../../peripherals/RegisterBlock.ts';
import { DeviceAccessLog } from '../../peripherals/DeviceAccessLog.ts';

function block(specs: RegisterSpec[], opts: { bigEndian?: boolean } = {}) {
  const lines: string[] = [];
  const log = new DeviceAccessLog('dev@1000', (m) => lines.push(m), { currentPc: () => 0x8000 }, 0x1000);
  return { b: new RegisterBlock('dev@1000', specs, log, opts), lines };
}

test('reset values are what a read returns after construction and after reset()', (t) => {
  const { b } = block([
    { name: 'A', offset: 0, reset: 0x300 },
    { name: 'B', offset: 4, reset: 0x12, width: 1 },
  ]);
  t.is(b.read(0, 4), 0x300);
  t.is(b.read(4, 1), 0x12);
  b.write(0, 4, 0xdead);
  t.is(b.read(0, 4), 0xdead);
  b.reset();
  t.is(b.read(0, 4), 0x300);
});

test('R ignores writes and logs them; W stores but reads as zero', (t) => {
  const { b, lines } = block([
    { name: 'RO', offset: 0, access: 'R', reset: 0x90 },
    { name: 'WO', offset: 4, access: 'W' },
  ]);
  b.write(0, 4, 0xffffffff);
  t.is(b.read(0, 4), 0x90);
  t.is(lines.length, 1);
  t.regex(lines[0], /dev@1000: write of 0xffffffff to read-only register RO ignored at pc 0x00008000/);
  b.write(4, 4, 0x55);
  t.is(b.read(4, 4), 0);
  t.is(b.snapshot().values.WO, 0x55);
});

test('W1C clears written ones, W1S sets them, zeros leave bits alone', (t) => {
  const { b } = block([
    { name: 'ST', offset: 0, access: 'W1C', reset: 0xf0 },
    { name: 'EN', offset: 4, access: 'W1S', reset: 0x01 },
  ]);
  b.write(0, 4, 0x30);
  t.is(b.read(0, 4), 0xc0);
  b.write(0, 4, 0);
  t.is(b.read(0, 4), 0xc0);
  b.write(4, 4, 0x80000000);
  t.is(b.read(4, 4), 0x80000001);
});

test('RC returns the bits then clears them', (t) => {
  const { b } = block([{ name: 'EV', offset: 0, access: 'RC', reset: 0x5 }]);
  t.is(b.read(0, 4), 0x5);
  t.is(b.read(0, 4), 0);
});

test('WriteOnce keeps the first write until reset', (t) => {
  const { b } = block([{ name: 'LOCK', offset: 0, access: 'WriteOnce' }]);
  b.write(0, 4, 0xa);
  b.write(0, 4, 0xb);
  t.is(b.read(0, 4), 0xa);
  b.reset();
  b.write(0, 4, 0xb);
  t.is(b.read(0, 4), 0xb);
});

test('fields carry their own access; bits outside fields are reserved', (t) => {
  const written: Array<[number, number]> = [];
  const { b } = block([{
    name: 'CTRL', offset: 0, reset: 0x80000000,
    fields: [
      { name: 'EN', lsb: 0, width: 1 },
      { name: 'IRQ', lsb: 4, width: 2, access: 'W1C' },
      { name: 'MODE', lsb: 8, width: 4, onWrite: (v, p) => written.push([v, p]) },
      { name: 'BUSY', lsb: 16, width: 1, access: 'R', value: () => 1 },
    ],
  }]);
  // Reserved bit 31 keeps its reset value; BUSY comes from the provider.
  t.is(b.read(0, 4), 0x80010000);
  b.write(0, 4, 0xffffffff);
  t.is(b.read(0, 4), 0x80010f01);
  t.deepEqual(written, [[0xf, 0]]);
  b.reg('CTRL').value |= 0x30; // device raises both IRQ bits
  b.write(0, 4, 0x10 | 0xf01);
  t.is(b.read(0, 4), 0x80010f21);
});

test('value providers, read/write callbacks and array registers get the instance index', (t) => {
  const seen: string[] = [];
  const { b } = block([{
    name: 'PRIO', offset: 0x10, count: 4, stride: 4,
    value: (i) => 0x10 * i,
    onRead: (v, i) => seen.push(`r${i}=${v}`),
    onWrite: (v, p, i, w) => seen.push(`w${i}:${w}`),
  }]);
  t.is(b.read(0x18, 4), 0x20);
  b.write(0x1c, 4, 7);
  t.deepEqual(seen, ['r2=32', 'w3:7']);
  t.is(b.snapshot().values.PRIO3, 7);
});

test('narrow accesses use the byte lanes of the register (little-endian)', (t) => {
  const { b } = block([{ name: 'R', offset: 0, reset: 0x44332211 }]);
  t.is(b.read(1, 1), 0x22);
  t.is(b.read(2, 2), 0x4433);
  b.write(3, 1, 0xaa);
  t.is(b.read(0, 4), 0xaa332211);
});

test('narrow accesses use big-endian lanes on big-endian boards', (t) => {
  const { b } = block([{ name: 'R', offset: 0, reset: 0x44332211 }], { bigEndian: true });
  t.is(b.read(0, 1), 0x44);
  t.is(b.read(2, 2), 0x2211);
  b.write(3, 1, 0xaa);
  t.is(b.read(0, 4), 0x443322aa);
});

test('narrowWrites: false ignores partial writes and says so', (t) => {
  const { b, lines } = block([{ name: 'CMD', offset: 0, narrowWrites: false }]);
  b.write(0, 1, 0xff);
  t.is(b.read(0, 4), 0);
  t.regex(lines[0], /1-byte write to 4-byte register CMD ignored/);
});

test('a wide access over byte registers is split into them', (t) => {
  const { b } = block([{ name: 'P', offset: 0, width: 1, count: 8, reset: (i) => i + 1 }]);
  t.is(b.read(4, 4), 0x08070605);
  b.write(0, 4, 0xa0b0c0d0);
  t.is(b.read(0, 1), 0xd0);
  t.is(b.read(3, 1), 0xa0);
});

test('unknown offsets read as zero, ignore writes, and log offset, address, size, value and pc', (t) => {
  const { b, lines } = block([{ name: 'A', offset: 0, reset: 1 }]);
  t.is(b.read(0x40, 4), 0);
  b.write(0x44, 2, 0x1234);
  t.is(lines.length, 2);
  t.is(lines[0], 'dev@1000: read of unknown offset +0x40 (0x00001040, 4 bytes) = 0x0 at pc 0x00008000');
  t.is(lines[1], 'dev@1000: write of unknown offset +0x44 (0x00001044, 2 bytes) of 0x1234 at pc 0x00008000');
  t.is(b.read(0, 4), 1);
});

test('a partly known access returns the known bytes and logs the unknown part', (t) => {
  const { b, lines } = block([{ name: 'A', offset: 0, width: 2, reset: 0xbeef }]);
  t.is(b.read(0, 4), 0xbeef);
  t.is(lines.length, 1);
});

test('snapshot and restore round-trip as plain data', (t) => {
  const { b } = block([
    { name: 'A', offset: 0 },
    { name: 'O', offset: 4, access: 'WriteOnce' },
  ]);
  b.write(0, 4, 0x1234);
  b.write(4, 4, 9);
  const snap = JSON.parse(JSON.stringify(b.snapshot()));
  b.reset();
  b.restore(snap);
  t.is(b.read(0, 4), 0x1234);
  b.write(4, 4, 10);
  t.is(b.read(4, 4), 9);
});

test('dump lists each register with offset, value and fields, without read side effects', (t) => {
  let reads = 0;
  const { b } = block([
    { name: 'DATA', offset: 0, value: () => 0x41, onRead: () => reads++ },
    { name: 'CTRL', offset: 4, reset: 0x301, fields: [{ name: 'EN', lsb: 0, width: 1 }, { name: 'TXE', lsb: 8, width: 1 }] },
    { name: 'EV', offset: 8, access: 'RC', reset: 3 },
  ]);
  const text = b.dump();
  t.regex(text, /\+0x000 DATA = 0x00000041/);
  t.regex(text, /\+0x004 CTRL = 0x00000301 {2}EN=0x1 TXE=0x1/);
  t.is(reads, 0);
  t.is(b.read(8, 4), 3);
});

test('overlapping and misaligned declarations are rejected when the block is built', (t) => {
  t.throws(() => block([{ name: 'A', offset: 0 }, { name: 'B', offset: 2, width: 2 }]), { message: /overlaps/ });
  t.throws(() => block([{ name: 'A', offset: 2 }]), { message: /not aligned/ });
});
