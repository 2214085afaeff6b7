import type { Clock } from '../../src/machine/Clock.ts';
import { SOFT_SIZE, SOFT_TLB_MASK } from './SoftTlbGeometry.ts';
import { StopReason, type Cpu, type DataWatcher, type DebugResumeMode } from '../../src/machine/Cpu.ts';
import type { IrqLine } from '../../src/machine/IrqLine.ts';
import type { MemoryRegion, PhysicalBus } from '../../src/machine/PhysicalBus.ts';
import type { StopRequester } from '../../src/machine/StopRequest.ts';
import { ArmState, ArmMode, Psr, modeName } from './ArmState.ts';
import { captureArmCpu, restoreArmCpu, type ArmCpuSnapshot } from './ArmCpuSnapshot.ts';
import { silentProbe, type ArmProbe } from './ArmProbe.ts';
import { DebugRegisterState } from './Cp14DebugRegisters.ts';
import { DecodedPage } from './DecodedPage.ts';
import { interruptPending, takeDataAbort, takePendingInterrupt, takePrefetchAbort, takeUndefined } from './Exceptions.ts';
import { hypTrapsConfigured, trapWfx } from './HypTraps.ts';
import { GenericTimer } from './GenericTimer.ts';
import { Sctlr, SystemRegisterState } from './SystemRegisterState.ts';
import { decodeA32 } from './a32/A32Decoder.ts';
import { A32Jit, type A32JitOptions } from './jit/A32Jit.ts';
import { AddressTranslation, type HostStage2 } from './mmu/AddressTranslation.ts';
import { FaultInfo, FaultKind } from './mmu/Fault.ts';
import { Tlb } from './mmu/Tlb.ts';
import type { DescriptorMemory } from './mmu/WalkResult.ts';
import { VfpRegisters } from './vfp/VfpRegisters.ts';

/** An A32 instruction handler: executes one instruction word whose condition passed. */
export type A32Handler = (cpu: ArmCpu, insn: number) => void;

/**
 * Runs T32 code for the core; supplied by the Thumb support (cores/arm/thumb)
 * through `ArmCpu.setThumbExecutor`. It executes while `cpu.thumb` is 1, at
 * most `budget` instructions, and returns how many it retired. While it runs
 * it keeps `cpu.instructionCount` up to date (start + executed so far: the
 * timer and the clock read it); the caller then sets it to start + returned.
 * It stops early when `cpu.exitInner` is set (exception, mode change,
 * interrupt, device access), clearing nothing: the A32 loop does that. It
 * fetches through `cpu.fetchPageFor(pc)` (translation, Prefetch Aborts,
 * decoded-page cache: use `page.thumbHandlers`), sets R15 to the
 * instruction address + 4 and `cpu.nextPc` to the next instruction before
 * each handler, and takes exceptions with the functions of Exceptions.ts.
 */
export interface ThumbExecutor {
  run(cpu: ArmCpu, budget: number): number;
}

export interface ArmCpuOptions {
  index: number;
  bus: PhysicalBus;
  clock: Clock;
  stop: StopRequester;
  /** Machine stop requests, looked at once per slice and after device accesses and PSCI calls: a function or a shared flag (non-zero = stop). */
  stopFlag?: (() => boolean) | Int32Array;
  /** Instructions per second of virtual time (default 1e9). */
  frequencyHz?: number;
  /** Advertise and implement the Virtualization Extensions (Hyp mode). */
  virtualization?: boolean;
  /** Advertise the Security Extensions (Monitor mode, MVBAR, SMC to Monitor). */
  security?: boolean;
  /** PSCI handled in the core, through HVC or SMC. */
  psci?: 'hvc' | 'smc';
  /** Generic timer outputs (per core: PPIs 30, 27, 26, 29 on a GIC). */
  timerIrqs?: { phys?: IrqLine; virt?: IrqLine; hyp?: IrqLine; sec?: IrqLine };
  /** PSCI CPU_ON: start the core with this MPIDR at `entry` with r0 = contextId; returns a PSCI status. */
  cpuOn?: (targetMpidr: number, entry: number, contextId: number) => number;
  /** CNTFRQ value (default 62.5 MHz, as QEMU's virt board). */
  counterFrequencyHz?: number;
  /** Main ID register (default Cortex-A15 r2p1, 0x412fc0f1). */
  midr?: number;
  /** Start powered off until PSCI CPU_ON (default: cores other than 0 when psci is set). */
  startPoweredOff?: boolean;
  /** Cores per cluster for MPIDR (default 8, as QEMU's virt with GICv2). */
  clusterSize?: number;
  probe?: ArmProbe;
  /** Compile hot A32 code to JavaScript (cores/arm/jit); false runs the interpreter only (default true). */
  jit?: boolean | A32JitOptions;
}

interface RegionViews {
  readonly bytes: Uint8Array;
  readonly halves: Uint16Array;
  readonly words: Int32Array;
}

/** Soft TLB: 2048 direct-mapped slots per context (SoftTlbGeometry). */
const SOFT_MASK = SOFT_TLB_MASK;
/**
 * Data contexts: 2 × privilege (0 = PL0, 1 = PL1, 2 = PL2) + (write ? 1 : 0);
 * context 6 is never filled and is selected while data is big-endian
 * (CPSR.E), which sends every access to the slow path that swaps bytes, and
 * while a debugger watches memory (the slow path checks its watchpoints).
 */
const DATA_CONTEXTS = 7;
const SLOW_CONTEXT = 6;
/**
 * Soft-TLB banks: each holds the data and fetch contexts of one recently used
 * ASID, so switching back to a process keeps its translations instead of
 * refilling them from the TLB and page walks. The banks are tagged as the
 * TLB's entries are (B3.9.3, Tlb.find: by ASID within the regime), so they
 * only ever hold what the TLB would give: TLB maintenance and every other
 * translation change empty all of them.
 */
const SOFT_BANKS = 16;
const DATA_BANK = DATA_CONTEXTS * SOFT_SIZE;
const FETCH_BANK = 3 * SOFT_SIZE;

const enum Access {
  Read = 0,
  Write = 1,
  Fetch = 2,
}

/** Where the core stands with a debugger (see Cpu.debugResume). */
const enum DebugState {
  Running = 0,
  /** Execute one instruction at the next run(), then stop. */
  Step = 1,
  /** Debug stop: run() returns StopReason.Breakpoint without executing until resumed. */
  Stopped = 2,
  /** Held by the debugger: looks idle, executes nothing. */
  Held = 3,
}

const EMPTY_BYTES = new Uint8Array(4096);
const EMPTY_HALVES = new Uint16Array(EMPTY_BYTES.buffer);
const EMPTY_WORDS = new Int32Array(EMPTY_BYTES.buffer);

/** Cores sharing a bus: for SEV, TLB broadcast (…IS operations) and code-page marking. */
const coresOnBus = new WeakMap<PhysicalBus, ArmCpu[]>();

let thumbExecutor: ThumbExecutor | null = null;

/** The core whose instruction is executing (bus errors are attributed to it). */
let runningCore: ArmCpu | null = null;

export class ArmCpu extends ArmState implements Cpu, DescriptorMemory {
  readonly isa = 'arm' as const;
  readonly name: string;
  readonly index: number;
  readonly bus: PhysicalBus;
  readonly clock: Clock;
  readonly stop: StopRequester;
  readonly frequencyHz: number;
  readonly virtualization: boolean;
  readonly security: boolean;
  readonly psci: 'hvc' | 'smc' | undefined;
  readonly cpuOn: ((targetMpidr: number, entry: number, contextId: number) => number) | undefined;
  readonly midr: number;
  readonly mpidr: number;
  probe: ArmProbe;
  /** The A32 JIT, or null when the core only interprets. */
  readonly jit: A32Jit | null;

  readonly sys = new SystemRegisterState();
  readonly vfp = new VfpRegisters();
  /** CP14 debug registers (storage and status; no debug events). */
  readonly debug = new DebugRegisterState();
  readonly timer: GenericTimer;
  readonly tlb = new Tlb();
  /** Address translation: both stages of the PL1&0 regime and the Hyp regime, with walk counters. */
  readonly mmu = new AddressTranslation(this);
  /** The last translation fault (read by ATS1C* and the abort entries). */
  readonly fault = new FaultInfo();

  // Soft TLB (see DESIGN.md: typed arrays from virtual page to RAM offset).
  readonly dataTag = new Int32Array(SOFT_BANKS * DATA_BANK).fill(-1);
  readonly dataOffset = new Int32Array(SOFT_BANKS * DATA_BANK);
  readonly dataBytes: Uint8Array[] = new Array<Uint8Array>(SOFT_BANKS * DATA_BANK).fill(EMPTY_BYTES);
  readonly dataHalves: Uint16Array[] = new Array<Uint16Array>(SOFT_BANKS * DATA_BANK).fill(EMPTY_HALVES);
  readonly dataWords: Int32Array[] = new Array<Int32Array>(SOFT_BANKS * DATA_BANK).fill(EMPTY_WORDS);
  readonly fetchTag = new Int32Array(SOFT_BANKS * FETCH_BANK).fill(-1);
  readonly fetchPages: DecodedPage<A32Handler>[];
  /** First slot of the contexts the current mode uses (in the current bank). */
  readBase = 2 * SOFT_SIZE;
  writeBase = 3 * SOFT_SIZE;
  fetchBase = SOFT_SIZE;
  /** The soft-TLB bank of the current ASID, and per bank: its ASID, whether it has one, when it was last used, whether anything filled it since it was emptied. */
  private softBank = 0;
  private readonly bankAsid = new Int32Array(SOFT_BANKS);
  private readonly bankKeyed = new Uint8Array(SOFT_BANKS);
  private readonly bankUsed = new Float64Array(SOFT_BANKS);
  private readonly bankFilled = new Uint8Array(SOFT_BANKS).fill(1);
  private bankClock = 0;
  /** Address-space switches that found their bank still filled (for tests and the bench). */
  softBankHits = 0;
  /**
   * Per 1 MiB of virtual address space: 1 when a soft-TLB entry there came from
   * a section, supersection or block (a TLBIMVA anywhere in it must drop them
   * all); `softBlocksUnknown` when some entry's mapping size is not known.
   */
  private readonly softBlocks = new Uint8Array(4096);
  private softBlocksUnknown = false;
  /** TLBIMVA-style invalidations that dropped one page of the soft TLB instead of all of it. */
  softPageFlushes = 0;
  /** 0, 1 or 2: the privilege level of the current mode. */
  privilegeLevel = 1;

  private readonly decodedPages = new Map<number, DecodedPage<A32Handler>>();
  private readonly regionViews = new Map<MemoryRegion, RegionViews>();
  private readonly stubPage: DecodedPage<A32Handler>;
  /** Page the run loop is executing from. */
  execPage: DecodedPage<A32Handler>;

  // --- run state ----------------------------------------------------------
  /** Leave the inner loop after this instruction (exception, mode/MMU change, interrupt, device access). */
  exitInner = false;
  /** Set by a data abort so the handler that made the access stops (no writeback). */
  aborted = false;
  /** A device access or PSCI call happened: look at the machine stop flag. */
  private checkStop = false;
  private machineStop = false;
  private readonly stopRequested: () => boolean;
  private idleState = false;
  private poweredOffState = false;
  irqLevel = false;
  fiqLevel = false;
  virqLevel = false;
  /**
   * A hypervisor outside the core (tskvm running this core as a guest's vCPU):
   * it supplies stage 2, and exceptions to Hyp mode go to it (Exceptions.enterHyp)
   * instead of to HVBAR. null when firmware runs its own hypervisor in Hyp mode.
   */
  hostHypervisor: HostStage2 | null = null;
  /** Vector offset of the Hyp exception that stopped the core for the host hypervisor, or -1. */
  hostTrapVector = -1;
  /** Interrupts are not taken while set (a host hypervisor re-executing an instruction after an exit). */
  interruptsHeld = false;
  /** Some trap to Hyp mode is configured (HCR, HSTR, HCPTR, CNTHCTL) and the core is at PL0/PL1: instructions check HypTraps. */
  hypTraps = false;
  private hypTrapsSet = false;
  vfiqLevel = false;
  /** The event register of WFE/SEV (B1.8.13). */
  eventRegister = false;
  /** Instructions retired since reset. */
  instructionCount = 0;
  /** Virtual time and instruction count when the current slice began (for the counter). */
  private sliceStartTime = 0;
  private sliceStartCount = 0;
  private readonly nsPerInstruction: number;
  /** Set by the bus-error handler during an access of this core. */
  busFault = false;
  walkAborted = false;

  // Exclusive monitor (A3.4): the local monitor's tagged address and what LDREX read.
  exclusiveAddress = -1;
  exclusiveSize = 0;
  exclusiveLow = 0;
  exclusiveHigh = 0;

  constructor(options: ArmCpuOptions) {
    super();
    this.index = options.index;
    this.name = `cpu${options.index}`;
    this.bus = options.bus;
    this.clock = options.clock;
    this.stop = options.stop;
    this.frequencyHz = options.frequencyHz ?? 1e9;
    this.nsPerInstruction = 1e9 / this.frequencyHz;
    this.virtualization = options.virtualization ?? false;
    this.security = options.security ?? false;
    this.psci = options.psci;
    this.cpuOn = options.cpuOn;
    this.midr = options.midr ?? 0x412fc0f1;
    const cluster = options.clusterSize ?? 8;
    // MPIDR (B4.1.106): bit 31 set (multiprocessing extensions), U = 0, Aff1 = cluster, Aff0 = core.
    this.mpidr = (0x80000000 | (Math.floor(options.index / cluster) << 8) | options.index % cluster) >>> 0;
    this.probe = options.probe ?? silentProbe;
    const flag = options.stopFlag;
    this.stopRequested = flag === undefined ? () => false : typeof flag === 'function' ? flag : () => Atomics.load(flag, 0) !== 0;
    this.timer = new GenericTimer(this, options.counterFrequencyHz ?? 62_500_000, options.timerIrqs ?? {});
    this.stubPage = new DecodedPage<A32Handler>(-1, null, decodeStub);
    this.execPage = this.stubPage;
    this.fetchPages = new Array<DecodedPage<A32Handler>>(SOFT_BANKS * FETCH_BANK).fill(this.stubPage);
    this.tlb.onEvict = (vpn) => this.dropSoftPage(vpn);
    this.poweredOffState = options.startPoweredOff ?? (options.psci !== undefined && options.index !== 0);
    this.jit = options.jit === false ? null : new A32Jit(this, typeof options.jit === 'object' ? options.jit : {});

    let peers = coresOnBus.get(this.bus);
    if (!peers) {
      peers = [];
      coresOnBus.set(this.bus, peers);
      const bus = this.bus;
      bus.onBusError(() => {
        if (runningCore !== null) runningCore.busFault = true;
      });
    }
    peers.push(this);
    this.bus.onCodeWrite((pageAddr) => this.codePageWritten(pageAddr));
    // Not part of PhysicalBus: the machine's Bus tells when regions are mapped or unmapped
    // (flash switching between ROM and device mode), which stales every cached page.
    this.bus.onMapChange?.((pageAddr) => this.memoryMapChanged(pageAddr));
    this.reset();
  }

  /** Install the T32 executor (done once by the Thumb support module). */
  static setThumbExecutor(executor: ThumbExecutor): void {
    thumbExecutor = executor;
  }

  // =========================================================================
  // Cpu interface
  // =========================================================================

  reset(): void {
    this.resetState();
    this.sys.reset(this.midr, this.mpidr);
    this.vfp.reset();
    this.debug.reset();
    this.timer.reset();
    this.tlb.invalidateAll();
    this.flushSoftTlb();
    this.exitInner = false;
    this.aborted = false;
    this.hostTrapVector = -1;
    this.hypTrapsSet = false;
    this.idleState = false;
    this.eventRegister = false;
    this.exclusiveAddress = -1;
    this.instructionCount = 0;
    this.updateTlbBases();
  }

  get retired(): number {
    return this.instructionCount;
  }

  get idle(): boolean {
    return this.idleState || this.debugState === DebugState.Held;
  }

  get poweredOff(): boolean {
    return this.poweredOffState;
  }

  getPc(): number {
    return this.nextPc >>> 0;
  }

  setPc(value: number): void {
    this.nextPc = value | 0;
    this.exitInner = true;
  }

  registerNames(): readonly string[] {
    return REGISTER_NAMES;
  }

  getRegister(name: string): number {
    const i = registerIndex(name);
    if (i === 15) return this.nextPc >>> 0;
    if (i >= 0) return this.r[i] >>> 0;
    if (name === 'cpsr') return this.cpsr;
    if (name === 'spsr') return this.currentSpsr;
    throw new RangeError(`unknown ARM register '${name}'`);
  }

  setRegister(name: string, value: number): void {
    const i = registerIndex(name);
    if (i === 15) this.setPc(value);
    else if (i >= 0) this.r[i] = value;
    else if (name === 'cpsr') {
      this.setCpsrBits(value);
      this.updateTlbBases();
      this.exitInner = true;
    } else if (name === 'spsr') this.currentSpsr = value;
    else throw new RangeError(`unknown ARM register '${name}'`);
  }

  setIrqLevel(input: number, level: boolean): void {
    switch (input) {
      case 0: this.irqLevel = level; break;
      case 1: this.fiqLevel = level; break;
      case 2: this.virqLevel = level; break;
      case 3: this.vfiqLevel = level; break;
      default: return;
    }
    // WFI wakes on any asserted interrupt, masked or not (B1.8.13).
    if (level) this.idleState = false;
    this.exitInner = true;
  }

  /** PSCI CPU_ON target side: leave power-off and start at `entry` with r0 = contextId (DEN0022 5.6). */
  powerOn(entry: number, contextId: number): void {
    this.reset();
    this.poweredOffState = false;
    this.r[0] = contextId;
    this.thumb = entry & 1;
    this.nextPc = (entry & ~1) | 0;
  }

  /** PSCI CPU_OFF on this core. */
  powerOff(): void {
    this.poweredOffState = true;
    this.idleState = false;
    this.exitInner = true;
  }

  /** WFI, WFE and PSCI CPU_SUSPEND: wait until an interrupt (or event) arrives. */
  waitForInterrupt(): void {
    if (interruptPending(this)) return;
    // HCR.TWI traps a WFI that would wait (B1.14.x).
    if (this.hypTraps && trapWfx(this, false)) return;
    this.idleUntilInterrupt();
  }

  private idleUntilInterrupt(): void {
    this.idleState = true;
    this.idleForEvent = false;
    this.exitInner = true;
  }

  /** WFE (B1.8.13): consume a pending event, else wait for an event or an interrupt. */
  waitForEvent(): void {
    if (this.eventRegister) {
      this.eventRegister = false;
      return;
    }
    if (interruptPending(this)) return;
    if (this.hypTraps && trapWfx(this, true)) return;
    this.idleUntilInterrupt();
    this.idleForEvent = true;
  }

  /** True while idle in WFE (SEV wakes it), false in WFI (only interrupts do). */
  private idleForEvent = false;

  /** SEV: set the event register of every core on the bus; a core waiting in WFE wakes and consumes it. */
  sendEvent(): void {
    for (const core of coresOnBus.get(this.bus) ?? []) {
      if (core.idleState && core.idleForEvent) {
        core.idleState = false;
        core.idleForEvent = false;
      } else core.eventRegister = true;
    }
  }

  /** The other cores on the same bus (TLB maintenance broadcast to the Inner Shareable domain). */
  peers(): readonly ArmCpu[] {
    return coresOnBus.get(this.bus) ?? [this];
  }

  // --- snapshot hooks (the rest is in ArmCpuSnapshot.ts) -------------------

  snapshot(): ArmCpuSnapshot {
    // A vCPU's walk counters are its VM's, saved with the VM.
    return captureArmCpu(this, this.hostHypervisor === null);
  }

  restore(state: unknown): void {
    restoreArmCpu(this, state as ArmCpuSnapshot);
  }

  /** Waiting in WFI/WFE, or powered off: run-loop state kept private to the core. */
  get waitState(): { readonly idle: boolean; readonly forEvent: boolean; readonly off: boolean } {
    return { idle: this.idleState, forEvent: this.idleForEvent, off: this.poweredOffState };
  }

  setWaitState(s: { readonly idle: boolean; readonly forEvent: boolean; readonly off: boolean }): void {
    this.idleState = s.idle;
    this.idleForEvent = s.forEvent;
    this.poweredOffState = s.off;
    this.checkStop = false;
    this.machineStop = false;
    this.exitInner = false;
    this.aborted = false;
  }

  /**
   * Memory was replaced behind the core's back (a snapshot restore): forget
   * every decoded page (and its compiled code), region view and soft-TLB
   * entry; they are rebuilt from memory as the core runs.
   */
  forgetCachedMemory(): void {
    for (const page of this.decodedPages.values()) page.invalidate();
    this.decodedPages.clear();
    this.mmioCodeDevices.clear();
    this.regionViews.clear();
    this.fetchPages.fill(this.stubPage);
    this.execPage = this.stubPage;
    this.flushSoftTlb();
  }

  /** Ask the run loop to look at the machine stop flag after this instruction. */
  requestStopCheck(): void {
    this.checkStop = true;
    this.exitInner = true;
  }

  /**
   * Virtual time now: inside run(), the slice's start plus the instructions
   * retired since at the core's frequency; outside it (clock events, tests)
   * the clock's time.
   */
  nowNs(): number {
    if (!this.running) return this.clock.now;
    return this.sliceStartTime + (this.instructionCount - this.sliceStartCount) * this.nsPerInstruction;
  }

  /** True while run() executes. */
  private running = false;

  // =========================================================================
  // Run loop
  // =========================================================================

  run(budget: number): StopReason {
    if (this.poweredOffState) return StopReason.Idle;
    if (this.debugState >= DebugState.Stopped) return this.debugState === DebugState.Stopped ? StopReason.Breakpoint : StopReason.Idle;
    this.machineStop = false;
    if (this.stopRequested()) return StopReason.MachineStop;
    this.sliceStartTime = this.clock.now;
    this.sliceStartCount = this.instructionCount;
    if (this.idleState) {
      if (!interruptPending(this)) return StopReason.Idle;
      this.idleState = false;
    }
    const previous = runningCore;
    runningCore = this;
    this.running = true;
    try {
      const debugging = this.breakpoints !== null || this.watcher !== null || this.debugState === DebugState.Step;
      return this.probe.stepwise === true || debugging ? this.runTraced(budget) : this.runFast(budget);
    } finally {
      this.running = false;
      runningCore = previous;
    }
  }

  /** End-of-inner-loop housekeeping shared by both loops; returns a reason to leave run(), or -1. */
  private afterInner(): number {
    this.exitInner = false;
    if (this.hostTrapVector >= 0) {
      // An exception to Hyp mode went to the host hypervisor: the instruction that raised it
      // did not complete (the host completes it, or not), so it is not counted here.
      this.aborted = false;
      this.instructionCount--;
      return StopReason.MachineStop;
    }
    this.aborted = false;
    if (this.checkStop) {
      this.checkStop = false;
      if (this.stopRequested()) this.machineStop = true;
    }
    if (this.machineStop) return StopReason.MachineStop;
    if (this.poweredOffState || this.idleState) return StopReason.Idle;
    return -1;
  }

  /** Take a pending unmasked FIQ or IRQ (B1.8.6), physical or virtual (Exceptions.takePendingInterrupt). */
  private takeInterrupts(): void {
    if (this.irqLevel || this.fiqLevel || this.virqLevel || this.vfiqLevel || (this.sys.hcr & 0x1c0) !== 0) takePendingInterrupt(this);
    this.exitInner = false;
  }

  private runFast(budget: number): StopReason {
    const r = this.r;
    const end = this.instructionCount + budget;
    let count = this.instructionCount;
    while (count < end) {
      this.takeInterrupts();
      if (this.thumb) {
        // T32 goes through the JIT when there is one (it runs the installed T32 interpreter's handlers).
        count += this.jit !== null && thumbExecutor !== null ? this.jit.runThumb(end - count) : this.runThumb(end - count);
        this.instructionCount = count;
        const why = this.afterInner();
        if (why >= 0) return why;
        continue;
      }
      if (this.jit !== null) {
        count += this.jit.run(end - count);
        this.instructionCount = count;
        const why = this.afterInner();
        if (why >= 0) return why;
        continue;
      }
      let pc = this.nextPc;
      const page = this.fetchPageFor(pc);
      if (page === null) {
        // Prefetch Abort taken; continue at the vector. The abort counts as
        // one step so that a core caught in a loop of aborts (vectors not
        // mapped) still uses up its budget instead of hanging run().
        this.instructionCount = ++count;
        const why = this.afterInner();
        if (why >= 0) return why;
        continue;
      }
      this.execPage = page;
      const words = page.words;
      const handlers = page.handlers;
      const pageVa = pc & ~0xfff;
      do {
        const slot = (pc >>> 2) & 1023;
        const insn = words[slot];
        r[15] = pc + 8;
        this.nextPc = (pc + 4) | 0;
        const cond = insn >>> 28;
        if (cond >= 14 || this.conditionPassed(cond)) handlers[slot](this, insn);
        pc = this.nextPc;
        this.instructionCount = ++count;
      } while (count < end && !this.exitInner && (pc & ~0xfff) === pageVa);
      const why = this.afterInner();
      if (why >= 0) return why;
    }
    return StopReason.Budget;
  }

  /**
   * The same loop one instruction at a time, with a call to the probe before
   * each instruction; also the debugger's loop (breakpoints, watchpoints,
   * single step), so that they cost nothing while none is set.
   */
  private runTraced(budget: number): StopReason {
    const r = this.r;
    const end = this.instructionCount + budget;
    while (this.instructionCount < end) {
      const stepping = this.debugState === DebugState.Step;
      // As QEMU's gdb stub by default: a single step takes no interrupt, so
      // stepping never lands in a handler the program did not branch to.
      if (stepping) this.exitInner = false;
      else this.takeInterrupts();
      const startPc = this.nextPc;
      if (!stepping && this.breakpoints !== null && this.breakpoints.has(startPc >>> 0)) {
        this.debugState = DebugState.Stopped;
        return StopReason.Breakpoint;
      }
      const startCount = this.instructionCount;
      const startIt = this.it;
      if (this.thumb) {
        this.instructionCount = startCount + this.runThumb(1);
      } else {
        const pc = startPc;
        const page = this.fetchPageFor(pc);
        if (page === null) this.instructionCount++; // as in runFast
        else {
          this.execPage = page;
          const slot = (pc >>> 2) & 1023;
          const insn = page.words[slot];
          if (this.probe.traceInstructions) this.probe.instruction(pc >>> 0, insn >>> 0, false);
          r[15] = pc + 8;
          this.nextPc = (pc + 4) | 0;
          const cond = insn >>> 28;
          if (cond >= 14 || this.conditionPassed(cond)) page.handlers[slot](this, insn);
          this.instructionCount++;
        }
      }
      if (this.watchHit) {
        // A watchpoint refused an access: the instruction is abandoned with
        // nothing written back (as on a Data Abort) and runs again on resume.
        this.watchHit = false;
        this.nextPc = startPc;
        this.it = startIt;
        this.instructionCount = startCount;
        this.afterInner();
        this.debugState = DebugState.Stopped;
        return StopReason.Breakpoint;
      }
      const why = this.afterInner();
      if (stepping) {
        this.debugState = DebugState.Stopped;
        return why === StopReason.MachineStop ? why : StopReason.Breakpoint;
      }
      if (why >= 0) return why;
    }
    return StopReason.Budget;
  }

  // =========================================================================
  // Debugger support (Cpu's optional members, used by the gdb stub)
  // =========================================================================

  /** Virtual addresses to stop at, or null; checked only in runTraced. */
  private breakpoints: ReadonlySet<number> | null = null;
  /** Sees data accesses while set; all of them then take the slow path (updateTlbBases). */
  private watcher: DataWatcher | null = null;
  private debugState = DebugState.Running;
  /** The watcher refused an access of the current instruction. */
  private watchHit = false;

  setBreakpoints(addresses: ReadonlySet<number> | null): void {
    this.breakpoints = addresses !== null && addresses.size > 0 ? addresses : null;
    this.exitInner = true;
  }

  setWatcher(watcher: DataWatcher | null): void {
    this.watcher = watcher;
    this.updateTlbBases();
  }

  /** True while a debugger holds the core ('hold'): it looks idle but is not waiting for an interrupt. */
  get debugHeld(): boolean {
    return this.debugState === DebugState.Held;
  }

  debugResume(mode: DebugResumeMode): void {
    this.debugState = mode === 'step' ? DebugState.Step : mode === 'hold' ? DebugState.Held : DebugState.Running;
    this.exitInner = true;
  }

  /** Called by the slow data paths before an access; true when a watchpoint stops it. */
  private watched(va: number, size: number, write: boolean): boolean {
    if (!this.watcher!.access(va >>> 0, size, write)) return false;
    this.watchHit = true;
    this.aborted = true;
    this.exitInner = true;
    return true;
  }

  private runThumb(budget: number): number {
    if (thumbExecutor !== null) return thumbExecutor.run(this, budget);
    // No T32 support installed: every Thumb instruction is UNDEFINED to us.
    this.r[15] = this.nextPc + 4;
    const at = this.nextPc;
    this.nextPc = (at + 2) | 0;
    takeUndefined(this, 0);
    return 1;
  }

  // =========================================================================
  // Instruction fetch and the decoded-page cache
  // =========================================================================

  /** The decoded page holding `pc`, or null after taking a Prefetch Abort. */
  fetchPageFor(pc: number): DecodedPage<A32Handler> | null {
    const vpn = pc >>> 12;
    const i = this.fetchBase + (vpn & SOFT_MASK);
    if (this.fetchTag[i] === vpn) {
      const page = this.fetchPages[i];
      if (page.valid || this.validatePage(page)) return page;
      return null;
    }
    return this.fetchPageSlow(pc, i);
  }

  private fetchPageSlow(pc: number, slot: number): DecodedPage<A32Handler> | null {
    const pa = this.translate(pc, Access.Fetch, this.privilegeLevel);
    if (pa < 0) {
      takePrefetchAbort(this, pc, pc, this.fault);
      return null;
    }
    const pageAddress = pa - (pa % 4096);
    let page = this.decodedPages.get(pageAddress);
    if (page === undefined) {
      const region = this.bus.regionAt(pa);
      if (region === null) {
        this.fault.set(FaultKind.External, 1, 0);
        takePrefetchAbort(this, pc, pc, this.fault);
        return null;
      }
      page = new DecodedPage<A32Handler>(pageAddress, region, decodeStub);
      if (region.kind === 'mmio') this.mmioCodeDevices.add(region.device);
      this.decodedPages.set(pageAddress, page);
    }
    if (!page.valid && !this.validatePage(page)) return null;
    this.fetchTag[slot] = pc >>> 12;
    this.fetchPages[slot] = page;
    this.bankFilled[this.softBank] = 1;
    this.noteMappingSize(pc);
    return page;
  }

  /** Devices some code page was read from (a write to one invalidates its pages). */
  private readonly mmioCodeDevices = new Set<unknown>();

  /** Read a page's words from memory and mark it as code. False after a Prefetch Abort. */
  private validatePage(page: DecodedPage<A32Handler>): boolean {
    const region = page.region;
    if (region !== null) {
      const offset = page.address - region.base;
      const views = this.viewsOf(region);
      if (views !== null) page.words.set(views.words.subarray(offset >>> 2, (offset >>> 2) + 1024));
      else {
        const b = region.bytes;
        for (let i = 0, o = offset; i < 1024; i++, o += 4) page.words[i] = b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
      }
      const index = offset / 4096;
      if (region.codePages[index] === 0) {
        region.codePages[index] = 1;
        // Stores to this page must now take the slow path, on every core.
        for (const core of this.peers()) core.flushWriteContexts();
      }
    } else {
      this.busFault = false;
      for (let i = 0; i < 1024; i++) page.words[i] = this.bus.read32(page.address + i * 4);
      if (this.busFault) {
        this.busFault = false;
        this.fault.set(FaultKind.External, 1, 0);
        takePrefetchAbort(this, this.nextPc, this.nextPc, this.fault);
        return false;
      }
    }
    page.handlers.fill(decodeStub);
    page.valid = true;
    return true;
  }

  /** Bus callback: a page flagged in codePages was written. */
  private codePageWritten(pageAddr: number): void {
    const page = this.decodedPages.get(pageAddr);
    const region = this.bus.memoryAt(pageAddr);
    if (region !== null) region.codePages[Math.floor((pageAddr - region.base) / 4096)] = 0;
    if (page === undefined) return;
    page.invalidate();
    if (page === this.execPage) this.exitInner = true;
  }

  /**
   * The bus map changed: regions may have moved, so forget every page and
   * translation cached from it. When only the page at `pageAddr` changed
   * (a guest page got host memory or lost write access), its region and
   * contents are the same: its array views and the soft TLB go.
   */
  private memoryMapChanged(pageAddr?: number): void {
    if (pageAddr !== undefined) {
      const region = this.bus.memoryAt(pageAddr);
      if (region !== null) this.regionViews.delete(region);
      this.flushSoftTlb();
      return;
    }
    for (const [address, page] of this.decodedPages) {
      if (this.bus.regionAt(address) === page.source) continue;
      page.invalidate();
      this.decodedPages.delete(address);
    }
    this.regionViews.clear();
    // fetchPages need no reset: every fetch tag is emptied, and an entry is read only under its tag.
    this.flushSoftTlb();
  }

  /** A write reached MMIO device `device`: forget code read from its windows. */
  private mmioWritten(device: unknown): void {
    if (!this.mmioCodeDevices.has(device)) return;
    for (const page of this.decodedPages.values()) {
      const source = page.source;
      if (source !== null && source.kind === 'mmio' && source.device === device) {
        page.invalidate();
        if (page === this.execPage) this.exitInner = true;
      }
    }
  }

  /** Word/halfword views of a region, or null when its bytes are not 4-byte aligned in their buffer (then it stays on the slow path). */
  private viewsOf(region: MemoryRegion): RegionViews | null {
    let v = this.regionViews.get(region);
    if (v === undefined) {
      const b = region.bytes;
      if (b.byteOffset % 4 !== 0 || !this.bus.littleEndian) return null;
      v = {
        bytes: b,
        halves: new Uint16Array(b.buffer, b.byteOffset, b.byteLength >>> 1),
        words: new Int32Array(b.buffer, b.byteOffset, b.byteLength >>> 2),
      };
      this.regionViews.set(region, v);
    }
    return v;
  }

  // =========================================================================
  // Soft TLB management
  // =========================================================================

  protected override modeChanged(): void {
    this.updateTlbBases();
  }

  /** Select the soft-TLB contexts for the current mode and data endianness. */
  updateTlbBases(): void {
    const pl = this.mode === ArmMode.Hyp ? 2 : this.mode === ArmMode.Usr ? 0 : 1;
    this.privilegeLevel = pl;
    const bank = this.softBank;
    this.fetchBase = bank * FETCH_BANK + pl * SOFT_SIZE;
    // While a debugger watches memory, or a trace records it, every data access takes the slow path.
    if (this.endianBig || !this.bus.littleEndian || (this.watcher !== null && this.watcher !== undefined) || this.probe.traceData === true) {
      this.readBase = this.writeBase = bank * DATA_BANK + SLOW_CONTEXT * SOFT_SIZE;
    } else {
      this.readBase = bank * DATA_BANK + 2 * pl * SOFT_SIZE;
      this.writeBase = bank * DATA_BANK + (2 * pl + 1) * SOFT_SIZE;
    }
    this.hypTraps = this.hypTrapsSet && pl < 2 && this.mode !== ArmMode.Mon;
    this.exitInner = true;
  }

  /** HCR, HSTR, HCPTR or CNTHCTL changed: recompute whether instructions check for traps to Hyp mode. */
  hypTrapConfigChanged(): void {
    this.hypTrapsSet = hypTrapsConfigured(this);
    this.updateTlbBases();
  }

  /** Called by exception entry (mode, endianness and PC changed). */
  exceptionTaken(): void {
    this.updateTlbBases();
    this.exitInner = true;
  }

  /**
   * Drop every cached translation of the soft TLB, in every bank (TLB
   * maintenance, MMU control changes, reset, restore). The banks forget their
   * address spaces; the current one is that of the registers now.
   */
  flushSoftTlb(): void {
    for (let b = 0; b < SOFT_BANKS; b++) {
      this.emptyBank(b);
      this.bankKeyed[b] = 0;
    }
    this.keyBank(this.softBank);
    this.softBlocks.fill(0);
    this.softBlocksUnknown = false;
    this.exitInner = true;
  }

  /**
   * TLBIMVA/TLBIMVAA of `va` (B4.2.2): drop the soft-TLB entries of that page,
   * in every bank and context. An entry made from a larger mapping holding `va`
   * could be cached for another page of it, so then everything goes.
   */
  flushSoftTlbPage(va: number): void {
    const vpn = va >>> 12;
    if (this.softBlocksUnknown || this.softBlocks[vpn >>> 8] !== 0) {
      this.flushSoftTlb();
      return;
    }
    this.dropSoftPage(vpn);
    this.softPageFlushes++;
    this.exitInner = true;
  }

  /**
   * Drop the soft-TLB entries of virtual page `vpn` in every bank and context:
   * a TLBIMVA, or the TLB replacing its entry for that page (the soft TLB holds
   * only translations the TLB holds, so that a restored snapshot, whose TLB is
   * saved and soft TLB empty, walks exactly as often as the saving run).
   */
  private dropSoftPage(vpn: number): void {
    // Compiled code reads the tag arrays at every access and link, so nothing else needs to know.
    const slot = vpn & SOFT_MASK;
    for (let b = 0; b < SOFT_BANKS; b++) {
      if (this.bankFilled[b] === 0) continue;
      for (let c = 0; c < DATA_CONTEXTS; c++) {
        const i = b * DATA_BANK + c * SOFT_SIZE + slot;
        if (this.dataTag[i] === vpn) this.dataTag[i] = -1;
      }
      for (let pl = 0; pl < 3; pl++) {
        const i = b * FETCH_BANK + pl * SOFT_SIZE + slot;
        if (this.fetchTag[i] === vpn) this.fetchTag[i] = -1;
      }
    }
  }

  /**
   * TLBIASID (B4.2.2): only the bank of that ASID holds its entries (a bank is
   * filled only while its ASID is current), so only that bank is emptied.
   */
  flushSoftTlbAsid(asid: number): void {
    for (let b = 0; b < SOFT_BANKS; b++) {
      if (this.bankKeyed[b] !== 0 && this.bankAsid[b] === asid) this.emptyBank(b);
    }
    this.exitInner = true;
  }

  /**
   * The translation of the 4 KiB page at `va` changed and nothing else did
   * (a shadow MMU resynced one entry): drop that page in every bank.
   */
  forgetSoftTlbPage(va: number): void {
    this.dropSoftPage(va >>> 12);
    this.softPageFlushes++;
    this.exitInner = true;
  }

  /** A soft-TLB entry for `va` was made from the last translation: remember a mapping larger than a page. */
  private noteMappingSize(va: number): void {
    const shift = this.mmu.lastBlockShift;
    if (shift <= 12) return;
    if (shift >= 32) {
      this.softBlocksUnknown = true;
      return;
    }
    // 64 KiB large pages mark their 1 MiB; sections, supersections and blocks every 1 MiB they cover.
    const granules = shift <= 20 ? 1 : 1 << (shift - 20);
    const first = (va >>> 20) & ~(granules - 1);
    this.softBlocks.fill(1, first, first + granules);
  }

  /** Bank `b` now caches the translations of the current ASID. */
  private keyBank(b: number): void {
    this.bankAsid[b] = this.sys.asid;
    this.bankKeyed[b] = 1;
    this.bankUsed[b] = ++this.bankClock;
  }

  private emptyBank(b: number): void {
    if (this.bankFilled[b] === 0) return;
    this.dataTag.fill(-1, b * DATA_BANK, (b + 1) * DATA_BANK);
    this.fetchTag.fill(-1, b * FETCH_BANK, (b + 1) * FETCH_BANK);
    this.bankFilled[b] = 0;
  }

  private flushWriteContexts(): void {
    for (let b = 0; b < SOFT_BANKS; b++) {
      if (this.bankFilled[b] === 0) continue;
      for (let pl = 0; pl < 3; pl++) this.dataTag.fill(-1, b * DATA_BANK + (2 * pl + 1) * SOFT_SIZE, b * DATA_BANK + (2 * pl + 2) * SOFT_SIZE);
    }
  }

  /** Everything the MMU configuration (SCTLR, TTBCR, TTBRs, DACR, ASID) can change. */
  translationChanged(flushTlb: boolean): void {
    if (flushTlb) this.tlb.invalidateAll();
    this.flushSoftTlb();
  }

  /**
   * TTBR0 or CONTEXTIDR was written (a context switch): continue in the
   * soft-TLB bank of the ASID now current, still filled when it ran recently,
   * else in an empty or the least recently used bank, emptied. As in the TLB,
   * a new TTBR0 under the same ASID changes nothing cached (software must
   * invalidate the ASID when it gives it other tables, B3.10.1).
   */
  addressSpaceChanged(): void {
    const asid = this.sys.asid;
    if (this.bankKeyed[this.softBank] !== 0 && this.bankAsid[this.softBank] === asid) return;
    let bank = -1;
    for (let b = 0; b < SOFT_BANKS; b++) {
      if (this.bankKeyed[b] !== 0 && this.bankAsid[b] === asid) {
        bank = b;
        break;
      }
    }
    if (bank < 0) {
      // A bank with no address space, else the least recently used one.
      bank = 0;
      for (let b = 1; b < SOFT_BANKS; b++) {
        if (this.bankKeyed[b] < this.bankKeyed[bank] || (this.bankKeyed[b] === this.bankKeyed[bank] && this.bankUsed[b] < this.bankUsed[bank])) bank = b;
      }
      this.emptyBank(bank);
      this.keyBank(bank);
    } else {
      if (this.bankFilled[bank] !== 0) this.softBankHits++;
      this.bankUsed[bank] = ++this.bankClock;
    }
    if (bank !== this.softBank) {
      this.softBank = bank;
      this.updateTlbBases();
    }
    this.exitInner = true;
  }

  private fillData(va: number, pa: number, write: boolean, pl: number): void {
    if (this.endianBig || !this.bus.littleEndian) return;
    const region = this.bus.memoryAt(pa);
    if (region === null) return;
    const pageAddress = pa - (pa % 4096);
    const offset = pageAddress - region.base;
    if (offset + 4096 > region.size) return;
    if (write && (region.kind !== 'ram' || region.codePages[offset / 4096] !== 0)) return;
    const views = this.viewsOf(region);
    if (views === null) return;
    const i = this.softBank * DATA_BANK + (2 * pl + (write ? 1 : 0)) * SOFT_SIZE + ((va >>> 12) & SOFT_MASK);
    this.bankFilled[this.softBank] = 1;
    this.noteMappingSize(va);
    this.dataTag[i] = va >>> 12;
    this.dataOffset[i] = offset;
    this.dataBytes[i] = views.bytes;
    this.dataHalves[i] = views.halves;
    this.dataWords[i] = views.words;
  }

  // =========================================================================
  // Address translation (B3): returns a physical address or -1 with `fault` set
  // =========================================================================

  /** DescriptorMemory: physical reads for table walks. */
  readDescriptor32(pa: number): number {
    this.busFault = false;
    const v = this.bus.read32(pa);
    if (this.busFault) {
      this.busFault = false;
      this.walkAborted = true;
    }
    return v;
  }

  /**
   * Translate `va` for an access of kind `access` at privilege `pl`, checking
   * permissions (both stages and the Hyp regime: mmu/AddressTranslation.ts).
   * Faults are not taken here (ATS1C* use this too).
   */
  translate(va: number, access: number, pl: number): number {
    return this.mmu.translate(va, access, pl);
  }

  /** Memory attributes of the last successful `translate` that walked or hit the TLB (for PAR). */
  attributesOf(va: number): number {
    return this.mmu.attributesOf(va, this.privilegeLevel);
  }

  // =========================================================================
  // Data accesses. Fast path: soft TLB hit, aligned, little-endian RAM.
  // On a fault the Data Abort is taken, `aborted` is set and 0 is returned;
  // the calling handler must then return without writing back.
  // =========================================================================

  read32(va: number): number {
    const vpn = va >>> 12;
    const i = this.readBase + (vpn & SOFT_MASK);
    if (this.dataTag[i] === vpn && (va & 3) === 0) return this.dataWords[i][(this.dataOffset[i] + (va & 0xfff)) >>> 2];
    return this.readSlow(va, 4, this.privilegeLevel, false);
  }

  read16(va: number): number {
    const vpn = va >>> 12;
    const i = this.readBase + (vpn & SOFT_MASK);
    if (this.dataTag[i] === vpn && (va & 1) === 0) return this.dataHalves[i][(this.dataOffset[i] + (va & 0xfff)) >>> 1];
    return this.readSlow(va, 2, this.privilegeLevel, false);
  }

  read8(va: number): number {
    const vpn = va >>> 12;
    const i = this.readBase + (vpn & SOFT_MASK);
    if (this.dataTag[i] === vpn) return this.dataBytes[i][this.dataOffset[i] + (va & 0xfff)];
    return this.readSlow(va, 1, this.privilegeLevel, false);
  }

  write32(va: number, value: number): void {
    const vpn = va >>> 12;
    const i = this.writeBase + (vpn & SOFT_MASK);
    if (this.dataTag[i] === vpn && (va & 3) === 0) {
      this.dataWords[i][(this.dataOffset[i] + (va & 0xfff)) >>> 2] = value;
      return;
    }
    this.writeSlow(va, 4, value, this.privilegeLevel, false);
  }

  write16(va: number, value: number): void {
    const vpn = va >>> 12;
    const i = this.writeBase + (vpn & SOFT_MASK);
    if (this.dataTag[i] === vpn && (va & 1) === 0) {
      this.dataHalves[i][(this.dataOffset[i] + (va & 0xfff)) >>> 1] = value;
      return;
    }
    this.writeSlow(va, 2, value, this.privilegeLevel, false);
  }

  write8(va: number, value: number): void {
    const vpn = va >>> 12;
    const i = this.writeBase + (vpn & SOFT_MASK);
    if (this.dataTag[i] === vpn) {
      this.dataBytes[i][this.dataOffset[i] + (va & 0xfff)] = value;
      return;
    }
    this.writeSlow(va, 1, value, this.privilegeLevel, false);
  }

  /** Word access that must be aligned whatever SCTLR.A says (LDM/STM, LDRD/STRD, LDREX, SRS/RFE, VLDR…). */
  read32Aligned(va: number): number {
    if ((va & 3) !== 0) return this.alignmentFault(va, false);
    return this.read32(va);
  }

  write32Aligned(va: number, value: number): void {
    if ((va & 3) !== 0) {
      this.alignmentFault(va, true);
      return;
    }
    this.write32(va, value);
  }

  /** Halfword access that must be aligned (LDREXH/STREXH). */
  read16Aligned(va: number): number {
    if ((va & 1) !== 0) return this.alignmentFault(va, false);
    return this.read16(va);
  }

  write16Aligned(va: number, value: number): void {
    if ((va & 1) !== 0) {
      this.alignmentFault(va, true);
      return;
    }
    this.write16(va, value);
  }

  /** Accesses made as if from User mode (LDRT, STRT and friends). */
  readUnprivileged(va: number, size: number): number {
    return this.readSlow(va, size, this.privilegeLevel === 2 ? 2 : 0, false);
  }

  writeUnprivileged(va: number, size: number, value: number): void {
    this.writeSlow(va, size, value, this.privilegeLevel === 2 ? 2 : 0, false);
  }

  /** The control register whose A bit checks alignment: HSCTLR in Hyp mode, else SCTLR. */
  private alignmentControl(): number {
    return this.privilegeLevel === 2 ? this.sys.hsctlr : this.sys.sctlr;
  }

  /**
   * A host hypervisor turned this device access into an exit it must answer
   * first: abandon the instruction as a stage 2 abort would (it goes to the
   * host, which runs the instruction again once the exit is answered).
   */
  private abandonAccess(va: number, pa: number, write: boolean): number {
    this.fault.setStage2(FaultKind.External, 1, pa, false);
    takeDataAbort(this, va, this.fault, write);
    return 0;
  }

  /** Take the Alignment fault Data Abort for an access at `va` (DFAR = va). Returns 0 for reads. */
  alignmentFault(va: number, write: boolean): number {
    this.fault.set(FaultKind.Alignment, 1, 0);
    takeDataAbort(this, va, this.fault, write);
    return 0;
  }

  /** Slow read: alignment, translation, permission, then RAM, ROM or device. */
  readSlow(va: number, size: number, pl: number, nested: boolean): number {
    if (this.watcher !== null && !nested && this.watched(va, size, false)) return 0;
    if ((va & (size - 1)) !== 0) {
      if ((this.alignmentControl() & Sctlr.A) !== 0) return this.alignmentFault(va, false);
      // Unaligned LDR/LDRH (A3.2.1): byte by byte, each byte translated.
      let v = 0;
      for (let k = 0; k < size; k++) {
        const b = this.readSlow((va + k) | 0, 1, pl, true);
        if (this.aborted) return 0;
        v |= b << (this.endianBig ? (size - 1 - k) * 8 : k * 8);
      }
      return size === 2 ? v & 0xffff : v;
    }
    const pa = this.translate(va, Access.Read, pl);
    if (pa < 0) {
      takeDataAbort(this, va, this.fault, false);
      return 0;
    }
    let v: number;
    const region = this.bus.memoryAt(pa);
    if (region !== null) {
      const off = pa - region.base;
      const bytes = region.bytes;
      if (size === 4) v = bytes[off] | (bytes[off + 1] << 8) | (bytes[off + 2] << 16) | (bytes[off + 3] << 24);
      else if (size === 2) v = bytes[off] | (bytes[off + 1] << 8);
      else v = bytes[off];
      if (!this.bus.littleEndian) v = swapBytes(v, size);
      if (!nested) this.fillData(va, pa, false, pl);
      if (this.probe.traceData) this.probe.dataAccess!(va >>> 0, pa, size, v >>> 0, false);
    } else {
      this.busFault = false;
      v = size === 4 ? this.bus.read32(pa) | 0 : size === 2 ? this.bus.read16(pa) : this.bus.read8(pa);
      this.requestStopCheck();
      if (this.hostHypervisor?.accessExited?.() === true) return this.abandonAccess(va, pa, false);
      if (this.busFault) {
        this.busFault = false;
        this.fault.set(FaultKind.External, 1, 0);
        takeDataAbort(this, va, this.fault, false);
        return 0;
      }
      if (this.probe.traceData) this.probe.dataAccess!(va >>> 0, pa, size, v >>> 0, false);
    }
    // CPSR.E: big-endian data (A3.3); the bus value is in its own byte order.
    if (this.endianBig && size > 1 && !nested) v = swapBytes(v, size);
    return v;
  }

  writeSlow(va: number, size: number, value: number, pl: number, nested: boolean): void {
    if (this.watcher !== null && !nested && this.watched(va, size, true)) return;
    if ((va & (size - 1)) !== 0) {
      if ((this.alignmentControl() & Sctlr.A) !== 0) {
        this.alignmentFault(va, true);
        return;
      }
      for (let k = 0; k < size; k++) {
        const shift = this.endianBig ? (size - 1 - k) * 8 : k * 8;
        this.writeSlow((va + k) | 0, 1, (value >>> shift) & 0xff, pl, true);
        if (this.aborted) return;
      }
      return;
    }
    const pa = this.translate(va, Access.Write, pl);
    if (pa < 0) {
      takeDataAbort(this, va, this.fault, true);
      return;
    }
    if (this.endianBig && size > 1 && !nested) value = swapBytes(value, size);
    const region = this.bus.memoryAt(pa);
    if (region !== null && region.kind === 'ram') {
      if (!this.bus.littleEndian) value = swapBytes(value, size);
      const off = pa - region.base;
      const bytes = region.bytes;
      bytes[off] = value;
      if (size >= 2) bytes[off + 1] = value >>> 8;
      if (size === 4) {
        bytes[off + 2] = value >>> 16;
        bytes[off + 3] = value >>> 24;
      }
      const page = Math.floor(off / 4096);
      if (region.codePages[page] !== 0) this.bus.codeWritten(region.base + page * 4096);
      if (!nested) this.fillData(va, pa, true, pl);
      this.clearForeignMonitors(pa);
      if (this.probe.traceData) this.probe.dataAccess!(va >>> 0, pa, size, size === 4 ? value >>> 0 : value & ((1 << (8 * size)) - 1), true);
      return;
    }
    // Devices, and ROM: the bus ignores ROM writes or hands them to a ROM-write
    // hook (NOR flash in read-array mode takes its commands that way).
    this.busFault = false;
    if (size === 4) this.bus.write32(pa, value >>> 0);
    else if (size === 2) this.bus.write16(pa, value & 0xffff);
    else this.bus.write8(pa, value & 0xff);
    this.requestStopCheck();
    if (this.hostHypervisor?.accessExited?.() === true) {
      this.abandonAccess(va, pa, true);
      return;
    }
    const mmio = this.bus.regionAt(pa);
    if (mmio !== null && mmio.kind === 'mmio') {
      for (const core of this.peers()) core.mmioWritten(mmio.device);
    }
    if (this.busFault) {
      this.busFault = false;
      this.fault.set(FaultKind.External, 1, 0);
      takeDataAbort(this, va, this.fault, true);
      return;
    }
    if (this.probe.traceData) this.probe.dataAccess!(va >>> 0, pa, size, size === 4 ? value >>> 0 : value & ((1 << (8 * size)) - 1), true);
  }

  /** Physical reads for debuggers and tests (no side effects on the TLB). */
  debugTranslate(va: number): number {
    return this.translate(va, Access.Read, this.privilegeLevel);
  }

  // --- exclusive monitors (A3.4) -----------------------------------------

  /** Slow-path stores clear other cores' reservations of the same granule (fast-path stores are covered by STREX comparing values). */
  private clearForeignMonitors(pa: number): void {
    const peers = coresOnBus.get(this.bus);
    if (peers === undefined || peers.length < 2) return;
    const granule = pa - (pa % 8);
    for (const core of peers) {
      if (core !== this && core.exclusiveAddress >= 0 && core.exclusiveAddress - (core.exclusiveAddress % 8) === granule) {
        core.exclusiveAddress = -1;
      }
    }
  }

  // =========================================================================
  // Helpers for handlers: PC writes (A2.3.1) and CPSR writes
  // =========================================================================

  /** BranchWritePC in A32: word-aligned target, state unchanged. */
  branchTo(target: number): void {
    this.nextPc = target & ~3;
  }

  /** BXWritePC: bit 0 selects Thumb (interworking); also LoadWritePC and ALUWritePC in A32 (ARMv7). */
  branchExchange(target: number): void {
    if ((target & 1) !== 0) {
      this.thumb = 1;
      this.nextPc = target & ~1;
      this.exitInner = true;
    } else {
      if (this.thumb) {
        this.thumb = 0;
        this.exitInner = true;
      }
      // Bit 1 set with bit 0 clear is UNPREDICTABLE; we align.
      this.nextPc = target & ~3;
    }
  }

  /**
   * Exception return (SUBS PC, LR / LDM ^ / RFE / ERET): CPSR from `spsr`
   * then branch. A return to Thumb state aligns to 2, to ARM state to 4.
   */
  exceptionReturn(target: number, spsr: number): void {
    this.writeCpsrExceptionReturn(spsr);
    this.nextPc = this.thumb ? target & ~1 : target & ~3;
    this.exitInner = true;
  }

  /** CPSR write of an exception return: all fields, mode subject to the rules of B1.3.3 / B9.1.1. */
  writeCpsrExceptionReturn(spsr: number): void {
    const mode = spsr & Psr.M;
    if (!this.isModeAllowed(mode)) spsr = (spsr & ~Psr.M) | this.mode;
    this.setCpsrBits(spsr);
    this.updateTlbBases();
    this.exitInner = true;
  }

  /** Whether a mode encoding exists on this core and may be entered from the current mode. */
  isModeAllowed(mode: number): boolean {
    switch (mode) {
      case ArmMode.Usr:
      case ArmMode.Fiq:
      case ArmMode.Irq:
      case ArmMode.Svc:
      case ArmMode.Abt:
      case ArmMode.Und:
      case ArmMode.Sys:
        return true;
      case ArmMode.Mon:
        return this.security;
      case ArmMode.Hyp:
        return this.virtualization && (this.mode === ArmMode.Hyp || this.mode === ArmMode.Mon);
      default:
        return false;
    }
  }

  /**
   * MSR CPSR / CPS: write the fields selected by `mask` (bit 3 = flags
   * f[31:24], bit 2 = s[23:16], bit 1 = x[15:8], bit 0 = c[7:0]) as
   * CPSRWriteByInstr (B1.3.3): at PL0 only N,Z,C,V,Q and GE change; the
   * execution state bits (IT, J, T) are never written by MSR.
   */
  writeCpsrByInstruction(value: number, mask: number): void {
    if ((mask & 8) !== 0) {
      this.n = (value >>> 31) & 1;
      this.z = (value >>> 30) & 1;
      this.c = (value >>> 29) & 1;
      this.v = (value >>> 28) & 1;
      this.q = (value >>> 27) & 1;
    }
    if ((mask & 4) !== 0) this.ge = (value >>> 16) & 0xf;
    if (!this.privileged) return;
    if ((mask & 2) !== 0) {
      this.endianBig = (value >>> 9) & 1;
      this.masks = (this.masks & ~Psr.A) | (value & Psr.A);
    }
    if ((mask & 1) !== 0) {
      this.masks = (this.masks & ~(Psr.I | Psr.F)) | (value & (Psr.I | Psr.F));
      const mode = value & Psr.M;
      if (mode !== this.mode && this.isModeAllowed(mode) && !(mode === ArmMode.Hyp && this.mode !== ArmMode.Hyp)) {
        this.switchMode(mode);
      }
    }
    this.updateTlbBases();
    this.exitInner = true;
  }

  /** Take the Undefined Instruction exception for `insn` (the handler of every unallocated encoding). */
  undefinedInstruction(insn: number): void {
    takeUndefined(this, insn);
  }

  describe(): string {
    return `${this.name} pc=${(this.nextPc >>> 0).toString(16)} ${modeName(this.mode)} cpsr=${this.cpsr.toString(16)}`;
  }
}

/** Decode-on-first-use: replace this slot's handler by the decoded one and run it. */
function decodeStub(cpu: ArmCpu, insn: number): void {
  const handler = decodeA32(insn);
  const slot = ((cpu.r[15] - 8) >>> 2) & 1023;
  cpu.execPage.handlers[slot] = handler;
  handler(cpu, insn);
}

function swapBytes(v: number, size: number): number {
  if (size === 2) return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
  if (size === 4) return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | ((v >>> 24) & 0xff);
  return v;
}

const REGISTER_NAMES: readonly string[] = [
  'r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc', 'cpsr',
];

function registerIndex(name: string): number {
  switch (name) {
    case 'sp': case 'r13': return 13;
    case 'lr': case 'r14': return 14;
    case 'pc': case 'r15': return 15;
    case 'fp': return 11;
    case 'ip': return 12;
    case 'sb': return 9;
    case 'sl': return 10;
  }
  const m = /^r(\d|1[0-2])$/.exec(name);
  return m ? Number(m[1]) : -1;
}
