import type { IrqSink } from '../../machine/IrqLine.ts';
import type { MmioDevice } from '../../machine/MmioDevice.ts';
import type { InterruptController, PhysRange } from '../../../peripherals/DeviceModel.ts';
import type { GuestCpu } from '../GuestCpu.ts';

/** A register window of an in-kernel irqchip (the vGIC distributor) to map on the VM's bus. */
export interface IrqChipWindow {
  readonly address: number;
  readonly size: number;
  readonly device: MmioDevice;
  readonly deviceOffset?: number;
}

/**
 * A VM's in-kernel interrupt controller (KVM_CREATE_IRQCHIP): its state lives
 * in the hypervisor, device models of the VMM raise guest IRQ lines into it,
 * and it decides which vCPU has an interrupt to take.
 *
 * The seam for the ARM vGIC: it claims the guest tree's GIC node
 * (`compatible`), maps the distributor (and the CPU interface a guest sees)
 * in-kernel through `windows`, and injects interrupts through the GIC
 * virtualization extension's list registers in `flushToVcpu` (called right
 * before each guest entry) and reads back what the guest acknowledged or
 * completed in `syncFromVcpu` (right after each exit), as KVM's
 * kvm_vgic_flush_hwstate / kvm_vgic_sync_hwstate do.
 */
export interface VmIrqChip {
  /** Compatible strings of the guest tree's interrupt-controller node this chip stands for. */
  readonly compatible: readonly string[];
  /** Resolves the tree's interrupt specifiers to this chip's inputs (the VMM wires device lines with it). */
  readonly controller: InterruptController;
  /** KVM_IRQ_LINE: drive input `input` (device lines call this through their IrqLine). */
  setIrqLevel(input: number, level: boolean): void;
  /** Called by createVcpu: the chip's output for vCPU `id` goes to `sink`'s input `input`. */
  connectVcpu(id: number, sink: IrqSink, input: number): void;
  /** True when vCPU `id` has an interrupt it could take now (wakes it from HLT/WFI). */
  hasPendingInterrupt(id: number): boolean;
  /** In-kernel register windows for the node's `reg` entries (none for a chip without registers). */
  windows?(regs: readonly PhysRange[]): readonly IrqChipWindow[];
  /** Before guest entry: load what vCPU `id` should see (list registers). */
  flushToVcpu?(id: number, guest: GuestCpu): void;
  /** After guest exit: take back what vCPU `id` did with it. */
  syncFromVcpu?(id: number, guest: GuestCpu): void;
  reset(): void;
  /** The chip's state as plain data (src/snapshot/Snapshottable.ts); a VM whose chip lacks it cannot be saved. */
  snapshot?(): unknown;
  /** Put back a `snapshot`, driving the vCPUs' inputs to match. */
  restore?(state: unknown): void;
}
