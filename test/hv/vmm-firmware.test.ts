import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDtb } from '../../dts/blob/DtbReader.ts';
import { ExitKind, SystemEventType } from '../../src/hv/ExitKind.ts';
import { Hypervisor } from '../../src/hv/Hypervisor.ts';
import type { InKernelHypercalls } from '../../src/hv/Vcpu.ts';
import { Vmm, VmmAction } from '../../src/hv/Vmm.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import { FakeGuestCore, enc, li32, Op, program } from './FakeGuestCore.ts';
import { uartVm, vmSpecs } from './VmBoards.ts';

const RAM = 0x40000000;
const COUNTER = RAM + 0x8000;

/** PSCI SYSTEM_RESET (0x84000009, ARM DEN0022) handled in-kernel. */
const psciReset: InKernelHypercalls = {
  handle(_vcpu, exit) {
    if (exit.hypercall.nr !== 0x84000009) return 'exit';
    exit.kind = ExitKind.SystemEvent;
    exit.systemEvent.type = SystemEventType.Reset;
    return 'exit';
  },
};

/** Counts its boots in RAM outside its image; resets the VM until it has booted three times. */
const firmware = [
  ...li32(1, COUNTER), enc(Op.LW, 2, 1, 0), enc(Op.ADDI, 2, 2, 1), enc(Op.SW, 2, 1, 0),
  enc(Op.ADDI, 3, 2, -3), enc(Op.BNZ, 3, 0, 1), enc(Op.HLT),
  ...li32(0, 0x84000009), enc(Op.HVC),
];

test('the VMM loads the VM\'s firmware and DTB into guest memory, presets the boot vCPU, and reloads them on a guest system reset', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-hv-'));
  writeFileSync(join(dir, 'fw.bin'), program(firmware));
  const xml = uartVm('fw', '', 'vcpus="2"').replace(
    '<console',
    `<firmware bin="${join(dir, 'fw.bin')}" load="0x40001000" dtb-address="0x40000000" dtb-register="r2"><register name="r9" value="0x1234"/></firmware>\n    <console`,
  );
  const [spec] = vmSpecs(xml);
  const vmm = new Vmm({ hypervisor: new Hypervisor(), spec, clock: new VirtualClock(), hypercalls: psciReset, createGuestCpu: (ctx) => new FakeGuestCore(ctx) });
  const [boot, second] = vmm.vm.vcpus;
  t.is(boot.getPc(), 0x40001000, 'raw image: entry = load address');
  t.is(boot.getRegister('r2'), 0x40000000);
  t.is(boot.getRegister('r9'), 0x1234);
  t.true(second.poweredOff, 'secondary vCPUs wait to be started');
  t.false(second.runnable);
  const size = new DataView(vmm.vm.bus.readBytes(0x40000004, 4).buffer).getUint32(0, false); // fdt_header.totalsize, big-endian
  const dtb = readDtb(vmm.vm.bus.readBytes(0x40000000, size), 'guest.dtb');
  t.truthy(dtb.nodeAt('/uart@9000000'), 'the guest blob holds the guest tree');
  t.deepEqual(vmm.vm.bus.readBytes(0x40001000, 8), program(firmware).subarray(0, 8));

  let action: number = VmmAction.Continue;
  for (let i = 0; i < 20 && action === VmmAction.Continue; i++) {
    boot.run(1000);
    action = vmm.handleExit(boot);
  }
  t.is(action, VmmAction.Halt);
  t.is(vmm.vm.bus.read32(COUNTER), 3, 'booted three times: memory outside the image survives resets');
  t.is(vmm.resetCount, 2);
  t.is(boot.getRegister('r2'), 3, 'r2 was reset to the DTB address and reused by the third boot');
  t.deepEqual(vmm.vm.exitsByReason(), { 'system-event': 2, hlt: 1 });
});
