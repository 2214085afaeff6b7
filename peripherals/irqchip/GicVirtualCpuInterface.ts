import type { AccessWidth, MmioDevice } from '../../src/machine/MmioDevice.ts';
import { RegisterBlock } from '../RegisterBlock.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import {
  VIRTUAL_MIN_BPR, VMCR_ABP_SHIFT, VMCR_BP_SHIFT, VMCR_CTLR_MASK, VMCR_PRIMASK_SHIFT,
  type GicVirtualInterface, type GicVirtualInterfaceOptions,
} from './GicVirtualInterface.ts';

/**
 * The GICv2 virtual CPU interface window, GICV_* (IHI 0048B 5.4): what a
 * guest finds where it expects GICC, with GICC's layout. Its control,
 * priority-mask and binary-point registers are fields of GICH_VMCR (5.3.3);
 * IAR/EOIR/DIR act on the list registers of the processor making the access.
 */
export class GicVirtualCpuInterface implements MmioDevice {
  readonly name: string;
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  readonly registers: RegisterBlock;
  /** Value of the last GICV_IAR/AIAR read per processor. */
  private readonly lastAck: Uint16Array;

  constructor(vif: GicVirtualInterface, opts: GicVirtualInterfaceOptions) {
    this.name = `${opts.name}.virtual-cpu-interface`;
    const v = vif;
    const cpu = () => v.currentCpu();
    const lastAck = new Uint16Array(vif.numCpus).fill(1023);
    this.lastAck = lastAck;
    /** Replace VMCR field [lsb+width-1:lsb] of the current processor with `value`. */
    const setVmcr = (lsb: number, width: number, value: number) => {
      const c = cpu();
      const mask = ((1 << width) - 1) << lsb;
      v.writeVmcr(c, ((v.vmcr[c] & ~mask) | ((value << lsb) & mask)) >>> 0);
    };
    this.registers = new RegisterBlock(this.name, [
      {
        name: 'GICV_CTLR', offset: 0x00, narrowWrites: false,
        value: () => v.vmcr[cpu()] & VMCR_CTLR_MASK,
        onWrite: (_x, _p, _i, written) => {
          const c = cpu();
          v.writeVmcr(c, ((v.vmcr[c] & ~VMCR_CTLR_MASK) | (written & VMCR_CTLR_MASK)) >>> 0);
        },
      },
      {
        // Five priority bits: GICV_PMR[7:3] is VMCR.VMPriMask, [2:0] read as zero.
        name: 'GICV_PMR', offset: 0x04,
        value: () => v.priorityMask(cpu()),
        onWrite: (x) => setVmcr(VMCR_PRIMASK_SHIFT, 5, (x & 0xff) >>> 3),
      },
      {
        name: 'GICV_BPR', offset: 0x08,
        value: () => (v.vmcr[cpu()] >>> VMCR_BP_SHIFT) & 7,
        onWrite: (x) => setVmcr(VMCR_BP_SHIFT, 3, Math.max(x & 7, VIRTUAL_MIN_BPR)),
      },
      {
        name: 'GICV_IAR', offset: 0x0c, access: 'R',
        beforeRead: () => { const c = cpu(); lastAck[c] = v.acknowledge(c, false); },
        value: () => lastAck[cpu()],
      },
      {
        name: 'GICV_EOIR', offset: 0x10, access: 'W', narrowWrites: false,
        onWrite: (_x, _p, _i, written) => v.endOfInterrupt(cpu(), written),
      },
      { name: 'GICV_RPR', offset: 0x14, access: 'R', value: () => Math.min(v.runningPriority(cpu()), 0xff) },
      { name: 'GICV_HPPIR', offset: 0x18, access: 'R', value: () => v.pendingId(cpu(), false) },
      {
        name: 'GICV_ABPR', offset: 0x1c,
        value: () => (v.vmcr[cpu()] >>> VMCR_ABP_SHIFT) & 7,
        onWrite: (x) => setVmcr(VMCR_ABP_SHIFT, 3, Math.max(x & 7, VIRTUAL_MIN_BPR + 1)),
      },
      {
        name: 'GICV_AIAR', offset: 0x20, access: 'R',
        beforeRead: () => { const c = cpu(); lastAck[c] = v.acknowledge(c, true); },
        value: () => lastAck[cpu()],
      },
      {
        name: 'GICV_AEOIR', offset: 0x24, access: 'W', narrowWrites: false,
        onWrite: (_x, _p, _i, written) => v.endOfInterrupt(cpu(), written),
      },
      { name: 'GICV_AHPPIR', offset: 0x28, access: 'R', value: () => v.pendingId(cpu(), true) },
      {
        // GICV_APR0 is GICH_APR (5.3.7); with 32 preemption levels GICV_APR1..3 are RAZ/WI.
        name: 'GICV_APR', offset: 0xd0, count: 4, stride: 4, narrowWrites: false,
        value: (i) => (i === 0 ? v.apr[cpu()] : 0),
        onWrite: (_x, _p, i, written) => { if (i === 0) v.writeApr(cpu(), written); },
      },
      { name: 'GICV_NSAPR', offset: 0xe0, count: 4, stride: 4, value: () => 0, onWrite: () => {} },
      // The GIC-400's virtual CPU interface identifies as its CPU interface does.
      { name: 'GICV_IIDR', offset: 0xfc, access: 'R', reset: 0x0202143b },
      {
        name: 'GICV_DIR', offset: 0x1000, access: 'W', narrowWrites: false,
        onWrite: (_x, _p, _i, written) => v.deactivate(cpu(), written),
      },
    ], new DeviceAccessLog(this.name, opts.log ?? (() => {}), opts.pc, opts.cpuInterfaceBase), { bigEndian: opts.bigEndian });
  }

  read(offset: number, width: AccessWidth): number {
    return this.registers.read(offset, width);
  }

  write(offset: number, width: AccessWidth, value: number): void {
    this.registers.write(offset, width, value);
  }

  reset(): void {
    this.registers.reset();
    this.lastAck.fill(1023);
  }
}
