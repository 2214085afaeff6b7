import test from 'ava';
import { ExitKind, InternalErrorKind, SystemEventType } from '../../src/hv/ExitKind.ts';
import type { InKernelHypercalls } from '../../src/hv/Vcpu.ts';
import { enc, li32, Op } from './FakeGuestCore.ts';
import { fakeVm, RAM_BASE } from './FakeGuestVm.ts';

const UART = 0x09000000;

test('MMIO read: the exit names address, size and direction; the load completes with the value given before the next run', (t) => {
  const { vm, vcpu, core } = fakeVm([...li32(1, UART), enc(Op.LW, 2, 1, 0x18), enc(Op.ADDI, 3, 2, 1), enc(Op.HLT)]);
  const exit = vcpu.run(1000);
  t.is(exit.kind, ExitKind.Mmio);
  t.like(exit.mmio, { address: UART + 0x18, size: 4, isWrite: false });
  t.is(core.retired, 2, 'the load is not retired yet');
  t.is(core.pc, RAM_BASE + 8, 'pc stays on the load');
  t.true(vcpu.mmioReadPending);
  t.throws(() => vcpu.run(1000), { message: 'guest/vcpu0: the MMIO read at 0x9000018 was not completed; call completeMmioRead(value) before run()' });
  vcpu.completeMmioRead(0x90);
  const next = vcpu.run(1000);
  t.is(next, exit, 'one exit object per vCPU, reused');
  t.is(next.kind, ExitKind.Hlt);
  t.is(core.r[2], 0x90);
  t.is(core.r[3], 0x91);
  t.is(core.retired, 5);
  t.deepEqual(vm.exitsByReason(), { mmio: 1, hlt: 1 });
  t.throws(() => vcpu.completeMmioRead(1), { message: 'guest/vcpu0: completeMmioRead without a pending MMIO read exit' });
});

test('an instruction with two MMIO loads exits once per device access, never reading a register twice', (t) => {
  const { vcpu, core } = fakeVm([...li32(1, UART), enc(Op.LW2, 2, 1), enc(Op.HLT)]);
  const seen: string[] = [];
  let exit = vcpu.run(1000);
  while (exit.kind === ExitKind.Mmio) {
    seen.push(`0x${exit.mmio.address.toString(16)}`);
    vcpu.completeMmioRead(exit.mmio.address === UART ? 5 : 7);
    exit = vcpu.run(1000);
  }
  t.deepEqual(seen, ['0x9000000', '0x9000004']);
  t.is(exit.kind, ExitKind.Hlt);
  t.is(core.r[2], 12);
  t.is(core.retired, 4);
});

test('MMIO write: the exit carries the data; running again completes the store without a second exit', (t) => {
  const { vm, vcpu, core } = fakeVm([...li32(1, UART), enc(Op.LI, 2, 0, 0x41), enc(Op.SB, 2, 1, 0), enc(Op.SW, 2, 1, 4), enc(Op.HLT)]);
  const writes: Array<[number, number, number]> = [];
  let exit = vcpu.run(1000);
  while (exit.kind === ExitKind.Mmio) {
    t.true(exit.mmio.isWrite);
    writes.push([exit.mmio.address, exit.mmio.size, exit.mmio.data]);
    exit = vcpu.run(1000);
  }
  t.deepEqual(writes, [[UART, 1, 0x41], [UART + 4, 4, 0x41]]);
  t.is(exit.kind, ExitKind.Hlt);
  t.is(core.retired, 6);
  t.deepEqual(vm.exitsByReason(), { mmio: 2, hlt: 1 });
});

test('if the VMM changes what the instruction accesses between the exit and the re-run, that is an internal error', (t) => {
  const { vcpu } = fakeVm([...li32(1, UART), enc(Op.LW2, 2, 1), enc(Op.HLT)]);
  t.is(vcpu.run(100).kind, ExitKind.Mmio);
  vcpu.completeMmioRead(1);
  t.is(vcpu.run(100).kind, ExitKind.Mmio, 'second load');
  vcpu.completeMmioRead(2);
  vcpu.setRegister('r1', UART + 0x100);
  const exit = vcpu.run(100);
  t.is(exit.kind, ExitKind.InternalError);
  t.like(exit.internal, { suberror: InternalErrorKind.Emulation, pc: RAM_BASE + 8 });
  t.regex(exit.internal.reason, /different MMIO accesses/);
});

test('a page read while untouched and then written is seen written: the core drops the zero page it cached', (t) => {
  const data = RAM_BASE + 0x5000;
  const { vcpu, core, vm } = fakeVm([...li32(1, data), enc(Op.LW, 2, 1, 0), enc(Op.LI, 3, 0, 0x77), enc(Op.SW, 3, 1, 0), enc(Op.LW, 4, 1, 0), enc(Op.HLT)]);
  t.is(vcpu.run(1000).kind, ExitKind.Hlt);
  t.is(core.r[2], 0);
  t.is(core.r[4], 0x77, 'the load after the store reads the new host page');
  t.is(vm.memoryTouched, 2 * 4096, 'the code page and the data page');
});

test('budget: run returns an INTR exit after exactly the budget', (t) => {
  const { vcpu, core } = fakeVm([enc(Op.B, 0, 0, -1)]);
  const exit = vcpu.run(250);
  t.is(exit.kind, ExitKind.Intr);
  t.is(core.retired, 250);
  t.is(vcpu.run(50).kind, ExitKind.Intr);
  t.is(core.retired, 300);
});

test('HLT: the vCPU halts until its irqchip has an interrupt for it; the interrupt is then taken', (t) => {
  const code = [
    ...li32(1, RAM_BASE + 0x100), enc(Op.SETVEC, 1), enc(Op.EI), enc(Op.HLT), enc(Op.HLT),
  ];
  // The line stays high (nothing acknowledges it), so the handler halts with interrupts still masked.
  const handler = [enc(Op.LI, 5, 0, 0x99), enc(Op.HLT)];
  const { vm, vcpu, core } = fakeVm(code);
  vm.bus.loadBytes(RAM_BASE + 0x100, new Uint8Array(new Uint32Array(handler).buffer));
  t.is(vcpu.run(100).kind, ExitKind.Hlt);
  t.true(vcpu.halted);
  t.false(vcpu.runnable, 'nothing pending');
  vm.irqLine(7, true);
  t.true(vcpu.runnable, 'a raised line wakes it');
  t.true(core.irqLevel);
  vm.irqLine(7, false);
  t.false(vcpu.runnable);
  vm.irqLine(7, true);
  t.is(vcpu.run(100).kind, ExitKind.Hlt);
  t.is(core.r[5], 0x99, 'the handler ran');
  t.is(core.epc, RAM_BASE + 0x14, 'interrupted after the first HLT');
  t.is(core.pc, RAM_BASE + 0x108);
  t.false(core.interruptsEnabled);
});

test('hypercall: number and arguments in the exit, the result reaches the guest at the next run', (t) => {
  const { vcpu, core } = fakeVm([...li32(0, 0xc5000001), enc(Op.LI, 1, 0, 11), enc(Op.LI, 2, 0, 22), enc(Op.HVC), enc(Op.HLT)]);
  const exit = vcpu.run(100);
  t.is(exit.kind, ExitKind.Hypercall);
  t.is(exit.hypercall.nr, 0xc5000001);
  t.deepEqual([...exit.hypercall.args], [11, 22, 0, 0, 0, 0]);
  vcpu.completeHypercall(42);
  t.is(exit.hypercall.ret, 42);
  t.is(vcpu.run(100).kind, ExitKind.Hlt);
  t.is(core.r[0], 42);
});

/** PSCI (ARM DEN0022) as KVM answers it in-kernel: VERSION is answered, SYSTEM_OFF/RESET become system events. */
const psci: InKernelHypercalls = {
  handle(vcpu, exit) {
    switch (exit.hypercall.nr) {
      case 0x84000000: // PSCI_VERSION: 1.0 is major 1 in bits 31:16, minor 0
        vcpu.completeHypercall(0x00010000);
        return 'resume';
      case 0x84000008: // SYSTEM_OFF
        exit.kind = ExitKind.SystemEvent;
        exit.systemEvent.type = SystemEventType.Shutdown;
        return 'exit';
      case 0x84000009: // SYSTEM_RESET
        exit.kind = ExitKind.SystemEvent;
        exit.systemEvent.type = SystemEventType.Reset;
        return 'exit';
      default:
        return 'exit';
    }
  },
};

test('in-kernel hypercalls: PSCI_VERSION is answered without an exit, SYSTEM_OFF and SYSTEM_RESET exit as system events', (t) => {
  const code = [
    ...li32(0, 0x84000000), enc(Op.HVC), enc(Op.ADDI, 6, 0, 0),
    ...li32(0, 0x84000009), enc(Op.HVC),
    ...li32(0, 0x84000008), enc(Op.HVC),
  ];
  const { vm, vcpu, core } = fakeVm(code, { hypercalls: psci });
  let exit = vcpu.run(1000);
  t.is(exit.kind, ExitKind.SystemEvent);
  t.is(exit.systemEvent.type, SystemEventType.Reset);
  t.is(core.r[6], 0x00010000, 'the version reached the guest in-kernel');
  exit = vcpu.run(1000);
  t.is(exit.kind, ExitKind.SystemEvent);
  t.is(exit.systemEvent.type, SystemEventType.Shutdown);
  t.deepEqual(vm.exitsByReason(), { 'system-event': 2 });
  t.is(vm.inKernelExitCounts[ExitKind.Hypercall], 1);
});

test('a system event requested by a device stops every vCPU with a SYSTEM_EVENT exit until cleared', (t) => {
  const { vm, vcpu } = fakeVm([enc(Op.B, 0, 0, -1)]);
  const second = vm.createVcpu(1);
  second.setPc(RAM_BASE);
  t.is(vcpu.run(10).kind, ExitKind.Intr);
  vm.requestSystemEvent(SystemEventType.Shutdown);
  t.like(vcpu.run(10), { kind: ExitKind.SystemEvent, systemEvent: { type: SystemEventType.Shutdown } });
  t.is(second.run(10).kind, ExitKind.SystemEvent);
  vm.clearSystemEvent();
  t.is(vcpu.run(10).kind, ExitKind.Intr);
});

test('SHUTDOWN when the guest jumps outside its memory; FAIL_ENTRY for a state the core refuses; INTERNAL_ERROR with pc and encoding', (t) => {
  const jump = fakeVm([enc(Op.B, 0, 0, 0x3fff)], { ramSize: 0x10000 });
  t.is(jump.vcpu.run(10).kind, ExitKind.Shutdown);
  t.is(jump.core.pc, RAM_BASE + 0x10000, 'pc is where the fetch failed, just past the RAM');

  const bad = fakeVm([enc(Op.HLT)]);
  bad.vcpu.setPc(RAM_BASE + 2);
  const fail = bad.vcpu.run(10);
  t.is(fail.kind, ExitKind.FailEntry);
  t.is(fail.failEntry.hardwareEntryFailureReason, 1);
  t.is(bad.core.retired, 0);
  t.is(bad.core.leaves, 0, 'never entered, so never left');

  const undef = fakeVm([enc(Op.LI, 1, 0, 1), 0xff00abcd]);
  const err = undef.vcpu.run(10);
  t.is(err.kind, ExitKind.InternalError);
  t.deepEqual({ ...err.internal }, { suberror: InternalErrorKind.Emulation, pc: RAM_BASE + 4, instruction: 0xff00abcd, reason: 'undefined instruction' });
  t.deepEqual(undef.vm.exitsByReason(), { 'internal-error': 1 });
  t.is(undef.vcpu.exitCounts[ExitKind.InternalError], 1);
});

test('exit counters add up per vCPU and per VM', (t) => {
  const { vm, vcpu } = fakeVm([...li32(1, UART), enc(Op.SW, 1, 1, 0), enc(Op.OUT, 1, 0, 0x3f8), enc(Op.HLT), enc(Op.B, 0, 0, -5)]);
  const other = vm.createVcpu(1);
  other.setPc(RAM_BASE);
  for (const v of [vcpu, other]) {
    for (let i = 0; i < 6; i++) {
      const exit = v.run(100);
      if (exit.kind === ExitKind.Io) t.like(exit.io, { port: 0x3f8, size: 4, isWrite: true, data: UART });
    }
  }
  t.deepEqual(vm.exitsByReason(), { mmio: 4, io: 4, hlt: 4 });
  t.is(vcpu.exitCounts[ExitKind.Io], 2);
  t.is(other.exitCounts[ExitKind.Mmio], 2);
});
