import type { BuiltMachine } from '../board/MachineBuilder.ts';
import type { Cpu } from '../machine/Cpu.ts';
import { VcpuThread } from '../hv/VcpuThread.ts';
import type { Vcpu } from '../hv/Vcpu.ts';

/** One context the scheduler runs: a host core, or a vCPU of a VM. */
export interface TraceContext {
  /** Name in trace lines: "cpu0", or "vm/vcpu0" for a vCPU. */
  readonly name: string;
  /** The core executing its instructions (for a vCPU: the guest's core), for the pc of an access. */
  readonly core: Cpu;
  readonly vcpu?: Vcpu;
  /** Index of its VM in the board file, for a vCPU. */
  readonly vmIndex?: number;
  /** Symbols of the firmware it runs. */
  readonly symbolize?: (address: number) => string | undefined;
}

/**
 * The scheduler's contexts as traces name them, and which one is running:
 * device and interrupt traces happen below the cores, so they ask here
 * whose access it was.
 */
export class TraceContexts {
  private readonly byCpu = new Map<Cpu, TraceContext>();

  constructor(private readonly built: BuiltMachine) {
    const hostSymbols = built.firmware?.symbols;
    const vmms = built.vms?.vmms ?? [];
    for (const cpu of built.machine.scheduler.cpus) {
      if (cpu instanceof VcpuThread) {
        const vcpu = cpu.vcpu;
        const vmIndex = vmms.findIndex((v) => v.vm === vcpu.vm);
        const symbols = vmms[vmIndex]?.firmware?.symbols;
        // ISA-neutral: a guest core that is a Cpu itself (ARM's ArmGuestCpu.cpu) gives the exact pc.
        const inner = (vcpu.guest as { cpu?: unknown }).cpu;
        const core = isCpu(inner) ? inner : cpu;
        this.byCpu.set(cpu, { name: vcpu.name, core, vcpu, vmIndex, symbolize: symbols ? (a) => symbols.lookup(a) : undefined });
      } else {
        this.byCpu.set(cpu, { name: cpu.name, core: cpu, symbolize: hostSymbols ? (a) => hostSymbols.lookup(a) : undefined });
      }
    }
  }

  get all(): readonly TraceContext[] {
    return [...this.byCpu.values()];
  }

  of(cpu: Cpu): TraceContext | undefined {
    return this.byCpu.get(cpu);
  }

  /** The context of a vCPU. */
  ofVcpu(vcpu: Vcpu): TraceContext | undefined {
    for (const c of this.byCpu.values()) if (c.vcpu === vcpu) return c;
    return undefined;
  }

  /** The context running now, or undefined between slices (clock events). */
  current(): TraceContext | undefined {
    const cpu = this.built.machine.scheduler.currentCpu;
    return cpu === null ? undefined : this.byCpu.get(cpu);
  }

  /** The address of the instruction `context` executes now. */
  instructionAddress(context: TraceContext): number {
    return this.built.coreModel?.instructionAddress?.(context.core) ?? context.core.getPc();
  }
}

function isCpu(x: unknown): x is Cpu {
  return typeof x === 'object' && x !== null && typeof (x as Cpu).run === 'function' && typeof (x as Cpu).getPc === 'function';
}
