import type { DeviceTree, DtNode } from '../model/DeviceTree.ts';
import { InputError } from '../model/SourcePos.ts';
import { xmlPropertyForm, type XmlPropertyForm } from './XmlPropertyForm.ts';

export interface BoardXmlOptions {
  /** The `<board name=…>`. */
  readonly name: string;
}

/**
 * Writes a device tree as a board file in the board format (docs/BOARD-FORMAT.md), as
 * `tskvm-board import` does for a .dtb. The result is lossless: parsing it and writing
 * the blob gives the same bytes as writeDtb(tree). Properties use the short attribute
 * form where its typing rules give back the same bytes, the exact `<prop>` form elsewhere
 * (see XmlPropertyForm.ts); phandles stay numbers, since a blob has no labels.
 * The header's boot CPU id becomes `boot-cpu` (left out when 0, the default) and each
 * entry of the memory reservation block a `<memreserve>`, in the blob's order. Values no
 * blob can hold (a boot CPU id beyond 32 bits, a reservation beyond 64 bits or the 0, 0
 * end marker as an entry) are an InputError, as the board loader would reject them.
 */
export function writeBoardXml(tree: DeviceTree, options: BoardXmlOptions): string {
  checkHeaderValues(tree);
  const bootCpu = tree.bootCpuId === 0 ? '' : ` boot-cpu="${number(BigInt(tree.bootCpuId))}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- Imported from a device tree blob. Properties whose short form would not give back the',
    '     same bytes are written as <prop> elements. Add <firmware> and <console> to run it. -->',
    `<board name="${escapeAttribute(options.name, 'the board name')}"${bootCpu}>`,
  ];
  for (const [address, size] of tree.memoryReservations) {
    lines.push(`${INDENT}<memreserve address="0x${address.toString(16)}" size="0x${size.toString(16)}"/>`);
  }
  writeNode(tree.root, 1, lines);
  lines.push('</board>');
  return `${lines.join('\n')}\n`;
}

function checkHeaderValues(tree: DeviceTree): void {
  const id = tree.bootCpuId;
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw InputError.at(undefined, `boot CPU id ${id} is not a 32-bit unsigned number`);
  for (const [address, size] of tree.memoryReservations) {
    for (const n of [address, size]) {
      if (n < 0n || n >= 1n << 64n) throw InputError.at(undefined, `memory reservation ${address}, ${size}: ${n} is not a 64-bit unsigned number`);
    }
    if (address === 0n && size === 0n) throw InputError.at(undefined, 'a memory reservation with address 0 and size 0 is the end marker of the reservation block, not an entry');
  }
}

const INDENT = '  ';

/** Small numbers in decimal, others in hex (CPU ids like 0x80000100 read better so). */
function number(n: bigint): string {
  return n < 10n ? n.toString() : `0x${n.toString(16)}`;
}
/** Longer start tags get one attribute per line. */
const MAX_LINE = 100;

function writeNode(node: DtNode, depth: number, lines: string[]): void {
  const indent = INDENT.repeat(depth);
  const where = node.path;
  const attributes: string[] = [`name="${escapeAttribute(node.parent === null ? '/' : node.name, `the name of ${where}`)}"`];
  if (node.labels.length > 0) attributes.push(`label="${escapeAttribute(node.labels.join(' '), `the labels of ${where}`)}"`);

  // The parser reads a node's attributes before its <prop> children, so once one property
  // needs the element form, the ones after it do too: the blob keeps property order.
  const elements: Extract<XmlPropertyForm, { kind: 'element' }>[] = [];
  for (const prop of node.properties) {
    const form = xmlPropertyForm(prop, node, elements.length === 0);
    if (form.kind === 'attribute') attributes.push(`${form.attribute}="${escapeAttribute(form.value, `property ${prop.name} of ${where}`)}"`);
    else elements.push(form);
  }

  const open = startTag(indent, 'node', attributes);
  if (elements.length === 0 && node.children.length === 0) {
    lines.push(`${open}/>`);
    return;
  }
  lines.push(`${open}>`);
  const inner = indent + INDENT;
  for (const form of elements) writeProp(form, inner, where, lines);
  for (const child of node.children) writeNode(child, depth + 1, lines);
  lines.push(`${indent}</node>`);
}

function writeProp(form: Extract<XmlPropertyForm, { kind: 'element' }>, indent: string, where: string, lines: string[]): void {
  const what = `property ${form.name} of ${where}`;
  const attributes = [`name="${escapeAttribute(form.name, what)}"`];
  if (form.shorthand !== undefined) attributes.push(`${form.shorthand.attribute}="${escapeAttribute(form.shorthand.value, what)}"`);
  const open = startTag(indent, 'prop', attributes);
  if (form.children.length === 0) {
    lines.push(`${open}/>`);
    return;
  }
  lines.push(`${open}>`);
  for (const child of form.children) {
    const bits = child.element === 'cells' && child.bits !== 32 ? ` bits="${child.bits}"` : '';
    lines.push(`${indent}${INDENT}<${child.element}${bits}>${escapeText(child.text, what)}</${child.element}>`);
  }
  lines.push(`${indent}</prop>`);
}

/** A start tag without its closing `>`; long ones wrap, continuation lines aligned under the first attribute. */
function startTag(indent: string, element: string, attributes: readonly string[]): string {
  const continuation = `${indent}${' '.repeat(element.length + 2)}`;
  const lines = [`${indent}<${element} ${attributes[0]}`];
  for (const attribute of attributes.slice(1)) {
    const last = lines[lines.length - 1];
    if (last.length + 1 + attribute.length <= MAX_LINE) lines[lines.length - 1] = `${last} ${attribute}`;
    else lines.push(`${continuation}${attribute}`);
  }
  return lines.join('\n');
}

/** XML 1.0 section 2.2: characters a document may contain at all. */
function checkChars(text: string, what: string): void {
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const ok = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    if (!ok) throw InputError.at(undefined, `${what} contains the character U+${c.toString(16).padStart(4, '0')}, which XML cannot hold`);
  }
}

/**
 * Attribute values: markup characters as entities, and tab and line breaks as character
 * references, because a parser turns literal ones into spaces (XML 1.0 section 3.3.3).
 */
function escapeAttribute(text: string, what: string): string {
  checkChars(text, what);
  return text.replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

function escapeText(text: string, what: string): string {
  checkChars(text, what);
  return text.replace(/[&<>\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}
