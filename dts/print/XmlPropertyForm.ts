import type { Cell, DtNode, DtProperty, ValueSegment } from '../model/DeviceTree.ts';
import { DEFAULT_ADDRESS_CELLS, DEFAULT_SIZE_CELLS } from '../model/AddressTranslation.ts';
import { referenceText } from '../model/Phandles.ts';
import { attributeValueKind, parseAttributeValue } from '../model/PropertyValue.ts';
import { propertyToAttributeName } from '../board/AttributeNames.ts';

/**
 * Decides how one property is written in a board file (docs/BOARD-FORMAT.md, "Properties")
 * so that the board loader gives back exactly the same bytes.
 *
 * The short attribute form is typed by the property's name when it is read (one string,
 * a whitespace-separated string list, reg/ranges address and size values, or numbers
 * else one string). So a candidate attribute text is made for the value and read back
 * with the loader's own typing (parseAttributeValue); the attribute form is used only
 * when that gives the same segments. Everything else gets the exact element form
 * `<prop name=…>`.
 */
export type XmlPropertyForm =
  | { readonly kind: 'attribute'; readonly attribute: string; readonly value: string }
  | {
      readonly kind: 'element';
      readonly name: string;
      /** One shorthand attribute (`cells="1 2"`), or none. */
      readonly shorthand?: { readonly attribute: string; readonly value: string };
      /** Children `<string>`, `<cells bits>`, `<bytes>`, `<pathref>` in order. */
      readonly children: readonly XmlValueChild[];
    };

export interface XmlValueChild {
  readonly element: 'string' | 'cells' | 'bytes' | 'pathref';
  readonly bits?: number;
  readonly text: string;
}

/**
 * `attributeAllowed: false` asks for the element form whatever the value (the writer needs
 * that to keep property order: the loader reads a node's attributes before its <prop> children).
 */
export function xmlPropertyForm(prop: DtProperty, node: DtNode, attributeAllowed = true): XmlPropertyForm {
  const segments = prop.value.filter((s) => !isEmptySegment(s));
  const attribute = attributeAllowed ? propertyToAttributeName(prop.name) : undefined;
  const value = attribute === undefined ? undefined : attributeValue(prop.name, segments, node);
  if (attribute !== undefined && value !== undefined) return { kind: 'attribute', attribute, value };
  return elementForm(prop.name, segments);
}

/** Segments that add no bytes: `<>` and `[]`. (An empty string adds its NUL, so it stays.) */
function isEmptySegment(s: ValueSegment): boolean {
  return (s.kind === 'cells' && s.cells.length === 0) || (s.kind === 'bytes' && s.bytes.length === 0);
}

/** The attribute text that reads back as `segments` under `name`'s typing, or undefined. */
function attributeValue(name: string, segments: readonly ValueSegment[], node: DtNode): string | undefined {
  const kind = attributeValueKind(name);
  if (kind === 'address') return addressValues(name, segments, node);
  const candidate = candidateText(kind, segments);
  if (candidate === undefined || !isPlainText(candidate)) return undefined;
  const parsed = parseAttributeValue(name, candidate);
  if (parsed === undefined || parsed.errors.length > 0) return undefined;
  return sameSegments(parsed.segments.filter((s) => !isEmptySegment(s)), segments) ? candidate : undefined;
}

function candidateText(kind: 'string' | 'string-list' | 'auto', segments: readonly ValueSegment[]): string | undefined {
  const only = segments.length === 1 ? segments[0] : undefined;
  switch (kind) {
    case 'string':
      return only?.kind === 'string' ? only.value : undefined;
    case 'string-list':
      return segments.every((s) => s.kind === 'string') ? segments.map((s) => (s as { value: string }).value).join(' ') : undefined;
    case 'auto':
      if (segments.length === 0) return '';
      if (only?.kind === 'cells' && only.bits === 32) return only.cells.map(cellText).join(' ');
      return only?.kind === 'string' ? only.value : undefined;
  }
}

/**
 * Printable ASCII only. XML turns literal tabs and line breaks in an attribute into spaces
 * and cannot hold most other control characters; non-ASCII text would depend on how the
 * file is encoded and decoded, while the blob keeps exact bytes.
 */
function isPlainText(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

function sameSegments(a: readonly ValueSegment[], b: readonly ValueSegment[]): boolean {
  return a.length === b.length && a.every((s, i) => sameSegment(s, b[i]!));
}

function sameSegment(a: ValueSegment, b: ValueSegment): boolean {
  switch (a.kind) {
    case 'string':
      return b.kind === 'string' && a.value === b.value;
    case 'cells':
      return (
        b.kind === 'cells' &&
        a.bits === b.bits &&
        a.cells.length === b.cells.length &&
        a.cells.every((c, i) => {
          const d = b.cells[i]!;
          return typeof c === 'bigint' ? c === d : typeof d !== 'bigint' && referenceText(c.ref) === referenceText(d.ref);
        })
      );
    default:
      // The attribute typing gives only strings and cells.
      return false;
  }
}

/**
 * reg, ranges and dma-ranges are written as address and size values, each expanded back to
 * the number of cells the tree says (DTSpec 2.3.6, 2.3.8, 2.3.9): reg by the parent's
 * #address-cells/#size-cells; ranges by this node's #address-cells (child address), the
 * parent's (parent address) and this node's #size-cells; 2 and 1 when absent. Only one
 * 32-bit cell list whose length fits whole entries qualifies, and only with at most 2
 * cells per value (a 3-cell PCI address reads better as cells than as one 96-bit number).
 */
function addressValues(name: string, segments: readonly ValueSegment[], node: DtNode): string | undefined {
  const parent = node.parent;
  if (parent === null) return undefined;
  // `ranges=""` is the identity mapping; an empty reg or dma-ranges keeps the element form.
  if (segments.length === 0) return name === 'ranges' ? '' : undefined;
  const only = segments.length === 1 ? segments[0] : undefined;
  if (only?.kind !== 'cells' || only.bits !== 32 || !only.cells.every((c) => typeof c === 'bigint')) return undefined;
  const fields =
    name === 'reg'
      ? [
          { cells: cellCount(parent, '#address-cells', DEFAULT_ADDRESS_CELLS), size: false },
          { cells: cellCount(parent, '#size-cells', DEFAULT_SIZE_CELLS), size: true },
        ]
      : [
          { cells: cellCount(node, '#address-cells', DEFAULT_ADDRESS_CELLS), size: false },
          { cells: cellCount(parent, '#address-cells', DEFAULT_ADDRESS_CELLS), size: false },
          { cells: cellCount(node, '#size-cells', DEFAULT_SIZE_CELLS), size: true },
        ];
  if (fields.some((f) => f.cells === undefined || f.cells > 2)) return undefined;
  const entry = fields.reduce((n, f) => n + f.cells!, 0);
  const cells = only.cells as readonly bigint[];
  if (entry === 0 || cells.length % entry !== 0) return undefined;
  const values: string[] = [];
  for (let at = 0; at < cells.length; ) {
    for (const field of fields) {
      if (field.cells === 0) continue;
      let v = 0n;
      for (let i = 0; i < field.cells!; i++) v = (v << 32n) | cells[at++]!;
      values.push(field.size ? sizeText(v) : numberText(v));
    }
  }
  return values.join(' ');
}

/** A `#…-cells` value: its default when absent, undefined when it is not exactly one cell. */
function cellCount(node: DtNode, name: string, fallback: number): number | undefined {
  const prop = node.property(name);
  if (prop === undefined) return fallback;
  const only = prop.value.length === 1 ? prop.value[0] : undefined;
  if (only?.kind !== 'cells' || only.bits !== 32 || only.cells.length !== 1 || typeof only.cells[0] !== 'bigint') return undefined;
  return Number(only.cells[0]);
}

/** Small numbers in decimal, the rest in hex, as people write them in .dts files. */
function numberText(v: bigint): string {
  return v < 10n ? v.toString() : `0x${v.toString(16)}`;
}

/** Sizes that are whole KiB, MiB or GiB with the board format's K/M/G suffix (×1024^n). */
function sizeText(v: bigint): string {
  for (const [suffix, unit] of [
    ['G', 1n << 30n],
    ['M', 1n << 20n],
    ['K', 1n << 10n],
  ] as const) {
    if (v >= unit && v % unit === 0n) return `${v / unit}${suffix}`;
  }
  return numberText(v);
}

function cellText(c: Cell): string {
  return typeof c === 'bigint' ? numberText(c) : referenceText(c.ref);
}

function elementForm(name: string, segments: readonly ValueSegment[]): XmlPropertyForm {
  const children = segments.map(valueChild);
  // One segment that a shorthand attribute can say exactly.
  if (children.length === 1) {
    const [child] = children;
    const shorthand =
      child.element === 'string'
        ? 'string'
        : child.element === 'bytes'
          ? 'bytes'
          : child.element === 'cells' && child.bits === 32
            ? 'cells'
            : child.element === 'cells' && child.bits === 64
              ? 'u64'
              : undefined;
    if (shorthand !== undefined) return { kind: 'element', name, shorthand: { attribute: shorthand, value: child.text }, children: [] };
  }
  return { kind: 'element', name, children };
}

/** A segment as an element-form child; a string XML cannot carry exactly becomes its bytes. */
function valueChild(seg: ValueSegment): XmlValueChild {
  switch (seg.kind) {
    case 'string':
      if (isPlainText(seg.value)) return { element: 'string', text: seg.value };
      return { element: 'bytes', text: bytesText(new TextEncoder().encode(`${seg.value}\0`)) };
    case 'bytes':
      return { element: 'bytes', text: bytesText(seg.bytes) };
    case 'pathref':
      return { element: 'pathref', text: referenceText(seg.ref) };
    case 'cells':
      return { element: 'cells', bits: seg.bits, text: seg.cells.map(cellText).join(' ') };
  }
}

function bytesText(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
