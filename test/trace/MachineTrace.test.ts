import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuiltMachine } from '../../src/board/MachineBuilder.ts';
import { openTraces } from '../../src/cli/TraceOption.ts';
import { IrqLine, type IrqSink } from '../../src/machine/IrqLine.ts';
import { Machine } from '../../src/machine/Machine.ts';
import type { AccessWidth, MmioDevice } from '../../src/machine/MmioDevice.ts';
import { MachineTrace } from '../../src/trace/MachineTrace.ts';
import { TraceEventFile } from '../../src/trace/TraceEventFile.ts';
import { FakeCpu } from '../machine/FakeCpu.ts';
import { traceEventProblems } from './TraceEventChecker.ts';

type Event = { name: string; ph: string; pid: number; tid: number; ts?: number; dur?: number; args?: Record<string, unknown> };

/**
 * Two cores on two lanes (physical cores) covering the same windows one after
 * the other: cpu0 writes a device register at its 500th instruction and raises
 * an interrupt line at its 700th; cpu1 only runs.
 */
function twoCoreMachine() {
  const machine = new Machine({ littleEndian: true });
  const writes: Array<[number, number]> = [];
  const device: MmioDevice = {
    name: 'dev@1000',
    widths: [4],
    read: () => 0x11,
    write: (offset: number, _w: AccessWidth, value: number) => void writes.push([offset, value]),
    reset() {},
  };
  machine.bus.mapMmio('dev', 0x1000, 0x100, device);
  const levels: Array<[number, boolean]> = [];
  const controller: IrqSink = { setIrqLevel: (input, level) => void levels.push([input, level]) };
  const line = new IrqLine(controller, 37, 'dev@1000 -> ctl:37');
  const cpu0 = new FakeCpu('cpu0', 0, machine.clock, machine.stopFlag);
  const cpu1 = new FakeCpu('cpu1', 1, machine.clock, machine.stopFlag);
  cpu0.step = (c) => {
    if (c.retired === 500) machine.bus.write32(0x1004, 42);
    if (c.retired === 600) machine.bus.read32(0x1008);
    if (c.retired === 700) line.raise();
  };
  machine.addCpu(cpu0);
  machine.addCpu(cpu1);
  const built = { machine, board: { name: 'two-lanes' }, cpus: [cpu0, cpu1], irqLines: [line], warnings: [], summary: '' } as unknown as BuiltMachine;
  return { machine, built, line, controller, writes, levels };
}

test('without --trace or --trace-out nothing is attached to the machine', (t) => {
  const { machine, built, line, controller } = twoCoreMachine();
  t.is(openTraces(undefined, undefined, built, { stdout() {}, stderr() {}, isTty: false }), undefined);
  t.is(line.sink, controller);
  t.is(machine.scheduler.onSlice, null);
});

test('a traced two-core machine: device accesses and line changes named after the core and its virtual time; the devices see the same accesses', (t) => {
  const { machine, built, line, controller, writes, levels } = twoCoreMachine();
  const lines: string[] = [];
  const trace = new MachineTrace(built, { kinds: new Set(['mmio', 'irq']), sink: (l) => lines.push(l) });
  t.not(line.sink, controller);
  machine.run({ maxTimeNs: 20_000 });
  trace.close();
  // The device and the controller got what they would have without the trace.
  t.deepEqual(writes, [[4, 42]]);
  t.deepEqual(levels, [[37, true]]);
  t.deepEqual(lines, [
    '[cpu0] t=500 mmio write dev@1000 offset=0x4 size=4 value=0x0000002a pc=0x7d0',
    '[cpu0] t=600 mmio read dev@1000 offset=0x8 size=4 value=0x00000011 pc=0x960',
    '[cpu0] t=700 irq line input=37 raised (dev@1000 -> ctl:37)',
  ]);
});

test('the timeline of two lanes: one track per core, each in time order, slices merged over the windows', (t) => {
  const { machine, built } = twoCoreMachine();
  const path = join(mkdtempSync(join(tmpdir(), 'tskvm-mt-')), 't.json');
  const file = new TraceEventFile(path);
  const trace = new MachineTrace(built, { kinds: new Set(), timeline: file });
  machine.run({ maxTimeNs: 50_000 });
  trace.close();
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: Event[] };
  t.deepEqual(traceEventProblems(doc), []);
  const slices = doc.traceEvents.filter((e) => e.ph === 'X');
  // Both cores ran the whole 50 µs, window after window (10 µs quanta), each as one merged slice.
  t.deepEqual(slices.map((e) => [e.tid, e.name, e.ts, e.dur]).sort(), [[1, 'cpu0', 0, 50], [2, 'cpu1', 0, 50]]);
  const threads = doc.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [e.tid, e.args!.name]);
  t.deepEqual(threads.filter(([tid]) => tid !== 999).sort(), [[1, 'core 0'], [2, 'core 1']]);
  // The line rose on core 0 at 0.7 µs, inside its slice.
  const raised = doc.traceEvents.find((e) => e.name === 'line 37 raised')!;
  t.deepEqual([raised.tid, raised.ts], [1, 0.7]);
});
