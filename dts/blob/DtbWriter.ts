import type { DeviceTree, DtNode, DtProperty } from '../model/DeviceTree.ts';
import { PhandleIndex, referenceText } from '../model/Phandles.ts';
import { encodeValue, fitCell } from '../model/PropertyValue.ts';
import { InputError } from '../model/SourcePos.ts';
import {
  FDT_BEGIN_NODE,
  FDT_END,
  FDT_END_NODE,
  FDT_HEADER_SIZE_V17,
  FDT_LAST_COMPATIBLE_VERSION,
  FDT_MAGIC,
  FDT_PROP,
  FDT_VERSION,
  HeaderField,
  RESERVE_ENTRY_SIZE,
  RESERVE_MAP_ALIGN,
  STRUCT_ALIGN,
  alignUp,
} from './FdtFormat.ts';
import { StringTable } from './StringTable.ts';

/**
 * Flattens a device tree into a version 17 blob (Devicetree Specification v0.4 chapter 5).
 *
 * Layout, as dtc writes it: header, memory reservation block (at the first 8-byte boundary
 * after the header), structure block, strings block, no padding after. Values are encoded
 * by encodeValue (dts/model/PropertyValue.ts): references in cells become the target's
 * `phandle` value, so phandles must already be assigned (the board loader does that), and
 * path references the target's path. A reference that cannot be resolved, or a number too
 * wide for its cells, is an InputError at the property's position.
 */
export interface DtbWriteOptions {
  /**
   * Pad the blob to this total size (like `dtc -S`): free space after the
   * strings block that firmware may use to grow the tree in place. QEMU hands
   * its -bios firmware a 1 MiB blob, and U-Boot sizes its copy from totalsize.
   * A tree that does not fit is an error.
   */
  readonly totalSize?: number;
}

export function writeDtb(tree: DeviceTree, options: DtbWriteOptions = {}): Uint8Array {
  const index = PhandleIndex.build(tree);
  const strings = new StringTable();
  const struct = new ByteSink();
  writeNode(tree.root, true, struct, strings, index);
  struct.u32(FDT_END);

  const reserveOff = alignUp(FDT_HEADER_SIZE_V17, RESERVE_MAP_ALIGN);
  const reserveSize = (tree.memoryReservations.length + 1) * RESERVE_ENTRY_SIZE;
  const structOff = reserveOff + reserveSize;
  const structBytes = struct.bytes();
  const stringsOff = structOff + structBytes.length;
  const stringBytes = strings.bytes();
  const used = stringsOff + stringBytes.length;
  const total = options.totalSize ?? used;
  if (total < used) {
    throw InputError.at(tree.root.pos, `the device tree needs ${used} bytes, more than the requested blob size of ${total}`);
  }

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(HeaderField.magic, FDT_MAGIC);
  view.setUint32(HeaderField.totalsize, total);
  view.setUint32(HeaderField.off_dt_struct, structOff);
  view.setUint32(HeaderField.off_dt_strings, stringsOff);
  view.setUint32(HeaderField.off_mem_rsvmap, reserveOff);
  view.setUint32(HeaderField.version, FDT_VERSION);
  view.setUint32(HeaderField.last_comp_version, FDT_LAST_COMPATIBLE_VERSION);
  view.setUint32(HeaderField.boot_cpuid_phys, checkedU32(tree.bootCpuId, 'boot CPU id'));
  view.setUint32(HeaderField.size_dt_strings, stringBytes.length);
  view.setUint32(HeaderField.size_dt_struct, structBytes.length);

  // 5.3: the reservation list ends with an entry whose address and size are both 0.
  tree.memoryReservations.forEach(([address, size], i) => {
    const at = reserveOff + i * RESERVE_ENTRY_SIZE;
    view.setBigUint64(at, checkedU64(address, 'memory reservation address'));
    view.setBigUint64(at + 8, checkedU64(size, 'memory reservation size'));
  });

  out.set(structBytes, structOff);
  out.set(stringBytes, stringsOff);
  return out;
}

function writeNode(node: DtNode, isRoot: boolean, struct: ByteSink, strings: StringTable, index: PhandleIndex): void {
  // 5.4.1: the root node's name is empty.
  const name = isRoot ? '' : node.name;
  if (!isRoot && (name === '' || name.includes('/') || name.includes('\0'))) {
    throw InputError.at(node.pos, `node ${JSON.stringify(name)} under ${node.parent?.path ?? '/'}: a node name must be non-empty and contain no '/' or NUL`);
  }
  struct.u32(FDT_BEGIN_NODE);
  struct.cString(name);
  struct.align(STRUCT_ALIGN);

  const seenProps = new Set<string>();
  for (const prop of node.properties) {
    if (prop.name === '' || prop.name.includes('\0')) throw InputError.at(prop.pos ?? node.pos, `${node.path}: a property name must be non-empty and contain no NUL`);
    if (seenProps.has(prop.name)) throw InputError.at(prop.pos ?? node.pos, `${node.path}: duplicate property "${prop.name}"`);
    seenProps.add(prop.name);
    const value = encodeProperty(prop, node, index);
    struct.u32(FDT_PROP);
    struct.u32(value.length);
    struct.u32(strings.offsetOf(prop.name));
    struct.raw(value);
    struct.align(STRUCT_ALIGN);
  }

  const seenChildren = new Set<string>();
  for (const child of node.children) {
    if (seenChildren.has(child.name)) throw InputError.at(child.pos ?? node.pos, `${node.path}: duplicate node name "${child.name}"`);
    seenChildren.add(child.name);
    writeNode(child, false, struct, strings, index);
  }
  struct.u32(FDT_END_NODE);
}

function encodeProperty(prop: DtProperty, node: DtNode, index: PhandleIndex): Uint8Array {
  const pos = prop.pos ?? node.pos;
  // encodeValue keeps the low bits of a number; the board loader never gives it a wider
  // one, but a tree built in code might, and a silently truncated value is worse than an error.
  for (const seg of prop.value) {
    if (seg.kind !== 'cells') continue;
    for (const cell of seg.cells) {
      if (typeof cell === 'bigint') {
        if (fitCell(cell, seg.bits) === undefined) throw InputError.at(pos, `property "${prop.name}" of ${node.path}: value ${cell} does not fit in ${seg.bits} bits`);
      } else if (seg.bits !== 32) {
        // A phandle is one 32-bit cell (DTSpec 2.3.3); dtc refuses references in other widths.
        throw InputError.at(cell.pos ?? pos, `property "${prop.name}" of ${node.path}: reference ${referenceText(cell.ref)} in a /bits/ ${seg.bits} array; references need 32-bit cells`);
      }
    }
  }
  try {
    return encodeValue(
      prop.value,
      (ref, refPos) => index.phandleOfRef(ref, refPos ?? pos),
      (ref, refPos) => index.pathOfRef(ref, refPos ?? pos),
    );
  } catch (e) {
    // Name the property: a tree built in code may have no positions to point at.
    if (e instanceof InputError) throw new InputError(e.diagnostics.map((d) => ({ ...d, message: `property "${prop.name}" of ${node.path}: ${d.message}` })));
    throw e;
  }
}

function checkedU32(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw InputError.at(undefined, `${what} ${n} is not a 32-bit unsigned number`);
  return n;
}

function checkedU64(n: bigint, what: string): bigint {
  if (n < 0n || n >= 1n << 64n) throw InputError.at(undefined, `${what} ${n} is not a 64-bit unsigned number`);
  return n;
}

/** A growing big-endian byte buffer for the structure block. */
class ByteSink {
  private buf = new Uint8Array(4096);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buf.subarray(0, this.len));
    this.buf = bigger;
  }

  u32(v: number): void {
    this.reserve(4);
    new DataView(this.buf.buffer).setUint32(this.len, v);
    this.len += 4;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  cString(text: string): void {
    this.raw(new TextEncoder().encode(text));
    this.raw(new Uint8Array(1));
  }

  /** Pads with zero bytes to the next multiple of `to`. */
  align(to: number): void {
    const pad = alignUp(this.len, to) - this.len;
    this.reserve(pad);
    this.buf.fill(0, this.len, this.len + pad);
    this.len += pad;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
