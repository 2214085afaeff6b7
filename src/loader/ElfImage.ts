import elfTools, { type ElfToolsImage } from 'elf-tools';
import { readElfHeader, type ElfHeader } from './ElfHeader.ts';
import { hex, imageError, type ImageSource } from './ImageSource.ts';

/** Segment permission bits (gABI, "Program Header"). */
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

/** A PT_LOAD program header. */
export interface ElfSegment {
  /** Index in the program header table (as `readelf -l` numbers them). */
  readonly index: number;
  readonly fileOffset: number;
  readonly fileSize: number;
  /** Bytes in memory; those past fileSize are zero (.bss). */
  readonly memSize: number;
  readonly virtAddr: number;
  readonly physAddr: number;
  /** PF_R | PF_W | PF_X bits. */
  readonly flags: number;
}

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  /** elf-tools' name for sh_type: 'progbits', 'nobits', 'symtab', 'strtab', … */
  readonly type: string;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
}

export interface ElfImage {
  readonly source: ImageSource;
  readonly bytes: Uint8Array;
  readonly header: ElfHeader;
  readonly loadSegments: readonly ElfSegment[];
  readonly sections: readonly ElfSection[];
}

const PERMISSION_BITS: Readonly<Record<string, number>> = { read: PF_R, write: PF_W, execute: PF_X };

/**
 * Parses an ELF executable. The header is read and bounds-checked here
 * (elf-tools checks nothing and would throw a bare RangeError or TypeError
 * on a short file); program and section headers come from elf-tools, which
 * reads both classes and both byte orders; segment contents are always taken
 * from the original bytes (see `elfToolsCopy` for why).
 */
export function parseElf(bytes: Uint8Array, source: ImageSource): ElfImage {
  const header = readElfHeader(bytes, source);
  let parsed: ElfToolsImage;
  try {
    parsed = elfTools.parse(elfToolsCopy(bytes, header));
  } catch (error) {
    // Only malformed files get here: a 64-bit field above 2**53 or a section
    // name offset outside the section name string table.
    throw imageError(source, `malformed program or section headers: ${(error as Error).message}`);
  }

  const loadSegments: ElfSegment[] = [];
  parsed.programs.forEach(({ header: ph }, index) => {
    if (ph.type !== 'load') return;
    const segment: ElfSegment = {
      index,
      fileOffset: ph.offset,
      fileSize: ph.filesz,
      memSize: ph.memsz,
      virtAddr: ph.vaddr,
      physAddr: ph.paddr,
      flags: ph.flags.split('|').reduce((bits, name) => bits | (PERMISSION_BITS[name] ?? 0), 0),
    };
    checkSegment(segment, bytes.length, source);
    loadSegments.push(segment);
  });

  const sections = header.shnum === 0 ? [] : parsed.sections.map(({ header: sh }, index): ElfSection => ({
    index,
    name: sh.name,
    type: sh.type ?? 'unknown',
    addr: sh.addr,
    offset: sh.offset,
    size: sh.size,
    link: sh.link,
  }));
  return { source, bytes, header, loadSegments, sections };
}

function checkSegment(segment: ElfSegment, fileLength: number, source: ImageSource): void {
  const name = `segment ${segment.index} (PT_LOAD at ${hex(segment.physAddr)})`;
  if (segment.fileSize > segment.memSize) {
    throw imageError(
      source,
      `${name}: p_filesz ${hex(segment.fileSize)} is larger than p_memsz ${hex(segment.memSize)}`,
    );
  }
  const end = segment.fileOffset + segment.fileSize;
  if (segment.fileSize > 0 && end > fileLength) {
    throw imageError(
      source,
      `truncated: ${name} has file bytes ${hex(segment.fileOffset)}-${hex(end - 1)}, ` +
        `past the end of the file (${fileLength} bytes)`,
    );
  }
}

/**
 * The buffer handed to elf-tools. It must be a copy: elf-tools reads 64-bit
 * little-endian fields by reversing their bytes in place (Buffer#reverse on a
 * slice), which would corrupt the caller's bytes, and a first PT_LOAD segment
 * usually contains the headers. elf-tools also looks up the section name
 * string table unconditionally, so for a file without section headers the
 * copy gets a one-entry section table (a one-byte string table) appended.
 */
function elfToolsCopy(bytes: Uint8Array, header: ElfHeader): Buffer {
  if (header.shnum > 0) return Buffer.from(bytes);
  const shentsize = header.is64 ? 64 : 40;
  const strtabOffset = bytes.length;
  const shoff = (strtabOffset + 1 + 7) & ~7;
  const copy = Buffer.alloc(shoff + shentsize);
  copy.set(bytes);
  const view = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
  const le = header.littleEndian;
  const w = header.is64 ? 8 : 4;
  // The values written are file offsets, well below 2**32: the high half of a 64-bit field is 0.
  const putWord = (offset: number, value: number) => {
    if (w === 8) {
      view.setUint32(offset + (le ? 0 : 4), value, le);
      view.setUint32(offset + (le ? 4 : 0), 0, le);
    } else {
      view.setUint32(offset, value, le);
    }
  };
  // ELF header: e_shoff, e_shentsize, e_shnum = 1, e_shstrndx = 0.
  putWord(24 + 2 * w, shoff);
  view.setUint16(24 + 3 * w + 10, shentsize, le);
  view.setUint16(24 + 3 * w + 12, 1, le);
  view.setUint16(24 + 3 * w + 14, 0, le);
  // Section 0: sh_name 0, sh_type SHT_STRTAB (3), sh_offset, sh_size 1.
  view.setUint32(shoff + 4, 3, le);
  putWord(shoff + 8 + 2 * w, strtabOffset);
  putWord(shoff + 8 + 3 * w, 1);
  return copy;
}
