import { basename, resolve } from 'node:path';
import type { DeviceTree } from '../model/DeviceTree.ts';
import type { Diagnostic, SourcePos } from '../model/SourcePos.ts';
import type { BoardSpec, ConsoleSpec, FirmwareSpec, KernelSpec, VmSpec } from './BoardSpec.ts';
import { checkBootCpu, readBootCpu } from './BootCpu.ts';
import { DiagnosticSink } from './DiagnosticSink.ts';
import { attributeText, expectAttributes, expectNoText, unknownElement } from './ElementRules.ts';
import { SourceFiles, type SourceFile } from './SourceFiles.ts';
import { TREE_ELEMENTS, TreeBuilder } from './TreeBuilder.ts';
import { checkTree } from './TreeChecks.ts';
import { numberAttribute, readConsole, readFirmware, readKernel, readPaging } from './TskvmElements.ts';
import type { XmlAttribute, XmlElement } from './xml/XmlTree.ts';

/**
 * Loading board files (docs/BOARD-FORMAT.md): XML → checked device tree + tskvm elements.
 *
 * Every problem of the file and its includes is collected in one run, each with
 * file:line:column; the result has a board only when there is no error.
 */
export interface BoardLoadResult {
  readonly board?: BoardSpec;
  readonly diagnostics: Diagnostic[];
}

export interface FragmentLoadResult {
  readonly tree?: DeviceTree;
  readonly diagnostics: Diagnostic[];
}

/** Loads and checks the board file at `path` (relative paths are shown as given). */
export function loadBoard(path: string): BoardLoadResult {
  return load(path, (files) => files.load(path, resolve(path)), buildBoard);
}

/** Parses board XML held in memory; `fileName` names it in messages and anchors relative paths. */
export function parseBoardText(text: string, fileName: string): BoardLoadResult {
  return load(fileName, (files) => files.fromText(text, fileName, resolve(fileName)), buildBoard);
}

/** Loads a `<fragment>` file alone (as an SoC file is checked on its own) into a checked tree. */
export function loadFragment(path: string): FragmentLoadResult {
  const r = load(path, (files) => files.load(path, resolve(path)), buildFragment);
  return { tree: r.board, diagnostics: r.diagnostics };
}

/** parseBoardText for a `<fragment>`. */
export function parseFragmentText(text: string, fileName: string): FragmentLoadResult {
  const r = load(fileName, (files) => files.fromText(text, fileName, resolve(fileName)), buildFragment);
  return { tree: r.board, diagnostics: r.diagnostics };
}

type Builder<T> = (sink: DiagnosticSink, files: SourceFiles, file: SourceFile, root: XmlElement) => T | undefined;

function load<T>(
  display: string,
  open: (files: SourceFiles) => SourceFile | { readonly error: string },
  build: Builder<T>,
): { board?: T; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink();
  const files = new SourceFiles(sink);
  const file = open(files);
  if ('error' in file) {
    sink.error(undefined, `cannot read '${display}': ${file.error}`);
    return { diagnostics: sink.result() };
  }
  const result = file.root === undefined ? undefined : build(sink, files, file, file.root);
  const diagnostics = sink.result();
  return { board: diagnostics.some((d) => d.severity === 'error') ? undefined : result, diagnostics };
}

const BOARD_CHILDREN = [...TREE_ELEMENTS, 'firmware', 'kernel', 'console', 'vm'];
const VM_CHILDREN = [...TREE_ELEMENTS, 'firmware', 'kernel', 'console'];

/** Remembers the first of an element that may appear once, and reports the others. */
class OnlyOnce {
  private first: SourcePos | undefined;
  constructor(private readonly sink: DiagnosticSink) {}
  accept(el: XmlElement, container: string): boolean {
    if (this.first === undefined) {
      this.first = el.pos;
      return true;
    }
    this.sink.error(el.pos, `second <${el.name}> in <${container}> (the first is at line ${this.first.line}, column ${this.first.column})`);
    return false;
  }
}

/** The tree part (with boot-cpu) and the firmware/console of a <board> or <vm>. */
interface MachinePart {
  readonly tree: DeviceTree;
  readonly firmware?: FirmwareSpec;
  readonly kernel?: KernelSpec;
  readonly console?: ConsoleSpec;
}

function buildPart(
  sink: DiagnosticSink,
  files: SourceFiles,
  file: SourceFile,
  el: XmlElement,
  allowed: readonly string[],
  other: (child: XmlElement) => void,
): MachinePart {
  const bootCpuAttr = el.attribute('boot-cpu');
  const builder = new TreeBuilder(sink, files);
  const firmwareOnce = new OnlyOnce(sink);
  const kernelOnce = new OnlyOnce(sink);
  const consoleOnce = new OnlyOnce(sink);
  let firmware: FirmwareSpec | undefined;
  let kernel: KernelSpec | undefined;
  let firmwareEl: XmlElement | undefined;
  let kernelEl: XmlElement | undefined;
  let consoleAttr: XmlAttribute | undefined;
  for (const child of el.children) {
    if (builder.topLevel(child, file, [file])) continue;
    if (child.name === 'firmware') {
      if (firmwareOnce.accept(child, el.name)) {
        firmwareEl = child;
        firmware = readFirmware(sink, child, file);
      }
    } else if (child.name === 'kernel') {
      if (kernelOnce.accept(child, el.name)) {
        kernelEl = child;
        kernel = readKernel(sink, child, file);
      }
    } else if (child.name === 'console') {
      if (consoleOnce.accept(child, el.name)) consoleAttr = readConsole(sink, child);
    } else if (allowed.includes(child.name)) {
      other(child);
    } else if (child.name === 'vm') {
      sink.error(child.pos, 'a <vm> cannot contain another <vm>');
    } else {
      unknownElement(sink, child, el, allowed);
    }
  }
  expectNoText(sink, el);
  if (firmwareEl !== undefined && kernelEl !== undefined) {
    const first = firmwareEl.pos.line < kernelEl.pos.line ? firmwareEl : kernelEl;
    const second = first === firmwareEl ? kernelEl : firmwareEl;
    sink.error(second.pos, `<${el.name}> boots either <firmware> or <kernel>, not both (<${first.name}> at line ${first.pos.line}, column ${first.pos.column})`);
  }
  const tree = builder.finish();
  tree.bootCpuId = readBootCpu(sink, bootCpuAttr);
  checkTree(builder, sink);
  checkBootCpu(sink, tree, bootCpuAttr);
  let console: ConsoleSpec | undefined;
  if (consoleAttr !== undefined) {
    const node = builder.resolveNodeRef(consoleAttr, 'console: ');
    if (node !== undefined) console = { nodePath: node.path, pos: consoleAttr.pos };
  }
  return { tree, firmware, ...(kernel !== undefined ? { kernel } : {}), console };
}

function buildBoard(sink: DiagnosticSink, files: SourceFiles, file: SourceFile, root: XmlElement): BoardSpec | undefined {
  if (root.name !== 'board') {
    sink.error(
      root.pos,
      root.name === 'fragment'
        ? `${file.display} is a <fragment>, which boards include; a board file has the root element <board>`
        : `expected the root element <board>, found <${root.name}>`,
    );
    return undefined;
  }
  expectAttributes(sink, root, ['name', 'boot-cpu']);
  const nameAttr = root.attribute('name');
  if (nameAttr !== undefined && attributeText(nameAttr) === '') sink.error(nameAttr.pos, 'the board name is empty');
  const vms: VmSpec[] = [];
  const vmNames = new Map<string, SourcePos>();
  const part = buildPart(sink, files, file, root, BOARD_CHILDREN, (child) => {
    const vm = buildVm(sink, files, file, child, vmNames);
    if (vm !== undefined) vms.push(vm);
  });
  return {
    file: file.absolute,
    name: nameAttr !== undefined ? attributeText(nameAttr) : basename(file.absolute).replace(/\.xml$/i, ''),
    tree: part.tree,
    firmware: part.firmware,
    ...(part.kernel !== undefined ? { kernel: part.kernel } : {}),
    console: part.console,
    vms,
  };
}

function buildVm(sink: DiagnosticSink, files: SourceFiles, file: SourceFile, el: XmlElement, names: Map<string, SourcePos>): VmSpec | undefined {
  expectAttributes(sink, el, ['name', 'vcpus', 'memory', 'paging', 'nice', 'boot-cpu', 'ends-run', 'cpus'], ['name', 'memory']);
  const nameAttr = el.attribute('name');
  let name: string | undefined;
  if (nameAttr !== undefined) {
    name = attributeText(nameAttr);
    const first = names.get(name);
    if (name === '') sink.error(nameAttr.pos, 'the VM name is empty');
    else if (first !== undefined) sink.error(nameAttr.pos, `duplicate VM name '${name}' (first at line ${first.line}, column ${first.column})`);
    else names.set(name, nameAttr.pos);
  }
  const attr = (n: string) => el.attribute(n);
  const vcpus = attr('vcpus') === undefined ? 1 : numberAttribute(sink, attr('vcpus')!, 1, 1024);
  const memory = attr('memory') === undefined ? undefined : numberAttribute(sink, attr('memory')!, 1, Number.MAX_SAFE_INTEGER);
  const nice = attr('nice') === undefined ? 0 : numberAttribute(sink, attr('nice')!, -20, 19);
  const paging = readPaging(sink, attr('paging'));
  const cpusAttr = attr('cpus');
  let hostCpus: number[] | undefined;
  if (cpusAttr !== undefined) {
    const words = attributeText(cpusAttr).split(/[\s,]+/).filter((w) => w !== '');
    hostCpus = words.map(Number);
    if (words.length === 0 || words.some((w) => !/^\d+$/.test(w))) {
      sink.error(cpusAttr.pos, `cpus must list host core numbers (e.g. cpus="1" or cpus="0 1"), not "${attributeText(cpusAttr)}"`);
      hostCpus = undefined;
    }
  }
  const endsRunAttr = attr('ends-run');
  const endsRunText = endsRunAttr === undefined ? 'false' : attributeText(endsRunAttr);
  if (endsRunText !== 'true' && endsRunText !== 'false') sink.error(endsRunAttr!.pos, `ends-run must be "true" or "false", not "${endsRunText}"`);
  const part = buildPart(sink, files, file, el, VM_CHILDREN, () => undefined);
  if (name === undefined || vcpus === undefined || memory === undefined || nice === undefined) return undefined;
  return { name, vcpus, memory, paging, nice, ...(endsRunText === 'true' ? { endsRun: true } : {}), ...(hostCpus !== undefined ? { hostCpus, hostCpusPos: cpusAttr!.pos } : {}), firmware: part.firmware, ...(part.kernel !== undefined ? { kernel: part.kernel } : {}), tree: part.tree, console: part.console, pos: el.pos };
}

function buildFragment(sink: DiagnosticSink, files: SourceFiles, file: SourceFile, root: XmlElement): DeviceTree | undefined {
  if (root.name !== 'fragment') {
    sink.error(root.pos, `expected the root element <fragment>, found <${root.name}>`);
    return undefined;
  }
  const builder = new TreeBuilder(sink, files);
  builder.fragment(root, file, [file]);
  const tree = builder.finish();
  checkTree(builder, sink);
  return tree;
}
