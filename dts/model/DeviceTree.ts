import type { SourcePos } from './SourcePos.ts';

/**
 * The typed device tree shared by the board parser, the DTB reader/writer,
 * the DTS printer and the machine builder.
 *
 * A property value is a list of segments, as in .dts source
 * (`prop = "a", <1 &gic 3>, [00 11];`). The segments keep their type so the
 * DTS printer and the XML writer can show the value the way it was written;
 * `encodeValue` (dts/model/PropertyValue.ts) turns them into the bytes of the blob.
 */
export type CellBits = 8 | 16 | 32 | 64;

/** A cell: a number, or a reference to a label that becomes the node's phandle. */
export type Cell = bigint | { readonly ref: string; readonly pos?: SourcePos };

export type ValueSegment =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'cells'; readonly bits: CellBits; readonly cells: readonly Cell[] }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  /** A path reference written outside <> (`&label` or `&{/path}` as a string value). */
  | { readonly kind: 'pathref'; readonly ref: string; readonly pos?: SourcePos };

export interface DtProperty {
  readonly name: string;
  /** Empty list = a boolean (empty) property. */
  value: ValueSegment[];
  readonly pos?: SourcePos;
}

export class DtNode {
  /** Full node name including unit address, e.g. "uart@9000000"; "" for the root. */
  name: string;
  labels: string[] = [];
  properties: DtProperty[] = [];
  children: DtNode[] = [];
  parent: DtNode | null = null;
  pos?: SourcePos;

  constructor(name: string, pos?: SourcePos) {
    this.name = name;
    this.pos = pos;
  }

  /** Name before '@'. */
  get baseName(): string {
    const at = this.name.indexOf('@');
    return at < 0 ? this.name : this.name.slice(0, at);
  }

  /** Text after '@', or undefined. */
  get unitAddress(): string | undefined {
    const at = this.name.indexOf('@');
    return at < 0 ? undefined : this.name.slice(at + 1);
  }

  /** Absolute path, "/" for the root. */
  get path(): string {
    if (this.parent === null) return '/';
    const p = this.parent.path;
    return p === '/' ? `/${this.name}` : `${p}/${this.name}`;
  }

  property(name: string): DtProperty | undefined {
    return this.properties.find((p) => p.name === name);
  }

  child(name: string): DtNode | undefined {
    return this.children.find((c) => c.name === name);
  }

  /** Set (replace or append, keeping position) a property. */
  setProperty(prop: DtProperty): void {
    const i = this.properties.findIndex((p) => p.name === prop.name);
    if (i >= 0) this.properties[i] = prop;
    else this.properties.push(prop);
  }

  deleteProperty(name: string): boolean {
    const i = this.properties.findIndex((p) => p.name === name);
    if (i < 0) return false;
    this.properties.splice(i, 1);
    return true;
  }

  addChild(node: DtNode): DtNode {
    node.parent = this;
    this.children.push(node);
    return node;
  }

  /** Depth-first walk, parents before children. */
  *walk(): Generator<DtNode> {
    yield this;
    for (const c of this.children) yield* c.walk();
  }
}

export class DeviceTree {
  constructor(
    readonly root: DtNode = new DtNode(''),
    /** /memreserve/ entries: [address, size]. */
    readonly memoryReservations: Array<[bigint, bigint]> = [],
    /** Boot CPU physical id written into the DTB header. */
    public bootCpuId = 0,
  ) {}

  /** Node at an absolute path ("/", "/cpus/cpu@0"), or undefined. */
  nodeAt(path: string): DtNode | undefined {
    if (path === '/' || path === '') return this.root;
    let node: DtNode | undefined = this.root;
    for (const part of path.replace(/^\//, '').split('/')) {
      if (node === undefined) return undefined;
      node = node.child(part) ?? node.children.find((c) => c.baseName === part && !part.includes('@'));
    }
    return node;
  }

  /** Node carrying `label`, or undefined. */
  nodeByLabel(label: string): DtNode | undefined {
    for (const n of this.root.walk()) if (n.labels.includes(label)) return n;
    return undefined;
  }
}
