import type { ClockEventHandle } from '../../src/machine/Clock.ts';
import type { IrqLine } from '../../src/machine/IrqLine.ts';
import type { ArmCpu } from './ArmCpu.ts';

/**
 * The Generic Timer of one core (ARM ARM B8): the system counter as seen
 * through CNTPCT/CNTVCT, and the PL1 physical, virtual and (Virtualization
 * Extensions) PL2 physical timers.
 *
 * The counter follows virtual time: counter = floor(ns × freq / 1e9), with
 * ns = the clock's time at the start of the slice plus the instructions the
 * core has retired since, at its frequency. Timers do not poll: programming
 * one schedules a clock event at the time its condition becomes true, and
 * the event updates the output line (B8.2.4: asserted while ENABLE = 1,
 * IMASK = 0 and CompareValue ≤ counter).
 */

export interface GenericTimerSnapshot {
  readonly frequency: number;
  readonly kctl: number;
  readonly hctl: number;
  readonly voff: number;
  readonly lastCount: number;
  readonly physical: TimerChannelSnapshot;
  readonly virtual: TimerChannelSnapshot;
  readonly hyp: TimerChannelSnapshot;
}

export interface TimerChannelSnapshot {
  readonly ctl: number;
  readonly cval: number;
  /** The interrupt output's level, and when the pending expiry event fires (null: none). */
  readonly output?: boolean;
  readonly eventAt?: number | null;
}

/** CNTx_CTL bits (B4.1.26). */
export const enum TimerCtl {
  Enable = 1,
  IMask = 2,
  IStatus = 4,
}

/** The comparator of one timer. */
class TimerChannel {
  ctl = 0;
  /** CompareValue, a 64-bit count held as a number (values past 2^53 lose precision, which only affects timers set to fire after centuries). */
  cval = 0;
  private event: ClockEventHandle | null = null;

  constructor(
    private readonly owner: GenericTimer,
    readonly name: string,
    private readonly line: IrqLine | undefined,
    /** Offset subtracted from the physical count (CNTVOFF for the virtual timer). */
    private readonly offset: () => number,
  ) {}

  reset(): void {
    this.ctl = 0;
    this.cval = 0;
    this.cancel();
    this.line?.set(false);
  }

  private cancel(): void {
    if (this.event !== null) {
      this.owner.clock.cancel(this.event);
      this.event = null;
    }
  }

  count(): number {
    return this.owner.physicalCount() - this.offset();
  }

  /** Registers, output level and pending expiry, for snapshots. */
  snapshot(): TimerChannelSnapshot {
    return { ctl: this.ctl, cval: this.cval, output: this.line?.level ?? false, eventAt: this.event !== null ? this.event.when : null };
  }

  /**
   * Exactly the saved state: the output level as it was and the expiry event
   * at its time, even when the condition already holds at the restored
   * instant (an event due now, not fired yet when the snapshot was taken,
   * must still fire then rather than have its effect at the restore).
   */
  restore(s: TimerChannelSnapshot): void {
    this.ctl = s.ctl;
    this.cval = s.cval;
    this.cancel();
    if (s.output === undefined || s.eventAt === undefined) {
      this.update(); // an older snapshot without them: recompute
      return;
    }
    this.line?.set(s.output);
    if (s.eventAt !== null) this.arm(s.eventAt);
  }

  status(): boolean {
    return (this.ctl & TimerCtl.Enable) !== 0 && this.count() >= this.cval;
  }

  readCtl(): number {
    return (this.ctl & 3) | (this.status() ? TimerCtl.IStatus : 0);
  }

  writeCtl(value: number): void {
    this.ctl = value & 3;
    this.update();
  }

  /** TVAL reads as CompareValue − count, truncated to a signed 32-bit value. */
  readTval(): number {
    return toInt32(this.cval - this.count());
  }

  /** TVAL write: CompareValue = count + SignExtend(TVAL). */
  writeTval(value: number): void {
    this.cval = this.count() + (value | 0);
    this.update();
  }

  writeCval(low: number, high: number): void {
    this.cval = (high >>> 0) * 0x100000000 + (low >>> 0);
    this.update();
  }

  /** Recompute the output and reschedule the expiry event. */
  update(): void {
    this.cancel();
    const status = this.status();
    this.line?.set(status && (this.ctl & TimerCtl.IMask) === 0);
    if ((this.ctl & TimerCtl.Enable) === 0 || status) return;
    const when = this.owner.timeOfCount(this.cval + this.offset());
    if (!Number.isFinite(when)) return;
    this.arm(Math.max(when, this.owner.clock.now));
  }

  private arm(when: number): void {
    this.event = this.owner.clock.schedule(when, () => {
      this.event = null;
      this.update();
    }, `${this.owner.cpuName}.${this.name}`);
    // A deadline inside the running slice may end it early (the scheduler's
    // stop flag): let the core look at the flag after this instruction.
    this.owner.deadlineChanged();
  }
}

export class GenericTimer {
  /** CNTFRQ: written by firmware, reset value = the board's counter frequency. */
  frequency: number;
  /** CNTKCTL: PL0 access controls (B4.1.25). */
  kctl = 0;
  /** CNTHCTL (Virtualization Extensions). */
  hctl = 3;
  /** CNTVOFF: virtual offset, 64-bit (written at PL2). */
  voff = 0;
  readonly physical: TimerChannel;
  readonly virtual: TimerChannel;
  readonly hyp: TimerChannel;
  private lastCount = 0;
  private readonly numerator: number;
  private readonly denominator: number;

  constructor(
    private readonly cpu: ArmCpu,
    readonly counterFrequency: number,
    lines: { phys?: IrqLine; virt?: IrqLine; hyp?: IrqLine; sec?: IrqLine },
  ) {
    this.frequency = counterFrequency;
    // counter = ns × freq / 1e9, computed as ns × num / den with small integers so it stays exact.
    const g = gcd(counterFrequency, 1e9);
    this.numerator = counterFrequency / g;
    this.denominator = 1e9 / g;
    this.physical = new TimerChannel(this, 'cntp', lines.phys, () => 0);
    this.virtual = new TimerChannel(this, 'cntv', lines.virt, () => this.voff);
    this.hyp = new TimerChannel(this, 'cnthp', lines.hyp, () => 0);
  }

  get clock() {
    return this.cpu.clock;
  }

  get cpuName(): string {
    return this.cpu.name;
  }

  deadlineChanged(): void {
    this.cpu.requestStopCheck();
  }

  reset(): void {
    this.frequency = this.counterFrequency;
    this.kctl = 0;
    this.hctl = 3;
    this.voff = 0;
    this.lastCount = 0;
    this.physical.reset();
    this.virtual.reset();
    this.hyp.reset();
  }

  /** Registers and comparators for a machine snapshot. */
  snapshot(): GenericTimerSnapshot {
    return {
      frequency: this.frequency, kctl: this.kctl, hctl: this.hctl, voff: this.voff, lastCount: this.lastCount,
      physical: this.physical.snapshot(), virtual: this.virtual.snapshot(), hyp: this.hyp.snapshot(),
    };
  }

  /** Put a snapshot back: outputs and expiry events as they were (restore the clock's time first). */
  restore(s: GenericTimerSnapshot): void {
    this.frequency = s.frequency;
    this.kctl = s.kctl;
    this.hctl = s.hctl;
    this.voff = s.voff;
    this.lastCount = s.lastCount;
    this.physical.restore(s.physical);
    this.virtual.restore(s.virtual);
    this.hyp.restore(s.hyp);
  }

  /** The system counter now (CNTPCT), never going backwards. */
  physicalCount(): number {
    const ns = this.cpu.nowNs();
    const d = this.denominator;
    const whole = Math.floor(ns / d);
    const count = whole * this.numerator + Math.floor(((ns - whole * d) * this.numerator) / d);
    if (count > this.lastCount) this.lastCount = count;
    return this.lastCount;
  }

  /** CNTVCT = CNTPCT − CNTVOFF. */
  virtualCount(): number {
    return this.physicalCount() - this.voff;
  }

  /** First virtual time (ns) at which the physical count reaches `count`. */
  timeOfCount(count: number): number {
    if (count > Number.MAX_SAFE_INTEGER) return Infinity;
    return Math.ceil((count * this.denominator) / this.numerator);
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function toInt32(v: number): number {
  // The low 32 bits of a possibly negative 64-bit difference.
  const m = v % 0x100000000;
  return m | 0;
}

/** Split a count (< 2^53) into 32-bit halves for MRRC. */
export function low32(v: number): number {
  return (v % 0x100000000) | 0;
}

export function high32(v: number): number {
  return Math.floor(v / 0x100000000) | 0;
}
