import test from 'ava';
import { Pl061Gpio, pl061Model } from '../../peripherals/gpio/Pl061Gpio.ts';
import { IrqLine } from '../../src/machine/IrqLine.ts';
import { RecordingSink, testContext } from './support/deviceContext.ts';

const DIR = 0x400, IS = 0x404, IBE = 0x408, IEV = 0x40c, IE = 0x410, RIS = 0x414, MIS = 0x418, IC = 0x41c, AFSEL = 0x420;
/** GPIODATA address for a pin mask: the mask is address bits [9:2]. */
const data = (mask: number) => mask << 2;

function make() {
  const sink = new RecordingSink();
  const gpio = new Pl061Gpio({ name: 'pl061@9030000', irq: new IrqLine(sink, 39) });
  return { gpio, irq: () => sink.level(39) };
}

test('reset: all pins inputs, interrupts off, registers 0', (t) => {
  const { gpio } = make();
  for (const off of [DIR, IS, IBE, IEV, IE, RIS, MIS, AFSEL]) t.is(gpio.read(off, 4), 0);
  t.is(gpio.read(data(0xff), 4), 0);
});

test('PeriphID/CellID: PL061 part 0x061', (t) => {
  const { gpio } = make();
  const ids = [];
  for (let off = 0xfe0; off < 0x1000; off += 4) ids.push(gpio.read(off, 4));
  t.deepEqual(ids, [0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
});

test('GPIODATA reads and writes only the pins selected by address bits [9:2]', (t) => {
  const { gpio } = make();
  gpio.write(DIR, 4, 0x0f);                          // pins 0-3 outputs
  gpio.write(data(0xff), 4, 0xff);
  t.is(gpio.read(data(0xff), 4), 0x0f, 'input pins are not driven');
  gpio.write(data(0x01), 4, 0x00);                   // only pin 0 may change
  t.is(gpio.read(data(0xff), 4), 0x0e);
  t.is(gpio.read(data(0x06), 4), 0x06);
  t.is(gpio.read(data(0x01), 4), 0);
  gpio.setInput(7, true);
  t.is(gpio.read(data(0x80), 4), 0x80);
  t.is(gpio.read(data(0x7f), 4), 0x0e);
});

test('output changes are reported to listeners', (t) => {
  const { gpio } = make();
  const seen: Array<[number, boolean]> = [];
  gpio.onOutputChange((p, l) => seen.push([p, l]));
  gpio.write(DIR, 4, 0x04);
  gpio.write(data(0xff), 4, 0x04);
  gpio.write(data(0xff), 4, 0x00);
  t.deepEqual(seen, [[2, true], [2, false]]);
});

test('rising-edge interrupt latches until cleared through GPIOIC; masked by GPIOIE', (t) => {
  const { gpio, irq } = make();
  gpio.write(IEV, 4, 0x08);                          // pin 3 rising (the virt power button)
  gpio.setInput(3, true);
  t.is(gpio.read(RIS, 4), 0x08);
  t.false(irq());
  gpio.write(IE, 4, 0x08);
  t.true(irq());
  t.is(gpio.read(MIS, 4), 0x08);
  gpio.setInput(3, false);
  t.is(gpio.read(RIS, 4), 0x08, 'an edge stays latched');
  gpio.write(IC, 4, 0x08);
  t.is(gpio.read(RIS, 4), 0);
  t.false(irq());
});

test('falling edge when GPIOIEV is 0, both edges with GPIOIBE', (t) => {
  const { gpio } = make();
  gpio.setInput(1, true);
  t.is(gpio.read(RIS, 4), 0);
  gpio.setInput(1, false);
  t.is(gpio.read(RIS, 4), 0x02);
  gpio.write(IC, 4, 0xff);
  gpio.write(IBE, 4, 0x04);
  gpio.setInput(2, true);
  t.is(gpio.read(RIS, 4), 0x04);
  gpio.write(IC, 4, 0xff);
  gpio.setInput(2, false);
  t.is(gpio.read(RIS, 4), 0x04);
});

test('level-sensitive pins follow the pin level and cannot be cleared by GPIOIC', (t) => {
  const { gpio, irq } = make();
  gpio.write(IS, 4, 0x20);
  gpio.write(IEV, 4, 0x20);                          // high level
  gpio.write(IE, 4, 0x20);
  gpio.setInput(5, true);
  t.true(irq());
  gpio.write(IC, 4, 0x20);
  t.true(irq());
  gpio.setInput(5, false);
  t.false(irq());
  gpio.write(IEV, 4, 0);                             // low level
  t.true(irq());
});

test('driven outputs are seen by the detector too', (t) => {
  const { gpio } = make();
  gpio.write(DIR, 4, 0x01);
  gpio.write(IEV, 4, 0x01);
  gpio.write(data(0x01), 4, 1);
  t.is(gpio.read(RIS, 4), 0x01);
});

test('snapshot and restore', (t) => {
  const a = make();
  a.gpio.write(DIR, 4, 0xf0);
  a.gpio.write(data(0xff), 4, 0x30);
  a.gpio.setInput(0, true);
  const b = make();
  b.gpio.restore(JSON.parse(JSON.stringify(a.gpio.snapshot())));
  t.is(b.gpio.read(data(0xff), 4), 0x31);
});

test('factory: pins reachable as an interrupt-style sink', (t) => {
  const ctx = testContext({ name: 'pl061@9030000', regs: [{ address: 0x9030000, size: 0x1000 }] });
  const inst = pl061Model.factory(ctx);
  const gpio = inst.model as Pl061Gpio;
  gpio.write(IEV, 4, 0x08);
  gpio.write(IE, 4, 0x08);
  gpio.setIrqLevel(3, true);
  t.true(ctx.sink.level(0));
});

test('reset makes every pin an input again and clears latched edges', (t) => {
  const { gpio, irq } = make();
  gpio.write(IEV, 4, 0x01);
  gpio.write(IE, 4, 0x01);
  gpio.write(DIR, 4, 0xff);
  gpio.write(data(0xff), 4, 0xff);
  t.true(irq());
  gpio.reset();
  t.false(irq());
  t.is(gpio.read(DIR, 4), 0);
  t.is(gpio.read(data(0xff), 4), 0);
});
