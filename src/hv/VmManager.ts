import type { Scheduler } from '../machine/Scheduler.ts';
import { checkNice, niceToWeight } from './NiceWeight.ts';
import { VcpuThread, type VcpuThreadOwner } from './VcpuThread.ts';
import type { Vmm } from './Vmm.ts';

/** Life of a VM under the manager, as `ps` would show a process. */
export type VmState = 'running' | 'paused' | 'powered-off' | 'faulted' | 'killed';

/** One line of the status listing (`info vms`). */
export interface VmStatus {
  readonly name: string;
  readonly state: VmState;
  readonly nice: number;
  readonly vcpus: number;
  /** vCPUs halted waiting for an interrupt. */
  readonly halted: number;
  /** Bytes of host memory its pages use (touched pages). */
  readonly memoryTouched: number;
  /** Guest instructions retired, all vCPUs. */
  readonly instructions: number;
  /** Exits that reached the VMM, by reason. */
  readonly exits: Readonly<Record<string, number>>;
  /** Why it stopped, for powered-off, faulted and killed VMs. */
  readonly report?: string;
}

/** The manager in a snapshot. */
export interface VmManagerSnapshot {
  readonly nextLane: number;
  readonly reports: readonly VmReport[];
  readonly processes: ReadonlyArray<{
    readonly name: string;
    readonly state: VmState;
    readonly report: string | null;
    readonly nice: number;
    readonly destroyWhenIdle: boolean;
    readonly threads: readonly unknown[];
  }>;
}

/** A VM that stopped: reported once, in order. */
export interface VmReport {
  readonly vm: string;
  readonly state: VmState;
  readonly message: string;
  /** Virtual time of the report (ns). */
  readonly atNs: number;
}

export interface VmManagerOptions {
  /** Physical cores to spread vCPUs over: scheduler lanes 0 … lanes − 1, shared with the host's cores (default 1). */
  readonly lanes?: number;
  /** Instructions per second of a vCPU (default 1e9, as a host core). */
  readonly frequencyHz?: number;
  /**
   * A vCPU that runs this many instructions without a single exit (no I/O, no
   * HLT, no hypercall) is a runaway: its VM is stopped and reported. Default: no limit.
   */
  readonly watchdogInstructions?: number;
}

export interface StartOptions {
  /** −20 … 19 (default: the VM spec's nice). */
  readonly nice?: number;
  /** Lane of each vCPU, by vCPU id (pinning); default: vCPUs are dealt over the lanes in start order. */
  readonly lanes?: readonly number[];
}

/** What the manager needs of the machine: its scheduler and a clock for report times. */
export interface ManagedMachine {
  readonly scheduler: Scheduler;
  readonly clock: { readonly now: number };
  readonly stopFlag: Int32Array;
}

class VmProcess implements VcpuThreadOwner {
  state: VmState = 'running';
  report: string | undefined;
  /** Killed while one of its vCPUs was in guest mode: free the memory once it leaves. */
  destroyWhenIdle = false;
  readonly threads: VcpuThread[] = [];

  constructor(
    readonly vmm: Vmm,
    public nice: number,
    private readonly manager: VmManager,
    readonly watchdogInstructions: number,
  ) {}

  get active(): boolean {
    return this.state === 'running';
  }

  poweredOff(thread: VcpuThread): void {
    this.manager.stopProcess(this, 'powered-off', `${thread.vcpu.vm.name}: powered off (exit code ${this.vmm.exitCode})`);
  }

  fault(_thread: VcpuThread, message: string): void {
    this.manager.stopProcess(this, 'faulted', message);
  }

  leftGuest(): void {
    if (this.destroyWhenIdle && this.vmm.vm.runningVcpu === null) {
      this.destroyWhenIdle = false;
      this.vmm.vm.destroy();
    }
  }
}

/**
 * VMs managed like processes: each vCPU is a thread on the machine's
 * scheduler (a Cpu on a lane, weighted by the VM's nice level), so vCPUs of
 * every VM and the host's own cores share the physical cores in instruction
 * quanta. pause/resume/kill/nice act on a VM by name; a VM whose guest faults
 * or runs away is stopped and reported while the host and the other VMs go on.
 */
export class VmManager {
  private readonly processes = new Map<string, VmProcess>();
  private readonly reportList: VmReport[] = [];
  private readonly listeners: Array<(report: VmReport) => void> = [];
  private readonly lanes: number;
  private readonly frequencyHz: number;
  private readonly watchdog: number;
  private nextLane = 0;

  constructor(
    private readonly machine: ManagedMachine,
    options: VmManagerOptions = {},
  ) {
    this.lanes = options.lanes ?? 1;
    if (!Number.isInteger(this.lanes) || this.lanes < 1) throw new RangeError(`lanes must be a positive integer, got ${String(options.lanes)}`);
    this.frequencyHz = options.frequencyHz ?? 1e9;
    this.watchdog = options.watchdogInstructions ?? Infinity;
    if (!(this.watchdog > 0)) throw new RangeError(`watchdogInstructions must be positive, got ${String(options.watchdogInstructions)}`);
  }

  /** Put a built VM (its VMM) on the scheduler; it starts running at once. */
  start(vmm: Vmm, options: StartOptions = {}): void {
    const name = vmm.vm.name;
    if (this.processes.has(name)) throw new Error(`a VM named "${name}" is already managed`);
    const nice = options.nice ?? vmm.spec.nice;
    const weight = niceToWeight(nice);
    const proc = new VmProcess(vmm, nice, this, this.watchdog);
    for (const vcpu of vmm.vm.vcpus) {
      const lane = options.lanes?.[vcpu.id] ?? this.nextLane++ % this.lanes;
      const thread = new VcpuThread(vcpu, vmm, proc, this.machine.stopFlag);
      this.machine.scheduler.add(thread, { frequencyHz: this.frequencyHz, weight, lane });
      proc.threads.push(thread);
    }
    this.processes.set(name, proc);
  }

  /** Stop scheduling the VM's vCPUs; resume() goes on exactly where it was. */
  pause(name: string): void {
    const proc = this.process(name);
    if (proc.state !== 'running') throw new Error(`VM "${name}" is ${proc.state}, not running`);
    proc.state = 'paused';
    for (const t of proc.threads) t.vcpu.kick();
  }

  resume(name: string): void {
    const proc = this.process(name);
    if (proc.state !== 'paused') throw new Error(`VM "${name}" is ${proc.state}, not paused`);
    proc.state = 'running';
  }

  /** Stop the VM for good and give its memory back; the other VMs go on. */
  kill(name: string): void {
    const proc = this.process(name);
    if (proc.state === 'killed') return;
    this.stopProcess(proc, 'killed', `${name}: killed`);
    // Host pages go back to the pool only once no vCPU of the VM is in guest mode (a device callback may kill it mid-run).
    if (proc.vmm.vm.runningVcpu === null) proc.vmm.vm.destroy();
    else proc.destroyWhenIdle = true;
  }

  /** Change the VM's nice level (−20 … 19): its vCPUs' scheduler weight. */
  nice(name: string, nice: number): void {
    checkNice(nice);
    const proc = this.process(name);
    proc.nice = nice;
    for (const t of proc.threads) this.machine.scheduler.setWeight(t, niceToWeight(nice));
  }

  state(name: string): VmState {
    return this.process(name).state;
  }

  /** One line per VM, in start order. */
  status(): VmStatus[] {
    return [...this.processes.values()].map((p) => {
      const vm = p.vmm.vm;
      return {
        name: vm.name,
        state: p.state,
        nice: p.nice,
        vcpus: vm.vcpus.length,
        halted: vm.vcpus.filter((v) => v.halted && !v.runnable).length,
        memoryTouched: vm.destroyed ? 0 : vm.memoryTouched,
        instructions: p.threads.reduce((n, t) => n + t.retired, 0),
        exits: vm.exitsByReason(),
        ...(p.report !== undefined ? { report: p.report } : {}),
      };
    });
  }

  /** Reports of stopped VMs so far, oldest first. */
  get reports(): readonly VmReport[] {
    return this.reportList;
  }

  onReport(listener: (report: VmReport) => void): void {
    this.listeners.push(listener);
  }

  /** States, nice levels, reports and thread counts of the managed VMs (the VMs themselves are saved by their VMMs). */
  snapshot(): VmManagerSnapshot {
    return {
      nextLane: this.nextLane,
      reports: this.reportList.map((r) => ({ ...r })),
      processes: [...this.processes.values()].map((p) => ({
        name: p.vmm.vm.name, state: p.state, report: p.report ?? null, nice: p.nice, destroyWhenIdle: p.destroyWhenIdle,
        threads: p.threads.map((t) => t.snapshot()),
      })),
    };
  }

  /** Put back a snapshot of the same VMs (restore the VMMs first: a killed VM is destroyed by its VMM's restore). */
  restore(s: VmManagerSnapshot): void {
    const names = [...this.processes.keys()].join(', ');
    if (s.processes.map((p) => p.name).join(', ') !== names) throw new Error(`the snapshot manages VMs ${s.processes.map((p) => p.name).join(', ')}, this board ${names}`);
    for (const saved of s.processes) {
      const p = this.processes.get(saved.name)!;
      p.state = saved.state;
      p.report = saved.report ?? undefined;
      p.nice = saved.nice;
      p.destroyWhenIdle = saved.destroyWhenIdle;
      if (saved.threads.length !== p.threads.length) throw new Error(`VM "${saved.name}": the snapshot has ${saved.threads.length} vCPU threads, the VM ${p.threads.length}`);
      p.threads.forEach((t, i) => t.restore(saved.threads[i]));
    }
    this.reportList.length = 0;
    this.reportList.push(...s.reports);
    this.nextLane = s.nextLane;
  }

  /** @internal A VM stops running (its threads see it at their next check). */
  stopProcess(proc: VmProcess, state: VmState, message: string): void {
    if (proc.state === 'killed') return;
    if ((proc.state === 'faulted' || proc.state === 'powered-off') && state !== 'killed') return;
    proc.state = state;
    proc.report = message;
    for (const t of proc.threads) t.vcpu.kick();
    const report: VmReport = { vm: proc.vmm.vm.name, state, message, atNs: this.machine.clock.now };
    this.reportList.push(report);
    for (const l of this.listeners) l(report);
  }

  private process(name: string): VmProcess {
    const p = this.processes.get(name);
    if (p === undefined) throw new Error(`no VM named "${name}" (VMs: ${[...this.processes.keys()].join(', ') || 'none'})`);
    return p;
  }
}
