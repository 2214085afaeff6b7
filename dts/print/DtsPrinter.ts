import type { DeviceTree, DtNode } from '../model/DeviceTree.ts';
import { InputError } from '../model/SourcePos.ts';
import { PhandleIndex, parseReference, referenceText } from '../model/Phandles.ts';
import { dtsValue } from './DtsValue.ts';

/**
 * Prints a device tree as .dts source (Devicetree Specification v0.4 chapter 6) that
 * `dtc -I dts -O dtb` accepts and compiles to the same blob as writeDtb: memory
 * reservations, labels, every value kind, references as `&label` / `&{/path}`.
 * The layout follows `dtc -O dts` (tabs, a blank line before each child node).
 *
 * Throws InputError for what dtc could not read back: a name or label with characters
 * dtc's syntax does not allow, a duplicate label, a reference to nothing.
 */
export function printDts(tree: DeviceTree): string {
  checkLabels(tree);
  checkReferences(tree);
  const lines: string[] = ['/dts-v1/;', ''];
  for (const [address, size] of tree.memoryReservations) {
    lines.push(`/memreserve/\t${hex64(address)} ${hex64(size)};`);
  }
  if (tree.bootCpuId !== 0) {
    // The boot CPU id lives in the blob's header; .dts has no syntax for it.
    lines.push(`// boot_cpuid_phys = ${tree.bootCpuId}: compile with dtc -b ${tree.bootCpuId}`);
  }
  printNode(tree.root, 0, lines);
  // dtc's grammar has no label before the root's `/ {`; labels on the root are added by
  // reference afterwards, which dtc merges into the same node.
  if (tree.root.labels.length > 0) lines.push(`${tree.root.labels.map((l) => `${l}: `).join('')}&{/} {`, '};');
  return `${lines.join('\n')}\n`;
}

/** dtc's node and property name characters. */
const NAME = /^[a-zA-Z0-9,._+*#?@-]+$/;
/** dtc's label syntax. */
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function printNode(node: DtNode, depth: number, lines: string[]): void {
  const indent = '\t'.repeat(depth);
  const isRoot = node.parent === null;
  if (!isRoot && !NAME.test(node.name)) throw InputError.at(node.pos, `node name ${JSON.stringify(node.name)} under ${node.parent?.path}: dtc names may only use letters, digits and , . _ + * # ? @ -`);
  const labels = isRoot ? '' : node.labels.map((l) => `${l}: `).join('');
  lines.push(`${indent}${labels}${isRoot ? '/' : node.name} {`);
  for (const prop of node.properties) {
    if (!NAME.test(prop.name)) throw InputError.at(prop.pos ?? node.pos, `property name ${JSON.stringify(prop.name)} in ${node.path}: dtc names may only use letters, digits and , . _ + * # ? @ -`);
    lines.push(prop.value.length === 0 ? `${indent}\t${prop.name};` : `${indent}\t${prop.name} = ${dtsValue(prop, node.path)};`);
  }
  for (const child of node.children) {
    lines.push('');
    printNode(child, depth + 1, lines);
  }
  lines.push(`${indent}};`);
}

function checkLabels(tree: DeviceTree): void {
  const owner = new Map<string, DtNode>();
  for (const node of tree.root.walk()) {
    for (const label of node.labels) {
      if (!LABEL.test(label)) throw InputError.at(node.pos, `label "${label}" of ${node.path}: dtc labels are a letter or _ followed by letters, digits or _`);
      const first = owner.get(label);
      if (first !== undefined && first !== node) throw InputError.at(node.pos, `label "${label}" is on both ${first.path} and ${node.path}`);
      owner.set(label, node);
    }
  }
}

function checkReferences(tree: DeviceTree): void {
  const index = PhandleIndex.build(tree);
  for (const node of tree.root.walk()) {
    for (const prop of node.properties) {
      for (const seg of prop.value) {
        const refs = seg.kind === 'pathref' ? [{ ref: seg.ref, pos: seg.pos }] : seg.kind === 'cells' ? seg.cells.filter((c) => typeof c !== 'bigint') : [];
        for (const r of refs) {
          if (index.resolve(r.ref) !== undefined) continue;
          const parsed = parseReference(r.ref);
          const why = 'label' in parsed ? `no node has the label "${parsed.label}"` : `no node at path ${parsed.path}`;
          throw InputError.at(r.pos ?? prop.pos ?? node.pos, `property "${prop.name}" of ${node.path}: reference ${referenceText(r.ref)}: ${why}`);
        }
      }
    }
  }
}

function hex64(n: bigint): string {
  return `0x${n.toString(16).padStart(16, '0')}`;
}
