/**
 * Turns the harness's output (one "case …" line per case, as printed by
 * harness.c under qemu-arm) and the case list from generate-cases.ts into
 * the committed vector files test/arm/vectors/<file>.json.
 *
 * Usage: tsx scripts/arm-vectors/collect-vectors.ts <cases.json> <harness output> <vector dir>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface CaseMeta {
  readonly file: string;
  readonly group: string;
  readonly isa: 'a32' | 't32';
  readonly asm: string;
  readonly memory: boolean;
  readonly steps: number;
}

/** The APSR bits the vectors hold: N Z C V Q and GE[3:0] (ARM ARM B1.3.3). */
const APSR_MASK = 0xf80f0000;

const REGISTER_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14'];

const hex8 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

function fail(message: string): never {
  process.stderr.write(`collect-vectors: ${message}\n`);
  process.exit(1);
}

function state(words: string[], where: string): Record<string, string> {
  if (words.length !== 16) fail(`${where}: expected 16 words, got ${words.length}`);
  const out: Record<string, string> = {};
  REGISTER_NAMES.forEach((name, i) => {
    out[name] = hex8(parseInt(words[i], 16));
  });
  out.cpsr = hex8(parseInt(words[15], 16) & APSR_MASK);
  return out;
}

/** The T32 instruction width a file holds: 16-bit forms, 32-bit forms, or both (IT blocks, PC-relative forms). */
function thumbWidth(file: string): 16 | 32 | null {
  if (file === 't32-thumb16') return 16;
  if (file === 't32-it' || file === 't32-pc-relative') return null;
  return 32;
}

/**
 * The encodings as the manual writes them: A32 words, or T32 halfwords with
 * a 32-bit instruction as first-halfword-high; several (an IT block) are
 * separated by spaces.
 */
function encoding(meta: CaseMeta, bytes: string, where: string): string {
  const b = (i: number) => parseInt(bytes.slice(2 * i, 2 * i + 2), 16);
  const n = bytes.length / 2;
  const out: string[] = [];
  let at = 0;
  while (at < n) {
    if (meta.isa === 'a32') {
      if (n - at < 4) fail(`${where}: "${meta.asm}" assembled to ${n} bytes, not whole A32 instructions`);
      out.push(hex8(b(at) | (b(at + 1) << 8) | (b(at + 2) << 16) | (b(at + 3) << 24)));
      at += 4;
      continue;
    }
    const first = b(at) | (b(at + 1) << 8);
    const wide = first >>> 11 >= 0x1d;
    const want = thumbWidth(meta.file);
    if (want !== null && (wide ? 32 : 16) !== want) {
      fail(`${where}: "${meta.asm}" assembled to a ${wide ? 32 : 16}-bit encoding, the file ${meta.file} holds ${want}-bit ones`);
    }
    if (wide) {
      if (n - at < 4) fail(`${where}: "${meta.asm}" ends inside a 32-bit T32 instruction`);
      out.push(hex8((first << 16) | b(at + 2) | (b(at + 3) << 8)));
      at += 4;
    } else {
      out.push(`0x${first.toString(16).padStart(4, '0')}`);
      at += 2;
    }
  }
  if (out.length !== meta.steps) fail(`${where}: "${meta.asm}" assembled to ${out.length} instructions, expected ${meta.steps}`);
  return out.join(' ');
}

function main(): void {
  const [metaPath, outputPath, vectorDir] = process.argv.slice(2);
  if (!vectorDir) fail('usage: collect-vectors.ts <cases.json> <harness output> <vector dir>');
  const metas = JSON.parse(readFileSync(metaPath, 'utf8')) as CaseMeta[];
  const lines = readFileSync(outputPath, 'utf8').split('\n').filter((l) => l.length > 0);
  if (lines.length !== metas.length) fail(`${outputPath}: ${lines.length} results for ${metas.length} cases (did the harness stop early?)`);

  const files = new Map<string, object[]>();
  lines.forEach((line, lineIndex) => {
    const where = `${outputPath}:${lineIndex + 1}`;
    const t = line.split(' ');
    if (t[0] !== 'case' || parseInt(t[1], 16) !== lineIndex) fail(`${where}: expected "case ${lineIndex.toString(16)}"`);
    const meta = metas[lineIndex];
    const inAt = t.indexOf('in');
    const outAt = t.indexOf('out');
    const memAt = t.indexOf('mem');
    const vector: Record<string, unknown> = {
      class: meta.group,
      isa: meta.isa,
      asm: meta.asm,
      encoding: encoding(meta, t[3], where),
      addr: hex8(parseInt(t[2], 16)),
      ...(meta.steps > 1 ? { steps: meta.steps } : {}),
      in: state(t.slice(inAt + 1, outAt), where),
      out: state(t.slice(outAt + 1, memAt < 0 ? t.length : memAt), where),
    };
    if (meta.memory !== memAt >= 0) fail(`${where}: memory dump ${memAt >= 0 ? 'present' : 'missing'} for "${meta.asm}"`);
    if (memAt >= 0) vector.mem = { base: hex8(parseInt(t[memAt + 1], 16)), before: t[memAt + 2], after: t[memAt + 3] };
    let list = files.get(meta.file);
    if (!list) files.set(meta.file, (list = []));
    list.push(vector);
  });

  for (const [file, vectors] of files) {
    const text = `[\n${vectors.map((v) => JSON.stringify(v)).join(',\n')}\n]\n`;
    writeFileSync(join(vectorDir, `${file}.json`), text);
    process.stdout.write(`${file}.json: ${vectors.length} vectors, ${text.length} bytes\n`);
  }
}

main();
