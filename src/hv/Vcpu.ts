import { EXIT_KIND_COUNT, ExitKind, InternalErrorKind } from './ExitKind.ts';
import type { GuestCpu, GuestCpuFactory } from './GuestCpu.ts';
import type { MmioExitPort } from './GuestPhysicalBus.ts';
import { MmioReplayLog } from './MmioReplayLog.ts';
import { VcpuExit } from './VcpuExit.ts';
import type { Vm } from './Vm.ts';

const hex = (n: number) => `0x${n.toString(16)}`;

/** A vCPU between runs: its core, halt/power state, exit counts and an instruction being replayed after an MMIO exit. */
export interface VcpuSnapshot {
  readonly guest: unknown;
  readonly halted: boolean;
  readonly poweredOff: boolean;
  readonly readRequested: boolean;
  readonly exitCounts: Float64Array;
  readonly replay: {
    readonly address: Float64Array; readonly size: Uint8Array; readonly isWrite: Uint8Array; readonly value: Uint32Array;
    readonly length: number; readonly cursor: number; readonly retiredAt: number;
  };
}

/** What an in-kernel hypercall handler did with a HYPERCALL exit. */
export type HypercallDisposition = 'resume' | 'exit';

/**
 * Hypercalls the kernel answers itself, before the VMM sees them (KVM handles
 * PSCI in-kernel on ARM and turns SYSTEM_OFF into a SYSTEM_EVENT exit). Return
 * 'resume' after completing the call (vcpu.completeHypercall) to keep the vCPU
 * running; return 'exit' to let the exit (possibly rewritten) reach the VMM.
 */
export interface InKernelHypercalls {
  handle(vcpu: Vcpu, exit: VcpuExit): HypercallDisposition;
}

/**
 * One virtual CPU (KVM_CREATE_VCPU). `run(budget)` enters the guest and
 * returns its exit object — the same object every time — after at most
 * `budget` instructions; the VMM handles the exit and calls run again.
 */
export class Vcpu implements MmioExitPort {
  readonly exit = new VcpuExit();
  /** Exits by ExitKind, for this vCPU (the VM keeps the sum). */
  readonly exitCounts = new Float64Array(EXIT_KIND_COUNT);
  /** Shared with the core: non-zero = return from runGuest (see GuestCpuContext.exitRequest). */
  readonly exitRequest = new Int32Array(1);
  readonly guest: GuestCpu;
  /** Set by an HLT exit; cleared by the next run. */
  halted = false;
  /**
   * Powered off (KVM_MP_STATE_STOPPED): the scheduler leaves it alone until
   * something powers it on (the ISA's in-kernel PSCI CPU_ON, or the VMM).
   */
  poweredOff = false;

  /** Told of every exit as run() returns it (an `exit` trace); null when nobody traces. */
  exitObserver: ((vcpu: Vcpu, exit: VcpuExit) => void) | null = null;

  private readonly replay = new MmioReplayLog();
  private readRequested = false;
  private running = false;

  constructor(
    readonly vm: Vm,
    readonly id: number,
    factory: GuestCpuFactory,
    stopFlag: Int32Array,
  ) {
    this.guest = factory({
      vmName: vm.name,
      vcpuId: id,
      bus: vm.bus,
      exitRequest: this.exitRequest,
      stopFlag,
      paging: vm.paging,
      shadow: vm.shadow,
      counters: vm.pagingCounters,
    });
  }

  get name(): string {
    return `${this.vm.name}/vcpu${this.id}`;
  }

  /** Instructions the guest retired on this vCPU. */
  get retired(): number {
    return this.guest.retired;
  }

  /** True while an MMIO read exit waits for completeMmioRead. */
  get mmioReadPending(): boolean {
    return this.readRequested;
  }

  /** Whether the scheduler should run this vCPU: not halted, or halted with an interrupt to take. */
  get runnable(): boolean {
    if (this.poweredOff) return false;
    return !this.halted || this.vm.irqChip.hasPendingInterrupt(this.id);
  }

  /** KVM_RUN. Throws only on misuse (an MMIO read not completed, a destroyed VM, a run from inside a run). */
  run(budget: number): VcpuExit {
    if (this.readRequested) {
      throw new Error(`${this.name}: the MMIO read at ${hex(this.exit.mmio.address)} was not completed; call completeMmioRead(value) before run()`);
    }
    if (this.vm.destroyed) throw new Error(`${this.name}: the VM was destroyed`);
    if (this.running) throw new Error(`${this.name}: run() called while it runs`);
    const exit = this.exit;
    const guest = this.guest;
    const vm = this.vm;
    exit.kind = ExitKind.None;
    this.halted = false;
    if (vm.systemEvent !== 0) return this.finish(this.systemEventExit());
    const failure = guest.enterGuest();
    if (failure !== 0) {
      exit.kind = ExitKind.FailEntry;
      exit.failEntry.hardwareEntryFailureReason = failure;
      return this.finish(exit);
    }
    this.replay.rewind();
    this.exitRequest[0] = 0;
    vm.irqChip.flushToVcpu?.(this.id, guest);
    this.running = true;
    vm.enterVcpu(this);
    try {
      let left = budget;
      for (;;) {
        const before = guest.retired;
        guest.runGuest(left, exit);
        left -= guest.retired - before;
        if ((exit.kind as ExitKind) !== ExitKind.Hypercall || vm.hypercalls === null) break;
        if (vm.hypercalls.handle(this, exit) !== 'resume') break;
        vm.inKernelExitCounts[ExitKind.Hypercall]++;
        exit.kind = ExitKind.None;
        if (left <= 0 || this.exitRequest[0] !== 0 || vm.stopFlag[0] !== 0) break;
      }
    } finally {
      vm.leaveVcpu(this);
      this.running = false;
      guest.leaveGuest();
      vm.irqChip.syncFromVcpu?.(this.id, guest);
    }
    if ((exit.kind as ExitKind) === ExitKind.None) {
      exit.kind = ExitKind.Intr;
      if (vm.systemEvent !== 0) this.systemEventExit();
    }
    if ((exit.kind as ExitKind) === ExitKind.Hlt) this.halted = true;
    return this.finish(exit);
  }

  /** Complete the pending MMIO read exit with the value the device returned (KVM: run->mmio.data). */
  completeMmioRead(value: number): void {
    if (!this.readRequested) throw new Error(`${this.name}: completeMmioRead without a pending MMIO read exit`);
    const v = value >>> 0;
    this.replay.value[this.replay.length - 1] = v;
    this.exit.mmio.data = v;
    this.readRequested = false;
  }

  /** Give the guest the result of the HYPERCALL exit it made (KVM: run->hypercall.ret). */
  completeHypercall(result: number): void {
    this.exit.hypercall.ret = result >>> 0;
    this.guest.completeHypercall(result >>> 0);
  }

  /** Make a running vCPU return from run() soon (KVM: a signal to the vCPU thread). */
  kick(): void {
    this.exitRequest[0] = 1;
  }

  /** Back to the state after creation: architectural reset, no pending MMIO. */
  reset(): void {
    this.replay.clear();
    this.readRequested = false;
    this.halted = false;
    this.guest.reset();
  }

  // ---- snapshots (taken between runs) ------------------------------------------------------------------

  snapshot(): VcpuSnapshot {
    if (this.running) throw new Error(`${this.name}: cannot snapshot a vCPU inside run()`);
    if (this.guest.snapshot === undefined) throw new Error(`${this.name}: its ${this.guest.isa} core cannot be saved in a snapshot`);
    const r = this.replay;
    return {
      guest: this.guest.snapshot() as never,
      halted: this.halted,
      poweredOff: this.poweredOff,
      readRequested: this.readRequested,
      exitCounts: this.exitCounts.slice(),
      replay: {
        address: r.address.slice(), size: r.size.slice(), isWrite: r.isWrite.slice(), value: r.value.slice(),
        length: r.length, cursor: r.cursor, retiredAt: r.retiredAt,
      },
    };
  }

  restore(s: VcpuSnapshot): void {
    this.guest.restore!(s.guest);
    this.halted = s.halted;
    this.poweredOff = s.poweredOff;
    this.readRequested = s.readRequested;
    this.exitCounts.set(s.exitCounts);
    const r = this.replay;
    r.address.set(s.replay.address);
    r.size.set(s.replay.size);
    r.isWrite.set(s.replay.isWrite);
    r.value.set(s.replay.value);
    r.length = s.replay.length;
    r.cursor = s.replay.cursor;
    r.retiredAt = s.replay.retiredAt;
    this.exitRequest[0] = 0;
  }

  // ---- the exit port: bus accesses nothing else claimed ----------------------------------------------

  mmioAccess(gpa: number, width: 1 | 2 | 4, isWrite: boolean, value: number): number {
    const exit = this.exit;
    // Once an exit is recorded the core abandons the instruction; later accesses are made again on replay.
    if (this.exitRequest[0] !== 0) return 0;
    const log = this.replay;
    if (log.length > 0 && this.guest.retired !== log.retiredAt) log.clear();
    if (log.cursor < log.length) {
      if (!log.matches(gpa, width, isWrite, value)) {
        exit.setInternalError(
          InternalErrorKind.Emulation, this.guest.getPc(), 0,
          'the instruction made different MMIO accesses when executed again after an MMIO exit',
        );
        this.exitRequest[0] = 1;
        log.clear();
        return 0;
      }
      const i = log.cursor++;
      return isWrite ? 0 : log.value[i];
    }
    if (log.full) {
      exit.setInternalError(InternalErrorKind.Emulation, this.guest.getPc(), 0, 'too many MMIO accesses in one instruction');
      this.exitRequest[0] = 1;
      log.clear();
      return 0;
    }
    log.record(gpa, width, isWrite, value, this.guest.retired);
    exit.kind = ExitKind.Mmio;
    exit.mmio.address = gpa;
    exit.mmio.size = width;
    exit.mmio.isWrite = isWrite;
    exit.mmio.data = isWrite ? value : 0;
    this.readRequested = !isWrite;
    this.exitRequest[0] = 1;
    return 0;
  }

  // ---- registers (KVM_GET_REGS / KVM_SET_REGS / KVM_GET_ONE_REG) ---------------------------------------

  getPc(): number {
    return this.guest.getPc();
  }
  setPc(value: number): void {
    this.guest.setPc(value);
  }
  getRegister(name: string): number {
    return this.guest.getRegister(name);
  }
  setRegister(name: string, value: number): void {
    this.guest.setRegister(name, value);
  }
  registerNames(): readonly string[] {
    return this.guest.registerNames();
  }

  private systemEventExit(): VcpuExit {
    this.exit.kind = ExitKind.SystemEvent;
    this.exit.systemEvent.type = this.vm.systemEvent as 1 | 2;
    return this.exit;
  }

  private finish(exit: VcpuExit): VcpuExit {
    this.exitCounts[exit.kind]++;
    this.vm.exitCounts[exit.kind]++;
    if (this.exitObserver !== null) this.exitObserver(this, exit);
    return exit;
  }
}
