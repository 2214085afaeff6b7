import type { DeviceTree, DtNode } from '../../../dts/model/DeviceTree.ts';
import { hasCpuAddress, translateReg } from '../../../dts/model/AddressTranslation.ts';
import { resolveInterrupts } from '../../../dts/model/InterruptResolution.ts';
import { PhandleIndex } from '../../../dts/model/Phandles.ts';
import { InputError, type Diagnostic, type SourcePos } from '../../../dts/model/SourcePos.ts';
import type { DeviceContext, DeviceInstance, InterruptController } from '../../../peripherals/DeviceModel.ts';
import type { DeviceRegistry } from '../../../peripherals/DeviceRegistry.ts';
import { stringListProperty } from '../../../peripherals/NodeProperties.ts';
import { createUnimplementedDevice } from '../../../peripherals/UnimplementedDevice.ts';
import type { Clock } from '../../machine/Clock.ts';
import { IrqLine } from '../../machine/IrqLine.ts';
import type { MmioDevice, PcProvider } from '../../machine/MmioDevice.ts';
import type { PhysicalBus } from '../../machine/PhysicalBus.ts';
import type { StopRequester } from '../../machine/StopRequest.ts';
import type { IrqChipWindow, VmIrqChip } from '../irq/VmIrqChip.ts';
import { isRomdDevice, type RomdDevice } from './VmRomd.ts';

/*
 * The VM's side of what src/board/MachineBuilder does for a board: walk the
 * guest's device tree, find its memory, make a model for every device node,
 * wire `interrupts` to the VM's in-kernel irqchip. It cannot import the board
 * builder (src/hv sits below it), so the rules are restated here; a shared
 * "tree → devices" module both builders use would remove the repetition.
 */

/** A memory node's range, to become a memory slot. */
export interface VmMemoryRange {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly pos?: SourcePos;
}

/** A device window to put on the VM's address space (in-kernel or behind MMIO exits). */
export interface VmDeviceWindow {
  readonly name: string;
  readonly address: number;
  readonly size: number;
  readonly device: MmioDevice;
  readonly deviceOffset: number;
  readonly pos?: SourcePos;
  /** True for the irqchip's own registers: always in-kernel. */
  readonly inKernel: boolean;
  /** A flash bank: also a read-only memory slot while in array mode (VmRomdSlot). */
  readonly romd?: RomdDevice;
}

export interface VmDeviceSetup {
  readonly tree: DeviceTree;
  readonly registry: DeviceRegistry;
  readonly irqChip: VmIrqChip;
  readonly clock: Clock;
  readonly bigEndian: boolean;
  readonly stop: StopRequester;
  readonly pc: PcProvider;
  readonly dmaBus: PhysicalBus;
  readonly log: (line: string) => void;
}

export interface VmDevices {
  readonly memory: readonly VmMemoryRange[];
  readonly windows: readonly VmDeviceWindow[];
  /** Models by node, in tree order (the VMM resets them in this order). */
  readonly models: ReadonlyMap<DtNode, DeviceInstance>;
  readonly warnings: readonly Diagnostic[];
  /** Number of nodes with a model, and of nodes left as logging "unimplemented" windows. */
  readonly modelled: number;
  readonly unimplemented: number;
}

function stringProperty(node: DtNode, name: string): string | undefined {
  return stringListProperty(node, name)?.[0];
}

function isDisabled(node: DtNode): boolean {
  const s = stringProperty(node, 'status');
  return s !== undefined && s !== 'okay' && s !== 'ok';
}

function isMemoryNode(node: DtNode): boolean {
  return stringProperty(node, 'device_type') === 'memory';
}

function isCpuNode(node: DtNode): boolean {
  return stringProperty(node, 'device_type') === 'cpu' && node.parent?.name === 'cpus';
}

const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * The guest tree's interrupt-controller nodes (enabled, with a compatible), in
 * tree order: what a VMM looks at to choose the VM's in-kernel irqchip (an ARM
 * VM whose controller is a GIC gets the vGIC; tskvm,level-irqchip the level chip).
 */
export function guestInterruptControllers(tree: DeviceTree): DtNode[] {
  return [...tree.root.walk()].filter(
    (n) => n !== tree.root && !isDisabled(n) && n.property('interrupt-controller') !== undefined && (stringListProperty(n, 'compatible')?.length ?? 0) > 0,
  );
}

/**
 * Memory ranges, device models and their windows for a VM's tree. Every
 * problem found is reported at once as an InputError placed at the node.
 */
export function buildVmDevices(setup: VmDeviceSetup): VmDevices {
  const { tree, registry, irqChip } = setup;
  const warnings: Diagnostic[] = [];
  const errors: Diagnostic[] = [];
  const fail = (message: string, pos?: SourcePos) => errors.push({ severity: 'error', message, pos });
  const warn = (message: string, pos?: SourcePos) => warnings.push({ severity: 'warning', message, pos });
  const collect = <T>(what: () => T): T | undefined => {
    try {
      return what();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(...e.diagnostics);
      return undefined;
    }
  };
  const phandles = PhandleIndex.build(tree);

  const memory: VmMemoryRange[] = [];
  for (const node of tree.root.walk()) {
    if (!isMemoryNode(node) || isDisabled(node)) continue;
    const regs = collect(() => translateReg(node)) ?? [];
    regs.forEach((r, i) => memory.push({ name: regs.length === 1 ? node.name : `${node.name}[${i}]`, base: r.address, size: r.size, pos: node.pos }));
  }

  const controllers = new Map<DtNode, InterruptController>();
  const models = new Map<DtNode, DeviceInstance>();
  const windows: VmDeviceWindow[] = [];
  const base = { tree, clock: setup.clock, bigEndian: setup.bigEndian, stop: setup.stop, pc: setup.pc, bus: setup.dmaBus, log: setup.log };

  const linesFor = (node: DtNode): IrqLine[] => {
    const resolved = collect(() => resolveInterrupts(tree, node, phandles)) ?? [];
    return resolved.map((r, i) => {
      const ctl = controllers.get(r.controller);
      if (ctl === undefined) {
        fail(`${node.path}: interrupt ${i} goes to ${r.controller.path}, which is not the VM's irqchip (${irqChip.compatible.join(', ')})`, node.pos);
        return IrqLine.unconnected(`${node.name}#${i}`);
      }
      const target = ctl.resolveInterrupt(r.specifier);
      if (typeof target === 'string') {
        fail(`${node.path}: interrupt <${r.specifier.join(' ')}> for ${r.controller.path}: ${target}`, node.pos);
        return IrqLine.unconnected(`${node.name}#${i}`);
      }
      return new IrqLine(target.sink, target.input, `${node.name} -> ${r.controller.name}:${target.input}`);
    });
  };

  const nodes = [...tree.root.walk()].filter(
    (n) => n !== tree.root && !isDisabled(n) && !isCpuNode(n) && !isMemoryNode(n) && (stringListProperty(n, 'compatible')?.length ?? 0) > 0,
  );

  // The in-kernel irqchip first: every other device's lines are wired to it.
  for (const node of nodes) {
    if (node.property('interrupt-controller') === undefined) continue;
    const compatible = stringListProperty(node, 'compatible') ?? [];
    if (!compatible.some((c) => irqChip.compatible.includes(c))) continue;
    controllers.set(node, irqChip.controller);
    const regs = hasCpuAddress(node) ? (collect(() => translateReg(node)) ?? []) : [];
    let chipWindows: readonly IrqChipWindow[] = [];
    try {
      chipWindows = irqChip.windows?.(regs) ?? [];
    } catch (e) {
      fail(`${node.path}: ${(e as Error).message}`, node.pos);
    }
    for (const w of chipWindows) {
      windows.push({ name: node.name, address: w.address, size: w.size, device: w.device, deviceOffset: w.deviceOffset ?? 0, pos: node.pos, inKernel: true });
    }
  }

  let modelled = 0;
  let unimplemented = 0;
  const unmodelled: Array<{ node: DtNode; regs: Array<{ address: number; size: number }> }> = [];
  for (const node of nodes) {
    if (controllers.has(node)) continue;
    const compatible = stringListProperty(node, 'compatible') ?? [];
    const match = registry.match(node);
    if (node.property('interrupt-controller') !== undefined) {
      fail(
        `${node.path}: a VM's interrupt controller is the hypervisor's in-kernel irqchip; ${compatible.map((c) => `'${c}'`).join(', ')} ` +
          `is not it (this VM's irqchip is ${irqChip.compatible.join(', ')})`,
        node.pos,
      );
      continue;
    }
    const regs = hasCpuAddress(node) ? collect(() => translateReg(node)) : [];
    if (regs === undefined) continue;
    if (match === undefined) {
      if (regs.length > 0) unmodelled.push({ node, regs });
      continue;
    }
    const ctx: DeviceContext = {
      ...base, node, name: node.name, regs, irqs: linesFor(node),
      // A device that raises lines of a controller it names itself (a GICv2m frame pulses SPIs of its GIC).
      interruptLine: (controller, specifier) => {
        const ctl = controllers.get(controller);
        if (ctl === undefined) return `${controller.path} is not the VM's irqchip (${irqChip.compatible.join(', ')})`;
        const target = ctl.resolveInterrupt(specifier);
        return typeof target === 'string' ? target : new IrqLine(target.sink, target.input, `${node.name} -> ${controller.name}:${target.input}`);
      },
    };
    const instance = collect(() => match.model.factory(ctx));
    if (instance === undefined) continue;
    modelled++;
    models.set(node, instance);
    for (const m of instance.mappings) {
      const romd = isRomdDevice(m.device) && (m.deviceOffset ?? 0) === 0 && m.size === m.device.size ? m.device : undefined;
      windows.push({ name: m.device.name, address: m.address, size: m.size, device: m.device, deviceOffset: m.deviceOffset ?? 0, pos: node.pos, inKernel: false, romd });
    }
    for (const mem of instance.memory ?? []) {
      warn(`${node.path}: memory the model backs itself (${hex(mem.address)}) is reached through its registers in a VM`, node.pos);
    }
  }
  for (const { node, regs } of unmodelled) {
    const instance = createUnimplementedDevice({ ...base, node, name: node.name, regs, irqs: [] });
    const where = regs.map((r) => `${hex(r.address)}+${hex(r.size)}`).join(', ');
    warn(`${node.path}: no device model for ${(stringListProperty(node, 'compatible') ?? []).map((c) => `'${c}'`).join(', ')}; its registers (${where}) read as zero and log each access`, node.pos);
    for (const m of instance.mappings) {
      windows.push({ name: m.device.name, address: m.address, size: m.size, device: m.device, deviceOffset: 0, pos: node.pos, inKernel: false });
    }
    unimplemented++;
  }
  if (errors.length > 0) throw new InputError([...errors, ...warnings]);
  return { memory, windows, models, warnings, modelled, unimplemented };
}
