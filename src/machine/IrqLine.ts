/**
 * An interrupt line wired at build time from the device tree's `interrupts`
 * / `interrupt-parent` / `interrupts-extended` properties. A device raises or
 * lowers its line; it never calls an interrupt controller directly. The sink
 * (controller input or core input) is told only on level changes.
 */
export interface IrqSink {
  /** Called when the level of input `input` changes. */
  setIrqLevel(input: number, level: boolean): void;
}

export class IrqLine {
  private current = false;
  private target: IrqSink | null;

  /**
   * @param sink     controller (or core) that receives the line
   * @param input    controller-specific input number (e.g. GIC interrupt ID)
   * @param name     for logs and traces, e.g. "pl011@9000000 -> gic:33"
   */
  constructor(
    sink: IrqSink | null,
    readonly input: number,
    readonly name: string = `irq${input}`,
  ) {
    this.target = sink;
  }

  /** The controller (or core) that receives the line. */
  get sink(): IrqSink | null {
    return this.target;
  }

  /**
   * Put `wrap(sink)` between the line and its sink (an interrupt trace sees
   * each level change on its way to the controller). Changes of level cost
   * the same with or without it.
   */
  interpose(wrap: (sink: IrqSink) => IrqSink): void {
    if (this.target !== null) this.target = wrap(this.target);
  }

  get level(): boolean {
    return this.current;
  }

  set(level: boolean): void {
    if (level === this.current) return;
    this.current = level;
    if (this.target !== null) this.target.setIrqLevel(this.input, level);
  }

  raise(): void {
    this.set(true);
  }

  lower(): void {
    this.set(false);
  }

  /** A line connected to nothing (device whose interrupt is not wired). */
  static unconnected(name = 'unconnected'): IrqLine {
    return new IrqLine(null, -1, name);
  }
}
