import test from 'ava';
import { ExitKind, SystemEventType } from '../../src/hv/ExitKind.ts';
import { Hypervisor } from '../../src/hv/Hypervisor.ts';
import type { InKernelHypercalls } from '../../src/hv/Vcpu.ts';
import { VmManager, type VmManagerOptions } from '../../src/hv/VmManager.ts';
import { Vmm } from '../../src/hv/Vmm.ts';
import { Machine } from '../../src/machine/Machine.ts';
import { FakeGuestCore, enc, li32, Op, program } from './FakeGuestCore.ts';
import { uartVm, vmSpecs } from './VmBoards.ts';

const RAM = 0x40000000;
const UART = 0x09000000;

/** Sends `char` to its UART forever: a store and a branch, so one MMIO exit every two instructions. */
const printer = (char: number) => [...li32(1, UART), enc(Op.LI, 2, 0, char), enc(Op.SB, 2, 1, 0), enc(Op.B, 0, 0, -2)];
/** Never exits. */
const spinner = [enc(Op.B, 0, 0, -1)];

/** PSCI SYSTEM_OFF (function 0x84000008, ARM DEN0022) handled in-kernel as KVM does. */
const psciOff: InKernelHypercalls = {
  handle(_vcpu, exit) {
    if (exit.hypercall.nr !== 0x84000008) return 'exit';
    exit.kind = ExitKind.SystemEvent;
    exit.systemEvent.type = SystemEventType.Shutdown;
    return 'exit';
  },
};

function world(options: VmManagerOptions = {}) {
  const machine = new Machine({ littleEndian: true, quantumNs: 10_000 });
  const hv = new Hypervisor();
  const manager = new VmManager(machine, options);
  const outputs = new Map<string, number[]>();
  const add = (name: string, code: readonly number[], nice = 0, lanes?: number[]) => {
    const [spec] = vmSpecs(uartVm(name, '', `nice="${nice}"`));
    const vmm = new Vmm({
      hypervisor: hv, spec, clock: machine.clock, stopFlag: machine.stopFlag, hypercalls: psciOff,
      createGuestCpu: (ctx) => new FakeGuestCore(ctx),
    });
    const out: number[] = [];
    outputs.set(name, out);
    vmm.attachConsole({ transmit: (b) => out.push(b) });
    vmm.vm.bus.loadBytes(RAM, program(code));
    vmm.vm.vcpus[0].setPc(RAM);
    manager.start(vmm, lanes === undefined ? {} : { lanes });
    return vmm;
  };
  const instructions = (name: string) => manager.status().find((s) => s.name === name)!.instructions;
  const printed = (name: string) => outputs.get(name)!.length;
  return { machine, hv, manager, add, instructions, printed };
}

test('two VMs on one physical core share it by nice weight (1.25 per step), the same way on every run', (t) => {
  const once = () => {
    const w = world();
    w.add('a', spinner, 0);
    w.add('b', spinner, 5);
    const result = w.machine.run({ maxInstructions: 3_000_000 });
    t.is(result.kind, 'limit');
    return [w.instructions('a'), w.instructions('b')];
  };
  const [a, b] = once();
  t.is(a + b, 3_000_000);
  // nice 5 against nice 0: weight 1.25^-5 = 0.32768 of the other's.
  t.true(Math.abs(b / a - 0.32768) < 0.002, `b/a = ${b / a}`);
  t.deepEqual(once(), [a, b], 'deterministic');
});

test('renicing a running VM changes its share from then on', (t) => {
  const w = world();
  w.add('a', spinner, 0);
  w.add('b', spinner, 0);
  w.machine.run({ maxInstructions: 1_000_000 });
  t.is(w.instructions('a'), 500_000);
  t.is(w.instructions('b'), 500_000);
  w.manager.nice('b', -3);
  w.machine.run({ maxInstructions: 2_000_000 });
  const b = w.instructions('b') - 500_000;
  // b's share is 1.25^3 / (1 + 1.25^3) of the run, give or take one of its turns (quantum × weight) at either end.
  const share = 1.25 ** 3 / (1 + 1.25 ** 3);
  t.true(Math.abs(b - 2_000_000 * share) <= 10_000 * 1.25 ** 3, `b ran ${b}, expected about ${Math.round(2_000_000 * share)}`);
  t.is(w.manager.status()[1].nice, -3);
  t.throws(() => w.manager.nice('b', 20), { message: 'nice 20 is out of range (-20 … 19)' });
});

test('killing one VM stops it alone: its memory is freed, the other goes on with the whole core', (t) => {
  const w = world();
  w.add('a', printer(0x61));
  w.add('b', printer(0x62));
  w.machine.run({ maxInstructions: 200_000 });
  const a0 = w.printed('a');
  const b0 = w.printed('b');
  t.true(a0 > 1000 && b0 > 1000);
  t.true(w.hv.pagePool.pagesInUse > 0);
  const pagesBefore = w.hv.pagePool.pagesInUse;
  w.manager.kill('a');
  t.is(w.hv.pagePool.pagesInUse, pagesBefore / 2, 'a\'s pages went back to the pool');
  const ib = w.instructions('b');
  w.machine.run({ maxInstructions: 300_000 });
  t.is(w.printed('a'), a0, 'a prints nothing more');
  t.is(w.instructions('b') - ib, 300_000, 'b had every instruction');
  t.is(w.printed('b') - b0, 150_000, 'one byte per two instructions');
  const [sa, sb] = w.manager.status();
  t.like(sa, { name: 'a', state: 'killed', memoryTouched: 0, report: 'a: killed' });
  t.like(sb, { name: 'b', state: 'running', vcpus: 1, memoryTouched: 4096 });
  t.deepEqual(w.manager.reports.map((r) => r.message), ['a: killed']);
});

test('a runaway guest (no exit for the watchdog limit) is stopped and reported while the other VM goes on', (t) => {
  const w = world({ watchdogInstructions: 100_000 });
  w.add('spin', spinner);
  w.add('print', printer(0x70));
  const result = w.machine.run({ maxInstructions: 1_000_000 });
  t.is(result.kind, 'limit', 'the host machine was never stopped');
  t.is(w.manager.state('spin'), 'faulted');
  t.is(w.instructions('spin'), 100_000);
  t.deepEqual(w.manager.reports.map((r) => r.message), ['spin/vcpu0: runaway: 100000 instructions without an exit (pc 0x40000000)']);
  t.is(w.instructions('print'), 900_000);
  t.is(w.manager.status()[0].report, 'spin/vcpu0: runaway: 100000 instructions without an exit (pc 0x40000000)');
});

test('a guest that executes an undefined instruction is stopped with pc and encoding; the other VM goes on', (t) => {
  const w = world();
  w.add('bad', [enc(Op.LI, 1, 0, 5), enc(Op.ADDI, 1, 1, -1), enc(Op.BNZ, 1, 0, -2), 0xee001234]);
  w.add('good', printer(0x67));
  w.machine.run({ maxInstructions: 100_000 });
  t.is(w.manager.state('bad'), 'faulted');
  t.is(w.instructions('bad'), 11);
  const [report] = w.manager.reports;
  t.like(report, { vm: 'bad', state: 'faulted', message: 'bad/vcpu0: internal error at pc 0x4000000c, instruction 0xee001234: undefined instruction' });
  t.is(w.instructions('good'), 100_000 - 11);
});

test('pause keeps a VM off the cores without losing its state; resume goes on from there', (t) => {
  const w = world();
  w.add('a', printer(0x61));
  w.add('b', printer(0x62));
  w.machine.run({ maxInstructions: 60_000 });
  w.manager.pause('b');
  const b0 = w.instructions('b');
  const printedB = w.printed('b');
  w.machine.run({ maxInstructions: 60_000 });
  t.is(w.instructions('b'), b0, 'paused: nothing retired');
  t.is(w.printed('b'), printedB);
  t.is(w.manager.state('b'), 'paused');
  t.throws(() => w.manager.pause('b'), { message: 'VM "b" is paused, not running' });
  w.manager.resume('b');
  w.machine.run({ maxInstructions: 60_000 });
  t.true(w.instructions('b') > b0);
  t.true(w.printed('b') > printedB);
  t.throws(() => w.manager.kill('c'), { message: 'no VM named "c" (VMs: a, b)' });
});

test('a guest powering its VM off (PSCI SYSTEM_OFF) ends only that VM; when every VM has stopped the machine has nothing to run', (t) => {
  const w = world();
  w.add('short', [...li32(0, 0x84000008), enc(Op.HVC)]);
  w.add('halts', [enc(Op.HLT)]);
  const result = w.machine.run({ maxInstructions: 100_000 });
  t.is(result.kind, 'deadlock');
  t.like(w.manager.status()[0], { state: 'powered-off', report: 'short: powered off (exit code 0)' });
  t.like(w.manager.status()[1], { state: 'running', halted: 1, exits: { hlt: 1 } });
});

test('VMs on separate physical cores run side by side in virtual time; on one core they take turns', (t) => {
  const ran = (lanes: number, pinB?: number) => {
    const w = world({ lanes });
    w.add('a', spinner);
    const b = w.add('b', spinner, 0, pinB === undefined ? undefined : [pinB]);
    t.is(b.vm.vcpus.length, 1);
    t.is(w.machine.run({ maxTimeNs: 1_000_000 }).kind, 'limit');
    return [w.instructions('a'), w.instructions('b')];
  };
  // 1 GHz vCPUs for 1 ms of virtual time.
  t.deepEqual(ran(1), [500_000, 500_000], 'one core: half each');
  t.deepEqual(ran(2), [1_000_000, 1_000_000], 'dealt over two cores: a whole core each');
  t.deepEqual(ran(2, 0), [500_000, 500_000], 'b pinned to a\'s core');
});
