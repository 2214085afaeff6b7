import { ElfByteReader } from './ElfByteReader.ts';
import type { ElfImage, ElfSection } from './ElfImage.ts';
import { EM_ARM } from './ElfMachine.ts';
import { hex, imageError } from './ImageSource.ts';
import { SymbolTable, type SymbolDefinition } from './SymbolTable.ts';

/** Symbol types and bindings (gABI, "Symbol Table"). */
const STT_NOTYPE = 0;
const STT_OBJECT = 1;
const STT_FUNC = 2;
const STB_LOCAL = 0;
const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;

/** One entry of .symtab, as stored. */
export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly type: number;
  readonly bind: number;
  readonly sectionIndex: number;
}

/**
 * Reads the static symbol table (.symtab, SHT_SYMTAB). elf-tools gives the
 * section headers but does not decode symbols, so the entries are read here
 * from the file bytes. A file without .symtab (stripped) has no symbols.
 */
export function readElfSymbols(image: ElfImage): ElfSymbol[] {
  const symtab = image.sections.find((s) => s.type === 'symtab');
  if (symtab === undefined) return [];
  const { header, bytes, source } = image;
  const fail = (message: string) => imageError(source, message);
  checkInFile(symtab, bytes.length, fail);
  const strtab = image.sections[symtab.link];
  if (strtab === undefined || strtab.type !== 'strtab') {
    throw fail(`section ${symtab.index} (${symtab.name}): sh_link ${symtab.link} is not a string table`);
  }
  checkInFile(strtab, bytes.length, fail);

  const r = new ElfByteReader(bytes, header.littleEndian, header.is64);
  const entrySize = header.is64 ? 24 : 16;
  const count = Math.floor(symtab.size / entrySize);
  const symbols: ElfSymbol[] = [];
  // Entry 0 is the reserved undefined symbol.
  for (let i = 1; i < count; i++) {
    const at = symtab.offset + i * entrySize;
    const nameOffset = r.u32(at);
    const info = r.u8(at + (header.is64 ? 4 : 12));
    const sectionIndex = r.u16(at + (header.is64 ? 6 : 14));
    const value = header.is64 ? r.u64(at + 8) : r.u32(at + 4);
    const size = header.is64 ? r.u64(at + 16) : r.u32(at + 8);
    if (nameOffset >= strtab.size) {
      throw fail(`symbol ${i} (byte ${hex(at)}): st_name ${hex(nameOffset)} is outside the string table (${strtab.size} bytes)`);
    }
    const name = r.cString(strtab.offset + nameOffset, strtab.offset + strtab.size);
    if (name === null) throw fail(`symbol ${i} (byte ${hex(at)}): its name is not NUL-terminated inside the string table`);
    // Values above 2**53 cannot be addresses on any board tskvm models.
    if (Number.isNaN(value) || Number.isNaN(size)) continue;
    symbols.push({ name, value, size, type: info & 0xf, bind: info >> 4, sectionIndex });
  }
  return symbols;
}

function checkInFile(section: ElfSection, fileLength: number, fail: (m: string) => Error): void {
  const end = section.offset + section.size;
  if (end > fileLength) {
    throw fail(
      `truncated: section ${section.index} (${section.name}) has file bytes ${hex(section.offset)}-${hex(end - 1)}, ` +
        `past the end of the file (${fileLength} bytes)`,
    );
  }
}

/**
 * ARM mapping symbols ($a, $t, $d, optionally with a ".suffix") mark where
 * code of each instruction set and literal data start (ELF for the ARM
 * Architecture, "Mapping symbols"); they are not names a user wants to see.
 */
function isArmMappingSymbol(name: string): boolean {
  return /^\$[atd](\.|$)/.test(name);
}

/** Builds the symbol table of an image: functions, objects and code labels. */
export function symbolTableOf(image: ElfImage): SymbolTable {
  const isArm = image.header.machine === EM_ARM;
  const definitions: SymbolDefinition[] = [];
  for (const sym of readElfSymbols(image)) {
    if (sym.name === '' || sym.sectionIndex === SHN_UNDEF) continue;
    if (sym.type !== STT_NOTYPE && sym.type !== STT_OBJECT && sym.type !== STT_FUNC) continue;
    if (isArm && isArmMappingSymbol(sym.name)) continue;
    // Bit 0 of an ARM function symbol says "Thumb code" (ELF for the ARM
    // Architecture, "Symbol values"); the function starts at the even address.
    const thumb = isArm && sym.type === STT_FUNC && (sym.value & 1) === 1;
    const address = thumb ? sym.value - 1 : sym.value;
    const inSection = sym.sectionIndex < SHN_LORESERVE ? image.sections[sym.sectionIndex] : undefined;
    definitions.push({
      name: sym.name,
      address,
      size: sym.size,
      kind: sym.type === STT_FUNC ? 'function' : sym.type === STT_OBJECT ? 'object' : 'label',
      global: sym.bind !== STB_LOCAL,
      thumb,
      // Absolute symbols (SHN_ABS: linker-script values such as a stack top)
      // have an address but are no place in the image: name them, never look them up.
      addressOnly: sym.sectionIndex >= SHN_LORESERVE,
      limit: inSection !== undefined && inSection.size > 0 ? inSection.addr + inSection.size : undefined,
    });
  }
  return new SymbolTable(definitions);
}
