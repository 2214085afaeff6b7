import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { FirmwareSpec, KernelSpec, PagingMode } from './BoardSpec.ts';
import { fitCell, parseNumber } from '../model/PropertyValue.ts';
import type { DiagnosticSink } from './DiagnosticSink.ts';
import { attributeText, expectAttributes, expectNoChildren, expectNoText, unknownElement } from './ElementRules.ts';
import { relativeTo, type SourceFile } from './SourceFiles.ts';
import type { XmlAttribute, XmlElement } from './xml/XmlTree.ts';

/**
 * tskvm's own elements beside the tree: `<firmware>` or `<kernel>` (what boots), `<console>` (which UART
 * is the terminal) and the scalar attributes of `<vm>`.
 */

const NUMBER_HINT = '0x…, 0b… or decimal, optional K/M/G';

/** An integer attribute within [min, max]; reports and returns undefined otherwise. */
export function numberAttribute(sink: DiagnosticSink, attr: XmlAttribute, min: number, max: number): number | undefined {
  const text = attributeText(attr);
  const value = parseNumber(text);
  if (value === undefined) {
    sink.error(attr.pos, `bad number '${text}' for ${attr.name} (expected ${NUMBER_HINT})`);
    return undefined;
  }
  if (value < BigInt(min) || value > BigInt(max)) {
    sink.error(attr.pos, `${attr.name}="${text}" is out of range (${min} to ${max > 0xffff ? `0x${max.toString(16)}` : max})`);
    return undefined;
  }
  return Number(value);
}

const REGISTER_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const FIRMWARE_ATTRIBUTES = ['elf', 'bin', 'file', 'load', 'entry', 'dtb-address', 'dtb-register', 'dtb-size'];
const SOURCES = ['elf', 'bin', 'file'] as const;
const FORMAT = { elf: 'elf', bin: 'raw', file: 'auto' } as const;

function registerName(sink: DiagnosticSink, attr: XmlAttribute): string | undefined {
  const text = attributeText(attr);
  if (REGISTER_NAME.test(text)) return text;
  sink.error(attr.pos, `bad register name '${text}' (like r2, a0 or eax)`);
  return undefined;
}

/** True when the file starts with the ELF magic 7f 'E' 'L' 'F' (ELF specification, e_ident). */
function startsWithElfMagic(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32BE(0) === 0x7f454c46;
  } finally {
    closeSync(fd);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Reads a `<firmware>`; paths are relative to the file holding it, and the image must exist. */
export function readFirmware(sink: DiagnosticSink, el: XmlElement, file: SourceFile): FirmwareSpec | undefined {
  expectAttributes(sink, el, FIRMWARE_ATTRIBUTES);
  const given = SOURCES.filter((s) => el.attribute(s) !== undefined);
  if (given.length === 0) sink.error(el.pos, '<firmware> needs one of elf="…", bin="…" or file="…"');
  if (given.length > 1) sink.error(el.attribute(given[1]!)!.pos, `<firmware> takes one of elf, bin and file, not ${given.join(' and ')}`);
  const max = Number.MAX_SAFE_INTEGER;
  const num = (name: string): number | undefined => {
    const attr = el.attribute(name);
    return attr === undefined ? undefined : numberAttribute(sink, attr, 0, max);
  };
  const loadAddress = num('load');
  const entry = num('entry');
  const dtbAddress = num('dtb-address');
  const dtbSize = num('dtb-size');
  if (dtbSize !== undefined && dtbAddress === undefined) sink.error(el.attribute('dtb-size')!.pos, 'dtb-size needs dtb-address: the blob is only written when it has a place');
  const dtbRegisterAttr = el.attribute('dtb-register');
  const dtbRegister = dtbRegisterAttr === undefined ? undefined : registerName(sink, dtbRegisterAttr);

  const registers = new Map<string, number>();
  const named = new Set<string>();
  for (const child of el.children) {
    if (child.name !== 'register') {
      unknownElement(sink, child, el, ['register']);
      continue;
    }
    expectAttributes(sink, child, ['name', 'value'], ['name', 'value']);
    expectNoChildren(sink, child);
    const nameAttr = child.attribute('name');
    const valueAttr = child.attribute('value');
    const name = nameAttr === undefined ? undefined : registerName(sink, nameAttr);
    if (name !== undefined && named.has(name)) {
      sink.error(nameAttr!.pos, `register ${name} is preset twice`);
      continue;
    }
    if (name !== undefined) named.add(name);
    if (valueAttr === undefined || name === undefined) continue;
    // Registers are 32 bits on every core tskvm models; negative values are two's complement.
    const text = attributeText(valueAttr);
    const parsed = parseNumber(text);
    const cell = parsed === undefined ? undefined : fitCell(parsed, 32);
    if (cell === undefined) {
      sink.error(valueAttr.pos, parsed === undefined ? `bad number '${text}' for value (expected ${NUMBER_HINT})` : `value ${text} does not fit in a 32-bit register`);
    } else registers.set(name, Number(cell));
  }
  expectNoText(sink, el);

  const source = given[0];
  if (source === undefined) return undefined;
  const sourceAttr = el.attribute(source)!;
  const written = attributeText(sourceAttr);
  const { display, absolute } = relativeTo(file, written);
  const format = FORMAT[source];
  if (!isFile(absolute)) {
    sink.error(sourceAttr.pos, `missing firmware file '${written}' (${display})`);
    return undefined;
  }
  if (loadAddress === undefined && el.attribute('load') === undefined) {
    if (format === 'raw') {
      sink.error(sourceAttr.pos, 'a raw image (bin="…") needs load="0x…", the address it is loaded at');
      return undefined;
    }
    if (format === 'auto' && !startsWithElfMagic(absolute)) {
      sink.error(sourceAttr.pos, `'${written}' is not an ELF file, so it is loaded as a raw image and needs load="0x…"`);
      return undefined;
    }
  }
  return { path: absolute, format, loadAddress, entry, dtbAddress, dtbSize, dtbRegister, registers, pos: el.pos };
}

/** Reads a `<console>`: its uart attribute, resolved by the caller once the tree is complete. */
export function readConsole(sink: DiagnosticSink, el: XmlElement): XmlAttribute | undefined {
  expectAttributes(sink, el, ['uart'], ['uart']);
  expectNoChildren(sink, el);
  return el.attribute('uart');
}

export function readPaging(sink: DiagnosticSink, attr: XmlAttribute | undefined): PagingMode {
  if (attr === undefined) return 'nested';
  const text = attributeText(attr);
  if (text === 'nested' || text === 'shadow') return text;
  sink.error(attr.pos, `bad paging '${text}' (nested or shadow)`);
  return 'nested';
}

/** Reads a `<kernel image="…" initrd="…" append="…"/>`; the files are relative to the board file and must exist. */
export function readKernel(sink: DiagnosticSink, el: XmlElement, file: SourceFile): KernelSpec | undefined {
  expectAttributes(sink, el, ['image', 'initrd', 'append'], ['image']);
  expectNoChildren(sink, el);
  expectNoText(sink, el);
  const existing = (name: string): string | undefined => {
    const attr = el.attribute(name);
    if (attr === undefined) return undefined;
    const written = attributeText(attr);
    const { display, absolute } = relativeTo(file, written);
    if (isFile(absolute)) return absolute;
    sink.error(attr.pos, `missing ${name === 'image' ? 'kernel image' : 'initrd'} file '${written}' (${display})`);
    return undefined;
  };
  const path = existing('image');
  const initrd = existing('initrd');
  const appendAttr = el.attribute('append');
  if (path === undefined || (el.attribute('initrd') !== undefined && initrd === undefined)) return undefined;
  return {
    path,
    ...(initrd !== undefined ? { initrd } : {}),
    ...(appendAttr !== undefined ? { append: attributeText(appendAttr) } : {}),
    pos: el.pos,
  };
}
