import test from 'ava';
import { StopReason } from '../../src/machine/Cpu.ts';
import { Machine } from '../../src/machine/Machine.ts';
import type { AccessWidth, MmioDevice } from '../../src/machine/MmioDevice.ts';
import { StopFlag } from '../../src/machine/Scheduler.ts';
import { FakeCpu } from './FakeCpu.ts';

class CountingDevice implements MmioDevice {
  readonly widths: readonly AccessWidth[] = [4];
  resets = 0;
  /** PC and core index the machine reported during the last access. */
  lastAccess: [number | undefined, number] = [undefined, -1];
  constructor(readonly name: string, private readonly machine: Machine) {}
  read(): number {
    this.lastAccess = [this.machine.currentPc(), this.machine.currentCpu()];
    return 0;
  }
  write(): void {}
  reset(): void {
    this.resets++;
  }
}

function board() {
  const machine = new Machine({ littleEndian: true, quantumNs: 1000 });
  const cpu = new FakeCpu('cpu0', 0, machine.clock, machine.stopFlag);
  machine.addCpu(cpu);
  const dev = new CountingDevice('timer@1000', machine);
  machine.bus.mapMmio(dev.name, 0x1000, 0x1000, dev);
  machine.addDevice(dev.name, dev);
  return { machine, cpu, dev };
}

test('a power-off request ends the run with its exit code; the first request wins', (t) => {
  const { machine, cpu } = board();
  cpu.step = (c) => {
    if (c.retired === 500) {
      machine.requestStop({ kind: 'poweroff', exitCode: 3 });
      machine.requestStop({ kind: 'guest-error', message: 'too late' });
    }
  };
  t.is(machine.stopRequest, null);
  const r = machine.run({ maxTimeNs: 1e6 });
  t.deepEqual(r, { kind: 'poweroff', exitCode: 3 });
  t.deepEqual(machine.stopRequest, { kind: 'poweroff', exitCode: 3 });
  t.is(cpu.retired, 500, 'the core stopped at the instruction that asked');
  t.is(machine.stopFlag[0], StopFlag.Stop);
  // Running again reports the same stop without executing anything.
  t.deepEqual(machine.run({ maxTimeNs: 1e6 }), r);
  t.is(cpu.retired, 500);
  machine.clearStopRequest();
  machine.run({ maxInstructions: 10 });
  t.is(cpu.retired, 510);
});

test('guest errors and user quits are returned as they were requested', (t) => {
  for (const request of [{ kind: 'guest-error', message: 'undefined instruction at 0x40' }, { kind: 'user-quit' }] as const) {
    const { machine, cpu } = board();
    cpu.step = (c) => {
      if (c.retired === 7) machine.requestStop(request);
    };
    t.deepEqual(machine.run(), request);
  }
});

test('a reset request resets devices and cores, runs reset listeners, and goes on', (t) => {
  const { machine, cpu, dev } = board();
  let boots = 0;
  machine.onReset(() => {
    boots++;
    cpu.setPc(0x8000); // the builder would reload firmware and set the entry here
  });
  let staleFired = false;
  machine.clock.schedule(5000, () => (staleFired = true), 'stale timer');
  cpu.step = (c) => {
    if (boots === 0 && c.retired === 300) machine.requestStop({ kind: 'reset' });
    if (boots === 1 && c.retired === 200) machine.requestStop({ kind: 'poweroff', exitCode: 0 });
  };
  const r = machine.run({ maxTimeNs: 1e6 });
  t.deepEqual(r, { kind: 'poweroff', exitCode: 0 });
  t.is(machine.resetCount, 1);
  t.is(dev.resets, 1);
  t.is(cpu.resets, 1);
  t.is(boots, 1);
  t.is(cpu.pc, 0x8000 + 200 * 4, 'ran from the entry the listener set');
  t.false(staleFired, 'events pending before the reset were dropped');
  t.is(machine.clock.now, 500, 'virtual time keeps going across a reset');
});

test('devices learn which core and pc are accessing them', (t) => {
  const { machine, cpu, dev } = board();
  cpu.step = (c) => {
    if (c.retired === 10) machine.bus.read32(0x1000);
  };
  machine.run({ maxInstructions: 20 });
  t.deepEqual(dev.lastAccess, [40, 0]);
  t.is(machine.currentPc(), undefined, 'no core runs between runs');
});

test('limits are relative to the start of each run', (t) => {
  const { machine, cpu } = board();
  t.deepEqual(machine.run({ maxTimeNs: 1500 }), { kind: 'limit', message: 'time limit reached at 1.500 µs of virtual time' });
  t.deepEqual(machine.run({ maxTimeNs: 1500 }), { kind: 'limit', message: 'time limit reached at 3.000 µs of virtual time' });
  t.is(cpu.retired, 3000);
  t.deepEqual(machine.run({ maxInstructions: 250 }), { kind: 'limit', message: 'instruction limit reached after 250 instructions' });
  t.is(cpu.retired, 3250);
});

test('an idle machine with nothing scheduled stops instead of hanging', (t) => {
  const { machine, cpu } = board();
  cpu.step = () => StopReason.Idle;
  const r = machine.run();
  t.deepEqual(r, { kind: 'deadlock', message: 'all cores idle with no pending event (cpu0 idle at pc 0x4)' });
});

test('device names are unique and listed in order', (t) => {
  const { machine, dev } = board();
  t.throws(() => machine.addDevice('timer@1000', dev), { message: /two devices named "timer@1000"/ });
  machine.addDevice('uart@2000', { reset() {} });
  t.deepEqual(machine.deviceNames(), ['timer@1000', 'uart@2000']);
  t.is(machine.device('timer@1000'), dev);
  t.is(machine.cpus.length, 1);
});
