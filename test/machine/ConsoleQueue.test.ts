import test from 'ava';
import { ConsoleQueue } from '../../src/machine/ConsoleQueue.ts';
import { StopReason } from '../../src/machine/Cpu.ts';
import { Machine } from '../../src/machine/Machine.ts';
import type { SerialBackend, SerialDevice } from '../../src/machine/SerialPort.ts';
import { FakeCpu } from './FakeCpu.ts';

/** A receiver with a small FIFO that counts bytes offered while it was full. */
class FakeUart implements SerialDevice {
  readonly fifo: number[] = [];
  enabled = true;
  overflows = 0;
  constructor(readonly depth: number) {}
  attachBackend(_backend: SerialBackend): void {}
  canReceive(): boolean {
    return this.enabled && this.fifo.length < this.depth;
  }
  receive(byte: number): void {
    if (!this.canReceive()) this.overflows++;
    else this.fifo.push(byte);
  }
}

test('bytes wait until the UART can take them, in order', (t) => {
  const q = new ConsoleQueue();
  const uart = new FakeUart(4);
  q.push('hello, world');
  t.is(q.pump(), 0, 'nothing attached yet');
  q.attach(uart);
  t.is(q.pump(), 4);
  t.deepEqual(uart.fifo, [...'hell'].map((c) => c.charCodeAt(0)));
  t.is(q.pending, 8);
  t.is(q.pump(), 0, 'FIFO full: nothing is offered');
  uart.fifo.length = 0;
  uart.enabled = false;
  t.is(q.pump(), 0);
  uart.enabled = true;
  t.is(q.pump(), 4);
  t.deepEqual(String.fromCharCode(...uart.fifo), 'o, w');
  t.is(q.delivered, 8);
  t.is(uart.overflows, 0);
});

test('the queue grows without reordering while partly drained', (t) => {
  const q = new ConsoleQueue();
  const uart = new FakeUart(100);
  q.attach(uart);
  const sent: number[] = [];
  const got: number[] = [];
  for (let round = 0; round < 40; round++) {
    const chunk = Array.from({ length: 37 + round * 13 }, (_, i) => (round * 7 + i) & 0xff);
    sent.push(...chunk);
    q.push(Uint8Array.from(chunk));
    q.pump();
    got.push(...uart.fifo.splice(0, 60));
  }
  while (q.pending > 0 || uart.fifo.length > 0) {
    q.pump();
    got.push(...uart.fifo.splice(0));
  }
  t.deepEqual(got, sent);
});

test('strings are queued as UTF-8; end() closes the input', (t) => {
  const q = new ConsoleQueue();
  q.push('é\n');
  t.is(q.pending, 3);
  t.true(q.open);
  q.end();
  t.false(q.open);
});

/**
 * A machine whose single core reads one byte from the UART's FIFO every
 * `period` instructions, recording when (virtual ns) it got each byte.
 */
function guestReading(uart: FakeUart, period: number) {
  const machine = new Machine({ littleEndian: true, quantumNs: 1000 });
  const cpu = new FakeCpu('cpu0', 0, machine.clock, machine.stopFlag);
  const got: Array<[number, number]> = [];
  cpu.step = (c) => {
    if (c.retired % period === 0 && uart.fifo.length > 0) got.push([machine.clock.now, uart.fifo.shift() as number]);
  };
  machine.addCpu(cpu);
  machine.console.attach(uart);
  return { machine, got };
}

test('piped input is never lost while the guest leaves the FIFO full for a long time', (t) => {
  const uart = new FakeUart(16);
  const { machine, got } = guestReading(uart, 5000);
  const input = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  machine.console.push(input);
  // A slow reader: one byte per 5 µs, far slower than input is offered.
  machine.run({ maxTimeNs: 2_000_000 });
  t.is(uart.overflows, 0);
  t.deepEqual(got.map((g) => g[1]), [...input]);
  t.is(machine.console.pending, 0);
});

test('bytes queued before the run arrive at the same virtual times on every run', (t) => {
  const times = () => {
    const uart = new FakeUart(1);
    const { machine, got } = guestReading(uart, 300);
    machine.console.push('determinism');
    machine.run({ maxTimeNs: 100_000 });
    return got;
  };
  const first = times();
  t.is(String.fromCharCode(...first.map((g) => g[1])), 'determinism');
  // A one-byte FIFO is refilled at window boundaries (0, 1000, 2000 ns with a
  // 1 µs quantum); the guest reads at the next multiple of 300 instructions.
  t.deepEqual(first.slice(0, 3).map((g) => g[0]), [300, 1200, 2100]);
  t.deepEqual(times(), first);
});

test('a guest idle with input it will not take is a deadlock that says so', (t) => {
  const uart = new FakeUart(2);
  uart.enabled = false;
  const machine = new Machine({ littleEndian: true });
  const cpu = new FakeCpu('cpu0', 0, machine.clock, machine.stopFlag);
  cpu.step = () => StopReason.Idle; // WFI at once
  machine.addCpu(cpu);
  machine.console.attach(uart);
  machine.console.push('abc');
  const r = machine.run({ maxTimeNs: 1e9 });
  t.is(r.kind, 'deadlock');
  t.regex((r as { message: string }).message, /3 console input byte\(s\) wait for the UART/);
});
