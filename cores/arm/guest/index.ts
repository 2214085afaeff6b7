import type { GuestCpuFactory } from '../../../src/hv/GuestCpu.ts';
import type { InKernelHypercalls } from '../../../src/hv/Vcpu.ts';
import { armGuestCpuFactory, type ArmGuestCpuOptions } from './ArmGuestCpu.ts';
import { ArmPageTableWalker } from './ArmPageTableWalker.ts';
import { ArmPsci } from './GuestPsci.ts';
import type { LinuxBootProtocol } from '../../CoreModel.ts';
import { armLinuxBoot } from '../ArmLinuxBoot.ts';

export { ArmGuestCpu, armGuestCpuFactory, type ArmGuestCpuOptions } from './ArmGuestCpu.ts';
export { ArmPageTableWalker } from './ArmPageTableWalker.ts';
export { ArmPsci } from './GuestPsci.ts';
export { ArmVgic, VGIC_COMPATIBLE, TIMER_PPI, type ArmVgicOptions, type ArmVgicSnapshot } from './ArmVgic.ts';
export { armIrqChipFor, type ArmIrqChipChoice } from './armIrqChip.ts';

/**
 * What a VM of ARM vCPUs needs from this ISA, for `Hypervisor.createVm` or
 * `Vmm` (spread into their options): the vCPU factory, the guest page-table
 * walker for shadow paging (shared with the vCPUs, which point it at their
 * registers), PSCI answered in the kernel and the ARM Linux boot protocol
 * for a `<kernel>` in the VM.
 */
export function armVmParts(options: Omit<ArmGuestCpuOptions, 'pageTableWalker'>): {
  createGuestCpu: GuestCpuFactory;
  pageTableWalker: ArmPageTableWalker;
  hypercalls: InKernelHypercalls;
  linuxBoot: LinuxBootProtocol;
} {
  const pageTableWalker = new ArmPageTableWalker();
  return {
    createGuestCpu: armGuestCpuFactory({ ...options, pageTableWalker }),
    pageTableWalker,
    hypercalls: new ArmPsci(),
    linuxBoot: armLinuxBoot,
  };
}
