/**
 * Records reference vectors for the ARM disassembler (cores/arm/disasm) from
 * GNU binutils, the independent implementation the tests compare against:
 *
 *   1. assembles the hand-written corpora test/arm/vectors/disasm-a32.s and
 *      disasm-t32.s with arm-none-eabi-as;
 *   2. disassembles them, and the text sections of every committed firmware
 *      ELF under boards/firmware/arm/, with arm-none-eabi-objdump -d -m armv7
 *      -M reg-names-std (the ARMv7 instruction set; r0-r12, sp, lr, pc);
 *   3. does the same for deterministic pseudo-random encodings (a fixed
 *      xorshift32 seed, so re-recording gives the same words): A32 words
 *      spread over the condition field and the eight classes of bits
 *      [27:25], Thumb halfwords and 32-bit pairs spread over hw1[15:11];
 *   4. writes (address, encoding, objdump text) triples to
 *      test/arm/vectors/disasm-a32.json and disasm-t32.json, one block per
 *      source in address order (the Thumb tests need the order for IT
 *      blocks).
 *
 * objdump's text is stored as printed; the tests apply their documented
 * normalisation. Lines objdump shows as data (.word/.short/.byte, from the
 * $d mapping symbols) are left out. Needs binutils-arm-none-eabi (Debian).
 *
 * Usage: npx tsx scripts/record-disasm-vectors.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vectorsDir = join(root, 'test/arm/vectors');
const firmwareDir = join(root, 'boards/firmware/arm');

type Vector = [address: string, encoding: string, text: string];
interface Block {
  source: string;
  vectors: Vector[];
}

function objdump(file: string): string {
  return execFileSync('arm-none-eabi-objdump', ['-d', '-m', 'armv7', '-M', 'reg-names-std', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/**
 * Instruction lines of an objdump listing, split by instruction set: an
 * 8-digit encoding is A32, "hhhh" or "hhhh hhhh" is Thumb (objdump prints
 * Thumb as halfwords, first halfword first).
 */
function parseListing(listing: string, source: string): { a32: Block; t32: Block } {
  const a32: Block = { source, vectors: [] };
  const t32: Block = { source, vectors: [] };
  for (const line of listing.split('\n')) {
    const m = /^ *([0-9a-f]+):\t([0-9a-f]{8}|[0-9a-f]{4} [0-9a-f]{4}|[0-9a-f]{4}) +\t?(.*)$/.exec(line);
    if (m === null) continue;
    const text = m[3].replace(/\s+$/, '');
    if (/^\.(word|short|byte)\b/.test(text)) continue;
    const address = m[1].padStart(8, '0');
    if (m[2].length === 8 && !m[2].includes(' ')) a32.vectors.push([address, m[2], text]);
    else t32.vectors.push([address, m[2].replace(' ', ''), text]);
  }
  return { a32, t32 };
}

function assemble(corpus: string, dir: string): string {
  const out = join(dir, `${corpus}.o`);
  execFileSync('arm-none-eabi-as', ['-o', out, join(vectorsDir, `${corpus}.s`)], { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

/** xorshift32 (Marsaglia): a fixed, portable sequence of 32-bit words. */
function* xorshift32(seed: number): Generator<number> {
  let x = seed >>> 0;
  for (;;) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    yield x;
  }
}

const RANDOM_COUNT = 6000;

function randomA32Source(): string {
  const random = xorshift32(0x7a32c0de);
  const lines = ['        .syntax unified', '        .cpu cortex-a15', '        .fpu neon-vfpv4', '        .arm'];
  while (lines.length < RANDOM_COUNT + 4) {
    let word = random.next().value as number;
    // One word in eight in the unconditional space, the rest with a condition other than AL/1111 half the time.
    const pick = random.next().value as number;
    const cond = (pick & 7) === 0 ? 15 : (pick >>> 3) & 1 ? 14 : ((pick >>> 4) % 15);
    word = ((word & 0x0fffffff) | (cond << 28)) >>> 0;
    lines.push(`        .inst 0x${word.toString(16).padStart(8, '0')}`);
  }
  return lines.join('\n') + '\n';
}

function randomThumbSource(): string {
  const random = xorshift32(0x7416c0de);
  const lines = ['        .syntax unified', '        .cpu cortex-a15', '        .fpu neon-vfpv4', '        .thumb'];
  while (lines.length < RANDOM_COUNT + 4) {
    const bits = random.next().value as number;
    if (bits & 1) {
      // 16-bit: hw1[15:11] below 11101.
      const hw = (bits >>> 16) % 0xe800;
      lines.push(`        .inst.n 0x${hw.toString(16).padStart(4, '0')}`);
    } else {
      const top = [0xe8000000, 0xf0000000, 0xf8000000][(bits >>> 1) % 3];
      const word = (top | ((random.next().value as number) & 0x07ffffff)) >>> 0;
      lines.push(`        .inst.w 0x${word.toString(16).padStart(8, '0')}`);
    }
  }
  return lines.join('\n') + '\n';
}

function assembleText(name: string, source: string, dir: string): string {
  const src = join(dir, `${name}.s`);
  const out = join(dir, `${name}.o`);
  writeFileSync(src, source);
  execFileSync('arm-none-eabi-as', ['-o', out, src], { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

function write(file: string, blocks: Block[], version: string): void {
  const parts = blocks
    .filter((b) => b.vectors.length > 0)
    .map((b) => {
      const lines = b.vectors.map((v) => `      ${JSON.stringify(v)}`).join(',\n');
      return `    {\n      "source": ${JSON.stringify(b.source)},\n      "vectors": [\n${lines}\n      ]\n    }`;
    });
  const header = `  "recordedWith": ${JSON.stringify(version)},\n  "command": "arm-none-eabi-objdump -d -m armv7 -M reg-names-std",\n`;
  writeFileSync(file, `{\n${header}  "blocks": [\n${parts.join(',\n')}\n  ]\n}\n`);
  const count = blocks.reduce((n, b) => n + b.vectors.length, 0);
  console.log(`${relative(root, file)}: ${count} vectors`);
}

const version = execFileSync('arm-none-eabi-objdump', ['--version'], { encoding: 'utf8' }).split('\n')[0];
const work = mkdtempSync(join(tmpdir(), 'disasm-vectors-'));
try {
  const a32Blocks: Block[] = [];
  const t32Blocks: Block[] = [];
  for (const corpus of ['disasm-a32', 'disasm-t32']) {
    const listing = parseListing(objdump(assemble(corpus, work)), `test/arm/vectors/${corpus}.s`);
    a32Blocks.push(listing.a32);
    t32Blocks.push(listing.t32);
  }
  const randomA32 = parseListing(objdump(assembleText('random-a32', randomA32Source(), work)), 'random A32 words (xorshift32 seed 0x7a32c0de)');
  a32Blocks.push(randomA32.a32);
  const randomThumb = parseListing(objdump(assembleText('random-t32', randomThumbSource(), work)), 'random Thumb encodings (xorshift32 seed 0x7416c0de)');
  t32Blocks.push(randomThumb.t32);
  for (const elf of readdirSync(firmwareDir).filter((f) => f.endsWith('.elf')).sort()) {
    const listing = parseListing(objdump(join(firmwareDir, elf)), `boards/firmware/arm/${elf}`);
    a32Blocks.push(listing.a32);
    t32Blocks.push(listing.t32);
  }
  write(join(vectorsDir, 'disasm-a32.json'), a32Blocks, version);
  write(join(vectorsDir, 'disasm-t32.json'), t32Blocks, version);
} finally {
  rmSync(work, { recursive: true, force: true });
}
