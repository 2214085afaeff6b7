import { readFileSync } from 'node:fs';
import type { FirmwareSpec } from '../../dts/board/BoardSpec.ts';
import type { Isa } from '../machine/Cpu.ts';
import type { PhysicalBus } from '../machine/PhysicalBus.ts';
import { hasElfMagic } from './ElfHeader.ts';
import { parseElf, PF_R, PF_W, PF_X, type ElfImage } from './ElfImage.ts';
import { MACHINES_FOR_ISA, machineName } from './ElfMachine.ts';
import { symbolTableOf } from './ElfSymbolReader.ts';
import { hex, imageError, type ImageSource } from './ImageSource.ts';
import { checkPlacement, type PlacedSegment } from './SegmentPlacement.ts';
import { SymbolTable } from './SymbolTable.ts';

/** What the loader needs from a board's `<firmware>` (a FirmwareSpec has all of it). */
export type FirmwareSource = Pick<FirmwareSpec, 'path' | 'format' | 'loadAddress' | 'entry' | 'pos'>;

/** A range of physical memory the loader filled. */
export interface LoadedSegment extends PlacedSegment {
  /** Address the image was linked to run at (p_vaddr; equal to physAddr for raw images). */
  readonly virtAddr: number;
  /** Bytes copied from the file; the rest of memSize was zeroed. */
  readonly fileSize: number;
  readonly fileOffset: number;
  /** PF_R | PF_W | PF_X (raw images: all three). */
  readonly flags: number;
}

export interface LoadedFirmware {
  readonly path: string;
  readonly format: 'elf' | 'raw';
  /**
   * Where execution starts: the spec's entry override, else e_entry, else the
   * raw load address. For ARM an odd entry means Thumb (the core starts as a
   * BX to it would); for MIPS it is a virtual (kseg) address, as the CPU sees it.
   */
  readonly entry: number;
  readonly symbols: SymbolTable;
  readonly segments: readonly LoadedSegment[];
}

/**
 * Loads firmware into the machine's RAM/ROM: an ELF executable's PT_LOAD
 * segments at their physical addresses (zero-filling each segment's memory
 * past its file bytes, i.e. .bss), or a raw image at the load address.
 * Every problem is an InputError naming the file.
 */
export function loadFirmware(bus: PhysicalBus, spec: FirmwareSource, isa: Isa): LoadedFirmware {
  return loadFirmwareImage(bus, readImageFile(spec), spec, isa);
}

/** Same as loadFirmware, for an image already in memory (spec.path is used in messages only). */
export function loadFirmwareImage(bus: PhysicalBus, bytes: Uint8Array, spec: FirmwareSource, isa: Isa): LoadedFirmware {
  const isElf = hasElfMagic(bytes);
  if (spec.format === 'elf' || (spec.format === 'auto' && isElf)) {
    if (!isElf) throw imageError(spec, `not an ELF file: it starts with ${leadingBytes(bytes)}, not 7f 45 4c 46 ("\\x7fELF")`);
    return loadElf(bus, parseElf(bytes, spec), spec, isa);
  }
  if (spec.loadAddress === undefined) {
    throw imageError(
      spec,
      `not an ELF file (it starts with ${leadingBytes(bytes)}) and no load address is given for a raw image`,
    );
  }
  return loadRaw(bus, bytes, spec, spec.loadAddress);
}

function readImageFile(source: ImageSource): Uint8Array {
  try {
    return readFileSync(source.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'file does not exist'
      : code === 'EISDIR' ? 'is a directory, not a firmware image'
      : code === 'EACCES' ? 'permission denied'
      : `cannot be read (${(error as Error).message})`;
    throw imageError(source, reason);
  }
}

function loadElf(bus: PhysicalBus, image: ElfImage, spec: FirmwareSource, isa: Isa): LoadedFirmware {
  const { header } = image;
  const accepted = MACHINES_FOR_ISA[isa];
  if (!accepted.includes(header.machine)) {
    throw imageError(
      spec,
      `the ELF is for ${machineName(header.machine)}, but this board's CPU is ${isa}, which runs ` +
        accepted.map(machineName).join(' or '),
    );
  }
  if (header.littleEndian !== bus.littleEndian) {
    const order = (little: boolean) => (little ? 'little-endian' : 'big-endian');
    throw imageError(spec, `the ELF is ${order(header.littleEndian)} but the board is ${order(bus.littleEndian)}`);
  }
  const segments = image.loadSegments.map((s): LoadedSegment => ({
    label: `segment ${s.index}`,
    physAddr: physicalAddress(isa, header.is64, s.physAddr, s.memSize, spec),
    virtAddr: s.virtAddr,
    memSize: s.memSize,
    fileSize: s.fileSize,
    fileOffset: s.fileOffset,
    flags: s.flags,
  }));
  checkPlacement(bus, segments, spec);
  for (const s of segments) {
    bus.loadBytes(s.physAddr, image.bytes.subarray(s.fileOffset, s.fileOffset + s.fileSize));
    zeroFill(bus, s.physAddr + s.fileSize, s.memSize - s.fileSize);
  }
  return {
    path: spec.path,
    format: 'elf',
    entry: spec.entry ?? header.entry,
    symbols: symbolTableOf(image),
    segments,
  };
}

/**
 * MIPS images are usually linked (and their p_paddr set) in kseg0 or kseg1,
 * the unmapped windows 0x80000000 and 0xa0000000 onto physical 0-512 MiB
 * (MIPS32 Privileged Resource Architecture, "Virtual memory segments"): such
 * an address is loaded at the physical address it reaches.
 */
function physicalAddress(isa: Isa, is64: boolean, paddr: number, size: number, source: ImageSource): number {
  if (isa !== 'mips' || is64 || paddr < 0x8000_0000 || paddr >= 0xc000_0000) return paddr;
  const windowEnd = paddr < 0xa000_0000 ? 0xa000_0000 : 0xc000_0000;
  if (paddr + size > windowEnd) {
    throw imageError(source, `segment at ${hex(paddr)} (${size} bytes) runs past the end of its kseg window at ${hex(windowEnd)}`);
  }
  return paddr & 0x1fff_ffff;
}

function loadRaw(bus: PhysicalBus, bytes: Uint8Array, spec: FirmwareSource, loadAddress: number): LoadedFirmware {
  if (bytes.length === 0) throw imageError(spec, 'the raw image is empty');
  const segment: LoadedSegment = {
    label: 'raw image',
    physAddr: loadAddress,
    virtAddr: loadAddress,
    memSize: bytes.length,
    fileSize: bytes.length,
    fileOffset: 0,
    flags: PF_R | PF_W | PF_X,
  };
  checkPlacement(bus, [segment], spec);
  bus.loadBytes(loadAddress, bytes);
  return {
    path: spec.path,
    format: 'raw',
    entry: spec.entry ?? loadAddress,
    symbols: new SymbolTable(),
    segments: [segment],
  };
}

/** Zeroes memory in bounded chunks, so a large .bss does not need one large temporary buffer. */
function zeroFill(bus: PhysicalBus, start: number, length: number): void {
  const chunk = new Uint8Array(Math.min(length, 0x10000));
  for (let done = 0; done < length; done += chunk.length) {
    bus.loadBytes(start + done, length - done < chunk.length ? chunk.subarray(0, length - done) : chunk);
  }
}

function leadingBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'nothing (the file is empty)';
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
