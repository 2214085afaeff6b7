/**
 * Reads ELF fields from the file's bytes in the file's own byte order
 * (EI_DATA) and word size (EI_CLASS). Offsets are checked by the callers,
 * which know which structure is being read and can say so in the error.
 */
export class ElfByteReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    readonly is64: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Size in bytes of an address/offset field (Elf32_Addr or Elf64_Addr). */
  get wordSize(): 4 | 8 {
    return this.is64 ? 8 : 4;
  }

  u8(offset: number): number {
    return this.view.getUint8(offset);
  }

  u16(offset: number): number {
    return this.view.getUint16(offset, this.littleEndian);
  }

  u32(offset: number): number {
    return this.view.getUint32(offset, this.littleEndian);
  }

  /**
   * A 64-bit field as a number, or NaN when it does not fit in 2**53
   * (callers report such a value as unsupported instead of rounding it).
   */
  u64(offset: number): number {
    const lo = this.view.getUint32(offset + (this.littleEndian ? 0 : 4), this.littleEndian);
    const hi = this.view.getUint32(offset + (this.littleEndian ? 4 : 0), this.littleEndian);
    return hi >= 0x200000 ? Number.NaN : hi * 0x1_0000_0000 + lo;
  }

  /** An address or offset field: 32 bits in ELF32, 64 in ELF64. */
  word(offset: number): number {
    return this.is64 ? this.u64(offset) : this.u32(offset);
  }

  /** NUL-terminated ASCII string starting at `offset`, not reading past `limit`; null when unterminated. */
  cString(offset: number, limit: number): string | null {
    let end = offset;
    while (end < limit && this.bytes[end] !== 0) end++;
    if (end >= limit) return null;
    let text = '';
    for (let i = offset; i < end; i++) text += String.fromCharCode(this.bytes[i]!);
    return text;
  }
}
