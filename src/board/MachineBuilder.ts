import { basename } from 'node:path';
import type { BoardSpec, FirmwareSpec, KernelSpec } from '../../dts/board/BoardSpec.ts';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import type { DtNode } from '../../dts/model/DeviceTree.ts';
import { InputError, type Diagnostic, type SourcePos } from '../../dts/model/SourcePos.ts';
import { hasCpuAddress, translateReg } from '../../dts/model/AddressTranslation.ts';
import { resolveInterrupts } from '../../dts/model/InterruptResolution.ts';
import { PhandleIndex } from '../../dts/model/Phandles.ts';
import type { CoreContext, CoreModelInfo } from '../../cores/CoreModel.ts';
import { compatibleOf } from '../../cores/CoreRegistry.ts';
import { createCoreRegistry } from '../../cores/models.ts';
import type { DeviceContext, DeviceInstance, InterruptController } from '../../peripherals/DeviceModel.ts';
import { createUnimplementedDevice } from '../../peripherals/UnimplementedDevice.ts';
import { createDeviceRegistry } from '../../peripherals/models.ts';
import { loadFirmware, type LoadedFirmware } from '../loader/FirmwareLoader.ts';
import type { Cpu, Isa } from '../machine/Cpu.ts';
import { IrqLine } from '../machine/IrqLine.ts';
import { Machine } from '../machine/Machine.ts';
import { isSerialDevice, type SerialDevice } from '../machine/SerialPort.ts';
import { isaOfCompatible } from './IsaOfCpuNode.ts';
import { buildVms, type BuiltVms } from './VmBuilder.ts';
import { prepareKernelBoot, type KernelBoot } from '../loader/KernelBoot.ts';

export interface BuildOptions {
  /** Firmware file replacing the board's `<firmware>` or `<kernel>` (CLI --firmware). */
  readonly firmwarePath?: string;
  /** A kernel booted directly, replacing the board's `<firmware>` or `<kernel>` (CLI --kernel/--initrd/--append). */
  readonly kernel?: KernelSpec;
  /** Build and check only: no firmware is loaded (its file must still exist). */
  readonly dryRun?: boolean;
  /** Where device logs go (unimplemented accesses, guest mistakes). Default: dropped. */
  readonly log?: (line: string) => void;
  /** Let cores compile hot code (CoreContext.jit); undefined leaves it to the core model. */
  readonly jit?: boolean;
}

export interface BuiltMachine {
  readonly machine: Machine;
  readonly board: BoardSpec;
  readonly cpus: readonly Cpu[];
  /** The core model, or undefined when no model matches the board's cpu nodes. */
  readonly coreModel?: CoreModelInfo;
  /** Why no core runs (no cpu node, or no model for its compatible), when coreModel is undefined. */
  readonly noCore?: string;
  readonly isa?: Isa;
  readonly firmware?: LoadedFirmware;
  /** Where kernel, initrd and DTB went when a kernel is booted directly. */
  readonly kernelBoot?: KernelBoot;
  readonly dtbAddress?: number;
  readonly consoleDevice?: SerialDevice;
  /** The board's `<vm>` guests, running beside the host on its scheduler; undefined without `<vm>`. */
  readonly vms?: BuiltVms;
  /** The interrupt lines wired from the tree (devices and per-core timer outputs to their controllers). */
  readonly irqLines?: readonly IrqLine[];
  readonly warnings: readonly Diagnostic[];
  /** One line: cores, memory and devices, for `check`. */
  readonly summary: string;
}

const hex = (n: number) => `0x${n.toString(16)}`;

function isDisabled(node: DtNode): boolean {
  const s = node.property('status')?.value[0];
  return s?.kind === 'string' && s.value !== 'okay' && s.value !== 'ok';
}

function isCpuNode(node: DtNode): boolean {
  const t = node.property('device_type')?.value[0];
  return t?.kind === 'string' && t.value === 'cpu' && node.parent?.name === 'cpus';
}

function isMemoryNode(node: DtNode): boolean {
  const t = node.property('device_type')?.value[0];
  return t?.kind === 'string' && t.value === 'memory';
}

/**
 * Build a Machine from a checked board: RAM from memory nodes, a device
 * model for every node whose compatible has one (an "unimplemented" logging
 * region for nodes with reg but no model), interrupt lines from the tree,
 * cores from /cpus, the DTB and firmware loaded at every reset.
 * Problems are InputErrors naming the node's place in the board file.
 */
export function buildMachine(board: BoardSpec, options: BuildOptions = {}): BuiltMachine {
  const tree = board.tree;
  const warnings: Diagnostic[] = [];
  const errors: Diagnostic[] = [];
  const warn = (message: string, pos?: SourcePos) => warnings.push({ severity: 'warning', message, pos });
  const fail = (message: string, pos?: SourcePos) => errors.push({ severity: 'error', message, pos });
  const log = options.log ?? (() => {});
  const phandles = PhandleIndex.build(tree);

  // --- cores: which model, which ISA, which byte order --------------------------------------
  const cpuNodes = [...tree.root.walk()].filter((n) => isCpuNode(n) && !isDisabled(n));
  const coreRegistry = createCoreRegistry();
  let coreModel: CoreModelInfo | undefined;
  let noCore: string | undefined;
  let isa: Isa | undefined;
  if (cpuNodes.length === 0) {
    noCore = 'the board has no cpu node (device_type = "cpu" under /cpus)';
  } else {
    const compat = compatibleOf(cpuNodes[0]!);
    coreModel = coreRegistry.lookup(compat);
    isa = coreModel?.isa ?? isaOfCompatible(compat);
    if (!coreModel) {
      const where = cpuNodes[0]!.pos ? ` (${cpuNodes[0]!.path})` : '';
      const known = coreRegistry.models().flatMap((m) => m.compatible);
      noCore =
        `no core model matches ${compat.length ? compat.map((c) => `'${c}'`).join(', ') : 'a cpu node without compatible'}${where}; ` +
        (known.length ? `core models exist for ${known.join(', ')}` : 'tskvm has no core models yet');
    }
    for (const n of cpuNodes.slice(1)) {
      const m = coreRegistry.lookup(compatibleOf(n));
      if (m !== coreModel) fail(`${n.path}: every core of a board must use the same model as ${cpuNodes[0]!.path}`, n.pos);
    }
  }
  const machine = new Machine({ littleEndian: !(coreModel?.bigEndian ?? false) });
  const bus = machine.bus;

  const mapOrFail = (what: () => void, pos?: SourcePos) => {
    try {
      what();
    } catch (e) {
      fail((e as Error).message, pos);
    }
  };

  // --- memory ---------------------------------------------------------------------------------
  let ramBytes = 0;
  const ramRanges: { address: number; size: number }[] = [];
  for (const node of tree.root.walk()) {
    if (!isMemoryNode(node) || isDisabled(node)) continue;
    translateReg(node).forEach((r, i) => {
      const name = translateReg(node).length === 1 ? node.name : `${node.name}[${i}]`;
      mapOrFail(() => bus.addRam(name, r.address, r.size), node.pos);
      ramBytes += r.size;
      ramRanges.push({ address: r.address, size: r.size });
    });
  }

  // --- devices: interrupt controllers first, so lines can be wired to them ---------------------
  const deviceRegistry = createDeviceRegistry();
  const controllers = new Map<DtNode, InterruptController>();
  const instances = new Map<DtNode, DeviceInstance>();
  const ctxBase = { tree, clock: machine.clock, bigEndian: !bus.littleEndian, stop: machine, pc: machine, bus };

  // Every connected line, for an interrupt trace (IrqLine.interpose).
  const irqLines: IrqLine[] = [];
  const connect = (line: IrqLine): IrqLine => {
    irqLines.push(line);
    return line;
  };
  const linesFor = (node: DtNode, cpu?: number): IrqLine[] => {
    const out: IrqLine[] = [];
    let resolved;
    try {
      resolved = resolveInterrupts(tree, node, phandles);
    } catch (e) {
      if (e instanceof InputError) errors.push(...e.diagnostics);
      else throw e;
      return out;
    }
    resolved.forEach((r, i) => {
      const ctl = controllers.get(r.controller);
      // A controller's own interrupt to itself (a GIC's maintenance interrupt) is wired by its model.
      if (!ctl && r.controller === node) {
        out.push(IrqLine.unconnected(`${node.name}#${i}`));
        return;
      }
      if (!ctl) {
        warn(`${node.path}: interrupt ${i} goes to ${r.controller.path}, which has no model; the line is not connected`, node.pos);
        out.push(IrqLine.unconnected(`${node.name}#${i}`));
        return;
      }
      const target =
        cpu !== undefined && ctl.resolveInterruptForCpu
          ? ctl.resolveInterruptForCpu(r.specifier, cpu)
          : ctl.resolveInterrupt(r.specifier);
      if (typeof target === 'string') {
        fail(`${node.path}: interrupt <${r.specifier.join(' ')}> for ${r.controller.path}: ${target}`, node.pos);
        out.push(IrqLine.unconnected(`${node.name}#${i}`));
      } else {
        out.push(connect(new IrqLine(target.sink, target.input, `${node.name} -> ${r.controller.name}:${target.input}`)));
      }
    });
    return out;
  };

  const deviceNodes = [...tree.root.walk()].filter(
    (n) => n !== tree.root && !isDisabled(n) && !isCpuNode(n) && !isMemoryNode(n) && compatibleOf(n).length > 0,
  );
  // Controllers before the devices that use them; a controller cascaded behind another comes after it.
  const depth = (n: DtNode): number => (n.property('interrupt-controller') ? 0 : 1);
  deviceNodes.sort((a, b) => depth(a) - depth(b));

  let modelled = 0;
  let unimplemented = 0;
  // Nodes without a model become logging regions, mapped after every modelled device so that a
  // sub-block described by its own node (an MSI frame inside an interrupt controller's window)
  // does not take the window from the model that owns it.
  const unmodelled: Array<{ node: DtNode; regs: { address: number; size: number }[] }> = [];
  for (const node of deviceNodes) {
    const match = deviceRegistry.match(node);
    if (!match) {
      // Only memory-mapped nodes matter here: children of I2C/SPI/PCI buses have no CPU address.
      if (!hasCpuAddress(node)) continue;
      try {
        unmodelled.push({ node, regs: translateReg(node) });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        warn(`${node.path}: no device model, and its reg cannot be translated to a CPU address: ${e.diagnostics[0]?.message ?? ''}`, node.pos);
      }
      continue;
    }
    let regs: { address: number; size: number }[] = [];
    try {
      regs = hasCpuAddress(node) ? translateReg(node) : [];
    } catch (e) {
      if (e instanceof InputError) errors.push(...e.diagnostics);
      else throw e;
      continue;
    }
    const ctx: DeviceContext = {
      ...ctxBase,
      node,
      name: node.name,
      regs,
      irqs: linesFor(node),
      log,
      interruptLine: (controller, specifier) => {
        const ctl = controllers.get(controller);
        if (!ctl) return `${controller.path} is not an interrupt controller with a model`;
        const target = ctl.resolveInterrupt(specifier);
        return typeof target === 'string' ? target : connect(new IrqLine(target.sink, target.input, `${node.name} -> ${controller.name}:${target.input}`));
      },
    };
    let instance: DeviceInstance;
    try {
      instance = match.model.factory(ctx);
    } catch (e) {
      if (e instanceof InputError) {
        errors.push(...e.diagnostics);
        continue;
      }
      throw e;
    }
    modelled++;
    instances.set(node, instance);
    if (instance.interruptController) controllers.set(node, instance.interruptController);
    for (const m of instance.mappings) {
      mapOrFail(() => bus.mapMmio(m.device.name, m.address, m.size, m.device, { deviceOffset: m.deviceOffset ?? 0 }), node.pos);
    }
    for (const mem of instance.memory ?? []) {
      mapOrFail(() => bus.mapMemory(`${node.name}@${hex(mem.address)}`, mem.address, mem.bytes, mem.readOnly), node.pos);
    }
    const model = instance.model as { reset?: () => void } | null;
    if (model && typeof model.reset === 'function') machine.addDevice(node.path, model as { reset(): void });
  }
  for (const { node, regs } of unmodelled) {
    if (regs.length === 0) continue;
    const where = regs.map((r) => `${hex(r.address)}+${hex(r.size)}`).join(', ');
    const instance = createUnimplementedDevice({ ...ctxBase, node, name: node.name, regs, irqs: [], log });
    const taken = instance.mappings.find((m) => bus.regionAt(m.address) !== null || bus.regionAt(m.address + m.size - 1) !== null);
    if (taken) {
      warn(`${node.path}: no device model for ${compatibleOf(node).map((c) => `'${c}'`).join(', ')}; its registers (${where}) lie inside another device's window and are left to it`, node.pos);
      continue;
    }
    warn(
      `${node.path}: no device model for ${compatibleOf(node).map((c) => `'${c}'`).join(', ')}; ` +
        `its registers (${where}) read as zero and log each access`,
      node.pos,
    );
    for (const m of instance.mappings) mapOrFail(() => bus.mapMmio(m.device.name, m.address, m.size, m.device), node.pos);
    unimplemented++;
  }

  // --- console --------------------------------------------------------------------------------
  let consoleDevice: SerialDevice | undefined;
  if (board.console) {
    const node = tree.nodeAt(board.console.nodePath);
    const model = node ? instances.get(node)?.model : undefined;
    if (!node) fail(`console: no node at ${board.console.nodePath}`, board.console.pos);
    else if (!isSerialDevice(model)) {
      fail(`console: ${node.path} is not a UART tskvm models (compatible ${compatibleOf(node).join(', ') || 'none'})`, board.console.pos);
    } else {
      consoleDevice = model;
      machine.console.attach(model);
    }
  }

  // --- cores ----------------------------------------------------------------------------------
  const cpus: Cpu[] = [];
  if (coreModel) {
    for (const [index, node] of cpuNodes.entries()) {
      const freq = node.property('clock-frequency');
      const seg = freq?.value[0];
      const frequencyHz = seg?.kind === 'cells' && seg.cells.length >= 1 ? Number(seg.cells[seg.cells.length - 1]) : 1e9;
      const ctx: CoreContext = {
        index,
        node,
        tree,
        bus,
        clock: machine.clock,
        stop: machine,
        stopRequested: () => machine.stopFlag[0] !== 0,
        stopFlag: machine.stopFlag,
        frequencyHz,
        interruptLinesFor: (n) => linesFor(n, index),
        allCpus: () => cpus,
        jit: options.jit,
      };
      try {
        const cpu = coreModel.create(ctx);
        cpus.push(cpu);
        machine.addCpu(cpu, { frequencyHz });
      } catch (e) {
        if (e instanceof InputError) errors.push(...e.diagnostics);
        else throw e;
      }
    }
    for (const ctl of controllers.values()) ctl.connectCpus?.(cpus);
  }

  // --- firmware and DTB, or a kernel booted directly -------------------------------------------
  // --firmware and --kernel each replace whatever the board boots.
  const kernelSpec: KernelSpec | undefined = options.kernel ?? (options.firmwarePath ? undefined : board.kernel);
  const spec: FirmwareSpec | undefined = kernelSpec
    ? undefined
    : options.firmwarePath
      ? {
          ...(board.firmware ?? { registers: new Map<string, number>() }),
          path: options.firmwarePath,
          format: 'auto',
          pos: undefined,
        }
      : board.firmware;
  if (errors.length > 0) throw new InputError([...errors, ...warnings]);

  let firmware: LoadedFirmware | undefined;
  let kernelBoot: KernelBoot | undefined;
  let dtb: Uint8Array | undefined;
  let dtbAddress = spec?.dtbAddress;
  if (kernelSpec && coreModel) {
    kernelBoot = prepareKernelBoot({ kernel: kernelSpec, tree, bus, protocol: coreModel.linuxBoot, isa: coreModel.isa, bootCpu: cpus[0], ram: ramRanges });
    dtbAddress = kernelBoot.layout.dtb;
    if (!options.dryRun) {
      const boot = kernelBoot;
      boot.load();
      boot.preset();
      machine.onReset(() => {
        boot.load();
        boot.preset();
      });
    }
  }
  if (dtbAddress !== undefined && spec) dtb = writeDtb(tree, { totalSize: spec.dtbSize });
  if (!options.dryRun && spec && isa) {
    const fw = spec;
    const load = () => {
      if (dtb !== undefined) {
        try {
          bus.loadBytes(dtbAddress!, dtb);
        } catch {
          throw new InputError([{ severity: 'error', message: `dtb-address ${hex(dtbAddress!)} is not in RAM or ROM`, pos: fw.pos }]);
        }
      }
      firmware = loadFirmware(bus, fw, isa!);
    };
    load();
    const boot = cpus[0];
    const presetRegisters = () => {
      if (!boot || !firmware) return;
      boot.setPc(firmware.entry);
      if (fw.dtbRegister && dtbAddress !== undefined) boot.setRegister(fw.dtbRegister, dtbAddress);
      for (const [name, value] of fw.registers) boot.setRegister(name, value);
    };
    presetRegisters();
    // A board reset (PSCI SYSTEM_RESET, reset controller) reloads RAM and the boot registers, as QEMU's loader does.
    machine.onReset(() => {
      load();
      presetRegisters();
    });
  } else if (!spec && !options.dryRun) {
    noCore ??= undefined;
  }

  // --- guests ---------------------------------------------------------------------------------
  const vms = buildVms(board, machine, isa, { log, dryRun: options.dryRun });
  if (vms) warnings.push(...vms.vmms.flatMap((v) => v.warnings));

  const summary = [
    `${cpuNodes.length} cpu${cpuNodes.length === 1 ? '' : 's'}${coreModel ? '' : ' (no core model)'}`,
    `${Math.round(ramBytes / 1048576)} MiB RAM`,
    `${modelled} device${modelled === 1 ? '' : 's'}`,
    `${unimplemented} unimplemented`,
    kernelSpec ? `kernel ${basename(kernelSpec.path)}` : spec ? `firmware ${basename(spec.path)}` : 'no firmware',
    ...(vms ? [`${vms.vmms.length} VM${vms.vmms.length === 1 ? '' : 's'} (${vms.vmms.map((v) => `${v.spec.name}: ${v.spec.paging}`).join(', ')})`] : []),
  ].join(', ');

  return { machine, board, cpus, coreModel, noCore, isa, firmware, ...(kernelBoot ? { kernelBoot } : {}), dtbAddress, consoleDevice, ...(vms ? { vms } : {}), irqLines, warnings, summary };
}
