import type { DeviceInstance, DeviceModelInfo } from '../DeviceModel.ts';
import type { DtNode } from '../../dts/model/DeviceTree.ts';
import { cellsProperty, countCpus, nodeError, requireRegs, u32Property } from '../NodeProperties.ts';
import { UnimplementedDevice } from '../UnimplementedDevice.ts';
import { GicV2 } from './GicV2.ts';
import { GicVirtualInterface } from './GicVirtualInterface.ts';

/** QEMU's virt board gives its GIC 256 SPIs + 32 private IDs (ITLinesNumber 8). */
const DEFAULT_NUM_IRQS = 288;

/**
 * Device-tree binding (arm,gic.yaml): reg = distributor, CPU interface
 * [, virtual interface control, virtual CPU interface]; #interrupt-cells = 3.
 * The number of CPU interfaces is the number of CPU nodes; the number of
 * interrupt IDs is 288 (as QEMU's virt) unless `tskvm,num-irqs` says otherwise.
 * With reg entries 3 and 4 the GIC has the virtualization extensions (IHI
 * 0048B chapter 5): GICH_* and GICV_* windows, each CPU's virtual IRQ/FIQ on
 * its core's inputs 2/3, and the maintenance interrupt on the PPI the node's
 * own `interrupts` names (QEMU's virt: PPI 9, INTID 25; 9 when absent).
 */
export const gicV2Model: DeviceModelInfo = {
  compatible: ['arm,cortex-a15-gic', 'arm,gic-400', 'arm,cortex-a9-gic'],
  description: 'ARM GICv2 interrupt controller (distributor + banked CPU interfaces, up to 8 CPUs, no Security Extensions)',
  factory(ctx): DeviceInstance {
    requireRegs(ctx.node, ctx.regs, 2, 'a GICv2');
    const numCpus = countCpus(ctx.tree);
    if (numCpus > 8) throw nodeError(ctx.node, `a GICv2 serves at most 8 CPUs, the tree has ${numCpus}`);
    const numIrqs = u32Property(ctx.node, 'tskvm,num-irqs') ?? DEFAULT_NUM_IRQS;
    if (numIrqs < 32 || numIrqs > 1024 || numIrqs % 32 !== 0) {
      throw nodeError(ctx.node, `tskvm,num-irqs must be a multiple of 32 from 32 to 1024, not ${numIrqs}`, 'tskvm,num-irqs');
    }
    const gic = new GicV2({
      name: ctx.name,
      numCpus,
      numIrqs,
      currentCpu: () => ctx.pc.currentCpu?.() ?? 0,
      log: (m) => ctx.log(m),
      pc: ctx.pc,
      bigEndian: ctx.bigEndian,
      distributorBase: ctx.regs[0].address,
      cpuInterfaceBase: ctx.regs[1].address,
    });
    const mappings: Array<DeviceInstance['mappings'][number]> = [
      { address: ctx.regs[0].address, size: ctx.regs[0].size, device: gic.distributor },
      { address: ctx.regs[1].address, size: ctx.regs[1].size, device: gic.cpuInterface },
    ];
    if (ctx.regs.length >= 4) {
      const ppi = maintenancePpi(ctx.node);
      const vif = new GicVirtualInterface({
        name: ctx.name,
        numCpus,
        currentCpu: () => ctx.pc.currentCpu?.() ?? 0,
        deactivatePhysical: (cpu, id) => gic.deactivatePhysical(cpu, id),
        log: (m) => ctx.log(m),
        pc: ctx.pc,
        bigEndian: ctx.bigEndian,
        controlBase: ctx.regs[2].address,
        cpuInterfaceBase: ctx.regs[3].address,
      });
      for (let c = 0; c < numCpus; c++) {
        const { sink, input } = gic.ppiInput(c, ppi);
        vif.connectMaintenance(c, sink, input);
      }
      gic.virtualInterface = vif;
      mappings.push(
        { address: ctx.regs[2].address, size: ctx.regs[2].size, device: vif.control },
        { address: ctx.regs[3].address, size: ctx.regs[3].size, device: vif.cpuInterface },
      );
    }
    const extra = ['virtual-interface-control', 'virtual-cpu-interface'];
    for (let i = mappings.length; i < ctx.regs.length; i++) {
      const r = ctx.regs[i];
      mappings.push({
        address: r.address, size: r.size,
        device: new UnimplementedDevice(`${ctx.name}.${extra[i - 2] ?? `reg${i}`}`, r.address, (m) => ctx.log(m), ctx.pc),
      });
    }
    return { mappings, interruptController: gic, model: gic };
  },
};

/** The maintenance interrupt's PPI from the GIC node's `interrupts` (<1 ppi flags>), 9 by default. */
function maintenancePpi(node: DtNode): number {
  const cells = cellsProperty(node, 'interrupts');
  if (cells === undefined) return 9;
  if (cells.length !== 3 || cells[0] !== 1 || cells[1] > 15) {
    throw nodeError(node, `the GIC's own interrupt (its maintenance interrupt) must be one PPI <1 n flags> with n 0..15, not <${cells.join(' ')}>`, 'interrupts');
  }
  return cells[1];
}
