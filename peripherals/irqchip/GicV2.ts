import { IrqLine, type IrqSink } from '../../src/machine/IrqLine.ts';
import type { Cpu } from '../../src/machine/Cpu.ts';
import type { PcProvider } from '../../src/machine/MmioDevice.ts';
import type { InterruptController } from '../DeviceModel.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import { GicDistributor } from './GicDistributor.ts';
import { GicCpuInterface } from './GicCpuInterface.ts';
import type { GicVirtualInterface, GicVirtualInterfaceSnapshot } from './GicVirtualInterface.ts';

/**
 * ARM Generic Interrupt Controller v2 (ARM IHI 0048B), without the Security
 * Extensions (like QEMU's virt GIC): interrupt grouping is present (GICv2),
 * all accesses behave as Secure ones, Group 0 may be signalled as FIQ.
 *
 * Interrupt IDs: 0–15 SGIs, 16–31 PPIs (both banked per CPU), 32.. SPIs.
 * This class keeps the state and the prioritisation; GicDistributor and
 * GicCpuInterface are its two register windows. Every state change ends in
 * `updateIrq()`, which recomputes each CPU interface's IRQ and FIQ outputs.
 */

export const SPURIOUS = 1023;
/** Returned by GICC_IAR when the highest-priority interrupt is Group 1 and AckCtl is 0. */
export const GROUP1_SPURIOUS = 1022;

// GICC_CTLR bits without the Security Extensions (IHI 0048B 4.4.1)
export const CTLR_ENABLE_GRP0 = 1 << 0;
export const CTLR_ENABLE_GRP1 = 1 << 1;
export const CTLR_ACKCTL = 1 << 2;
export const CTLR_FIQEN = 1 << 3;
export const CTLR_CBPR = 1 << 4;
export const CTLR_EOIMODE_S = 1 << 9;
export const CTLR_EOIMODE_NS = 1 << 10;

export interface GicV2Options {
  readonly name: string;
  /** CPU interfaces, 1..8. */
  readonly numCpus: number;
  /** Interrupt IDs supported, a multiple of 32 from 32 to 1024 (IDs 1020+ are special). */
  readonly numIrqs: number;
  /** Implemented priority bits, 4..8 (default 5: 32 levels, as the GIC-400 and Cortex-A15). */
  readonly priorityBits?: number;
  /** Index of the CPU making the current access (selects the banked registers); default 0. */
  readonly currentCpu?: () => number;
  readonly log?: (message: string) => void;
  readonly pc?: PcProvider;
  readonly bigEndian?: boolean;
  readonly distributorBase?: number;
  readonly cpuInterfaceBase?: number;
  /**
   * Distributor-only use (a hypervisor's vGIC, which delivers through list
   * registers instead of these CPU interfaces): called at every state change
   * in place of recomputing the CPU interface outputs.
   */
  readonly onUpdate?: () => void;
}

export interface GicV2Snapshot {
  readonly dctlr: number;
  readonly enabled: number[];
  readonly latch: number[];
  readonly active: number[];
  readonly level: number[];
  readonly group: number[];
  readonly priority: number[];
  readonly edge: number[];
  readonly target: number[];
  readonly sgiSources: number[];
  readonly cctlr: number[];
  readonly pmr: number[];
  readonly bpr: number[];
  readonly abpr: number[];
  readonly apr: number[];
  /** The virtualization extensions' state, when the GIC has them. */
  readonly virtualInterface?: GicVirtualInterfaceSnapshot;
}

/** Sink for one CPU's private (SGI/PPI) inputs: input = interrupt ID 16..31. */
class PrivateInputs implements IrqSink {
  constructor(private readonly gic: GicV2, private readonly cpuMask: number) {}
  setIrqLevel(input: number, level: boolean): void {
    this.gic.setPrivateLevel(this.cpuMask, input, level);
  }
}

export class GicV2 implements InterruptController, IrqSink {
  readonly name: string;
  readonly numCpus: number;
  readonly numIrqs: number;
  readonly priorityBits: number;
  readonly interruptCells = 3;
  readonly distributor: GicDistributor;
  readonly cpuInterface: GicCpuInterface;

  /** Bits of a priority byte that exist (e.g. 0xf8 for 5 bits). */
  readonly priorityMask: number;
  /** Smallest GICC_BPR value (IHI 0048B 3.3.3): 7 − implemented bits, at least 0. */
  readonly minBpr: number;

  // ---- distributor state, one slot per (CPU, private ID) then per SPI ----
  dctlr = 0;
  readonly enabled: Uint8Array;
  /** Pending latch: edge seen, or set through ISPENDR; a level input adds to it. */
  readonly latch: Uint8Array;
  readonly active: Uint8Array;
  /** Current level of the input line. */
  readonly level: Uint8Array;
  readonly group: Uint8Array;
  readonly priority: Uint8Array;
  /** 1 = edge-triggered, 0 = level-sensitive (GICD_ICFGR Int_config[1]). */
  readonly edge: Uint8Array;
  /** CPU targets of each SPI, indexed by ID. */
  readonly target: Uint8Array;
  /** Per target CPU and SGI: bit n = pending from source CPU n. */
  readonly sgiSources: Uint8Array;

  // ---- CPU interface state, per CPU ----
  readonly cctlr: Uint32Array;
  readonly pmr: Uint8Array;
  readonly bpr: Uint8Array;
  readonly abpr: Uint8Array;
  /** Active priorities (GICC_APRn): bit = preemption level, 4 words per CPU. */
  readonly apr: Uint32Array;

  /**
   * The virtualization extensions (GICH_* and GICV_*), when the board gives the
   * GIC their windows: connectCpus wires their virtual IRQ/FIQ to the cores,
   * reset and snapshots include them.
   */
  virtualInterface: GicVirtualInterface | null = null;

  private readonly irqOut: IrqLine[];
  private readonly fiqOut: IrqLine[];
  private readonly currentCpuFn: () => number;
  private readonly onUpdate: (() => void) | null;
  private readonly privateSinks = new Map<number, PrivateInputs>();
  readonly log: DeviceAccessLog;

  constructor(opts: GicV2Options) {
    if (!Number.isInteger(opts.numCpus) || opts.numCpus < 1 || opts.numCpus > 8) {
      throw new RangeError(`${opts.name}: a GICv2 has 1 to 8 CPU interfaces, not ${opts.numCpus}`);
    }
    if (!Number.isInteger(opts.numIrqs) || opts.numIrqs < 32 || opts.numIrqs > 1024 || opts.numIrqs % 32 !== 0) {
      throw new RangeError(`${opts.name}: the number of interrupts must be a multiple of 32 from 32 to 1024, not ${opts.numIrqs}`);
    }
    const bits = opts.priorityBits ?? 5;
    if (!Number.isInteger(bits) || bits < 4 || bits > 8) {
      throw new RangeError(`${opts.name}: a GICv2 implements 4 to 8 priority bits, not ${bits}`);
    }
    this.name = opts.name;
    this.numCpus = opts.numCpus;
    this.numIrqs = Math.min(opts.numIrqs, 1020);
    this.priorityBits = bits;
    this.priorityMask = (0xff << (8 - bits)) & 0xff;
    this.minBpr = Math.max(0, 7 - bits);
    const slots = this.numCpus * 32 + this.numIrqs - 32;
    this.enabled = new Uint8Array(slots);
    this.latch = new Uint8Array(slots);
    this.active = new Uint8Array(slots);
    this.level = new Uint8Array(slots);
    this.group = new Uint8Array(slots);
    this.priority = new Uint8Array(slots);
    this.edge = new Uint8Array(slots);
    this.target = new Uint8Array(this.numIrqs);
    this.sgiSources = new Uint8Array(this.numCpus * 16);
    this.cctlr = new Uint32Array(this.numCpus);
    this.pmr = new Uint8Array(this.numCpus);
    this.bpr = new Uint8Array(this.numCpus);
    this.abpr = new Uint8Array(this.numCpus);
    this.apr = new Uint32Array(this.numCpus * 4);
    this.irqOut = [];
    this.fiqOut = [];
    for (let c = 0; c < this.numCpus; c++) {
      this.irqOut.push(IrqLine.unconnected(`${this.name}.cpu${c}.irq`));
      this.fiqOut.push(IrqLine.unconnected(`${this.name}.cpu${c}.fiq`));
    }
    this.onUpdate = opts.onUpdate ?? null;
    const provider = opts.currentCpu ?? (() => 0);
    this.currentCpuFn = provider;
    this.log = new DeviceAccessLog(this.name, opts.log ?? (() => {}), opts.pc);
    this.distributor = new GicDistributor(this, opts);
    this.cpuInterface = new GicCpuInterface(this, opts);
    this.resetDistributor();
    this.resetCpuInterfaces();
  }

  // ---- wiring ----

  /** CPU making the current access; out-of-range indices fall back to 0. */
  currentCpu(): number {
    const c = this.currentCpuFn();
    return c >= 0 && c < this.numCpus ? c : 0;
  }

  /** Slot of interrupt `id` as seen by `cpu` (private IDs are banked). */
  slot(cpu: number, id: number): number {
    return id < 32 ? cpu * 32 + id : this.numCpus * 32 + id - 32;
  }

  /** SPI inputs (IrqSink): `input` is the interrupt ID (32 + SPI number). */
  setIrqLevel(input: number, level: boolean): void {
    if (input >= 32 && input < this.numIrqs) this.setLevelAt(this.slot(0, input), level);
    else if (input >= 16 && input < 32) this.setPrivateLevel(1, input, level);
  }

  /** A private (PPI) input of every CPU in `cpuMask`. */
  setPrivateLevel(cpuMask: number, id: number, level: boolean): void {
    for (let c = 0; c < this.numCpus; c++) {
      if ((cpuMask & (1 << c)) !== 0) this.setLevelAt(this.slot(c, id), level);
    }
  }

  private setLevelAt(s: number, level: boolean): void {
    const v = level ? 1 : 0;
    if (this.level[s] === v) return;
    this.level[s] = v;
    // An edge-triggered interrupt latches pending on the rising edge (IHI 0048B 3.2.4).
    if (v === 1 && this.edge[s] === 1) this.latch[s] = 1;
    this.updateIrq();
  }

  /** The sink and input for PPI `ppi` (0–15) of CPU `cpu`, e.g. a core's timer line. */
  ppiInput(cpu: number, ppi: number): { sink: IrqSink; input: number } {
    if (cpu < 0 || cpu >= this.numCpus) throw new RangeError(`${this.name}: no CPU interface ${cpu}`);
    if (ppi < 0 || ppi > 15) throw new RangeError(`${this.name}: PPI ${ppi} out of range 0..15`);
    return { sink: this.privateSink(1 << cpu), input: 16 + ppi };
  }

  private privateSink(mask: number): PrivateInputs {
    let s = this.privateSinks.get(mask);
    if (s === undefined) {
      s = new PrivateInputs(this, mask);
      this.privateSinks.set(mask, s);
    }
    return s;
  }

  /**
   * The GIC device-tree binding's three cells: <type number flags>. Type 0 is
   * an SPI (ID 32 + number), type 1 a PPI (ID 16 + number) of the CPUs in
   * flags[15:8] (CPU 0 when that mask is empty). flags[3:0] is the trigger:
   * 1 rising edge, 4 level high; PPIs may also say 2 or 8.
   */
  resolveInterrupt(spec: readonly number[]): { sink: IrqSink; input: number } | string {
    if (spec.length !== 3) return `a GIC interrupt specifier has 3 cells, not ${spec.length}`;
    const [type, num, flags] = spec;
    const trigger = flags & 0xf;
    if (type === 0) {
      if (num < 0 || num >= this.numIrqs - 32) {
        return `SPI ${num} is out of range: this GIC has ${this.numIrqs - 32} SPIs (0..${this.numIrqs - 33})`;
      }
      if (trigger !== 0 && trigger !== 1 && trigger !== 4) {
        return `SPI trigger flags must be 1 (edge rising) or 4 (level high), not ${trigger}`;
      }
      return { sink: this, input: 32 + num };
    }
    if (type === 1) {
      if (num < 0 || num > 15) return `PPI ${num} is out of range 0..15`;
      if (![0, 1, 2, 4, 8].includes(trigger)) return `PPI trigger flags must be 1, 2, 4 or 8, not ${trigger}`;
      let mask = (flags >> 8) & 0xff;
      if (mask === 0) mask = 1;
      mask &= (1 << this.numCpus) - 1;
      if (mask === 0) return `PPI CPU mask ${hex2((flags >> 8) & 0xff)} names no CPU of this GIC (${this.numCpus} CPU${this.numCpus === 1 ? '' : 's'})`;
      return { sink: this.privateSink(mask), input: 16 + num };
    }
    return `GIC interrupt type must be 0 (SPI) or 1 (PPI), not ${type}`;
  }

  /**
   * A specifier for a source private to core `cpu` (its generic timer): a
   * PPI goes to that CPU's bank only, whatever CPU mask the flags carry; an
   * SPI resolves as usual.
   */
  resolveInterruptForCpu(spec: readonly number[], cpu: number): { sink: IrqSink; input: number } | string {
    const r = this.resolveInterrupt(spec);
    if (typeof r === 'string' || spec[0] !== 1) return r;
    if (cpu < 0 || cpu >= this.numCpus) return `CPU ${cpu} has no interface on this GIC (${this.numCpus} CPU${this.numCpus === 1 ? '' : 's'})`;
    return { sink: this.privateSink(1 << cpu), input: r.input };
  }

  /** Wire each CPU interface's IRQ and FIQ outputs to core inputs 0 and 1. */
  connectCpus(cpus: readonly Cpu[]): void {
    for (const cpu of cpus) {
      const c = cpu.index;
      if (c < 0 || c >= this.numCpus) continue;
      this.irqOut[c] = new IrqLine(cpu, 0, `${this.name}.cpu${c}.irq`);
      this.fiqOut[c] = new IrqLine(cpu, 1, `${this.name}.cpu${c}.fiq`);
      // An ARM core's virtual IRQ and FIQ inputs (2, 3) take the virtual CPU interface's outputs.
      this.virtualInterface?.connectCpu(c, cpu, 2, 3);
    }
    this.updateIrq();
  }

  /** Levels of CPU `cpu`'s outputs (tests, monitor). */
  outputs(cpu: number): { irq: boolean; fiq: boolean } {
    return { irq: this.irqOut[cpu].level, fiq: this.fiqOut[cpu].level };
  }

  // ---- reset ----

  /** Machine reset: distributor and every CPU interface to their reset state. */
  reset(): void {
    this.distributor.reset();
    this.cpuInterface.reset();
    this.virtualInterface?.reset();
  }

  resetDistributor(): void {
    this.dctlr = 0;
    this.enabled.fill(0);
    this.latch.fill(0);
    this.active.fill(0);
    this.group.fill(0);
    this.priority.fill(0);
    this.edge.fill(0);
    this.sgiSources.fill(0);
    for (let c = 0; c < this.numCpus; c++) {
      for (let id = 0; id < 16; id++) {
        // SGIs are always enabled (RAO/WI, as in the GIC-400) and edge-triggered.
        this.enabled[this.slot(c, id)] = 1;
        this.edge[this.slot(c, id)] = 1;
      }
    }
    // A uniprocessor GIC sends every SPI to its only CPU (IHI 0048B 4.3.12).
    this.target.fill(this.numCpus === 1 ? 1 : 0);
    this.updateIrq();
  }

  resetCpuInterfaces(): void {
    this.cctlr.fill(0);
    this.pmr.fill(0);
    this.bpr.fill(this.minBpr);
    this.abpr.fill(this.minBpr + 1);
    this.apr.fill(0);
    this.updateIrq();
  }

  // ---- prioritisation ----

  isPending(cpu: number, id: number): boolean {
    if (id < 16) return this.sgiSources[cpu * 16 + id] !== 0;
    const s = this.slot(cpu, id);
    return this.latch[s] !== 0 || (this.edge[s] === 0 && this.level[s] !== 0);
  }

  private candidate(cpu: number, id: number): boolean {
    const s = this.slot(cpu, id);
    return this.enabled[s] !== 0 && this.active[s] === 0 && this.isPending(cpu, id) &&
      (this.dctlr & (1 << this.group[s])) !== 0;
  }

  /** Highest-priority pending interrupt the distributor forwards to `cpu` (lowest ID on ties), or SPURIOUS. */
  highestPending(cpu: number): number {
    let best = SPURIOUS;
    let bestPrio = 0x100;
    for (let id = 0; id < 32; id++) {
      if (!this.candidate(cpu, id)) continue;
      const p = this.priority[cpu * 32 + id];
      if (p < bestPrio) { bestPrio = p; best = id; }
    }
    const bit = 1 << cpu;
    for (let id = 32; id < this.numIrqs; id++) {
      if ((this.target[id] & bit) === 0 || !this.candidate(cpu, id)) continue;
      const p = this.priority[this.slot(cpu, id)];
      if (p < bestPrio) { bestPrio = p; best = id; }
    }
    return best;
  }

  /** Group priority of a priority value for `cpu` and `group` (IHI 0048B 3.3.3). */
  groupPriority(cpu: number, group: number, prio: number): number {
    const point = group === 1 && (this.cctlr[cpu] & CTLR_CBPR) === 0 ? this.abpr[cpu] - 1 : this.bpr[cpu];
    return prio & ((0xff << (point + 1)) & 0xff);
  }

  /** Running priority: that of the highest-priority active interrupt, 0x100 when idle. */
  runningPriority(cpu: number): number {
    for (let w = 0; w < 4; w++) {
      const bits = this.apr[cpu * 4 + w];
      if (bits !== 0) return (w * 32 + (31 - Math.clz32(bits & -bits))) << (this.minBpr + 1);
    }
    return 0x100;
  }

  /** Whether `id` would be signalled to `cpu` now (PMR, running priority, group enable). */
  private signalled(cpu: number, id: number): boolean {
    if (id === SPURIOUS) return false;
    const s = this.slot(cpu, id);
    const g = this.group[s];
    const p = this.priority[s];
    return (this.cctlr[cpu] & (1 << g)) !== 0 && p < this.pmr[cpu] &&
      this.groupPriority(cpu, g, p) < this.runningPriority(cpu);
  }

  /** Recompute every CPU interface's IRQ and FIQ outputs from the state. */
  updateIrq(): void {
    if (this.onUpdate !== null) {
      this.onUpdate();
      return;
    }
    for (let c = 0; c < this.numCpus; c++) {
      let irq = false, fiq = false;
      const id = this.highestPending(c);
      if (this.signalled(c, id)) {
        // Group 0 goes out as FIQ when FIQEn is set (IHI 0048B 3.5.1).
        if (this.group[this.slot(c, id)] === 0 && (this.cctlr[c] & CTLR_FIQEN) !== 0) fiq = true;
        else irq = true;
      }
      this.irqOut[c].set(irq);
      this.fiqOut[c].set(fiq);
    }
  }

  // ---- CPU interface operations ----

  /** GICC_HPPIR / GICC_AHPPIR value for `cpu`. */
  pendingId(cpu: number, aliased: boolean): number {
    const id = this.highestPending(cpu);
    if (id === SPURIOUS) return SPURIOUS;
    const s = this.slot(cpu, id);
    if (this.priority[s] >= this.pmr[cpu]) return SPURIOUS;
    const g = this.group[s];
    if (aliased && g === 0) return SPURIOUS;
    if (!aliased && g === 1 && (this.cctlr[cpu] & CTLR_ACKCTL) === 0) return GROUP1_SPURIOUS;
    return id < 16 ? id | ((31 - Math.clz32(this.sgiSources[cpu * 16 + id] & -this.sgiSources[cpu * 16 + id])) << 10) : id;
  }

  /**
   * Read of GICC_IAR (or GICC_AIAR when `aliased`): acknowledge the
   * highest-priority pending interrupt that can be signalled — it becomes
   * active, its priority becomes the running priority — and return its ID
   * (with the source CPU in bits [12:10] for an SGI), or 1023/1022.
   */
  acknowledge(cpu: number, aliased: boolean): number {
    const id = this.highestPending(cpu);
    if (id === SPURIOUS) return SPURIOUS;
    const s = this.slot(cpu, id);
    const g = this.group[s];
    if (aliased && g === 0) return SPURIOUS;
    if (!aliased && g === 1 && (this.cctlr[cpu] & CTLR_ACKCTL) === 0) return GROUP1_SPURIOUS;
    if (!this.signalled(cpu, id)) return SPURIOUS;
    let result = id;
    if (id < 16) {
      const k = cpu * 16 + id;
      const sources = this.sgiSources[k];
      const src = 31 - Math.clz32(sources & -sources);
      this.sgiSources[k] = sources & ~(1 << src);
      result = id | (src << 10);
    } else {
      this.latch[s] = 0;     // a level input still high keeps it pending (active and pending)
    }
    this.active[s] = 1;
    const level = this.groupPriority(cpu, g, this.priority[s]) >> (this.minBpr + 1);
    this.apr[cpu * 4 + (level >> 5)] |= 1 << (level & 31);
    this.updateIrq();
    return result;
  }

  /** Write of GICC_EOIR (or GICC_AEOIR): priority drop, and deactivation unless EOImode splits them. */
  endOfInterrupt(cpu: number, value: number, aliased: boolean): void {
    const id = value & 0x3ff;
    if (id >= this.numIrqs) return;            // spurious IDs 1020–1023 and unknown IDs are ignored
    let dropped = false;
    for (let w = 0; w < 4 && !dropped; w++) {
      const k = cpu * 4 + w;
      if (this.apr[k] !== 0) {
        this.apr[k] &= this.apr[k] - 1;        // clear the highest-priority active level
        dropped = true;
      }
    }
    if (!dropped) {
      this.log.note(`EOI of interrupt ${id} on CPU ${cpu} with no active interrupt ignored`);
      return;
    }
    const split = (this.cctlr[cpu] & (aliased ? CTLR_EOIMODE_NS : CTLR_EOIMODE_S)) !== 0;
    if (!split) this.active[this.slot(cpu, id)] = 0;
    this.updateIrq();
  }

  /** Write of GICC_DIR: deactivate, when EOImode has split deactivation from priority drop. */
  deactivate(cpu: number, value: number): void {
    const id = value & 0x3ff;
    if (id >= this.numIrqs) return;
    if ((this.cctlr[cpu] & (CTLR_EOIMODE_S | CTLR_EOIMODE_NS)) === 0) {
      this.log.note(`GICC_DIR write for interrupt ${id} with EOImode 0 ignored`);
      return;
    }
    this.active[this.slot(cpu, id)] = 0;
    this.updateIrq();
  }

  /**
   * A guest deactivated a hardware virtual interrupt (GICH_LRn.HW = 1): the
   * physical interrupt `id` of `cpu` is deactivated, as a write of GICC_DIR
   * would (IHI 0048B 5.3.13, 5.4.4). The hypervisor already dropped its
   * priority with GICC_EOIR under EOImode 1.
   */
  deactivatePhysical(cpu: number, id: number): void {
    if (id >= this.numIrqs || cpu < 0 || cpu >= this.numCpus) return;
    this.active[this.slot(cpu, id)] = 0;
    this.updateIrq();
  }

  /** Write of GICD_SGIR by `cpu` (IHI 0048B 4.3.15). */
  sendSgi(cpu: number, value: number): void {
    const id = value & 0xf;
    const filter = (value >>> 24) & 3;
    const all = (1 << this.numCpus) - 1;
    let targets = 0;
    if (filter === 0) targets = (value >>> 16) & 0xff;
    else if (filter === 1) targets = all & ~(1 << cpu);
    else if (filter === 2) targets = 1 << cpu;
    for (let t = 0; t < this.numCpus; t++) {
      if ((targets & (1 << t)) !== 0) this.sgiSources[t * 16 + id] |= 1 << cpu;
    }
    this.updateIrq();
  }

  // ---- snapshots ----

  snapshot(): GicV2Snapshot {
    return {
      dctlr: this.dctlr,
      enabled: [...this.enabled], latch: [...this.latch], active: [...this.active], level: [...this.level],
      group: [...this.group], priority: [...this.priority], edge: [...this.edge], target: [...this.target],
      sgiSources: [...this.sgiSources], cctlr: [...this.cctlr], pmr: [...this.pmr], bpr: [...this.bpr],
      abpr: [...this.abpr], apr: [...this.apr],
      ...(this.virtualInterface !== null ? { virtualInterface: this.virtualInterface.snapshot() } : {}),
    };
  }

  restore(s: GicV2Snapshot): void {
    this.dctlr = s.dctlr;
    this.enabled.set(s.enabled); this.latch.set(s.latch); this.active.set(s.active); this.level.set(s.level);
    this.group.set(s.group); this.priority.set(s.priority); this.edge.set(s.edge); this.target.set(s.target);
    this.sgiSources.set(s.sgiSources); this.cctlr.set(s.cctlr); this.pmr.set(s.pmr); this.bpr.set(s.bpr);
    this.abpr.set(s.abpr); this.apr.set(s.apr);
    if (s.virtualInterface !== undefined) this.virtualInterface?.restore(s.virtualInterface);
    this.updateIrq();
  }
}

function hex2(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}
