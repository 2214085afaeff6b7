import test, { type ExecutionContext } from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeviceTree, DtNode, type DtProperty, type ValueSegment } from '../../dts/model/DeviceTree.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import { loadFragment } from '../../dts/board/BoardLoader.ts';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import { printDts } from '../../dts/print/DtsPrinter.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function dtc(args: string[], input: string | Uint8Array): Buffer {
  return execFileSync('dtc', ['-q', ...args, '-'], { input, maxBuffer: 1 << 24, stdio: ['pipe', 'pipe', 'pipe'] });
}

const u32 = (...values: Array<bigint | string>): ValueSegment => ({ kind: 'cells', bits: 32, cells: values.map((v) => (typeof v === 'bigint' ? v : { ref: v })) });
const str = (value: string): ValueSegment => ({ kind: 'string', value });
const prop = (name: string, ...value: ValueSegment[]): DtProperty => ({ name, value });

function tree(build: (root: DtNode) => void, reservations: Array<[bigint, bigint]> = []): DeviceTree {
  const t = new DeviceTree(new DtNode(''), reservations);
  build(t.root);
  return t;
}

function child(parent: DtNode, name: string, props: DtProperty[], labels: string[] = []): DtNode {
  const n = parent.addChild(new DtNode(name));
  n.properties.push(...props);
  n.labels.push(...labels);
  return n;
}

test('the .dts layout: header, memreserves, labels, blank line before each child, dtc-style numbers', (t) => {
  const t1 = tree(
    (root) => {
      root.properties.push(prop('#address-cells', u32(1n)), prop('model', str('m')));
      const gic = child(root, 'intc@1000', [prop('interrupt-controller'), prop('phandle', u32(1n))], ['gic', 'intc']);
      child(gic, 'frame@0', [prop('reg', u32(0n, 0x10n))]);
      child(root, 'uart@2000', [prop('interrupt-parent', u32('gic')), prop('x', { kind: 'cells', bits: 64, cells: [0x123456789n] }, { kind: 'bytes', bytes: Uint8Array.of(0xab, 0) })]);
    },
    [[0x1000n, 0x2000n]],
  );
  t.is(
    printDts(t1),
    `/dts-v1/;

/memreserve/\t0x0000000000001000 0x0000000000002000;
/ {
\t#address-cells = <0x01>;
\tmodel = "m";

\tgic: intc: intc@1000 {
\t\tinterrupt-controller;
\t\tphandle = <0x01>;

\t\tframe@0 {
\t\t\treg = <0x00 0x10>;
\t\t};
\t};

\tuart@2000 {
\t\tinterrupt-parent = <&gic>;
\t\tx = /bits/ 64 <0x123456789>, [ab 00];
\t};
};
`,
  );
});

test('string escapes: dtc reads every printable and control character back to the same bytes', (t) => {
  let all = '';
  for (let c = 1; c < 0x80; c++) all += String.fromCharCode(c);
  // A digit right after a \x escape must not be read as part of it.
  const tricky = '\x01' + '1' + '\x002' + ' é ✓ 😀';
  const t1 = tree((root) => root.properties.push(prop('all', str(all)), prop('tricky', str(tricky))));
  const compiled = dtc(['-I', 'dts', '-O', 'dtb'], printDts(t1));
  t.deepEqual(fdtBytes(compiled, '/', 'all'), Buffer.from(`${all}\0`, 'latin1'));
  t.deepEqual(fdtBytes(compiled, '/', 'tricky'), Buffer.from(`${tricky}\0`, 'utf8'), 'non-ASCII text is written as UTF-8');
  t.deepEqual(Buffer.from(writeDtb(t1)), compiled);
});

/** A property's raw bytes as libfdt's fdtget reads them from a blob. */
function fdtBytes(blob: Uint8Array, path: string, name: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-dts-'));
  try {
    const file = join(dir, 'x.dtb');
    writeFileSync(file, blob);
    const hex = execFileSync('fdtget', ['-t', 'bx', file, path, name]).toString().trim();
    return Buffer.from(hex.split(/\s+/).map((h) => parseInt(h, 16)));
  } finally {
    rmSync(dir, { recursive: true });
  }
}

test('labels on the root node are kept and can be referenced', (t) => {
  const t1 = tree((root) => {
    root.labels.push('top');
    root.properties.push(prop('phandle', u32(5n)), prop('self', u32('top')), prop('self-path', { kind: 'pathref', ref: 'top' }));
  });
  const text = printDts(t1);
  t.true(text.endsWith('top: &{/} {\n};\n'));
  const back = dtc(['-I', 'dts', '-O', 'dts'], text).toString();
  t.regex(back, /top: \/ \{/, 'dtc attached the label to the root');
  t.deepEqual(Buffer.from(writeDtb(t1)), dtc(['-I', 'dts', '-O', 'dtb'], text));
});

test('path references inside and outside cells', (t) => {
  const t1 = tree((root) => {
    const a = child(root, 'a@1', [prop('phandle', u32(3n))]);
    child(a, 'b', []);
    root.properties.push(prop('p', { kind: 'pathref', ref: '/a@1/b' }), prop('c', u32('/a@1', 9n)));
  });
  const text = printDts(t1);
  t.regex(text, /\tp = &\{\/a@1\/b\};/);
  t.regex(text, /\tc = <&\{\/a@1\} 0x09>;/);
  t.deepEqual(Buffer.from(writeDtb(t1)), dtc(['-I', 'dts', '-O', 'dtb'], text));
});

test('a boot CPU id other than 0 is noted, since .dts cannot say it', (t) => {
  const t1 = tree(() => {});
  t1.bootCpuId = 2;
  t.regex(printDts(t1), /\/\/ boot_cpuid_phys = 2: compile with dtc -b 2\n/);
});

function printError(t: ExecutionContext, tr: DeviceTree): string {
  return t.throws(() => printDts(tr), { instanceOf: InputError })?.message ?? '';
}

test('what dtc could not read back is an error, not bad output', (t) => {
  const pos = { file: 'b.xml', line: 3, column: 7 };
  const badNode = tree((root) => {
    const n = child(root, 'has space', []);
    n.pos = pos;
  });
  t.is(printError(t, badNode), 'b.xml:3:7: error: node name "has space" under /: dtc names may only use letters, digits and , . _ + * # ? @ -');
  const badProp = tree((root) => root.properties.push({ name: 'a=b', value: [], pos }));
  t.regex(printError(t, badProp), /^b\.xml:3:7: error: property name "a=b" in \//);
  const badLabel = tree((root) => {
    child(root, 'x', [], ['1abc']).pos = pos;
  });
  t.is(printError(t, badLabel), 'b.xml:3:7: error: label "1abc" of /x: dtc labels are a letter or _ followed by letters, digits or _');
  const dupLabel = tree((root) => {
    child(root, 'x', [], ['l']);
    child(root, 'y', [], ['l']).pos = pos;
  });
  t.is(printError(t, dupLabel), 'b.xml:3:7: error: label "l" is on both /x and /y');
  const missing = tree((root) => root.properties.push({ name: 'p', value: [u32('nowhere')], pos }));
  t.is(printError(t, missing), 'b.xml:3:7: error: property "p" of /: reference &nowhere: no node has the label "nowhere"');
  const wideRef = tree((root) => root.properties.push({ name: 'p', value: [{ kind: 'cells', bits: 16, cells: [{ ref: '/' }] }], pos }));
  t.is(printError(t, wideRef), 'b.xml:3:7: error: property "p" of /: reference &{/} in a /bits/ 16 array; references need 32-bit cells');
  const tooWide = tree((root) => root.properties.push({ name: 'p', value: [{ kind: 'cells', bits: 8, cells: [256n] }], pos }));
  t.is(printError(t, tooWide), 'b.xml:3:7: error: property "p" of /: value 256 does not fit in 8 bits');
  const missingPath = tree((root) => root.properties.push({ name: 'p', value: [{ kind: 'pathref', ref: '/x/y' }], pos }));
  t.is(printError(t, missingPath), 'b.xml:3:7: error: property "p" of /: reference &{/x/y}: no node at path /x/y');
});

test('a board fragment with labels and references prints to .dts that dtc compiles to our blob', (t) => {
  const { tree, diagnostics } = loadFragment(join(repoRoot, 'dts', 'arm', 'qemu-virt.xml'));
  t.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  if (tree === undefined) return;
  const text = printDts(tree);
  t.regex(text, /\tinterrupt-parent = <&gic>;/, 'references stay references');
  t.regex(text, /\tgic: intc@8000000 \{/, 'labels stay labels');
  t.deepEqual(Buffer.from(writeDtb(tree)), dtc(['-I', 'dts', '-O', 'dtb'], text));
});
