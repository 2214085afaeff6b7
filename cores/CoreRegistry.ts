import type { DtNode } from '../dts/model/DeviceTree.ts';
import type { CoreModelInfo } from './CoreModel.ts';

/**
 * Core models by the `compatible` of cpu nodes. Each ISA folder registers
 * its models in cores/models.ts; the machine builder looks them up here.
 */
export class CoreRegistry {
  private readonly byCompatible = new Map<string, CoreModelInfo>();
  private readonly all: CoreModelInfo[] = [];

  register(info: CoreModelInfo): void {
    for (const c of info.compatible) {
      if (this.byCompatible.has(c)) throw new Error(`core compatible '${c}' registered twice`);
      this.byCompatible.set(c, info);
    }
    this.all.push(info);
  }

  /** The model for the first of the node's compatible strings that has one. */
  lookup(compatibles: readonly string[]): CoreModelInfo | undefined {
    for (const c of compatibles) {
      const m = this.byCompatible.get(c);
      if (m) return m;
    }
    return undefined;
  }

  models(): readonly CoreModelInfo[] {
    return this.all;
  }
}

/** The strings of a node's `compatible` property, in order (empty when absent). */
export function compatibleOf(node: DtNode): string[] {
  const p = node.property('compatible');
  if (!p) return [];
  const out: string[] = [];
  for (const seg of p.value) if (seg.kind === 'string') out.push(seg.value);
  return out;
}
