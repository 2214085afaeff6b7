import type { Socket } from 'node:net';
import { InputError } from '../../dts/model/SourcePos.ts';
import type { Cpu } from '../machine/Cpu.ts';
import type { RunResult } from '../machine/Machine.ts';
import type { PhysicalBus } from '../machine/PhysicalBus.ts';
import { GdbServer } from './GdbServer.ts';
import { GdbSession } from './GdbSession.ts';
import { MachineDebugTarget } from './MachineDebugTarget.ts';
import { targetDescriptionFor } from './TargetDescriptionForIsa.ts';

export interface GdbRunOptions {
  /** TCP port on 127.0.0.1 (0: any free port, see `port`). */
  readonly port: number;
  /** Hold the cores at reset until a debugger attaches and resumes them. */
  readonly waitForDebugger: boolean;
  readonly cpus: readonly Cpu[];
  readonly bus: PhysicalBus;
  /** Lines for the user (stderr). */
  log(line: string): void;
  /** Whether console input may still arrive (a deadlock is then not final). Default: never. */
  consoleInputOpen?(): boolean;
}

/**
 * The gdb stub as the run loop of `tskvm-board run` sees it. The loop runs
 * the machine in slices of virtual time and yields to the event loop between
 * them, where debugger traffic is served; around each slice it asks:
 *
 *   const end = await gdb.whileHeld();  // waits while the debugger holds the board
 *   const r = machine.run(...);
 *   if (gdb.takes(r)) continue;         // a debug stop, reported to gdb
 *   ...
 *   await gdb.close(exitCode);          // tells gdb the run ended
 */
export class GdbRunControl {
  private session: GdbSession | null = null;
  /** True while the machine must not run: before the first attach with --gdb-wait, and while gdb has it stopped. */
  private held: boolean;
  private killed = false;
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly target: MachineDebugTarget,
    private readonly options: GdbRunOptions,
  ) {
    this.held = options.waitForDebugger;
  }

  private server!: GdbServer;

  /** Start listening. Bad input (InputError): a port in use, cores the stub cannot debug. */
  static async start(options: GdbRunOptions): Promise<GdbRunControl> {
    const first = options.cpus[0];
    if (first === undefined) throw new InputError([{ severity: 'error', message: '--gdb: the board has no core to debug' }]);
    const description = targetDescriptionFor(first.isa);
    const unsupported = options.cpus.find((c) => !c.setBreakpoints || !c.setWatcher || !c.debugResume);
    if (description === undefined || unsupported !== undefined) {
      throw new InputError([{ severity: 'error', message: `--gdb: the gdb stub cannot debug ${first.isa} cores yet` }]);
    }
    const control = new GdbRunControl(new MachineDebugTarget(options.cpus, options.bus, description), options);
    control.server = await GdbServer.listen(options.port, (socket) => control.attach(socket));
    const port = control.server.port;
    options.log(
      `tskvm-board: gdb stub on 127.0.0.1:${port} (gdb: target remote :${port})` +
        (options.waitForDebugger ? '; the cores wait at reset for the debugger' : ''),
    );
    return control;
  }

  /** The port the stub listens on. */
  get port(): number {
    return this.server.port;
  }

  /** True while a debugger is connected. */
  get attached(): boolean {
    return this.session !== null;
  }

  /**
   * Before each slice: resolves once the machine may run, or with the
   * result that ends the run when the debugger killed it.
   */
  async whileHeld(): Promise<RunResult | null> {
    for (;;) {
      if (this.killed) return { kind: 'limit', message: 'killed by the debugger' };
      if (!this.held) return null;
      await this.activity();
    }
  }

  /** Resolves at the next thing the debugger does (attach, resume, Ctrl-C, detach, kill). */
  activity(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * After each slice: true when the result was the stub's (a breakpoint,
   * watchpoint or the end of a step: reported to gdb, the machine is now
   * held), false when the run loop should handle it as usual.
   */
  takes(result: RunResult): boolean {
    const session = this.session;
    if (result.kind === 'breakpoint') {
      if (session === null) {
        // A core left at a debug stop by a debugger that went away: let it go on.
        result.cpu.debugResume?.('run');
        return true;
      }
      const cause = this.target.stopCause(result.cpu);
      if (cause === null) return true;
      this.held = true;
      session.reportStop(result.cpu, cause);
      return true;
    }
    if (result.kind === 'deadlock' && session !== null && !(this.options.consoleInputOpen?.() ?? false)) {
      // Nothing can happen any more but what the debugger does: stop and let it look.
      this.held = true;
      session.reportStop(this.target.cpus[0]!, { kind: 'deadlock' });
      return true;
    }
    return false;
  }

  /** The run is over: tell gdb how it ended (unless gdb killed it) and stop listening. */
  async close(exitCode: number): Promise<void> {
    if (this.session !== null && !this.killed) this.session.reportExit(exitCode);
    this.session = null;
    await this.server.close();
    this.wake();
  }

  private attach(socket: Socket): void {
    // Whatever ran, the board stops where it is (the event loop only runs between slices).
    this.held = true;
    const session = new GdbSession(this.target, (text) => socket.write(Buffer.from(text, 'latin1')), {
      resume: () => {
        this.held = false;
        this.wake();
      },
      interrupt: () => {
        this.held = true;
        this.wake();
      },
      kill: () => {
        this.killed = true;
        this.wake();
      },
      detach: () => this.leave(socket, 'detached'),
      log: (message) => this.options.log(message),
    });
    session.attachedStopped();
    this.session = session;
    this.options.log('tskvm-board: gdb attached');
    socket.on('data', (data: Buffer) => {
      if (this.session === session) session.receive(data);
    });
    socket.on('close', () => {
      if (this.session === session) this.leave(socket, 'disconnected');
    });
    this.wake();
  }

  /** The debugger left (D, or the connection closed): no breakpoints any more, the board runs on. */
  private leave(socket: Socket, how: string): void {
    if (this.session === null) return;
    this.target.release();
    this.session = null;
    if (!this.killed) {
      this.held = false;
      this.options.log(`tskvm-board: gdb ${how}; the board runs on`);
    }
    socket.end(() => socket.destroy());
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
