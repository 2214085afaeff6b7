import { ElfByteReader } from './ElfByteReader.ts';
import { hex, imageError, type ImageSource } from './ImageSource.ts';

/** The four bytes every ELF file starts with (gABI, "ELF Identification"). */
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const EV_CURRENT = 1;

const ET_REL = 1;
const ET_EXEC = 2;
const ET_DYN = 3;
const ET_CORE = 4;

/** Extended numbering markers we do not support (gABI: PN_XNUM, SHN_LORESERVE). */
const PN_XNUM = 0xffff;
const SHN_LORESERVE = 0xff00;

/** The ELF header fields the loader uses, read and checked against the file size. */
export interface ElfHeader {
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly type: number;
  readonly machine: number;
  readonly entry: number;
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shoff: number;
  readonly shentsize: number;
  /** 0 when the file has no section header table (then there are no symbols either). */
  readonly shnum: number;
  readonly shstrndx: number;
}

export function hasElfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Reads and checks the ELF header, and checks that the program and section
 * header tables it points at lie inside the file, so that everything after
 * this can index the file without bounds surprises.
 */
export function readElfHeader(bytes: Uint8Array, source: ImageSource): ElfHeader {
  const fail = (message: string) => imageError(source, message);
  if (!hasElfMagic(bytes)) throw fail('not an ELF file (no \\x7fELF magic at byte 0)');
  if (bytes.length < 16) {
    throw fail(`truncated ELF header: the file has ${bytes.length} bytes, e_ident alone needs 16`);
  }
  const cls = bytes[4]!;
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) {
    throw fail(`bad ELF class ${cls} at byte 4 (expected 1 for ELF32 or 2 for ELF64)`);
  }
  const data = bytes[5]!;
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) {
    throw fail(`bad ELF data encoding ${data} at byte 5 (expected 1 for little-endian or 2 for big-endian)`);
  }
  if (bytes[6] !== EV_CURRENT) throw fail(`bad ELF version ${bytes[6]} at byte 6 (expected 1)`);

  const is64 = cls === ELFCLASS64;
  const kind = is64 ? 'ELF64' : 'ELF32';
  const headerSize = is64 ? 64 : 52;
  if (bytes.length < headerSize) {
    throw fail(`truncated ELF header: the file has ${bytes.length} bytes, an ${kind} header needs ${headerSize}`);
  }
  const r = new ElfByteReader(bytes, data === ELFDATA2LSB, is64);
  const w = r.wordSize;
  const at = {
    entry: 24,
    phoff: 24 + w,
    shoff: 24 + 2 * w,
    phentsize: 24 + 3 * w + 6,
  };
  const header: ElfHeader = {
    is64,
    littleEndian: r.littleEndian,
    type: r.u16(16),
    machine: r.u16(18),
    entry: r.word(at.entry),
    phoff: r.word(at.phoff),
    shoff: r.word(at.shoff),
    phentsize: r.u16(at.phentsize),
    phnum: r.u16(at.phentsize + 2),
    shentsize: r.u16(at.phentsize + 4),
    shnum: r.u16(at.phentsize + 6),
    shstrndx: r.u16(at.phentsize + 8),
  };

  if (header.type === ET_REL) throw fail('is a relocatable object (ET_REL), not a linked executable: link it first');
  if (header.type === ET_CORE) throw fail('is a core dump (ET_CORE), not an executable');
  if (header.type !== ET_EXEC && header.type !== ET_DYN) {
    throw fail(`unsupported ELF type ${header.type} (expected ET_EXEC 2 or ET_DYN 3)`);
  }
  for (const field of ['entry', 'phoff', 'shoff'] as const) {
    if (Number.isNaN(header[field])) {
      throw fail(`e_${field} at byte ${at[field]} is larger than 2**53, which tskvm does not support`);
    }
  }

  const phentsize = is64 ? 56 : 32;
  if (header.phnum === 0) throw fail('has no program headers, so nothing to load');
  if (header.phnum === PN_XNUM) throw fail('uses extended program header numbering (PN_XNUM), which tskvm does not support');
  if (header.phentsize !== phentsize) {
    throw fail(`e_phentsize is ${header.phentsize}, but ${kind} program headers are ${phentsize} bytes`);
  }
  checkTable(bytes, fail, 'program header table', header.phoff, header.phnum, phentsize);

  if (header.shnum > 0) {
    const shentsize = is64 ? 64 : 40;
    if (header.shentsize !== shentsize) {
      throw fail(`e_shentsize is ${header.shentsize}, but ${kind} section headers are ${shentsize} bytes`);
    }
    checkTable(bytes, fail, 'section header table', header.shoff, header.shnum, shentsize);
    if (header.shstrndx >= header.shnum || header.shstrndx >= SHN_LORESERVE) {
      throw fail(`e_shstrndx ${header.shstrndx} is not a section index (the file has ${header.shnum} sections)`);
    }
  }
  return header;
}

function checkTable(
  bytes: Uint8Array,
  fail: (message: string) => Error,
  what: string,
  offset: number,
  count: number,
  entrySize: number,
): void {
  const end = offset + count * entrySize;
  if (end > bytes.length) {
    throw fail(
      `truncated: the ${what} (${count} entries at bytes ${hex(offset)}-${hex(end - 1)}) ` +
        `extends past the end of the file (${bytes.length} bytes)`,
    );
  }
}
