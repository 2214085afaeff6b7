import test from 'ava';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { decodeState, encodeState } from '../../src/snapshot/StateCodec.ts';
import { decodePagesInto, encodePages } from '../../src/snapshot/PageImage.ts';
import { readSnapshotHeader, readSnapshotState, SnapshotError, writeSnapshot, SNAPSHOT_FORMAT_VERSION } from '../../src/snapshot/SnapshotFile.ts';

// The snapshot container on its own: state encoding, page images, the file header and its checks.

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

const board = { hash: 'ab'.repeat(32), description: '"test" (test.xml)' };
const other = { hash: 'cd'.repeat(32), description: '"other" (other.xml)' };

test('state round trip: nested data, typed arrays of every kind with their exact bits, non-finite numbers', (t) => {
  const state = {
    n: 1.5, big: 2 ** 53 - 1, neg: -7, inf: Infinity, ninf: -Infinity, s: 'é\u0000x', b: true, z: null,
    regs: Int32Array.of(-1, 0x7fffffff, -0x80000000), words: Uint32Array.of(0xffffffff), bytes: Uint8Array.of(1, 2, 3),
    halves: Uint16Array.of(0xbeef), shorts: Int16Array.of(-2), doubles: Float64Array.of(Math.PI, -0), singles: Float32Array.of(0.1),
    list: [Uint8Array.of(9), { deep: [1, 'two'] }],
  };
  const back = decodeState(encodeState(state)) as typeof state;
  t.deepEqual(back, state);
  t.true(back.regs instanceof Int32Array && back.doubles instanceof Float64Array);
  t.true(Object.is(back.doubles[1], -0));
  t.is(back.inf, Infinity);
  // A typed array that is a view into a larger buffer keeps only its own elements.
  const buffer = new Int32Array([1, 2, 3, 4]);
  t.deepEqual(decodeState(encodeState({ v: buffer.subarray(1, 3) })), { v: Int32Array.of(2, 3) });
});

test('page images keep only pages that differ from the fill byte and restore the rest to it', (t) => {
  const ram = new Uint8Array(5 * 4096 + 100);
  ram[4096 + 7] = 0x55; // page 1
  ram[5 * 4096 + 99] = 0xaa; // the short last page
  const image = encodePages(ram);
  t.deepEqual([...image.pages], [1, 5]);
  t.is(image.data.length, 4096 + 100);
  const back = new Uint8Array(ram.length).fill(0x33);
  decodePagesInto(image, back, 'ram');
  t.deepEqual(back, ram);
  const flash = new Uint8Array(3 * 4096).fill(0xff);
  flash[2 * 4096] = 0;
  t.deepEqual([...encodePages(flash, 0xff).pages], [2]);
  t.throws(() => decodePagesInto(image, new Uint8Array(4096), 'ram'), { message: /ram: the snapshot holds 20580 bytes, the board has 4096/ });
});

test('the file starts with the magic and format version, names its board, and round-trips its state', (t) => {
  const bytes = writeSnapshot(board, { answer: 42 });
  t.is(Buffer.from(bytes.subarray(0, 8)).toString('latin1'), 'TSKVMSNP');
  t.is(new DataView(bytes.buffer).getUint32(8, true), SNAPSHOT_FORMAT_VERSION);
  const header = readSnapshotHeader(bytes, 'a.snap');
  t.deepEqual(header.board, board);
  t.deepEqual(readSnapshotState(header, board, 'a.snap'), { answer: 42 });
});

test('RAM that is mostly zero makes a small file (zero pages skipped, the rest deflated)', (t) => {
  const ram = new Uint8Array(64 << 20);
  ram.set(new TextEncoder().encode('firmware '.repeat(1000)), 0x100000);
  const bytes = writeSnapshot(board, { ram: encodePages(ram) as never });
  t.true(bytes.length < 4096, `${bytes.length} bytes`);
});

test('bad files are SnapshotErrors that say what is wrong', (t) => {
  const good = writeSnapshot(board, { x: 1 });
  const err = (bytes: Uint8Array, b = board) => t.throws(() => readSnapshotState(readSnapshotHeader(bytes, 'f.snap'), b, 'f.snap'), { instanceOf: SnapshotError })!.message;
  t.is(err(new TextEncoder().encode('ELF\u0001 not a snapshot')), 'f.snap is not a tskvm snapshot (it does not start with "TSKVMSNP")');
  t.is(err(new Uint8Array(0)), 'f.snap is not a tskvm snapshot (it does not start with "TSKVMSNP")');
  for (const n of [8, 20, 50, good.length - 1]) t.is(err(good.subarray(0, n)), `f.snap is truncated (${n} bytes): the snapshot is incomplete`);
  const newer = good.slice();
  new DataView(newer.buffer).setUint32(8, SNAPSHOT_FORMAT_VERSION + 1, true);
  t.is(err(newer), `f.snap is a snapshot in format version ${SNAPSHOT_FORMAT_VERSION + 1}; this tskvm reads version ${SNAPSHOT_FORMAT_VERSION}`);
  const flipped = good.slice();
  flipped[flipped.length - 3] ^= 0x40;
  t.is(err(flipped), 'f.snap is corrupt: its contents do not match their checksum');
  t.regex(err(Uint8Array.from([...good, 0])), /^f\.snap has 1 bytes after the end of the snapshot: it is corrupt$/);
  t.is(
    err(good, other),
    'f.snap was taken on board "test" (test.xml) (board hash abababababababab…), not on "other" (other.xml) (board hash cdcdcdcdcdcdcdcd…): ' +
      'a snapshot restores only into the board, firmware and guests it was taken on',
  );
});

test('a payload with a valid checksum that does not decode is reported as corrupt, not as a crash', (t) => {
  // Hand-made: right header and checksum over a payload that is not deflated state.
  const good = writeSnapshot(board, { x: 1 });
  const header = readSnapshotHeader(good, 'g.snap');
  const bogus = { ...header, payload: Uint8Array.of(1, 2, 3), payloadHash: new Uint8Array(sha256(Uint8Array.of(1, 2, 3))) };
  t.regex(t.throws(() => readSnapshotState(bogus, board, 'g.snap'))!.message, /^g\.snap is corrupt: it does not decompress$/);
  const notState = deflateSync(Uint8Array.of(0xff, 0xff, 0xff, 0x7f, 1));
  const bad = { ...header, payload: notState, payloadHash: new Uint8Array(sha256(notState)) };
  t.regex(t.throws(() => readSnapshotState(bad, board, 'g.snap'))!.message, /^g\.snap is corrupt: the state is shorter than its JSON part says$/);
});
