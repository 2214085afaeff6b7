import type { AccessWidth, MmioDevice, PcProvider } from '../../src/machine/MmioDevice.ts';
import type { Clock, ClockEventHandle } from '../../src/machine/Clock.ts';
import { IrqLine } from '../../src/machine/IrqLine.ts';
import { RegisterBlock, type RegisterBlockSnapshot, type RegisterHandle } from '../RegisterBlock.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import { primeCellIdRegisters } from '../PrimeCellId.ts';
import type { DeviceModelInfo } from '../DeviceModel.ts';
import { requireRegs, u32Property } from '../NodeProperties.ts';

/**
 * ARM PrimeCell Real Time Clock PL031 (ARM DDI 0224): a 32-bit seconds
 * counter with a match register and one interrupt.
 *
 * The counter reads `startTime` plus whole seconds of virtual time, so a run
 * is the same every time; RTCLR moves it. As in QEMU the counter always runs
 * (RTCCR reads 1) and keeps counting across a system reset. The match
 * interrupt is an event on the virtual clock at the second the counter
 * reaches RTCMR.
 */

const NS_PER_SECOND = 1_000_000_000;
/** 2024-01-01T00:00:00Z: the default start time when the board does not give one. */
export const DEFAULT_RTC_START = 1704067200;

export interface Pl031Options {
  readonly name: string;
  readonly clock: Clock;
  readonly irq?: IrqLine;
  /** Counter value at virtual time 0, in seconds since 1970 (default 2024-01-01). */
  readonly startTime?: number;
  readonly log?: (message: string) => void;
  readonly pc?: PcProvider;
  readonly baseAddress?: number;
  readonly bigEndian?: boolean;
}

export interface Pl031Snapshot {
  readonly registers: RegisterBlockSnapshot;
  readonly tickOffset: number;
  readonly ris: number;
  /** When the pending match event fires (null: none); absent in older snapshots, then recomputed from RTCMR. */
  readonly alarmAt?: number | null;
}

export class Pl031Rtc implements MmioDevice {
  readonly name: string;
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  readonly registers: RegisterBlock;

  private readonly clock: Clock;
  private readonly irq: IrqLine;
  /** Counter = tickOffset + whole seconds of virtual time (mod 2^32). */
  private tickOffset: number;
  private ris = 0;
  private alarm: ClockEventHandle | null = null;
  private readonly mr: RegisterHandle;
  private readonly imsc: RegisterHandle;

  constructor(opts: Pl031Options) {
    this.name = opts.name;
    this.clock = opts.clock;
    this.irq = opts.irq ?? IrqLine.unconnected(`${opts.name}.irq`);
    this.tickOffset = ((opts.startTime ?? DEFAULT_RTC_START) - this.seconds()) >>> 0;
    this.registers = new RegisterBlock(opts.name, [
      { name: 'RTCDR', offset: 0x00, access: 'R', value: () => this.count() },
      { name: 'RTCMR', offset: 0x04, onWrite: () => this.scheduleAlarm() },
      {
        name: 'RTCLR', offset: 0x08,
        onWrite: (v) => { this.tickOffset = (v - this.seconds()) >>> 0; this.scheduleAlarm(); },
      },
      // RTC start: permanently set, writes have no effect (DDI 0224 3.3.4; QEMU ignores them too).
      { name: 'RTCCR', offset: 0x0c, access: 'R', reset: 1, onWrite: () => {} },
      { name: 'RTCIMSC', offset: 0x10, writeMask: 0x1, onWrite: () => this.updateIrq() },
      { name: 'RTCRIS', offset: 0x14, access: 'R', value: () => this.ris },
      { name: 'RTCMIS', offset: 0x18, access: 'R', value: () => this.ris & this.imsc.value },
      {
        name: 'RTCICR', offset: 0x1c, access: 'W', writeMask: 0x1,
        onWrite: (_v, _p, _i, written) => { this.ris &= ~written; this.updateIrq(); },
      },
      // As QEMU's pl031: part 0x031, ARM, revision 1.
      ...primeCellIdRegisters([0x31, 0x10, 0x14, 0x00], [0x0d, 0xf0, 0x05, 0xb1]),
    ], new DeviceAccessLog(opts.name, opts.log ?? (() => {}), opts.pc, opts.baseAddress), { bigEndian: opts.bigEndian });
    this.mr = this.registers.reg('RTCMR');
    this.imsc = this.registers.reg('RTCIMSC');
  }

  read(offset: number, width: AccessWidth): number {
    return this.registers.read(offset, width);
  }

  write(offset: number, width: AccessWidth, value: number): void {
    this.registers.write(offset, width, value);
  }

  /** Registers to reset values; the counter keeps its time. */
  reset(): void {
    this.registers.reset();
    this.ris = 0;
    this.cancelAlarm();
    this.updateIrq();
  }

  /** The interrupt output: match interrupt and its mask. */
  updateIrq(): void {
    this.irq.set((this.ris & this.imsc.value) !== 0);
  }

  /** Current counter value (RTCDR). */
  count(): number {
    return (this.tickOffset + this.seconds()) >>> 0;
  }

  private seconds(): number {
    return Math.floor(this.clock.now / NS_PER_SECOND);
  }

  private scheduleAlarm(): void {
    this.cancelAlarm();
    // Seconds until the counter equals RTCMR, modulo 2^32 (the counter wraps).
    const ticks = (this.mr.value - this.count()) >>> 0;
    if (ticks === 0) {
      this.match();
      return;
    }
    const when = (this.seconds() + ticks) * NS_PER_SECOND;
    if (!Number.isSafeInteger(when)) return;   // beyond what virtual time can reach
    this.alarm = this.clock.schedule(when, () => { this.alarm = null; this.match(); }, `${this.name} match`);
  }

  private match(): void {
    this.ris = 1;
    this.updateIrq();
  }

  private cancelAlarm(): void {
    if (this.alarm !== null) {
      this.clock.cancel(this.alarm);
      this.alarm = null;
    }
  }

  snapshot(): Pl031Snapshot {
    return { registers: this.registers.snapshot(), tickOffset: this.tickOffset, ris: this.ris, alarmAt: this.alarm !== null ? this.alarm.when : null };
  }

  restore(s: Pl031Snapshot): void {
    this.registers.restore(s.registers);
    this.tickOffset = s.tickOffset;
    this.ris = s.ris;
    if (s.alarmAt === undefined) this.scheduleAlarmIfPending();
    else {
      // As saved: a match due at the snapshot instant fires then, not at the restore.
      this.cancelAlarm();
      if (s.alarmAt !== null) this.alarm = this.clock.schedule(s.alarmAt, () => { this.alarm = null; this.match(); }, `${this.name} match`);
    }
    this.updateIrq();
  }

  private scheduleAlarmIfPending(): void {
    this.cancelAlarm();
    const ticks = (this.mr.value - this.count()) >>> 0;
    if (ticks !== 0) this.scheduleAlarm();
  }
}

/**
 * Device-tree binding (rtc/arm,pl031.yaml): `compatible = "arm,pl031",
 * "arm,primecell"`, one reg window, one interrupt. `tskvm,start-time`
 * (seconds since 1970) sets the counter at power-on.
 */
export const pl031Model: DeviceModelInfo = {
  compatible: ['arm,pl031'],
  description: 'ARM PrimeCell PL031 RTC (seconds counter on virtual time, match interrupt)',
  factory(ctx) {
    requireRegs(ctx.node, ctx.regs, 1, 'a PL031');
    const r = ctx.regs[0];
    const rtc = new Pl031Rtc({
      name: ctx.name, clock: ctx.clock, irq: ctx.irqs[0],
      startTime: u32Property(ctx.node, 'tskvm,start-time'),
      log: (m) => ctx.log(m), pc: ctx.pc, baseAddress: r.address, bigEndian: ctx.bigEndian,
    });
    return { mappings: [{ address: r.address, size: r.size, device: rtc }], model: rtc };
  },
};
