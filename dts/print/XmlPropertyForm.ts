import type { Cell, DtNode, DtProperty, ValueSegment } from '../model/DeviceTree.ts';
import { referenceText } from '../model/Phandles.ts';

/**
 * Decides how one property is written in a board file (docs/BOARD-FORMAT.md, "Properties")
 * so that the board parser gives back exactly the same bytes.
 *
 * The short attribute form is typed by the property's name when it is parsed (single
 * strings, whitespace-separated string lists, reg/ranges address-size values, numbers or
 * else one string), so it is used only where that typing is sure to reproduce the value;
 * everything else gets the exact element form `<prop name=…>`.
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

/** Names whose attribute is one string (the whole attribute value). */
const SINGLE_STRING_NAMES = new Set([
  'model',
  'status',
  'device_type',
  'bootargs',
  'stdout-path',
  'stdin-path',
  'linux,stdout-path',
  'method',
  'enable-method',
  'label',
  'phy-mode',
  'phy-connection-type',
  'entry-method',
]);

function isSingleStringName(name: string): boolean {
  return SINGLE_STRING_NAMES.has(name) || name.endsWith('-path') || name.endsWith('-method');
}

function isStringListName(name: string): boolean {
  return name === 'compatible' || name.endsWith('-names') || name === 'clock-output-names';
}

const ADDRESS_VALUE_NAMES = new Set(['reg', 'ranges', 'dma-ranges']);

/** The attribute that stands for a property name, or undefined when the element form is needed. */
export function attributeNameFor(property: string): string | undefined {
  if (property === 'name' || property === 'label' || property === 'ref') return undefined;
  // `.` and a leading `_` already mean `,` and `#`: a real one would be read back wrongly.
  if (property.includes('.') || property.startsWith('_')) return undefined;
  const mapped = property.replace(/^#/, '_').replaceAll(',', '.');
  // Plain ASCII XML names only (no `:`, which means a namespace); `xml…` names are reserved.
  if (!/^[A-Za-z_][A-Za-z0-9._-]*$/.test(mapped) || /^xml/i.test(mapped)) return undefined;
  return mapped;
}

/**
 * `attributeAllowed: false` asks for the element form whatever the value (the writer needs
 * that to keep property order: attributes are read before a node's <prop> children).
 */
export function xmlPropertyForm(prop: DtProperty, node: DtNode, attributeAllowed = true): XmlPropertyForm {
  const segments = prop.value.filter((s) => !isEmptySegment(s));
  const attribute = attributeAllowed ? attributeNameFor(prop.name) : undefined;
  const value = attribute === undefined ? undefined : attributeValue(prop.name, segments, node);
  if (attribute !== undefined && value !== undefined) return { kind: 'attribute', attribute, value };
  return elementForm(prop.name, segments);
}

/** Segments that add no bytes: `<>` and `[]`. (An empty string adds its NUL, so it stays.) */
function isEmptySegment(s: ValueSegment): boolean {
  return (s.kind === 'cells' && s.cells.length === 0) || (s.kind === 'bytes' && s.bytes.length === 0);
}

/** The attribute value that parses back to `segments` under `name`'s typing rule, or undefined. */
function attributeValue(name: string, segments: readonly ValueSegment[], node: DtNode): string | undefined {
  if (isSingleStringName(name)) {
    const only = segments.length === 1 ? segments[0] : undefined;
    return only?.kind === 'string' && only.value !== '' && isAttributeSafe(only.value) ? only.value : undefined;
  }
  if (isStringListName(name)) {
    if (segments.length === 0 || !segments.every((s) => s.kind === 'string' && /^[\x21-\x7e]+$/.test(s.value))) return undefined;
    return segments.map((s) => (s as { value: string }).value).join(' ');
  }
  if (ADDRESS_VALUE_NAMES.has(name)) return addressValues(name, segments, node);
  // Everything else: empty → boolean; numbers and references → 32-bit cells; else one string.
  if (segments.length === 0) return '';
  if (segments.length !== 1) return undefined;
  const only = segments[0];
  if (only.kind === 'cells' && only.bits === 32) return only.cells.map(cellText).join(' ');
  if (only.kind === 'string' && isAttributeSafe(only.value) && isClearlyText(only.value)) return only.value;
  return undefined;
}

/**
 * Printable ASCII without leading or trailing space: XML normalizes tabs and line breaks
 * in attributes to spaces and cannot hold most control characters at all, and a reader
 * may trim.
 */
function isAttributeSafe(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text) && text.trim() === text;
}

/** No token can be mistaken for a number or a reference: each one starts with a letter, `_` or `/`. */
function isClearlyText(text: string): boolean {
  return text !== '' && text.split(/\s+/).every((token) => /^[A-Za-z_/]/.test(token));
}

/**
 * reg, ranges and dma-ranges are written as address and size values, each expanded back to
 * the number of cells the tree says (DTSpec 2.3.5, 2.3.6, 2.3.8): reg by the parent's
 * #address-cells/#size-cells; ranges by this node's #address-cells (child address), the
 * parent's (parent address) and this node's #size-cells. Only one 32-bit cell list whose
 * length fits whole entries qualifies, and only with at most 2 cells per value.
 */
function addressValues(name: string, segments: readonly ValueSegment[], node: DtNode): string | undefined {
  const parent = node.parent;
  if (parent === null) return undefined;
  if (segments.length === 0) return name === 'ranges' ? '' : undefined;
  const only = segments.length === 1 ? segments[0] : undefined;
  if (only?.kind !== 'cells' || only.bits !== 32 || !only.cells.every((c) => typeof c === 'bigint')) return undefined;
  const layout =
    name === 'reg'
      ? [{ cells: cellCount(parent, '#address-cells', 2), size: false }, { cells: cellCount(parent, '#size-cells', 1), size: true }]
      : [
          { cells: cellCount(node, '#address-cells', 2), size: false },
          { cells: cellCount(parent, '#address-cells', 2), size: false },
          { cells: cellCount(node, '#size-cells', 1), size: true },
        ];
  if (layout.some((f) => f.cells === undefined || f.cells > 2)) return undefined;
  const entry = layout.reduce((n, f) => n + (f.cells ?? 0), 0);
  const cells = only.cells as readonly bigint[];
  if (entry === 0 || cells.length % entry !== 0) return undefined;
  const values: string[] = [];
  for (let at = 0; at < cells.length; ) {
    for (const field of layout) {
      let v = 0n;
      for (let i = 0; i < field.cells!; i++) v = (v << 32n) | cells[at++];
      if (field.cells! > 0) values.push(field.size ? sizeText(v) : numberText(v));
    }
  }
  return values.join(' ');
}

/** The value of a `#…-cells` property, its default when absent, undefined when it is not one cell. */
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

/** A segment as an element-form child; strings XML cannot carry exactly become their bytes. */
function valueChild(seg: ValueSegment): XmlValueChild {
  switch (seg.kind) {
    case 'string':
      if (isAttributeSafe(seg.value)) return { element: 'string', text: seg.value };
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
