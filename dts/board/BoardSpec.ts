import type { DeviceTree } from '../model/DeviceTree.ts';
import type { SourcePos } from '../model/SourcePos.ts';

/**
 * A board file after parsing and checking: the device tree plus tskvm's own
 * elements that sit beside it (`<firmware>`, `<console>`, `<vm>`).
 */
export interface FirmwareSpec {
  /** Absolute path of the image (resolved relative to the file that named it). */
  readonly path: string;
  /** 'elf' when given with elf="…", 'raw' with bin="…"; 'auto' = decide from the ELF magic. */
  readonly format: 'elf' | 'raw' | 'auto';
  /** Load address for raw images (required for them). */
  readonly loadAddress?: number;
  /** Entry point override (raw images default to loadAddress). */
  readonly entry?: number;
  /** Physical address the DTB is written to, if any. */
  readonly dtbAddress?: number;
  /**
   * Total size the DTB is padded to (free space firmware may grow the tree
   * into, like dtc -S); QEMU gives -bios firmware a 1 MiB blob.
   */
  readonly dtbSize?: number;
  /** Register that carries the DTB address at reset ("r2", "a0", "r3"…), if any. */
  readonly dtbRegister?: string;
  /** Extra registers preset at reset (e.g. ePAPR r6 magic), name → value. */
  readonly registers: ReadonlyMap<string, number>;
  readonly pos?: SourcePos;
}

/**
 * `<kernel>`: boot an operating system kernel directly, as QEMU's -kernel/-initrd/-append do:
 * the image, an initial RAM disk and the command line are placed as the ISA's boot protocol
 * says (ARM: Documentation/arch/arm/booting.rst) and /chosen carries bootargs and the initrd.
 */
export interface KernelSpec {
  /** Absolute path of the kernel image (ARM: a zImage or Image). */
  readonly path: string;
  /** Absolute path of the initial RAM disk, if any. */
  readonly initrd?: string;
  /** The kernel command line (/chosen/bootargs), if any. */
  readonly append?: string;
  readonly pos?: SourcePos;
}

export interface ConsoleSpec {
  /** Path of the UART node in the tree that is the terminal. */
  readonly nodePath: string;
  readonly pos?: SourcePos;
}

export type PagingMode = 'nested' | 'shadow';

export interface VmSpec {
  readonly name: string;
  readonly vcpus: number;
  /** Guest RAM in bytes. */
  readonly memory: number;
  readonly paging: PagingMode;
  /** -20 (most favoured) … 19, as for processes. */
  readonly nice: number;
  readonly firmware?: FirmwareSpec;
  /** A kernel booted directly in the VM instead of firmware. */
  readonly kernel?: KernelSpec;
  /**
   * `ends-run="true"`: when this VM stops, the run ends — powered off with the
   * VM's exit code, or as a guest error when it faulted or was killed — as a
   * test board wants when the guest is the workload.
   */
  readonly endsRun?: boolean;
  /** `cpus="1"` or `cpus="0 1"`: the host cores (their indices) the vCPUs are pinned to, vCPU i on the (i mod n)-th; default: spread over all. */
  readonly hostCpus?: readonly number[];
  readonly hostCpusPos?: SourcePos;
  /** The guest's own device tree (its virtual devices). */
  readonly tree: DeviceTree;
  readonly console?: ConsoleSpec;
  readonly pos?: SourcePos;
}

export interface BoardSpec {
  /** Absolute path of the board file. */
  readonly file: string;
  /** Board name (root element's name attribute, or the file's base name). */
  readonly name: string;
  readonly tree: DeviceTree;
  readonly firmware?: FirmwareSpec;
  /** A kernel booted directly instead of firmware. */
  readonly kernel?: KernelSpec;
  readonly console?: ConsoleSpec;
  readonly vms: readonly VmSpec[];
}
