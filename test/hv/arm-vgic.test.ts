import test from 'ava';
import { ExitKind } from '../../src/hv/ExitKind.ts';
import { armIrqChipFor, armVmParts } from '../../cores/arm/guest/index.ts';
import { formatDiagnostic, InputError } from '../../dts/model/SourcePos.ts';
import { Hypervisor } from '../../src/hv/Hypervisor.ts';
import { Vmm } from '../../src/hv/Vmm.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import { vmSpecs } from './VmBoards.ts';
import { GICD, RAM, UART, runVm, vgicGuest } from './VgicGuestVm.ts';

// The in-kernel vGIC (KVM's vgic-v2): a guest programs its GICv2 distributor
// and CPU interface as on hardware (IHI 0048B chapter 4) and takes
// interrupts through GICC_IAR/GICC_EOIR; its GICC is the GIC virtualization
// extensions' virtual CPU interface fed through list registers (chapter 5).
// No access to either window exits to the VMM.

/**
 * One vCPU: enables the distributor (INTID 33 = PL011 RX at priority 0xc0,
 * INTID 27 = virtual timer at 0x80), its CPU interface with the GICC_PMR
 * found at RAM + 0x7fc, the PL011's RX interrupt and the virtual timer
 * (100 ticks), then waits in WFI until it has taken three interrupts and
 * makes HVC 0x77. The handler logs each GICC_IAR value at RAM + 0x800…; the
 * first PL011 interrupt it leaves unserved (the line stays high), the second
 * it serves by reading UARTDR; the timer it stops and raises GICC_PMR to 0xf0.
 */
const GUEST: Record<number, number[]> = {
  0x000: [
    0xe3000100, // movw r0, #0x100
    0xe3440000, // movt r0, #0x4000
    0xee0c0f10, // mcr p15, 0, r0, c12, c0, 0  VBAR = RAM + 0x100
    0xe300a800, // movw r10, #0x800
    0xe344a000, // movt r10, #0x4000  log of acknowledged IDs at RAM + 0x800
    0xe3a08000, // mov r8, #0  interrupts taken
    0xe3a09000, // mov r9, #0  UART interrupts left unserved once
    0xe3000000, // movw r0, #0
    0xe3400800, // movt r0, #0x0800  GICD
    0xe3001000, // movw r1, #0
    0xe3401801, // movt r1, #0x0801  GICC
    0xe3a03409, // mov r3, #0x09000000  PL011
    0xe3a02001, // mov r2, #1
    0xe5802000, // str r2, [r0]  GICD_CTLR.Enable
    0xe3a02002, // mov r2, #2
    0xe5802104, // str r2, [r0, #0x104]  GICD_ISENABLER1: INTID 33 (SPI 1, the PL011)
    0xe3a02302, // mov r2, #0x08000000
    0xe5802100, // str r2, [r0, #0x100]  GICD_ISENABLER0: INTID 27 (virtual timer)
    0xe3a020c0, // mov r2, #0xc0
    0xe5c02421, // strb r2, [r0, #0x421]  GICD_IPRIORITYR: INTID 33 at 0xc0
    0xe3a02080, // mov r2, #0x80
    0xe5c0241b, // strb r2, [r0, #0x41b]  INTID 27 at 0x80
    0xe51a2004, // ldr r2, [r10, #-4]  initial GICC_PMR from RAM + 0x7fc
    0xe5812004, // str r2, [r1, #4]
    0xe3a02001, // mov r2, #1
    0xe5812000, // str r2, [r1]  GICC_CTLR.EnableGrp0
    0xe3002301, // movw r2, #0x301
    0xe5832030, // str r2, [r3, #0x30]  UARTCR: UARTEN | TXE | RXE
    0xe3a02010, // mov r2, #0x10
    0xe5832038, // str r2, [r3, #0x38]  UARTIMSC: RXIM
    0xe3a02064, // mov r2, #100
    0xee0e2f13, // mcr p15, 0, r2, c14, c3, 0  CNTV_TVAL = 100 ticks
    0xe3a02001, // mov r2, #1
    0xee0e2f33, // mcr p15, 0, r2, c14, c3, 1  CNTV_CTL.ENABLE
    0xf1080080, // cpsie i
    0xe320f003, // wfi
    0xe3580003, // cmp r8, #3
    0xbafffffc, // blt loop
    0xe3a00077, // mov r0, #0x77
    0xe1400070, // hvc #0
    0xeafffffe, // b .
  ],
  0x118: [
    0xea000038, // b irq
  ],
  0x200: [
    0xe591500c, // ldr r5, [r1, #0xc]  GICC_IAR
    0xe48a5004, // str r5, [r10], #4
    0xe2888001, // add r8, r8, #1
    0xe3550021, // cmp r5, #33
    0x1a000002, // bne 1f
    0xe3590000, // cmp r9, #0  the first time: leave the line high
    0x03a09001, // moveq r9, #1
    0x15936000, // ldrne r6, [r3]  then read UARTDR: the PL011 drops its line
    0xe355001b, // cmp r5, #27
    0x1a000003, // bne 2f
    0xe3a06000, // mov r6, #0
    0xee0e6f33, // mcr p15, 0, r6, c14, c3, 1  CNTV_CTL = 0: the timer drops its line
    0xe3a060f0, // mov r6, #0xf0
    0xe5816004, // str r6, [r1, #4]  GICC_PMR = 0xf0
    0xe5815010, // str r5, [r1, #0x10]  GICC_EOIR
    0xe25ef004, // subs pc, lr, #4
  ],
};

/**
 * Two vCPUs: vCPU 0 enables the distributor and its CPU interface, starts
 * vCPU 1 at RAM + 0x300 (PSCI CPU_ON), waits for its ready flag (its
 * GICD_ITARGETSR0, stored at RAM + 0xa00) and sends it SGI 5 through
 * GICD_SGIR. vCPU 1 logs its GICC_IAR at RAM + 0x900 and answers with SGI 6
 * to vCPU 0, which logs it at RAM + 0x800 and makes HVC 0x77.
 */
const SGI_GUEST: Record<number, number[]> = {
  0x000: [
    0xe3000100, // movw r0, #0x100
    0xe3440000, // movt r0, #0x4000
    0xee0c0f10, // mcr p15, 0, r0, c12, c0, 0  VBAR = RAM + 0x100
    0xe300a800, // movw r10, #0x800
    0xe344a000, // movt r10, #0x4000  vCPU 0's log at RAM + 0x800
    0xe3004000, // movw r4, #0
    0xe3404800, // movt r4, #0x0800  GICD
    0xe3001000, // movw r1, #0
    0xe3401801, // movt r1, #0x0801  GICC
    0xe3a02001, // mov r2, #1
    0xe5842000, // str r2, [r4]  GICD_CTLR.Enable
    0xe3a020f0, // mov r2, #0xf0
    0xe5812004, // str r2, [r1, #4]  GICC_PMR
    0xe3a02001, // mov r2, #1
    0xe5812000, // str r2, [r1]  GICC_CTLR
    0xf1080080, // cpsie i
    0xe3000003, // movw r0, #3
    0xe3480400, // movt r0, #0x8400  PSCI CPU_ON
    0xe3a01001, // mov r1, #1  MPIDR 1
    0xe3002300, // movw r2, #0x300
    0xe3442000, // movt r2, #0x4000  entry RAM + 0x300
    0xe3a03000, // mov r3, #0
    0xe1400070, // hvc #0
    0xe3001000, // movw r1, #0
    0xe3401801, // movt r1, #0x0801
    0xe59a2200, // ldr r2, [r10, #0x200]  vCPU 1's ready flag at RAM + 0xa00
    0xe3520000, // cmp r2, #0
    0x0afffffc, // beq 1b
    0xe3002005, // movw r2, #5
    0xe3402002, // movt r2, #0x0002  SGIR: CPUTargetList = vCPU 1, SGI 5
    0xe5842f00, // str r2, [r4, #0xf00]
    0xe320f003, // wfi
    0xeafffffd, // b 2b
  ],
  0x118: [
    0xea000038, // b irq0
  ],
  0x200: [
    0xe591500c, // ldr r5, [r1, #0xc]  GICC_IAR
    0xe48a5004, // str r5, [r10], #4
    0xe5815010, // str r5, [r1, #0x10]  GICC_EOIR
    0xe3a00077, // mov r0, #0x77
    0xe1400070, // hvc #0  done
    0xeafffffe, // b .
  ],
  0x300: [
    0xe3000400, // movw r0, #0x400
    0xe3440000, // movt r0, #0x4000
    0xee0c0f10, // mcr p15, 0, r0, c12, c0, 0  VBAR = RAM + 0x400
    0xe300a900, // movw r10, #0x900
    0xe344a000, // movt r10, #0x4000  vCPU 1's log at RAM + 0x900
    0xe3004000, // movw r4, #0
    0xe3404800, // movt r4, #0x0800
    0xe3001000, // movw r1, #0
    0xe3401801, // movt r1, #0x0801
    0xe3a020f0, // mov r2, #0xf0
    0xe5812004, // str r2, [r1, #4]  its own (banked) GICC_PMR
    0xe3a02001, // mov r2, #1
    0xe5812000, // str r2, [r1]  GICC_CTLR
    0xe5942800, // ldr r2, [r4, #0x800]  GICD_ITARGETSR0: its own CPU bit
    0xe58a2100, // str r2, [r10, #0x100]  at RAM + 0xa00: the ready flag
    0xf1080080, // cpsie i
    0xe320f003, // wfi
    0xeafffffd, // b 3b
  ],
  0x418: [
    0xea000038, // b irq1
  ],
  0x500: [
    0xe591500c, // ldr r5, [r1, #0xc]  GICC_IAR
    0xe48a5004, // str r5, [r10], #4
    0xe5815010, // str r5, [r1, #0x10]  GICC_EOIR
    0xe3002006, // movw r2, #6
    0xe3402001, // movt r2, #0x0001  SGIR: CPUTargetList = vCPU 0, SGI 6
    0xe5842f00, // str r2, [r4, #0xf00]
    0xe25ef004, // subs pc, lr, #4
  ],
};

/**
 * One vCPU sends itself SGI 3 (GICD_SGIR TargetListFilter 2) and waits for
 * it; the handler logs GICC_IAR at RAM + 0x800; then HVC 0x77.
 */
const SELF_SGI_GUEST: Record<number, number[]> = {
  0x000: [
    0xe3000100, // movw r0, #0x100
    0xe3440000, // movt r0, #0x4000
    0xee0c0f10, // mcr p15, 0, r0, c12, c0, 0  VBAR = RAM + 0x100
    0xe300a800, // movw r10, #0x800
    0xe344a000, // movt r10, #0x4000  log at RAM + 0x800
    0xe3a08000, // mov r8, #0
    0xe3000000, // movw r0, #0
    0xe3400800, // movt r0, #0x0800  GICD
    0xe3001000, // movw r1, #0
    0xe3401801, // movt r1, #0x0801  GICC
    0xe3a02001, // mov r2, #1
    0xe5802000, // str r2, [r0]  GICD_CTLR
    0xe3a020f0, // mov r2, #0xf0
    0xe5812004, // str r2, [r1, #4]  GICC_PMR
    0xe3a02001, // mov r2, #1
    0xe5812000, // str r2, [r1]  GICC_CTLR
    0xf1080080, // cpsie i
    0xe3002003, // movw r2, #3
    0xe3402200, // movt r2, #0x0200  SGIR: TargetListFilter 2 (the requesting CPU), SGI 3
    0xe5802f00, // str r2, [r0, #0xf00]
    0xe3580001, // cmp r8, #1
    0x1320f003, // wfine
    0x1afffffc, // bne 1b
    0xe3a00077, // mov r0, #0x77
    0xe1400070, // hvc #0
    0xeafffffe, // b .
  ],
  0x118: [
    0xea000038, // b irq
  ],
  0x200: [
    0xe591500c, // ldr r5, [r1, #0xc]  GICC_IAR
    0xe48a5004, // str r5, [r10], #4
    0xe2888001, // add r8, r8, #1
    0xe5815010, // str r5, [r1, #0x10]  GICC_EOIR
    0xe25ef004, // subs pc, lr, #4
  ],
};

/**
 * One vCPU with IRQs masked sends itself SGI 3, reads GICD_ISPENDR0 (r4) and
 * GICD_CPENDSGIR byte 3 (r6), clears the SGI there, reads GICD_ISPENDR0
 * again (r5), unmasks IRQs and makes HVC 0x77; a handler would log at
 * RAM + 0x800.
 */
const PENDING_READ_GUEST: Record<number, number[]> = {
  0x000: [
    0xe3000100, // movw r0, #0x100
    0xe3440000, // movt r0, #0x4000
    0xee0c0f10, // mcr p15, 0, r0, c12, c0, 0  VBAR = RAM + 0x100
    0xe300a800, // movw r10, #0x800
    0xe344a000, // movt r10, #0x4000  log at RAM + 0x800
    0xe3000000, // movw r0, #0
    0xe3400800, // movt r0, #0x0800  GICD
    0xe3001000, // movw r1, #0
    0xe3401801, // movt r1, #0x0801  GICC
    0xe3a02001, // mov r2, #1
    0xe5802000, // str r2, [r0]  GICD_CTLR
    0xe3a020f0, // mov r2, #0xf0
    0xe5812004, // str r2, [r1, #4]  GICC_PMR
    0xe3a02001, // mov r2, #1
    0xe5812000, // str r2, [r1]  GICC_CTLR
    0xe3002003, // movw r2, #3
    0xe3402200, // movt r2, #0x0200  SGIR: to itself, SGI 3 (IRQs still masked)
    0xe5802f00, // str r2, [r0, #0xf00]
    0xe5904200, // ldr r4, [r0, #0x200]  GICD_ISPENDR0: SGI 3 pending
    0xe5d06f13, // ldrb r6, [r0, #0xf13]  GICD_CPENDSGIR byte 3: its sources (CPU 0)
    0xe3a02001, // mov r2, #1
    0xe5c02f13, // strb r2, [r0, #0xf13]  clear source CPU 0's SGI 3
    0xe5905200, // ldr r5, [r0, #0x200]  GICD_ISPENDR0 again: nothing
    0xf1080080, // cpsie i
    0xe320f000, // nop
    0xe320f000, // nop
    0xe3a00077, // mov r0, #0x77
    0xe1400070, // hvc #0
    0xeafffffe, // b .
  ],
  0x118: [
    0xea000038, // b irq
  ],
  0x200: [
    0xe591700c, // ldr r7, [r1, #0xc]  GICC_IAR
    0xe48a7004, // str r7, [r10], #4
    0xe5817010, // str r7, [r1, #0x10]
    0xe25ef004, // subs pc, lr, #4
  ],
};

function guest(pmr: number) {
  const g = vgicGuest(GUEST);
  g.vm.bus.loadBytes(RAM + 0x7fc, Uint8Array.of(pmr, 0, 0, 0));
  return g;
}

const isHypercall = (_v: number, kind: number) => kind === ExitKind.Hypercall;

test('the board builder\'s choice: a GIC node in the guest tree gives the VM the vGIC, sized for its vCPUs', (t) => {
  const g = vgicGuest(GUEST, { vcpus: 2 });
  t.is(g.vm.irqChip, g.vgic);
  t.is(g.vgic.vcpus, 2);
  // GICD_TYPER: ITLinesNumber 8 (288 IDs), CPUNumber 1 (IHI 0048B 4.3.2).
  t.is(g.vm.bus.read32(GICD + 4), 8 | (1 << 5));
});

test('a guest takes its virtual timer and PL011 RX interrupts through GICC_IAR/EOIR with their INTIDs, with no exit for the GIC', (t) => {
  const g = guest(0xf0);
  const first = runVm(g, (_v, kind) => kind === ExitKind.Hlt);
  t.deepEqual(first.filter((e) => e.kind === ExitKind.Mmio).map((e) => e.address), [UART + 0x30, UART + 0x38], 'only the PL011 exits');
  t.false(g.vcpu(0).runnable, 'halted: the timer has not expired');
  g.clock.advanceTo(g.clock.now + 2000);   // 100 ticks of 62.5 MHz = 1.6 µs
  t.true(g.vcpu(0).runnable, 'CNTV fired: PPI 27 of vCPU 0 wakes it');
  runVm(g, (_v, kind) => kind === ExitKind.Hlt);
  t.is(g.word(RAM + 0x800), 27, 'GICC_IAR gave the virtual timer\'s INTID');
  t.false(g.vcpu(0).runnable);
  g.vmm.consoleDevice!.receive(0x41);
  t.true(g.vcpu(0).runnable, 'PL011 RX → SPI 1 (INTID 33) → the vCPU');
  const last = runVm(g, isHypercall);
  t.is(last.at(-1)?.kind, ExitKind.Hypercall);
  t.is(g.vcpu(0).exit.hypercall.nr, 0x77, 'the guest saw its three interrupts and finished');
  t.is(g.word(RAM + 0x804), 33);
  t.deepEqual(
    [...first, ...last].filter((e) => e.kind === ExitKind.Mmio && (e.address! & 0xfff00000) === (GICD & 0xfff00000)),
    [],
    'GICD and GICC accesses never reach the VMM',
  );
  t.true(g.vgic.virtualInterface.lr.every((v) => v === 0), 'after the exit the list registers are folded back and empty');
});

test('a level-sensitive interrupt ended while its line is still high is taken again; once the device drops it, it is gone', (t) => {
  const g = guest(0xf0);
  runVm(g, (_v, kind) => kind === ExitKind.Hlt);
  g.clock.advanceTo(g.clock.now + 2000);
  runVm(g, (_v, kind) => kind === ExitKind.Hlt);
  g.vmm.consoleDevice!.receive(0x41);
  runVm(g, isHypercall);
  t.deepEqual([g.word(RAM + 0x800), g.word(RAM + 0x804), g.word(RAM + 0x808)], [27, 33, 33],
    'the first EOI left the PL011 line high: INTID 33 pending again');
  t.is(g.core(0).r[9], 1);
  const d = g.vgic.distributor;
  t.false(d.isPending(0, 33), 'UARTDR read: the line dropped, nothing pending');
  t.is(d.active[d.slot(0, 33)], 0, 'and not active after the second EOI');
  t.true(g.vgic.maintenanceInterrupts >= 1, 'the EOI of the level interrupt was a maintenance interrupt handled in the kernel');
});

test('GICC_PMR masks a pending interrupt of lower priority until the guest raises it', (t) => {
  const g = guest(0xc0);
  runVm(g, (_v, kind) => kind === ExitKind.Hlt);
  g.vmm.consoleDevice!.receive(0x41);
  const d = g.vgic.distributor;
  t.true(d.isPending(0, 33), 'INTID 33 is pending at the distributor');
  t.false(g.vcpu(0).runnable, 'priority 0xc0 is not below GICC_PMR 0xc0: the vCPU stays halted');
  g.clock.advanceTo(g.clock.now + 2000);
  t.true(g.vcpu(0).runnable, 'the timer at 0x80 is below the mask');
  runVm(g, isHypercall);
  t.deepEqual([g.word(RAM + 0x800), g.word(RAM + 0x804), g.word(RAM + 0x808)], [27, 33, 33],
    'the timer first; INTID 33 only once its handler set GICC_PMR to 0xf0');
});

test('SGIs between two vCPUs through GICD_SGIR carry the source CPU in GICC_IAR', (t) => {
  const g = vgicGuest(SGI_GUEST, { vcpus: 2 });
  runVm(g, (v, kind) => v === 0 && kind === ExitKind.Hypercall && g.vcpu(0).exit.hypercall.nr === 0x77, 400, 300);
  t.is(g.vcpu(0).exit.hypercall.nr, 0x77, 'vCPU 0 finished');
  t.is(g.word(RAM + 0xa00), 0x02020202, 'vCPU 1 reads its own CPU bit in the banked GICD_ITARGETSR0');
  t.is(g.word(RAM + 0x900), 5, 'vCPU 1 took SGI 5 from CPU 0');
  t.is(g.word(RAM + 0x800), 6 | (1 << 10), 'vCPU 0 took SGI 6 from CPU 1 (CPUID in bits [12:10])');
  const d = g.vgic.distributor;
  t.is(d.sgiSources[5 + 16], 0);
  t.is(d.sgiSources[6], 0);
});

test('a halted vCPU is not woken by an interrupt its distributor does not forward (GICD_CTLR or enable clear)', (t) => {
  const g = guest(0xf0);
  runVm(g, (_v, kind) => kind === ExitKind.Hlt);
  g.vm.bus.write32(GICD + 0x184, 2);       // GICD_ICENABLER1: INTID 33 off (the VMM writing as the guest would)
  g.vmm.consoleDevice!.receive(0x41);
  t.false(g.vcpu(0).runnable, 'disabled');
  g.vm.bus.write32(GICD + 0x104, 2);
  t.true(g.vcpu(0).runnable, 'enabled again: it was pending all along');
  g.vm.bus.write32(GICD, 0);
  t.false(g.vcpu(0).runnable, 'distributor disabled');
});

test('snapshot/restore of the vGIC is plain data and keeps pending and active state', (t) => {
  const g = guest(0xf0);
  runVm(g, (_v, kind) => kind === ExitKind.Hlt);
  g.vmm.consoleDevice!.receive(0x41);
  const snap = JSON.parse(JSON.stringify(g.vgic.snapshot()));
  const h = guest(0xf0);
  h.vgic.restore(snap);
  t.true(h.vgic.distributor.isPending(0, 33), 'the PL011 line was high: INTID 33 pending after restore');
  t.false(g.vgic.distributor.isPending(0, 27), 'the timer had not fired');
  t.is(h.vgic.distributor.enabled[h.vgic.distributor.slot(0, 33)], 1);
  t.is(h.vgic.distributor.priority[h.vgic.distributor.slot(0, 33)], 0xc0);
  t.is(h.vgic.distributor.level[h.vgic.distributor.slot(0, 33)], 1, 'the snapshot holds the input level');
  t.is(h.vgic.virtualInterface.vmcr[0] >>> 27, 0xf0 >> 3, 'the guest\'s GICC_PMR (GICH_VMCR) came along');
});

test('an SGI a vCPU sends itself while it runs reaches it at once through its list registers', (t) => {
  const g = vgicGuest(SELF_SGI_GUEST);
  const exits = runVm(g, isHypercall, 20);
  t.is(g.vcpu(0).exit.hypercall.nr, 0x77, 'the guest took its SGI and finished');
  t.is(g.word(RAM + 0x800), 3, 'SGI 3 from CPU 0');
  t.deepEqual(exits.map((e) => e.kind), [ExitKind.Hypercall], 'no exit at all before the end: GICD_SGIR and GICC are in-kernel');
});

test('a GIC node without a CPU interface reg entry is an error at the node, not a crash', (t) => {
  const [spec] = vmSpecs(`  <vm name="g" memory="64K">
    <node name="/" _address-cells="1" _size-cells="1">
      <node name="memory@40000000" device_type="memory" reg="0x40000000 64K"/>
      <node name="intc@8000000" compatible="arm,cortex-a15-gic" interrupt-controller="" _interrupt-cells="3" reg="0x08000000 0x10000"/>
    </node>
  </vm>`);
  const clock = new VirtualClock();
  const { irqChip, timerIrqs } = armIrqChipFor(spec);
  const e = t.throws(() => new Vmm({ hypervisor: new Hypervisor(), spec, clock, irqChip, ...armVmParts({ clock, timerIrqs }) }), { instanceOf: InputError });
  t.regex(formatDiagnostic((e as InputError).diagnostics[0]), /vm\.xml:\d+:\d+: error: \/intc@8000000: a GIC node needs reg entries for its distributor and CPU interface, it has 1/);
});

test('GICD reads and writes see an interrupt held in a list register: ISPENDR shows it, CPENDSGIR removes it', (t) => {
  const g = vgicGuest(PENDING_READ_GUEST);
  runVm(g, isHypercall, 20);
  t.is(g.vcpu(0).exit.hypercall.nr, 0x77);
  const r = g.core(0).r;
  t.is(r[4] >>> 0, 1 << 3, 'GICD_ISPENDR0: SGI 3 pending (it sat in a list register)');
  t.is(r[6] & 0xff, 1, 'GICD_CPENDSGIR: pending from CPU 0');
  t.is(r[5] >>> 0, 0, 'cleared through GICD_CPENDSGIR');
  t.is(g.word(RAM + 0x800), 0, 'so no interrupt once IRQs were unmasked');
});
