/** The parts of the elf-tools package (CommonJS, no bundled types) that the loader uses. */
declare module 'elf-tools' {
  export interface ElfToolsProgramHeader {
    /** 'load', 'note', … or undefined for types elf-tools has no name for. */
    readonly type: string | undefined;
    /** 'read|write|execute' subset, in bit order. */
    readonly flags: string;
    readonly offset: number;
    readonly vaddr: number;
    readonly paddr: number;
    readonly filesz: number;
    readonly memsz: number;
    readonly align: number;
  }

  export interface ElfToolsSectionHeader {
    readonly name: string;
    /** 'progbits', 'symtab', 'strtab', 'nobits', … */
    readonly type: string | undefined;
    readonly addr: number;
    readonly offset: number;
    readonly size: number;
    readonly link: number;
    readonly info: number;
    readonly addralign: number;
    readonly entsize: number;
  }

  export interface ElfToolsImage {
    readonly programs: readonly { readonly header: ElfToolsProgramHeader }[];
    readonly sections: readonly { readonly header: ElfToolsSectionHeader }[];
  }

  const elfTools: { parse(image: Buffer): ElfToolsImage };
  export default elfTools;
}
