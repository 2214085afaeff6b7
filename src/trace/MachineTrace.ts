import type { BuiltMachine } from '../board/MachineBuilder.ts';
import { ExitKind } from '../hv/ExitKind.ts';
import type { Vcpu } from '../hv/Vcpu.ts';
import type { VcpuExit } from '../hv/VcpuExit.ts';
import type { IrqLine, IrqSink } from '../machine/IrqLine.ts';
import type { AccessWidth, MmioDevice } from '../machine/MmioDevice.ts';
import { traceStamp, type TraceKind } from '../machine/Trace.ts';
import { tracedDevice } from './DeviceAccessTrace.ts';
import { describeExit, exitDetails, exitKindName } from './ExitDescription.ts';
import { interruptStep, SPURIOUS_INTID } from './InterruptAcknowledge.ts';
import { InstantTrack, TimelineTrack } from './Timeline.ts';
import { TraceContexts, type TraceContext } from './TraceContexts.ts';
import type { TraceEventFile } from './TraceEventFile.ts';

export interface MachineTraceOptions {
  /** Text kinds (`--trace`); lines go to `sink`. */
  readonly kinds: ReadonlySet<TraceKind>;
  readonly sink?: (line: string) => void;
  /** The timeline (`--trace-out FILE.json`): which context ran when, exits and interrupts. */
  readonly timeline?: TraceEventFile;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
const sized = (v: number, size: number) => `0x${(v >>> 0).toString(16).padStart(2 * size, '0')}`;

/** pid of the board's own process in the timeline; VMs follow in board order. */
const HOST_PID = 1;
/** Track of interrupt lines changing while no core runs (clock events). */
const INTERRUPT_TID = 999;

/**
 * Everything `run --trace`/`--trace-out` attach to a built machine, and only
 * what they asked for: probes on the cores (the core model's attachTrace),
 * device windows interposed on the buses, interrupt lines interposed before
 * their controller, exit observers on the vCPUs, the scheduler's slice
 * observer. Nothing of it exists in a run without tracing.
 */
export class MachineTrace {
  private readonly contexts: TraceContexts;
  private readonly laneTracks = new Map<number, TimelineTrack>();
  private readonly vcpuTracks = new Map<Vcpu, TimelineTrack>();
  private readonly interruptTrack: InstantTrack | undefined;
  private readonly text: ((line: string) => void) | undefined;
  private readonly timeline: TraceEventFile | undefined;
  private closed = false;

  constructor(private readonly built: BuiltMachine, options: MachineTraceOptions) {
    const kinds = options.kinds;
    this.text = options.sink;
    this.timeline = options.timeline;
    const machine = built.machine;
    this.contexts = new TraceContexts(built);
    const wants = (k: TraceKind) => this.text !== undefined && kinds.has(k);

    if (this.timeline !== undefined) {
      this.meta('process_name', HOST_PID, 0, built.board.name);
      this.meta('process_sort_index', HOST_PID, 0, 0);
      this.meta('thread_name', HOST_PID, INTERRUPT_TID, 'interrupt lines');
      this.interruptTrack = new InstantTrack(this.timeline, HOST_PID, INTERRUPT_TID);
      built.vms?.vmms.forEach((vmm, k) => {
        const pid = HOST_PID + 1 + k;
        this.meta('process_name', pid, 0, `VM ${vmm.vm.name}`);
        this.meta('process_sort_index', pid, 0, 1 + k);
        for (const vcpu of vmm.vm.vcpus) {
          const tid = 1000 * (k + 1) + vcpu.id;
          this.meta('thread_name', pid, tid, `vcpu${vcpu.id}`);
          this.vcpuTracks.set(vcpu, new TimelineTrack(this.timeline!, pid, tid));
        }
      });
      machine.scheduler.onSlice = (cpu, lane, start, end) => {
        const ctx = this.contexts.of(cpu);
        const name = ctx?.name ?? cpu.name;
        this.laneTrack(lane).slice(name, start, end);
        if (ctx?.vcpu !== undefined) this.vcpuTracks.get(ctx.vcpu)?.slice('running', start, end);
      };
    }

    // Cores: the kinds they report themselves; with only a timeline, an empty set (no slow loop) for the exceptions.
    const coreKinds: ReadonlySet<TraceKind> = this.text !== undefined ? kinds : new Set();
    const now = () => machine.clock.now;
    for (const ctx of this.contexts.all) {
      built.coreModel?.attachTrace?.(ctx.core, {
        kinds: coreKinds,
        sink: this.text ?? (() => {}),
        symbolize: ctx.symbolize,
        name: ctx.name,
        now,
        ...(this.timeline !== undefined
          ? { onException: (kind: string, fromPc: number) => {
              if (kind === 'irq' || kind === 'fiq') this.trackOf(ctx)?.instant(`${kind} taken`, now(), { pc: hex(fromPc) });
            } }
          : {}),
      });
    }

    if (wants('mmio') || wants('irq') || this.timeline !== undefined) {
      const wrap = (device: MmioDevice) => tracedDevice(device, (d, offset, width, write, value, register) =>
        this.deviceAccess(d, offset, width, write, value, register, wants('mmio'), wants('irq')));
      machine.bus.interposeMmio(wrap);
      // A VM's devices: those its VMM serves on MMIO exits, and the in-kernel ones (its irqchip).
      for (const vmm of built.vms?.vmms ?? []) {
        vmm.deviceBus.interposeMmio(wrap);
        vmm.vm.bus.interposeMmio(wrap);
      }
    }

    if (wants('irq') || this.timeline !== undefined) {
      for (const line of built.irqLines ?? []) line.interpose((sink) => this.tracedSink(line, sink, wants('irq')));
    }

    if (wants('exit') || this.timeline !== undefined) {
      const textExits = wants('exit');
      for (const vmm of built.vms?.vmms ?? []) {
        for (const vcpu of vmm.vm.vcpus) vcpu.exitObserver = (v, exit) => this.exit(v, exit, textExits);
      }
    }
  }

  /** Write what the tracks still hold and end the timeline file (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timeline === undefined) return;
    for (const t of this.laneTracks.values()) t.finish();
    for (const t of this.vcpuTracks.values()) t.finish();
    this.timeline.close({ board: this.built.board.name, clock: 'virtual time (ts and dur in microseconds)' });
  }

  private stamp(): string {
    return traceStamp(this.built.machine.clock.now);
  }

  private pcField(ctx: TraceContext | undefined): string {
    if (ctx === undefined) return '';
    const pc = this.contexts.instructionAddress(ctx);
    const s = ctx.symbolize?.(pc);
    return s ? ` pc=${hex(pc)} <${s}>` : ` pc=${hex(pc)}`;
  }

  private deviceAccess(device: MmioDevice, offset: number, width: AccessWidth, write: boolean, value: number, register: string | undefined, mmio: boolean, irq: boolean): void {
    const ctx = this.contexts.current();
    const who = ctx?.name ?? 'machine';
    if (mmio) {
      const reg = register !== undefined ? ` reg=${register}` : '';
      this.text!(`[${who}] ${this.stamp()} mmio ${write ? 'write' : 'read'} ${device.name} offset=${hex(offset)}${reg} size=${width} value=${sized(value, width)}${this.pcField(ctx)}`);
    }
    const step = interruptStep(register, write, value);
    if (step === undefined) return;
    const spurious = step.intid === SPURIOUS_INTID;
    if (irq) this.text!(`[${who}] ${this.stamp()} irq ${step.step} intid=${step.intid}${spurious ? ' (spurious)' : ''} ${device.name}${this.pcField(ctx)}`);
    if (this.timeline !== undefined && ctx !== undefined && !spurious) {
      this.trackOf(ctx)?.instant(`${step.step} INTID ${step.intid}`, this.built.machine.clock.now, { intid: step.intid, controller: device.name });
    }
  }

  private tracedSink(line: IrqLine, sink: IrqSink, text: boolean): IrqSink {
    return {
      setIrqLevel: (input, level) => {
        const ctx = this.contexts.current();
        if (text) this.text!(`[${ctx?.name ?? 'machine'}] ${this.stamp()} irq line input=${input} ${level ? 'raised' : 'lowered'} (${line.name})`);
        if (this.timeline !== undefined) {
          const name = `line ${input} ${level ? 'raised' : 'lowered'}`;
          const args = { input, line: line.name };
          const track = ctx !== undefined ? this.trackOf(ctx) : undefined;
          if (track !== undefined) track.instant(name, this.built.machine.clock.now, args);
          else this.interruptTrack?.instant(name, this.built.machine.clock.now, args);
        }
        sink.setIrqLevel(input, level);
      },
    };
  }

  private exit(vcpu: Vcpu, exit: VcpuExit, text: boolean): void {
    // The guest's pc is that of the instruction that exited (an MMIO access is abandoned and run again).
    if (text) this.text!(`[${vcpu.name}] ${this.stamp()} exit ${describeExit(exit)}${this.pcField(this.contexts.ofVcpu(vcpu))}`);
    // KVM_EXIT_INTR is the end of a slice, which the timeline shows already.
    if (this.timeline !== undefined && exit.kind !== ExitKind.Intr) {
      this.vcpuTracks.get(vcpu)?.instant(`exit ${exitKindName(exit)}`, this.built.machine.clock.now, exitDetails(exit));
    }
  }

  /** The timeline track of a context: its vCPU's, or the lane a host core runs on. */
  private trackOf(ctx: TraceContext): TimelineTrack | InstantTrack | undefined {
    if (this.timeline === undefined) return undefined;
    if (ctx.vcpu !== undefined) return this.vcpuTracks.get(ctx.vcpu);
    const scheduler = this.built.machine.scheduler;
    const cpu = scheduler.currentCpu;
    return cpu === null ? this.interruptTrack : this.laneTrack(scheduler.laneOf(cpu));
  }

  private laneTrack(lane: number): TimelineTrack {
    let t = this.laneTracks.get(lane);
    if (t === undefined) {
      const tid = lane + 1;
      this.meta('thread_name', HOST_PID, tid, `core ${lane}`);
      this.meta('thread_sort_index', HOST_PID, tid, lane);
      t = new TimelineTrack(this.timeline!, HOST_PID, tid);
      this.laneTracks.set(lane, t);
    }
    return t;
  }

  private meta(name: string, pid: number, tid: number, value: string | number): void {
    const args: Record<string, string | number> = typeof value === 'string' ? { name: value } : { sort_index: value };
    this.timeline!.write({ name, ph: 'M', pid, tid, args });
  }
}
