import type { DeviceTree, DtNode } from '../dts/model/DeviceTree.ts';
import type { Clock } from '../src/machine/Clock.ts';
import type { IrqLine, IrqSink } from '../src/machine/IrqLine.ts';
import type { MmioDevice, PcProvider } from '../src/machine/MmioDevice.ts';
import type { StopRequester } from '../src/machine/StopRequest.ts';
import type { Cpu } from '../src/machine/Cpu.ts';
import type { PhysicalBus } from '../src/machine/PhysicalBus.ts';

/** A `reg` entry translated through every `ranges` up to a CPU physical address. */
export interface PhysRange {
  readonly address: number;
  readonly size: number;
}

/** What the machine builder hands a device model's factory. */
export interface DeviceContext {
  readonly node: DtNode;
  readonly tree: DeviceTree;
  /** Instance name for logs: the node name, e.g. "pl011@9000000". */
  readonly name: string;
  /** The node's `reg` entries as CPU physical ranges, in order. */
  readonly regs: readonly PhysRange[];
  /**
   * One line per entry of the node's `interrupts` / `interrupts-extended`, in
   * order, already wired to the controller input. Empty when none.
   */
  readonly irqs: readonly IrqLine[];
  readonly clock: Clock;
  /** True for big-endian boards (the bus handles byte order; some models care). */
  readonly bigEndian: boolean;
  readonly stop: StopRequester;
  readonly pc: PcProvider;
  /** Log lines for the user (unimplemented accesses, guest mistakes). */
  log(message: string): void;
  /**
   * A line to an input of an interrupt controller the node does not name in
   * `interrupts` (an MSI frame signalling its parent GIC's SPIs): `specifier`
   * in the controller's #interrupt-cells format. A string says what is wrong.
   */
  interruptLine?(controller: DtNode, specifier: readonly number[]): IrqLine | string;
  /**
   * The physical address space the device sits on, for models that do DMA
   * (fw_cfg's DMA interface). Optional: without it such models report a DMA
   * error to the guest.
   */
  readonly bus?: PhysicalBus;
}

/**
 * An interrupt controller tells the builder how a specifier in a child's
 * `interrupts` maps onto one of its inputs (e.g. GIC `<0 1 4>` → SPI 33).
 * Returns a string describing the problem for a bad specifier.
 */
export interface InterruptController {
  /** Number of cells a specifier has (must match the node's #interrupt-cells). */
  readonly interruptCells: number;
  resolveInterrupt(specifier: readonly number[]): { sink: IrqSink; input: number } | string;
  /**
   * Like resolveInterrupt, for a source private to core `cpu` (an ARM PPI such
   * as that core's generic timer). Controllers without per-core inputs omit it.
   */
  resolveInterruptForCpu?(specifier: readonly number[], cpu: number): { sink: IrqSink; input: number } | string;
  /** Connect the controller's outputs to the cores (called once all cores exist). */
  connectCpus?(cpus: readonly Cpu[]): void;
}

/** A built device: the windows it occupies on the bus and optional roles. */
export interface DeviceInstance {
  readonly mappings: ReadonlyArray<{
    readonly address: number;
    readonly size: number;
    readonly device: MmioDevice;
    /** Offset inside the device this window starts at (default 0). */
    readonly deviceOffset?: number;
  }>;
  /** Set when the node is an interrupt-controller. */
  readonly interruptController?: InterruptController;
  /** The model itself, for roles the machine discovers by interface (SerialDevice…). */
  readonly model: unknown;
  /** Extra RAM/ROM-like regions (NOR flash in read-array mode is backed by bytes). */
  readonly memory?: ReadonlyArray<{ readonly address: number; readonly bytes: Uint8Array; readonly readOnly: boolean }>;
}

export type DeviceFactory = (ctx: DeviceContext) => DeviceInstance;

export interface DeviceModelInfo {
  /** Compatible strings this model implements, most specific first. */
  readonly compatible: readonly string[];
  readonly factory: DeviceFactory;
  /** One line for `tskvm-board models`. */
  readonly description: string;
}
