import type { VmSpec } from '../../dts/board/BoardSpec.ts';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import { InputError, type Diagnostic } from '../../dts/model/SourcePos.ts';
import type { DeviceRegistry } from '../../peripherals/DeviceRegistry.ts';
import { createDeviceRegistry } from '../../peripherals/models.ts';
import { loadFirmware, type LoadedFirmware } from '../loader/FirmwareLoader.ts';
import { Bus } from '../machine/Bus.ts';
import type { Clock } from '../machine/Clock.ts';
import type { PcProvider } from '../machine/MmioDevice.ts';
import { isSerialDevice, type SerialBackend, type SerialDevice } from '../machine/SerialPort.ts';
import type { StopRequest, StopRequester } from '../machine/StopRequest.ts';
import { ExitKind, SystemEventType } from './ExitKind.ts';
import type { GuestCpuFactory } from './GuestCpu.ts';
import type { Hypervisor } from './Hypervisor.ts';
import type { VmIrqChip } from './irq/VmIrqChip.ts';
import type { GuestPageTableWalker } from './shadow/GuestPageTableWalker.ts';
import type { InKernelHypercalls, Vcpu } from './Vcpu.ts';
import type { Vm, VmSnapshot } from './Vm.ts';
import { isSnapshottable } from '../snapshot/Snapshottable.ts';
import { buildVmDevices, type VmDevices } from './vmm/VmDeviceBuilder.ts';
import type { LinuxBootProtocol } from '../../cores/CoreModel.ts';
import { prepareKernelBoot } from '../loader/KernelBoot.ts';
import { VmDmaBus } from './vmm/VmDmaBus.ts';
import { VmRomdSlot } from './vmm/VmRomd.ts';

/** A VMM in a snapshot. */
export interface VmmSnapshot {
  readonly exitCode: number;
  readonly faultMessage: string | null;
  readonly resetCount: number;
  readonly pendingFault: string | null;
  readonly devices: ReadonlyArray<{ readonly node: string; readonly state: unknown }>;
  readonly vm: VmSnapshot;
}

/** What the VMM did with an exit: what the caller (VmManager, a test) should do next. */
export const VmmAction = {
  /** Run the vCPU again. */
  Continue: 0,
  /** The vCPU waits for an interrupt (run it again once vcpu.runnable). */
  Halt: 1,
  /** The guest powered its VM off; exitCode says with what. */
  PowerOff: 2,
  /** The guest cannot go on; faultMessage says why. */
  Fault: 3,
} as const;

export type VmmAction = (typeof VmmAction)[keyof typeof VmmAction];

export interface VmmOptions {
  readonly hypervisor: Hypervisor;
  /** The `<vm>` of the board file: name, vCPUs, memory, paging, firmware, console and its own tree. */
  readonly spec: VmSpec;
  /** The machine's virtual clock (guest devices schedule their events on it). */
  readonly clock: Clock;
  readonly createGuestCpu: GuestCpuFactory;
  readonly littleEndian?: boolean;
  readonly pageTableWalker?: GuestPageTableWalker;
  readonly shadowPageLimit?: number;
  readonly irqChip?: VmIrqChip;
  readonly hypercalls?: InKernelHypercalls;
  readonly stopFlag?: Int32Array;
  /**
   * 'exit' (default): device registers are reached through MMIO exits, as QEMU
   * over KVM. 'direct': the models are mapped on the VM's bus as in-kernel
   * devices (no exit per access: faster, and it works with cores that do not
   * implement the MMIO-exit protocol).
   */
  readonly dispatch?: 'exit' | 'direct';
  /** Device models by compatible (default: every model tskvm has). */
  readonly registry?: DeviceRegistry;
  /** Device logs (unimplemented registers, guest mistakes). */
  readonly log?: (line: string) => void;
  /** The ISA's way to boot a `<kernel>` directly (absent: a VM with `<kernel>` is an error). */
  readonly linuxBoot?: LinuxBootProtocol;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * The VMM of one VM (QEMU's role over KVM): builds the guest's devices from its
 * own device tree with the same peripheral models boards use, gives it memory
 * slots, loads its firmware and DTB, and answers vCPU exits — MMIO exits reach
 * the device models, guest IRQ lines go into the VM's in-kernel irqchip.
 */
export class Vmm implements StopRequester, PcProvider {
  readonly vm: Vm;
  readonly spec: VmSpec;
  /** Userspace device windows (what MMIO exits are dispatched to). */
  readonly deviceBus: Bus;
  readonly devices: VmDevices;
  readonly consoleDevice: SerialDevice | null = null;
  readonly warnings: readonly Diagnostic[];
  firmware: LoadedFirmware | undefined;
  /** Exit code of the last power-off (0 for a PSCI SYSTEM_OFF). */
  exitCode = 0;
  /** Why the guest cannot go on, after handleExit returned Fault. */
  faultMessage: string | null = null;
  /** Resets carried out (guest system-reset events). */
  resetCount = 0;

  private readonly resetListeners: Array<() => void> = [];
  /** Flash banks as read-only slots while in array mode (firmware executes in place). */
  private readonly romdSlots: VmRomdSlot[] = [];
  private pendingFault: string | null = null;
  private handling: Vcpu | null = null;

  constructor(options: VmmOptions) {
    const spec = options.spec;
    this.spec = spec;
    const hv = options.hypervisor;
    const littleEndian = options.littleEndian ?? true;
    this.vm = hv.createVm({
      name: spec.name,
      littleEndian,
      paging: spec.paging,
      createGuestCpu: options.createGuestCpu,
      pageTableWalker: options.pageTableWalker,
      shadowPageLimit: options.shadowPageLimit,
      irqChip: options.irqChip,
      hypercalls: options.hypercalls,
      stopFlag: options.stopFlag,
    });
    try {
      this.deviceBus = new Bus({ littleEndian });
      const log = options.log ?? (() => {});
      this.devices = buildVmDevices({
        tree: spec.tree,
        registry: options.registry ?? createDeviceRegistry(),
        irqChip: this.vm.irqChip,
        clock: options.clock,
        bigEndian: !littleEndian,
        stop: this,
        pc: this,
        dmaBus: new VmDmaBus(this.vm.bus),
        log: (line) => log(`${spec.name}: ${line}`),
      });
      this.warnings = this.devices.warnings;
      this.placeMemory();
      this.placeDevices(options.dispatch ?? 'exit');
      for (let i = 0; i < spec.vcpus; i++) {
        const vcpu = this.vm.createVcpu(i);
        // Secondary vCPUs start powered off until the guest starts them (PSCI CPU_ON), as KVM's ARM VMs do.
        if (i > 0 && this.bootsSomething) vcpu.poweredOff = true;
      }
      this.consoleDevice = this.findConsole();
      if (spec.kernel !== undefined) this.bootKernel(options.linuxBoot);
      else if (spec.firmware !== undefined) this.bootFirmware();
    } catch (e) {
      hv.destroyVm(this.vm);
      throw e;
    }
  }

  private placeMemory(): void {
    const spec = this.spec;
    const ranges = this.devices.memory;
    const at = spec.pos;
    if (ranges.length === 0) {
      throw InputError.at(at, `VM "${spec.name}": its tree has no memory node (device_type = "memory") to place its ${spec.memory} bytes`);
    }
    const total = ranges.reduce((n, r) => n + r.size, 0);
    if (total !== spec.memory) {
      throw InputError.at(ranges[0].pos ?? at, `VM "${spec.name}": its memory nodes add up to ${total} bytes but the <vm> asks for ${spec.memory}`);
    }
    ranges.forEach((r, slot) => {
      try {
        this.vm.setUserMemoryRegion({ slot, guestPhysAddr: r.base, size: r.size, name: r.name });
      } catch (e) {
        throw InputError.at(r.pos, `VM "${spec.name}": ${(e as Error).message}`);
      }
    });
  }

  private placeDevices(dispatch: 'exit' | 'direct'): void {
    const errors: Diagnostic[] = [];
    for (const w of this.devices.windows) {
      try {
        if (w.inKernel || dispatch === 'direct') {
          this.vm.registerMmio(w.name, w.address, w.size, w.device, { deviceOffset: w.deviceOffset });
        } else {
          const slot = this.vm.bus.memory.slots().find((s) => w.address < s.end && s.base < w.address + w.size);
          if (slot !== undefined) throw new Error(`device "${w.name}" at ${hex(w.address)} overlaps memory ${slot.describe()}`);
          this.deviceBus.mapMmio(w.name, w.address, w.size, w.device, { deviceOffset: w.deviceOffset });
        }
      } catch (e) {
        errors.push({ severity: 'error', message: `VM "${this.spec.name}": ${(e as Error).message}`, pos: w.pos });
      }
    }
    if (errors.length > 0) throw new InputError(errors);
    if (dispatch === 'exit') {
      for (const w of this.devices.windows) {
        if (w.romd === undefined) continue;
        try {
          this.romdSlots.push(new VmRomdSlot(this.vm, this.devices.memory.length + this.romdSlots.length, w.address, w.romd, w.name));
        } catch (e) {
          errors.push({ severity: 'error', message: `VM "${this.spec.name}": ${(e as Error).message}`, pos: w.pos });
        }
      }
      if (errors.length > 0) throw new InputError(errors);
    }
  }

  private findConsole(): SerialDevice | null {
    const c = this.spec.console;
    if (c === undefined) return null;
    const node = this.spec.tree.nodeAt(c.nodePath);
    const model = node === undefined ? undefined : this.devices.models.get(node)?.model;
    if (!isSerialDevice(model)) throw InputError.at(c.pos, `VM "${this.spec.name}": console ${c.nodePath} is not a UART tskvm models`);
    return model;
  }

  /** The VM boots firmware or a kernel (else a test or the VMM's user sets the vCPUs up). */
  private get bootsSomething(): boolean {
    return this.spec.firmware !== undefined || this.spec.kernel !== undefined;
  }

  /** `<kernel>` in the VM: placed in guest RAM as a boot loader would (src/board/KernelBoot.ts), again at every VM reset. */
  private bootKernel(protocol: LinuxBootProtocol | undefined): void {
    const spec = this.spec;
    const boot = this.vm.vcpus[0];
    try {
      const kernel = prepareKernelBoot({
        kernel: spec.kernel!,
        tree: spec.tree,
        bus: this.vm.bus,
        protocol,
        isa: boot?.guest.isa ?? 'this',
        bootCpu: boot,
        ram: this.devices.memory.map((r) => ({ address: r.base, size: r.size })),
      });
      const load = () => {
        kernel.load();
        kernel.preset();
      };
      load();
      this.onReset(load);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(e.diagnostics.map((d) => ({ ...d, message: `VM "${spec.name}": ${d.message}` })));
      throw e;
    }
  }

  private bootFirmware(): void {
    const fw = this.spec.firmware!;
    const boot = this.vm.vcpus[0];
    if (boot === undefined) return;
    const dtb = fw.dtbAddress !== undefined ? writeDtb(this.spec.tree, { totalSize: fw.dtbSize }) : undefined;
    const load = () => {
      if (dtb !== undefined) {
        try {
          this.vm.bus.loadBytes(fw.dtbAddress!, dtb);
        } catch {
          throw InputError.at(fw.pos, `VM "${this.spec.name}": dtb-address ${hex(fw.dtbAddress!)} is not in the VM's memory`);
        }
      }
      this.firmware = loadFirmware(this.vm.bus, fw, boot.guest.isa);
      for (const r of this.romdSlots) r.syncToDevice();
      boot.setPc(this.firmware.entry);
      if (fw.dtbRegister !== undefined && fw.dtbAddress !== undefined) boot.setRegister(fw.dtbRegister, fw.dtbAddress);
      for (const [name, value] of fw.registers) boot.setRegister(name, value);
    };
    load();
    this.onReset(load);
  }

  /** Connect the VM's console UART to `backend` (the terminal, a test's buffer). */
  attachConsole(backend: SerialBackend): void {
    if (this.consoleDevice === null) throw new Error(`VM "${this.spec.name}" has no <console>`);
    this.consoleDevice.attachBackend(backend);
  }

  /** Called after every VM reset (devices and vCPUs reset): firmware reload, boot registers. */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  /** A system reset of the VM: devices, irqchip and vCPUs to their reset state; memory keeps its contents. */
  reset(): void {
    this.vm.clearSystemEvent();
    this.pendingFault = null;
    this.faultMessage = null;
    for (const instance of this.devices.models.values()) {
      const model = instance.model as { reset?: () => void } | null;
      if (model !== null && typeof model.reset === 'function') model.reset();
    }
    this.vm.irqChip.reset();
    for (const vcpu of this.vm.vcpus) {
      vcpu.reset();
      if (vcpu.id > 0 && this.bootsSomething) vcpu.poweredOff = true;
    }
    for (const l of this.resetListeners) l();
    this.resetCount++;
  }

  // ---- snapshots ------------------------------------------------------------------------------------------

  /** The VMM's state, its devices' (in tree order) and its VM's. */
  snapshot(): VmmSnapshot {
    const devices: Array<{ node: string; state: unknown }> = [];
    for (const [node, instance] of this.devices.models) {
      const model = instance.model;
      if (isSnapshottable(model)) devices.push({ node: node.path, state: model.snapshot() });
      else if (model !== null && typeof (model as { reset?: unknown }).reset === 'function') {
        throw new Error(`VM "${this.spec.name}": device ${node.path} cannot be saved in a snapshot (its model has no snapshot())`);
      }
    }
    return {
      exitCode: this.exitCode, faultMessage: this.faultMessage, resetCount: this.resetCount, pendingFault: this.pendingFault,
      devices, vm: this.vm.snapshot(),
    };
  }

  /**
   * Put back a snapshot of the same `<vm>`: devices last to first (interrupt
   * controllers come first in tree order and must see their inputs' final
   * levels), then the VM: memory, irqchip, vCPUs.
   */
  restore(s: VmmSnapshot): void {
    const byPath = new Map([...this.devices.models].map(([node, instance]) => [node.path, instance.model]));
    for (const d of [...s.devices].reverse()) {
      const model = byPath.get(d.node);
      if (!isSnapshottable(model)) throw new Error(`VM "${this.spec.name}": the snapshot has device ${d.node}, which this VM does not have`);
      model.restore(d.state);
    }
    this.vm.restore(s.vm);
    this.exitCode = s.exitCode;
    this.faultMessage = s.faultMessage;
    this.resetCount = s.resetCount;
    this.pendingFault = s.pendingFault;
  }

  // ---- exits ------------------------------------------------------------------------------------------

  /** Answer `vcpu`'s last exit. */
  handleExit(vcpu: Vcpu): VmmAction {
    const exit = vcpu.exit;
    this.handling = vcpu;
    try {
      switch (exit.kind) {
        case ExitKind.Mmio:
          return this.mmio(vcpu);
        case ExitKind.Hlt:
          return this.pending() ?? VmmAction.Halt;
        case ExitKind.Intr:
        case ExitKind.None:
          return this.pending() ?? VmmAction.Continue;
        case ExitKind.Hypercall:
          // No VMM-level hypercalls yet: -1 is "not supported" in PSCI's and most ABIs' conventions.
          vcpu.completeHypercall(0xffffffff);
          return VmmAction.Continue;
        case ExitKind.SystemEvent:
          if (exit.systemEvent.type === SystemEventType.Reset) {
            this.reset();
            return VmmAction.Continue;
          }
          return this.pending() ?? VmmAction.PowerOff;
        case ExitKind.Io:
          return this.fault(vcpu, `port I/O to port ${hex(exit.io.port)} at pc ${hex(vcpu.getPc())}: the VM has no port I/O devices`);
        case ExitKind.Shutdown:
          return this.fault(vcpu, `the guest cannot go on (shutdown exit) at pc ${hex(vcpu.getPc())}`);
        case ExitKind.FailEntry:
          return this.fault(vcpu, `the core refused to enter the guest (reason ${exit.failEntry.hardwareEntryFailureReason}) at pc ${hex(vcpu.getPc())}`);
        case ExitKind.InternalError:
          return this.fault(
            vcpu,
            `internal error at pc ${hex(exit.internal.pc)}, instruction ${hex(exit.internal.instruction)}: ${exit.internal.reason}`,
          );
        default:
          return this.fault(vcpu, `unexpected exit kind ${exit.kind}`);
      }
    } finally {
      this.handling = null;
    }
  }

  private mmio(vcpu: Vcpu): VmmAction {
    const m = vcpu.exit.mmio;
    const bus = this.deviceBus;
    const region = bus.regionAt(m.address);
    if (region === null) {
      return this.fault(
        vcpu,
        `${m.isWrite ? 'write to' : 'read from'} ${hex(m.address)} (${m.size} byte${m.size === 1 ? '' : 's'}) at pc ${hex(vcpu.getPc())}: no memory and no device there`,
      );
    }
    if (m.isWrite) {
      if (m.size === 4) bus.write32(m.address, m.data);
      else if (m.size === 2) bus.write16(m.address, m.data);
      else bus.write8(m.address, m.data);
    } else {
      vcpu.completeMmioRead(m.size === 4 ? bus.read32(m.address) : m.size === 2 ? bus.read16(m.address) : bus.read8(m.address));
    }
    return this.pending() ?? VmmAction.Continue;
  }

  private fault(vcpu: Vcpu, message: string): VmmAction {
    this.faultMessage = `${vcpu.name}: ${message}`;
    return VmmAction.Fault;
  }

  /** A fault a device reported while the guest ran (StopRequest 'guest-error'). */
  private pending(): VmmAction | null {
    if (this.pendingFault === null) return null;
    this.faultMessage = this.pendingFault;
    this.pendingFault = null;
    return VmmAction.Fault;
  }

  // ---- what the VM's devices see as "the machine" -----------------------------------------------------------

  /** A guest device asks to power off or reset: only this VM is affected. */
  requestStop(request: StopRequest): void {
    switch (request.kind) {
      case 'poweroff':
        this.exitCode = request.exitCode;
        this.vm.requestSystemEvent(SystemEventType.Shutdown);
        break;
      case 'reset':
        this.vm.requestSystemEvent(SystemEventType.Reset);
        break;
      case 'guest-error':
        this.pendingFault ??= `${this.spec.name}: ${request.message}`;
        for (const v of this.vm.vcpus) v.kick();
        break;
      default:
        break;
    }
  }

  currentPc(): number | undefined {
    const v = this.handling ?? this.vm.runningVcpu;
    return v === null ? undefined : v.getPc();
  }

  currentCpu(): number {
    const v = this.handling ?? this.vm.runningVcpu;
    return v === null ? 0 : v.id;
  }
}
