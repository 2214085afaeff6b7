import type { AccessWidth, MmioDevice } from '../../src/machine/MmioDevice.ts';
import { RegisterBlock } from '../RegisterBlock.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import type { GicVirtualInterface, GicVirtualInterfaceOptions } from './GicVirtualInterface.ts';

/**
 * The GICv2 virtual interface control window, GICH_* (IHI 0048B 5.3): the
 * hypervisor's view of the virtual CPU interface of the processor making the
 * access (every register is banked per processor). Word accesses only
 * (5.3, "all registers are 32 bits wide"); narrower writes are ignored.
 */
export class GicHypControl implements MmioDevice {
  readonly name: string;
  readonly widths: readonly AccessWidth[] = [4];
  readonly registers: RegisterBlock;

  constructor(vif: GicVirtualInterface, opts: GicVirtualInterfaceOptions) {
    this.name = `${opts.name}.control`;
    const v = vif;
    const cpu = () => v.currentCpu();
    const n = vif.numListRegisters;
    this.registers = new RegisterBlock(this.name, [
      {
        name: 'GICH_HCR', offset: 0x00, narrowWrites: false,
        value: () => v.hcr[cpu()],
        onWrite: (_x, _p, _i, written) => v.writeHcr(cpu(), written),
      },
      {
        // PRIbits [31:29] and PREbits [28:26] = 5 bits − 1; ListRegs [5:0] = list registers − 1.
        name: 'GICH_VTR', offset: 0x04, access: 'R',
        reset: ((4 << 29) | (4 << 26) | (n - 1)) >>> 0,
      },
      {
        name: 'GICH_VMCR', offset: 0x08, narrowWrites: false,
        value: () => v.vmcr[cpu()],
        onWrite: (_x, _p, _i, written) => v.writeVmcr(cpu(), written),
      },
      { name: 'GICH_MISR', offset: 0x10, access: 'R', value: () => v.misr(cpu()) },
      { name: 'GICH_EISR', offset: 0x20, count: 2, stride: 4, access: 'R', value: (i) => v.eisr(cpu(), i) },
      { name: 'GICH_ELRSR', offset: 0x30, count: 2, stride: 4, access: 'R', value: (i) => v.elrsr(cpu(), i) },
      {
        name: 'GICH_APR', offset: 0xf0, narrowWrites: false,
        value: () => v.apr[cpu()],
        onWrite: (_x, _p, _i, written) => v.writeApr(cpu(), written),
      },
      {
        name: 'GICH_LR', offset: 0x100, count: n, stride: 4, narrowWrites: false,
        value: (i) => v.lr[cpu() * n + i],
        onWrite: (_x, _p, i, written) => v.writeLr(cpu(), i, written),
      },
    ], new DeviceAccessLog(this.name, opts.log ?? (() => {}), opts.pc, opts.controlBase), { bigEndian: opts.bigEndian });
  }

  read(offset: number, width: AccessWidth): number {
    return this.registers.read(offset, width);
  }

  write(offset: number, width: AccessWidth, value: number): void {
    this.registers.write(offset, width, value);
  }

  reset(): void {
    this.registers.reset();
  }
}
