import test from 'ava';
import { ExitKind } from '../../src/hv/ExitKind.ts';
import { VmmAction } from '../../src/hv/Vmm.ts';
import type { MmioDevice } from '../../src/machine/MmioDevice.ts';
import { RAM, UART, armGuest, describeExit, runExits } from './ArmGuestVm.ts';

// An ARMv7 guest run by tskvm as its hypervisor (cores/arm/guest): the
// exceptions the guest's accesses and instructions take to Hyp mode become
// src/hv exits as KVM/ARM makes them (stage 2 Data Abort with a valid
// syndrome → MMIO, trapped WFI → HLT, HVC → HYPERCALL, PSCI in-kernel).

/** PL011 (at UART): UARTCR = 0x301, 'H', 'i' to UARTDR, read UARTFR, WFI, HVC 0x1234, PSCI SYSTEM_OFF. */
const GUEST = [
  0xe3001000, // movw r1, #0
  0xe3401900, // movt r1, #0x0900
  0xe3002301, // movw r2, #0x301
  0xe5812030, // str  r2, [r1, #0x30]   UARTCR
  0xe3a02048, // mov  r2, #'H'
  0xe5c12000, // strb r2, [r1]          UARTDR
  0xe3a02069, // mov  r2, #'i'
  0xe5c12000, // strb r2, [r1]
  0xe5913018, // ldr  r3, [r1, #0x18]   UARTFR
  0xe320f003, // wfi
  0xe3010234, // movw r0, #0x1234
  0xe3a01007, // mov  r1, #7
  0xe1400070, // hvc  #0
  0xe1a04000, // mov  r4, r0
  0xe3000008, // movw r0, #8
  0xe3480400, // movt r0, #0x8400       PSCI SYSTEM_OFF
  0xe1400070, // hvc  #0
  0xeafffffe, // b    .
];

test('a tiny A32 guest: MMIO to a PL011, WFI and HVC give the expected exits; PSCI SYSTEM_OFF powers the VM off', (t) => {
  const { vmm, vcpu, core, text } = armGuest(GUEST);
  const { exits, action } = runExits(vmm, vcpu);
  t.deepEqual(exits, [
    { kind: 'mmio', address: UART + 0x30, size: 4, isWrite: true, data: 0x301 },
    { kind: 'mmio', address: UART, size: 1, isWrite: true, data: 0x48 },
    { kind: 'mmio', address: UART, size: 1, isWrite: true, data: 0x69 },
    // UARTFR after reset: TXFE (bit 7) and RXFE (bit 4) (PL011 TRM 3.3.3), supplied by the VMM.
    { kind: 'mmio', address: UART + 0x18, size: 4, isWrite: false, data: 0x90 },
    { kind: 'hlt' },
  ]);
  t.is(action, VmmAction.Halt);
  t.is(text(), 'Hi');
  t.is(core.r[3], 0x90, 'the MMIO read completed into r3 before the next instruction');
  t.is(vcpu.getPc(), RAM + 0x28, 'the vCPU halted after its WFI');
  // Running again (as the VMM would once woken): the HVC, then the in-kernel PSCI call.
  const more = runExits(vmm, vcpu);
  t.deepEqual(more.exits, [
    { kind: 'hypercall', nr: 0x1234, arg0: 7 },
    { kind: 'system-event', type: 1 },
  ]);
  t.is(more.action, VmmAction.PowerOff);
  t.is(core.r[4] >>> 0, 0xffffffff, 'the VMM answered the unknown hypercall with -1 in r0');
  t.deepEqual(vmm.vm.exitsByReason(), { mmio: 4, hlt: 1, hypercall: 1, 'system-event': 1 });
  t.is(vmm.vm.inKernelExitCounts[ExitKind.Hypercall], 1, 'SYSTEM_OFF was answered in the kernel');
});

test('the exits carry the guest state KVM would show: the pc stays on an MMIO load until its data arrives', (t) => {
  const { vcpu, core } = armGuest([0xe3a01409, 0xe5d12018, 0xe1a05002]); // mov r1, #0x09000000; ldrb r2, [r1, #0x18]; mov r5, r2
  const exit = vcpu.run(100);
  t.deepEqual(describeExit(exit), { kind: 'mmio', address: UART + 0x18, size: 1, isWrite: false, data: 0 });
  t.is(vcpu.getPc(), RAM + 4, 'at the load');
  t.is(vcpu.retired, 1, 'the load is not retired yet');
  t.throws(() => vcpu.run(100), { message: /was not completed/ });
  vcpu.completeMmioRead(0xa5);
  vcpu.run(2);
  t.is(core.r[2], 0xa5);
  t.is(core.r[5], 0xa5);
  t.is(vcpu.retired, 3);
});

test('LDRSH from MMIO sign-extends the completed value (HSR.SSE); STRH writes two bytes', (t) => {
  const { vcpu, core } = armGuest([
    0xe3a01409, // mov r1, #0x09000000
    0xe1d120f4, // ldrsh r2, [r1, #4]
    0xe1c120b8, // strh r2, [r1, #8]
  ]);
  let exit = vcpu.run(100);
  t.deepEqual(describeExit(exit), { kind: 'mmio', address: UART + 4, size: 2, isWrite: false, data: 0 });
  vcpu.completeMmioRead(0x8001);
  exit = vcpu.run(100);
  t.is(core.r[2] >>> 0, 0xffff8001);
  t.deepEqual(describeExit(exit), { kind: 'mmio', address: UART + 8, size: 2, isWrite: true, data: 0x8001 });
});

test('an in-kernel device answers a stage 2 abort without an exit', (t) => {
  const { vm, vcpu, core } = armGuest([
    0xe3a01206, // mov r1, #0x60000000
    0xe5912000, // ldr r2, [r1]
    0xe5812004, // str r2, [r1, #4]
    0xe320f003, // wfi
  ]);
  const writes: number[] = [];
  const device: MmioDevice = {
    name: 'kdev',
    widths: [4],
    read: () => 0x1234abcd,
    write: (offset, _width, value) => {
      writes.push(offset, value);
    },
    reset: () => {},
  };
  vm.registerMmio('kdev', 0x60000000, 0x1000, device);
  const exit = vcpu.run(100);
  t.is(exit.kind, ExitKind.Hlt, 'the first exit is the WFI');
  t.is(core.r[2], 0x1234abcd);
  t.deepEqual(writes, [4, 0x1234abcd]);
});

test('a store to a read-only memory slot exits as an MMIO write (stage 2 Permission fault)', (t) => {
  const { vm, vcpu } = armGuest([
    0xe3a01205, // mov r1, #0x50000000
    0xe3a02042, // mov r2, #0x42
    0xe5910000, // ldr r0, [r1]   (memory: no exit)
    0xe5812000, // str r2, [r1]
  ]);
  vm.setUserMemoryRegion({ slot: 9, guestPhysAddr: 0x50000000, size: 0x1000, flags: { readonly: true }, name: 'flash' });
  const exit = vcpu.run(100);
  t.deepEqual(describeExit(exit), { kind: 'mmio', address: 0x50000000, size: 4, isWrite: true, data: 0x42 });
  t.is(vcpu.getPc(), RAM + 16, 'the store is complete');
});

test('an instruction fetch outside the VM\'s memory is an internal error naming the guest pc', (t) => {
  const fetch = armGuest([0xe3a0f206]); // mov pc, #0x60000000
  const exit = fetch.vcpu.run(100);
  t.is(exit.kind, ExitKind.InternalError);
  t.is(exit.internal.pc, 0x60000000);
  t.regex(exit.internal.reason, /instruction fetch from guest-physical 0x60000000/);
});

test('accesses without an instruction syndrome (LDM, writeback forms) run again with their device accesses exiting one by one', (t) => {
  const { vcpu, core } = armGuest([
    0xe3a01409, // mov  r1, #0x09000000
    0xe891000c, // ldm  r1, {r2, r3}
    0xe4914004, // ldr  r4, [r1], #4       (post-indexed: writeback, no syndrome)
    0xe320f003, // wfi
  ]);
  let exit = vcpu.run(100);
  t.deepEqual(describeExit(exit), { kind: 'mmio', address: UART, size: 4, isWrite: false, data: 0 });
  vcpu.completeMmioRead(0x11);
  exit = vcpu.run(100);
  t.deepEqual(describeExit(exit), { kind: 'mmio', address: UART + 4, size: 4, isWrite: false, data: 0 }, 'the first word is replayed, the second exits');
  t.is(vcpu.retired, 1, 'the LDM has not completed yet');
  vcpu.completeMmioRead(0x22);
  exit = vcpu.run(100);
  t.deepEqual(describeExit(exit), { kind: 'mmio', address: UART, size: 4, isWrite: false, data: 0 });
  t.deepEqual([core.r[2], core.r[3]], [0x11, 0x22]);
  vcpu.completeMmioRead(0x33);
  exit = vcpu.run(100);
  t.is(exit.kind, ExitKind.Hlt);
  t.is(core.r[4], 0x33);
  t.is(core.r[1], UART + 4, 'the base register written back once');
  t.is(vcpu.retired, 4);
});

test('a Thumb guest: 16-bit MMIO store and WFI complete past the right length', (t) => {
  // movs r1, #9; lsls r1, r1, #24; movs r2, #0x41; strb r2, [r1]; wfi; nop
  const { vcpu, text, vmm } = armGuest([]);
  const hw = [0x2109, 0x0609, 0x2241, 0x700a, 0xbf30, 0xbf00];
  const bytes = new Uint8Array(hw.length * 2);
  hw.forEach((h, i) => { bytes[2 * i] = h & 0xff; bytes[2 * i + 1] = h >>> 8; });
  vmm.vm.bus.loadBytes(RAM, bytes);
  vcpu.setRegister('cpsr', 0x1f3); // SVC, Thumb, masked
  vcpu.setPc(RAM);
  const { exits } = runExits(vmm, vcpu);
  t.deepEqual(exits, [{ kind: 'mmio', address: UART, size: 1, isWrite: true, data: 0x41 }, { kind: 'hlt' }]);
  t.is(vcpu.getPc(), RAM + 10, 'after the 16-bit WFI');
  t.is(text(), 'A', 'the PL011 model sends whatever UARTEN says, as QEMU\'s does');
});
