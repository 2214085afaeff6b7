import test from 'ava';
import { Pl011Uart, INT_RX, INT_TX, INT_RT, INT_OE } from '../../peripherals/uart/Pl011Uart.ts';
import { pl011Model } from '../../peripherals/uart/pl011Model.ts';
import { isSerialDevice } from '../../src/machine/SerialPort.ts';
import { IrqLine } from '../../src/machine/IrqLine.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import { RecordingSink, advance, cellsProp, stringProp, testContext } from './support/deviceContext.ts';
import { DeviceTree, DtNode } from '../../dts/model/DeviceTree.ts';

const DR = 0x00, RSR = 0x04, FR = 0x18, IBRD = 0x24, FBRD = 0x28, LCRH = 0x2c, CR = 0x30, IFLS = 0x34;
const IMSC = 0x38, RIS = 0x3c, MIS = 0x40, ICR = 0x44, DMACR = 0x48;

function make() {
  const clock = new VirtualClock();
  const sink = new RecordingSink();
  const uart = new Pl011Uart({ name: 'pl011@9000000', irq: new IrqLine(sink, 33), clock });
  const sent: number[] = [];
  uart.attachBackend({ transmit: (b) => sent.push(b) });
  return { uart, clock, sink, sent, irq: () => sink.level(33) };
}

/** What U-Boot's pl011 driver does on QEMU virt (oracle trace): CR=0, LCR_H=0x70 (8N1, FIFOs), CR=0xb01. */
function ubootInit(uart: Pl011Uart) {
  uart.write(CR, 4, 0);
  uart.write(LCRH, 4, 0x70);
  uart.write(CR, 4, 0xb01);
}

test('reset values from the TRM (FR=0x90, CR=0x300, IFLS=0x12, others 0)', (t) => {
  const { uart } = make();
  t.is(uart.read(FR, 4), 0x90);
  t.is(uart.read(CR, 4), 0x300);
  t.is(uart.read(IFLS, 4), 0x12);
  for (const off of [RSR, IBRD, FBRD, LCRH, IMSC, RIS, MIS, DMACR]) t.is(uart.read(off, 4), 0, `offset ${off}`);
});

test('PeriphID/CellID read as QEMU\'s pl011: 0x11 0x10 0x14 0x00 0x0d 0xf0 0x05 0xb1', (t) => {
  const { uart } = make();
  const ids = [];
  for (let off = 0xfe0; off < 0x1000; off += 4) ids.push(uart.read(off, 4));
  t.deepEqual(ids, [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
  uart.write(0xfe0, 4, 0xff);
  t.is(uart.read(0xfe0, 4), 0x11);
});

test('U-Boot\'s polled output: FR reads 0x90 and each DR write reaches the backend at once', (t) => {
  const { uart, sent } = make();
  ubootInit(uart);
  for (const ch of '\r\nU-Boot') {
    t.is(uart.read(FR, 4), 0x90);
    uart.write(DR, 4, ch.charCodeAt(0));
  }
  t.is(String.fromCharCode(...sent), '\r\nU-Boot');
  t.is(uart.read(LCRH, 4), 0x70);
  t.is(uart.read(CR, 4), 0xb01);
});

test('register widths: IBRD 16 bits, FBRD 6 bits, LCR_H 8 bits, IFLS 6 bits, CR reserved bits 6:3', (t) => {
  const { uart } = make();
  uart.write(IBRD, 4, 0xffffffff);
  uart.write(FBRD, 4, 0xffffffff);
  uart.write(LCRH, 4, 0xffffffff);
  uart.write(IFLS, 4, 0xffffffff);
  uart.write(CR, 4, 0xffffffff);
  t.is(uart.read(IBRD, 4), 0xffff);
  t.is(uart.read(FBRD, 4), 0x3f);
  t.is(uart.read(LCRH, 4), 0xff);
  t.is(uart.read(IFLS, 4), 0x3f);
  t.is(uart.read(CR, 4), 0xff87);
});

test('receive FIFO: 16 entries in order, RXFF when full, canReceive false, RXFE when drained', (t) => {
  const { uart } = make();
  ubootInit(uart);
  for (let i = 0; i < 16; i++) {
    t.true(uart.canReceive());
    uart.receive(0x41 + i);
  }
  t.false(uart.canReceive());
  t.is(uart.read(FR, 4) & 0x50, 0x40);            // RXFF set, RXFE clear
  const got = [];
  for (let i = 0; i < 16; i++) got.push(uart.read(DR, 4));
  t.deepEqual(got, Array.from({ length: 16 }, (_, i) => 0x41 + i));
  t.is(uart.read(FR, 4), 0x90);
});

test('with FIFOs disabled (LCR_H.FEN=0) the receiver holds one character', (t) => {
  const { uart } = make();
  uart.write(CR, 4, 0x301);
  uart.receive(0x31);
  t.false(uart.canReceive());
  t.is(uart.read(FR, 4) & 0x50, 0x40);
  t.is(uart.read(DR, 4), 0x31);
  t.true(uart.canReceive());
});

test('the receiver takes nothing while UARTEN or RXE is clear, or in loopback', (t) => {
  const { uart } = make();
  t.false(uart.canReceive());                       // reset CR = 0x300: UARTEN clear
  uart.write(CR, 4, 0x101);                          // RXE clear
  t.false(uart.canReceive());
  uart.write(CR, 4, 0x381);                          // LBE
  t.false(uart.canReceive());
  uart.write(CR, 4, 0x301);
  t.true(uart.canReceive());
});

test('RX interrupt at the IFLS trigger level, cleared when the level drops below it; masked by IMSC', (t) => {
  const { uart, irq } = make();
  ubootInit(uart);                                   // IFLS reset 0x12: RX trigger 1/2 = 8 bytes
  for (let i = 0; i < 7; i++) uart.receive(i);
  t.is(uart.read(RIS, 4) & INT_RX, 0);
  uart.receive(7);
  t.is(uart.read(RIS, 4) & INT_RX, INT_RX);
  t.false(irq(), 'RX not enabled in IMSC');
  t.is(uart.read(MIS, 4), 0);
  uart.write(IMSC, 4, INT_RX);
  t.true(irq());
  t.is(uart.read(MIS, 4), INT_RX);
  uart.read(DR, 4);                                  // 7 left: below the trigger
  t.is(uart.read(RIS, 4) & INT_RX, 0);
  t.false(irq());
});

test('RXIFLSEL 1/8 triggers at 2 bytes', (t) => {
  const { uart } = make();
  ubootInit(uart);
  uart.write(IFLS, 4, 0 << 3);
  uart.receive(1);
  t.is(uart.read(RIS, 4) & INT_RX, 0);
  uart.receive(2);
  t.is(uart.read(RIS, 4) & INT_RX, INT_RX);
});

test('receive timeout: data left below the trigger raises RT after 32 bit periods, reading it empty clears RT', (t) => {
  const { uart, clock, irq } = make();
  ubootInit(uart);
  uart.write(IBRD, 4, 13);                           // 24 MHz / (16 × 13.015625) ≈ 115246 baud
  uart.write(FBRD, 4, 1);
  uart.write(IMSC, 4, INT_RT);
  uart.receive(0x61);
  const period = 32 * 1e9 / (24e6 / (16 * (13 + 1 / 64)));   // ≈ 277.7 µs
  advance(clock, Math.floor(period) - 1000);
  t.is(uart.read(RIS, 4) & INT_RT, 0);
  advance(clock, 2000);
  t.is(uart.read(RIS, 4) & INT_RT, INT_RT);
  t.true(irq());
  t.is(uart.read(DR, 4), 0x61);
  t.is(uart.read(RIS, 4) & INT_RT, 0);
  t.false(irq());
});

test('a new character restarts the receive timeout', (t) => {
  const { uart, clock } = make();
  ubootInit(uart);                                   // IBRD 0: timed at 115200 baud → 277.8 µs
  uart.receive(1);
  advance(clock, 200_000);
  uart.receive(2);
  advance(clock, 200_000);
  t.is(uart.read(RIS, 4) & INT_RT, 0);
  advance(clock, 100_000);
  t.is(uart.read(RIS, 4) & INT_RT, INT_RT);
});

test('TX interrupt after a transmit, cleared through ICR; ICR is write-only', (t) => {
  const { uart, irq } = make();
  ubootInit(uart);
  uart.write(IMSC, 4, INT_TX);
  t.false(irq());
  uart.write(DR, 4, 0x41);
  t.is(uart.read(RIS, 4) & INT_TX, INT_TX);
  t.true(irq());
  uart.write(ICR, 4, INT_TX);
  t.is(uart.read(RIS, 4), 0);
  t.false(irq());
  t.is(uart.read(ICR, 4), 0);
});

test('loopback: transmitted data comes back into the RX FIFO; modem outputs drive FR modem bits', (t) => {
  const { uart, sent } = make();
  uart.write(LCRH, 4, 0x70);
  uart.write(CR, 4, 0x0381 | (1 << 11));            // UARTEN TXE RXE LBE RTS
  uart.write(DR, 4, 0x5a);
  t.deepEqual(sent, [0x5a]);
  t.is(uart.read(DR, 4), 0x5a);
  t.is(uart.read(FR, 4) & 1, 1, 'CTS follows RTS in loopback');
  t.is(uart.read(RIS, 4) & 0x2, 0x2, 'CTS modem interrupt on the change');
});

test('overrun: a character arriving at a full FIFO is lost and flags OE', (t) => {
  const { uart } = make();
  uart.write(LCRH, 4, 0x70);
  uart.write(CR, 4, 0x0381);
  for (let i = 0; i < 17; i++) uart.write(DR, 4, 0x30 + i);
  t.is(uart.rxLevel, 16);
  t.is(uart.read(RIS, 4) & INT_OE, INT_OE);
  for (let i = 0; i < 15; i++) uart.read(DR, 4);
  t.is(uart.read(DR, 4), (1 << 11) | 0x3f, 'OE bit on the last character before the lost one');
  t.is(uart.read(RSR, 4), 0x8);
  uart.write(RSR, 4, 0);
  t.is(uart.read(RSR, 4), 0);
});

test('the whole byte reaches the terminal whatever WLEN says, as with QEMU', (t) => {
  // At reset LCR_H.WLEN selects 5-bit words; firmware that never sets up the
  // line still prints readable text under QEMU, so it must here too.
  const { uart, sent } = make();
  uart.write(DR, 4, 0x48);
  uart.write(LCRH, 4, 0x40);                         // WLEN = 7 bits
  uart.write(DR, 4, 0xff);
  t.deepEqual(sent, [0x48, 0xff]);
});

test('byte accesses: a 1-byte read of FR gives its low byte', (t) => {
  const { uart } = make();
  t.is(uart.read(FR, 1), 0x90);
  t.is(uart.read(CR + 1, 1), 0x03);
});

test('snapshot and restore keep FIFO contents and interrupt state', (t) => {
  const a = make();
  ubootInit(a.uart);
  a.uart.write(IMSC, 4, INT_RX);
  a.uart.write(IFLS, 4, 0);
  a.uart.receive(0x10);
  a.uart.receive(0x20);
  const snap = JSON.parse(JSON.stringify(a.uart.snapshot()));
  const b = make();
  b.uart.restore(snap);
  t.true(b.irq());
  t.is(b.uart.read(DR, 4), 0x10);
  t.is(b.uart.read(DR, 4), 0x20);
  t.is(b.uart.read(LCRH, 4), 0x70);
});

test('factory: one window, first interrupt, UARTCLK from the fixed clock the node names', (t) => {
  const tree = new DeviceTree();
  const clk = new DtNode('apb-pclk');
  clk.properties.push(stringProp('compatible', 'fixed-clock'), cellsProp('clock-frequency', 0x16e3600), cellsProp('phandle', 0x8000));
  tree.root.addChild(clk);
  const ctx = testContext({
    name: 'pl011@9000000', tree,
    props: [stringProp('compatible', 'arm,pl011', 'arm,primecell'), cellsProp('clocks', 0x8000, 0x8000), stringProp('clock-names', 'uartclk', 'apb_pclk')],
  });
  const inst = pl011Model.factory(ctx);
  t.deepEqual(inst.mappings.map((m) => [m.address, m.size]), [[0x9000000, 0x1000]]);
  t.true(isSerialDevice(inst.model));
  const uart = inst.model as Pl011Uart;
  uart.write(IBRD, 4, 13);
  uart.write(FBRD, 4, 1);
  t.is(Math.round(1e9 / uart.bitPeriodNs()), 115246);
  uart.write(CR, 4, 0x301);
  uart.write(IMSC, 4, INT_RX);
  uart.receive(1);
  t.true(ctx.sink.level(0));
  uart.read(0x100, 4);
  t.regex(ctx.logLines[0], /pl011@9000000: read of unknown offset \+0x100/);
});

test('factory: a node without reg is an input error', (t) => {
  const ctx = testContext({ regs: [] });
  t.throws(() => pl011Model.factory(ctx), { message: /needs 1 reg entry/ });
});

test('reset empties the FIFO, drops the interrupt and restores reset values', (t) => {
  const { uart, irq } = make();
  ubootInit(uart);
  uart.write(IMSC, 4, INT_RX);
  uart.write(IFLS, 4, 0);
  uart.receive(1);
  uart.receive(2);
  t.true(irq());
  uart.reset();
  t.false(irq());
  t.is(uart.rxLevel, 0);
  t.is(uart.read(CR, 4), 0x300);
  t.is(uart.read(FR, 4), 0x90);
});
