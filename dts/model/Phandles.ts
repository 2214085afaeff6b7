import type { Cell, DeviceTree, DtNode } from './DeviceTree.ts';
import { InputError, type SourcePos } from './SourcePos.ts';
import { propertyU32 } from './PropertyValue.ts';

/**
 * Phandles and references.
 *
 * A phandle is a node's unique 32-bit identifier, held in its `phandle` property (older
 * trees use `linux,phandle`); 0 and 0xffffffff are not valid values (Devicetree
 * Specification v0.4 section 2.3.3). A reference in a value names a node by label
 * (`gic`) or by path (`/soc/gic`); `&` and braces around a path are accepted too.
 */

/** The node's phandle from its own `phandle` (or `linux,phandle`) property, if valid. */
export function explicitPhandle(node: DtNode): number | undefined {
  const n = propertyU32(node.property('phandle') ?? node.property('linux,phandle'));
  return n === undefined || n === 0 || n === 0xffffffff ? undefined : n;
}

/** `&label` / `label` → {label}; `&{/a/b}` / `{/a/b}` / `/a/b` → {path}. */
export function parseReference(ref: string): { label: string } | { path: string } {
  let text = ref.startsWith('&') ? ref.slice(1) : ref;
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  return text.startsWith('/') ? { path: text } : { label: text };
}

/** A reference spelled as in .dts: `&label` or `&{/path}`. */
export function referenceText(ref: string): string {
  const r = parseReference(ref);
  return 'label' in r ? `&${r.label}` : `&{${r.path}}`;
}

/**
 * Looks nodes up by label, path and phandle. Built once over a finished tree (O(nodes));
 * rebuild it after changing labels or phandles. The first node in tree order wins when
 * a label is (wrongly) used twice.
 */
export class PhandleIndex {
  private readonly labels = new Map<string, DtNode>();
  private readonly byPhandle = new Map<number, DtNode>();
  private readonly phandles = new Map<DtNode, number>();

  private constructor(readonly tree: DeviceTree) {}

  static build(tree: DeviceTree): PhandleIndex {
    const index = new PhandleIndex(tree);
    for (const node of tree.root.walk()) {
      for (const label of node.labels) if (!index.labels.has(label)) index.labels.set(label, node);
      const ph = explicitPhandle(node);
      if (ph !== undefined) index.record(node, ph);
    }
    return index;
  }

  private record(node: DtNode, phandle: number): void {
    if (!this.byPhandle.has(phandle)) this.byPhandle.set(phandle, node);
    this.phandles.set(node, phandle);
  }

  /** The node a reference names, or undefined. */
  resolve(ref: string): DtNode | undefined {
    const r = parseReference(ref);
    return 'label' in r ? this.labels.get(r.label) : this.tree.nodeAt(r.path);
  }

  nodeByLabel(label: string): DtNode | undefined {
    return this.labels.get(label);
  }

  nodeByPhandle(phandle: number): DtNode | undefined {
    return this.byPhandle.get(phandle);
  }

  phandleOf(node: DtNode): number | undefined {
    return this.phandles.get(node);
  }

  /** The node a cell names: a number is a phandle, a reference is looked up. */
  resolveCell(cell: Cell): DtNode | undefined {
    return typeof cell === 'bigint' ? this.byPhandle.get(Number(cell)) : this.resolve(cell.ref);
  }

  /** Phandle for a cell reference, as encodeValue wants it; throws InputError when there is none. */
  readonly phandleOfRef = (ref: string, pos?: SourcePos): number => {
    const node = this.target(ref, pos);
    const ph = this.phandles.get(node);
    if (ph === undefined) throw InputError.at(pos, `${referenceText(ref)} names ${node.path}, which has no phandle`);
    return ph;
  };

  /** Full path for a path reference, as encodeValue wants it; throws InputError when there is none. */
  readonly pathOfRef = (ref: string, pos?: SourcePos): string => this.target(ref, pos).path;

  private target(ref: string, pos: SourcePos | undefined): DtNode {
    const node = this.resolve(ref);
    if (node !== undefined) return node;
    const r = parseReference(ref);
    throw InputError.at(pos, 'label' in r ? `reference to missing label '${r.label}'` : `reference to missing path '${r.path}'`);
  }

  /** Gives `node` the phandle `value` by adding a `phandle` property at the end of its properties. */
  assign(node: DtNode, value: number): void {
    node.setProperty({ name: 'phandle', value: [{ kind: 'cells', bits: 32, cells: [BigInt(value)] }] });
    this.record(node, value);
  }
}

/**
 * Gives every node that a cell reference names a `phandle` property, as dtc does: nodes
 * are visited in tree order (parents first, properties and cells in order), the first
 * reference to a node without a phandle gives it the lowest number from 1 up that no node
 * uses yet. Nodes with an explicit phandle keep it. References that name no node are left
 * alone (the checks report them). Returns the index, up to date.
 */
export function assignPhandles(tree: DeviceTree): PhandleIndex {
  const index = PhandleIndex.build(tree);
  let next = 1;
  for (const node of tree.root.walk()) {
    for (const prop of node.properties) {
      for (const seg of prop.value) {
        if (seg.kind !== 'cells') continue;
        for (const cell of seg.cells) {
          if (typeof cell === 'bigint') continue;
          const target = index.resolve(cell.ref);
          if (target === undefined || index.phandleOf(target) !== undefined) continue;
          while (index.nodeByPhandle(next) !== undefined) next++;
          index.assign(target, next);
        }
      }
    }
  }
  return index;
}
