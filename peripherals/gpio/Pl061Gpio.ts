import type { AccessWidth, MmioDevice, PcProvider } from '../../src/machine/MmioDevice.ts';
import { IrqLine, type IrqSink } from '../../src/machine/IrqLine.ts';
import { RegisterBlock, type RegisterBlockSnapshot, type RegisterHandle } from '../RegisterBlock.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import { primeCellIdRegisters } from '../PrimeCellId.ts';
import type { DeviceModelInfo } from '../DeviceModel.ts';
import { requireRegs } from '../NodeProperties.ts';

/**
 * ARM PrimeCell GPIO PL061 (ARM DDI 0190): eight pins, each an input or an
 * output (GPIODIR), with edge or level interrupt detection per pin and one
 * combined interrupt output.
 *
 * GPIODATA is addressed through a mask: address bits [9:2] select which pins
 * a read returns and a write may change (DDI 0190 3.3.1). Detection looks at
 * the pin as driven (outputs) or as seen (inputs). Inputs arrive through
 * `setInput` or, wired as an interrupt-style line, `setIrqLevel(pin, level)`.
 */

export interface Pl061Options {
  readonly name: string;
  readonly irq?: IrqLine;
  readonly log?: (message: string) => void;
  readonly pc?: PcProvider;
  readonly baseAddress?: number;
  readonly bigEndian?: boolean;
}

export interface Pl061Snapshot {
  readonly registers: RegisterBlockSnapshot;
  readonly inputs: number;
  readonly outputs: number;
  readonly edgeStatus: number;
}

export class Pl061Gpio implements MmioDevice, IrqSink {
  readonly name: string;
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  readonly registers: RegisterBlock;

  private readonly irq: IrqLine;
  /** Levels on the pins from outside. */
  private inputs = 0;
  /** Levels the block drives on pins configured as outputs. */
  private outputs = 0;
  /** Latched edge-detected interrupts (cleared through GPIOIC). */
  private edgeStatus = 0;
  /** Pin levels as last seen by the edge detector. */
  private lastPads = 0;
  private readonly outputListeners: Array<(pin: number, level: boolean) => void> = [];

  private readonly dir: RegisterHandle;
  private readonly is: RegisterHandle;
  private readonly ibe: RegisterHandle;
  private readonly iev: RegisterHandle;
  private readonly ie: RegisterHandle;

  constructor(opts: Pl061Options) {
    this.name = opts.name;
    this.irq = opts.irq ?? IrqLine.unconnected(`${opts.name}.irq`);
    const changed = () => this.padsChanged();
    this.registers = new RegisterBlock(opts.name, [
      {
        name: 'GPIODATA', offset: 0x000, count: 256, stride: 4, writeMask: 0xff,
        value: (mask) => this.pads() & mask,
        onWrite: (_v, _p, mask, written) => {
          const m = mask & this.dir.value;
          this.setOutputs((this.outputs & ~m) | (written & m));
        },
      },
      { name: 'GPIODIR', offset: 0x400, writeMask: 0xff, onWrite: changed },
      { name: 'GPIOIS', offset: 0x404, writeMask: 0xff, onWrite: () => this.updateIrq() },
      { name: 'GPIOIBE', offset: 0x408, writeMask: 0xff, onWrite: () => this.updateIrq() },
      { name: 'GPIOIEV', offset: 0x40c, writeMask: 0xff, onWrite: () => this.updateIrq() },
      { name: 'GPIOIE', offset: 0x410, writeMask: 0xff, onWrite: () => this.updateIrq() },
      { name: 'GPIORIS', offset: 0x414, access: 'R', value: () => this.rawStatus() },
      { name: 'GPIOMIS', offset: 0x418, access: 'R', value: () => this.rawStatus() & this.ie.value },
      {
        name: 'GPIOIC', offset: 0x41c, access: 'W', writeMask: 0xff,
        onWrite: (_v, _p, _i, written) => { this.edgeStatus &= ~written; this.updateIrq(); },
      },
      { name: 'GPIOAFSEL', offset: 0x420, writeMask: 0xff },
      // As QEMU's pl061 (ARM part 0x061): 0x61 0x10 0x04 0x00, PrimeCell 0x0d 0xf0 0x05 0xb1.
      ...primeCellIdRegisters([0x61, 0x10, 0x04, 0x00], [0x0d, 0xf0, 0x05, 0xb1]),
    ], new DeviceAccessLog(opts.name, opts.log ?? (() => {}), opts.pc, opts.baseAddress), { bigEndian: opts.bigEndian });
    this.dir = this.registers.reg('GPIODIR');
    this.is = this.registers.reg('GPIOIS');
    this.ibe = this.registers.reg('GPIOIBE');
    this.iev = this.registers.reg('GPIOIEV');
    this.ie = this.registers.reg('GPIOIE');
  }

  read(offset: number, width: AccessWidth): number {
    return this.registers.read(offset, width);
  }

  write(offset: number, width: AccessWidth, value: number): void {
    this.registers.write(offset, width, value);
  }

  reset(): void {
    this.registers.reset();
    this.outputs = 0;
    this.edgeStatus = 0;
    this.lastPads = this.pads();
    this.updateIrq();
  }

  /** Drive input pin `pin` (0–7) from outside. */
  setInput(pin: number, level: boolean): void {
    if (pin < 0 || pin > 7) return;
    const bit = 1 << pin;
    this.inputs = level ? this.inputs | bit : this.inputs & ~bit;
    this.padsChanged();
  }

  /** IrqSink: a line wired to pin `input`. */
  setIrqLevel(input: number, level: boolean): void {
    this.setInput(input, level);
  }

  /** Told when an output pin changes level. */
  onOutputChange(listener: (pin: number, level: boolean) => void): void {
    this.outputListeners.push(listener);
  }

  /** Pin levels: outputs as driven, inputs as seen. */
  pads(): number {
    const dir = this.dir.value;
    return ((this.outputs & dir) | (this.inputs & ~dir)) & 0xff;
  }

  private setOutputs(value: number): void {
    const before = this.outputs & this.dir.value;
    this.outputs = value & 0xff;
    const diff = before ^ (this.outputs & this.dir.value);
    for (let pin = 0; pin < 8; pin++) {
      if ((diff & (1 << pin)) !== 0) for (const l of this.outputListeners) l(pin, (this.outputs & (1 << pin)) !== 0);
    }
    this.padsChanged();
  }

  /** Edge detection on pins set for edges (GPIOIS = 0), then the output line. */
  private padsChanged(): void {
    const now = this.pads();
    const rising = now & ~this.lastPads;
    const falling = ~now & this.lastPads & 0xff;
    this.lastPads = now;
    const edgePins = ~this.is.value & 0xff;
    const both = this.ibe.value;
    const iev = this.iev.value;
    // Both edges when GPIOIBE, else rising when GPIOIEV = 1, falling when 0 (DDI 0190 3.3.3–3.3.5).
    const detected = ((rising | falling) & both) | (rising & iev & ~both) | (falling & ~iev & ~both);
    this.edgeStatus |= detected & edgePins;
    this.updateIrq();
  }

  /** GPIORIS: latched edges plus level-sensitive pins at their active level. */
  private rawStatus(): number {
    const level = this.is.value;
    const active = ~(this.pads() ^ this.iev.value) & 0xff;    // high when IEV = 1, low when 0
    return ((this.edgeStatus & ~level) | (active & level)) & 0xff;
  }

  /** The combined interrupt output (GPIOINTR): OR of the masked status bits. */
  updateIrq(): void {
    this.irq.set((this.rawStatus() & this.ie.value) !== 0);
  }

  snapshot(): Pl061Snapshot {
    return { registers: this.registers.snapshot(), inputs: this.inputs, outputs: this.outputs, edgeStatus: this.edgeStatus };
  }

  restore(s: Pl061Snapshot): void {
    this.registers.restore(s.registers);
    this.inputs = s.inputs;
    this.outputs = s.outputs;
    this.edgeStatus = s.edgeStatus;
    this.lastPads = this.pads();
    this.updateIrq();
  }
}

/** Device-tree binding (gpio/pl061-gpio.yaml): `compatible = "arm,pl061", "arm,primecell"`, one reg, one interrupt. */
export const pl061Model: DeviceModelInfo = {
  compatible: ['arm,pl061'],
  description: 'ARM PrimeCell PL061 GPIO (8 pins, masked data access, edge/level interrupts)',
  factory(ctx) {
    requireRegs(ctx.node, ctx.regs, 1, 'a PL061');
    const r = ctx.regs[0];
    const gpio = new Pl061Gpio({
      name: ctx.name, irq: ctx.irqs[0], log: (m) => ctx.log(m), pc: ctx.pc, baseAddress: r.address, bigEndian: ctx.bigEndian,
    });
    return { mappings: [{ address: r.address, size: r.size, device: gpio }], model: gpio };
  },
};
