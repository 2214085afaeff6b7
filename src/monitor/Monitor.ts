import type { Cpu } from '../machine/Cpu.ts';
import type { VmManager } from '../hv/VmManager.ts';
import type { Vmm } from '../hv/Vmm.ts';
import { MonitorError } from './MonitorError.ts';
import { formatTable } from './MonitorTable.ts';

/** What the monitor looks at and acts on: the host cores, the VMs and the console switch. */
export interface MonitorTarget {
  readonly cpus: readonly Cpu[];
  readonly clockNs: () => number;
  /** The board's VMs (none on a board without `<vm>`). */
  readonly vmms: readonly Vmm[];
  readonly manager?: VmManager;
  /** Names whose console can take the keyboard ("host" first), and the current one. */
  readonly consoles: () => readonly string[];
  readonly currentConsole: () => string;
  selectConsole(name: string): void;
  /** End the run as Ctrl-A x does. */
  quit(): void;
  /** Save the whole machine to `file` (between slices); a line saying what was saved. Absent: no snapshots. */
  snapshot?(file: string): string;
}

interface CommandSpec {
  readonly usage: string;
  readonly help: string;
  readonly args: readonly [min: number, max: number];
  readonly run: (args: readonly string[]) => string;
}

/**
 * The interactive monitor (Ctrl-A c on the terminal), in the spirit of QEMU's
 * human monitor: `info` listings of the VMs, their exits and their paging
 * counters, and process-style control of VMs (pause, resume, kill, nice).
 * Commands act between scheduler slices, so a paused VM stops at an
 * instruction boundary and resumes exactly there.
 */
export class Monitor {
  private readonly commands: ReadonlyMap<string, CommandSpec>;
  /** Set by `quit`: nothing more is read (the line editor prints no new prompt). */
  quitting = false;

  constructor(private readonly target: MonitorTarget) {
    this.commands = new Map<string, CommandSpec>([
      ['help', { usage: 'help', help: 'list the commands', args: [0, 0], run: () => this.help() }],
      ['info', { usage: 'info vms|exits|mmu|cpus|consoles', help: 'show VMs, exits by reason, paging counters, host cores, consoles', args: [1, 1], run: ([what]) => this.info(what!) }],
      ['pause', { usage: 'pause NAME', help: 'stop scheduling VM NAME (its state is kept)', args: [1, 1], run: ([n]) => this.vmAction(n!, 'pause') }],
      ['resume', { usage: 'resume NAME', help: 'schedule a paused VM again, from where it stopped', args: [1, 1], run: ([n]) => this.vmAction(n!, 'resume') }],
      ['kill', { usage: 'kill NAME', help: 'stop VM NAME for good and free its memory', args: [1, 1], run: ([n]) => this.vmAction(n!, 'kill') }],
      ['nice', { usage: 'nice NAME N', help: 'set VM NAME\'s nice level (-20 … 19; lower gets more of the cores)', args: [2, 2], run: ([n, v]) => this.renice(n!, v!) }],
      ['console', { usage: 'console [NAME]', help: 'show or choose which console the keyboard types into (host or a VM)', args: [0, 1], run: ([n]) => this.console(n) }],
      ['snapshot', { usage: 'snapshot FILE', help: 'save the whole machine now (restore with run --restore FILE)', args: [1, 1], run: ([f]) => this.snapshot(f!) }],
      ['quit', { usage: 'quit', help: 'end the run (as Ctrl-A x)', args: [0, 0], run: () => this.quit() }],
    ]);
  }

  /** Run one command line; returns what to print (lines ending in "\n"). Errors are printed, never thrown. */
  execute(line: string): string {
    const words = line.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return '';
    const [name, ...args] = words as [string, ...string[]];
    const spec = this.commands.get(name === 'q' ? 'quit' : name);
    if (spec === undefined) return `unknown command '${name}'; try 'help'\n`;
    if (args.length < spec.args[0] || args.length > spec.args[1]) return `usage: ${spec.usage}\n`;
    try {
      return spec.run(args);
    } catch (e) {
      if (e instanceof MonitorError) return `${e.message}\n`;
      // The VM manager refuses impossible transitions (resume of a running VM …) with plain Errors.
      if (e instanceof Error) return `${e.message}\n`;
      throw e;
    }
  }

  private help(): string {
    const specs = [...this.commands.values()];
    return formatTable(['command', 'what it does'], specs.map((s) => [s.usage, s.help]));
  }

  private info(what: string): string {
    switch (what) {
      case 'vms':
        return this.infoVms();
      case 'exits':
        return this.infoExits();
      case 'mmu':
        return this.infoMmu();
      case 'cpus':
        return this.infoCpus();
      case 'consoles':
        return this.target.consoles().map((c) => `${c === this.target.currentConsole() ? '*' : ' '} ${c}\n`).join('');
      default:
        throw new MonitorError(`info: unknown item '${what}' (vms, exits, mmu, cpus, consoles)`);
    }
  }

  private manager(): VmManager {
    if (this.target.manager === undefined || this.target.vmms.length === 0) throw new MonitorError('this board has no VMs');
    return this.target.manager;
  }

  private infoVms(): string {
    const rows = this.manager()
      .status()
      .map((s) => [
        s.name,
        s.state,
        String(s.nice),
        `${s.vcpus - s.halted}/${s.vcpus}`,
        `${Math.round(s.memoryTouched / 1024)} KiB`,
        String(s.instructions),
        s.report ?? '',
      ]);
    return formatTable(['vm', 'state', 'nice', 'vcpus busy', 'memory touched', 'instructions', 'report'], rows);
  }

  private infoExits(): string {
    const status = this.manager().status();
    const reasons = [...new Set(status.flatMap((s) => Object.keys(s.exits)))].sort();
    const rows = status.map((s) => [s.name, ...reasons.map((r) => String(s.exits[r] ?? 0)), String(Object.values(s.exits).reduce((a, b) => a + b, 0))]);
    return formatTable(['vm', ...reasons, 'total'], rows);
  }

  private infoMmu(): string {
    this.manager();
    const rows = this.target.vmms.map((vmm) => {
      const p = vmm.vm.pagingCounters;
      return [
        vmm.vm.name,
        vmm.vm.paging,
        String(p.walks),
        p.memoryReferencesPerWalk.toFixed(2),
        String(p.stage2Faults),
        String(p.guestPageFaults),
        String(p.shadowFills),
        String(p.shadowSyncs),
        String(p.shadowZaps),
        String(p.writeProtectFaults),
      ];
    });
    return formatTable(['vm', 'paging', 'walks', 'refs/walk', 's2 faults', 'guest faults', 'shadow fills', 'syncs', 'zaps', 'wp faults'], rows);
  }

  private infoCpus(): string {
    const rows = this.target.cpus.map((c) => [
      c.name,
      `0x${(c.getPc() >>> 0).toString(16).padStart(8, '0')}`,
      c.poweredOff ? 'off' : c.idle ? 'idle' : 'running',
      String(c.retired),
    ]);
    return `virtual time ${this.target.clockNs()} ns\n` + formatTable(['core', 'pc', 'state', 'instructions'], rows);
  }

  private vmAction(name: string, action: 'pause' | 'resume' | 'kill'): string {
    const manager = this.manager();
    this.knownVm(name);
    manager[action](name);
    return `${name}: ${manager.state(name)}\n`;
  }

  private renice(name: string, value: string): string {
    const manager = this.manager();
    this.knownVm(name);
    if (!/^[+-]?\d+$/.test(value)) throw new MonitorError(`nice: '${value}' is not a whole number`);
    const n = Number(value);
    if (n < -20 || n > 19) throw new MonitorError(`nice: ${n} is outside -20 … 19`);
    manager.nice(name, n);
    return `${name}: nice ${n}\n`;
  }

  private knownVm(name: string): void {
    if (!this.target.vmms.some((v) => v.vm.name === name)) {
      throw new MonitorError(`no VM named '${name}' (VMs: ${this.target.vmms.map((v) => v.vm.name).join(', ')})`);
    }
  }

  private console(name: string | undefined): string {
    if (name === undefined) return `the keyboard types into ${this.target.currentConsole()}\n`;
    const names = this.target.consoles();
    if (!names.includes(name)) throw new MonitorError(`no console named '${name}' (consoles: ${names.join(', ')})`);
    this.target.selectConsole(name);
    return `the keyboard types into ${name}\n`;
  }

  private snapshot(file: string): string {
    if (this.target.snapshot === undefined) throw new MonitorError('snapshots are not available here');
    return `${this.target.snapshot(file)}\n`;
  }

  private quit(): string {
    this.quitting = true;
    this.target.quit();
    return '';
  }
}
