import type { ArmGuestCpu } from '../../cores/arm/guest/ArmGuestCpu.ts';
import { armIrqChipFor, armVmParts } from '../../cores/arm/guest/index.ts';
import type { ArmVgic } from '../../cores/arm/guest/ArmVgic.ts';
import { Hypervisor } from '../../src/hv/Hypervisor.ts';
import { Vmm, VmmAction } from '../../src/hv/Vmm.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import { a32 } from './ArmGuestVm.ts';
import { vmSpecs } from './VmBoards.ts';

export const RAM = 0x40000000;
export const UART = 0x09000000;
export const GICD = 0x08000000;
export const GICC = 0x08010000;

/**
 * A guest tree as QEMU's virt gives a guest: a GICv2 (GICD 0x08000000, GICC
 * 0x08010000), a PL011 on SPI 1 (INTID 33) as the console, the generic timer
 * on PPIs 13/14/11/10, 64 KiB of RAM at 0x40000000.
 */
export function gicVm(name: string, attributes = '', gicExtra = ''): string {
  return `  <vm name="${name}" memory="64K" ${attributes}>
    <console uart="&amp;uart"/>
    <node name="/" _address-cells="1" _size-cells="1" interrupt-parent="&amp;gic">
      <node name="memory@40000000" device_type="memory" reg="0x40000000 64K"/>
      <node name="intc@8000000" label="gic" compatible="arm,cortex-a15-gic" interrupt-controller="" _interrupt-cells="3"
            reg="0x08000000 0x10000 0x08010000 0x10000" ${gicExtra}/>
      <node name="uart@9000000" label="uart" compatible="arm,pl011" reg="0x09000000 0x1000" interrupts="0 1 4"/>
      <node name="timer" compatible="arm,armv7-timer" interrupts="1 13 0xf04 1 14 0xf04 1 11 0xf04 1 10 0xf04"/>
    </node>
  </vm>`;
}

/**
 * A VMM for `gicVm`, its irqchip chosen from the tree as the board builder
 * chooses it (armIrqChipFor), the guest's words at RAM, vCPU 0 there.
 */
export function vgicGuest(code: Record<number, readonly number[]>, options: { vcpus?: number } = {}) {
  const [spec] = vmSpecs(gicVm('g', options.vcpus !== undefined ? `vcpus="${options.vcpus}"` : ''));
  const clock = new VirtualClock();
  const { irqChip, vgic, timerIrqs } = armIrqChipFor(spec);
  const vmm = new Vmm({ hypervisor: new Hypervisor(), spec, clock, irqChip, ...armVmParts({ clock, timerIrqs }) });
  const out: number[] = [];
  vmm.attachConsole({ transmit: (b) => out.push(b) });
  for (const [at, words] of Object.entries(code)) vmm.vm.bus.loadBytes(RAM + Number(at), a32(words));
  vmm.vm.vcpus[0].setPc(RAM);
  // Secondaries wait for PSCI CPU_ON, as under firmware.
  for (const v of vmm.vm.vcpus) if (v.id > 0) v.poweredOff = true;
  return {
    vmm,
    vm: vmm.vm,
    vgic: vgic as ArmVgic,
    clock,
    vcpu: (i: number) => vmm.vm.vcpus[i],
    core: (i: number) => (vmm.vm.vcpus[i].guest as ArmGuestCpu).cpu,
    word: (address: number) => vmm.vm.bus.read32(address) >>> 0,
    text: () => String.fromCharCode(...out),
  };
}

export type VgicGuest = ReturnType<typeof vgicGuest>;

/**
 * Run the VM's runnable vCPUs in turn, `budget` instructions each, answering
 * exits, until `stop` says so after an exit or `rounds` pass. Returns the
 * exits (vCPU, kind, address for MMIO) seen.
 */
export function runVm(g: VgicGuest, stop: (vcpu: number, kind: number) => boolean, rounds = 200, budget = 500): Array<{ vcpu: number; kind: number; address?: number }> {
  const seen: Array<{ vcpu: number; kind: number; address?: number }> = [];
  for (let r = 0; r < rounds; r++) {
    let ran = false;
    for (const v of g.vm.vcpus) {
      if (!v.runnable) continue;
      ran = true;
      const exit = v.run(budget);
      const kind = exit.kind;
      seen.push(kind === 2 ? { vcpu: v.id, kind, address: exit.mmio.address } : { vcpu: v.id, kind });
      const action = g.vmm.handleExit(v);
      if (action === VmmAction.Fault) throw new Error(g.vmm.faultMessage ?? 'fault');
      if (stop(v.id, kind)) return seen;
    }
    if (!ran) break;
  }
  return seen;
}
