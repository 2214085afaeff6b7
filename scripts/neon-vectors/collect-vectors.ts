/**
 * Joins the case list (cases.json from generate-cases.ts) and the harness's
 * output under qemu-arm into the committed vector files
 * test/arm/vectors/neon-<isa>-<group>.json.
 *
 * A vector: class, isa, asm, encoding (A32 word, or T32 hw1:hw2), addr, and
 * `in`/`out` states: r0-r12, fpscr, and the D registers that are not zero
 * (d<n> as 16 hex digits, high word first); the others are zero. Loads and
 * stores add `mem`: the scratch buffer's address and its bytes before and
 * after.
 *
 * Usage: tsx scripts/neon-vectors/collect-vectors.ts <cases.json> <harness output> <vector dir>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface CaseMeta {
  readonly file: string;
  readonly cls: string;
  readonly isa: 'a32' | 't32';
  readonly asm: string;
  readonly registers: (number | string)[];
  readonly fpscr: number;
  readonly d: [number, number, number][];
  readonly memory: number[] | null;
}

const hex8 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
const hex16 = (hi: number, lo: number) => `${(hi >>> 0).toString(16).padStart(8, '0')}${(lo >>> 0).toString(16).padStart(8, '0')}`;

function fail(message: string): never {
  process.stderr.write(`collect-vectors: ${message}\n`);
  process.exit(1);
}

function main(): void {
  const [casesPath, outputPath, dir] = process.argv.slice(2);
  if (!dir) fail('usage: collect-vectors.ts <cases.json> <harness output> <vector dir>');
  const cases = JSON.parse(readFileSync(casesPath, 'utf8')) as CaseMeta[];
  const lines = readFileSync(outputPath, 'utf8').split('\n').filter((l) => l.startsWith('case '));
  if (lines.length !== cases.length) fail(`${lines.length} results for ${cases.length} cases (the harness stopped early?)`);
  const files = new Map<string, unknown[]>();
  lines.forEach((line, index) => {
    const meta = cases[index];
    const words = line.split(' ');
    if (Number.parseInt(words[1], 16) !== index) fail(`line ${index + 1}: case number ${words[1]}`);
    const addr = Number.parseInt(words[2], 16);
    const bytes = words[3];
    const b = (k: number) => Number.parseInt(bytes.slice(2 * k, 2 * k + 2), 16);
    if (bytes.length !== 8) fail(`case ${index} "${meta.asm}": ${bytes.length / 2} bytes, expected one 32-bit instruction`);
    const encoding = meta.isa === 'a32'
      ? hex8(b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24))
      : hex8(((b(0) | (b(1) << 8)) << 16) | b(2) | (b(3) << 8));
    const outAt = words.indexOf('out');
    const dAt = words.indexOf('d');
    const memAt = words.indexOf('mem');
    const scratch = memAt >= 0 ? Number.parseInt(words[memAt + 1], 16) : 0;
    const input: Record<string, string> = {};
    meta.registers.forEach((v, r) => {
      const value = typeof v === 'number' ? v : scratch + Number(v.slice('scratch+'.length));
      input[`r${r}`] = hex8(value);
    });
    input.fpscr = hex8(meta.fpscr);
    for (const [n, lo, hi] of [...meta.d].sort((x, y) => x[0] - y[0])) if (lo !== 0 || hi !== 0) input[`d${n}`] = hex16(hi, lo);
    const output: Record<string, string> = {};
    for (let r = 0; r < 13; r++) output[`r${r}`] = hex8(Number.parseInt(words[outAt + 1 + r], 16));
    output.fpscr = hex8(Number.parseInt(words[outAt + 14], 16));
    for (let n = 0; n < 32; n++) {
      const v = words[dAt + 1 + n];
      if (!/^0+$/.test(v)) output[`d${n}`] = v;
    }
    const vector: Record<string, unknown> = { class: meta.cls, isa: meta.isa, asm: meta.asm, encoding, addr: hex8(addr), in: input, out: output };
    if (memAt >= 0) {
      const before = meta.memory!.map((x) => x.toString(16).padStart(2, '0')).join('');
      vector.mem = { base: hex8(scratch), before, after: words[memAt + 2] };
    }
    const file = `neon-${meta.isa}-${meta.file}`;
    if (!files.has(file)) files.set(file, []);
    files.get(file)!.push(vector);
  });
  for (const [file, vectors] of files) {
    writeFileSync(join(dir, `${file}.json`), `[\n${vectors.map((v) => JSON.stringify(v)).join(',\n')}\n]\n`);
    process.stdout.write(`${file}.json: ${vectors.length} vectors\n`);
  }
}

main();
