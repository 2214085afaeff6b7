/**
 * Turns the VFP harness's output (one "case …" line per case, printed by
 * vfp-harness.c under qemu-arm) and the case list from generate-vfp-cases.ts
 * into the committed vector files test/arm/vectors/vfp-<isa>-<group>.json.
 *
 * A vector holds the instruction (asm text, the encoding gas produced), the
 * FPSCR before and after, the registers the case set going in (sN or dN),
 * and every D register whose value the instruction changed, after it.
 *
 * Usage: tsx scripts/vfp-vectors/collect-vfp-vectors.ts <vfp-cases.json> <harness output> <vector dir>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface CaseMeta {
  readonly file: string;
  readonly class: string;
  readonly isa: 'a32' | 't32';
  readonly asm: string;
  readonly fpscr: number;
  readonly regs: Record<string, string>;
}

const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');

function fail(message: string): never {
  process.stderr.write(`collect-vfp-vectors: ${message}\n`);
  process.exit(1);
}

const [casesPath, resultsPath, outDir] = process.argv.slice(2);
if (!outDir) fail('usage: collect-vfp-vectors.ts <vfp-cases.json> <harness output> <vector dir>');
const cases = JSON.parse(readFileSync(casesPath, 'utf8')) as CaseMeta[];
const lines = readFileSync(resultsPath, 'utf8').split('\n').filter((l) => l.startsWith('case '));
if (lines.length !== cases.length) fail(`${cases.length} cases but ${lines.length} result lines (did the harness stop early?)`);

function inputWords(regs: Record<string, string>): number[] {
  const words = new Array<number>(64).fill(0);
  for (const [name, value] of Object.entries(regs)) {
    const n = Number(name.slice(1));
    if (name[0] === 's') words[n] = parseInt(value, 16) >>> 0;
    else {
      words[2 * n + 1] = parseInt(value.slice(0, 8), 16) >>> 0;
      words[2 * n] = parseInt(value.slice(8), 16) >>> 0;
    }
  }
  return words;
}

const files = new Map<string, unknown[]>();
lines.forEach((line, index) => {
  const f = line.trim().split(/\s+/);
  if (f.length !== 4 + 1 + 64 || parseInt(f[1], 16) !== index) fail(`malformed result line ${index + 1}`);
  const meta = cases[index];
  const bytes = f[3];
  const byte = (k: number) => parseInt(bytes.slice(2 * k, 2 * k + 2), 16);
  const encoding =
    meta.isa === 'a32'
      ? (byte(0) | (byte(1) << 8) | (byte(2) << 16) | (byte(3) << 24)) >>> 0
      : (((byte(0) | (byte(1) << 8)) << 16) | byte(2) | (byte(3) << 8)) >>> 0;
  const before = inputWords(meta.regs);
  const after = f.slice(5).map((w) => parseInt(w, 16) >>> 0);
  const changed: Record<string, string> = {};
  for (let d = 0; d < 32; d++) {
    if (after[2 * d] !== before[2 * d] || after[2 * d + 1] !== before[2 * d + 1]) changed[`d${d}`] = hex8(after[2 * d + 1]) + hex8(after[2 * d]);
  }
  const vector = {
    class: meta.class,
    isa: meta.isa,
    asm: meta.asm,
    encoding: `0x${hex8(encoding)}`,
    fpscr: [`0x${hex8(meta.fpscr)}`, `0x${hex8(parseInt(f[4], 16))}`],
    in: meta.regs,
    out: changed,
  };
  let list = files.get(meta.file);
  if (!list) files.set(meta.file, (list = []));
  list.push(vector);
});
for (const [file, vectors] of files) {
  writeFileSync(join(outDir, `${file}.json`), '[\n' + vectors.map((v) => JSON.stringify(v)).join(',\n') + '\n]\n');
  process.stderr.write(`${file}.json: ${vectors.length} vectors\n`);
}
