import type { AccessWidth, MmioDevice, PcProvider } from '../../src/machine/MmioDevice.ts';
import { RegisterBlock, type RegisterSpec, type RegisterBlockSnapshot } from '../RegisterBlock.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import type { DeviceModelInfo } from '../DeviceModel.ts';
import { requireRegs } from '../NodeProperties.ts';

/**
 * A virtio-mmio transport with nothing plugged in, as each of the 32 slots of
 * QEMU's virt board answers when no device uses it: MagicValue "virt",
 * Version 1 (the legacy register layout, virtio 1.0 §4.2.4), DeviceID 0
 * ("no device": no driver claims it), VendorID "QEMU"; every other register,
 * configuration space included, reads 0 and ignores writes.
 */
export const VIRTIO_MAGIC = 0x74726976;
export const QEMU_VENDOR_ID = 0x554d4551;

/** Legacy virtio-mmio registers (virtio 1.0 §4.2.4) other than the four identification ones. */
const LEGACY_REGISTERS: ReadonlyArray<[string, number]> = [
  ['HostFeatures', 0x010], ['HostFeaturesSel', 0x014], ['GuestFeatures', 0x020], ['GuestFeaturesSel', 0x024],
  ['GuestPageSize', 0x028], ['QueueSel', 0x030], ['QueueNumMax', 0x034], ['QueueNum', 0x038],
  ['QueueAlign', 0x03c], ['QueuePFN', 0x040], ['QueueNotify', 0x050], ['InterruptStatus', 0x060],
  ['InterruptACK', 0x064], ['Status', 0x070],
];

export class VirtioMmioEmpty implements MmioDevice {
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  readonly registers: RegisterBlock;

  constructor(readonly name: string, opts: { log?: (m: string) => void; pc?: PcProvider; baseAddress?: number } = {}) {
    const ignore = () => {};
    const id = (name: string, offset: number, value: number): RegisterSpec =>
      ({ name, offset, access: 'R', reset: value, onWrite: ignore });
    this.registers = new RegisterBlock(name, [
      id('MagicValue', 0x000, VIRTIO_MAGIC),
      id('Version', 0x004, 1),
      id('DeviceID', 0x008, 0),
      id('VendorID', 0x00c, QEMU_VENDOR_ID),
      ...LEGACY_REGISTERS.map(([n, offset]): RegisterSpec => ({ name: n, offset, value: () => 0, onWrite: ignore })),
      { name: 'Config', offset: 0x100, width: 1, count: 0x100, value: () => 0, onWrite: ignore },
    ], new DeviceAccessLog(name, opts.log ?? (() => {}), opts.pc, opts.baseAddress));
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

  snapshot(): RegisterBlockSnapshot {
    return this.registers.snapshot();
  }

  restore(s: RegisterBlockSnapshot): void {
    this.registers.restore(s);
  }
}

/** Device-tree binding (virtio/mmio.yaml): `compatible = "virtio,mmio"`, one reg window, one interrupt. */
export const virtioMmioModel: DeviceModelInfo = {
  compatible: ['virtio,mmio'],
  description: 'virtio-mmio transport (legacy, version 1) with no device behind it: DeviceID 0',
  factory(ctx) {
    requireRegs(ctx.node, ctx.regs, 1, 'a virtio-mmio transport');
    const r = ctx.regs[0];
    const dev = new VirtioMmioEmpty(ctx.name, { log: (m) => ctx.log(m), pc: ctx.pc, baseAddress: r.address });
    return { mappings: [{ address: r.address, size: r.size, device: dev }], model: dev };
  },
};
