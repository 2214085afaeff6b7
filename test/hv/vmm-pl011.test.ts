import test from 'ava';
import { InputError } from '../../dts/model/SourcePos.ts';
import { ExitKind } from '../../src/hv/ExitKind.ts';
import { Hypervisor } from '../../src/hv/Hypervisor.ts';
import type { Vcpu } from '../../src/hv/Vcpu.ts';
import { Vmm, VmmAction } from '../../src/hv/Vmm.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import { FakeGuestCore, enc, li32, Op, program } from './FakeGuestCore.ts';
import { uartVm, vmSpecs } from './VmBoards.ts';

const UART = 0x09000000;
const RAM = 0x40000000;

/** Prints "Hi\n" on the PL011, reads UARTFR, then waits for a received byte and echoes it from the interrupt handler. */
const echoGuest = [
  ...li32(1, UART),
  enc(Op.LI, 2, 0, 0x301), enc(Op.SW, 2, 1, 0x30), // UARTCR: UARTEN | TXE | RXE
  enc(Op.LI, 2, 0, 0x10), enc(Op.SW, 2, 1, 0x38), // UARTIMSC: RXIM
  enc(Op.LI, 2, 0, 0x48), enc(Op.SB, 2, 1, 0), // 'H' to UARTDR
  enc(Op.LI, 2, 0, 0x69), enc(Op.SB, 2, 1, 0), // 'i'
  enc(Op.LI, 2, 0, 0x0a), enc(Op.SB, 2, 1, 0), // '\n'
  enc(Op.LW, 3, 1, 0x18), // r3 = UARTFR
  ...li32(4, RAM + 0x200), enc(Op.SETVEC, 4), enc(Op.EI), enc(Op.HLT),
];
const echoHandler = [enc(Op.LW, 5, 1, 0), enc(Op.SB, 5, 1, 0), enc(Op.HLT)]; // read UARTDR (pops the byte, drops RXRIS), send it back

function boot(dispatch: 'exit' | 'direct' = 'exit') {
  const [spec] = vmSpecs(uartVm('g'));
  const clock = new VirtualClock();
  const vmm = new Vmm({ hypervisor: new Hypervisor(), spec, clock, createGuestCpu: (ctx) => new FakeGuestCore(ctx), dispatch });
  const out: number[] = [];
  vmm.attachConsole({ transmit: (b) => out.push(b) });
  vmm.vm.bus.loadBytes(RAM, program(echoGuest));
  vmm.vm.bus.loadBytes(RAM + 0x200, program(echoHandler));
  const vcpu = vmm.vm.vcpus[0];
  vcpu.setPc(RAM);
  return { vmm, vcpu, core: vcpu.guest as FakeGuestCore, text: () => String.fromCharCode(...out) };
}

/** The VMM loop: run, answer the exit, until the guest halts, powers off or faults. */
function runUntilStopped(vmm: Vmm, vcpu: Vcpu): number {
  for (let i = 0; i < 1000; i++) {
    vcpu.run(10_000);
    const action = vmm.handleExit(vcpu);
    if (action !== VmmAction.Continue) return action;
  }
  throw new Error('the guest never stopped');
}

test('MMIO exits reach a real PL011 built from the guest tree; its output reaches the serial backend', (t) => {
  const { vmm, vcpu, core, text } = boot();
  t.is(runUntilStopped(vmm, vcpu), VmmAction.Halt);
  t.is(text(), 'Hi\n');
  // UARTFR after reset with nothing received: TXFE (bit 7) and RXFE (bit 4) set (PL011 TRM 3.3.3).
  t.is(core.r[3], 0x90);
  t.deepEqual(vmm.vm.exitsByReason(), { mmio: 6, hlt: 1 }, 'five stores and one load reached the device by exits');
});

test('a byte received by the guest UART raises its line in the irqchip, wakes the halted vCPU, and the handler echoes it', (t) => {
  const { vmm, vcpu, core, text } = boot();
  runUntilStopped(vmm, vcpu);
  t.false(vcpu.runnable);
  t.true(vmm.consoleDevice!.canReceive());
  vmm.consoleDevice!.receive(0x78);
  t.true(vcpu.runnable, 'PL011 RX interrupt → input 1 of the irqchip → vCPU 0');
  t.is(runUntilStopped(vmm, vcpu), VmmAction.Halt);
  t.is(text(), 'Hi\nx');
  t.is(core.r[5], 0x78);
  t.is(core.epc, RAM + 4 * 18, 'interrupted after the HLT (the 18th instruction)');
  t.false(vcpu.runnable, 'reading UARTDR emptied the FIFO and lowered the line');
});

test("dispatch 'direct' maps the same models in-kernel: the same output with no MMIO exit", (t) => {
  const { vmm, vcpu, core, text } = boot('direct');
  t.is(runUntilStopped(vmm, vcpu), VmmAction.Halt);
  t.is(text(), 'Hi\n');
  t.is(core.r[3], 0x90);
  t.deepEqual(vmm.vm.exitsByReason(), { hlt: 1 });
});

test('an access where the guest has neither memory nor a device faults the guest with address and pc', (t) => {
  const { vmm, vcpu } = boot();
  vmm.vm.bus.loadBytes(RAM, program([...li32(1, 0x0a000000), enc(Op.LW, 2, 1, 4)]));
  t.is(vcpu.run(100).kind, ExitKind.Mmio);
  t.is(vmm.handleExit(vcpu), VmmAction.Fault);
  t.is(vmm.faultMessage, 'g/vcpu0: read from 0xa000004 (4 bytes) at pc 0x40000008: no memory and no device there');
});

test('guest tree problems are errors at the node: a foreign interrupt controller, memory that disagrees with <vm memory>', (t) => {
  const [gic] = vmSpecs(uartVm('g', '      <node name="gic@8000000" compatible="arm,cortex-a15-gic" interrupt-controller="" _interrupt-cells="3" reg="0x08000000 0x1000"/>'));
  const e = t.throws(() => new Vmm({ hypervisor: new Hypervisor(), spec: gic, clock: new VirtualClock(), createGuestCpu: (ctx) => new FakeGuestCore(ctx) }), { instanceOf: InputError });
  t.regex(e.message, /^vm\.xml:\d+:\d+: error: \/gic@8000000: a VM's interrupt controller is the hypervisor's in-kernel irqchip; 'arm,cortex-a15-gic' is not it \(this VM's irqchip is tskvm,level-irqchip\)$/m);

  const [wrong] = vmSpecs(uartVm('h', '', '').replace('memory="64K"', 'memory="1M"'));
  const hv = new Hypervisor();
  const e2 = t.throws(() => new Vmm({ hypervisor: hv, spec: wrong, clock: new VirtualClock(), createGuestCpu: (ctx) => new FakeGuestCore(ctx) }), { instanceOf: InputError });
  t.regex(e2.message, /^vm\.xml:6:\d+: error: VM "h": its memory nodes add up to 65536 bytes but the <vm> asks for 1048576$/);
  t.is(hv.vms.length, 0, 'a VM that failed to build is destroyed');
});
