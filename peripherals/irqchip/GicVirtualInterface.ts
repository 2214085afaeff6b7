import { IrqLine, type IrqSink } from '../../src/machine/IrqLine.ts';
import type { PcProvider } from '../../src/machine/MmioDevice.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import { GicHypControl } from './GicHypControl.ts';
import { GicVirtualCpuInterface } from './GicVirtualCpuInterface.ts';
import { GROUP1_SPURIOUS, SPURIOUS } from './GicV2.ts';

/**
 * The GICv2 virtualization extensions (ARM IHI 0048B chapter 5): per
 * processor, a virtual interface control block (GICH_*, for the hypervisor)
 * and a virtual CPU interface (GICV_*, what a guest sees at its GICC
 * address). The hypervisor describes virtual interrupts in list registers;
 * the virtual CPU interface prioritises them, signals the virtual IRQ/FIQ to
 * the core, and moves them through pending → active → invalid as the guest
 * acknowledges and ends them. This class keeps the state and the rules;
 * GicHypControl and GicVirtualCpuInterface are its two register windows.
 * Every change ends in `updateIrq()`, which recomputes each processor's
 * virtual IRQ, virtual FIQ and maintenance outputs.
 *
 * Implementation choices, as QEMU's GICv2 (hw/intc/arm_gic.c): 4 list
 * registers, 5 bits of virtual priority (32 levels, GICH_APR has one bit per
 * level), 5 preemption bits (GICV_BPR at least 2, GICV_ABPR at least 3).
 * The GICH window shows the accessing processor's registers only; the
 * GIC-400's per-processor alias blocks (another CPU's GICH at 0x200 × n) are
 * not modelled, as QEMU's virt does not map them either.
 */

// List register fields (IHI 0048B 5.3.13, GICH_LRn).
export const LR_VIRTUAL_ID = 0x3ff;
export const LR_PHYSICAL_SHIFT = 10;
export const LR_CPUID_SHIFT = 10;
/** HW = 0: maintenance interrupt when the interrupt is deactivated. */
export const LR_EOI = 1 << 19;
export const LR_PRIORITY_SHIFT = 23;
export const LR_STATE_SHIFT = 28;
export const LR_GRP1 = 1 << 30;
export const LR_HW = 1 << 31;
export const LrState = { Invalid: 0, Pending: 1, Active: 2, PendingActive: 3 } as const;

// GICH_HCR (5.3.1)
export const HCR_EN = 1 << 0;
export const HCR_UIE = 1 << 1;
export const HCR_LRENPIE = 1 << 2;
export const HCR_NPIE = 1 << 3;
export const HCR_VGRP0EIE = 1 << 4;
export const HCR_VGRP0DIE = 1 << 5;
export const HCR_VGRP1EIE = 1 << 6;
export const HCR_VGRP1DIE = 1 << 7;
export const HCR_EOICOUNT_SHIFT = 27;

// GICH_MISR (5.3.4)
export const MISR_EOI = 1 << 0;
export const MISR_U = 1 << 1;
export const MISR_LRENP = 1 << 2;
export const MISR_NP = 1 << 3;
export const MISR_VGRP0E = 1 << 4;
export const MISR_VGRP0D = 1 << 5;
export const MISR_VGRP1E = 1 << 6;
export const MISR_VGRP1D = 1 << 7;

// GICH_VMCR (5.3.3): the GICV_CTLR bits, then binary points and the priority mask.
export const VMCR_GRP0_EN = 1 << 0;
export const VMCR_GRP1_EN = 1 << 1;
export const VMCR_ACKCTL = 1 << 2;
export const VMCR_FIQEN = 1 << 3;
export const VMCR_CBPR = 1 << 4;
export const VMCR_VEM = 1 << 9;
/** The GICV_CTLR bits VMCR holds. */
export const VMCR_CTLR_MASK = 0x21f;
export const VMCR_ABP_SHIFT = 18;
export const VMCR_BP_SHIFT = 21;
export const VMCR_PRIMASK_SHIFT = 27;

/** Smallest GICV_BPR with 5 preemption bits (group priority = priority[7:3]); GICV_ABPR is one more. */
export const VIRTUAL_MIN_BPR = 2;

export interface GicVirtualInterfaceOptions {
  readonly name: string;
  readonly numCpus: number;
  /** List registers per processor, 1..64 (default 4, as QEMU). */
  readonly numListRegisters?: number;
  /** Processor making the current access (selects the banked registers); default 0. */
  readonly currentCpu?: () => number;
  /**
   * A guest deactivated a hardware interrupt (LR.HW = 1): deactivate physical
   * interrupt `physicalId` in the distributor for processor `cpu` (5.3.13, HW).
   */
  readonly deactivatePhysical?: (cpu: number, physicalId: number) => void;
  readonly log?: (message: string) => void;
  readonly pc?: PcProvider;
  readonly bigEndian?: boolean;
  readonly controlBase?: number;
  readonly cpuInterfaceBase?: number;
}

export interface GicVirtualInterfaceSnapshot {
  readonly hcr: number[];
  readonly vmcr: number[];
  readonly apr: number[];
  readonly lr: number[];
}

export class GicVirtualInterface {
  readonly name: string;
  readonly numCpus: number;
  readonly numListRegisters: number;
  /** GICH_HCR per processor (EOICount in bits [31:27]). */
  readonly hcr: Uint32Array;
  readonly vmcr: Uint32Array;
  /** GICH_APR: bit n = an active interrupt of group priority n << 3. */
  readonly apr: Uint32Array;
  /** List registers, numListRegisters per processor. */
  readonly lr: Uint32Array;
  readonly control: GicHypControl;
  readonly cpuInterface: GicVirtualCpuInterface;
  readonly log: DeviceAccessLog;

  private readonly irqOut: IrqLine[] = [];
  private readonly fiqOut: IrqLine[] = [];
  private readonly maintenanceOut: IrqLine[] = [];
  private readonly currentCpuFn: () => number;
  private readonly deactivatePhysical: (cpu: number, physicalId: number) => void;

  constructor(opts: GicVirtualInterfaceOptions) {
    const n = opts.numListRegisters ?? 4;
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError(`${opts.name}: 1 to 64 list registers, not ${n}`);
    if (!Number.isInteger(opts.numCpus) || opts.numCpus < 1 || opts.numCpus > 8) {
      throw new RangeError(`${opts.name}: a GICv2 has 1 to 8 processors, not ${opts.numCpus}`);
    }
    this.name = opts.name;
    this.numCpus = opts.numCpus;
    this.numListRegisters = n;
    this.hcr = new Uint32Array(opts.numCpus);
    this.vmcr = new Uint32Array(opts.numCpus);
    this.apr = new Uint32Array(opts.numCpus);
    this.lr = new Uint32Array(opts.numCpus * n);
    for (let c = 0; c < this.numCpus; c++) {
      this.irqOut.push(IrqLine.unconnected(`${this.name}.cpu${c}.virq`));
      this.fiqOut.push(IrqLine.unconnected(`${this.name}.cpu${c}.vfiq`));
      this.maintenanceOut.push(IrqLine.unconnected(`${this.name}.cpu${c}.maintenance`));
    }
    this.currentCpuFn = opts.currentCpu ?? (() => 0);
    this.deactivatePhysical = opts.deactivatePhysical ?? (() => {});
    this.log = new DeviceAccessLog(this.name, opts.log ?? (() => {}), opts.pc);
    this.control = new GicHypControl(this, opts);
    this.cpuInterface = new GicVirtualCpuInterface(this, opts);
    this.reset();
  }

  // ---- wiring ----

  currentCpu(): number {
    const c = this.currentCpuFn();
    return c >= 0 && c < this.numCpus ? c : 0;
  }

  /** Processor `cpu`'s virtual IRQ and FIQ go to `sink` inputs `irqInput` and `fiqInput` (an ARM core: 2 and 3). */
  connectCpu(cpu: number, sink: IrqSink, irqInput = 2, fiqInput: number | null = 3): void {
    this.irqOut[cpu] = new IrqLine(sink, irqInput, `${this.name}.cpu${cpu}.virq`);
    this.fiqOut[cpu] = fiqInput === null ? IrqLine.unconnected() : new IrqLine(sink, fiqInput, `${this.name}.cpu${cpu}.vfiq`);
    this.updateIrq();
  }

  /** Processor `cpu`'s maintenance interrupt goes to `sink` input `input` (a GIC: PPI 9, INTID 25). */
  connectMaintenance(cpu: number, sink: IrqSink, input: number): void {
    this.maintenanceOut[cpu] = new IrqLine(sink, input, `${this.name}.cpu${cpu}.maintenance`);
    this.updateIrq();
  }

  outputs(cpu: number): { virq: boolean; vfiq: boolean; maintenance: boolean } {
    return { virq: this.irqOut[cpu].level, vfiq: this.fiqOut[cpu].level, maintenance: this.maintenanceOut[cpu].level };
  }

  reset(): void {
    this.hcr.fill(0);
    // GICV_BPR/ABPR reset to their minimum values; PMR 0 masks everything (4.4.2, 5.3.3).
    this.vmcr.fill((VIRTUAL_MIN_BPR << VMCR_BP_SHIFT) | ((VIRTUAL_MIN_BPR + 1) << VMCR_ABP_SHIFT));
    this.apr.fill(0);
    this.lr.fill(0);
    this.control.reset();
    this.cpuInterface.reset();
    this.updateIrq();
  }

  // ---- list register status (GICH_EISR, GICH_ELRSR, GICH_MISR) ----

  lrState(cpu: number, i: number): number {
    return (this.lr[cpu * this.numListRegisters + i] >>> LR_STATE_SHIFT) & 3;
  }

  /** Bits 32w..32w+31 of GICH_EISR: an invalid entry with HW = 0 and EOI = 1 (5.3.5). */
  eisr(cpu: number, word: number): number {
    let v = 0;
    for (let i = word * 32; i < Math.min(this.numListRegisters, word * 32 + 32); i++) {
      const lr = this.lr[cpu * this.numListRegisters + i];
      if (((lr >>> LR_STATE_SHIFT) & 3) === 0 && (lr & LR_HW) === 0 && (lr & LR_EOI) !== 0) v |= 1 << (i & 31);
    }
    return v >>> 0;
  }

  /** Bits of GICH_ELRSR: an invalid entry that does not wait for an EOI maintenance interrupt (5.3.6). */
  elrsr(cpu: number, word: number): number {
    let v = 0;
    for (let i = word * 32; i < Math.min(this.numListRegisters, word * 32 + 32); i++) {
      const lr = this.lr[cpu * this.numListRegisters + i];
      if (((lr >>> LR_STATE_SHIFT) & 3) === 0 && ((lr & LR_HW) !== 0 || (lr & LR_EOI) === 0)) v |= 1 << (i & 31);
    }
    return v >>> 0;
  }

  /** GICH_MISR: which maintenance conditions hold (5.3.4, 5.3.1). */
  misr(cpu: number): number {
    const hcr = this.hcr[cpu];
    const vmcr = this.vmcr[cpu];
    let valid = 0, pending = 0;
    for (let i = 0; i < this.numListRegisters; i++) {
      const st = this.lrState(cpu, i);
      if (st !== LrState.Invalid) valid++;
      if ((st & LrState.Pending) !== 0) pending++;
    }
    let m = 0;
    if (this.eisr(cpu, 0) !== 0 || this.eisr(cpu, 1) !== 0) m |= MISR_EOI;
    if ((hcr & HCR_UIE) !== 0 && valid <= 1) m |= MISR_U;
    if ((hcr & HCR_LRENPIE) !== 0 && hcr >>> HCR_EOICOUNT_SHIFT !== 0) m |= MISR_LRENP;
    if ((hcr & HCR_NPIE) !== 0 && pending === 0) m |= MISR_NP;
    const g0 = (vmcr & VMCR_GRP0_EN) !== 0, g1 = (vmcr & VMCR_GRP1_EN) !== 0;
    if ((hcr & HCR_VGRP0EIE) !== 0 && g0) m |= MISR_VGRP0E;
    if ((hcr & HCR_VGRP0DIE) !== 0 && !g0) m |= MISR_VGRP0D;
    if ((hcr & HCR_VGRP1EIE) !== 0 && g1) m |= MISR_VGRP1E;
    if ((hcr & HCR_VGRP1DIE) !== 0 && !g1) m |= MISR_VGRP1D;
    return m;
  }

  // ---- prioritisation ----

  /** Priority of a list register (its 5-bit field is priority[7:3]). */
  lrPriority(lr: number): number {
    return ((lr >>> LR_PRIORITY_SHIFT) & 0x1f) << 3;
  }

  /** Group priority for the virtual CPU interface's binary points (IHI 0048B 3.3.3 with GICV_BPR/ABPR). */
  groupPriority(cpu: number, group1: boolean, prio: number): number {
    const vmcr = this.vmcr[cpu];
    const point = group1 && (vmcr & VMCR_CBPR) === 0 ? ((vmcr >>> VMCR_ABP_SHIFT) & 7) - 1 : (vmcr >>> VMCR_BP_SHIFT) & 7;
    return prio & ((0xff << (point + 1)) & 0xff);
  }

  /** Running priority from GICH_APR: the highest active group priority, 0x100 when none is active. */
  runningPriority(cpu: number): number {
    const a = this.apr[cpu];
    return a === 0 ? 0x100 : (31 - Math.clz32(a & -a)) << 3;
  }

  priorityMask(cpu: number): number {
    return (this.vmcr[cpu] >>> VMCR_PRIMASK_SHIFT) << 3;
  }

  /**
   * The list register holding the highest-priority pending interrupt whose
   * group is enabled (lowest index on ties), or -1. Only entries in the
   * pending state compete: a pending-and-active interrupt must be
   * deactivated before it can be acknowledged again.
   */
  highestPendingLr(cpu: number): number {
    const vmcr = this.vmcr[cpu];
    let best = -1, bestPrio = 0x100;
    const base = cpu * this.numListRegisters;
    for (let i = 0; i < this.numListRegisters; i++) {
      const lr = this.lr[base + i];
      if (((lr >>> LR_STATE_SHIFT) & 3) !== LrState.Pending) continue;
      const enable = (lr & LR_GRP1) !== 0 ? VMCR_GRP1_EN : VMCR_GRP0_EN;
      if ((vmcr & enable) === 0) continue;
      const p = this.lrPriority(lr);
      if (p < bestPrio) { bestPrio = p; best = i; }
    }
    return best;
  }

  /** Whether list register `i` would be signalled now: interface enabled, above GICV_PMR, preempts the running priority. */
  private signalled(cpu: number, i: number): boolean {
    if (i < 0 || (this.hcr[cpu] & HCR_EN) === 0) return false;
    const lr = this.lr[cpu * this.numListRegisters + i];
    const p = this.lrPriority(lr);
    return p < this.priorityMask(cpu) && this.groupPriority(cpu, (lr & LR_GRP1) !== 0, p) < this.runningPriority(cpu);
  }

  /** Recompute every processor's virtual IRQ/FIQ and maintenance outputs. */
  updateIrq(): void {
    for (let c = 0; c < this.numCpus; c++) {
      const i = this.highestPendingLr(c);
      let irq = false, fiq = false;
      if (this.signalled(c, i)) {
        // A Group 0 virtual interrupt is a virtual FIQ when GICV_CTLR.FIQEn is set (5.4.1).
        const lr = this.lr[c * this.numListRegisters + i];
        if ((lr & LR_GRP1) === 0 && (this.vmcr[c] & VMCR_FIQEN) !== 0) fiq = true;
        else irq = true;
      }
      this.irqOut[c].set(irq);
      this.fiqOut[c].set(fiq);
      // The maintenance interrupt is asserted only while GICH_HCR.En is set (5.3.1).
      this.maintenanceOut[c].set((this.hcr[c] & HCR_EN) !== 0 && this.misr(c) !== 0);
    }
  }

  // ---- virtual CPU interface operations ----

  /** The ID a read of GICV_IAR/AIAR would return for list register `i` (SGIs carry the source CPU). */
  private interruptId(lr: number): number {
    const vid = lr & LR_VIRTUAL_ID;
    return vid < 16 && (lr & LR_HW) === 0 ? vid | (lr & (7 << LR_CPUID_SHIFT)) : vid;
  }

  /** GICV_HPPIR / GICV_AHPPIR. */
  pendingId(cpu: number, aliased: boolean): number {
    if ((this.hcr[cpu] & HCR_EN) === 0) return SPURIOUS;
    const i = this.highestPendingLr(cpu);
    if (i < 0) return SPURIOUS;
    const lr = this.lr[cpu * this.numListRegisters + i];
    const g1 = (lr & LR_GRP1) !== 0;
    if (aliased && !g1) return SPURIOUS;
    if (!aliased && g1 && (this.vmcr[cpu] & VMCR_ACKCTL) === 0) return GROUP1_SPURIOUS;
    return this.interruptId(lr);
  }

  /**
   * Read of GICV_IAR (GICV_AIAR when `aliased`): the highest-priority
   * signalled list register goes from pending to active, its group priority
   * is set in GICH_APR, and its ID is returned (5.4.2).
   */
  acknowledge(cpu: number, aliased: boolean): number {
    const i = this.highestPendingLr(cpu);
    if (i < 0) return SPURIOUS;
    const k = cpu * this.numListRegisters + i;
    const lr = this.lr[k];
    const g1 = (lr & LR_GRP1) !== 0;
    if (aliased && !g1) return SPURIOUS;
    if (!aliased && g1 && (this.vmcr[cpu] & VMCR_ACKCTL) === 0) return GROUP1_SPURIOUS;
    if (!this.signalled(cpu, i)) return SPURIOUS;
    this.lr[k] = ((lr & ~(3 << LR_STATE_SHIFT)) | (LrState.Active << LR_STATE_SHIFT)) >>> 0;
    this.apr[cpu] |= 1 << (this.groupPriority(cpu, g1, this.lrPriority(lr)) >> 3);
    this.updateIrq();
    return this.interruptId(lr);
  }

  /**
   * Write of GICV_EOIR/AEOIR: priority drop (the highest active priority
   * leaves GICH_APR), then, when GICV_CTLR.EOImode is 0, deactivation of the
   * list register holding the interrupt.
   */
  endOfInterrupt(cpu: number, value: number): void {
    const id = value & 0x3ff;
    if (id >= 1020) return;
    const a = this.apr[cpu];
    if (a === 0) {
      this.log.note(`GICV_EOIR of interrupt ${id} on CPU ${cpu} with no active priority ignored`);
    } else {
      this.apr[cpu] = a & (a - 1);
    }
    if ((this.vmcr[cpu] & VMCR_VEM) === 0) this.deactivateId(cpu, value);
    this.updateIrq();
  }

  /** Write of GICV_DIR: deactivation when EOImode splits it from the priority drop. */
  deactivate(cpu: number, value: number): void {
    const id = value & 0x3ff;
    if (id >= 1020) return;
    if ((this.vmcr[cpu] & VMCR_VEM) === 0) {
      this.log.note(`GICV_DIR write for interrupt ${id} with EOImode 0 ignored`);
      return;
    }
    this.deactivateId(cpu, value);
    this.updateIrq();
  }

  /**
   * Deactivate the interrupt `value` names: the active list register with
   * its virtual ID (and source CPU for a software-generated one) loses its
   * active state; a hardware one deactivates its physical interrupt. Without
   * such a list register, GICH_HCR.EOICount counts the EOI (5.3.1) — the
   * hypervisor learns of interrupts it took out of the list registers.
   */
  private deactivateId(cpu: number, value: number): void {
    const id = value & 0x3ff;
    const base = cpu * this.numListRegisters;
    for (let i = 0; i < this.numListRegisters; i++) {
      const lr = this.lr[base + i];
      if ((lr & LR_VIRTUAL_ID) !== id || (((lr >>> LR_STATE_SHIFT) & 3) & LrState.Active) === 0) continue;
      if (id < 16 && (lr & LR_HW) === 0 && ((lr >>> LR_CPUID_SHIFT) & 7) !== ((value >>> 10) & 7)) continue;
      this.lr[base + i] = (lr & ~(LrState.Active << LR_STATE_SHIFT)) >>> 0;
      if ((lr & LR_HW) !== 0) {
        const pid = (lr >>> LR_PHYSICAL_SHIFT) & 0x3ff;
        if (pid < 1020) this.deactivatePhysical(cpu, pid);
      }
      return;
    }
    this.hcr[cpu] = (this.hcr[cpu] + (1 << HCR_EOICOUNT_SHIFT)) >>> 0;
  }

  // ---- register writes from the hypervisor ----

  writeHcr(cpu: number, value: number): void {
    this.hcr[cpu] = value & ((0x1f << HCR_EOICOUNT_SHIFT) | 0xff);
    this.updateIrq();
  }

  writeVmcr(cpu: number, value: number): void {
    const bp = Math.max((value >>> VMCR_BP_SHIFT) & 7, VIRTUAL_MIN_BPR);
    const abp = Math.max((value >>> VMCR_ABP_SHIFT) & 7, VIRTUAL_MIN_BPR + 1);
    this.vmcr[cpu] = ((value & VMCR_CTLR_MASK) | (bp << VMCR_BP_SHIFT) | (abp << VMCR_ABP_SHIFT) | (value & (0x1f << VMCR_PRIMASK_SHIFT))) >>> 0;
    this.updateIrq();
  }

  writeLr(cpu: number, i: number, value: number): void {
    // Bits [22:20] are reserved; with HW = 0 so are [18:13] (5.3.13).
    let v = value & ~(7 << 20);
    if ((v & LR_HW) === 0) v &= ~(0x3f << 13);
    this.lr[cpu * this.numListRegisters + i] = v >>> 0;
    this.updateIrq();
  }

  writeApr(cpu: number, value: number): void {
    this.apr[cpu] = value >>> 0;
    this.updateIrq();
  }

  // ---- snapshots ----

  snapshot(): GicVirtualInterfaceSnapshot {
    return { hcr: [...this.hcr], vmcr: [...this.vmcr], apr: [...this.apr], lr: [...this.lr] };
  }

  restore(s: GicVirtualInterfaceSnapshot): void {
    this.hcr.set(s.hcr);
    this.vmcr.set(s.vmcr);
    this.apr.set(s.apr);
    this.lr.set(s.lr);
    this.updateIrq();
  }
}
