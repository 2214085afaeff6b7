import type { DeviceModelInfo } from '../DeviceModel.ts';
import { countCpus, requireRegs } from '../NodeProperties.ts';
import { FwCfgMmio } from './FwCfgMmio.ts';

/**
 * Device-tree binding (firmware/qemu,fw-cfg-mmio.yaml): one reg window of
 * 0x18 bytes (data, selector, DMA address). The DMA interface reaches guest
 * RAM through the context's bus; items: signature, ID (traditional + DMA),
 * UUID, CPU count, and an empty file directory.
 */
export const fwCfgModel: DeviceModelInfo = {
  compatible: ['qemu,fw-cfg-mmio'],
  description: 'QEMU fw_cfg, MMIO with DMA (signature, ID 3, CPU count, file directory)',
  factory(ctx) {
    requireRegs(ctx.node, ctx.regs, 1, 'fw_cfg');
    const r = ctx.regs[0];
    const dev = new FwCfgMmio({
      name: ctx.name, bigEndian: ctx.bigEndian, bus: ctx.bus, numCpus: countCpus(ctx.tree),
      log: (m) => ctx.log(m), pc: ctx.pc, baseAddress: r.address,
    });
    return { mappings: [{ address: r.address, size: r.size, device: dev }], model: dev };
  },
};
