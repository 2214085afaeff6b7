import type { AccessWidth, MmioDevice } from '../../src/machine/MmioDevice.ts';
import { RegisterBlock } from '../RegisterBlock.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import type { GicV2, GicV2Options } from './GicV2.ts';

/**
 * The GICv2 CPU interface window (IHI 0048B 4.4). One window for all CPUs:
 * every register is banked, the copy chosen by the CPU making the access.
 * Reading GICC_IAR/GICC_AIAR acknowledges an interrupt (a side effect of the
 * read), writing GICC_EOIR/GICC_AEOIR ends it, GICC_DIR (at 0x1000)
 * deactivates it when GICC_CTLR.EOImode splits the two steps.
 */
export class GicCpuInterface implements MmioDevice {
  readonly name: string;
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  readonly registers: RegisterBlock;
  /** Value of the last IAR/AIAR read per CPU (a read acknowledges, the value is what it returned). */
  private readonly lastAck: Uint16Array;

  constructor(private readonly gic: GicV2, opts: GicV2Options) {
    this.name = `${opts.name}.cpu-interface`;
    const g = gic;
    const cpu = () => g.currentCpu();
    const lastAck = new Uint16Array(gic.numCpus).fill(1023);
    this.lastAck = lastAck;
    this.registers = new RegisterBlock(this.name, [
      {
        name: 'GICC_CTLR', offset: 0x00, writeMask: 0x7ff, narrowWrites: false,
        value: () => g.cctlr[cpu()],
        onWrite: (_v, _p, _i, written) => { g.cctlr[cpu()] = written & 0x7ff; g.updateIrq(); },
      },
      {
        name: 'GICC_PMR', offset: 0x04, writeMask: 0xff,
        value: () => g.pmr[cpu()],
        onWrite: (v) => { g.pmr[cpu()] = v & g.priorityMask; g.updateIrq(); },
      },
      {
        // Values below the minimum binary point read back as the minimum (IHI 0048B 4.4.3).
        name: 'GICC_BPR', offset: 0x08, writeMask: 0x7,
        value: () => g.bpr[cpu()],
        onWrite: (v) => { g.bpr[cpu()] = Math.max(v & 7, g.minBpr); g.updateIrq(); },
      },
      {
        name: 'GICC_IAR', offset: 0x0c, access: 'R',
        beforeRead: () => { const c = cpu(); lastAck[c] = g.acknowledge(c, false); },
        value: () => lastAck[cpu()],
      },
      {
        name: 'GICC_EOIR', offset: 0x10, access: 'W', narrowWrites: false,
        onWrite: (_v, _p, _i, written) => g.endOfInterrupt(cpu(), written, false),
      },
      {
        name: 'GICC_RPR', offset: 0x14, access: 'R',
        value: () => Math.min(g.runningPriority(cpu()), 0xff),
      },
      { name: 'GICC_HPPIR', offset: 0x18, access: 'R', value: () => g.pendingId(cpu(), false) },
      {
        name: 'GICC_ABPR', offset: 0x1c, writeMask: 0x7,
        value: () => g.abpr[cpu()],
        onWrite: (v) => { g.abpr[cpu()] = Math.max(v & 7, g.minBpr + 1); g.updateIrq(); },
      },
      {
        name: 'GICC_AIAR', offset: 0x20, access: 'R',
        beforeRead: () => { const c = cpu(); lastAck[c] = g.acknowledge(c, true); },
        value: () => lastAck[cpu()],
      },
      {
        name: 'GICC_AEOIR', offset: 0x24, access: 'W', narrowWrites: false,
        onWrite: (_v, _p, _i, written) => g.endOfInterrupt(cpu(), written, true),
      },
      { name: 'GICC_AHPPIR', offset: 0x28, access: 'R', value: () => g.pendingId(cpu(), true) },
      {
        // Active priorities: one bit per preemption level (the format QEMU uses; IMPLEMENTATION DEFINED).
        name: 'GICC_APR', offset: 0xd0, count: 4, stride: 4, narrowWrites: false,
        value: (i) => g.apr[cpu() * 4 + i],
        onWrite: (_v, _p, i, written) => { g.apr[cpu() * 4 + i] = written; g.updateIrq(); },
      },
      // Non-secure active priorities: RAZ/WI without the Security Extensions.
      { name: 'GICC_NSAPR', offset: 0xe0, count: 4, stride: 4, value: () => 0, onWrite: () => {} },
      // GIC-400 r0p1 CPU interface: product 0x020, architecture v2, implementer ARM.
      { name: 'GICC_IIDR', offset: 0xfc, access: 'R', reset: 0x0202143b },
      {
        name: 'GICC_DIR', offset: 0x1000, access: 'W', narrowWrites: false,
        onWrite: (_v, _p, _i, written) => g.deactivate(cpu(), written),
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
    this.gic.resetCpuInterfaces();
  }
}
