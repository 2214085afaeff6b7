/**
 * Constants of the flattened devicetree (FDT) blob, Devicetree Specification v0.4 chapter 5.
 * All fields of the blob are big-endian.
 */

/** 5.2 header: magic value of the first word. */
export const FDT_MAGIC = 0xd00dfeed;

/** The version we write, and the oldest version a reader of our blobs must understand (5.2). */
export const FDT_VERSION = 17;
export const FDT_LAST_COMPATIBLE_VERSION = 16;

/** Size of the v17 header: ten 32-bit fields (5.2). A v16 header lacks size_dt_struct. */
export const FDT_HEADER_SIZE_V17 = 40;
export const FDT_HEADER_SIZE_V16 = 36;

/** Byte offsets of the header fields (5.2). */
export const HeaderField = {
  magic: 0x00,
  totalsize: 0x04,
  off_dt_struct: 0x08,
  off_dt_strings: 0x0c,
  off_mem_rsvmap: 0x10,
  version: 0x14,
  last_comp_version: 0x18,
  boot_cpuid_phys: 0x1c,
  size_dt_strings: 0x20,
  size_dt_struct: 0x24,
} as const;

/** 5.4.1 structure block tokens. */
export const FDT_BEGIN_NODE = 0x1;
export const FDT_END_NODE = 0x2;
export const FDT_PROP = 0x3;
export const FDT_NOP = 0x4;
export const FDT_END = 0x9;

/** 5.3: each memory reservation entry is a pair of 64-bit address and size, aligned to 8 bytes. */
export const RESERVE_ENTRY_SIZE = 16;
export const RESERVE_MAP_ALIGN = 8;

/** 5.4: tokens and everything in the structure block are aligned to 4 bytes. */
export const STRUCT_ALIGN = 4;

export function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
