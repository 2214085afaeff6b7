import { DeviceTree, DtNode, type CellBits, type DtProperty, type ValueSegment } from '../model/DeviceTree.ts';
import type { SourcePos } from '../model/SourcePos.ts';
import {
  attributeValueKind,
  isLabelName,
  parseAttributeValue,
  parseBytes,
  parseCells,
  parsePathReference,
  parseReferenceToken,
  propertyU32,
  tokenize,
  type ParsedValue,
} from '../model/PropertyValue.ts';
import { DEFAULT_ADDRESS_CELLS, DEFAULT_SIZE_CELLS } from '../model/AddressTranslation.ts';
import { expandAddressValues, type AddressField } from './AddressValues.ts';
import { attributeToPropertyName, isValidNodeName, isValidPropertyName } from './AttributeNames.ts';
import type { DiagnosticSink } from './DiagnosticSink.ts';
import { expectAttributes, expectNoChildren, expectNoText, unknownElement } from './ElementRules.ts';
import { readMemreserve } from './MemoryReservations.ts';
import { relativeTo, type SourceFile, type SourceFiles } from './SourceFiles.ts';
import type { XmlAttribute, XmlElement, XmlText } from './xml/XmlTree.ts';

/** Elements of the tree part of the format that may appear at top level. */
export const TREE_ELEMENTS: readonly string[] = ['include', 'node', 'delete-node', 'memreserve'];
const NODE_CHILDREN = ['node', 'prop', 'delete-node', 'delete-property'];
const VALUE_CHILDREN = ['string', 'cells', 'bytes', 'pathref'];
const SHORTHANDS = ['string', 'cells', 'u64', 'bytes'];

/**
 * Builds one device tree (the board's, or a VM's) from `<include>`, `<node>`,
 * `<delete-node>` and `<memreserve>` elements, in document order as dtc processes a
 * .dts: a repeated node merges into the existing one, later properties replace earlier
 * ones, includes are expanded where they stand. Problems go to the sink and building goes on, so that one
 * run reports every error; the body of a node that cannot be placed (a ref to a missing
 * label, a duplicate name) is still read into a detached node to check its values.
 */
export class TreeBuilder {
  readonly tree = new DeviceTree();
  /** Nodes in the tree carrying each label, in the order they got it (a label should have one). */
  private readonly labelNodes = new Map<string, DtNode[]>();
  /** Where each label of each node was first written, for the duplicate-label check. */
  readonly labelPositions = new Map<DtNode, Map<string, SourcePos>>();
  /** reg, ranges and dma-ranges written as address values; finish() expands them. */
  private readonly pendingAddress = new Map<DtProperty, XmlText>();
  /** Properties whose value had errors (reported already), for later checks to skip. */
  readonly badProperties = new Set<DtProperty>();
  /** Where each entry of tree.memoryReservations was written (same order). */
  readonly reservationPositions: SourcePos[] = [];

  constructor(
    private readonly sink: DiagnosticSink,
    private readonly files: SourceFiles,
  ) {}

  /**
   * Handles `el` if it is a tree element (include, node, delete-node, memreserve) of a
   * board, fragment or VM; returns false for anything else, which the caller handles.
   * `chain` is the list of files being included, outermost first, for cycle detection.
   */
  topLevel(el: XmlElement, file: SourceFile, chain: readonly SourceFile[]): boolean {
    switch (el.name) {
      case 'include':
        this.include(el, file, chain);
        return true;
      case 'node':
        this.topNode(el);
        return true;
      case 'delete-node':
        this.topDeleteNode(el);
        return true;
      case 'memreserve': {
        // Document order, includes expanded where they stand, as dtc collects /memreserve/.
        const entry = readMemreserve(this.sink, el);
        if (entry !== undefined) {
          this.tree.memoryReservations.push(entry);
          this.reservationPositions.push(el.pos);
        }
        return true;
      }
      default:
        return false;
    }
  }

  private include(el: XmlElement, file: SourceFile, chain: readonly SourceFile[]): void {
    expectAttributes(this.sink, el, ['href'], ['href']);
    expectNoChildren(this.sink, el);
    const href = el.attribute('href');
    if (href === undefined) return;
    const target = relativeTo(file, href.value.value);
    if (chain.some((f) => f.absolute === target.absolute)) {
      this.sink.error(href.pos, `include cycle: ${[...chain.map((f) => f.display), target.display].join(' → ')}`);
      return;
    }
    const loaded = this.files.load(target.display, target.absolute);
    if ('error' in loaded) {
      this.sink.error(href.pos, `missing include '${href.value.value}': ${loaded.error} (${target.display})`);
      return;
    }
    const root = loaded.root;
    if (root === undefined) return; // its XML errors are reported already
    if (root.name !== 'fragment') {
      this.sink.error(href.pos, `${loaded.display} cannot be included: its root element is <${root.name}>, an included file must be a <fragment>`);
      return;
    }
    this.fragment(root, loaded, [...chain, loaded]);
  }

  /** The content of a `<fragment>` (an included file, or one loaded alone). */
  fragment(root: XmlElement, file: SourceFile, chain: readonly SourceFile[]): void {
    expectAttributes(this.sink, root, []);
    for (const child of root.children) {
      if (this.topLevel(child, file, chain)) continue;
      if (['firmware', 'console', 'vm'].includes(child.name)) {
        this.sink.error(child.pos, `<${child.name}> is not allowed in a <fragment> (only <include>, <node>, <delete-node> and <memreserve>)`);
      } else unknownElement(this.sink, child, root, TREE_ELEMENTS);
    }
    expectNoText(this.sink, root);
  }

  private topNode(el: XmlElement): void {
    const name = el.attribute('name');
    const ref = el.attribute('ref');
    let target: DtNode | undefined;
    if (name !== undefined && ref !== undefined) {
      this.sink.error(ref.pos, 'a <node> has either a name or a ref, not both');
    } else if (ref !== undefined) {
      target = this.resolveNodeRef(ref);
    } else if (name !== undefined) {
      if (name.value.value === '/') target = this.tree.root;
      else {
        this.sink.error(
          name.pos,
          `a top-level <node> is the root (name="/") or overrides an existing node (ref="&label" or ref="/path"); name="${name.value.value}" is neither`,
        );
      }
    } else {
      this.sink.error(el.pos, '<node> at top level needs name="/" or a ref');
    }
    this.nodeBody(el, target ?? new DtNode('(detached)', el.pos));
  }

  private topDeleteNode(el: XmlElement): void {
    expectAttributes(this.sink, el, ['path'], ['path']);
    expectNoChildren(this.sink, el);
    const path = el.attribute('path');
    if (path === undefined) return;
    const node = this.resolveNodeRef(path, 'delete-node: ');
    if (node === undefined) return;
    if (node.parent === null) this.sink.error(path.pos, 'delete-node: the root node cannot be deleted');
    else this.removeNode(node);
  }

  /**
   * The node a `ref`, `path` or `uart` attribute names: `&label`, a bare label name,
   * `/path` or `&{/path}`, looked up in the tree as it is now. Reports and returns
   * undefined when there is none.
   */
  resolveNodeRef(attr: XmlAttribute, context = ''): DtNode | undefined {
    const text = attr.value.value.trim();
    const ref = parseReferenceToken(text) ?? (text.startsWith('/') || isLabelName(text) ? text : undefined);
    if (ref === undefined) {
      this.sink.error(attr.pos, `${context}bad reference '${text}' (expected &label, a label name, /path or &{/path})`);
      return undefined;
    }
    const node = ref.startsWith('/') ? this.tree.nodeAt(ref) : this.labelNodes.get(ref)?.[0];
    if (node === undefined) {
      this.sink.error(attr.pos, ref.startsWith('/') ? `${context}reference to missing path '${ref}'` : `${context}reference to missing label '${ref}'`);
    }
    return node;
  }

  /** Applies a `<node>` element's labels, properties and children to `node`. */
  private nodeBody(el: XmlElement, node: DtNode): void {
    const props = new Map<string, SourcePos>();
    for (const attr of el.attributes) {
      if (attr.name === 'name' || attr.name === 'ref') continue;
      if (attr.name === 'label') this.addLabels(node, attr);
      else this.attributeProperty(node, attr, props);
    }
    const childNames = new Map<string, SourcePos>();
    for (const child of el.children) {
      switch (child.name) {
        case 'node':
          this.childNode(node, child, childNames);
          break;
        case 'prop':
          this.elementProperty(node, child, props);
          break;
        case 'delete-node':
          this.deleteChild(node, child);
          break;
        case 'delete-property':
          this.deleteProperty(node, child, props);
          break;
        default:
          unknownElement(this.sink, child, el, NODE_CHILDREN);
      }
    }
    expectNoText(this.sink, el);
  }

  private childNode(parent: DtNode, el: XmlElement, seen: Map<string, SourcePos>): void {
    const nameAttr = el.attribute('name');
    const ref = el.attribute('ref');
    if (ref !== undefined) this.sink.error(ref.pos, 'ref is only allowed on a top-level <node> (a child of <board>, <fragment> or <vm>)');
    const name = nameAttr?.value.value;
    let target: DtNode | undefined;
    if (nameAttr === undefined || name === undefined) {
      if (ref === undefined) this.sink.error(el.pos, '<node> needs a name');
    } else if (!isValidNodeName(name)) {
      this.sink.error(
        nameAttr.pos,
        name === '/'
          ? `only a top-level <node> can be the root '/'`
          : `bad node name '${name}' (letters, digits and , . _ + - then an optional @unit-address)`,
      );
    } else if (seen.has(name)) {
      const first = seen.get(name)!;
      this.sink.error(nameAttr.pos, `duplicate node name '${name}' in ${parent.path} (first at line ${first.line}, column ${first.column})`);
    } else {
      seen.set(name, nameAttr.pos);
      target = parent.child(name) ?? parent.addChild(new DtNode(name, el.pos));
    }
    this.nodeBody(el, target ?? new DtNode('(detached)', el.pos));
  }

  private addLabels(node: DtNode, attr: XmlAttribute): void {
    for (const tok of tokenize(attr.value.value)) {
      if (!isLabelName(tok.text)) {
        this.sink.error(attr.value.posAt(tok.offset), `bad label name '${tok.text}' (letters, digits and _, not starting with a digit)`);
        continue;
      }
      if (!node.labels.includes(tok.text)) {
        node.labels.push(tok.text);
        const list = this.labelNodes.get(tok.text);
        if (list === undefined) this.labelNodes.set(tok.text, [node]);
        else list.push(node);
      }
      let positions = this.labelPositions.get(node);
      if (positions === undefined) this.labelPositions.set(node, (positions = new Map()));
      if (!positions.has(tok.text)) positions.set(tok.text, attr.value.posAt(tok.offset));
    }
  }

  /** Records `name` as set by this element; reports a second setting of it in the same element. */
  private claimProperty(node: DtNode, name: string, pos: SourcePos, props: Map<string, SourcePos>): boolean {
    const first = props.get(name);
    if (first !== undefined) {
      this.sink.error(pos, `duplicate property '${name}' in ${node.path} (first at line ${first.line}, column ${first.column})`);
      return false;
    }
    props.set(name, pos);
    return true;
  }

  private attributeProperty(node: DtNode, attr: XmlAttribute, props: Map<string, SourcePos>): void {
    const name = attributeToPropertyName(attr.name);
    if (!isValidPropertyName(name)) {
      this.sink.error(attr.pos, `attribute '${attr.name}' does not stand for a valid property name; use <prop name="…">`);
      return;
    }
    if (!this.claimProperty(node, name, attr.pos, props)) return;
    const prop: DtProperty = { name, value: [], pos: attr.pos };
    if (attributeValueKind(name) === 'address') {
      this.pendingAddress.set(prop, attr.value);
    } else {
      if (attributeValueKind(name) === 'string' && parseReferenceToken(attr.value.value.trim()) !== undefined) {
        // The typing rules make this the literal string; a .dts writer meaning `= &label;` wants a pathref.
        this.sink.warning(
          attr.pos,
          `${name} is the string '${attr.value.value.trim()}' here; for the path of a labelled node write <prop name="${name}"><pathref>${attr.value.value.trim().replaceAll('&', '&amp;')}</pathref></prop>`,
        );
      }
      const parsed = parseAttributeValue(name, attr.value.value, (o) => attr.value.posAt(o))!;
      prop.value = this.reportValue(prop, parsed, attr.value);
    }
    node.setProperty(prop);
  }

  private reportValue(prop: DtProperty, parsed: ParsedValue, text: XmlText): ValueSegment[] {
    for (const e of parsed.errors) this.sink.error(text.posAt(e.offset), e.message);
    if (parsed.errors.length > 0) this.badProperties.add(prop);
    return parsed.segments;
  }

  private elementProperty(node: DtNode, el: XmlElement, props: Map<string, SourcePos>): void {
    expectAttributes(this.sink, el, ['name', ...SHORTHANDS], ['name']);
    const nameAttr = el.attribute('name');
    const name = nameAttr?.value.value;
    if (nameAttr === undefined || name === undefined) return;
    if (!isValidPropertyName(name)) {
      this.sink.error(nameAttr.pos, `bad property name '${name}' (letters, digits and , . _ + ? # -)`);
      return;
    }
    if (!this.claimProperty(node, name, nameAttr.pos, props)) return;
    const prop: DtProperty = { name, value: [], pos: el.pos };
    const segments: ValueSegment[] = [];
    const shorthands = el.attributes.filter((a) => SHORTHANDS.includes(a.name));
    for (const [k, sh] of shorthands.entries()) {
      if (k > 0) {
        this.sink.error(sh.pos, 'a <prop> takes one shorthand attribute; write a value of several parts as child elements');
        continue;
      }
      segments.push(...this.reportValue(prop, this.shorthandValue(sh), sh.value));
    }
    if (shorthands.length > 0 && el.children.length > 0) {
      this.sink.error(el.children[0]!.pos, `a <prop> has either a shorthand attribute (${shorthands[0]!.name}=…) or child elements, not both`);
    } else {
      for (const child of el.children) {
        const value = this.valueChild(prop, child, el);
        if (value !== undefined) segments.push(...value);
      }
    }
    expectNoText(this.sink, el);
    prop.value = segments;
    node.setProperty(prop);
  }

  private shorthandValue(attr: XmlAttribute): ParsedValue {
    const text = attr.value.value;
    const posOf = (o: number) => attr.value.posAt(o);
    switch (attr.name) {
      case 'string':
        return { segments: [{ kind: 'string', value: text }], errors: [] };
      case 'cells':
        return parseCells(text, 32, posOf);
      case 'u64':
        return parseCells(text, 64, posOf);
      default:
        return parseBytes(text);
    }
  }

  private valueChild(prop: DtProperty, child: XmlElement, parent: XmlElement): ValueSegment[] | undefined {
    if (!VALUE_CHILDREN.includes(child.name)) {
      unknownElement(this.sink, child, parent, VALUE_CHILDREN);
      return undefined;
    }
    expectAttributes(this.sink, child, child.name === 'cells' ? ['bits'] : []);
    for (const grandchild of child.children) {
      this.sink.error(grandchild.pos, `unexpected element <${grandchild.name}> in <${child.name}> (it holds text only)`);
    }
    const text = child.text!;
    const posOf = (o: number) => text.posAt(o);
    switch (child.name) {
      case 'string':
        return [{ kind: 'string', value: text.value }];
      case 'cells': {
        const bitsAttr = child.attribute('bits');
        let bits: CellBits = 32;
        if (bitsAttr !== undefined) {
          const b = Number(bitsAttr.value.value.trim());
          if (b === 8 || b === 16 || b === 32 || b === 64) bits = b;
          else {
            this.sink.error(bitsAttr.pos, `bad bits '${bitsAttr.value.value}' (8, 16, 32 or 64)`);
            this.badProperties.add(prop);
            return undefined;
          }
        }
        return this.reportValue(prop, parseCells(text.value, bits, posOf), text);
      }
      case 'bytes':
        return this.reportValue(prop, parseBytes(text.value), text);
      default:
        return this.reportValue(prop, parsePathReference(text.value, posOf), text);
    }
  }

  private deleteChild(node: DtNode, el: XmlElement): void {
    expectAttributes(this.sink, el, ['name'], ['name']);
    expectNoChildren(this.sink, el);
    const name = el.attribute('name');
    if (name === undefined) return;
    const child = node.child(name.value.value);
    if (child === undefined) this.sink.error(name.pos, `delete-node: ${node.path} has no child node '${name.value.value}'`);
    else this.removeNode(child);
  }

  private deleteProperty(node: DtNode, el: XmlElement, props: Map<string, SourcePos>): void {
    expectAttributes(this.sink, el, ['name'], ['name']);
    expectNoChildren(this.sink, el);
    const name = el.attribute('name');
    if (name === undefined) return;
    if (node.deleteProperty(name.value.value)) props.delete(name.value.value);
    else this.sink.error(name.pos, `delete-property: ${node.path} has no property '${name.value.value}'`);
  }

  /** Takes `node` and its subtree out of the tree; their labels go with them. */
  private removeNode(node: DtNode): void {
    const parent = node.parent!;
    for (const n of node.walk()) {
      for (const label of n.labels) {
        const list = this.labelNodes.get(label);
        if (list !== undefined) list.splice(list.indexOf(n), 1);
      }
    }
    parent.children.splice(parent.children.indexOf(node), 1);
    node.parent = null;
  }

  /**
   * Expands the address values of reg, ranges and dma-ranges now that the tree is complete,
   * so that the #address-cells and #size-cells in force are the final ones.
   */
  finish(): DeviceTree {
    for (const node of this.tree.root.walk()) {
      for (const prop of node.properties) {
        const text = this.pendingAddress.get(prop);
        if (text === undefined) continue;
        const expanded = expandAddressValues(prop.name, text.value, addressFields(prop.name, node));
        prop.value = this.reportValue(prop, expanded, text);
      }
    }
    this.pendingAddress.clear();
    return this.tree;
  }
}

/** The fields of one reg entry (parent's cells) or ranges entry (own, parent's, own). */
function addressFields(property: string, node: DtNode): AddressField[] {
  const cells = (of: DtNode | null, name: '#address-cells' | '#size-cells', role: string): AddressField => {
    const fallback = name === '#address-cells' ? DEFAULT_ADDRESS_CELLS : DEFAULT_SIZE_CELLS;
    const n = of === null ? undefined : propertyU32(of.property(name));
    const where = of === null ? 'no parent' : of.path;
    return n === undefined
      ? { role, cells: fallback, source: `${name} = <${fallback}> by default, ${where} has none` }
      : { role, cells: n, source: `${name} = <${n}> of ${where}` };
  };
  if (property === 'reg') return [cells(node.parent, '#address-cells', 'address'), cells(node.parent, '#size-cells', 'size')];
  return [cells(node, '#address-cells', 'child address'), cells(node.parent, '#address-cells', 'parent address'), cells(node, '#size-cells', 'size')];
}

