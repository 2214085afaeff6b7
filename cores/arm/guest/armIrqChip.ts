import type { VmSpec } from '../../../dts/board/BoardSpec.ts';
import { InputError } from '../../../dts/model/SourcePos.ts';
import { stringListProperty, u32Property } from '../../../peripherals/NodeProperties.ts';
import type { GuestCpuContext } from '../../../src/hv/GuestCpu.ts';
import type { VmIrqChip } from '../../../src/hv/irq/VmIrqChip.ts';
import { guestInterruptControllers } from '../../../src/hv/vmm/VmDeviceBuilder.ts';
import type { IrqLine } from '../../../src/machine/IrqLine.ts';
import { ArmVgic, VGIC_COMPATIBLE } from './ArmVgic.ts';

/** What an ARM VM's irqchip choice gives `Vmm` and `armVmParts`. */
export interface ArmIrqChipChoice {
  /** The vGIC, or undefined for the VM's default (the level irqchip). */
  readonly irqChip?: VmIrqChip;
  readonly vgic?: ArmVgic;
  /** The vCPUs' generic timers on the vGIC's PPIs (27 virtual, 30 physical, 26 hyp, 29 secure). */
  readonly timerIrqs?: (ctx: GuestCpuContext) => { phys?: IrqLine; virt?: IrqLine; hyp?: IrqLine; sec?: IrqLine };
}

/**
 * The in-kernel irqchip for an ARM VM, from its tree: a GIC node
 * (arm,cortex-a15-gic, arm,gic-400, arm,arm-gic) gets the vGIC with one CPU
 * interface per vCPU and `tskvm,num-irqs` interrupt IDs (default 288, as
 * QEMU's virt), and the timers go to it; anything else keeps the VM's default.
 */
export function armIrqChipFor(spec: Pick<VmSpec, 'name' | 'tree' | 'vcpus'>, log?: (line: string) => void): ArmIrqChipChoice {
  const node = guestInterruptControllers(spec.tree).find((n) => (stringListProperty(n, 'compatible') ?? []).some((c) => VGIC_COMPATIBLE.includes(c)));
  if (node === undefined) return {};
  if (spec.vcpus > 8) throw InputError.at(node.pos, `VM "${spec.name}": ${node.path}: a GICv2 serves at most 8 CPUs; the VM has ${spec.vcpus} vCPUs`);
  const numIrqs = u32Property(node, 'tskvm,num-irqs') ?? 288;
  if (numIrqs < 32 || numIrqs > 1024 || numIrqs % 32 !== 0) {
    throw InputError.at(node.pos, `VM "${spec.name}": ${node.path}: tskvm,num-irqs must be a multiple of 32 from 32 to 1024, not ${numIrqs}`);
  }
  const vgic = new ArmVgic({ name: node.name, vcpus: spec.vcpus, numIrqs, log });
  return { irqChip: vgic, vgic, timerIrqs: (ctx) => vgic.timerLines(ctx.vcpuId) };
}
