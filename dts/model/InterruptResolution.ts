import type { Cell, DeviceTree, DtNode, DtProperty } from './DeviceTree.ts';
import { InputError, type SourcePos } from './SourcePos.ts';
import { propertyU32 } from './PropertyValue.ts';
import { PhandleIndex, parseReference } from './Phandles.ts';

/**
 * Which interrupt controller input each interrupt of a node reaches (Devicetree
 * Specification v0.4 section 2.4).
 *
 * `interrupts` lists specifiers of the node's interrupt parent, #interrupt-cells cells
 * each. The interrupt parent is named by `interrupt-parent`; a node without one inherits
 * it: as Linux's of_irq_find_parent does, the search goes to the tree parent, which is
 * the interrupt parent if it has #interrupt-cells, else its own interrupt-parent or tree
 * parent is tried, and so on up. `interrupts-extended` instead carries a phandle before
 * each specifier. A parent that is not an `interrupt-controller` but has an
 * `interrupt-map` is a nexus (section 2.4.3): the specifier, with the child's unit
 * address, is masked by `interrupt-map-mask` and looked up in the map, which names the
 * next parent and specifier.
 */

export interface ResolvedInterrupt {
  /** The interrupt controller (a node with `interrupt-controller`). */
  readonly controller: DtNode;
  /** The specifier in the controller's #interrupt-cells format. */
  readonly specifier: number[];
}

/** #interrupt-cells of `node`, or undefined when it has none. */
export function interruptCells(node: DtNode): number | undefined {
  return propertyU32(node.property('#interrupt-cells'));
}

export function isInterruptController(node: DtNode): boolean {
  return node.property('interrupt-controller') !== undefined;
}

/** The node named by a single-cell phandle property (like interrupt-parent); throws when it names none. */
function phandleTarget(owner: DtNode, prop: DtProperty, index: PhandleIndex): DtNode {
  const seg = prop.value.length === 1 ? prop.value[0] : undefined;
  const cell = seg?.kind === 'cells' && seg.bits === 32 && seg.cells.length === 1 ? seg.cells[0] : undefined;
  if (cell === undefined) throw InputError.at(prop.pos, `${prop.name} of ${owner.path} must be one phandle cell`);
  return cellTarget(cell, index, prop.pos);
}

function cellTarget(cell: Cell, index: PhandleIndex, pos: SourcePos | undefined): DtNode {
  const node = index.resolveCell(cell);
  if (node !== undefined) return node;
  if (typeof cell === 'bigint') throw InputError.at(pos, `no node has phandle 0x${cell.toString(16)}`);
  const r = parseReference(cell.ref);
  throw InputError.at(cell.pos ?? pos, 'label' in r ? `reference to missing label '${r.label}'` : `reference to missing path '${r.path}'`);
}

/** Checks that an explicit `interrupt-parent` names a controller or a nexus. */
function checkNamedParent(owner: DtNode, prop: DtProperty, target: DtNode): void {
  if (!isInterruptController(target) && target.property('interrupt-map') === undefined) {
    throw InputError.at(prop.pos, `interrupt-parent of ${owner.path} names ${target.path}, which is not an interrupt-controller`);
  }
}

/**
 * The interrupt parent of `node` (see the module comment), or undefined when neither it
 * nor any ancestor leads to one. Throws InputError when an interrupt-parent on the way
 * names no node, or a node that is not an interrupt controller or nexus.
 */
export function interruptParent(node: DtNode, index: PhandleIndex): DtNode | undefined {
  const seen = new Set<DtNode>();
  for (let cur: DtNode = node; !seen.has(cur); ) {
    seen.add(cur);
    const prop = cur.property('interrupt-parent');
    if (prop !== undefined) {
      const target = phandleTarget(cur, prop, index);
      checkNamedParent(cur, prop, target);
      return target;
    }
    if (cur.parent === null) return undefined;
    if (interruptCells(cur.parent) !== undefined) return cur.parent;
    cur = cur.parent;
  }
  return undefined;
}

/**
 * Follows a specifier through interrupt nexus nodes until it reaches a controller.
 * `unitAddress` is the child's unit address in the nexus's #address-cells (its reg's
 * first cells). Throws InputError (at `pos`) when a map has no matching entry or the
 * parent is neither a controller nor a nexus.
 */
export function mapInterrupt(
  parent: DtNode,
  unitAddress: readonly number[],
  specifier: readonly number[],
  index: PhandleIndex,
  what: string,
  pos: SourcePos | undefined,
): ResolvedInterrupt {
  let nexus = parent;
  let addr = [...unitAddress];
  let spec = [...specifier];
  for (let depth = 0; depth < 16; depth++) {
    if (isInterruptController(nexus)) return { controller: nexus, specifier: spec };
    const map = nexus.property('interrupt-map');
    if (map === undefined) throw InputError.at(pos, `${what}: interrupt parent ${nexus.path} is not an interrupt-controller and has no interrupt-map`);
    const next = lookUpInterruptMap(nexus, map, addr, spec, index, what, pos);
    nexus = next.parent;
    addr = next.unitAddress;
    spec = next.specifier;
  }
  throw InputError.at(pos, `${what}: interrupt-map nexus nodes nest more than 16 deep (a loop?)`);
}

function lookUpInterruptMap(
  nexus: DtNode,
  map: DtProperty,
  unitAddress: readonly number[],
  specifier: readonly number[],
  index: PhandleIndex,
  what: string,
  pos: SourcePos | undefined,
): { parent: DtNode; unitAddress: number[]; specifier: number[] } {
  const ac = propertyU32(nexus.property('#address-cells')) ?? 0;
  const ic = interruptCells(nexus) ?? specifier.length;
  const cells: Cell[] = [];
  for (const seg of map.value) {
    if (seg.kind !== 'cells' || seg.bits !== 32) throw InputError.at(map.pos, `interrupt-map of ${nexus.path} must be 32-bit cells`);
    cells.push(...seg.cells);
  }
  const maskProp = nexus.property('interrupt-map-mask');
  const mask: number[] = [];
  for (const seg of maskProp?.value ?? []) if (seg.kind === 'cells') for (const c of seg.cells) mask.push(typeof c === 'bigint' ? Number(c) : 0xffffffff);
  const key = [...padTo(unitAddress, ac), ...padTo(specifier, ic)].map((v, k) => (v & (mask[k] ?? 0xffffffff)) >>> 0);
  const num = (c: Cell | undefined): number => {
    if (typeof c !== 'bigint') throw InputError.at(map.pos, `interrupt-map of ${nexus.path} is too short or has a reference where a number belongs`);
    return Number(c);
  };
  for (let k = 0; k < cells.length; ) {
    const childKey = [];
    for (let j = 0; j < ac + ic; j++) childKey.push(num(cells[k + j]));
    const parentCell = cells[k + ac + ic];
    if (parentCell === undefined) throw InputError.at(map.pos, `interrupt-map of ${nexus.path} ends in the middle of an entry`);
    const parent = cellTarget(parentCell, index, map.pos);
    const pic = interruptCells(parent);
    if (pic === undefined) throw InputError.at(map.pos, `interrupt-map of ${nexus.path} names ${parent.path}, which has no #interrupt-cells`);
    const pac = propertyU32(parent.property('#address-cells')) ?? 0;
    const start = k + ac + ic + 1;
    const parentAddr: number[] = [];
    const parentSpec: number[] = [];
    for (let j = 0; j < pac; j++) parentAddr.push(num(cells[start + j]));
    for (let j = 0; j < pic; j++) parentSpec.push(num(cells[start + pac + j]));
    if (childKey.every((v, j) => v === key[j])) return { parent, unitAddress: parentAddr, specifier: parentSpec };
    k = start + pac + pic;
  }
  throw InputError.at(pos, `${what}: no interrupt-map entry of ${nexus.path} matches specifier <${specifier.join(' ')}>`);
}

function padTo(values: readonly number[], n: number): number[] {
  const out = values.slice(0, n);
  while (out.length < n) out.push(0);
  return out;
}

function numericCells(node: DtNode, prop: DtProperty, index: PhandleIndex): Array<number | DtNode> {
  const out: Array<number | DtNode> = [];
  for (const seg of prop.value) {
    if (seg.kind !== 'cells' || seg.bits !== 32) throw InputError.at(prop.pos, `${prop.name} of ${node.path} must be 32-bit cells`);
    for (const c of seg.cells) out.push(typeof c === 'bigint' ? Number(c) : cellTarget(c, index, prop.pos));
  }
  return out;
}

function unitAddressOf(node: DtNode, nexus: DtNode): number[] {
  const ac = propertyU32(nexus.property('#address-cells')) ?? 0;
  const reg = node.property('reg');
  const out: number[] = [];
  const seg = reg?.value[0];
  for (let k = 0; k < ac; k++) {
    const c = seg?.kind === 'cells' ? seg.cells[k] : undefined;
    out.push(typeof c === 'bigint' ? Number(c) : 0);
  }
  return out;
}

/**
 * The interrupts of `node` from `interrupts-extended` (preferred when both are present,
 * as the DT specification says) or `interrupts`, each resolved to its controller and
 * specifier. [] when the node has neither. Throws InputError, placed at the property at
 * fault, when an interrupt parent is missing or not a controller, a specifier does not
 * fit the controller's #interrupt-cells, or a nexus map has no match.
 * Pass `index` (PhandleIndex.build(tree)) when resolving many nodes.
 */
export function resolveInterrupts(tree: DeviceTree, node: DtNode, index: PhandleIndex = PhandleIndex.build(tree)): ResolvedInterrupt[] {
  const extended = node.property('interrupts-extended');
  if (extended !== undefined) return resolveExtended(node, extended, index);
  const prop = node.property('interrupts');
  if (prop === undefined) return [];
  const parent = interruptParent(node, index);
  if (parent === undefined) {
    throw InputError.at(prop.pos, `interrupts of ${node.path}: no interrupt parent (set interrupt-parent on it or an ancestor)`);
  }
  const ic = interruptCells(parent);
  if (ic === undefined) throw InputError.at(prop.pos, `interrupts of ${node.path}: interrupt parent ${parent.path} has no #interrupt-cells`);
  const cells = numericCells(node, prop, index);
  if (cells.some((c) => typeof c !== 'number')) throw InputError.at(prop.pos, `interrupts of ${node.path} must be numbers, not references`);
  if (ic === 0 || cells.length % ic !== 0) {
    throw InputError.at(
      prop.pos,
      `interrupts of ${node.path} has ${cells.length} cells, not a multiple of #interrupt-cells = <${ic}> of its interrupt parent ${parent.path}`,
    );
  }
  const unit = isInterruptController(parent) ? [] : unitAddressOf(node, parent);
  const out: ResolvedInterrupt[] = [];
  for (let k = 0; k < cells.length; k += ic) {
    const spec = cells.slice(k, k + ic) as number[];
    out.push(mapInterrupt(parent, unit, spec, index, `interrupt ${k / ic} of ${node.path}`, prop.pos));
  }
  return out;
}

function resolveExtended(node: DtNode, prop: DtProperty, index: PhandleIndex): ResolvedInterrupt[] {
  const cells = numericCells(node, prop, index);
  const out: ResolvedInterrupt[] = [];
  for (let k = 0; k < cells.length; ) {
    const head = cells[k]!;
    const parent = typeof head === 'number' ? index.nodeByPhandle(head) : head;
    if (parent === undefined) throw InputError.at(prop.pos, `interrupts-extended of ${node.path}: no node has phandle 0x${(head as number).toString(16)}`);
    const ic = interruptCells(parent);
    if (ic === undefined) throw InputError.at(prop.pos, `interrupts-extended of ${node.path} names ${parent.path}, which has no #interrupt-cells`);
    if (!isInterruptController(parent) && parent.property('interrupt-map') === undefined) {
      throw InputError.at(prop.pos, `interrupts-extended of ${node.path} names ${parent.path}, which is not an interrupt-controller`);
    }
    const spec = cells.slice(k + 1, k + 1 + ic);
    if (spec.length !== ic || spec.some((c) => typeof c !== 'number')) {
      throw InputError.at(
        prop.pos,
        `interrupts-extended of ${node.path}: the specifier for ${parent.path} needs #interrupt-cells = <${ic}> numbers, found ${spec.filter((c) => typeof c === 'number').length}`,
      );
    }
    const unit = isInterruptController(parent) ? [] : unitAddressOf(node, parent);
    out.push(mapInterrupt(parent, unit, spec as number[], index, `interrupt ${out.length} of ${node.path}`, prop.pos));
    k += 1 + ic;
  }
  return out;
}
