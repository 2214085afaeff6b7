import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Diagnostic, SourcePos } from '../../../dts/model/SourcePos.ts';
import { readXml } from '../../../dts/board/xml/XmlReader.ts';
import type { XmlAttribute, XmlElement } from '../../../dts/board/xml/XmlTree.ts';
import { bytesAsConsoleText, decodeConsoleText } from './ConsoleEscapes.ts';
import { ElementAttributes, valuePos } from './ElementAttributes.ts';
import type { ConsoleMatch, Scenario, ScenarioFile, ScenarioPath, ScenarioStep } from './Scenario.ts';
import { parseScenarioInteger } from './ScenarioNumber.ts';
import { parseVirtualDuration } from './VirtualDuration.ts';

/** How long an `<expect>` or `<expect-exit>` waits when it has no `within` (virtual time). */
export const DEFAULT_WITHIN_NS = 5e9;

export interface ScenarioParseResult {
  /** Present when the file has no errors. */
  readonly file?: ScenarioFile;
  readonly diagnostics: Diagnostic[];
}

/** Read and check one scenario file; every problem is a diagnostic naming file:line:column. */
export function readScenarioFile(path: string): ScenarioParseResult {
  if (!existsSync(path)) return { diagnostics: [{ severity: 'error', message: `scenario file '${path}' does not exist` }] };
  if (statSync(path).isDirectory()) return { diagnostics: [{ severity: 'error', message: `'${path}' is a folder, not a scenario file` }] };
  return parseScenarioText(readFileSync(path, 'utf8'), path);
}

/** Parse scenario XML held in memory; `file` names it in messages and anchors relative paths. */
export function parseScenarioText(source: string, file: string, fileExists: (path: string) => boolean = existsSync): ScenarioParseResult {
  const xml = readXml(source, file);
  const diagnostics = [...xml.diagnostics];
  const root = xml.root;
  if (root === undefined || diagnostics.length > 0) return { diagnostics };
  const parser = new Parser(file, diagnostics, fileExists);
  const parsed = parser.document(root);
  diagnostics.sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.column ?? 0) - (b.pos?.column ?? 0));
  return { file: diagnostics.length === 0 ? parsed : undefined, diagnostics };
}

const SCENARIOS_ATTRIBUTES = ['name', 'board'];
const SCENARIO_ATTRIBUTES = ['name', 'board', 'firmware', 'requires'];
const STEP_NAMES = ['expect', 'send', 'expect-register', 'expect-memory', 'expect-exit', 'run', 'save-snapshot', 'restore-snapshot'];

class Parser {
  constructor(
    private readonly file: string,
    private readonly diagnostics: Diagnostic[],
    private readonly fileExists: (path: string) => boolean,
  ) {}

  private error(pos: SourcePos | undefined, message: string): void {
    this.diagnostics.push({ severity: 'error', message, pos });
  }

  document(root: XmlElement): ScenarioFile {
    const scenarios: Scenario[] = [];
    let suiteName = this.file;
    if (root.name === 'scenario') {
      const s = this.scenario(root, undefined);
      if (s) scenarios.push(s);
    } else if (root.name === 'scenarios') {
      const attrs = new ElementAttributes(root, SCENARIOS_ATTRIBUTES, this.diagnostics, 'elements');
      const name = attrs.get('name');
      if (name !== undefined) suiteName = this.nonEmpty(name) ?? suiteName;
      const names = new Map<string, SourcePos>();
      for (const child of root.children) {
        if (child.name !== 'scenario') {
          this.error(child.pos, `<scenarios> holds <scenario> elements only (found <${child.name}>)`);
          continue;
        }
        const s = this.scenario(child, attrs.get('board'));
        if (!s) continue;
        const earlier = names.get(s.name);
        if (earlier) this.error(child.pos, `a second scenario named '${s.name}' (the first is at line ${earlier.line}): names identify scenarios in reports`);
        else names.set(s.name, child.pos);
        scenarios.push(s);
      }
      if (root.children.length === 0) this.error(root.pos, '<scenarios> holds no <scenario>');
    } else {
      this.error(root.pos, `a scenario file's root element is <scenario> or <scenarios> (found <${root.name}>)`);
    }
    return { file: this.file, suiteName, scenarios };
  }

  private scenario(el: XmlElement, defaultBoard: XmlAttribute | undefined): Scenario | undefined {
    const before = this.diagnostics.length;
    const attrs = new ElementAttributes(el, SCENARIO_ATTRIBUTES, this.diagnostics, 'elements');
    const nameAttr = attrs.required('name', 'what the reports call the scenario');
    const name = nameAttr ? this.nonEmpty(nameAttr) : undefined;
    const requires = this.requires(attrs.get('requires'));
    const required = new Set(requires.map((r) => r.path));
    const boardAttr = attrs.get('board') ?? defaultBoard;
    if (boardAttr === undefined) this.error(el.pos, '<scenario> needs board="…" (the board file, relative to this file), here or on <scenarios>');
    const board = boardAttr ? this.path(boardAttr, 'board file', required) : undefined;
    const firmwareAttr = attrs.get('firmware');
    const firmware = firmwareAttr ? this.path(firmwareAttr, 'firmware file', required) : undefined;

    const steps: ScenarioStep[] = [];
    const saved = new Set<string>();
    for (const child of el.children) {
      const step = this.step(child);
      if (step === undefined) continue;
      if (step.kind === 'save-snapshot') saved.add(step.name);
      if (step.kind === 'restore-snapshot' && !saved.has(step.name)) {
        this.error(child.pos, `<restore-snapshot name="${step.name}"> comes before any <save-snapshot name="${step.name}"> in this scenario`);
      }
      steps.push(step);
    }
    if (el.children.length === 0) this.error(el.pos, `scenario '${name ?? ''}' has no steps`);
    if (this.diagnostics.length > before || name === undefined || board === undefined) return undefined;
    return { name, file: this.file, pos: el.pos, board, firmware, requires, steps };
  }

  private nonEmpty(a: XmlAttribute): string | undefined {
    const v = a.value.value.trim();
    if (v === '') this.error(valuePos(a), `${a.name}="" is empty`);
    return v === '' ? undefined : v;
  }

  /** A path relative to the scenario file; it must exist unless `requires` lists it. */
  private path(a: XmlAttribute, what: string, required: ReadonlySet<string>): ScenarioPath | undefined {
    const written = this.nonEmpty(a);
    if (written === undefined) return undefined;
    const path = fromScenarioFile(this.file, written);
    if (!required.has(path) && !this.fileExists(path)) {
      this.error(valuePos(a), `${what} '${written}' does not exist (looked for ${path}); list it in requires="…" to skip the scenario when it is missing`);
    }
    return { written, path, pos: valuePos(a) };
  }

  private requires(a: XmlAttribute | undefined): ScenarioPath[] {
    if (a === undefined) return [];
    const out: ScenarioPath[] = [];
    for (const m of a.value.value.matchAll(/\S+/g)) {
      out.push({ written: m[0], path: fromScenarioFile(this.file, m[0]), pos: a.value.posAt(m.index) });
    }
    if (out.length === 0) this.error(valuePos(a), 'requires="" is empty (list one or more files, separated by spaces)');
    return out;
  }

  private step(el: XmlElement): ScenarioStep | undefined {
    const pos = el.pos;
    const d = this.diagnostics;
    switch (el.name) {
      case 'expect': {
        const attrs = new ElementAttributes(el, ['text', 'regex', 'flags', 'within'], d);
        const which = attrs.oneOf('text', 'regex');
        const flags = attrs.get('flags');
        if (flags && which?.name !== 'regex') attrs.error(flags.pos, 'flags="…" goes with regex="…" only');
        const match = which ? this.consoleMatch(which, which.name === 'regex' ? flags : undefined) : undefined;
        const withinNs = this.within(attrs);
        return match && withinNs !== undefined ? { kind: 'expect', pos, match, withinNs } : undefined;
      }
      case 'send': {
        const attrs = new ElementAttributes(el, ['text'], d);
        const text = attrs.required('text', 'what to type; \\r is the Enter key');
        const bytes = text ? this.consoleBytes(text) : undefined;
        return bytes ? { kind: 'send', pos, bytes } : undefined;
      }
      case 'expect-register': {
        const attrs = new ElementAttributes(el, ['cpu', 'name', 'value'], d);
        const cpuAttr = attrs.get('cpu');
        const cpu = cpuAttr ? this.integer(cpuAttr, 0xffff, 'a core index (0 is the boot core)') : 0;
        const nameAttr = attrs.required('name', 'the register, e.g. r0, sp, pc, cpsr');
        const name = nameAttr ? this.nonEmpty(nameAttr) : undefined;
        const valueAttr = attrs.required('value', 'the expected value, 0x… or decimal');
        const value = valueAttr ? this.integer(valueAttr, 0xffffffff, 'a 32-bit value') : undefined;
        if (cpu === undefined || name === undefined || value === undefined) return undefined;
        return { kind: 'expect-register', pos, cpu, name, value, cpuPos: cpuAttr ? valuePos(cpuAttr) : pos, namePos: valuePos(nameAttr!) };
      }
      case 'expect-memory':
        return this.expectMemory(el);
      case 'expect-exit': {
        const attrs = new ElementAttributes(el, ['code', 'within'], d);
        const codeAttr = attrs.get('code');
        const code = codeAttr ? this.integer(codeAttr, 0xffffffff, 'an exit code') : 0;
        const withinNs = this.within(attrs);
        return code !== undefined && withinNs !== undefined ? { kind: 'expect-exit', pos, code, withinNs } : undefined;
      }
      case 'run': {
        const attrs = new ElementAttributes(el, ['for'], d);
        const a = attrs.required('for', 'how much virtual time to run, e.g. 10ms');
        const forNs = a ? this.duration(a) : undefined;
        return forNs !== undefined ? { kind: 'run', pos, forNs } : undefined;
      }
      case 'save-snapshot':
      case 'restore-snapshot': {
        const attrs = new ElementAttributes(el, ['name'], d);
        const a = attrs.required('name', 'the snapshot\'s name');
        const name = a ? this.nonEmpty(a) : undefined;
        return name !== undefined ? { kind: el.name, pos, name } : undefined;
      }
      default:
        this.error(pos, `unknown step <${el.name}> (the steps are ${STEP_NAMES.map((n) => `<${n}>`).join(', ')})`);
        return undefined;
    }
  }

  private expectMemory(el: XmlElement): ScenarioStep | undefined {
    const attrs = new ElementAttributes(el, ['address', 'value', 'size', 'bytes'], this.diagnostics);
    const addressAttr = attrs.required('address', 'the physical address, 0x…');
    const address = addressAttr ? this.integer(addressAttr, Number.MAX_SAFE_INTEGER, 'a physical address') : undefined;
    const which = attrs.oneOf('value', 'bytes');
    const sizeAttr = attrs.get('size');
    let expected: Extract<ScenarioStep, { kind: 'expect-memory' }>['expected'] | undefined;
    if (which?.name === 'bytes') {
      if (sizeAttr) attrs.error(sizeAttr.pos, 'size="…" goes with value="…" only (bytes="…" gives its own length)');
      const bytes = this.hexBytes(which);
      if (bytes) expected = { kind: 'bytes', bytes };
    } else if (which?.name === 'value') {
      let size = 4;
      if (sizeAttr) {
        const n = Number(sizeAttr.value.value.trim());
        if (![1, 2, 4, 8].includes(n)) attrs.error(valuePos(sizeAttr), `size="${sizeAttr.value.value}" is not 1, 2, 4 or 8 (bytes)`);
        else size = n;
      }
      const value = parseScenarioInteger(which.value.value);
      if (value === undefined) attrs.error(valuePos(which), `value="${which.value.value}" is not a number (write 0x… or decimal)`);
      else if (value >= 1n << BigInt(8 * size)) attrs.error(valuePos(which), `value="${which.value.value}" does not fit in ${size} byte${size > 1 ? 's' : ''}`);
      else expected = { kind: 'value', value, size };
    }
    if (address === undefined || expected === undefined || addressAttr === undefined) return undefined;
    return { kind: 'expect-memory', pos: el.pos, address, addressPos: valuePos(addressAttr), expected };
  }

  private consoleMatch(a: XmlAttribute, flags: XmlAttribute | undefined): ConsoleMatch | undefined {
    if (a.value.value === '') {
      this.error(valuePos(a), `${a.name}="" is empty: it would match at once`);
      return undefined;
    }
    if (a.name === 'text') {
      const bytes = this.consoleBytes(a);
      return bytes ? { kind: 'text', text: bytesAsConsoleText(bytes) } : undefined;
    }
    const f = flags?.value.value ?? '';
    if (flags && !/^(?!.*(.).*\1)[imsu]*$/.test(f)) {
      this.error(valuePos(flags), `flags="${f}": the flags are i (ignore case), m (^ and $ at line ends), s (. matches line ends) and u, each at most once`);
      return undefined;
    }
    try {
      return { kind: 'regex', regex: new RegExp(a.value.value, f) };
    } catch (e) {
      // V8's message repeats the pattern: "Invalid regular expression: /(/: Unterminated group".
      const why = e instanceof SyntaxError ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(e);
      this.error(valuePos(a), `regex="${a.value.value}" is not a valid regular expression: ${why}`);
      return undefined;
    }
  }

  private consoleBytes(a: XmlAttribute): Uint8Array | undefined {
    const r = decodeConsoleText(a.value.value);
    if ('error' in r) {
      this.error(a.value.posAt(r.index), r.error);
      return undefined;
    }
    return r.bytes;
  }

  private hexBytes(a: XmlAttribute): Uint8Array | undefined {
    const out: number[] = [];
    for (const m of a.value.value.matchAll(/\S+/g)) {
      if (!/^[0-9a-fA-F]{2}$/.test(m[0])) {
        this.error(a.value.posAt(m.index), `bytes="…": '${m[0]}' is not a byte (write two hex digits per byte, separated by spaces: "de ad be ef")`);
        return undefined;
      }
      out.push(parseInt(m[0], 16));
    }
    if (out.length === 0) {
      this.error(valuePos(a), 'bytes="" is empty');
      return undefined;
    }
    return Uint8Array.from(out);
  }

  private within(attrs: ElementAttributes): number | undefined {
    const a = attrs.get('within');
    return a ? this.duration(a) : DEFAULT_WITHIN_NS;
  }

  private duration(a: XmlAttribute): number | undefined {
    const ns = parseVirtualDuration(a.value.value);
    if (ns === undefined) {
      this.error(valuePos(a), `${a.name}="${a.value.value}" is not a duration of virtual time (a positive number with ns, us, ms, s or m, e.g. 5s or 250ms)`);
    }
    return ns;
  }

  private integer(a: XmlAttribute, max: number, what: string): number | undefined {
    const v = parseScenarioInteger(a.value.value);
    if (v === undefined || v > BigInt(max)) {
      this.error(valuePos(a), `${a.name}="${a.value.value}" is not ${what} (write 0x… or decimal${v !== undefined ? `, at most 0x${max.toString(16)}` : ''})`);
      return undefined;
    }
    return Number(v);
  }
}


/** A path written in a scenario file, relative to that file's folder (absolute paths stay). */
function fromScenarioFile(file: string, written: string): string {
  return isAbsolute(written) ? written : join(dirname(file), written);
}
