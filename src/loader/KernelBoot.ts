import { readFileSync } from 'node:fs';
import type { KernelSpec } from '../../dts/board/BoardSpec.ts';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import type { DeviceTree } from '../../dts/model/DeviceTree.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import type { BootRegisters, LinuxBootProtocol } from '../../cores/CoreModel.ts';
import type { PhysicalBus } from '../machine/PhysicalBus.ts';
import { setChosenForKernel } from './KernelChosen.ts';
import { planKernelLayout, type KernelLayout } from './KernelLayout.ts';

/** Room the kernel may grow the blob into (the ARM decompressor appends ATAG data to it). */
const DTB_TOTAL_SIZE = 64 * 1024;

export interface KernelBoot {
  readonly layout: KernelLayout;
  /** Write kernel, initrd and DTB into RAM (at build and at every board reset). */
  load(): void;
  /** Boot core registers at the kernel's entry (at build and at every board reset). */
  preset(): void;
}

/**
 * Boot a kernel directly, as QEMU's -kernel/-initrd/-append: read the files,
 * check the image is the ISA's kernel format, place image, initrd and DTB
 * (planKernelLayout), put bootargs and the initrd range into /chosen and
 * hand the boot core the ISA's entry registers. Problems are InputErrors
 * naming the file or the board's `<kernel>`.
 */
export function prepareKernelBoot(p: {
  kernel: KernelSpec;
  tree: DeviceTree;
  bus: PhysicalBus;
  /** The ISA's boot protocol, absent where tskvm cannot boot a kernel directly. */
  protocol: LinuxBootProtocol | undefined;
  isa: string;
  bootCpu: BootRegisters | undefined;
  ram: readonly { address: number; size: number }[];
}): KernelBoot {
  const { kernel } = p;
  const fail = (message: string): never => {
    throw new InputError([{ severity: 'error', message, ...(kernel.pos ? { pos: kernel.pos } : {}) }]);
  };
  const protocol = p.protocol ?? fail(`tskvm cannot boot a kernel directly on ${p.isa} cores yet; use <firmware>`);
  const read = (path: string, what: string): Uint8Array => {
    try {
      return readFileSync(path);
    } catch (e) {
      return fail(`cannot read the ${what} '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  const image = read(kernel.path, 'kernel image');
  const why = protocol.checkImage(image);
  if (why !== undefined) fail(`${kernel.path}: not a kernel image tskvm can boot on ${p.isa}: ${why}`);
  const initrd = kernel.initrd !== undefined ? read(kernel.initrd, 'initrd') : undefined;
  const ram = [...p.ram].sort((a, b) => a.address - b.address)[0] ?? fail('the board has no RAM (a memory node) to load a kernel into');

  const planned = planKernelLayout({
    ramBase: ram.address,
    ramSize: ram.size,
    kernelOffset: protocol.kernelOffset,
    kernelSize: image.length,
    ...(initrd !== undefined ? { initrdSize: initrd.length } : {}),
    dtbSize: DTB_TOTAL_SIZE,
  });
  const layout = typeof planned === 'string' ? fail(`${kernel.path}: ${planned}`) : planned;
  setChosenForKernel(p.tree, {
    ...(kernel.append !== undefined ? { bootargs: kernel.append } : {}),
    ...(layout.initrd !== undefined ? { initrd: layout.initrd } : {}),
  });
  const dtb = writeDtb(p.tree, { totalSize: DTB_TOTAL_SIZE });
  return {
    layout,
    load() {
      p.bus.loadBytes(layout.kernel, image);
      if (initrd !== undefined) p.bus.loadBytes(layout.initrd!.start, initrd);
      p.bus.loadBytes(layout.dtb, dtb);
    },
    preset() {
      if (p.bootCpu !== undefined) protocol.presetRegisters(p.bootCpu, layout.kernel, layout.dtb);
    },
  };
}
