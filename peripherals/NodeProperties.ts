import type { DeviceTree, DtNode, DtProperty } from '../dts/model/DeviceTree.ts';
import { InputError } from '../dts/model/SourcePos.ts';

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

/** An InputError pointing at a property (or the node) of a device's tree node. */
export function nodeError(node: DtNode, message: string, property?: string): InputError {
  const pos = (property !== undefined ? node.property(property)?.pos : undefined) ?? node.pos;
  return InputError.at(pos, `${node.path}: ${message}`);
}

/** Check a device node has at least `count` reg entries. */
export function requireRegs(node: DtNode, regs: readonly unknown[], count: number, what: string): void {
  if (regs.length < count) {
    throw nodeError(node, `${what} needs ${count} reg entr${count === 1 ? 'y' : 'ies'}, found ${regs.length}`, 'reg');
  }
}

/**
 * Frequency of the clock a node names in `clocks` (first entry) when that
 * clock is a fixed-clock with `clock-frequency`, else undefined.
 */
export function fixedClockFrequency(tree: DeviceTree, node: DtNode, clockName?: string): number | undefined {
  const prop = node.property('clocks');
  if (prop === undefined) return undefined;
  let index = 0;
  if (clockName !== undefined) {
    const names = stringListProperty(node, 'clock-names') ?? [];
    index = Math.max(0, names.indexOf(clockName));
  }
  const refs: string[] = [];
  const phandles: number[] = [];
  for (const seg of prop.value) {
    if (seg.kind !== 'cells') continue;
    for (const c of seg.cells) {
      if (typeof c === 'bigint') phandles.push(Number(c));
      else refs.push(c.ref);
    }
  }
  let target: DtNode | undefined;
  if (refs.length > 0) target = tree.nodeByLabel(refs[Math.min(index, refs.length - 1)]) ?? tree.nodeAt(refs[0]);
  else if (phandles.length > 0) {
    const ph = phandles[Math.min(index, phandles.length - 1)];
    for (const n of tree.root.walk()) {
      if (u32Property(n, 'phandle') === ph) { target = n; break; }
    }
  }
  return target === undefined ? undefined : u32Property(target, 'clock-frequency');
}

/** Number of CPU nodes under /cpus (device_type = "cpu", or named cpu@N); 1 when there are none. */
export function countCpus(tree: DeviceTree): number {
  const cpus = tree.nodeAt('/cpus');
  if (cpus === undefined) return 1;
  const n = cpus.children.filter((c) =>
    (stringListProperty(c, 'device_type')?.[0] ?? (c.baseName === 'cpu' ? 'cpu' : '')) === 'cpu').length;
  return Math.max(1, n);
}
