import type { PciFunctionSpec } from './PciFunctionSpec.ts';

/**
 * The host bridge function QEMU's generic PCIe host ("gpex", used by the ARM
 * and RISC-V virt machines) puts at 00:00.0, as its virt machine shows it
 * (../shared/oracle/arm-virt/pci.txt and U-Boot's `pci header 0.0.0` under
 * QEMU 7.2): Red Hat vendor 0x1b36, device 0x0008 ("PCIe host bridge"),
 * revision 0, class 06/00/00 (bridge, host bridge), subsystem 1af4:1100 (the
 * Red Hat/Qumranet subsystem QEMU gives every function), no BARs, no
 * expansion ROM, no interrupt pin, a single function.
 */
export const GPEX_ROOT_FUNCTION: PciFunctionSpec = {
  vendorId: 0x1b36,
  deviceId: 0x0008,
  revisionId: 0x00,
  classCode: 0x060000,
  subsystemVendorId: 0x1af4,
  subsystemId: 0x1100,
};
