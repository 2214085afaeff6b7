import type { GuestCpu } from '../../../src/hv/GuestCpu.ts';
import type { IrqChipWindow, VmIrqChip } from '../../../src/hv/irq/VmIrqChip.ts';
import { IrqLine, type IrqSink } from '../../../src/machine/IrqLine.ts';
import type { AccessWidth, MmioDevice } from '../../../src/machine/MmioDevice.ts';
import type { InterruptController, PhysRange } from '../../../peripherals/DeviceModel.ts';
import { GicV2, type GicV2Snapshot } from '../../../peripherals/irqchip/GicV2.ts';
import {
  GicVirtualInterface, HCR_EN, HCR_UIE, LR_CPUID_SHIFT, LR_EOI, LR_GRP1, LR_PRIORITY_SHIFT, LR_STATE_SHIFT, LR_VIRTUAL_ID,
  LrState, VMCR_GRP0_EN, VMCR_GRP1_EN, type GicVirtualInterfaceSnapshot,
} from '../../../peripherals/irqchip/GicVirtualInterface.ts';

/** The guest tree's GIC nodes this vGIC stands for (the GICv2 bindings KVM's vGICv2 serves). */
export const VGIC_COMPATIBLE: readonly string[] = ['arm,cortex-a15-gic', 'arm,gic-400', 'arm,arm-gic'];

/** Generic timer PPIs (ARM ARM B8.1; the arm,armv7-timer binding's order: secure, non-secure, virtual, hyp). */
export const TIMER_PPI = { sec: 29, phys: 30, virt: 27, hyp: 26 } as const;

export interface ArmVgicOptions {
  readonly name: string;
  /** The VM's vCPUs (a GICv2 has 1 to 8 CPU interfaces). */
  readonly vcpus: number;
  /** Interrupt IDs, a multiple of 32 (default 288, QEMU's virt). */
  readonly numIrqs?: number;
  readonly log?: (message: string) => void;
}

export interface ArmVgicSnapshot {
  readonly distributor: GicV2Snapshot;
  readonly virtualInterface: GicVirtualInterfaceSnapshot;
  readonly activeOwner: number[];
  readonly sgiActiveSource: number[];
}

/**
 * The in-kernel vGIC of a tskvm VM (KVM's vgic-v2, virt/kvm/arm/vgic): a
 * GICv2 distributor emulated in the kernel, and for each vCPU the GIC
 * virtualization extensions' virtual CPU interface (IHI 0048B chapter 5),
 * which the guest finds at its GICC address. Both windows are in-kernel: no
 * guest access to them exits to the VMM.
 *
 * Interrupt state lives in the distributor (GicV2 used as a distributor
 * only). Around each guest entry the vCPU's list registers are a cache of
 * it, as in KVM: `flushToVcpu` loads the active interrupts and the
 * highest-priority pending ones (kvm_vgic_flush_hwstate), `syncFromVcpu`
 * folds what the guest did — acknowledges, EOIs — back and empties them
 * (kvm_vgic_sync_hwstate). While the vCPU runs, anything that changes the
 * distributor (a device line, the guest's own timer, a GICD write, an SGI)
 * refreshes its list registers at once, which is what the kick and re-entry
 * achieve under KVM; maintenance interrupts (EOI of a level-sensitive
 * interrupt, underflow when more were pending than list registers) are
 * handled in the kernel after the GICV access that raised them.
 *
 * Level-sensitive interrupts are loaded with LR.EOI set so that their line
 * is sampled again when the guest ends them; an edge's pending state and an
 * SGI's source move into the list register and back.
 */
export class ArmVgic implements VmIrqChip {
  readonly compatible = VGIC_COMPATIBLE;
  readonly name: string;
  readonly vcpus: number;
  /** Distributor state and its GICD window. */
  readonly distributor: GicV2;
  /** The per-vCPU virtual CPU interfaces with their list registers (GICV is the guest's GICC). */
  readonly virtualInterface: GicVirtualInterface;
  /** Refreshes of a vCPU's list registers while it ran (maintenance, distributor changes). */
  refreshes = 0;
  /** Maintenance interrupts handled in the kernel. */
  maintenanceInterrupts = 0;

  /** The vCPU whose list registers are loaded (between flushToVcpu and syncFromVcpu), or -1. */
  private loaded = -1;
  /** For an active SPI: the vCPU that acknowledged it (it stays there until deactivated), or -1. */
  private readonly activeOwner: Int8Array;
  /** For an active SGI per vCPU: the source CPU it was acknowledged with. */
  private readonly sgiActiveSource: Uint8Array;
  private readonly maintenancePending: Uint8Array;
  /**
   * hasPendingInterrupt of a vCPU that is not loaded, while nothing changed:
   * -1 unknown, 0 no, 1 yes (the scheduler asks for halted vCPUs often).
   */
  private readonly wakeCache: Int8Array;
  /** Candidates for the list registers, best first: keys (active first, then priority, then ID). */
  private readonly best: Int32Array;
  private readonly distributorWindow: MmioDevice;
  private readonly cpuInterfaceWindow: MmioDevice;

  constructor(options: ArmVgicOptions) {
    const vcpus = options.vcpus;
    if (!Number.isInteger(vcpus) || vcpus < 1 || vcpus > 8) {
      throw new RangeError(`${options.name}: a GICv2 serves 1 to 8 CPUs; this VM has ${vcpus} vCPUs`);
    }
    this.name = options.name;
    this.vcpus = vcpus;
    const currentCpu = () => (this.loaded >= 0 ? this.loaded : 0);
    this.distributor = new GicV2({
      name: options.name,
      numCpus: vcpus,
      numIrqs: options.numIrqs ?? 288,
      currentCpu,
      log: options.log,
      onUpdate: () => this.distributorChanged(),
    });
    this.virtualInterface = new GicVirtualInterface({ name: options.name, numCpus: vcpus, currentCpu, log: options.log });
    this.activeOwner = new Int8Array(this.distributor.numIrqs).fill(-1);
    this.sgiActiveSource = new Uint8Array(vcpus * 16);
    this.maintenancePending = new Uint8Array(vcpus);
    this.wakeCache = new Int8Array(vcpus).fill(-1);
    this.best = new Int32Array(this.virtualInterface.numListRegisters + 1);
    for (let c = 0; c < vcpus; c++) {
      const cpu = c;
      this.virtualInterface.connectMaintenance(cpu, { setIrqLevel: (_i, level) => { if (level) this.maintenancePending[cpu] = 1; } }, 25);
    }
    this.distributorWindow = new InKernelWindow(this.distributor.distributor, this, true);
    this.cpuInterfaceWindow = new InKernelWindow(this.virtualInterface.cpuInterface, this, false);
  }

  // ---- VmIrqChip -----------------------------------------------------------------------------------------

  get controller(): InterruptController {
    return this.distributor;
  }

  /** KVM_IRQ_LINE for an SPI (input = INTID 32…), or a PPI of vCPU 0 (16…31). */
  setIrqLevel(input: number, level: boolean): void {
    this.distributor.setIrqLevel(input, level);
  }

  connectVcpu(id: number, sink: IrqSink, input: number): void {
    if (id < 0 || id >= this.vcpus) throw new RangeError(`${this.name}: made for ${this.vcpus} vCPUs, no CPU interface for vCPU ${id}`);
    // An ARM core's virtual FIQ input follows its virtual IRQ input (2, 3).
    this.virtualInterface.connectCpu(id, sink, input, input + 1);
  }

  /**
   * GICD at the node's first reg entry, the virtual CPU interface at its
   * second (the guest's GICC; 8 KiB with GICC_DIR at 0x1000). Further
   * entries (a GICH/GICV pair for a guest hypervisor) are not offered:
   * guests do not run in Hyp mode.
   */
  windows(regs: readonly PhysRange[]): readonly IrqChipWindow[] {
    if (regs.length < 2) throw new Error(`a GIC node needs reg entries for its distributor and CPU interface, it has ${regs.length}`);
    return [
      { address: regs[0].address, size: regs[0].size, device: this.distributorWindow },
      { address: regs[1].address, size: regs[1].size, device: this.cpuInterfaceWindow },
    ];
  }

  flushToVcpu(id: number, _guest: GuestCpu): void {
    if (this.loaded >= 0 && this.loaded !== id) this.fold(this.loaded);
    this.loaded = id;
    this.fill(id);
  }

  syncFromVcpu(id: number, _guest: GuestCpu): void {
    if (this.loaded !== id) return;
    this.fold(id);
    this.loaded = -1;
  }

  /**
   * Whether vCPU `id` has an interrupt its virtual CPU interface would
   * signal: the best pending, enabled interrupt for it, in a group the guest
   * enabled, above its priority mask and its running priority.
   */
  hasPendingInterrupt(id: number): boolean {
    if (id === this.loaded) {
      const o = this.virtualInterface.outputs(id);
      return o.virq || o.vfiq;
    }
    if (id < 0 || id >= this.vcpus) return false;
    const cached = this.wakeCache[id];
    if (cached >= 0) return cached === 1;
    const wake = this.computeWake(id);
    this.wakeCache[id] = wake ? 1 : 0;
    return wake;
  }

  private computeWake(id: number): boolean {
    const g = this.distributor;
    let bestPrio = 0x100, bestGroup = 0;
    for (let intid = 0; intid < g.numIrqs; intid++) {
      if (intid >= 32 && this.routeOf(intid) !== id) continue;
      const s = g.slot(id, intid);
      if (g.active[s] !== 0 || !this.forwarded(id, intid, s)) continue;
      if (g.priority[s] < bestPrio) { bestPrio = g.priority[s]; bestGroup = g.group[s]; }
    }
    if (bestPrio === 0x100) return false;
    const vif = this.virtualInterface;
    const enable = bestGroup === 1 ? VMCR_GRP1_EN : VMCR_GRP0_EN;
    return (vif.vmcr[id] & enable) !== 0 && bestPrio < vif.priorityMask(id) &&
      vif.groupPriority(id, bestGroup === 1, bestPrio) < vif.runningPriority(id);
  }

  reset(): void {
    if (this.loaded >= 0) this.fold(this.loaded);
    this.loaded = -1;
    this.distributor.reset();
    this.virtualInterface.reset();
    this.activeOwner.fill(-1);
    this.sgiActiveSource.fill(0);
    this.maintenancePending.fill(0);
    this.wakeCache.fill(-1);
  }

  // ---- the guest's per-vCPU interrupt sources -----------------------------------------------------------

  /** A line into PPI `intid` (16…31) of vCPU `vcpu`. */
  ppiLine(vcpu: number, intid: number, name = `${this.name}:vcpu${vcpu}.${intid}`): IrqLine {
    const { sink, input } = this.distributor.ppiInput(vcpu, intid - 16);
    return new IrqLine(sink, input, name);
  }

  /** The vCPU's generic timer outputs as PPIs 29/30/27/26 (for `ArmGuestCpuOptions.timerIrqs`). */
  timerLines(vcpu: number): { phys: IrqLine; virt: IrqLine; hyp: IrqLine; sec: IrqLine } {
    return {
      phys: this.ppiLine(vcpu, TIMER_PPI.phys, `cntp -> ${this.name}:${TIMER_PPI.phys}`),
      virt: this.ppiLine(vcpu, TIMER_PPI.virt, `cntv -> ${this.name}:${TIMER_PPI.virt}`),
      hyp: this.ppiLine(vcpu, TIMER_PPI.hyp, `cnthp -> ${this.name}:${TIMER_PPI.hyp}`),
      sec: this.ppiLine(vcpu, TIMER_PPI.sec, `cntps -> ${this.name}:${TIMER_PPI.sec}`),
    };
  }

  // ---- list registers ------------------------------------------------------------------------------------

  /** The vCPU an SPI is delivered to: where it is active, else the lowest CPU of GICD_ITARGETSR (1-of-N as KVM). */
  private routeOf(intid: number): number {
    const owner = this.activeOwner[intid];
    if (owner >= 0) return owner;
    const t = this.distributor.target[intid];
    return t === 0 ? -1 : 31 - Math.clz32(t & -t);
  }

  /** Pending, enabled, and its group forwarded by GICD_CTLR. */
  private forwarded(cpu: number, intid: number, s: number): boolean {
    const g = this.distributor;
    return g.enabled[s] !== 0 && (g.dctlr & (1 << g.group[s])) !== 0 && g.isPending(cpu, intid);
  }

  /**
   * Load vCPU `cpu`'s list registers: active interrupts first (the guest must
   * be able to end them), then pending ones by priority. When more wait than
   * there are list registers, underflow maintenance (GICH_HCR.UIE) asks for a
   * refill once the guest has worked through them.
   */
  private fill(cpu: number): void {
    const g = this.distributor;
    const vif = this.virtualInterface;
    const n = vif.numListRegisters;
    const best = this.best;
    let found = 0;
    let candidates = 0;
    for (let intid = 0; intid < g.numIrqs; intid++) {
      if (intid >= 32 && this.routeOf(intid) !== cpu) continue;
      const s = g.slot(cpu, intid);
      const active = g.active[s] !== 0;
      if (!active && !this.forwarded(cpu, intid, s)) continue;
      candidates++;
      // Keep the n best keys in order (insertion into a short sorted array; no allocation).
      const key = ((active ? 0 : 1) << 20) | (g.priority[s] << 10) | intid;
      let k = Math.min(found, n);
      if (k === n && key >= best[n - 1]) continue;
      while (k > 0 && best[k - 1] > key) {
        if (k < n) best[k] = best[k - 1];
        k--;
      }
      best[k] = key;
      if (found < n) found++;
    }
    const base = cpu * n;
    for (let i = 0; i < n; i++) vif.lr[base + i] = i < found ? this.listRegisterFor(cpu, best[i] & 0x3ff) : 0;
    vif.hcr[cpu] = HCR_EN | (candidates > n ? HCR_UIE : 0);
    vif.updateIrq();
  }

  /** The list register value for `intid` on `cpu`; its pending state moves into it. */
  private listRegisterFor(cpu: number, intid: number): number {
    const g = this.distributor;
    const s = g.slot(cpu, intid);
    const active = g.active[s] !== 0;
    const pending = this.forwarded(cpu, intid, s);
    let lr = intid | ((g.priority[s] >> 3) << LR_PRIORITY_SHIFT) | (g.group[s] !== 0 ? LR_GRP1 : 0);
    let state = active ? LrState.Active : 0;
    if (intid < 16) {
      if (active) {
        lr |= this.sgiActiveSource[cpu * 16 + intid] << LR_CPUID_SHIFT;
      } else {
        // One source at a time: each source CPU's SGI is a separate interrupt (IHI 0048B 3.2.3).
        const k = cpu * 16 + intid;
        const sources = g.sgiSources[k];
        const src = 31 - Math.clz32(sources & -sources);
        g.sgiSources[k] = sources & ~(1 << src);
        lr |= src << LR_CPUID_SHIFT;
        state = LrState.Pending;
      }
    } else if (pending) {
      state |= LrState.Pending;
      if (g.edge[s] !== 0) g.latch[s] = 0;
    }
    // A level-sensitive interrupt: sample the line again when the guest deactivates it.
    if (intid >= 16 && g.edge[s] === 0) lr |= LR_EOI;
    return (lr | (state << LR_STATE_SHIFT)) >>> 0;
  }

  /** Fold vCPU `cpu`'s list registers back into the distributor and empty them. */
  private fold(cpu: number): void {
    const g = this.distributor;
    const vif = this.virtualInterface;
    const n = vif.numListRegisters;
    const base = cpu * n;
    let any = false;
    for (let i = 0; i < n; i++) {
      const lr = vif.lr[base + i];
      if (lr === 0) continue;
      any = true;
      vif.lr[base + i] = 0;
      const intid = lr & LR_VIRTUAL_ID;
      const state = (lr >>> LR_STATE_SHIFT) & 3;
      const s = g.slot(cpu, intid);
      const active = (state & LrState.Active) !== 0;
      g.active[s] = active ? 1 : 0;
      if (intid < 16) {
        const src = (lr >>> LR_CPUID_SHIFT) & 7;
        if ((state & LrState.Pending) !== 0) g.sgiSources[cpu * 16 + intid] |= 1 << src;
        if (active) this.sgiActiveSource[cpu * 16 + intid] = src;
        continue;
      }
      if (intid >= 32) {
        if (active) this.activeOwner[intid] = cpu;
        else if (this.activeOwner[intid] === cpu) this.activeOwner[intid] = -1;
      }
      if (g.edge[s] !== 0) {
        if ((state & LrState.Pending) !== 0) g.latch[s] = 1;
      } else if ((state & LrState.Pending) === 0) {
        // Acknowledged: a pending state set through GICD_ISPENDR is consumed; the line keeps its own.
        g.latch[s] = 0;
      }
    }
    vif.hcr[cpu] = 0;
    this.maintenancePending[cpu] = 0;
    this.wakeCache[cpu] = -1;
    if (any) vif.updateIrq();
  }

  // ---- in-kernel events ----------------------------------------------------------------------------------

  private refreshing = false;

  /** The loaded vCPU's list registers follow the distributor: fold them back and load them again. */
  private refresh(cpu: number): void {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      this.refreshes++;
      this.fold(cpu);
      this.fill(cpu);
    } finally {
      this.refreshing = false;
    }
  }

  private distributorChanged(): void {
    // (Also called while the distributor is being made, before this object's own fields exist.)
    if (this.wakeCache === undefined) return;
    this.wakeCache.fill(-1);
    if (this.loaded >= 0) this.refresh(this.loaded);
  }

  /** @internal Before a guest access to the distributor: its state must include what the list registers hold. */
  beforeDistributorAccess(): void {
    if (this.loaded >= 0) this.fold(this.loaded);
  }

  /** @internal After a guest access to either window: reload, and answer a maintenance interrupt it raised. */
  afterAccess(distributor: boolean): void {
    const c = this.loaded;
    if (c < 0) return;
    if (this.maintenancePending[c] !== 0) this.maintenanceInterrupts++;
    // After a GICD access the list registers were folded (and perhaps already reloaded by the change
    // it made): fold and load again, so that nothing moved into them is counted twice or lost.
    if (this.maintenancePending[c] !== 0 || distributor) this.refresh(c);
  }

  // ---- snapshots ------------------------------------------------------------------------------------------

  snapshot(): ArmVgicSnapshot {
    if (this.loaded >= 0) this.fold(this.loaded);
    const s: ArmVgicSnapshot = {
      distributor: this.distributor.snapshot(),
      virtualInterface: this.virtualInterface.snapshot(),
      activeOwner: [...this.activeOwner],
      sgiActiveSource: [...this.sgiActiveSource],
    };
    if (this.loaded >= 0) this.fill(this.loaded);
    return s;
  }

  restore(s: ArmVgicSnapshot): void {
    this.loaded = -1;
    this.distributor.restore(s.distributor);
    this.virtualInterface.restore(s.virtualInterface);
    this.activeOwner.set(s.activeOwner);
    this.sgiActiveSource.set(s.sgiActiveSource);
    this.maintenancePending.fill(0);
    this.wakeCache.fill(-1);
  }
}

/** A vGIC register window on the VM's bus: keeps the loaded list registers and the distributor in step. */
class InKernelWindow implements MmioDevice {
  readonly name: string;
  readonly widths: readonly AccessWidth[];

  constructor(
    private readonly inner: MmioDevice,
    private readonly vgic: ArmVgic,
    private readonly distributor: boolean,
  ) {
    this.name = inner.name;
    this.widths = inner.widths ?? [1, 2, 4];
  }

  read(offset: number, width: AccessWidth): number {
    if (this.distributor) this.vgic.beforeDistributorAccess();
    const v = this.inner.read(offset, width);
    this.vgic.afterAccess(this.distributor);
    return v;
  }

  write(offset: number, width: AccessWidth, value: number): void {
    if (this.distributor) this.vgic.beforeDistributorAccess();
    this.inner.write(offset, width, value);
    this.vgic.afterAccess(this.distributor);
  }

  reset(): void {}
}
