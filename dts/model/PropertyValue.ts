import type { Cell, CellBits, DtProperty, ValueSegment } from './DeviceTree.ts';
import { InputError, type SourcePos } from './SourcePos.ts';

/**
 * Property values: reading them from the text forms the board format uses, and encoding
 * them into the bytes a flattened device tree stores.
 *
 * Devicetree Specification v0.4 section 2.2.4.2 fixes the encodings: a <u32> is 4 bytes
 * big-endian, a <u64> 8 bytes big-endian, a <string> its bytes followed by NUL, a
 * <stringlist> strings one after another, a <prop-encoded-array> cells one after another;
 * an empty value is a boolean that is true by being present. As dtc does for
 * `p = "a", <1>, [00];`, segments follow each other without padding.
 *
 * A reference in a cell (`&label`, `&{/path}`) is kept in the tree as the text after `&`
 * without braces — `"gic"` for a label, `"/soc/gic"` for a path — and becomes the target's
 * phandle only when encoded (see Phandles.ts).
 */

/** A problem found in a value text; `offset` and `length` locate the bad token in the text. */
export interface ValueError {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
}

export interface ParsedValue {
  readonly segments: ValueSegment[];
  readonly errors: ValueError[];
}

/** A whitespace-separated token of a value text and where it starts. */
export interface Token {
  readonly text: string;
  readonly offset: number;
}

/** Maps an offset in the value text to a source position (for references' `pos`). */
export type PositionOf = (offset: number) => SourcePos | undefined;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /[^ \t\r\n]+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ text: m[0], offset: m.index });
  return out;
}

const NUMBER = /^(-?)(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)([KMG]?)$/;
const SUFFIX_SHIFT: Readonly<Record<string, bigint>> = { '': 0n, K: 10n, M: 20n, G: 30n };

/**
 * A number in the board format: `0x` hex, `0b` binary or decimal (a leading zero does not
 * mean octal), optionally negative, optionally followed by K, M or G (times 1024^1, ^2, ^3).
 * Undefined when the token is not a number.
 */
export function parseNumber(token: string): bigint | undefined {
  const m = NUMBER.exec(token);
  if (m === null) return undefined;
  const digits = m[2]!;
  const magnitude = /^0[bB]/.test(digits) ? BigInt(`0b${digits.slice(2)}`) : BigInt(digits);
  const value = magnitude << SUFFIX_SHIFT[m[3]!]!;
  return m[1] === '-' ? -value : value;
}

/**
 * A value as a `bits`-wide cell: non-negative values must be below 2^bits, negative ones
 * are stored in two's complement and must be at least -2^(bits-1). Undefined when it does
 * not fit.
 */
export function fitCell(value: bigint, bits: CellBits): bigint | undefined {
  const span = 1n << BigInt(bits);
  if (value >= 0n) return value < span ? value : undefined;
  return value >= -(span >> 1n) ? span + value : undefined;
}

const LABEL = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH = /^\/[A-Za-z0-9,._+\-@/]*$/;

/**
 * The reference a token stands for: `&label` → `label`, `&{/path}` → `/path`; undefined
 * when the token is not a reference.
 */
export function parseReferenceToken(token: string): string | undefined {
  if (!token.startsWith('&')) return undefined;
  const body = token.slice(1);
  if (LABEL.test(body)) return body;
  if (body.startsWith('{') && body.endsWith('}') && PATH.test(body.slice(1, -1))) return body.slice(1, -1);
  return undefined;
}

/** True for a valid label name (the syntax dtc accepts). */
export function isLabelName(text: string): boolean {
  return LABEL.test(text);
}

/**
 * Cells from text like `1 0x2 -1 &gic 4K`: one cells segment of the given width.
 * References are only meaningful in 32-bit cells, where a phandle fits (as dtc requires).
 */
export function parseCells(text: string, bits: CellBits, posOf?: PositionOf): ParsedValue {
  const cells: Cell[] = [];
  const errors: ValueError[] = [];
  for (const tok of tokenize(text)) {
    const ref = parseReferenceToken(tok.text);
    if (ref !== undefined) {
      if (bits !== 32) errors.push({ ...span(tok), message: `reference '${tok.text}' in ${bits}-bit cells: references need 32-bit cells` });
      else cells.push({ ref, pos: posOf?.(tok.offset) });
      continue;
    }
    const n = parseNumber(tok.text);
    if (n === undefined) {
      errors.push({ ...span(tok), message: `bad number '${tok.text}' (expected 0x…, 0b…, a decimal, with an optional K/M/G suffix, or a &reference)` });
      continue;
    }
    const cell = fitCell(n, bits);
    if (cell === undefined) errors.push({ ...span(tok), message: `${tok.text} does not fit in ${bits === 8 ? 'an' : 'a'} ${bits}-bit cell` });
    else cells.push(cell);
  }
  return { segments: [{ kind: 'cells', bits, cells }], errors };
}

/** Bytes from hex text, pairs of digits optionally separated by white space (`00 1a ff`, `001aff`). */
export function parseBytes(text: string): ParsedValue {
  const errors: ValueError[] = [];
  const out: number[] = [];
  for (const tok of tokenize(text)) {
    if (!/^[0-9a-fA-F]*$/.test(tok.text)) {
      errors.push({ ...span(tok), message: `bad bytes '${tok.text}' (expected pairs of hex digits such as 00 1a ff)` });
    } else if (tok.text.length % 2 !== 0) {
      errors.push({ ...span(tok), message: `bad bytes '${tok.text}': an odd number of hex digits` });
    } else {
      for (let k = 0; k < tok.text.length; k += 2) out.push(parseInt(tok.text.slice(k, k + 2), 16));
    }
  }
  return { segments: [{ kind: 'bytes', bytes: Uint8Array.from(out) }], errors };
}

/**
 * A path reference (`&label`, `&{/path}`; `/path` alone is accepted too) as a pathref segment:
 * the value is the target's full path as a string, like `prop = &label;` in .dts.
 */
export function parsePathReference(text: string, posOf?: PositionOf): ParsedValue {
  const toks = tokenize(text);
  const tok = toks[0];
  const ref = tok === undefined ? undefined : (parseReferenceToken(tok.text) ?? (PATH.test(tok.text) ? tok.text : undefined));
  if (tok === undefined || ref === undefined || toks.length !== 1) {
    const where = tok ?? { text, offset: 0 };
    return { segments: [], errors: [{ ...span(where), message: `bad path reference '${text.trim()}' (expected &label or &{/path})` }] };
  }
  return { segments: [{ kind: 'pathref', ref, pos: posOf?.(tok.offset) }], errors: [] };
}

/**
 * How an attribute-form value is read, chosen by the property's name (the board format's
 * typing rules; see docs/BOARD-FORMAT.md):
 * - 'string': the whole attribute is one string;
 * - 'string-list': whitespace-separated strings;
 * - 'address': address and size values expanded by #address-cells/#size-cells (reg, ranges,
 *   dma-ranges), which needs the tree, so the board reader does it;
 * - 'auto': empty → boolean, all tokens numbers or references → 32-bit cells, else a string.
 */
export type AttributeValueKind = 'string' | 'string-list' | 'address' | 'auto';

const SINGLE_STRING = new Set([
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
const STRING_LIST = new Set(['compatible', 'clock-output-names']);
const ADDRESS = new Set(['reg', 'ranges', 'dma-ranges']);

export function attributeValueKind(propertyName: string): AttributeValueKind {
  if (ADDRESS.has(propertyName)) return 'address';
  if (SINGLE_STRING.has(propertyName) || propertyName.endsWith('-path') || propertyName.endsWith('-method')) return 'string';
  if (STRING_LIST.has(propertyName) || propertyName.endsWith('-names')) return 'string-list';
  return 'auto';
}

/**
 * An attribute-form value typed by its property name. Returns undefined for the 'address'
 * kind, whose expansion needs the cell sizes of the tree.
 */
export function parseAttributeValue(propertyName: string, text: string, posOf?: PositionOf): ParsedValue | undefined {
  switch (attributeValueKind(propertyName)) {
    case 'address':
      return undefined;
    case 'string':
      return { segments: [{ kind: 'string', value: text }], errors: [] };
    case 'string-list':
      return { segments: tokenize(text).map((t) => ({ kind: 'string', value: t.text })), errors: [] };
    case 'auto': {
      const toks = tokenize(text);
      if (text.length === 0) return { segments: [], errors: [] };
      const allCells = toks.length > 0 && toks.every((t) => parseReferenceToken(t.text) !== undefined || parseNumber(t.text) !== undefined);
      if (!allCells) return { segments: [{ kind: 'string', value: text }], errors: [] };
      return parseCells(text, 32, posOf);
    }
  }
}

function span(tok: Token): { offset: number; length: number } {
  return { offset: tok.offset, length: tok.text.length };
}

/** Phandle of the node a cell reference names; throws InputError when there is none. */
export type PhandleResolver = (ref: string, pos?: SourcePos) => number;
/** Full path of the node a path reference names; throws InputError when there is none. */
export type PathResolver = (ref: string, pos?: SourcePos) => string;

const utf8 = new TextEncoder();

/**
 * The bytes of a property value as stored in a DTB (big-endian cells, NUL-terminated
 * strings, no padding between segments). A path reference to a label needs `resolvePath`;
 * one written as a path (`/soc/uart@0`) encodes as itself without it.
 */
export function encodeValue(segments: readonly ValueSegment[], resolvePhandle: PhandleResolver, resolvePath?: PathResolver): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const seg of segments) {
    let part: Uint8Array;
    switch (seg.kind) {
      case 'string':
        part = nulTerminated(seg.value);
        break;
      case 'bytes':
        part = seg.bytes;
        break;
      case 'pathref': {
        if (resolvePath === undefined && !seg.ref.startsWith('/')) {
          throw InputError.at(seg.pos, `path reference &${seg.ref} cannot be encoded without a path resolver`);
        }
        part = nulTerminated(resolvePath === undefined ? seg.ref : resolvePath(seg.ref, seg.pos));
        break;
      }
      case 'cells':
        part = encodeCells(seg.bits, seg.cells, resolvePhandle);
        break;
    }
    parts.push(part);
    total += part.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function nulTerminated(text: string): Uint8Array {
  const body = utf8.encode(text);
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  return out;
}

function encodeCells(bits: CellBits, cells: readonly Cell[], resolvePhandle: PhandleResolver): Uint8Array {
  const width = bits / 8;
  const out = new Uint8Array(cells.length * width);
  const view = new DataView(out.buffer);
  for (let k = 0; k < cells.length; k++) {
    const cell = cells[k]!;
    const value = typeof cell === 'bigint' ? cell : BigInt(resolvePhandle(cell.ref, cell.pos));
    const masked = BigInt.asUintN(bits, value);
    const at = k * width;
    if (bits === 8) view.setUint8(at, Number(masked));
    else if (bits === 16) view.setUint16(at, Number(masked));
    else if (bits === 32) view.setUint32(at, Number(masked));
    else view.setBigUint64(at, masked);
  }
  return out;
}

/**
 * The numeric 32-bit cells of a property whose value is made only of 32-bit cells
 * (any number of `<…>` segments), or undefined — also when a cell is an unresolved
 * reference and `resolvePhandle` is not given.
 */
export function propertyCells(prop: DtProperty | undefined, resolvePhandle?: (ref: string) => number | undefined): number[] | undefined {
  if (prop === undefined) return undefined;
  const out: number[] = [];
  for (const seg of prop.value) {
    if (seg.kind !== 'cells' || seg.bits !== 32) return undefined;
    for (const cell of seg.cells) {
      if (typeof cell === 'bigint') out.push(Number(cell));
      else {
        const n = resolvePhandle?.(cell.ref);
        if (n === undefined) return undefined;
        out.push(n);
      }
    }
  }
  return out;
}

/** A property that is exactly one 32-bit number (like #address-cells), or undefined. */
export function propertyU32(prop: DtProperty | undefined): number | undefined {
  const cells = propertyCells(prop);
  return cells !== undefined && cells.length === 1 ? cells[0] : undefined;
}

/** The strings of a property made only of strings (a string or string list), or undefined. */
export function propertyStrings(prop: DtProperty | undefined): string[] | undefined {
  if (prop === undefined) return undefined;
  const out: string[] = [];
  for (const seg of prop.value) {
    if (seg.kind !== 'string') return undefined;
    out.push(seg.value);
  }
  return out;
}
