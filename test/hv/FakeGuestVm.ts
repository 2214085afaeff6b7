import { Hypervisor } from '../../src/hv/Hypervisor.ts';
import type { Vm, VmOptions } from '../../src/hv/Vm.ts';
import type { Vcpu } from '../../src/hv/Vcpu.ts';
import { FakeGuestCore, program } from './FakeGuestCore.ts';

export const RAM_BASE = 0x40000000;

/** A hypervisor with one VM of fake cores: `ramSize` bytes of RAM in slot 0 at RAM_BASE, `code` loaded there, vCPU 0 at its start. */
export function fakeVm(
  code: readonly number[],
  options: Partial<VmOptions> & { ramSize?: number; hv?: Hypervisor } = {},
): { hv: Hypervisor; vm: Vm; vcpu: Vcpu; core: FakeGuestCore } {
  const hv = options.hv ?? new Hypervisor();
  const vm = hv.createVm({ name: 'guest', createGuestCpu: (ctx) => new FakeGuestCore(ctx), ...options });
  vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: RAM_BASE, size: options.ramSize ?? 0x100000, name: 'ram' });
  if (code.length > 0) vm.bus.loadBytes(RAM_BASE, program(code));
  const vcpu = vm.createVcpu(0);
  vcpu.setPc(RAM_BASE);
  return { hv, vm, vcpu, core: vcpu.guest as FakeGuestCore };
}
