import type { DeviceTree, DtNode } from '../dts/model/DeviceTree.ts';
import type { Clock } from '../src/machine/Clock.ts';
import type { Cpu, Isa } from '../src/machine/Cpu.ts';
import type { IrqLine } from '../src/machine/IrqLine.ts';
import type { PhysicalBus } from '../src/machine/PhysicalBus.ts';
import type { StopRequester } from '../src/machine/StopRequest.ts';
import type { TraceOptions } from '../src/machine/Trace.ts';

/**
 * What the machine builder hands a core model's factory for one `cpu` node.
 * ISA-neutral: a core finds its own ISA-specific nodes (an ARM core its
 * `arm,armv7-timer` and `psci` nodes) in the tree and asks for their lines.
 */
export interface CoreContext {
  /** Position of the core in /cpus (0 = boot CPU). */
  readonly index: number;
  readonly node: DtNode;
  readonly tree: DeviceTree;
  readonly bus: PhysicalBus;
  readonly clock: Clock;
  readonly stop: StopRequester;
  /** Cheap check the run loop makes once per slice and after device accesses. */
  stopRequested(): boolean;
  /** The same as a shared cell: non-zero means return from run() now (see Machine.stopFlag). */
  readonly stopFlag: Int32Array;
  /** Instructions per second (from the node's clock-frequency, else 1e9). */
  readonly frequencyHz: number;
  /**
   * The lines of `node`'s interrupts as seen from this core: per-core
   * sources (ARM PPIs) are wired to this core's bank of the controller.
   */
  interruptLinesFor(node: DtNode): IrqLine[];
  /** Every core of the board, once all exist (for PSCI CPU_ON, IPIs). */
  allCpus(): readonly Cpu[];
  /** Compile hot code when the core model can (false: interpret only, as `run --no-jit`); undefined: the model's default. */
  readonly jit?: boolean;
}

export interface CoreModelInfo {
  readonly isa: Isa;
  /** `compatible` strings of cpu nodes this model implements. */
  readonly compatible: readonly string[];
  /** ELF e_machine values firmware for this core may carry. */
  readonly elfMachines: readonly number[];
  /** Byte order of the bus when the board does not say otherwise. */
  readonly bigEndian: boolean;
  readonly description: string;
  create(ctx: CoreContext): Cpu;
  /** Start writing the requested trace kinds of `cpu` (one of this model's cores) to `options.sink`. */
  attachTrace?(cpu: Cpu, options: TraceOptions): void;
  /**
   * The address of the instruction `cpu` is executing (called from inside its
   * slice, e.g. by a device access trace), or undefined when the model cannot tell.
   */
  instructionAddress?(cpu: Cpu): number | undefined;
  /** How this ISA boots a kernel directly (`<kernel>`, `run --kernel`); absent where tskvm cannot. */
  readonly linuxBoot?: LinuxBootProtocol;
}

/** The ISA's half of booting a kernel image directly, as a bootloader would. */
export interface LinuxBootProtocol {
  /** Where the image goes: this many bytes above the start of RAM. */
  readonly kernelOffset: number;
  /** Why `image` cannot be this ISA's kernel (a sentence), or undefined when it looks right. */
  checkImage(image: Uint8Array): string | undefined;
  /** The boot core's registers at the kernel's first instruction. */
  presetRegisters(cpu: BootRegisters, kernelAddress: number, dtbAddress: number): void;
}

/** What a boot protocol sets on the boot core: a host core or a VM's vCPU. */
export type BootRegisters = Pick<Cpu, 'setRegister' | 'setPc'>;
