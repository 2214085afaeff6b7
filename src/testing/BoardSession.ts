import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import { buildMachine, type BuiltMachine } from '../board/MachineBuilder.ts';
import type { Machine, RunResult } from '../machine/Machine.ts';
import type { Cpu } from '../machine/Cpu.ts';
import type { IrqLine } from '../machine/IrqLine.ts';
import type { Vmm } from '../hv/Vmm.ts';
import { loadMachineSnapshot, saveMachineSnapshot } from '../snapshot/MachineSnapshot.ts';

/** Virtual time run between two looks at the console output. Fixed, so waits are deterministic. */
const SLICE_NS = 1_000_000;

export interface WaitLimits {
  /** Give up after this much more virtual time (ns). Default 60 s. */
  readonly maxTimeNs?: number;
}

/** A wait that did not see what it expected: says what the console showed last and where the cores were. */
export class WaitError extends Error {
  constructor(
    message: string,
    readonly outputTail: string,
  ) {
    super(message);
    this.name = 'WaitError';
  }
}

/**
 * A board under test: build it from a board file, run it until its console
 * shows some text, type into the console, read what it printed. Everything
 * runs in virtual time, so a session is deterministic.
 *
 *   const s = BoardSession.open('boards/virt-arm.xml', { firmware: 'u-boot.bin' });
 *   s.waitFor('=> ');
 *   const prompt = s.snapshot();   // the whole machine, as bytes
 *   s.send('version\r');
 *   s.restore(prompt);             // back at the prompt, as if version was never typed
 *
 * Also: register/setRegister and readMemory/writeMemory/read32 (the cores and
 * physical memory), waitForPc (stop a core at an address), waitForIrq (an
 * interrupt line raised), guestOutput/sendToGuest/waitForGuest (a VM's
 * console). test/testing/board-session.test.ts shows each in use.
 */
export class BoardSession {
  private text = '';
  private consumed = 0;
  private finished: RunResult | undefined;
  /** Set when the last slice found every core idle with nothing scheduled; cleared by input. */
  private idle: RunResult | undefined;

  private outputAt = 0;
  /** The text `waitFor` is waiting for (string patterns), so that the run pauses when it appears. */
  private watching: string | null = null;
  /** The last debug stop a wait asked for (waitForPc), until it is taken. */
  private stopped: { cpu: Cpu } | undefined;
  /** Each VM's console text, by VM name. */
  private readonly guestText = new Map<string, string>();

  private constructor(readonly built: BuiltMachine) {
    built.consoleDevice?.attachBackend({
      transmit: (b) => {
        this.text += String.fromCharCode(b);
        this.outputAt = this.instructions;
        // The text a wait looks for has just appeared: stop right here (as an
        // external console would see it), not at the end of the slice.
        const w = this.watching;
        if (w !== null && this.text.length - w.length >= this.consumed && this.text.endsWith(w)) this.machine.pause();
      },
    });
    for (const vmm of built.vms?.vmms ?? []) {
      if (vmm.consoleDevice === null) continue;
      const name = vmm.vm.name;
      this.guestText.set(name, '');
      vmm.attachConsole({ transmit: (b) => this.guestText.set(name, this.guestText.get(name)! + String.fromCharCode(b)) });
    }
  }

  // --- cores, registers and memory ----------------------------------------------------------

  /** The board's cores, boot core first. */
  get cores(): readonly Cpu[] {
    return this.built.cpus;
  }

  /** A register of core `core` by its ISA name ("r0", "sp", "pc", "cpsr"…). */
  register(name: string, core = 0): number {
    return this.core(core).getRegister(name) >>> 0;
  }

  setRegister(name: string, value: number, core = 0): void {
    this.core(core).setRegister(name, value);
  }

  /** Physical memory (RAM, ROM and flash contents; other device windows read as 0 and are not touched). */
  readMemory(address: number, length: number): Uint8Array {
    return this.machine.bus.readBytes(address, length);
  }

  /** Write RAM or ROM as a loader does (code written there is decoded again). */
  writeMemory(address: number, bytes: Uint8Array): void {
    this.machine.bus.loadBytes(address, bytes);
  }

  /** A 32-bit word of physical memory in the board's byte order. */
  read32(address: number): number {
    const b = this.readMemory(address, 4);
    const v = new DataView(b.buffer, b.byteOffset, 4);
    return v.getUint32(0, this.machine.bus.littleEndian);
  }

  // --- waits on the cores and interrupt lines -----------------------------------------------

  /**
   * Run until core `core` is about to execute the instruction at virtual
   * address `address` (a breakpoint, as gdb's); the core stands there when
   * this returns, and goes on from there at the next wait.
   */
  waitForPc(address: number, limits: WaitLimits & { core?: number } = {}): void {
    const cpu = this.core(limits.core ?? 0);
    if (!cpu.setBreakpoints || !cpu.debugResume) throw new Error(`${cpu.name} cannot stop at an address (no debugger support)`);
    const at = new Set([address >>> 0]);
    cpu.setBreakpoints(at);
    const deadline = this.machine.clock.now + (limits.maxTimeNs ?? 60e9);
    try {
      for (;;) {
        const hit = this.stopped;
        if (hit !== undefined) {
          this.stopped = undefined;
          if (hit.cpu === cpu && cpu.getPc() >>> 0 === address >>> 0) return;
        }
        if (this.finished) throw this.failure(`the board stopped (${this.finished.kind}) before ${cpu.name} reached 0x${address.toString(16)}`);
        if (this.idle) throw this.failure(`the board went idle with nothing scheduled before ${cpu.name} reached 0x${address.toString(16)}`);
        if (this.machine.clock.now >= deadline) throw this.failure(`${cpu.name} did not reach 0x${address.toString(16)} within the time limit`);
        this.step(Math.min(SLICE_NS, deadline - this.machine.clock.now));
      }
    } finally {
      cpu.setBreakpoints(null);
      // The core stays at the address; the next run executes it (a debug stop is left as gdb leaves it).
      cpu.debugResume('run');
    }
  }

  /** The interrupt lines between the board's devices and their controllers, named "device -> controller:input". */
  get irqLines(): readonly IrqLine[] {
    return this.built.irqLines ?? [];
  }

  /**
   * Run until an interrupt line whose name matches `line` is raised (or is
   * already high); returns that line.
   */
  waitForIrq(line: string | RegExp, limits: WaitLimits = {}): IrqLine {
    const matching = this.irqLines.filter((l) => (typeof line === 'string' ? l.name.includes(line) : line.test(l.name)));
    if (matching.length === 0) throw new Error(`no interrupt line matches ${String(line)}; the lines are: ${this.irqLines.map((l) => l.name).join(', ')}`);
    const deadline = this.machine.clock.now + (limits.maxTimeNs ?? 60e9);
    for (;;) {
      const raised = matching.find((l) => l.level);
      if (raised !== undefined) return raised;
      if (this.finished) throw this.failure(`the board stopped (${this.finished.kind}) before ${String(line)} was raised`);
      if (this.idle) throw this.failure(`the board went idle with nothing scheduled before ${String(line)} was raised`);
      if (this.machine.clock.now >= deadline) throw this.failure(`${String(line)} was not raised within the time limit`);
      // Short slices: a line may be raised and lowered again within one.
      this.step(Math.min(SLICE_NS / 100, deadline - this.machine.clock.now));
    }
  }

  // --- guests' consoles ---------------------------------------------------------------------

  /** What VM `vm`'s console printed so far. */
  guestOutput(vm: string): string {
    const text = this.guestText.get(vm);
    if (text === undefined) throw new Error(`no VM named "${vm}" with a console (VMs: ${[...this.guestText.keys()].join(', ') || 'none'})`);
    return text;
  }

  /** Type into VM `vm`'s console (bytes are handed over as its UART can take them, between slices). */
  sendToGuest(vm: string, text: string): void {
    const vmm = this.vmm(vm);
    const bytes = [...Buffer.from(text, 'utf8')];
    for (let i = 0; i < 10_000 && bytes.length > 0; i++) {
      const uart = vmm.consoleDevice!;
      while (bytes.length > 0 && uart.canReceive()) uart.receive(bytes.shift()!);
      if (bytes.length > 0) this.step(SLICE_NS / 10);
    }
    if (bytes.length > 0) throw this.failure(`VM "${vm}"'s console did not take ${bytes.length} more byte(s)`);
  }

  /** Run until VM `vm`'s console shows `pattern`; returns its whole console text so far. */
  waitForGuest(vm: string, pattern: string | RegExp, limits: WaitLimits = {}): string {
    this.vmm(vm);
    const deadline = this.machine.clock.now + (limits.maxTimeNs ?? 60e9);
    for (;;) {
      const text = this.guestOutput(vm);
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return text;
      if (this.finished) throw this.failure(`the board stopped (${this.finished.kind}) before VM "${vm}" showed ${String(pattern)}`);
      if (this.idle) throw this.failure(`the board went idle before VM "${vm}" showed ${String(pattern)}`);
      if (this.machine.clock.now >= deadline) throw this.failure(`VM "${vm}" did not show ${String(pattern)} within the time limit`);
      this.step(Math.min(SLICE_NS, deadline - this.machine.clock.now));
    }
  }

  private vmm(name: string): Vmm {
    const vmm = this.built.vms?.vmms.find((v) => v.vm.name === name);
    if (vmm === undefined || vmm.consoleDevice === null) throw new Error(`no VM named "${name}" with a console (VMs: ${[...this.guestText.keys()].join(', ') || 'none'})`);
    return vmm;
  }

  private core(index: number): Cpu {
    const cpu = this.built.cpus[index];
    if (cpu === undefined) throw new Error(`no core ${index} (the board has ${this.built.cpus.length})`);
    return cpu;
  }

  /** Instructions retired when the console printed its latest character (as QEMU's oracle counts them). */
  get instructionsAtLastOutput(): number {
    return this.outputAt;
  }

  /** `jit: false` runs the cores' interpreters only (as `run --no-jit`); undefined: the core model's default. */
  static open(boardFile: string, options: { firmware?: string; jit?: boolean } = {}): BoardSession {
    const { board, diagnostics } = loadBoard(boardFile);
    if (!board) throw new InputError(diagnostics);
    const built = buildMachine(board, { firmwarePath: options.firmware, jit: options.jit });
    if (!built.coreModel) throw new InputError([{ severity: 'error', message: `cannot run ${boardFile}: ${built.noCore}` }]);
    return new BoardSession(built);
  }

  get machine(): Machine {
    return this.built.machine;
  }

  /** Everything the console printed so far. */
  get output(): string {
    return this.text;
  }

  /** Instructions retired by all cores. */
  get instructions(): number {
    return this.built.cpus.reduce((s, c) => s + c.retired, 0);
  }

  /** Why the machine stopped for good, once it has (power-off, guest error). */
  get result(): RunResult | undefined {
    return this.finished;
  }

  /** Queue text for the console UART; it is fed as the UART can take it. */
  send(text: string): void {
    this.machine.console.push(text);
    this.idle = undefined;
  }

  /**
   * Run until the console shows `pattern` in output printed since the last
   * wait; returns that output up to and including the match. A string
   * pattern stops the run right after the instruction that printed its last
   * character, so text sent next arrives as from a console that answers at
   * once (QEMU's oracle transcripts were recorded so); a RegExp is checked
   * between slices of 1 ms of virtual time.
   */
  waitFor(pattern: string | RegExp, limits: WaitLimits = {}): string {
    this.watching = typeof pattern === 'string' && pattern.length > 0 ? pattern : null;
    try {
      return this.waitForText(pattern, limits);
    } finally {
      this.watching = null;
    }
  }

  private waitForText(pattern: string | RegExp, limits: WaitLimits): string {
    const deadline = this.machine.clock.now + (limits.maxTimeNs ?? 60e9);
    for (;;) {
      const fresh = this.text.slice(this.consumed);
      const m = typeof pattern === 'string' ? indexMatch(fresh, pattern) : regexMatch(fresh, pattern);
      if (m !== undefined) {
        this.consumed += m;
        return fresh.slice(0, m);
      }
      if (this.finished) throw this.failure(`the board stopped (${this.finished.kind}) before the console showed ${String(pattern)}`);
      if (this.idle) throw this.failure(`the board went idle with nothing scheduled before the console showed ${String(pattern)}`);
      if (this.machine.clock.now >= deadline) throw this.failure(`the console did not show ${String(pattern)} within the time limit`);
      this.step(Math.min(SLICE_NS, deadline - this.machine.clock.now));
    }
  }

  /**
   * The whole machine (cores, memory, devices, guests, virtual time) and this
   * session's console text, as the bytes of a snapshot file (what `run
   * --snapshot-at` writes). Take it between waits; `restore` brings it back.
   */
  snapshot(): Uint8Array {
    return saveMachineSnapshot(this.built, { 'session.text': this.text, 'session.consumed': this.consumed, 'session.outputAt': this.outputAt });
  }

  /**
   * Go back to a snapshot taken of this board (by this session, another one,
   * or `run --snapshot-at`): the machine continues exactly as it did from
   * there, and the console text is what it was then. A snapshot of another
   * board, or a corrupt one, throws a SnapshotError saying so.
   */
  restore(bytes: Uint8Array): void {
    const extras = loadMachineSnapshot(this.built, bytes, 'the snapshot');
    const text = extras['session.text'];
    this.text = typeof text === 'string' ? text : '';
    const consumed = extras['session.consumed'];
    this.consumed = typeof consumed === 'number' ? consumed : this.text.length;
    const at = extras['session.outputAt'];
    this.outputAt = typeof at === 'number' ? at : 0;
    this.finished = undefined;
    this.idle = undefined;
  }

  /** Run until the machine stops for good (power-off…) or the time limit; returns why. */
  runToEnd(limits: WaitLimits = {}): RunResult {
    const deadline = this.machine.clock.now + (limits.maxTimeNs ?? 60e9);
    while (!this.finished && !this.idle && this.machine.clock.now < deadline) this.step(Math.min(SLICE_NS * 100, deadline - this.machine.clock.now));
    return this.finished ?? this.idle ?? { kind: 'limit', message: 'time limit of the wait reached' };
  }

  /** Run up to `ns` more, ending at the next multiple of SLICE_NS (so a session restored from a snapshot slices time as the saved one did). */
  private step(ns: number): void {
    const now = this.machine.clock.now;
    const r = this.machine.run({ maxTimeNs: Math.min(ns, (Math.floor(now / SLICE_NS) + 1) * SLICE_NS - now) });
    if (r.kind === 'deadlock') this.idle = r;
    else if (r.kind === 'breakpoint') this.stopped = { cpu: r.cpu };
    else if (r.kind !== 'limit') this.finished = r;
  }

  private failure(message: string): WaitError {
    const tail = this.text.slice(-600);
    const where = this.built.cpus.map((c) => `${c.name} pc=0x${c.getPc().toString(16)}`).join(', ');
    return new WaitError(`${message}; cores: ${where}; last console output:\n${tail}`, tail);
  }
}

function indexMatch(text: string, needle: string): number | undefined {
  const i = text.indexOf(needle);
  return i < 0 ? undefined : i + needle.length;
}

function regexMatch(text: string, re: RegExp): number | undefined {
  const m = new RegExp(re.source, re.flags.replace('g', '')).exec(text);
  return m ? m.index + m[0].length : undefined;
}
