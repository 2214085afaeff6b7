import type { DtNode, DtProperty } from '../dts/model/DeviceTree.ts';

/**
 * Reading the few property shapes device models need (string lists, 32-bit
 * cells) from a typed device-tree node. Values imported from a DTB may arrive
 * as raw bytes; both forms are understood.
 */

/** A `compatible`-style string list, or undefined when the property is absent. */
export function stringListProperty(node: DtNode, name: string): string[] | undefined {
  const prop = node.property(name);
  if (prop === undefined) return undefined;
  const out: string[] = [];
  for (const seg of prop.value) {
    if (seg.kind === 'string') out.push(seg.value);
    else if (seg.kind === 'bytes') {
      // A DTB string list is NUL-separated text.
      const text = new TextDecoder().decode(seg.bytes);
      for (const part of text.split('\0')) if (part.length > 0) out.push(part);
    }
  }
  return out;
}

/** Every numeric cell of a property, as 32-bit values (references are skipped). */
export function cellsProperty(node: DtNode, name: string): number[] | undefined {
  const prop = node.property(name);
  if (prop === undefined) return undefined;
  return cellsOf(prop);
}

export function cellsOf(prop: DtProperty): number[] {
  const out: number[] = [];
  for (const seg of prop.value) {
    if (seg.kind === 'cells') {
      for (const c of seg.cells) if (typeof c === 'bigint') out.push(Number(BigInt.asUintN(32, c)));
    } else if (seg.kind === 'bytes' && seg.bytes.length % 4 === 0) {
      const view = new DataView(seg.bytes.buffer, seg.bytes.byteOffset, seg.bytes.byteLength);
      for (let i = 0; i < seg.bytes.length; i += 4) out.push(view.getUint32(i, false));
    }
  }
  return out;
}

/** The first cell of a property as a number, or undefined. */
export function u32Property(node: DtNode, name: string): number | undefined {
  const cells = cellsProperty(node, name);
  return cells === undefined || cells.length === 0 ? undefined : cells[0];
}
