import type { DeviceModelInfo } from '../DeviceModel.ts';
import { fixedClockFrequency, requireRegs } from '../NodeProperties.ts';
import { Pl011Uart } from './Pl011Uart.ts';

/**
 * Device-tree binding: `compatible = "arm,pl011", "arm,primecell"`, one reg
 * window, one interrupt (UARTINTR), `clocks`/`clock-names = "uartclk", …`
 * naming a fixed-clock whose frequency is UARTCLK (24 MHz when absent).
 */
export const pl011Model: DeviceModelInfo = {
  compatible: ['arm,pl011'],
  description: 'ARM PrimeCell PL011 UART (16-byte RX FIFO, instant TX, RX/TX/RT/modem interrupts)',
  factory(ctx) {
    requireRegs(ctx.node, ctx.regs, 1, 'a PL011');
    const uart = new Pl011Uart({
      name: ctx.name,
      irq: ctx.irqs[0],
      clock: ctx.clock,
      uartClockHz: fixedClockFrequency(ctx.tree, ctx.node, 'uartclk'),
      log: (m) => ctx.log(m),
      pc: ctx.pc,
      baseAddress: ctx.regs[0].address,
      bigEndian: ctx.bigEndian,
    });
    return { mappings: [{ address: ctx.regs[0].address, size: ctx.regs[0].size, device: uart }], model: uart };
  },
};
