import type { DeviceModelInfo } from '../DeviceModel.ts';
import { cellsProperty, nodeError, requireRegs } from '../NodeProperties.ts';
import { GPEX_ROOT_FUNCTION } from './gpexRootFunction.ts';
import { PciHostEcam } from './PciHostEcam.ts';
import { pciHostWindows } from './PciHostRanges.ts';

/** Configuration space of one bus in an ECAM window: 32 devices × 8 functions × 4 KiB (PCIe Base Spec §7.2.2). */
const ECAM_BUS_BYTES = 0x100000;

/**
 * Device-tree binding pci/host-generic-pci.yaml, `compatible =
 * "pci-host-ecam-generic"`: `reg` is the ECAM window of the buses in
 * `bus-range` (default 0–255, cut down to what `reg` holds, as Linux does),
 * `ranges` the outbound I/O and memory windows. As on QEMU's virt boards, the
 * gpex host bridge function sits at device 0 of the first bus; nothing else
 * is plugged in. INTx routing (interrupt-map) and MSIs (msi-map) are not
 * modelled: no function here raises an interrupt.
 */
export const pciHostEcamModel: DeviceModelInfo = {
  compatible: ['pci-host-ecam-generic'],
  description: 'PCIe host bridge with ECAM (QEMU gpex): host bridge 1b36:0008 at 00:00.0, I/O and memory windows',
  factory(ctx) {
    requireRegs(ctx.node, ctx.regs, 1, 'an ECAM PCI host');
    const ecam = ctx.regs[0];
    const busesInReg = Math.floor(ecam.size / ECAM_BUS_BYTES);
    if (busesInReg === 0) {
      throw nodeError(ctx.node, `the ECAM window (reg size 0x${ecam.size.toString(16)}) is smaller than one bus (1 MiB)`, 'reg');
    }
    const range = cellsProperty(ctx.node, 'bus-range');
    let firstBus = 0;
    let lastBus = Math.min(255, busesInReg - 1);
    if (range !== undefined) {
      if (range.length !== 2 || range[0] > range[1] || range[1] > 255) {
        throw nodeError(ctx.node, 'bus-range must be two cells <first last> with first <= last <= 255', 'bus-range');
      }
      [firstBus, lastBus] = range;
      if (lastBus - firstBus + 1 > busesInReg) {
        throw nodeError(ctx.node,
          `bus-range <${firstBus} ${lastBus}> needs ${lastBus - firstBus + 1} MiB of ECAM but reg gives 0x${ecam.size.toString(16)} bytes`,
          'bus-range');
      }
    }
    const windows = pciHostWindows(ctx.node);
    const host = new PciHostEcam({
      name: ctx.name, firstBus, lastBus, windows, bigEndian: ctx.bigEndian,
      log: (m) => ctx.log(m), pc: ctx.pc, ecamAddress: ecam.address,
    });
    host.addFunction(firstBus, 0, 0, GPEX_ROOT_FUNCTION);
    return {
      mappings: [
        { address: ecam.address, size: ecam.size, device: host.ecam },
        ...host.windows.map((w) => ({ address: w.window.cpuAddress, size: w.window.size, device: w.device })),
      ],
      model: host,
    };
  },
};
