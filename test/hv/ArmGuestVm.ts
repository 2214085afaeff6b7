import type { ArmGuestCpu } from '../../cores/arm/guest/ArmGuestCpu.ts';
import { armVmParts } from '../../cores/arm/guest/index.ts';
import type { PagingMode } from '../../dts/board/BoardSpec.ts';
import { Hypervisor } from '../../src/hv/Hypervisor.ts';
import type { Vcpu } from '../../src/hv/Vcpu.ts';
import type { VcpuExit } from '../../src/hv/VcpuExit.ts';
import { Vmm, VmmAction } from '../../src/hv/Vmm.ts';
import { LevelIrqChip } from '../../src/hv/irq/LevelIrqChip.ts';
import { IrqLine } from '../../src/machine/IrqLine.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import { uartVm, vmSpecs } from './VmBoards.ts';

export const RAM = 0x40000000;
export const UART = 0x09000000;

/** A32 words as little-endian bytes. */
export function a32(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return out;
}

/**
 * A VM of ARM vCPUs built by the VMM from a small guest tree (64 KiB of RAM
 * at 0x40000000, the level irqchip, a PL011 at 0x09000000 on input 1 as the
 * console; see VmBoards.uartVm), with in-kernel PSCI. `code` goes at RAM and
 * vCPU 0 starts there in SVC mode, interrupts masked (KVM's reset state).
 */
export function armGuest(
  code: readonly number[],
  options: { paging?: PagingMode; vcpus?: number; extra?: string; virtualTimerInput?: number } = {},
) {
  const paging = options.paging ?? 'nested';
  const attributes = `paging="${paging}"${options.vcpus !== undefined ? ` vcpus="${options.vcpus}"` : ''}`;
  const [spec] = vmSpecs(uartVm('arm', options.extra ?? '', attributes));
  const clock = new VirtualClock();
  // The guest tree's irqchip, made here so the vCPUs' virtual timer lines can be wired to one of its inputs.
  const irqChip = new LevelIrqChip();
  const timer = options.virtualTimerInput;
  const timerIrqs = timer === undefined ? undefined : () => ({ virt: new IrqLine(irqChip, timer, 'cntv') });
  const vmm = new Vmm({ hypervisor: new Hypervisor(), spec, clock, irqChip, ...armVmParts({ clock, timerIrqs }) });
  const out: number[] = [];
  vmm.attachConsole({ transmit: (b) => out.push(b) });
  vmm.vm.bus.loadBytes(RAM, a32(code));
  const vcpu = vmm.vm.vcpus[0];
  vcpu.setPc(RAM);
  return {
    vmm,
    vm: vmm.vm,
    vcpu,
    clock,
    core: (vcpu.guest as ArmGuestCpu).cpu,
    text: () => String.fromCharCode(...out),
  };
}

/** One exit as plain data, for deepEqual. */
export function describeExit(exit: VcpuExit): Record<string, unknown> {
  switch (exit.kind) {
    case 2: return { kind: 'mmio', address: exit.mmio.address, size: exit.mmio.size, isWrite: exit.mmio.isWrite, data: exit.mmio.data };
    case 4: return { kind: 'hlt' };
    case 5: return { kind: 'hypercall', nr: exit.hypercall.nr, arg0: exit.hypercall.args[0] };
    case 6: return { kind: 'system-event', type: exit.systemEvent.type };
    case 9: return { kind: 'internal-error', pc: exit.internal.pc, reason: exit.internal.reason };
    default: return { kind: exit.kind };
  }
}

/** Run `vcpu` and let the VMM answer each exit; the exits seen, until the VMM stops (halt, power-off, fault) or `limit` exits. */
export function runExits(vmm: Vmm, vcpu: Vcpu, limit = 50, budget = 100_000): { exits: Record<string, unknown>[]; action: VmmAction } {
  const exits: Record<string, unknown>[] = [];
  for (let i = 0; i < limit; i++) {
    const exit = vcpu.run(budget);
    const d = describeExit(exit);
    const action = vmm.handleExit(vcpu);
    if (exit.kind === 2 && !exit.mmio.isWrite) d.data = exit.mmio.data;
    exits.push(d);
    if (action !== VmmAction.Continue) return { exits, action };
  }
  return { exits, action: VmmAction.Continue };
}
