import type { Cpu, DataWatcher, DebugResumeMode } from '../machine/Cpu.ts';
import type { PhysicalBus } from '../machine/PhysicalBus.ts';
import { bytesToWord, wordToHex } from './HexEncoding.ts';
import type { TargetDescription } from './TargetDescription.ts';

/** gdb's watchpoint kinds: Z2 write, Z3 read, Z4 access (read or write). */
export type WatchKind = 'write' | 'read' | 'access';

/** Why a core stopped, as the stop reply tells gdb. */
export type StopCause =
  | { readonly kind: 'step' }
  | { readonly kind: 'breakpoint'; readonly hardware: boolean }
  | { readonly kind: 'watch'; readonly watch: WatchKind; readonly address: number }
  /** Ctrl-C from gdb, or the stop when gdb attaches. */
  | { readonly kind: 'interrupt' }
  /** The board cannot go on by itself (all cores idle, nothing scheduled). */
  | { readonly kind: 'deadlock' };

interface Watchpoint {
  readonly kind: WatchKind;
  readonly start: number;
  readonly end: number;
}

const PAGE = 4096;

/**
 * The machine as the gdb stub sees it: cores (gdb's threads), their
 * registers in the target description's order, memory through each core's
 * address translation, breakpoints and watchpoints, and how the cores go on
 * after a stop.
 *
 * Breakpoints are never written into memory: every core gets the set of
 * addresses and compares its PC before each instruction (Cpu.setBreakpoints).
 * Watchpoints: this object is the cores' DataWatcher; a core that has one
 * sends every data access through its slow path and asks `access` first, so
 * a hit stops the core before the access happens, as gdb expects on ARM
 * (it then steps over the instruction itself and compares values).
 */
export class MachineDebugTarget implements DataWatcher {
  private readonly software = new Set<number>();
  private readonly hardware = new Set<number>();
  /** Union of both, handed to the cores (they read it, never copy it). */
  private readonly breakpoints = new Set<number>();
  private readonly watchpoints: Watchpoint[] = [];
  /** The last access a watchpoint stopped (kind and address as gdb wants them). */
  private hitKind: WatchKind | null = null;
  private hitAddress = 0;
  /** Cores resumed with 'step' by gdb. */
  private readonly stepping = new Set<Cpu>();
  /** Cores stepping over a breakpoint at their PC before they continue. */
  private readonly steppingOver = new Set<Cpu>();
  /** PC of each core when the last stop was reported. */
  private readonly stoppedAt = new Map<Cpu, number>();

  constructor(
    readonly cpus: readonly Cpu[],
    readonly bus: PhysicalBus,
    readonly description: TargetDescription,
  ) {
    for (const cpu of cpus) {
      if (!cpu.setBreakpoints || !cpu.setWatcher || !cpu.debugResume) {
        throw new Error(`${cpu.name} (${cpu.isa}) has no debugger support`);
      }
    }
  }

  // --- threads ------------------------------------------------------------------------------

  /** gdb thread id of a core: its position plus one (ids 0 and -1 mean "any" and "all"). */
  threadId(cpu: Cpu): number {
    return this.cpus.indexOf(cpu) + 1;
  }

  cpuOfThread(id: number): Cpu | undefined {
    return Number.isInteger(id) && id >= 1 ? this.cpus[id - 1] : undefined;
  }

  /** What qThreadExtraInfo shows next to the thread in `info threads`: the core, and whether it is off or asleep. */
  describeThread(cpu: Cpu): string {
    const state = cpu.poweredOff ? ', powered off' : cpu.idle ? ', idle (waiting for an interrupt)' : '';
    return `${cpu.name} (${cpu.isa})${state}`;
  }

  // --- registers ----------------------------------------------------------------------------

  /** All registers as the `g` packet carries them. */
  readRegisters(cpu: Cpu): string {
    return this.description.registers.map((r) => wordToHex(cpu.getRegister(r.name), this.bus.littleEndian)).join('');
  }

  /** The `G` packet's data; false when its length is wrong. Written in order, cpsr last, so a mode change does not bank the values written before it. */
  writeRegisters(cpu: Cpu, data: Uint8Array): boolean {
    if (data.length !== this.description.registerBytes) return false;
    this.description.registers.forEach((r, i) => cpu.setRegister(r.name, bytesToWord(data, 4 * i, this.bus.littleEndian)));
    return true;
  }

  /** Register `n` in hex, or undefined when there is no such register. */
  readRegister(cpu: Cpu, n: number): string | undefined {
    const r = this.description.registers[n];
    return r === undefined ? undefined : wordToHex(cpu.getRegister(r.name), this.bus.littleEndian);
  }

  writeRegister(cpu: Cpu, n: number, data: Uint8Array): boolean {
    const r = this.description.registers[n];
    if (r === undefined || data.length !== r.bits / 8) return false;
    cpu.setRegister(r.name, bytesToWord(data, 0, this.bus.littleEndian));
    return true;
  }

  // --- memory -------------------------------------------------------------------------------

  /**
   * Read through `cpu`'s translation. Only RAM and ROM are read (a device
   * read can have side effects, e.g. pop a UART FIFO); the answer stops
   * short at the first byte that does not translate or is not memory.
   */
  readMemory(cpu: Cpu, address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    const bus = cpu.debugBus ?? this.bus;
    for (const piece of this.memoryPieces(cpu, address, length)) {
      out.set(bus.readBytes(piece.physical, piece.length), done);
      done += piece.length;
    }
    return out.subarray(0, done);
  }

  /** Write through `cpu`'s translation, all or nothing; RAM and ROM only (as a loader writes: decoded code is dropped). */
  writeMemory(cpu: Cpu, address: number, data: Uint8Array): boolean {
    const pieces = this.memoryPieces(cpu, address, data.length);
    if (pieces.reduce((n, p) => n + p.length, 0) !== data.length) return false;
    let done = 0;
    const bus = cpu.debugBus ?? this.bus;
    for (const p of pieces) {
      bus.loadBytes(p.physical, data.subarray(done, done + p.length));
      done += p.length;
    }
    return true;
  }

  /** Physical runs of RAM/ROM covering [address, address + length), stopping at the first hole. */
  private memoryPieces(cpu: Cpu, address: number, length: number): Array<{ physical: number; length: number }> {
    const pieces: Array<{ physical: number; length: number }> = [];
    let done = 0;
    while (done < length) {
      const va = address + done;
      if (va > 0xffffffff) break;
      const pa = cpu.debugTranslate ? cpu.debugTranslate(va) : va;
      if (pa < 0) break;
      const region = (cpu.debugBus ?? this.bus).regionAt(pa);
      if (region === null || region.kind === 'mmio') break;
      const n = Math.min(length - done, PAGE - (va % PAGE), region.base + region.size - pa);
      pieces.push({ physical: pa, length: n });
      done += n;
    }
    return pieces;
  }

  // --- breakpoints and watchpoints ----------------------------------------------------------

  insertBreakpoint(address: number, hardware: boolean): void {
    (hardware ? this.hardware : this.software).add(address >>> 0);
    this.updateBreakpoints();
  }

  removeBreakpoint(address: number, hardware: boolean): void {
    (hardware ? this.hardware : this.software).delete(address >>> 0);
    this.updateBreakpoints();
  }

  private updateBreakpoints(): void {
    this.breakpoints.clear();
    for (const a of this.software) this.breakpoints.add(a);
    for (const a of this.hardware) this.breakpoints.add(a);
    for (const cpu of this.cpus) cpu.setBreakpoints!(this.breakpoints.size > 0 ? this.breakpoints : null);
  }

  insertWatchpoint(kind: WatchKind, address: number, length: number): void {
    const start = address >>> 0;
    if (!this.watchpoints.some((w) => w.kind === kind && w.start === start && w.end === start + length)) {
      this.watchpoints.push({ kind, start, end: start + length });
    }
    this.updateWatcher();
  }

  removeWatchpoint(kind: WatchKind, address: number, length: number): void {
    const start = address >>> 0;
    const i = this.watchpoints.findIndex((w) => w.kind === kind && w.start === start && w.end === start + length);
    if (i >= 0) this.watchpoints.splice(i, 1);
    this.updateWatcher();
  }

  private updateWatcher(): void {
    for (const cpu of this.cpus) cpu.setWatcher!(this.watchpoints.length > 0 ? this : null);
  }

  /** DataWatcher: true stops the access. Called for every data access while watchpoints exist, so it allocates nothing. */
  access(address: number, size: number, write: boolean): boolean {
    const list = this.watchpoints;
    for (let i = 0; i < list.length; i++) {
      const w = list[i]!;
      if (address >= w.end || address + size <= w.start) continue;
      if (w.kind === 'write' ? !write : w.kind === 'read' ? write : false) continue;
      this.hitKind = w.kind;
      // gdb matches the address against its watchpoints' ranges: report the first watched byte touched.
      this.hitAddress = Math.max(address, w.start);
      return true;
    }
    return false;
  }

  // --- run control --------------------------------------------------------------------------

  /**
   * Let the cores go on: each one as `modeOf` says. A core told to run that
   * sits on a breakpoint it stopped at first steps over it (gdb does that
   * itself, other clients expect it).
   */
  resume(modeOf: (cpu: Cpu) => DebugResumeMode): void {
    this.hitKind = null;
    this.stepping.clear();
    this.steppingOver.clear();
    for (const cpu of this.cpus) {
      let mode = modeOf(cpu);
      if (mode === 'step') this.stepping.add(cpu);
      else if (mode === 'run' && this.breakpoints.has(cpu.getPc()) && this.stoppedAt.get(cpu) === cpu.getPc()) {
        mode = 'step';
        this.steppingOver.add(cpu);
      }
      cpu.debugResume!(mode);
    }
  }

  /**
   * `cpu` made the machine stop with StopReason.Breakpoint: why. Returns
   * null when it was only the end of a step over a breakpoint; the core then
   * runs on and nothing is reported.
   */
  stopCause(cpu: Cpu): StopCause | null {
    if (this.hitKind !== null) {
      const cause: StopCause = { kind: 'watch', watch: this.hitKind, address: this.hitAddress };
      this.hitKind = null;
      this.steppingOver.delete(cpu);
      return cause;
    }
    if (this.steppingOver.delete(cpu)) {
      cpu.debugResume!('run');
      return null;
    }
    if (this.stepping.has(cpu)) return { kind: 'step' };
    const pc = cpu.getPc();
    if (this.software.has(pc)) return { kind: 'breakpoint', hardware: false };
    if (this.hardware.has(pc)) return { kind: 'breakpoint', hardware: true };
    return { kind: 'step' };
  }

  /** A stop is being reported: remember where every core is (for stepping over breakpoints on resume). */
  stopped(): void {
    this.stepping.clear();
    this.steppingOver.clear();
    for (const cpu of this.cpus) this.stoppedAt.set(cpu, cpu.getPc());
  }

  /** The debugger leaves: no breakpoints or watchpoints, every core runs. */
  release(): void {
    this.software.clear();
    this.hardware.clear();
    this.watchpoints.length = 0;
    this.updateBreakpoints();
    this.updateWatcher();
    this.resume(() => 'run');
  }
}
