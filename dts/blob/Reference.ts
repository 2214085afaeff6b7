import type { DeviceTree, DtNode } from '../model/DeviceTree.ts';
import { InputError, type SourcePos } from '../model/SourcePos.ts';
import type { ReferenceResolver } from './PropertyEncoder.ts';

/**
 * A reference as it appears in a cell (`<&gic>`) or as a path value (`= &uart0;`).
 * The tree stores it as text; both spellings the board format allows are accepted here,
 * with or without the leading `&`: a label (`gic`, `&gic`) or a path (`/soc/gic`,
 * `{/soc/gic}`, `&{/soc/gic}`).
 */
export type ParsedReference = { readonly kind: 'label'; readonly label: string } | { readonly kind: 'path'; readonly path: string };

export function parseReference(ref: string): ParsedReference {
  let text = ref.startsWith('&') ? ref.slice(1) : ref;
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  return text.startsWith('/') ? { kind: 'path', path: text } : { kind: 'label', label: text };
}

/** The node a reference names, or undefined. */
export function referenceTarget(tree: DeviceTree, ref: string): DtNode | undefined {
  const parsed = parseReference(ref);
  return parsed.kind === 'label' ? tree.nodeByLabel(parsed.label) : tree.nodeAt(parsed.path);
}

/** The reference spelled as in .dts source: `&label` or `&{/path}`. */
export function referenceSource(ref: string): string {
  const parsed = parseReference(ref);
  return parsed.kind === 'label' ? `&${parsed.label}` : `&{${parsed.path}}`;
}

/** Resolves references against the nodes of `tree`: cell references to the target's phandle property. */
export function treeReferenceResolver(tree: DeviceTree): ReferenceResolver {
  const target = (ref: string, pos: SourcePos | undefined): DtNode => {
    const node = referenceTarget(tree, ref);
    if (node !== undefined) return node;
    const parsed = parseReference(ref);
    throw InputError.at(
      pos,
      parsed.kind === 'label' ? `reference ${referenceSource(ref)}: no node has the label "${parsed.label}"` : `reference ${referenceSource(ref)}: no node at path ${parsed.path}`,
    );
  };
  return {
    path: (ref, pos) => target(ref, pos).path,
    phandle: (ref, pos) => {
      const node = target(ref, pos);
      // DTSpec 2.3.3: `phandle` holds the node's unique 32-bit identifier; dtc also honours the
      // older `linux,phandle` spelling.
      const prop = node.property('phandle') ?? node.property('linux,phandle');
      if (prop === undefined) throw InputError.at(pos, `reference ${referenceSource(ref)}: node ${node.path} has no phandle property`);
      const seg = prop.value.length === 1 ? prop.value[0] : undefined;
      const cell = seg?.kind === 'cells' && seg.bits === 32 && seg.cells.length === 1 ? seg.cells[0] : undefined;
      if (typeof cell !== 'bigint' || cell === 0n || cell >= 0xffffffffn) {
        throw InputError.at(pos, `reference ${referenceSource(ref)}: the ${prop.name} property of ${node.path} is not one cell between 1 and 0xfffffffe`);
      }
      return Number(cell);
    },
  };
}
