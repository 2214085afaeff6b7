import type { BoardSpec, VmSpec } from '../../dts/board/BoardSpec.ts';
import { InputError, type Diagnostic } from '../../dts/model/SourcePos.ts';
import { armIrqChipFor, armVmParts } from '../../cores/arm/guest/index.ts';
import { Hypervisor } from '../hv/Hypervisor.ts';
import { Vmm } from '../hv/Vmm.ts';
import { VmManager, type VmStatus } from '../hv/VmManager.ts';
import type { Isa } from '../machine/Cpu.ts';
import type { Machine } from '../machine/Machine.ts';
import type { SerialBackend } from '../machine/SerialPort.ts';

/** The guests of a board: one VMM per `<vm>`, their vCPUs on the machine's scheduler. */
export interface BuiltVms {
  readonly hypervisor: Hypervisor;
  readonly manager: VmManager;
  /** In the board file's order. */
  readonly vmms: readonly Vmm[];
}

export interface VmBuildOptions {
  /** Device logs of the guests (each line already names its VM). */
  readonly log?: (line: string) => void;
  /** Build and check only: the VMs are made (their trees checked) but not put on the scheduler. */
  readonly dryRun?: boolean;
}

/** Which ISAs tskvm can run guests of (a guest's vCPUs are cores of the host's ISA, as KVM's are). */
const GUEST_ISAS: readonly Isa[] = ['arm'];

/**
 * Turn the board's `<vm>` elements into VMs that run beside the host: each
 * becomes a Vmm (memory, devices and firmware from its own tree) whose vCPUs
 * are threads on the host machine's Scheduler through a VmManager, sharing
 * the host's core in instruction quanta. Errors are InputErrors at the `<vm>`
 * or the guest node at fault; every VM is checked before any error is thrown.
 */
export function buildVms(board: BoardSpec, machine: Machine, isa: Isa | undefined, options: VmBuildOptions = {}): BuiltVms | undefined {
  if (board.vms.length === 0) return undefined;
  const errors: Diagnostic[] = [];
  if (isa === undefined || !GUEST_ISAS.includes(isa)) {
    for (const spec of board.vms) {
      errors.push({
        severity: 'error',
        message: `VM "${spec.name}": guests need a host core with virtualization support (${GUEST_ISAS.join(', ')}); this board's cores are ${isa ?? 'not modelled'}`,
        pos: spec.pos,
      });
    }
    throw new InputError(errors);
  }
  const hypervisor = new Hypervisor();
  // vCPUs run on the host's cores (one scheduler lane each), shared with the host's own contexts.
  const hostCores = Math.max(1, machine.cpus.length);
  const manager = new VmManager(machine, { lanes: hostCores });
  for (const spec of board.vms) {
    const bad = spec.hostCpus?.find((c) => c >= hostCores);
    if (bad !== undefined) {
      errors.push({ severity: 'error', message: `VM "${spec.name}": cpus names host core ${bad}, but the board has ${hostCores} core${hostCores === 1 ? '' : 's'}`, pos: spec.hostCpusPos ?? spec.pos });
    }
  }
  const vmms: Vmm[] = [];
  for (const spec of board.vms) {
    try {
      vmms.push(createVmm(spec, hypervisor, machine, options));
    } catch (e) {
      if (e instanceof InputError) errors.push(...e.diagnostics);
      else errors.push({ severity: 'error', message: `VM "${spec.name}": ${(e as Error).message}`, pos: spec.pos });
    }
  }
  if (errors.length > 0) throw new InputError(errors);
  if (!options.dryRun) {
    for (const vmm of vmms) {
      const pins = vmm.spec.hostCpus;
      manager.start(vmm, pins === undefined ? {} : { lanes: vmm.vm.vcpus.map((_, i) => pins[i % pins.length]!) });
    }
  }
  // A VM with ends-run="true" takes the run with it when it stops.
  manager.onReport((report) => {
    const vmm = vmms.find((v) => v.vm.name === report.vm);
    if (vmm === undefined || vmm.spec.endsRun !== true) return;
    machine.requestStop(
      report.state === 'powered-off'
        ? { kind: 'poweroff', exitCode: vmm.exitCode, message: `VM ${report.vm} powered off (exit code ${vmm.exitCode}), which ends the run` }
        : { kind: 'guest-error', message: `VM ${report.message}` },
    );
  });
  return { hypervisor, manager, vmms };
}

function createVmm(spec: VmSpec, hypervisor: Hypervisor, machine: Machine, options: VmBuildOptions): Vmm {
  // A guest tree whose interrupt controller is a GIC gets the in-kernel vGIC, its vCPUs' generic
  // timers on their PPIs; a tskvm,level-irqchip tree keeps the VM's default level irqchip.
  const log = options.log;
  const { irqChip, timerIrqs } = armIrqChipFor(spec, log === undefined ? undefined : (line) => log(`${spec.name}: ${line}`));
  return new Vmm({
    hypervisor,
    spec,
    clock: machine.clock,
    stopFlag: machine.stopFlag,
    log: options.log,
    irqChip,
    ...armVmParts({ clock: machine.clock, timerIrqs }),
  });
}

/**
 * A guest console on the host's terminal: each line of the guest UART's
 * output is prefixed with `[name] ` so that several guests and the host can
 * share one stdout. `write` gets text (latin1 bytes as characters).
 */
export class PrefixedConsole implements SerialBackend {
  private atLineStart = true;
  private pending = '';

  constructor(
    private readonly prefix: string,
    private readonly write: (text: string) => void,
  ) {}

  transmit(byte: number): void {
    if (this.atLineStart) {
      this.pending += this.prefix;
      this.atLineStart = false;
    }
    // A CR-LF pair is one line end: the prefix goes before the next character after LF only.
    this.pending += String.fromCharCode(byte & 0xff);
    if (byte === 0x0a) {
      this.atLineStart = true;
      this.flush();
    }
  }

  /** Hand on what was written since the last line end (at the end of a run slice). */
  flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending;
    this.pending = '';
    this.write(text);
  }

  /** The part of a line not handed on yet, and whether the next byte starts a line (kept in snapshots by the CLI). */
  get lineState(): { readonly pending: string; readonly atLineStart: boolean } {
    return { pending: this.pending, atLineStart: this.atLineStart };
  }

  set lineState(s: { readonly pending: string; readonly atLineStart: boolean }) {
    this.pending = s.pending;
    this.atLineStart = s.atLineStart;
  }

  /** True when the last byte ended a line (the run's end need not add a newline). */
  get endsLine(): boolean {
    return this.atLineStart;
  }
}

/** Attach every guest that has a `<console>` to a prefixed console writing to `write`; returns them for flushing. */
export function attachGuestConsoles(
  vms: BuiltVms | undefined,
  write: (text: string) => void,
  /** Dresses each VM's prefix (the CLI colours it on a terminal); i is the VM's position in the board. */
  decorate: (prefix: string, i: number) => string = (prefix) => prefix,
): PrefixedConsole[] {
  const consoles: PrefixedConsole[] = [];
  for (const [i, vmm] of (vms?.vmms ?? []).entries()) {
    if (vmm.consoleDevice === null) continue;
    const c = new PrefixedConsole(decorate(`[${vmm.spec.name}] `, i), write);
    vmm.attachConsole(c);
    consoles.push(c);
  }
  return consoles;
}

/**
 * The end-of-run summary of the guests, one line each: state, instructions,
 * exits by reason and the paging counters of its mode (nested: walks and
 * references per walk; shadow: fills, syncs, zaps, write-protect faults).
 */
export function describeVms(vms: BuiltVms | undefined): string[] {
  if (vms === undefined) return [];
  const status = new Map<string, VmStatus>(vms.manager.status().map((s) => [s.name, s]));
  return vms.vmms.map((vmm) => {
    const s = status.get(vmm.vm.name);
    const state = s?.state ?? 'not started';
    const exits = Object.entries(s?.exits ?? vmm.vm.exitsByReason())
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ');
    const p = vmm.vm.pagingCounters;
    const paging =
      vmm.vm.paging === 'nested'
        ? `nested paging: ${p.walks} walks, ${p.memoryReferencesPerWalk.toFixed(2)} references/walk, ${p.stage2Faults} stage-2 faults`
        : `shadow paging: ${p.shadowFills} fills, ${p.shadowSyncs} syncs, ${p.shadowZaps} zaps, ${p.writeProtectFaults} write-protect faults`;
    const why = s?.report !== undefined ? ` (${s.report})` : '';
    return `vm ${vmm.vm.name}: ${state}${why}; ${s?.instructions ?? 0} instructions; exits: ${exits || 'none'}; ${paging}`;
  });
}
