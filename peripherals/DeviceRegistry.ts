import type { DtNode } from '../dts/model/DeviceTree.ts';
import type { DeviceModelInfo } from './DeviceModel.ts';
import { stringListProperty } from './NodeProperties.ts';

/** The model chosen for a node and the compatible string that selected it. */
export interface ModelMatch {
  readonly model: DeviceModelInfo;
  readonly compatible: string;
}

/**
 * Compatible string → device model. A node lists its compatible strings from
 * most to least specific; the first one with a model wins, as in Linux's
 * of_match (so "arm,pl011", "arm,primecell" picks the PL011 model).
 */
export class DeviceRegistry {
  private readonly byCompatible = new Map<string, DeviceModelInfo>();
  private readonly all: DeviceModelInfo[] = [];

  constructor(models: readonly DeviceModelInfo[] = []) {
    for (const m of models) this.register(m);
  }

  /** Add a model; a compatible string claimed twice is a programming error. */
  register(model: DeviceModelInfo): void {
    if (model.compatible.length === 0) throw new Error(`device model "${model.description}" has no compatible string`);
    for (const c of model.compatible) {
      const other = this.byCompatible.get(c);
      if (other !== undefined) {
        throw new Error(`compatible "${c}" is claimed by both "${other.description}" and "${model.description}"`);
      }
    }
    for (const c of model.compatible) this.byCompatible.set(c, model);
    this.all.push(model);
  }

  lookup(compatible: string): DeviceModelInfo | undefined {
    return this.byCompatible.get(compatible);
  }

  /** The model for a node, by the node's compatible list in its own order; undefined if none. */
  match(node: DtNode): ModelMatch | undefined {
    for (const c of stringListProperty(node, 'compatible') ?? []) {
      const model = this.byCompatible.get(c);
      if (model !== undefined) return { model, compatible: c };
    }
    return undefined;
  }

  /** Every registered model, in registration order (for `tskvm-board models`). */
  models(): readonly DeviceModelInfo[] {
    return this.all;
  }
}
