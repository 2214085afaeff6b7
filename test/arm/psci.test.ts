import test from 'ava';
import { StopReason } from '../../src/machine/Cpu.ts';
import { ArmCpu } from '../../cores/arm/ArmCpu.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * PSCI 1.0 handled in the core (Arm DEN0022): function ID in r0, result in
 * r0, SYSTEM_OFF and SYSTEM_RESET as machine stop requests, CPU_ON through
 * the machine's callback, and HVC/SMC when PSCI is not routed there.
 */

const HVC = 0xe1400070;
const SMC = 0xe1600070;

function call(m: ArmTestMachine, insn: number, fid: number, a = 0, b = 0, c = 0): number {
  m.load([insn]);
  m.cpu.r[0] = fid;
  m.cpu.r[1] = a;
  m.cpu.r[2] = b;
  m.cpu.r[3] = c;
  m.cpu.run(1);
  return m.reg('r0') | 0;
}

test('PSCI_VERSION reports 1.0', (t) => {
  t.is(call(new ArmTestMachine({ psci: 'hvc' }), HVC, 0x84000000), 0x10000);
});

test('PSCI_FEATURES: 0 for implemented functions, NOT_SUPPORTED (-1) otherwise', (t) => {
  const m = new ArmTestMachine({ psci: 'hvc' });
  t.is(call(m, HVC, 0x8400000a, 0x84000008), 0);
  t.is(call(m, HVC, 0x8400000a, 0xc4000003), 0);
  t.is(call(m, HVC, 0x8400000a, 0x84000005), -1, 'MIGRATE is not offered');
  t.is(call(m, HVC, 0x84000077), -1, 'unknown function');
});

test('SYSTEM_OFF asks the machine to power off with exit code 0 and stops the slice', (t) => {
  const m = new ArmTestMachine({ psci: 'hvc' });
  m.load([HVC, 0xe320f000, 0xe320f000]);
  m.cpu.r[0] = 0x84000008;
  t.is(m.cpu.run(3), StopReason.MachineStop);
  t.is(m.cpu.retired, 1);
  t.deepEqual(m.requests, [{ kind: 'poweroff', exitCode: 0, message: 'PSCI SYSTEM_OFF' }]);
});

test('SYSTEM_RESET asks the machine for a reset', (t) => {
  const m = new ArmTestMachine({ psci: 'smc' });
  call(m, SMC, 0x84000009);
  t.deepEqual(m.requests, [{ kind: 'reset' }]);
});

test('CPU_ON passes target, entry and context to the machine and returns its status', (t) => {
  const calls: number[][] = [];
  const m = new ArmTestMachine({
    psci: 'hvc',
    cpuOn: (target, entry, context) => {
      calls.push([target, entry, context]);
      return -4; // ALREADY_ON
    },
  });
  t.is(call(m, HVC, 0x84000003, 1, 0x40001000, 0xc0ffee), -4);
  t.deepEqual(calls, [[1, 0x40001000, 0xc0ffee]]);
});

test('a secondary core starts powered off and runs from the CPU_ON entry point with r0 = context', (t) => {
  const m = new ArmTestMachine({ psci: 'hvc', cpuOn: (target, entry, ctx) => {
    if (target !== second.mpidr) return -2;
    second.powerOn(entry, ctx);
    return 0;
  } });
  const second = new ArmCpu({ index: 1, bus: m.bus, clock: m.clock, stop: { requestStop() {} }, psci: 'hvc' });
  t.true(second.poweredOff);
  t.is(second.run(10), StopReason.Idle);
  t.is(second.mpidr, 0x80000001);
  m.bus.write32(0x2000, 0xe2800001); // add r0, r0, #1
  t.is(call(m, HVC, 0x84000003, 0x80000001, 0x2000, 41), 0);
  t.false(second.poweredOff);
  second.run(1);
  t.is(second.getRegister('r0'), 42);
  t.is(call(m, HVC, 0x84000004, 0x80000001, 0), 0, 'AFFINITY_INFO: on');
});

test('CPU_OFF powers the calling core off', (t) => {
  const m = new ArmTestMachine({ psci: 'hvc' });
  m.load([HVC, 0xe320f000]);
  m.cpu.r[0] = 0x84000002;
  t.is(m.cpu.run(2), StopReason.Idle);
  t.true(m.cpu.poweredOff);
});

test('without PSCI or the extensions, HVC and SMC are UNDEFINED; at PL0 always', (t) => {
  let m = new ArmTestMachine();
  call(m, HVC, 0x84000000);
  t.is(m.cpu.mode, 0x1b);
  m = new ArmTestMachine();
  call(m, SMC, 0x84000000);
  t.is(m.cpu.mode, 0x1b);
  m = new ArmTestMachine({ psci: 'hvc' });
  m.load([HVC]);
  m.cpu.setRegister('cpsr', 0x10);
  m.cpu.run(1);
  t.is(m.cpu.mode, 0x1b);
});

test('with the Virtualization Extensions and no PSCI, HVC enters Hyp mode at HVBAR + 0x14', (t) => {
  const m = new ArmTestMachine({ virtualization: true });
  m.cpu.sys.hvbar = 0x3000;
  call(m, HVC, 0);
  t.is(m.cpu.mode, 0x1a);
  t.is(m.cpu.elrHyp, 0x1004);
  t.is(m.cpu.getPc(), 0x3014);
});
