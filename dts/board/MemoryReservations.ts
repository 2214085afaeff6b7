import { parseNumber } from '../model/PropertyValue.ts';
import type { SourcePos } from '../model/SourcePos.ts';
import type { DiagnosticSink } from './DiagnosticSink.ts';
import { attributeText, expectAttributes, expectNoChildren } from './ElementRules.ts';
import type { XmlAttribute, XmlElement } from './xml/XmlTree.ts';

/**
 * `<memreserve address="…" size="…"/>`: one entry of the blob's memory reservation block,
 * as `/memreserve/ address size;` in .dts (Devicetree Specification v0.4 section 5.3).
 * Both values are 64-bit in the blob whatever the CPU's width.
 */

const U64_LIMIT = 1n << 64n;
const NUMBER_HINT = '0x…, 0b… or decimal, optional K/M/G';

function u64Attribute(sink: DiagnosticSink, attr: XmlAttribute): bigint | undefined {
  const text = attributeText(attr);
  const value = parseNumber(text);
  if (value === undefined) {
    sink.error(attr.pos, `bad number '${text}' for ${attr.name} (expected ${NUMBER_HINT})`);
    return undefined;
  }
  // Unlike cells, a reservation has no use for two's complement: a negative value is a mistake.
  if (value < 0n) {
    sink.error(attr.pos, `memreserve ${attr.name} ${text} is negative`);
    return undefined;
  }
  if (value >= U64_LIMIT) {
    sink.error(attr.pos, `memreserve ${attr.name} ${text} does not fit in 64 bits`);
    return undefined;
  }
  return value;
}

/** Reads a `<memreserve>`; undefined (reported) when an attribute is missing or bad. */
export function readMemreserve(sink: DiagnosticSink, el: XmlElement): [bigint, bigint] | undefined {
  expectAttributes(sink, el, ['address', 'size'], ['address', 'size']);
  expectNoChildren(sink, el);
  const addressAttr = el.attribute('address');
  const sizeAttr = el.attribute('size');
  const address = addressAttr === undefined ? undefined : u64Attribute(sink, addressAttr);
  const size = sizeAttr === undefined ? undefined : u64Attribute(sink, sizeAttr);
  if (address === undefined || size === undefined) return undefined;
  if (address === 0n && size === 0n) {
    // 5.3: the list ends at the entry whose address and size are both 0, so this one would
    // end it in the blob and hide every entry after it. (dtc compiles it without a word.)
    sink.error(el.pos, 'memreserve with address 0 and size 0 is the end marker of the memory reservation block (DT spec 5.3), not an entry');
    return undefined;
  }
  return [address, size];
}

function at(pos: SourcePos, from: SourcePos): string {
  return pos.file === from.file ? `line ${pos.line}, column ${pos.column}` : `${pos.file}:${pos.line}:${pos.column}`;
}

function hex(n: bigint): string {
  return `0x${n.toString(16)}`;
}

/**
 * Checks the final list of a tree (after includes). Only warnings: dtc accepts all of these
 * and blobs carrying them exist, so an imported blob must still load.
 * - size 0: the spec ends the list only at address 0 and size 0, but dtc's reader and libfdt
 *   (fdt_num_mem_rsv, used by U-Boot and Linux) stop at the first entry of size 0;
 * - a region past the end of the 64-bit address space;
 * - 5.3: "These given regions shall not overlap each other."
 */
export function checkReservations(sink: DiagnosticSink, entries: readonly (readonly [bigint, bigint])[], positions: readonly SourcePos[]): void {
  entries.forEach(([address, size], i) => {
    const pos = positions[i];
    if (size === 0n) {
      const after = i + 1 < entries.length ? ' and the entries after it' : '';
      sink.warning(pos, `memreserve at ${hex(address)} has size 0: dtc and libfdt (U-Boot, Linux) end the reservation list at the first entry of size 0, so they ignore this entry${after}`);
      return;
    }
    if (address + size > U64_LIMIT) {
      sink.warning(pos, `memreserve ${hex(address)} + ${hex(size)} runs past the end of the 64-bit address space`);
    }
    for (let j = 0; j < i; j++) {
      const [otherAddress, otherSize] = entries[j]!;
      if (otherSize === 0n || address >= otherAddress + otherSize || otherAddress >= address + size) continue;
      const other = positions[j];
      const where = other === undefined || pos === undefined ? '' : ` (at ${at(other, pos)})`;
      sink.warning(
        pos,
        `memreserve ${hex(address)} size ${hex(size)} overlaps memreserve ${hex(otherAddress)} size ${hex(otherSize)}${where}; the DT spec (5.3) says reserved regions shall not overlap`,
      );
      break;
    }
  });
}
