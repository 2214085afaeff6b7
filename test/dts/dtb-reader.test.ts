import test, { type ExecutionContext } from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeviceTree } from '../../dts/model/DeviceTree.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import { readDtb } from '../../dts/blob/DtbReader.ts';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import { printDts } from '../../dts/print/DtsPrinter.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** QEMU's own DTBs, dumped from the reference machines (../shared/oracle/README.md). */
const oracle = (board: string) => join(repoRoot, '..', 'shared', 'oracle', board, 'board.dtb');

function dtc(args: string[], input: string | Uint8Array): Buffer {
  return execFileSync('dtc', ['-q', ...args, '-'], { input, maxBuffer: 1 << 24, stdio: ['pipe', 'pipe', 'pipe'] });
}

function readOracle(t: ExecutionContext, board: string): Uint8Array {
  const file = oracle(board);
  if (!existsSync(file)) t.fail(`missing ${file}: the QEMU oracle data is needed for this test`);
  return new Uint8Array(readFileSync(file));
}

for (const board of ['arm-virt', 'ppc-e500']) {
  test(`${board}: read then write gives a blob dtc sees as the original (dtc -s)`, (t) => {
    const original = readOracle(t, board);
    const ours = writeDtb(readDtb(original, `${board}.dtb`));
    t.is(dtc(['-s', '-I', 'dtb', '-O', 'dts'], ours).toString(), dtc(['-s', '-I', 'dtb', '-O', 'dts'], original).toString());
    // QEMU's blob is padded to 1 MiB and laid out by libfdt; dtc re-flattening it must give our bytes exactly.
    t.deepEqual(Buffer.from(ours), dtc(['-I', 'dtb', '-O', 'dtb'], original));
  });

  test(`${board}: values are typed as dtc types them, so our .dts matches dtc's`, (t) => {
    const original = readOracle(t, board);
    // dtc 1.6 writes a string list as one literal with \0 inside; we write "a", "b".
    const ours = printDts(readDtb(original, `${board}.dtb`)).replaceAll('", "', '\\0');
    t.is(ours, dtc(['-I', 'dtb', '-O', 'dts'], original).toString());
  });
}

test('arm-virt: known values come out with the right types', (t) => {
  const tree = readDtb(readOracle(t, 'arm-virt'), 'arm-virt.dtb');
  const uart = tree.nodeAt('/pl011@9000000');
  t.deepEqual(uart?.property('compatible')?.value, [
    { kind: 'string', value: 'arm,pl011' },
    { kind: 'string', value: 'arm,primecell' },
  ]);
  t.deepEqual(uart?.property('reg')?.value, [{ kind: 'cells', bits: 32, cells: [0n, 0x9000000n, 0n, 0x1000n] }]);
  t.deepEqual(tree.nodeAt('/chosen')?.property('stdout-path')?.value, [{ kind: 'string', value: '/pl011@9000000' }]);
  t.deepEqual(tree.nodeAt('/intc@8000000')?.property('ranges')?.value, [], 'boolean property');
  t.is(tree.nodeAt('/cpus/cpu-map/socket0/cluster0/core0')?.path, '/cpus/cpu-map/socket0/cluster0/core0');
  t.deepEqual(tree.memoryReservations, []);
  t.is(tree.bootCpuId, 0);
});

test('ppc-e500: an empty bootargs string is one NUL byte, which dtc shows as bytes', (t) => {
  const tree = readDtb(readOracle(t, 'ppc-e500'), 'ppc-e500.dtb');
  t.deepEqual(tree.nodeAt('/chosen')?.property('bootargs')?.value, [{ kind: 'bytes', bytes: Uint8Array.of(0) }]);
  t.deepEqual(tree.nodeAt('/aliases')?.property('rtc')?.value, [{ kind: 'string', value: 'i2c/rtc@68' }]);
});

test('a version 16 blob (no size_dt_struct) reads like the version 17 one', (t) => {
  const source = '/dts-v1/;\n/memreserve/ 0x1000 0x2000;\n/ { compatible = "a", "b"; n@1 { reg = <1>; x = [01 02 03]; }; };\n';
  const v16 = new Uint8Array(dtc(['-V', '16', '-I', 'dts', '-O', 'dtb'], source));
  t.is(new DataView(v16.buffer, v16.byteOffset).getUint32(20), 16);
  const tree = readDtb(v16, 'v16.dtb');
  t.deepEqual(Buffer.from(writeDtb(tree)), dtc(['-I', 'dts', '-O', 'dtb'], source));
});

test('dtc guesses: strings need a final NUL, printable bytes and no more NULs than text', (t) => {
  const source = `/dts-v1/;
/ {
	list = "ab", "", "cd";
	too-many-nuls = "a", "", "", "";
	no-final-nul = [61 62];
	control = "line\\n";
	high = [c3 a9 00 00];
	odd = [01 02 03 04 05];
};
`;
  const root = readDtb(new Uint8Array(dtc(['-I', 'dts', '-O', 'dtb'], source)), 'g.dtb').root;
  const value = (name: string) => root.property(name)?.value;
  t.deepEqual(value('list'), [
    { kind: 'string', value: 'ab' },
    { kind: 'string', value: '' },
    { kind: 'string', value: 'cd' },
  ]);
  t.deepEqual(value('too-many-nuls'), [{ kind: 'bytes', bytes: Uint8Array.of(0x61, 0, 0, 0, 0) }]);
  t.deepEqual(value('no-final-nul'), [{ kind: 'bytes', bytes: Uint8Array.of(0x61, 0x62) }]);
  t.deepEqual(value('control'), [{ kind: 'string', value: 'line\n' }]);
  t.deepEqual(value('high'), [{ kind: 'cells', bits: 32, cells: [0xc3a90000n] }], 'non-ASCII is not a string for dtc');
  t.deepEqual(value('odd'), [{ kind: 'bytes', bytes: Uint8Array.of(1, 2, 3, 4, 5) }]);
});

// ---- corrupt and truncated blobs -------------------------------------------------------

const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;

/** Structure-block pieces, built by hand from DTSpec 5.4 so the tests do not trust our writer. */
const begin = (name: string): number[] => {
  const bytes = [...Buffer.from(`${name}\0`, 'latin1')];
  while (bytes.length % 4 !== 0) bytes.push(0);
  return [...be32(FDT_BEGIN_NODE), ...bytes];
};
const propTok = (nameoff: number, value: number[]): number[] => {
  const padded = [...value];
  while (padded.length % 4 !== 0) padded.push(0);
  return [...be32(FDT_PROP), ...be32(value.length), ...be32(nameoff), ...padded];
};
const tok = (token: number): number[] => be32(token);
function be32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

interface BlobParts {
  reservations?: Array<[number, number]>;
  terminateReservations?: boolean;
  struct: number[];
  strings: string;
  version?: number;
}

/** Header (40 bytes), reservations at 40, structure block, strings block: the layout of 5.1. */
function buildBlob(parts: BlobParts): Uint8Array {
  const rsv: number[] = [];
  for (const [a, s] of parts.reservations ?? []) rsv.push(...be32(0), ...be32(a), ...be32(0), ...be32(s));
  if (parts.terminateReservations !== false) rsv.push(...new Array(16).fill(0));
  const strings = [...Buffer.from(parts.strings, 'latin1')];
  const structOff = 40 + rsv.length;
  const stringsOff = structOff + parts.struct.length;
  const total = stringsOff + strings.length;
  const header = [0xd00dfeed, total, structOff, stringsOff, 40, parts.version ?? 17, 16, 0, strings.length, parts.struct.length].flatMap(be32);
  return Uint8Array.from([...header, ...rsv, ...parts.struct, ...strings]);
}

const GOOD: BlobParts = {
  reservations: [[0x1000, 0x2000]],
  struct: [...begin(''), ...propTok(0, [...Buffer.from('x\0')]), ...begin('a@1'), ...propTok(11, be32(1)), ...tok(FDT_END_NODE), ...tok(FDT_END_NODE), ...tok(FDT_END)],
  strings: 'compatible\0reg\0',
};

function patched(blob: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = blob.slice();
  new DataView(copy.buffer).setUint32(offset, value);
  return copy;
}

function readError(t: ExecutionContext, blob: Uint8Array): string {
  const err = t.throws(() => readDtb(blob, 'bad.dtb'), { instanceOf: InputError });
  return err?.message ?? '';
}

test('the hand-built blob the corruption tests start from is itself valid', (t) => {
  const tree = readDtb(buildBlob(GOOD), 'good.dtb');
  t.deepEqual(tree.memoryReservations, [[0x1000n, 0x2000n]]);
  t.deepEqual(tree.root.property('compatible')?.value, [{ kind: 'string', value: 'x' }]);
  t.deepEqual(tree.nodeAt('/a@1')?.property('reg')?.value, [{ kind: 'cells', bits: 32, cells: [1n] }]);
  // dtc agrees it is a valid blob.
  t.regex(dtc(['-I', 'dtb', '-O', 'dts'], buildBlob(GOOD)).toString(), /a@1 \{\n\t\treg = <0x01>;/);
});

test('FDT_NOP tokens anywhere in the structure block are skipped', (t) => {
  const struct = [...tok(FDT_NOP), ...begin(''), ...tok(FDT_NOP), ...propTok(0, [...Buffer.from('x\0')]), ...tok(FDT_NOP), ...tok(FDT_END_NODE), ...tok(FDT_NOP), ...tok(FDT_END)];
  const tree = readDtb(buildBlob({ struct, strings: 'compatible\0' }), 'nop.dtb');
  t.deepEqual(tree.root.property('compatible')?.value, [{ kind: 'string', value: 'x' }]);
});

test('header errors name the file, the byte offset and the field', (t) => {
  const good = buildBlob(GOOD);
  t.is(readError(t, new Uint8Array(0)), 'error: bad.dtb: at byte 0x0: truncated: 0 bytes is too short for a device tree blob header');
  t.is(readError(t, patched(good, 0, 0x12345678)), 'error: bad.dtb: at byte 0x0: not a device tree blob: magic is 0x12345678, expected 0xd00dfeed');
  t.is(readError(t, good.slice(0, 20)), 'error: bad.dtb: at byte 0x14: truncated: the header needs at least 36 bytes, the file has 20');
  t.is(readError(t, good.slice(0, good.length - 3)), `error: bad.dtb: at byte 0x${(good.length - 3).toString(16)}: truncated: the header says totalsize 0x${good.length.toString(16)}, the file has 0x${(good.length - 3).toString(16)} bytes`);
  t.is(readError(t, patched(good, 0x14, 15)), 'error: bad.dtb: at byte 0x14: version 15 is not supported (versions 16 and 17 are)');
  t.is(readError(t, patched(good, 0x18, 18)), 'error: bad.dtb: at byte 0x18: last compatible version 18 is newer than version 17, the newest this reader knows');
  t.is(readError(t, patched(good, 0x04, 20)), 'error: bad.dtb: at byte 0x4: totalsize 0x14 is smaller than the 40-byte header');
});

test('block offsets and sizes are checked against the header, totalsize and alignment', (t) => {
  const good = buildBlob(GOOD);
  const view = new DataView(good.buffer);
  const structOff = view.getUint32(8);
  t.is(readError(t, patched(good, 0x08, structOff + 2)), `error: bad.dtb: at byte 0x8: off_dt_struct 0x${(structOff + 2).toString(16)} is not aligned to 4 bytes`);
  t.is(readError(t, patched(good, 0x08, 0x10)), 'error: bad.dtb: at byte 0x8: off_dt_struct 0x10 points into the header');
  t.is(readError(t, patched(good, 0x10, 0x2c)), 'error: bad.dtb: at byte 0x10: off_mem_rsvmap 0x2c is not aligned to 8 bytes');
  t.is(readError(t, patched(good, 0x0c, 0x10000)), `error: bad.dtb: at byte 0xc: off_dt_strings 0x10000 is past totalsize 0x${good.length.toString(16)}`);
  t.regex(readError(t, patched(good, 0x24, 0x1000)), /^error: bad\.dtb: at byte 0x24: the structure block \(0x48, 0x1000 bytes\) runs past totalsize/);
  t.regex(readError(t, patched(good, 0x20, 0x1000)), /^error: bad\.dtb: at byte 0x20: the strings block .* runs past totalsize/);
  t.is(readError(t, patched(good, 0x24, 6)), 'error: bad.dtb: at byte 0x24: size_dt_struct 0x6 is not a multiple of 4');
  // The strings block moved back into the structure block.
  t.regex(readError(t, patched(good, 0x0c, structOff + 8)), /the structure block and the strings block overlap/);
});

test('a memory reservation block without its zero entry is an error', (t) => {
  // No terminator: the list runs on through the structure and strings blocks (no 16 zero
  // bytes there) until an entry would cross totalsize 0x83, the one at 0x78.
  const blob = buildBlob({ ...GOOD, terminateReservations: false });
  t.is(readError(t, blob), 'error: bad.dtb: at byte 0x78: the memory reservation block runs past totalsize without its terminating zero entry');
  // A blob that ends inside the reservation list.
  const short = buildBlob({ struct: [], strings: '', reservations: [[1, 1]], terminateReservations: false });
  t.regex(readError(t, short), /^error: bad\.dtb: at byte 0x38: the memory reservation block runs past totalsize without its terminating zero entry/);
});

test('structure block errors name the offset of the bad token', (t) => {
  const S = 'compatible\0reg\0';
  const at = (n: number) => `0x${(0x38 + n).toString(16)}`; // structure block starts at 0x38 with no reservations
  const cases: Array<[string, number[], string]> = [
    ['unknown token', [...begin(''), ...tok(7)], `at byte ${at(8)}: unknown token 0x7 in the structure block`],
    ['no FDT_END', [...begin(''), ...tok(FDT_END_NODE)], `at byte ${at(12)}: the structure block ends without FDT_END`],
    ['ends inside a node', [...begin(''), ...begin('a')], `at byte ${at(16)}: the structure block ends inside a node (truncated?)`],
    ['property before the root', [...propTok(0, []), ...begin('')], `at byte ${at(0)}: FDT_PROP outside any node`],
    ['extra FDT_END_NODE', [...begin(''), ...tok(FDT_END_NODE), ...tok(FDT_END_NODE)], `at byte ${at(12)}: FDT_END_NODE outside any node`],
    ['FDT_END inside a node', [...begin(''), ...begin('a'), ...tok(FDT_END)], `at byte ${at(16)}: FDT_END inside node /a (missing FDT_END_NODE)`],
    ['FDT_END before the root', [...tok(FDT_END)], `at byte ${at(0)}: FDT_END before the root node`],
    ['second root', [...begin(''), ...tok(FDT_END_NODE), ...begin(''), ...tok(FDT_END_NODE), ...tok(FDT_END)], `at byte ${at(12)}: a second root node after the first one ended`],
    ['named root', [...begin('x'), ...tok(FDT_END_NODE), ...tok(FDT_END)], `at byte ${at(0)}: the root node is named "x", expected an empty name`],
    ['name offset outside strings', [...begin(''), ...propTok(99, []), ...tok(FDT_END_NODE), ...tok(FDT_END)], `at byte ${at(16)}: property name offset 0x63 is outside the strings block (0xf bytes)`],
    ['value past block', [...begin(''), ...be32(FDT_PROP), ...be32(0x100), ...be32(0), ...tok(FDT_END_NODE), ...tok(FDT_END)], `at byte ${at(8)}: property value of 0x100 bytes runs past the end of the structure block`],
    ['property after a child', [...begin(''), ...begin('a'), ...tok(FDT_END_NODE), ...propTok(0, []), ...tok(FDT_END_NODE), ...tok(FDT_END)], `at byte ${at(20)}: property "compatible" of / comes after a child node`],
    ['duplicate property', [...begin(''), ...propTok(0, []), ...propTok(0, []), ...tok(FDT_END_NODE), ...tok(FDT_END)], `at byte ${at(20)}: duplicate property "compatible" in /`],
    ['duplicate node', [...begin(''), ...begin('a'), ...tok(FDT_END_NODE), ...begin('a'), ...tok(FDT_END_NODE), ...tok(FDT_END_NODE), ...tok(FDT_END)], `at byte ${at(20)}: duplicate node a under /`],
    ['empty child name', [...begin(''), ...begin(''), ...tok(FDT_END_NODE), ...tok(FDT_END_NODE), ...tok(FDT_END)], `at byte ${at(8)}: node name "" under / is empty or contains '/'`],
    ['name without NUL', [...be32(FDT_BEGIN_NODE), 0x61, 0x62, 0x63, 0x64], `at byte ${at(4)}: node name runs past the end of the structure block`],
  ];
  for (const [what, struct, message] of cases) {
    t.is(readError(t, buildBlob({ struct, strings: S })), `error: bad.dtb: ${message}`, what);
  }
  // A property name whose NUL is missing from the strings block.
  const noNul = buildBlob({ struct: [...begin(''), ...propTok(0, []), ...tok(FDT_END_NODE), ...tok(FDT_END)], strings: 'abc' });
  t.regex(readError(t, noNul), /at byte 0x[0-9a-f]+: property name runs past the end of the strings block/);
});

test('every truncation and every single-byte corruption gives a tree or an InputError, never a crash', (t) => {
  const good = buildBlob(GOOD);
  const outcomes = { tree: 0, error: 0 };
  const attempt = (blob: Uint8Array) => {
    try {
      t.true(readDtb(blob, 'fuzz.dtb') instanceof DeviceTree);
      outcomes.tree++;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      t.regex(e.message, /^error: fuzz\.dtb: at byte 0x[0-9a-f]+: /);
      outcomes.error++;
    }
  };
  for (let len = 0; len < good.length; len++) {
    attempt(good.slice(0, len));
    // Also with totalsize claiming the shorter length, so the block checks are reached.
    if (len >= 8) attempt(patched(good.slice(0, len), 4, len));
  }
  for (let i = 0; i < good.length; i++) {
    for (const mask of [0x01, 0x80, 0xff]) {
      const bad = good.slice();
      bad[i] ^= mask;
      attempt(bad);
    }
  }
  t.true(outcomes.error > good.length, 'most corruptions are caught');
  t.true(outcomes.tree > 0, 'corrupting a property value still reads');
});
