import type { DeviceTree, DtNode, DtProperty } from '../model/DeviceTree.ts';
import { InputError, type SourcePos } from '../model/SourcePos.ts';
import { hasCpuAddress, rangesEntries, regEntries, translateAddress } from '../model/AddressTranslation.ts';
import { interruptParent, resolveInterrupts } from '../model/InterruptResolution.ts';
import { PhandleIndex, assignPhandles, explicitPhandle, parseReference } from '../model/Phandles.ts';
import { propertyStrings, propertyU32 } from '../model/PropertyValue.ts';
import type { DiagnosticSink } from './DiagnosticSink.ts';
import { checkReservations } from './MemoryReservations.ts';

/** What the tree checks need from the builder besides the tree. */
export interface TreeFacts {
  readonly tree: DeviceTree;
  /** Where each label of each node was written. */
  readonly labelPositions: ReadonlyMap<DtNode, ReadonlyMap<string, SourcePos>>;
  /** Properties whose value already had an error; checks of their content skip them. */
  readonly badProperties: ReadonlySet<DtProperty>;
  /** Where each entry of tree.memoryReservations was written (same order). */
  readonly reservationPositions: readonly SourcePos[];
}

/**
 * The checks of a finished tree, each reported at the property or label at fault:
 * cell-count properties that are not one number, references to missing labels or paths,
 * duplicate labels and phandles, reg/ranges whose cell count does not fit the cell sizes,
 * overlapping memory-mapped regions, interrupts that do not fit their controller, and
 * questionable memory reservations (MemoryReservations.ts).
 * Also gives referenced nodes their phandles (dtc's numbering). Returns the phandle index
 * of the tree.
 */
export function checkTree(facts: TreeFacts, sink: DiagnosticSink): PhandleIndex {
  const { tree } = facts;
  checkCellCounts(facts, sink);
  checkReferences(facts, sink, PhandleIndex.build(tree));
  checkDuplicateLabels(facts, sink);
  checkDuplicatePhandles(tree, sink);
  const index = assignPhandles(tree);
  checkRegAndRanges(facts, sink);
  checkOverlaps(facts, sink);
  checkInterrupts(facts, sink, index);
  checkReservations(sink, tree.memoryReservations, facts.reservationPositions);
  return index;
}

function usable(facts: TreeFacts, prop: DtProperty | undefined): prop is DtProperty {
  return prop !== undefined && !facts.badProperties.has(prop);
}

/** #address-cells, #size-cells, #interrupt-cells and the other #…-cells must each be one number. */
function checkCellCounts(facts: TreeFacts, sink: DiagnosticSink): void {
  for (const node of facts.tree.root.walk()) {
    for (const prop of node.properties) {
      if (!prop.name.startsWith('#') || !prop.name.endsWith('-cells') || !usable(facts, prop)) continue;
      if (propertyU32(prop) === undefined) sink.error(prop.pos, `bad ${prop.name} of ${node.path}: it must be one 32-bit number`);
    }
  }
}

function checkReferences(facts: TreeFacts, sink: DiagnosticSink, index: PhandleIndex): void {
  const missing = (ref: string, pos: SourcePos | undefined): void => {
    if (index.resolve(ref) !== undefined) return;
    const r = parseReference(ref);
    sink.error(pos, 'label' in r ? `reference to missing label '${r.label}'` : `reference to missing path '${r.path}'`);
  };
  for (const node of facts.tree.root.walk()) {
    for (const prop of node.properties) {
      for (const seg of prop.value) {
        if (seg.kind === 'pathref') missing(seg.ref, seg.pos ?? prop.pos);
        else if (seg.kind === 'cells') for (const c of seg.cells) if (typeof c !== 'bigint') missing(c.ref, c.pos ?? prop.pos);
      }
    }
  }
}

function checkDuplicateLabels(facts: TreeFacts, sink: DiagnosticSink): void {
  const owner = new Map<string, DtNode>();
  for (const node of facts.tree.root.walk()) {
    for (const label of node.labels) {
      const first = owner.get(label);
      if (first === undefined) owner.set(label, node);
      else {
        const pos = facts.labelPositions.get(node)?.get(label) ?? node.pos;
        const firstPos = facts.labelPositions.get(first)?.get(label) ?? first.pos;
        const where = firstPos === undefined ? '' : ` (${firstPos.file}:${firstPos.line}:${firstPos.column})`;
        sink.error(pos, `duplicate label '${label}': ${node.path} and ${first.path}${where} both carry it`);
      }
    }
  }
}

function checkDuplicatePhandles(tree: DeviceTree, sink: DiagnosticSink): void {
  const owner = new Map<number, DtNode>();
  for (const node of tree.root.walk()) {
    const ph = explicitPhandle(node);
    if (ph === undefined) continue;
    const first = owner.get(ph);
    if (first === undefined) owner.set(ph, node);
    else sink.error((node.property('phandle') ?? node.property('linux,phandle'))?.pos, `duplicate phandle 0x${ph.toString(16)}: ${node.path} and ${first.path}`);
  }
}

/**
 * reg and ranges written as cells must hold whole entries for the cell sizes in force.
 * When a cell size involved is not written but defaulted (DT spec 2.3.5 says to assume 2
 * and 1, but also that nodes with addressed children shall state them), the count cannot
 * be judged for sure, so that is a warning — QEMU's own e500 tree has such an I2C bus.
 */
function checkRegAndRanges(facts: TreeFacts, sink: DiagnosticSink): void {
  const explicit = (...nodes: Array<DtNode | null>): boolean =>
    nodes.every((n) => n === null || (n.property('#address-cells') !== undefined && n.property('#size-cells') !== undefined));
  const check = (run: () => unknown, stated: boolean): void => {
    try {
      run();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      if (stated) sink.add(e.diagnostics);
      else for (const d of e.diagnostics) sink.warning(d.pos, `${d.message}; #address-cells/#size-cells are not stated, so the defaults 2 and 1 apply`);
    }
  };
  for (const node of facts.tree.root.walk()) {
    if (node.parent === null) continue;
    if (usable(facts, node.property('reg'))) check(() => regEntries(node), explicit(node.parent));
    if (usable(facts, node.property('ranges'))) check(() => rangesEntries(node, 'ranges'), explicit(node, node.parent));
    if (usable(facts, node.property('dma-ranges'))) check(() => rangesEntries(node, 'dma-ranges'), explicit(node, node.parent));
  }
}

interface Region {
  readonly start: number;
  readonly end: number;
  readonly node: DtNode;
  readonly order: number;
  readonly pos: SourcePos | undefined;
}

function isAncestor(a: DtNode, b: DtNode): boolean {
  for (let p = b.parent; p !== null; p = p.parent) if (p === a) return true;
  return false;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/**
 * Memory-mapped regions (reg translated to CPU addresses, memory nodes included) must not
 * overlap. Skipped: disabled nodes and their subtrees, /reserved-memory (which describes
 * parts of RAM on purpose), entries of size 0 (not a region), and a node against its own
 * ancestors (a device's sub-blocks may lie inside its parent's window). A region strictly
 * inside another node's is only a warning: real trees describe sub-blocks that way (QEMU's
 * e500 has its MSI block inside the MPIC's window); a partial overlap or two identical
 * regions are errors.
 */
function checkOverlaps(facts: TreeFacts, sink: DiagnosticSink): void {
  const regions: Region[] = [];
  let order = 0;
  const visit = (node: DtNode): void => {
    if (propertyStrings(node.property('status'))?.[0] === 'disabled') return;
    if (node.parent?.parent === null && node.baseName === 'reserved-memory') return;
    const reg = node.property('reg');
    if (usable(facts, reg) && hasCpuAddress(node)) {
      const entries = sink.catching(() => regEntries(node)) ?? [];
      entries.forEach((e, i) => {
        if (e.size === 0n) return;
        const start = sink.catching(() => translateAddress(node.parent!, e.address, `reg entry ${i} of ${node.path}`, reg.pos));
        if (start === undefined) return;
        const end = start + e.size;
        if (end > BigInt(Number.MAX_SAFE_INTEGER)) sink.error(reg.pos, `reg entry ${i} of ${node.path} ends above 2^53, beyond what tskvm can address`);
        else regions.push({ start: Number(start), end: Number(end), node, order, pos: reg.pos });
      });
    }
    order++;
    for (const child of node.children) visit(child);
  };
  visit(facts.tree.root);
  regions.sort((a, b) => a.start - b.start || a.order - b.order);
  let active: Region[] = [];
  const span = (r: Region) => `${r.node.path} at ${hex(r.start)}..${hex(r.end - 1)}`;
  for (const r of regions) {
    active = active.filter((a) => a.end > r.start);
    for (const a of active) {
      if (a.node === r.node || isAncestor(a.node, r.node) || isAncestor(r.node, a.node)) continue;
      const identical = a.start === r.start && a.end === r.end;
      const rInside = r.start >= a.start && r.end <= a.end;
      const aInside = a.start >= r.start && a.end <= r.end;
      if (!identical && (rInside || aInside)) {
        const [inner, outer] = rInside ? [r, a] : [a, r];
        sink.warning(inner.pos, `MMIO region ${span(inner)} lies inside ${span(outer)} (a sub-block of it?)`);
      } else {
        sink.error(r.pos, `overlapping MMIO regions: ${span(r)} and ${span(a)}`);
      }
    }
    active.push(r);
  }
}

function checkInterrupts(facts: TreeFacts, sink: DiagnosticSink, index: PhandleIndex): void {
  for (const node of facts.tree.root.walk()) {
    if (usable(facts, node.property('interrupt-parent'))) sink.catching(() => interruptParent(node, index));
    const prop = node.property('interrupts-extended') ?? node.property('interrupts');
    if (usable(facts, prop)) sink.catching(() => resolveInterrupts(facts.tree, node, index));
  }
}
