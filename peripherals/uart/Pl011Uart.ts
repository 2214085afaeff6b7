import type { AccessWidth, MmioDevice, PcProvider } from '../../src/machine/MmioDevice.ts';
import type { Clock, ClockEventHandle } from '../../src/machine/Clock.ts';
import { IrqLine } from '../../src/machine/IrqLine.ts';
import type { SerialBackend, SerialDevice } from '../../src/machine/SerialPort.ts';
import { RegisterBlock, type RegisterBlockSnapshot, type RegisterHandle } from '../RegisterBlock.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import { primeCellIdRegisters } from '../PrimeCellId.ts';

/**
 * ARM PrimeCell UART PL011 (ARM DDI 0183, r1p4: 16-entry FIFOs).
 *
 * Transmission is instantaneous: a byte written to UARTDR goes straight to
 * the serial backend, so the transmit FIFO always reads empty (FR = TXFE) and
 * polled firmware never waits — which is what U-Boot on QEMU's virt board sees
 * (FR reads 0x90). As in QEMU, bytes are sent whatever UARTEN/TXE say, since
 * bare-metal code written against QEMU relies on that.
 *
 * Reception fills a 16-entry FIFO (1 entry with LCR_H.FEN clear). The RX
 * interrupt follows the FIFO level through the IFLS trigger (TRM 2.8.1), and
 * the receive-timeout interrupt fires when data sits in the FIFO for 32 bit
 * periods with nothing new arriving, timed on the virtual clock from the
 * programmed baud rate (115200 when IBRD is 0, i.e. never programmed).
 */

// UARTFR bits (TRM 3.3.3)
const FR_CTS = 1 << 0;
const FR_DSR = 1 << 1;
const FR_DCD = 1 << 2;
const FR_RXFE = 1 << 4;
const FR_RXFF = 1 << 6;
const FR_TXFE = 1 << 7;
const FR_RI = 1 << 8;

// Interrupt bits of IMSC/RIS/MIS/ICR (TRM 3.3.10–3.3.13)
export const INT_RIM = 1 << 0;
export const INT_CTSM = 1 << 1;
export const INT_DCDM = 1 << 2;
export const INT_DSRM = 1 << 3;
export const INT_RX = 1 << 4;
export const INT_TX = 1 << 5;
export const INT_RT = 1 << 6;
export const INT_OE = 1 << 10;

// UARTCR bits (TRM 3.3.8)
const CR_UARTEN = 1 << 0;
const CR_LBE = 1 << 7;
const CR_RXE = 1 << 9;
const CR_DTR = 1 << 10;
const CR_RTS = 1 << 11;
const CR_OUT1 = 1 << 12;
const CR_OUT2 = 1 << 13;

const LCRH_FEN = 1 << 4;
const DR_OE = 1 << 11;

const FIFO_DEPTH = 16;
/** RXIFLSEL encodings 0..4 = 1/8, 1/4, 1/2, 3/4, 7/8 full (TRM 3.3.9). */
const RX_TRIGGER = [2, 4, 8, 12, 14];

export interface Pl011Options {
  readonly name: string;
  readonly irq?: IrqLine;
  readonly clock: Clock;
  /** UARTCLK in Hz (baud = UARTCLK / (16 × divisor)); default 24 MHz as on QEMU's virt. */
  readonly uartClockHz?: number;
  readonly log?: (message: string) => void;
  readonly pc?: PcProvider;
  readonly baseAddress?: number;
  readonly bigEndian?: boolean;
}

export interface Pl011Snapshot {
  readonly registers: RegisterBlockSnapshot;
  readonly rxFifo: number[];
  readonly ris: number;
  readonly rsr: number;
  readonly modem: number;
  /** Virtual time the pending receive timeout fires at, if one is armed (older snapshots: re-armed in full). */
  readonly rxTimeoutAt?: number;
}

export class Pl011Uart implements MmioDevice, SerialDevice {
  readonly name: string;
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  readonly registers: RegisterBlock;

  private readonly irq: IrqLine;
  private readonly clock: Clock;
  private readonly uartClockHz: number;
  private backend: SerialBackend | null = null;

  private readonly rxFifo = new Uint16Array(FIFO_DEPTH);
  private rxHead = 0;
  private rxCount = 0;
  /** Raw interrupt status (UARTRIS). */
  private ris = 0;
  /** Receive status / error clear (UARTRSR): OE, BE, PE, FE of the last read character. */
  private rsr = 0;
  /** Modem status inputs as FR bits (CTS, DSR, DCD, RI); only loopback drives them. */
  private modem = 0;
  private timeout: ClockEventHandle | null = null;

  private readonly lcrh: RegisterHandle;
  private readonly cr: RegisterHandle;
  private readonly ifls: RegisterHandle;
  private readonly imsc: RegisterHandle;
  private readonly ibrd: RegisterHandle;
  private readonly fbrd: RegisterHandle;

  constructor(opts: Pl011Options) {
    this.name = opts.name;
    this.irq = opts.irq ?? IrqLine.unconnected(`${opts.name}.irq`);
    this.clock = opts.clock;
    this.uartClockHz = opts.uartClockHz ?? 24_000_000;
    const log = new DeviceAccessLog(opts.name, opts.log ?? (() => {}), opts.pc, opts.baseAddress);
    this.registers = new RegisterBlock(opts.name, [
      {
        name: 'UARTDR', offset: 0x000, writeMask: 0xff,
        value: () => (this.rxCount > 0 ? this.rxFifo[this.rxHead] : 0),
        onRead: () => this.popRx(),
        onWrite: (_v, _p, _i, written) => this.transmit(written & 0xff),
      },
      {
        name: 'UARTRSR', offset: 0x004, writeMask: 0xf,
        value: () => this.rsr,
        onWrite: () => { this.rsr = 0; },   // UARTECR: any write clears the errors
      },
      { name: 'UARTFR', offset: 0x018, access: 'R', reset: FR_TXFE | FR_RXFE, value: () => this.flags() },
      { name: 'UARTILPR', offset: 0x020, writeMask: 0xff },
      { name: 'UARTIBRD', offset: 0x024, writeMask: 0xffff },
      { name: 'UARTFBRD', offset: 0x028, writeMask: 0x3f },
      {
        name: 'UARTLCR_H', offset: 0x02c, writeMask: 0xff,
        onWrite: (v, prev) => {
          // Switching the FIFOs on or off empties them (as QEMU does).
          if (((v ^ prev) & LCRH_FEN) !== 0) this.flushRx();
        },
      },
      {
        name: 'UARTCR', offset: 0x030, reset: 0x0300, writeMask: 0xff87,
        onWrite: () => this.updateModemLoopback(),
      },
      { name: 'UARTIFLS', offset: 0x034, reset: 0x12, writeMask: 0x3f },
      { name: 'UARTIMSC', offset: 0x038, writeMask: 0x7ff, onWrite: () => this.updateIrq() },
      { name: 'UARTRIS', offset: 0x03c, access: 'R', value: () => this.ris },
      { name: 'UARTMIS', offset: 0x040, access: 'R', value: () => this.ris & this.imsc.value },
      {
        name: 'UARTICR', offset: 0x044, access: 'W', writeMask: 0x7ff,
        onWrite: (_v, _p, _i, written) => { this.ris &= ~written; this.updateIrq(); },
      },
      { name: 'UARTDMACR', offset: 0x048, writeMask: 0x7 },
      // PeriphID/CellID as QEMU's pl011 answers them (part 0x011, ARM, revision 1).
      ...primeCellIdRegisters([0x11, 0x10, 0x14, 0x00], [0x0d, 0xf0, 0x05, 0xb1]),
    ], log, { bigEndian: opts.bigEndian });
    this.lcrh = this.registers.reg('UARTLCR_H');
    this.cr = this.registers.reg('UARTCR');
    this.ifls = this.registers.reg('UARTIFLS');
    this.imsc = this.registers.reg('UARTIMSC');
    this.ibrd = this.registers.reg('UARTIBRD');
    this.fbrd = this.registers.reg('UARTFBRD');
  }

  read(offset: number, width: AccessWidth): number {
    return this.registers.read(offset, width);
  }

  write(offset: number, width: AccessWidth, value: number): void {
    this.registers.write(offset, width, value);
  }

  reset(): void {
    this.registers.reset();
    this.rxHead = 0;
    this.rxCount = 0;
    this.ris = 0;
    this.rsr = 0;
    this.modem = 0;
    this.cancelTimeout();
    this.updateIrq();
  }

  // ---- SerialDevice ----

  attachBackend(backend: SerialBackend): void {
    this.backend = backend;
  }

  canReceive(): boolean {
    const cr = this.cr.value;
    if ((cr & CR_LBE) !== 0) return false;            // RX input is disconnected in loopback
    if ((cr & CR_UARTEN) === 0 || (cr & CR_RXE) === 0) return false;
    return this.rxCount < this.depth();
  }

  receive(byte: number): void {
    this.pushRx(byte & 0xff);
  }

  // ---- state ----

  /** Recompute the interrupt output: the OR of the masked sources (UARTINTR). */
  updateIrq(): void {
    this.irq.set((this.ris & this.imsc.value) !== 0);
  }

  /** Bytes waiting in the receive FIFO. */
  get rxLevel(): number {
    return this.rxCount;
  }

  snapshot(): Pl011Snapshot {
    const fifo: number[] = [];
    for (let i = 0; i < this.rxCount; i++) fifo.push(this.rxFifo[(this.rxHead + i) % FIFO_DEPTH]);
    const timeout = this.timeout !== null ? { rxTimeoutAt: this.timeout.when } : {};
    return { registers: this.registers.snapshot(), rxFifo: fifo, ris: this.ris, rsr: this.rsr, modem: this.modem, ...timeout };
  }

  restore(s: Pl011Snapshot): void {
    this.registers.restore(s.registers);
    this.rxHead = 0;
    this.rxCount = Math.min(s.rxFifo.length, FIFO_DEPTH);
    for (let i = 0; i < this.rxCount; i++) this.rxFifo[i] = s.rxFifo[i];
    this.ris = s.ris;
    this.rsr = s.rsr;
    this.modem = s.modem;
    this.cancelTimeout();
    if (s.rxTimeoutAt !== undefined) this.armTimeout(s.rxTimeoutAt);
    else if (this.rxCount > 0) this.armTimeout();
    this.updateIrq();
  }

  private depth(): number {
    return (this.lcrh.value & LCRH_FEN) !== 0 ? FIFO_DEPTH : 1;
  }

  private rxTrigger(): number {
    if ((this.lcrh.value & LCRH_FEN) === 0) return 1;
    const sel = (this.ifls.value >> 3) & 7;
    return RX_TRIGGER[sel] ?? RX_TRIGGER[2];
  }

  private flags(): number {
    let fr = FR_TXFE | this.modem;                     // transmit FIFO always drained
    if (this.rxCount === 0) fr |= FR_RXFE;
    if (this.rxCount >= this.depth()) fr |= FR_RXFF;
    return fr;
  }

  private transmit(byte: number): void {
    // The whole byte goes to the backend whatever LCR_H.WLEN says: the reset
    // value selects 5-bit words, and bare-metal programs that never set up the
    // line (as QEMU lets them) would otherwise print garbage. QEMU's pl011 also
    // passes all 8 bits to its character backend.
    const data = byte & 0xff;
    if (this.backend !== null) this.backend.transmit(data);
    if ((this.cr.value & CR_LBE) !== 0) this.pushRx(data);
    // The transmit FIFO drained through its trigger level (TRM 2.8.2).
    this.ris |= INT_TX;
    this.updateIrq();
  }

  private pushRx(value: number): void {
    if (this.rxCount >= this.depth()) {
      // Overrun: the character is lost and OE is flagged on the last entry (TRM 3.3.1).
      const last = (this.rxHead + this.rxCount - 1) % FIFO_DEPTH;
      this.rxFifo[last] |= DR_OE;
      this.ris |= INT_OE;
      this.updateIrq();
      return;
    }
    this.rxFifo[(this.rxHead + this.rxCount) % FIFO_DEPTH] = value;
    this.rxCount++;
    if (this.rxCount === this.rxTrigger()) this.ris |= INT_RX;
    this.armTimeout();
    this.updateIrq();
  }

  private popRx(): void {
    if (this.rxCount === 0) return;
    const entry = this.rxFifo[this.rxHead];
    this.rsr = (entry >> 8) & 0xf;
    this.rxHead = (this.rxHead + 1) % FIFO_DEPTH;
    this.rxCount--;
    if (this.rxCount < this.rxTrigger()) this.ris &= ~INT_RX;
    if (this.rxCount === 0) {
      this.ris &= ~INT_RT;
      this.cancelTimeout();
    }
    this.updateIrq();
  }

  private flushRx(): void {
    this.rxHead = 0;
    this.rxCount = 0;
    this.ris &= ~(INT_RX | INT_RT);
    this.cancelTimeout();
    this.updateIrq();
  }

  /** Nanoseconds of one bit at the programmed baud rate. */
  bitPeriodNs(): number {
    const divisor = this.ibrd.value + this.fbrd.value / 64;
    const baud = this.ibrd.value === 0 ? 115200 : this.uartClockHz / (16 * divisor);
    return 1e9 / baud;
  }

  /** Arm the receive timeout 32 bit periods from now, or at `at` (a restored snapshot's deadline). */
  private armTimeout(at?: number): void {
    this.cancelTimeout();
    this.timeout = this.clock.schedule(at ?? this.clock.now + Math.ceil(32 * this.bitPeriodNs()), () => {
      this.timeout = null;
      if (this.rxCount > 0) {
        this.ris |= INT_RT;
        this.updateIrq();
      }
    }, `${this.name} rx timeout`);
  }

  private cancelTimeout(): void {
    if (this.timeout !== null) {
      this.clock.cancel(this.timeout);
      this.timeout = null;
    }
  }

  /** In loopback the modem outputs drive the modem inputs (TRM 3.3.8, LBE). */
  private updateModemLoopback(): void {
    const cr = this.cr.value;
    let next = 0;
    if ((cr & CR_LBE) !== 0) {
      if ((cr & CR_RTS) !== 0) next |= FR_CTS;
      if ((cr & CR_DTR) !== 0) next |= FR_DSR;
      if ((cr & CR_OUT1) !== 0) next |= FR_DCD;
      if ((cr & CR_OUT2) !== 0) next |= FR_RI;
    }
    const changed = next ^ this.modem;
    this.modem = next;
    // A change on a modem status input raises its interrupt (TRM 2.8.4).
    if ((changed & FR_CTS) !== 0) this.ris |= INT_CTSM;
    if ((changed & FR_DSR) !== 0) this.ris |= INT_DSRM;
    if ((changed & FR_DCD) !== 0) this.ris |= INT_DCDM;
    if ((changed & FR_RI) !== 0) this.ris |= INT_RIM;
    this.updateIrq();
  }
}
