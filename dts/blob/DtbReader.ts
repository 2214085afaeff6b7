import { DeviceTree, DtNode } from '../model/DeviceTree.ts';
import { InputError } from '../model/SourcePos.ts';
import {
  FDT_BEGIN_NODE,
  FDT_END,
  FDT_END_NODE,
  FDT_HEADER_SIZE_V16,
  FDT_HEADER_SIZE_V17,
  FDT_MAGIC,
  FDT_NOP,
  FDT_PROP,
  FDT_VERSION,
  HeaderField,
  RESERVE_ENTRY_SIZE,
  RESERVE_MAP_ALIGN,
  STRUCT_ALIGN,
  alignUp,
} from './FdtFormat.ts';
import { guessValueSegments } from './ValueGuess.ts';

/**
 * Reads a flattened device tree blob (Devicetree Specification v0.4 chapter 5) into a tree.
 *
 * Everything is checked before it is used — header, block offsets, sizes and alignment,
 * the token stream, string offsets — so a corrupt or truncated blob gives an InputError
 * naming the file and the byte offset of the problem, never a JS exception. Versions 16
 * and 17 are read (and later ones that declare themselves compatible with them).
 * Property values are typed as dtc guesses them (see ValueGuess.ts).
 */
export function readDtb(blob: Uint8Array, file: string): DeviceTree {
  return new BlobParser(blob, file).parse();
}

interface Block {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

class BlobParser {
  private readonly view: DataView;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private total = 0;
  private strings: Block = { name: 'strings block', start: 0, end: 0 };

  constructor(
    private readonly blob: Uint8Array,
    private readonly file: string,
  ) {
    this.view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  }

  private fail(offset: number, message: string): never {
    throw InputError.at(undefined, `${this.file}: at byte 0x${offset.toString(16)}: ${message}`);
  }

  private hex(n: number): string {
    return `0x${n.toString(16)}`;
  }

  parse(): DeviceTree {
    const header = this.readHeader();
    const reservations = this.readReservations(header.rsvmap);
    const reserveBlock = { name: 'memory reservation block', start: header.rsvmap, end: header.rsvmap + (reservations.length + 1) * RESERVE_ENTRY_SIZE };
    if (header.structSize !== undefined) {
      const structEnd = header.structOff + header.structSize;
      this.checkOverlaps([reserveBlock, { name: 'structure block', start: header.structOff, end: structEnd }, this.strings]);
      return new DeviceTree(this.readStructure(header.structOff, structEnd).root, reservations, header.bootCpuId);
    }
    // Version 16 does not give the structure block's size: it ends at its FDT_END token.
    const { root, end } = this.readStructure(header.structOff, this.total);
    this.checkOverlaps([reserveBlock, { name: 'structure block', start: header.structOff, end }, this.strings]);
    return new DeviceTree(root, reservations, header.bootCpuId);
  }

  private readHeader() {
    const { blob, view } = this;
    if (blob.length < 4) this.fail(blob.length, `truncated: ${blob.length} bytes is too short for a device tree blob header`);
    const magic = view.getUint32(HeaderField.magic);
    if (magic !== FDT_MAGIC) this.fail(0, `not a device tree blob: magic is ${this.hex(magic)}, expected ${this.hex(FDT_MAGIC)}`);
    if (blob.length < FDT_HEADER_SIZE_V16) this.fail(blob.length, `truncated: the header needs at least ${FDT_HEADER_SIZE_V16} bytes, the file has ${blob.length}`);

    const version = view.getUint32(HeaderField.version);
    const lastComp = view.getUint32(HeaderField.last_comp_version);
    // Before version 16 node names were full paths and the header was shorter; no tool
    // we meet writes those any more.
    if (version < 16) this.fail(HeaderField.version, `version ${version} is not supported (versions 16 and 17 are)`);
    if (lastComp > FDT_VERSION) this.fail(HeaderField.last_comp_version, `last compatible version ${lastComp} is newer than version ${FDT_VERSION}, the newest this reader knows`);
    const headerSize = version >= 17 ? FDT_HEADER_SIZE_V17 : FDT_HEADER_SIZE_V16;
    if (blob.length < headerSize) this.fail(blob.length, `truncated: a version ${version} header needs ${headerSize} bytes, the file has ${blob.length}`);

    this.total = view.getUint32(HeaderField.totalsize);
    if (this.total < headerSize) this.fail(HeaderField.totalsize, `totalsize ${this.hex(this.total)} is smaller than the ${headerSize}-byte header`);
    if (this.total > blob.length) this.fail(blob.length, `truncated: the header says totalsize ${this.hex(this.total)}, the file has ${this.hex(blob.length)} bytes`);

    const rsvmap = view.getUint32(HeaderField.off_mem_rsvmap);
    this.checkBlockStart('off_mem_rsvmap', HeaderField.off_mem_rsvmap, rsvmap, RESERVE_MAP_ALIGN, headerSize);

    const structOff = view.getUint32(HeaderField.off_dt_struct);
    this.checkBlockStart('off_dt_struct', HeaderField.off_dt_struct, structOff, STRUCT_ALIGN, headerSize);
    let structSize: number | undefined;
    if (version >= 17) {
      structSize = view.getUint32(HeaderField.size_dt_struct);
      this.checkBlockEnd('structure block', HeaderField.size_dt_struct, structOff, structSize);
      if (structSize % STRUCT_ALIGN !== 0) this.fail(HeaderField.size_dt_struct, `size_dt_struct ${this.hex(structSize)} is not a multiple of 4`);
    }

    const stringsOff = view.getUint32(HeaderField.off_dt_strings);
    const stringsSize = view.getUint32(HeaderField.size_dt_strings);
    this.checkBlockStart('off_dt_strings', HeaderField.off_dt_strings, stringsOff, 1, headerSize);
    this.checkBlockEnd('strings block', HeaderField.size_dt_strings, stringsOff, stringsSize);
    this.strings = { name: 'strings block', start: stringsOff, end: stringsOff + stringsSize };

    return { rsvmap, structOff, structSize, bootCpuId: view.getUint32(HeaderField.boot_cpuid_phys) };
  }

  private checkBlockStart(field: string, fieldAt: number, off: number, align: number, headerSize: number): void {
    if (off < headerSize) this.fail(fieldAt, `${field} ${this.hex(off)} points into the header`);
    if (off > this.total) this.fail(fieldAt, `${field} ${this.hex(off)} is past totalsize ${this.hex(this.total)}`);
    if (off % align !== 0) this.fail(fieldAt, `${field} ${this.hex(off)} is not aligned to ${align} bytes`);
  }

  private checkBlockEnd(block: string, fieldAt: number, off: number, size: number): void {
    if (off + size > this.total) this.fail(fieldAt, `the ${block} (${this.hex(off)}, ${this.hex(size)} bytes) runs past totalsize ${this.hex(this.total)}`);
  }

  private checkOverlaps(blocks: readonly Block[]): void {
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++) {
        const [a, b] = [blocks[i], blocks[j]];
        if (a.start < b.end && b.start < a.end) this.fail(Math.max(a.start, b.start), `the ${a.name} and the ${b.name} overlap`);
      }
    }
  }

  /** 5.3: pairs of 64-bit address and size, ending with a pair of zeros. */
  private readReservations(start: number): Array<[bigint, bigint]> {
    const out: Array<[bigint, bigint]> = [];
    for (let at = start; ; at += RESERVE_ENTRY_SIZE) {
      if (at + RESERVE_ENTRY_SIZE > this.total) this.fail(at, 'the memory reservation block runs past totalsize without its terminating zero entry');
      const address = this.view.getBigUint64(at);
      const size = this.view.getBigUint64(at + 8);
      if (address === 0n && size === 0n) return out;
      out.push([address, size]);
    }
  }

  /** 5.4: the token stream of the structure block, one root node then FDT_END. */
  private readStructure(start: number, end: number): { root: DtNode; end: number } {
    const stack: DtNode[] = [];
    let root: DtNode | undefined;
    let at = start;
    for (;;) {
      if (at + 4 > end) this.fail(at, root === undefined || stack.length > 0 ? 'the structure block ends inside a node (truncated?)' : 'the structure block ends without FDT_END');
      const tokenAt = at;
      const token = this.view.getUint32(at);
      at += 4;
      switch (token) {
        case FDT_NOP:
          break;
        case FDT_BEGIN_NODE: {
          const nameEnd = this.blob.indexOf(0, at);
          if (nameEnd < 0 || nameEnd >= end) this.fail(at, 'node name runs past the end of the structure block');
          const name = this.text(at, nameEnd, 'node name');
          at = alignUp(nameEnd + 1, STRUCT_ALIGN);
          const parent = stack[stack.length - 1];
          if (parent === undefined) {
            if (root !== undefined) this.fail(tokenAt, 'a second root node after the first one ended');
            // 5.4.1: the root node's name is empty.
            if (name !== '') this.fail(tokenAt, `the root node is named "${name}", expected an empty name`);
            root = new DtNode('');
            stack.push(root);
          } else {
            if (name === '' || name.includes('/')) this.fail(tokenAt, `node name "${name}" under ${parent.path} is empty or contains '/'`);
            if (parent.child(name) !== undefined) this.fail(tokenAt, `duplicate node ${name} under ${parent.path}`);
            stack.push(parent.addChild(new DtNode(name)));
          }
          break;
        }
        case FDT_END_NODE:
          if (stack.pop() === undefined) this.fail(tokenAt, 'FDT_END_NODE outside any node');
          break;
        case FDT_PROP: {
          const node = stack[stack.length - 1];
          if (node === undefined) this.fail(tokenAt, 'FDT_PROP outside any node');
          if (at + 8 > end) this.fail(at, 'property header runs past the end of the structure block');
          const len = this.view.getUint32(at);
          const nameoff = this.view.getUint32(at + 4);
          at += 8;
          if (len > end - at) this.fail(tokenAt, `property value of ${this.hex(len)} bytes runs past the end of the structure block`);
          const name = this.propertyName(nameoff, tokenAt + 8);
          // 5.4.2 order: a node's properties come before its children.
          if (node.children.length > 0) this.fail(tokenAt, `property "${name}" of ${node.path} comes after a child node`);
          if (node.property(name) !== undefined) this.fail(tokenAt, `duplicate property "${name}" in ${node.path}`);
          node.properties.push({ name, value: guessValueSegments(this.blob.subarray(at, at + len)) });
          at = alignUp(at + len, STRUCT_ALIGN);
          break;
        }
        case FDT_END:
          if (root === undefined) this.fail(tokenAt, 'FDT_END before the root node');
          if (stack.length > 0) this.fail(tokenAt, `FDT_END inside node ${stack[stack.length - 1].path} (missing FDT_END_NODE)`);
          return { root, end: at };
        default:
          this.fail(tokenAt, `unknown token ${this.hex(token)} in the structure block`);
      }
    }
  }

  private propertyName(nameoff: number, fieldAt: number): string {
    const { start, end } = this.strings;
    if (nameoff >= end - start) this.fail(fieldAt, `property name offset ${this.hex(nameoff)} is outside the strings block (${this.hex(end - start)} bytes)`);
    const nameEnd = this.blob.indexOf(0, start + nameoff);
    if (nameEnd < 0 || nameEnd >= end) this.fail(start + nameoff, 'property name runs past the end of the strings block');
    const name = this.text(start + nameoff, nameEnd, 'property name');
    if (name === '') this.fail(start + nameoff, 'empty property name');
    return name;
  }

  private text(from: number, to: number, what: string): string {
    try {
      return this.utf8.decode(this.blob.subarray(from, to));
    } catch {
      return this.fail(from, `${what} is not valid UTF-8 text`);
    }
  }
}
