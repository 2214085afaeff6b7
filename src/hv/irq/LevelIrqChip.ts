import type { IrqSink } from '../../machine/IrqLine.ts';
import type { InterruptController } from '../../../peripherals/DeviceModel.ts';
import type { VmIrqChip } from './VmIrqChip.ts';

/** The compatible string a guest tree uses for this controller. */
export const LEVEL_IRQCHIP_COMPATIBLE = 'tskvm,level-irqchip';

/**
 * The simplest in-kernel irqchip: `inputs` level-sensitive lines, each with an
 * enable bit and a target vCPU. A vCPU's interrupt request is the OR of its
 * enabled, asserted inputs; it follows the lines (no latching), as a
 * level-triggered controller without priorities does. It has no registers: the
 * guest finds the source by reading its devices' status. Device-tree binding:
 * `interrupt-controller`, `#interrupt-cells = <1>`, the cell is the input number.
 */
export class LevelIrqChip implements VmIrqChip, IrqSink, InterruptController {
  readonly compatible = [LEVEL_IRQCHIP_COMPATIBLE];
  readonly interruptCells = 1;
  private readonly levels: Uint8Array;
  private readonly enabled: Uint8Array;
  private readonly target: Uint16Array;
  private readonly sinks: Array<{ sink: IrqSink; input: number } | undefined> = [];
  private outputs = new Uint8Array(0);

  constructor(readonly inputs = 64) {
    if (!Number.isInteger(inputs) || inputs < 1 || inputs > 1024) throw new RangeError(`LevelIrqChip: ${inputs} inputs (1 … 1024)`);
    this.levels = new Uint8Array(inputs);
    this.enabled = new Uint8Array(inputs).fill(1);
    this.target = new Uint16Array(inputs);
  }

  get controller(): InterruptController {
    return this;
  }

  resolveInterrupt(specifier: readonly number[]): { sink: IrqSink; input: number } | string {
    const n = specifier[0];
    if (specifier.length !== 1 || n === undefined || n >= this.inputs) return `input ${String(n)} does not exist (the controller has ${this.inputs})`;
    return { sink: this, input: n };
  }

  setIrqLevel(input: number, level: boolean): void {
    if (input < 0 || input >= this.inputs) throw new RangeError(`LevelIrqChip: no input ${input}`);
    this.levels[input] = level ? 1 : 0;
    this.update(this.target[input]);
  }

  /** Enable or mask input `input`. */
  setEnabled(input: number, on: boolean): void {
    this.enabled[input] = on ? 1 : 0;
    this.update(this.target[input]);
  }

  /** Send input `input` to vCPU `vcpu` (default: every input goes to vCPU 0). */
  route(input: number, vcpu: number): void {
    const old = this.target[input];
    this.target[input] = vcpu;
    this.update(old);
    this.update(vcpu);
  }

  connectVcpu(id: number, sink: IrqSink, input: number): void {
    this.sinks[id] = { sink, input };
    if (this.outputs.length <= id) {
      const grown = new Uint8Array(id + 1);
      grown.set(this.outputs);
      this.outputs = grown;
    }
    this.outputs[id] = 0;
    this.update(id);
  }

  hasPendingInterrupt(id: number): boolean {
    return this.outputs[id] === 1;
  }

  /** The line level of input `input` (for tests and `info irq`). */
  level(input: number): boolean {
    return this.levels[input] === 1;
  }

  reset(): void {
    // Lines keep the level their devices drive; the enables and routes return to their defaults.
    this.enabled.fill(1);
    this.target.fill(0);
    for (let id = 0; id < this.sinks.length; id++) this.update(id);
  }

  snapshot(): { levels: Uint8Array; enabled: Uint8Array; target: Uint16Array } {
    return { levels: this.levels.slice(), enabled: this.enabled.slice(), target: this.target.slice() };
  }

  restore(state: unknown): void {
    const s = state as { levels: Uint8Array; enabled: Uint8Array; target: Uint16Array };
    if (s.levels.length !== this.inputs) throw new Error(`the snapshot's level irqchip has ${s.levels.length} inputs, this one ${this.inputs}`);
    this.levels.set(s.levels);
    this.enabled.set(s.enabled);
    this.target.set(s.target);
    // Outputs follow the inputs: recompute them, telling the vCPUs only of changes (as `update` does).
    for (let id = 0; id < this.sinks.length; id++) this.update(id);
  }

  private update(vcpu: number): void {
    let out = 0;
    for (let i = 0; i < this.inputs; i++) {
      if (this.levels[i] !== 0 && this.enabled[i] !== 0 && this.target[i] === vcpu) {
        out = 1;
        break;
      }
    }
    if (vcpu >= this.outputs.length || this.outputs[vcpu] === out) return;
    this.outputs[vcpu] = out;
    const s = this.sinks[vcpu];
    if (s !== undefined) s.sink.setIrqLevel(s.input, out === 1);
  }
}
