import type { DtNode, DtProperty } from './DeviceTree.ts';
import { InputError } from './SourcePos.ts';
import { propertyCells, propertyStrings, propertyU32 } from './PropertyValue.ts';

/**
 * Addresses in the device tree (Devicetree Specification v0.4 sections 2.3.5, 2.3.6, 2.3.8).
 *
 * A node's `reg` is a list of (address, size) pairs in its parent's address space, each
 * field as many 32-bit cells as the parent's #address-cells and #size-cells say (2 and 1
 * when absent, section 2.3.5). A bus maps its children's space into its own parent's space
 * with `ranges` — (child address, parent address, size) triples; an empty `ranges` is a 1:1
 * mapping, a missing one means no mapping at all. Translating through every ancestor's
 * `ranges` up to the root gives the CPU physical address.
 */

export const DEFAULT_ADDRESS_CELLS = 2;
export const DEFAULT_SIZE_CELLS = 1;

/** #address-cells of `node` — the size of its children's addresses. */
export function addressCells(node: DtNode): number {
  return propertyU32(node.property('#address-cells')) ?? DEFAULT_ADDRESS_CELLS;
}

/** #size-cells of `node` — the size of its children's sizes. */
export function sizeCells(node: DtNode): number {
  return propertyU32(node.property('#size-cells')) ?? DEFAULT_SIZE_CELLS;
}

/** An address range in some bus's address space. */
export interface RegEntry {
  readonly address: bigint;
  readonly size: bigint;
}

/** A region in CPU physical address space. */
export interface CpuRegion {
  readonly address: number;
  readonly size: number;
}

/** Big-endian concatenation of `count` 32-bit cells starting at `at`. */
export function joinCells(cells: readonly number[], at: number, count: number): bigint {
  let v = 0n;
  for (let k = 0; k < count; k++) v = (v << 32n) | BigInt(cells[at + k]! >>> 0);
  return v;
}

function numericCells(node: DtNode, prop: DtProperty): number[] {
  const cells = propertyCells(prop);
  if (cells === undefined) throw InputError.at(prop.pos, `${prop.name} of ${node.path} must be 32-bit numeric cells`);
  return cells;
}

/** The (address, size) pairs of `node`'s reg in its parent's address space ([] when it has none). */
export function regEntries(node: DtNode): RegEntry[] {
  const prop = node.property('reg');
  if (prop === undefined || node.parent === null) return [];
  const cells = numericCells(node, prop);
  const ac = addressCells(node.parent);
  const sc = sizeCells(node.parent);
  const entry = ac + sc;
  if (entry === 0 || cells.length % entry !== 0) {
    throw InputError.at(
      prop.pos,
      `reg of ${node.path} has ${cells.length} cells, not a multiple of ${entry} (#address-cells = <${ac}> + #size-cells = <${sc}> of ${node.parent.path})`,
    );
  }
  const out: RegEntry[] = [];
  for (let k = 0; k < cells.length; k += entry) out.push({ address: joinCells(cells, k, ac), size: joinCells(cells, k + ac, sc) });
  return out;
}

/** One `ranges` entry of a bus: child-space start, parent-space start, length. */
export interface RangesEntry {
  readonly childAddress: bigint;
  readonly parentAddress: bigint;
  readonly size: bigint;
}

/**
 * The entries of `bus`'s `ranges` (or `dma-ranges`, which has the same layout): undefined
 * when the property is absent (no mapping), 'identity' when it is empty.
 */
export function rangesEntries(bus: DtNode, name: 'ranges' | 'dma-ranges' = 'ranges'): RangesEntry[] | 'identity' | undefined {
  const prop = bus.property(name);
  if (prop === undefined) return undefined;
  if (prop.value.length === 0) return 'identity';
  const cells = numericCells(bus, prop);
  const childAc = addressCells(bus);
  const parentAc = bus.parent === null ? DEFAULT_ADDRESS_CELLS : addressCells(bus.parent);
  const sc = sizeCells(bus);
  const entry = childAc + parentAc + sc;
  if (cells.length % entry !== 0) {
    throw InputError.at(
      prop.pos,
      `${name} of ${bus.path} has ${cells.length} cells, not a multiple of ${entry} (#address-cells = <${childAc}> of ${bus.path} + #address-cells = <${parentAc}> of ${bus.parent?.path ?? '/'} + #size-cells = <${sc}> of ${bus.path})`,
    );
  }
  const out: RangesEntry[] = [];
  for (let k = 0; k < cells.length; k += entry) {
    out.push({
      childAddress: joinCells(cells, k, childAc),
      parentAddress: joinCells(cells, k + childAc, parentAc),
      size: joinCells(cells, k + childAc + parentAc, sc),
    });
  }
  return out;
}

/**
 * Translates `address`, an address in `bus`'s children's space, to a CPU physical address
 * through the `ranges` of `bus` and every ancestor below the root. `what` names the
 * address in error messages. Throws InputError when a bus has no `ranges` or no entry of
 * it covers the address.
 */
export function translateAddress(bus: DtNode, address: bigint, what: string, pos = bus.pos): bigint {
  let addr = address;
  for (let b: DtNode = bus; b.parent !== null; b = b.parent) {
    const ranges = rangesEntries(b);
    if (ranges === undefined) {
      throw InputError.at(pos, `${what} cannot be translated to a CPU address: ${b.path} has no ranges property (ranges="" maps 1:1)`);
    }
    if (ranges === 'identity') continue;
    const hit = ranges.find((r) => addr >= r.childAddress && addr - r.childAddress < r.size);
    if (hit === undefined) {
      throw InputError.at(pos, `${what}: address 0x${addr.toString(16)} is outside every ranges entry of ${b.path}`);
    }
    addr = hit.parentAddress + (addr - hit.childAddress);
  }
  return addr;
}

/**
 * `node`'s reg as CPU physical regions, translated through every ancestor's `ranges`.
 * Throws InputError (at the reg property) when reg is malformed or cannot be translated.
 * Use hasCpuAddress first to skip nodes whose reg is not a memory address (CPUs, I2C
 * devices, flash partitions).
 */
export function translateReg(node: DtNode): CpuRegion[] {
  const prop = node.property('reg');
  if (prop === undefined || node.parent === null) return [];
  return regEntries(node).map((e, i) => {
    const what = `reg entry ${i} of ${node.path}`;
    const address = translateAddress(node.parent!, e.address, what, prop.pos);
    const end = address + e.size;
    if (end > BigInt(Number.MAX_SAFE_INTEGER)) throw InputError.at(prop.pos, `${what} ends above 2^53, beyond what tskvm can address`);
    return { address: Number(address), size: Number(e.size) };
  });
}

/**
 * Whether `node`'s reg names CPU-addressable memory. It does not when the node or a bus it
 * hangs from sits in an address space without sizes (#size-cells = <0>: CPUs, I2C, SPI,
 * MDIO), or behind a bus without `ranges` inside a device that has its own reg (offsets
 * in a device, like the partitions of a flash chip), or under a PCI bus (device_type "pci"
 * or "pciex", whose 3-cell addresses name config, I/O or memory space and follow the PCI
 * binding's own rules). A bus without `ranges` that is a bare
 * container (no reg on it or its ancestors, like a /soc node) counts as memory-mapped, so
 * that translateReg reports the missing ranges.
 */
export function hasCpuAddress(node: DtNode): boolean {
  if (node.property('reg') === undefined || node.parent === null) return false;
  for (let bus: DtNode = node.parent; ; bus = bus.parent) {
    if (sizeCells(bus) === 0) return false;
    if (isPciBus(bus)) return false;
    if (bus.parent === null) return true;
    if (bus.property('ranges') === undefined) {
      for (let a: DtNode = bus; a.parent !== null; a = a.parent) if (a.property('reg') !== undefined) return false;
      return true;
    }
  }
}

/** A PCI host bridge or bridge node, recognised as Linux's of_bus_pci_match does: by device_type. */
export function isPciBus(node: DtNode): boolean {
  const type = propertyStrings(node.property('device_type'))?.[0];
  return type === 'pci' || type === 'pciex';
}
