import type { PagingMode } from '../../dts/board/BoardSpec.ts';
import type { MmioMapOptions } from '../machine/Bus.ts';
import type { MmioDevice } from '../machine/MmioDevice.ts';
import type { Region } from '../machine/PhysicalBus.ts';
import { EXIT_KIND_COUNT, EXIT_KIND_NAMES, type SystemEventType } from './ExitKind.ts';
import type { GuestCpuFactory } from './GuestCpu.ts';
import { GuestPhysicalBus } from './GuestPhysicalBus.ts';
import { LevelIrqChip } from './irq/LevelIrqChip.ts';
import type { VmIrqChip } from './irq/VmIrqChip.ts';
import type { HostPagePool } from './memory/HostPagePool.ts';
import { MemslotError } from './memory/GuestPhysicalMemory.ts';
import type { UserMemoryRegion } from './memory/Memslot.ts';
import { PagingCounters } from './PagingCounters.ts';
import { capturePlainFields, restorePlainFields, type PlainFieldState } from '../snapshot/PlainFields.ts';
import type { GuestPageTableWalker } from './shadow/GuestPageTableWalker.ts';
import { ShadowMmu, type ShadowMmuSnapshot } from './shadow/ShadowMmu.ts';
import { Vcpu, type InKernelHypercalls, type VcpuSnapshot } from './Vcpu.ts';
import type { GuestMemorySnapshot } from './memory/GuestPhysicalMemory.ts';

/** A VM in a snapshot. */
export type VmSnapshot =
  | { readonly destroyed: true }
  | {
      readonly destroyed: false;
      readonly systemEvent: number;
      readonly exitCounts: Float64Array;
      readonly inKernelExitCounts: Float64Array;
      readonly memory: GuestMemorySnapshot;
      readonly irqChip: unknown;
      readonly vcpus: readonly VcpuSnapshot[];
      readonly paging: PlainFieldState;
      readonly shadow?: ShadowMmuSnapshot;
    };

/** The argument of Hypervisor.createVm. */
export interface VmOptions {
  readonly name: string;
  /** Byte order of the guest's bus (default little-endian). */
  readonly littleEndian?: boolean;
  /** 'nested' (default: the core walks guest stage 1, memslots are stage 2) or 'shadow'. */
  readonly paging?: PagingMode;
  /** Makes the core of each vCPU (per ISA; tests use a fake core). */
  readonly createGuestCpu: GuestCpuFactory;
  /** The ISA's guest page-table walker; required for 'shadow' paging. */
  readonly pageTableWalker?: GuestPageTableWalker;
  /** Most shadow page tables (4 MiB leaves) kept before the least recently used address spaces are zapped. */
  readonly shadowPageLimit?: number;
  /** The in-kernel irqchip (default: a LevelIrqChip with 64 inputs). */
  readonly irqChip?: VmIrqChip;
  /** Hypercalls the kernel answers itself (PSCI on ARM). */
  readonly hypercalls?: InKernelHypercalls;
  /** The machine's stop cell, polled by the cores (default: a cell of the VM's own). */
  readonly stopFlag?: Int32Array;
}

/**
 * A virtual machine (KVM_CREATE_VM): guest-physical memory made of slots, an
 * in-kernel irqchip, in-kernel MMIO devices, its vCPUs, and counters.
 */
export class Vm {
  readonly name: string;
  readonly bus: GuestPhysicalBus;
  readonly paging: PagingMode;
  readonly irqChip: VmIrqChip;
  readonly shadow: ShadowMmu | null;
  readonly pagingCounters = new PagingCounters();
  readonly hypercalls: InKernelHypercalls | null;
  readonly stopFlag: Int32Array;
  /** Exits that reached the VMM, by ExitKind, summed over the vCPUs. */
  readonly exitCounts = new Float64Array(EXIT_KIND_COUNT);
  /** Exits the kernel handled without returning from run (in-kernel hypercalls), by ExitKind. */
  readonly inKernelExitCounts = new Float64Array(EXIT_KIND_COUNT);
  /** Pending SystemEventType (0 = none) raised by requestSystemEvent. */
  systemEvent = 0;
  destroyed = false;

  private readonly vcpuList: Vcpu[] = [];
  private readonly createGuestCpu: GuestCpuFactory;
  private running: Vcpu | null = null;

  constructor(options: VmOptions, pool: HostPagePool) {
    this.name = options.name;
    this.paging = options.paging ?? 'nested';
    this.createGuestCpu = options.createGuestCpu;
    this.bus = new GuestPhysicalBus(pool, options.littleEndian ?? true);
    this.irqChip = options.irqChip ?? new LevelIrqChip();
    this.hypercalls = options.hypercalls ?? null;
    this.stopFlag = options.stopFlag ?? new Int32Array(1);
    if (this.paging === 'shadow') {
      if (options.pageTableWalker === undefined) {
        throw new Error(`VM "${this.name}": paging 'shadow' needs the ISA's guest page-table walker (pageTableWalker)`);
      }
      this.shadow = new ShadowMmu(this.bus.memory, options.pageTableWalker, this.pagingCounters, { pageLimit: options.shadowPageLimit });
    } else {
      this.shadow = null;
    }
  }

  // ---- memory (KVM_SET_USER_MEMORY_REGION, KVM_GET_DIRTY_LOG) ---------------------------------------

  setUserMemoryRegion(region: UserMemoryRegion): void {
    this.checkAlive();
    if (region.size > 0) {
      for (const r of this.bus.inKernelRegions()) {
        if (region.guestPhysAddr < r.base + r.size && r.base < region.guestPhysAddr + region.size) {
          throw new MemslotError(`slot ${region.slot} overlaps the in-kernel device "${r.name}" at 0x${r.base.toString(16)}`);
        }
      }
    }
    this.bus.memory.setUserMemoryRegion(region);
  }

  getDirtyLog(slot: number): Uint8Array {
    this.checkAlive();
    return this.bus.memory.getDirtyLog(slot);
  }

  /** Bytes of host memory attached to this VM's pages (touched pages × 4 KiB). */
  get memoryTouched(): number {
    return this.bus.memory.touchedPages * 4096;
  }

  /** Map a device the kernel answers without exits (KVM's in-kernel device bus). */
  registerMmio(name: string, base: number, size: number, device: MmioDevice, options?: MmioMapOptions): Region {
    this.checkAlive();
    return this.bus.mapInKernelMmio(name, base, size, device, options);
  }

  // ---- vCPUs -------------------------------------------------------------------------------------------

  /** KVM_CREATE_VCPU: ids are unique per VM. */
  createVcpu(id: number): Vcpu {
    this.checkAlive();
    if (!Number.isInteger(id) || id < 0 || id > 255) throw new RangeError(`VM "${this.name}": vCPU id ${String(id)} is invalid (0 … 255)`);
    if (this.vcpuList.some((v) => v.id === id)) throw new Error(`VM "${this.name}" already has vCPU ${id}`);
    const vcpu = new Vcpu(this, id, this.createGuestCpu, this.stopFlag);
    this.vcpuList.push(vcpu);
    this.irqChip.connectVcpu(id, vcpu.guest, vcpu.guest.irqInput);
    return vcpu;
  }

  get vcpus(): readonly Vcpu[] {
    return this.vcpuList;
  }

  /** The vCPU inside run() right now, or null. */
  get runningVcpu(): Vcpu | null {
    return this.running;
  }

  /** @internal Vcpu.run: route unclaimed accesses to this vCPU's exits. */
  enterVcpu(vcpu: Vcpu): void {
    this.running = vcpu;
    this.bus.exitPort = vcpu;
  }

  /** @internal */
  leaveVcpu(_vcpu: Vcpu): void {
    this.running = null;
    this.bus.exitPort = null;
  }

  // ---- interrupts and system events ------------------------------------------------------------------------

  /** KVM_IRQ_LINE: drive an input of the in-kernel irqchip. */
  irqLine(input: number, level: boolean): void {
    this.irqChip.setIrqLevel(input, level);
  }

  /**
   * Ask for the VM to be powered off or reset (a guest device such as a
   * syscon-poweroff register does this): every vCPU returns from run with a
   * SYSTEM_EVENT exit until the VMM calls clearSystemEvent.
   */
  requestSystemEvent(type: SystemEventType): void {
    if (this.systemEvent !== 0) return;
    this.systemEvent = type;
    for (const v of this.vcpuList) v.kick();
  }

  clearSystemEvent(): void {
    this.systemEvent = 0;
  }

  /** Exits by reason name, zero counts left out. */
  exitsByReason(): Record<string, number> {
    const out: Record<string, number> = {};
    this.exitCounts.forEach((n, kind) => {
      if (n > 0) out[EXIT_KIND_NAMES[kind]] = n;
    });
    return out;
  }

  // ---- snapshots -----------------------------------------------------------------------------------------

  /** Memory, irqchip, vCPUs, shadow page tables and counters. */
  snapshot(): VmSnapshot {
    if (this.destroyed) return { destroyed: true };
    if (this.irqChip.snapshot === undefined) throw new Error(`VM "${this.name}": its irqchip cannot be saved in a snapshot`);
    return {
      destroyed: false,
      systemEvent: this.systemEvent,
      exitCounts: this.exitCounts.slice(),
      inKernelExitCounts: this.inKernelExitCounts.slice(),
      memory: this.bus.memory.snapshotPages(),
      irqChip: this.irqChip.snapshot() as never,
      vcpus: this.vcpuList.map((v) => v.snapshot()),
      ...(this.shadow !== null ? { shadow: this.shadow.snapshot() } : {}),
      paging: capturePlainFields(this.pagingCounters),
    };
  }

  /** Put back a snapshot of the same VM (after its devices were restored: their lines feed the irqchip). */
  restore(s: VmSnapshot): void {
    if (s.destroyed) {
      if (!this.destroyed) this.destroy();
      return;
    }
    if (this.destroyed) throw new Error(`VM "${this.name}" was destroyed; the snapshot has it running`);
    if (s.vcpus.length !== this.vcpuList.length) throw new Error(`VM "${this.name}": the snapshot has ${s.vcpus.length} vCPUs, the VM ${this.vcpuList.length}`);
    // Shadows were built from the memory being replaced: drop them (and their write protection) first; the snapshot's come back after the memory.
    this.shadow?.zapAll();
    this.bus.memory.restorePages(s.memory);
    if (this.shadow !== null && s.shadow !== undefined) this.shadow.restore(s.shadow);
    this.irqChip.restore!(s.irqChip);
    this.vcpuList.forEach((v, i) => v.restore(s.vcpus[i]));
    this.systemEvent = s.systemEvent;
    this.exitCounts.set(s.exitCounts);
    this.inKernelExitCounts.set(s.inKernelExitCounts);
    restorePlainFields(this.pagingCounters, s.paging, `VM "${this.name}" paging counters`);
  }

  /** Free the VM's host pages; it cannot run again. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.shadow?.zapAll();
    this.bus.memory.releaseAll();
  }

  private checkAlive(): void {
    if (this.destroyed) throw new Error(`VM "${this.name}" was destroyed`);
  }
}
