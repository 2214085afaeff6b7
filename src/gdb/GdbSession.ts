import type { Cpu, DebugResumeMode } from '../machine/Cpu.ts';
import { bytesToHex, hexToBytes, parseHexNumber, textToHex } from './HexEncoding.ts';
import type { MachineDebugTarget, StopCause, WatchKind } from './MachineDebugTarget.ts';
import { unescapeBinary } from './RspPacket.ts';
import { RspConnection } from './RspConnection.ts';

/** Largest packet we accept and advertise (qSupported PacketSize). */
export const PACKET_SIZE = 0x4000;

/** What the session asks of whoever runs the machine. */
export interface SessionControl {
  /** gdb resumed the cores (c, s, vCont): the machine may run. */
  resume(): void;
  /** Ctrl-C while running: the machine must not run any more until resumed. */
  interrupt(): void;
  /** k / vKill: end the run. */
  kill(): void;
  /** D: the debugger left; the machine runs on without it. */
  detach(): void;
  /** A line for the log (stderr). */
  log(message: string): void;
}

/** gdb signal numbers used in stop replies (GDB manual, "Signals" in the Remote Protocol appendix). */
const SIGINT = 2;
const SIGTRAP = 5;

/** A thread-id in a packet: a core, all threads (-1) or any thread (0). */
type ThreadSelector = Cpu | 'all' | 'any';

/** Thrown by parsers for a packet that does not have the expected shape; answered with E01. */
class MalformedPacket extends Error {}

function hex2(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}

function number(text: string | undefined): number {
  const n = text === undefined ? null : parseHexNumber(text);
  if (n === null) throw new MalformedPacket(`'${text ?? ''}' is not a hex number`);
  return n;
}

/** "addr,length" as hex numbers. */
function addressAndLength(text: string): [number, number] {
  const parts = text.split(',');
  if (parts.length !== 2) throw new MalformedPacket(`expected ADDR,LENGTH, got '${text}'`);
  return [number(parts[0]), number(parts[1])];
}

/**
 * The commands of one gdb connection (GDB manual, E "Remote Serial Protocol"),
 * in all-stop mode: every core stops when one stops, and a stop reply names
 * the core (thread) that caused it. Cores are threads 1, 2, …
 */
export class GdbSession {
  readonly connection: RspConnection;
  /** True while the cores run (after c/s/vCont, before the stop reply). */
  running = false;
  /** Thread for g/G/p/P/m/M/X (Hg), and the one the last stop named. */
  private general: Cpu;
  /** Thread for the legacy c/s packets (Hc). */
  private continueThread: ThreadSelector = 'all';
  private lastStop: string;

  constructor(
    private readonly target: MachineDebugTarget,
    write: (latin1: string) => void,
    private readonly control: SessionControl,
  ) {
    this.connection = new RspConnection(write, {
      packet: (p) => this.packet(p),
      malformed: () => this.connection.send('E01'),
      interrupt: () => this.interrupt(),
    }, PACKET_SIZE);
    this.general = target.cpus[0]!;
    this.lastStop = this.stopReply(this.general, { kind: 'interrupt' }, SIGTRAP);
  }

  receive(bytes: Uint8Array): void {
    this.connection.receive(bytes);
  }

  /** The machine stopped for `cause` on `cpu` (or, for an attach, was found stopped): tell gdb. */
  reportStop(cpu: Cpu, cause: StopCause): void {
    this.general = cpu;
    this.target.stopped();
    this.lastStop = this.stopReply(cpu, cause, cause.kind === 'interrupt' ? SIGINT : SIGTRAP);
    if (this.running) {
      this.running = false;
      this.connection.send(this.lastStop);
    }
  }

  /** The state `?` reports right after attaching: stopped (SIGTRAP) on the first core. */
  attachedStopped(): void {
    this.running = false;
    this.target.stopped();
    this.lastStop = this.stopReply(this.general, { kind: 'step' }, SIGTRAP);
  }

  /** The run ended (power-off, limit…): W with the exit code. */
  reportExit(exitCode: number): void {
    this.running = false;
    this.connection.send(`W${hex2(exitCode)}`);
  }

  private stopReply(cpu: Cpu, cause: StopCause, signal: number): string {
    let reason = '';
    if (cause.kind === 'breakpoint') reason = cause.hardware ? 'hwbreak:;' : 'swbreak:;';
    else if (cause.kind === 'watch') {
      const key = cause.watch === 'write' ? 'watch' : cause.watch === 'read' ? 'rwatch' : 'awatch';
      reason = `${key}:${(cause.address >>> 0).toString(16)};`;
    }
    return `T${hex2(signal)}thread:${this.target.threadId(cpu).toString(16)};${reason}`;
  }

  private interrupt(): void {
    // Between packets gdb only sends Ctrl-C while the target runs; when it is already stopped there is nothing to do.
    if (!this.running) return;
    this.control.interrupt();
    this.reportStop(this.general, { kind: 'interrupt' });
  }

  // --- dispatch -----------------------------------------------------------------------------

  private packet(p: string): void {
    let reply: string | null;
    try {
      reply = this.command(p);
    } catch (e) {
      if (!(e instanceof MalformedPacket)) {
        this.control.log(`gdb stub: error in packet '${p.slice(0, 40)}': ${e instanceof Error ? e.message : String(e)}`);
      }
      reply = 'E01';
    }
    if (reply !== null) this.connection.send(reply);
  }

  /** Handles one packet; returns the reply, or null when there is none now (resume: the stop reply comes later). */
  private command(p: string): string | null {
    switch (p[0]) {
      case '?':
        return this.lastStop;
      case 'g':
        return this.target.readRegisters(this.general);
      case 'G':
        return this.target.writeRegisters(this.general, this.hex(p.slice(1))) ? 'OK' : 'E01';
      case 'p': {
        const value = this.target.readRegister(this.general, number(p.slice(1)));
        return value ?? 'E01';
      }
      case 'P': {
        const [n, value] = p.slice(1).split('=');
        return this.target.writeRegister(this.general, number(n), this.hex(value ?? '')) ? 'OK' : 'E01';
      }
      case 'm':
        return this.readMemory(p.slice(1));
      case 'M':
        return this.writeMemory(p.slice(1), false);
      case 'X':
        return this.writeMemory(p.slice(1), true);
      case 'Z':
      case 'z':
        return this.breakpoint(p);
      case 'c':
      case 's':
        return this.legacyResume(p[0], p.slice(1));
      case 'C':
      case 'S': {
        // Signals cannot be delivered to bare-metal cores: the signal is ignored.
        const [, address] = p.slice(1).split(';');
        return this.legacyResume(p[0] === 'C' ? 'c' : 's', address ?? '');
      }
      case 'v':
        return this.vPacket(p);
      case 'H':
        return this.setThread(p);
      case 'T':
        return this.threadOf(p.slice(1)) !== undefined ? 'OK' : 'E01';
      case 'q':
        return this.query(p);
      case 'Q':
        return this.set(p);
      case 'D':
        this.detach();
        return null;
      case 'k':
        // No reply (E.2 "Packets"): the run just ends.
        this.control.kill();
        return null;
      default:
        return '';
    }
  }

  private hex(text: string): Uint8Array {
    const bytes = hexToBytes(text);
    if (bytes === null) throw new MalformedPacket('bad hex data');
    return bytes;
  }

  // --- memory -------------------------------------------------------------------------------

  private readMemory(args: string): string {
    const [address, length] = addressAndLength(args);
    // Two hex digits a byte must fit in one packet.
    const data = this.target.readMemory(this.general, address, Math.min(length, (PACKET_SIZE - 8) >>> 1));
    return data.length === 0 && length > 0 ? 'E01' : bytesToHex(data);
  }

  private writeMemory(args: string, binary: boolean): string {
    const colon = args.indexOf(':');
    if (colon < 0) throw new MalformedPacket('no data');
    const [address, length] = addressAndLength(args.slice(0, colon));
    const data = binary ? unescapeBinary(args.slice(colon + 1)) : this.hex(args.slice(colon + 1));
    if (data === null || data.length !== length) throw new MalformedPacket('data length does not match');
    if (length === 0) return 'OK';
    return this.target.writeMemory(this.general, address, data) ? 'OK' : 'E01';
  }

  // --- breakpoints (Z0/Z1) and watchpoints (Z2 write, Z3 read, Z4 access) ---------------------

  private breakpoint(p: string): string {
    const m = /^([Zz])([0-9]),([0-9a-fA-F]+),([0-9a-fA-F]+)(;.*)?$/.exec(p);
    if (m === null) throw new MalformedPacket('expected Ztype,addr,kind');
    const insert = m[1] === 'Z';
    const type = Number(m[2]);
    const address = number(m[3]);
    const size = number(m[4]);
    if (type > 4) return '';
    if (type <= 1) {
      if (insert) this.target.insertBreakpoint(address, type === 1);
      else this.target.removeBreakpoint(address, type === 1);
      return 'OK';
    }
    if (size === 0) return 'E01';
    const kind: WatchKind = type === 2 ? 'write' : type === 3 ? 'read' : 'access';
    if (insert) this.target.insertWatchpoint(kind, address, size);
    else this.target.removeWatchpoint(kind, address, size);
    return 'OK';
  }

  // --- run control --------------------------------------------------------------------------

  /** c [addr] / s [addr]: the Hc thread (or the current one) steps or continues; on a step the others stay stopped. */
  private legacyResume(action: 'c' | 's', address: string): null {
    const chosen = typeof this.continueThread === 'object' ? this.continueThread : this.general;
    if (address !== '') chosen.setPc(number(address));
    this.resume((cpu) => (action === 'c' ? 'run' : cpu === chosen ? 'step' : 'hold'));
    return null;
  }

  private vPacket(p: string): string | null {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p.startsWith('vCont;')) return this.vCont(p.slice(6));
    if (p === 'vMustReplyEmpty') return '';
    if (p === 'vKill' || p.startsWith('vKill;')) {
      this.connection.send('OK');
      this.control.kill();
      return null;
    }
    return '';
  }

  /** vCont;action[:thread]…: the leftmost action whose thread matches applies to a core; cores without one stay stopped. */
  private vCont(list: string): null {
    const actions = list.split(';').map((item) => {
      const [action, thread] = item.split(':');
      const kind = action?.[0];
      if ((kind !== 'c' && kind !== 's' && kind !== 'C' && kind !== 'S') || (action!.length > 1 && kind === action)) {
        throw new MalformedPacket(`vCont action '${item}'`);
      }
      if (kind === 'C' || kind === 'S') number(action!.slice(1)); // the signal, checked and ignored
      const selector: ThreadSelector = thread === undefined ? 'all' : this.selector(thread);
      return { mode: (kind === 'c' || kind === 'C' ? 'run' : 'step') as DebugResumeMode, selector };
    });
    this.resume((cpu) => {
      const action = actions.find((a) => a.selector === 'all' || a.selector === 'any' || a.selector === cpu);
      return action?.mode ?? 'hold';
    });
    return null;
  }

  private resume(modeOf: (cpu: Cpu) => DebugResumeMode): void {
    const modes = new Map(this.target.cpus.map((cpu) => [cpu, modeOf(cpu)] as const));
    // A powered-off core cannot execute its step: report it done at once, as a step of nothing.
    const deadStep = this.target.cpus.find((cpu) => modes.get(cpu) === 'step' && cpu.poweredOff);
    this.running = true;
    if (deadStep !== undefined) {
      this.reportStop(deadStep, { kind: 'step' });
      return;
    }
    this.target.resume((cpu) => modes.get(cpu)!);
    this.control.resume();
  }

  private detach(): void {
    this.target.release();
    this.connection.send('OK');
    this.control.detach();
  }

  // --- threads ------------------------------------------------------------------------------

  /** A thread-id: hex, -1 (all) or 0 (any); the multiprocess form p<pid>.<tid> is read too. */
  private selector(text: string): ThreadSelector {
    const tid = text.startsWith('p') ? text.slice(text.indexOf('.') + 1) : text;
    if (tid === '-1' || text === 'p-1' || tid === '') return 'all';
    if (tid === '0') return 'any';
    const cpu = this.target.cpuOfThread(number(tid));
    if (cpu === undefined) throw new MalformedPacket(`no thread ${text}`);
    return cpu;
  }

  private threadOf(text: string): Cpu | undefined {
    try {
      const s = this.selector(text);
      return typeof s === 'object' ? s : undefined;
    } catch {
      return undefined;
    }
  }

  private setThread(p: string): string {
    const op = p[1];
    const s = this.selector(p.slice(2));
    if (op === 'g') {
      if (typeof s === 'object') this.general = s;
      return 'OK';
    }
    if (op === 'c') {
      this.continueThread = s;
      return 'OK';
    }
    return 'E01';
  }

  // --- queries ------------------------------------------------------------------------------

  private query(p: string): string | null {
    const [name, ...rest] = p.split(':');
    const args = rest.join(':');
    switch (name) {
      case 'qSupported':
        return [
          `PacketSize=${PACKET_SIZE.toString(16)}`,
          'QStartNoAckMode+',
          'qXfer:features:read+',
          'swbreak+',
          'hwbreak+',
          'vContSupported+',
        ].join(';');
      case 'qXfer':
        return this.features(args);
      case 'qfThreadInfo':
        return 'm' + this.target.cpus.map((c) => this.target.threadId(c).toString(16)).join(',');
      case 'qsThreadInfo':
        return 'l';
      case 'qC':
        return `QC${this.target.threadId(this.general).toString(16)}`;
      case 'qAttached':
        // An existing "process": on quit gdb detaches instead of killing the board.
        return '1';
    }
    if (p.startsWith('qThreadExtraInfo,')) {
      const cpu = this.threadOf(p.slice('qThreadExtraInfo,'.length));
      return cpu === undefined ? 'E01' : textToHex(this.target.describeThread(cpu));
    }
    return '';
  }

  /** qXfer:features:read:ANNEX:OFFSET,LENGTH — 'm' and a part, or 'l' and the last part. */
  private features(args: string): string | null {
    const m = /^features:read:([^:]+):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(args);
    if (m === null) {
      if (args.startsWith('features:read:')) throw new MalformedPacket('qXfer:features:read arguments');
      return '';
    }
    if (m[1] !== 'target.xml') return 'E00';
    const xml = this.target.description.xml;
    const offset = number(m[2]);
    const length = Math.min(number(m[3]), PACKET_SIZE - 8);
    const part = xml.slice(offset, offset + length);
    const last = offset + length >= xml.length;
    this.connection.sendBinary(last ? 'l' : 'm', new TextEncoder().encode(part));
    return null;
  }

  private set(p: string): string | null {
    if (p === 'QStartNoAckMode') {
      // The OK still goes out (and is acknowledged) in ack mode; everything after it does not.
      this.connection.send('OK');
      this.connection.stopAcknowledging();
      return null;
    }
    return '';
  }
}
