import test from 'ava';
import { resolve } from 'node:path';
import { ArmVgic } from '../../cores/arm/guest/ArmVgic.ts';
import { loadBoard, parseBoardText } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic, InputError } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { attachGuestConsoles } from '../../src/board/VmBuilder.ts';
import { LevelIrqChip } from '../../src/hv/irq/LevelIrqChip.ts';

// test/board/fixtures/vgic-guest.xml: the virt-arm host (running the generic
// timer firmware) with two guests, one whose tree has a GICv2 and one with
// the level irqchip. The board builder gives the first tskvm's vGIC.

const BOARD = resolve('test/board/fixtures/vgic-guest.xml');

function load() {
  const { board, diagnostics } = loadBoard(BOARD);
  if (board === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return board;
}

test('a <vm> whose tree has a GIC gets the in-kernel vGIC; a tskvm,level-irqchip tree keeps the level irqchip', (t) => {
  const built = buildMachine(load(), { dryRun: true });
  const [gic, level] = built.vms!.vmms;
  t.true(gic.vm.irqChip instanceof ArmVgic);
  t.is((gic.vm.irqChip as ArmVgic).vcpus, 2, 'one CPU interface per vCPU');
  t.true(level.vm.irqChip instanceof LevelIrqChip);
  // The GIC's windows are in-kernel: nothing for the VMM at GICD/GICC.
  t.is(gic.deviceBus.regionAt(0x08000000), null);
  t.is(gic.deviceBus.regionAt(0x08010000), null);
  t.deepEqual(gic.vm.bus.inKernelRegions().map((r) => r.base).sort(), [0x08000000, 0x08010000]);
});

test('the generic-timer firmware passes every check as a guest: its GIC is the vGIC, its timer interrupts PPIs through list registers', (t) => {
  const built = buildMachine(load());
  let guests = '';
  const consoles = attachGuestConsoles(built.vms, (s) => (guests += s));
  const result = built.machine.run({ maxInstructions: 50_000_000 });
  for (const c of consoles) c.flush();
  t.is(result.kind, 'poweroff');
  t.regex(guests, /\[gic-guest\] PASS IRQ ID is the physical timer \(30\)\r?\n/);
  t.regex(guests, /\[gic-guest\] PASS virtual timer IRQ ID \(27\)\r?\n/);
  t.regex(guests, /\[gic-guest\] SUMMARY timer: 25 passed, 0 failed\r?\n/);
  t.regex(guests, /\[level-guest\] Hello from tskvm on virt-arm/);
  const vmm = built.vms!.vmms[0];
  const vgic = vmm.vm.irqChip as ArmVgic;
  t.true(vgic.maintenanceInterrupts > 0, 'level-sensitive timer PPIs ended through EOI maintenance');
});

test('a GIC guest with more than 8 vCPUs is an error at its GIC node', (t) => {
  const text = `<board name="b"><node name="/" _address-cells="1" _size-cells="1"/>
  <vm name="big" vcpus="9" memory="64K">
    <node name="/" _address-cells="1" _size-cells="1">
      <node name="memory@40000000" device_type="memory" reg="0x40000000 64K"/>
      <node name="intc@8000000" compatible="arm,gic-400" interrupt-controller="" _interrupt-cells="3"
            reg="0x08000000 0x1000 0x08010000 0x2000"/>
    </node>
  </vm></board>`;
  const { board, diagnostics } = parseBoardText(text, 'big.xml');
  if (board === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const host = { ...board, tree: load().tree, cpus: undefined };
  const e = t.throws(() => buildMachine(host as typeof board, { dryRun: true }), { instanceOf: InputError });
  t.regex(formatDiagnostic((e as InputError).diagnostics[0]), /big\.xml:5:\d+: error: VM "big": \/intc@8000000: a GICv2 serves at most 8 CPUs; the VM has 9 vCPUs/);
});
