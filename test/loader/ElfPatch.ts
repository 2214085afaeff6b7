import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a fixture ELF in test/fixtures/elf. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/elf/${name}`, import.meta.url));
}

/**
 * A writable copy of a fixture ELF with accessors for the gABI header fields,
 * used to make corrupt variants (truncated, wrong machine, overlapping
 * segments…) inside the tests. Field offsets are those of the System V ABI
 * "ELF Header" and "Program Header" tables.
 */
export class ElfPatch {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  readonly is64: boolean;
  readonly le: boolean;

  constructor(name: string) {
    this.bytes = new Uint8Array(readFileSync(fixturePath(name)));
    this.view = new DataView(this.bytes.buffer);
    this.is64 = this.bytes[4] === 2;
    this.le = this.bytes[5] === 1;
  }

  private get w(): number {
    return this.is64 ? 8 : 4;
  }

  u16(offset: number): number {
    return this.view.getUint16(offset, this.le);
  }
  setU16(offset: number, value: number): this {
    this.view.setUint16(offset, value, this.le);
    return this;
  }
  word(offset: number): number {
    if (!this.is64) return this.view.getUint32(offset, this.le);
    const lo = this.view.getUint32(offset + (this.le ? 0 : 4), this.le);
    const hi = this.view.getUint32(offset + (this.le ? 4 : 0), this.le);
    return hi * 2 ** 32 + lo;
  }
  setWord(offset: number, value: number): this {
    if (!this.is64) {
      this.view.setUint32(offset, value, this.le);
    } else {
      this.view.setUint32(offset + (this.le ? 0 : 4), value % 2 ** 32, this.le);
      this.view.setUint32(offset + (this.le ? 4 : 0), Math.floor(value / 2 ** 32), this.le);
    }
    return this;
  }

  /** Header field offsets. */
  get at() {
    const w = this.w;
    return {
      type: 16,
      machine: 18,
      entry: 24,
      phoff: 24 + w,
      shoff: 24 + 2 * w,
      phentsize: 24 + 3 * w + 6,
      phnum: 24 + 3 * w + 8,
      shentsize: 24 + 3 * w + 10,
      shnum: 24 + 3 * w + 12,
      shstrndx: 24 + 3 * w + 14,
    };
  }

  get phoff(): number {
    return this.word(this.at.phoff);
  }
  get shoff(): number {
    return this.word(this.at.shoff);
  }

  /** Offset of a field of program header `i`. */
  ph(i: number, field: 'offset' | 'vaddr' | 'paddr' | 'filesz' | 'memsz'): number {
    const base = this.phoff + i * (this.is64 ? 56 : 32);
    const index = { offset: 0, vaddr: 1, paddr: 2, filesz: 3, memsz: 4 }[field];
    return this.is64 ? base + 8 + index * 8 : base + 4 + index * 4;
  }

  /** Offset of section header `i` (ELF32 only: 40-byte entries; sh_type at +4, sh_offset +16). */
  section32(i: number): { at: number; type: number; offset: number; size: number } {
    const at = this.shoff + i * 40;
    const get = (o: number) => this.view.getUint32(at + o, this.le);
    return { at, type: get(4), offset: get(16), size: get(20) };
  }

  /** Index of the first ELF32 section of sh_type `type` (2 = SHT_SYMTAB). */
  findSection32(type: number): number {
    for (let i = 0; i < this.u16(this.at.shnum); i++) if (this.section32(i).type === type) return i;
    throw new Error(`no section of type ${type}`);
  }

  setU32(offset: number, value: number): this {
    this.view.setUint32(offset, value, this.le);
    return this;
  }

  truncated(length: number): Uint8Array {
    return this.bytes.slice(0, length);
  }
}
