import type { Cell, CellBits, DtProperty, ValueSegment } from '../model/DeviceTree.ts';
import { InputError } from '../model/SourcePos.ts';
import { referenceText } from '../model/Phandles.ts';

/**
 * A property value in .dts syntax (Devicetree Specification v0.4 section 6.3):
 * `"text"`, `<0x01 &gic>`, `/bits/ 64 <0x100000000>`, `[00 1a]`, `&uart0`, joined by ", ".
 * Numbers are written the way `dtc -O dts` writes them (hex, at least two digits).
 */
export function dtsValue(prop: DtProperty, where: string): string {
  return prop.value.map((seg) => segmentText(seg, prop, where)).join(', ');
}

function segmentText(seg: ValueSegment, prop: DtProperty, where: string): string {
  switch (seg.kind) {
    case 'string':
      return dtsString(seg.value);
    case 'bytes':
      return `[${Array.from(seg.bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}]`;
    case 'pathref':
      return referenceText(seg.ref);
    case 'cells': {
      const body = seg.cells.map((c) => cellText(c, seg.bits, prop, where)).join(' ');
      return seg.bits === 32 ? `<${body}>` : `/bits/ ${seg.bits} <${body}>`;
    }
  }
}

function cellText(cell: Cell, bits: CellBits, prop: DtProperty, where: string): string {
  if (typeof cell !== 'bigint') {
    if (bits !== 32) throw InputError.at(cell.pos ?? prop.pos, `property "${prop.name}" of ${where}: reference ${referenceText(cell.ref)} in a /bits/ ${bits} array; references need 32-bit cells`);
    return referenceText(cell.ref);
  }
  const max = 1n << BigInt(bits);
  if (cell >= max || cell < -(max >> 1n)) throw InputError.at(prop.pos, `property "${prop.name}" of ${where}: value ${cell} does not fit in ${bits} bits`);
  return `0x${BigInt.asUintN(bits, cell).toString(16).padStart(2, '0')}`;
}

const NAMED_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '"': '\\"',
  '\\': '\\\\',
};

/**
 * A string literal dtc reads back to the same bytes. Other control characters become \xNN
 * (two digits always, so a following digit cannot join the escape); non-ASCII text is
 * written as is, since dtc copies a literal's bytes and our encoder writes UTF-8.
 */
export function dtsString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const named = NAMED_ESCAPES[ch];
    if (named !== undefined) out += named;
    else if (ch.charCodeAt(0) < 0x20 || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
