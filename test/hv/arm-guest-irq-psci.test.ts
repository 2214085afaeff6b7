import test from 'ava';
import type { ArmGuestCpu } from '../../cores/arm/guest/ArmGuestCpu.ts';
import { ExitKind } from '../../src/hv/ExitKind.ts';
import type { LevelIrqChip } from '../../src/hv/irq/LevelIrqChip.ts';
import { VmmAction } from '../../src/hv/Vmm.ts';
import { RAM, UART, armGuest, runExits } from './ArmGuestVm.ts';

// Interrupts and PSCI for ARM guests: the irqchip drives the vCPU's virtual
// IRQ input, which HCR.IMO routes to the guest (ARM ARM B1.8.x); a trapped
// WFI halts the vCPU until then. PSCI (Arm DEN0022) is answered in-kernel.

/** Words placed at byte offsets from RAM (gaps are zero). */
function place(parts: Record<number, number[]>): number[] {
  const out: number[] = [];
  for (const [offset, words] of Object.entries(parts)) {
    const at = Number(offset) / 4;
    while (out.length < at) out.push(0);
    out.splice(at, words.length, ...words);
  }
  return out;
}

const UART_IRQ_GUEST = place({
  0x000: [
    0xe3000100, // movw r0, #0x100
    0xe3440000, // movt r0, #0x4000
    0xee0c0f10, // mcr  p15, 0, r0, c12, c0, 0   VBAR = RAM + 0x100
    0xe3a01409, // mov  r1, #0x09000000
    0xe3002301, // movw r2, #0x301
    0xe5812030, // str  r2, [r1, #0x30]           UARTCR: UARTEN | TXE | RXE
    0xe3a02010, // mov  r2, #0x10
    0xe5812038, // str  r2, [r1, #0x38]           UARTIMSC = RXIM
    0xf1080080, // cpsie i
    0xe320f003, // wfi
    0xeafffffe, // b    .
  ],
  0x118: [
    0xe5915000, // ldr  r5, [r1]                  UARTDR (drops the RX interrupt)
    0xe3a00077, // mov  r0, #0x77
    0xe1400070, // hvc  #0
    0xeafffffe, // b    .
  ],
});

test('a PL011 receive interrupt reaches the halted guest through the irqchip as a virtual IRQ', (t) => {
  const { vmm, vcpu, core } = armGuest(UART_IRQ_GUEST);
  const first = runExits(vmm, vcpu);
  t.deepEqual(first.exits, [
    { kind: 'mmio', address: UART + 0x30, size: 4, isWrite: true, data: 0x301 },
    { kind: 'mmio', address: UART + 0x38, size: 4, isWrite: true, data: 0x10 },
    { kind: 'hlt' },
  ]);
  t.false(vcpu.runnable, 'halted with nothing pending');
  vmm.consoleDevice!.receive(0x78);
  t.true(vcpu.runnable, 'PL011 RX → irqchip input 1 → the vCPU');
  t.true(core.virqLevel, 'on the core\'s virtual IRQ input');
  const second = runExits(vmm, vcpu, 2);
  t.deepEqual(second.exits, [
    { kind: 'mmio', address: UART, size: 4, isWrite: false, data: 0x78 },
    { kind: 'hypercall', nr: 0x77, arg0: UART },
  ]);
  t.is(core.mode, 0x12, 'the guest\'s IRQ mode');
  t.is(core.r[5], 0x78);
  core.switchMode(0x12);
  t.is(core.r[14] >>> 0, RAM + 0x28 + 4, 'LR_irq = the instruction after WFI + 4');
  t.false(core.virqLevel, 'reading UARTDR lowered the line');
});

const PSCI_GUEST = place({
  0x200: [
    0xe3000003, // movw r0, #3
    0xe3480400, // movt r0, #0x8400               CPU_ON
    0xe3a01001, // mov  r1, #1                    target: MPIDR affinity 0.0.1
    0xe3002300, // movw r2, #0x300
    0xe3442000, // movt r2, #0x4000               entry RAM + 0x300
    0xe3003abc, // movw r3, #0xabc                context ID
    0xe1400070, // hvc  #0
    0xe1a06000, // mov  r6, r0
    0xe3000004, // movw r0, #4
    0xe3480400, // movt r0, #0x8400               AFFINITY_INFO(1, 0)
    0xe3a01001, // mov  r1, #1
    0xe3a02000, // mov  r2, #0
    0xe1400070, // hvc  #0
    0xe1a07000, // mov  r7, r0
    0xe3000003, // movw r0, #3
    0xe3480400, // movt r0, #0x8400               CPU_ON again
    0xe3a01001, // mov  r1, #1
    0xe1400070, // hvc  #0
    0xe1a08000, // mov  r8, r0
    0xe320f003, // wfi
    0xeafffffe, // b    .
  ],
  0x300: [
    0xe1a08000, // mov  r8, r0                    the context ID
    0xee109fb0, // mrc  p15, 0, r9, c0, c0, 5     MPIDR (VMPIDR)
    0xe3000002, // movw r0, #2
    0xe3480400, // movt r0, #0x8400               CPU_OFF
    0xe1400070, // hvc  #0
    0xeafffffe, // b    .
  ],
});

test('PSCI in the kernel: CPU_ON starts a powered-off vCPU at its entry with r0 = context ID; AFFINITY_INFO, ALREADY_ON, CPU_OFF', (t) => {
  const { vmm, vm, vcpu } = armGuest(PSCI_GUEST, { vcpus: 2 });
  const second = vm.vcpus[1];
  second.poweredOff = true; // as the VMM leaves secondaries when it boots firmware
  vcpu.setPc(RAM + 0x200);
  const boot = runExits(vmm, vcpu);
  t.deepEqual(boot.exits, [{ kind: 'hlt' }], 'every PSCI call was answered in the kernel');
  const c0 = (vcpu.guest as ArmGuestCpu).cpu;
  t.is(c0.r[6], 0, 'CPU_ON: SUCCESS');
  t.is(c0.r[7], 0, 'AFFINITY_INFO: ON');
  t.is(c0.r[8], -4, 'CPU_ON of a running vCPU: ALREADY_ON');
  t.false(second.poweredOff);
  t.is(second.getPc(), RAM + 0x300);
  const exit = second.run(100);
  t.is(exit.kind, ExitKind.Intr, 'CPU_OFF ends the run');
  t.true(second.poweredOff);
  const c1 = (second.guest as ArmGuestCpu).cpu;
  t.is(c1.r[8], 0xabc);
  t.is(c1.r[9] >>> 0, 0x80000001, 'MPIDR Aff0 = the vCPU id');
  t.is(vm.inKernelExitCounts[ExitKind.Hypercall], 4);
});

test('PSCI SYSTEM_RESET resets the VM through the VMM; VERSION is answered without an exit', (t) => {
  const { vmm, vcpu, core } = armGuest([
    0xe3a00321, // mov  r0, #0x84000000            VERSION
    0xe1400070, // hvc  #0
    0xe1a04000, // mov  r4, r0
    0xe3000009, // movw r0, #9
    0xe3480400, // movt r0, #0x8400                SYSTEM_RESET
    0xe1400070, // hvc  #0
  ]);
  core.r[4] = 0;
  const exit = vcpu.run(100);
  t.is(exit.kind, ExitKind.SystemEvent);
  t.is(exit.systemEvent.type, 2);
  t.is(core.r[4], 0x10000, 'PSCI 1.0');
  t.is(vmm.handleExit(vcpu), VmmAction.Continue, 'the VMM resets the VM and goes on');
  t.is(core.r[4], 0, 'registers reset');
});

const TIMER_GUEST = place({
  0x000: [
    0xe3000100, // movw r0, #0x100
    0xe3440000, // movt r0, #0x4000
    0xee0c0f10, // mcr  p15, 0, r0, c12, c0, 0   VBAR = RAM + 0x100
    0xe3a00064, // mov  r0, #100
    0xee0e0f13, // mcr  p15, 0, r0, c14, c3, 0   CNTV_TVAL = 100 ticks (1.6 µs at 62.5 MHz)
    0xe3a00001, // mov  r0, #1
    0xee0e0f33, // mcr  p15, 0, r0, c14, c3, 1   CNTV_CTL: ENABLE
    0xf1080080, // cpsie i
    0xe320f003, // wfi
    0xeafffffe, // b    .
  ],
  0x118: [
    0xee1e4f33, // mrc  p15, 0, r4, c14, c3, 1   CNTV_CTL (ISTATUS)
    0xe3a00003, // mov  r0, #3
    0xee0e0f33, // mcr  p15, 0, r0, c14, c3, 1   IMASK
    0xe3a00055, // mov  r0, #0x55
    0xe1400070, // hvc  #0
    0xeafffffe, // b    .
  ],
});

test('the guest\'s virtual timer fires on virtual time, through the irqchip, into the halted vCPU', (t) => {
  const { vmm, vcpu, core, clock } = armGuest(TIMER_GUEST, { virtualTimerInput: 5 });
  t.deepEqual(runExits(vmm, vcpu).exits, [{ kind: 'hlt' }]);
  t.false(vcpu.runnable);
  clock.advanceTo(clock.now + 1000);
  t.false(vcpu.runnable, 'not yet: 1 µs is 62 ticks');
  clock.advanceTo(clock.now + 1000);
  t.true(vcpu.runnable, 'CNTV expired: its line raised irqchip input 5');
  const after = runExits(vmm, vcpu, 1);
  t.deepEqual(after.exits, [{ kind: 'hypercall', nr: 0x55, arg0: 0 }]);
  t.is(core.r[4], 5, 'ENABLE | ISTATUS seen by the handler');
  t.false((vmm.vm.irqChip as LevelIrqChip).level(5), 'IMASK lowered the line');
  t.false(core.virqLevel);
});
