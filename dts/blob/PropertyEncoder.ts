import type { Cell, CellBits, ValueSegment } from '../model/DeviceTree.ts';
import { InputError, type SourcePos } from '../model/SourcePos.ts';

/**
 * Turns a property's typed segments into the bytes stored in the blob
 * (Devicetree Specification v0.4 section 2.2.4.2: cells are big-endian, strings are
 * NUL-terminated, and the segments follow each other without padding, as dtc
 * concatenates `"a", <1>, [00]`).
 */

/** Answers the two questions references raise; each throws InputError when it cannot. */
export interface ReferenceResolver {
  /** Phandle of the node a cell reference (`<&gic>`) names. */
  phandle(ref: string, pos: SourcePos | undefined): number;
  /** Full path of the node a path reference (`= &uart0;`) names. */
  path(ref: string, pos: SourcePos | undefined): string;
}

/** Where a value comes from, for error messages. */
export interface ValueContext {
  /** e.g. `property "reg" of /memory@0` */
  readonly what: string;
  readonly pos?: SourcePos;
}

const utf8 = new TextEncoder();

export function encodeSegments(segments: readonly ValueSegment[], resolver: ReferenceResolver, context: ValueContext): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const seg of segments) {
    switch (seg.kind) {
      case 'string':
        parts.push(nulTerminated(seg.value));
        break;
      case 'bytes':
        parts.push(seg.bytes);
        break;
      case 'pathref':
        // A reference outside <> stands for the target's full path as a string (DTSpec 6.3).
        parts.push(nulTerminated(resolver.path(seg.ref, seg.pos ?? context.pos)));
        break;
      case 'cells':
        parts.push(encodeCells(seg.bits, seg.cells, resolver, context));
        break;
    }
  }
  return concat(parts);
}

function nulTerminated(text: string): Uint8Array {
  const body = utf8.encode(text);
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  return out;
}

function encodeCells(bits: CellBits, cells: readonly Cell[], resolver: ReferenceResolver, context: ValueContext): Uint8Array {
  const width = bits / 8;
  const out = new Uint8Array(cells.length * width);
  const view = new DataView(out.buffer);
  const max = 1n << BigInt(bits);
  cells.forEach((cell, i) => {
    let value: bigint;
    if (typeof cell === 'bigint') {
      // Negative numbers are stored in two's complement, as dtc does for `<(-1)>`.
      if (cell >= max || cell < -(max >> 1n)) {
        throw InputError.at(context.pos, `${context.what}: value ${cell} does not fit in ${bits} bits`);
      }
      value = BigInt.asUintN(bits, cell);
    } else {
      const pos = cell.pos ?? context.pos;
      // dtc allows references only in 32-bit arrays: a phandle is one 32-bit cell (DTSpec 2.3.3).
      if (bits !== 32) throw InputError.at(pos, `${context.what}: reference ${cell.ref} in a /bits/ ${bits} array; references need 32-bit cells`);
      value = BigInt(resolver.phandle(cell.ref, pos));
    }
    const at = i * width;
    switch (bits) {
      case 8:
        view.setUint8(at, Number(value));
        break;
      case 16:
        view.setUint16(at, Number(value));
        break;
      case 32:
        view.setUint32(at, Number(value));
        break;
      case 64:
        view.setBigUint64(at, value);
        break;
    }
  });
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
