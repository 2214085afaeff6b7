import type { AccessWidth, MmioDevice, PcProvider } from '../../src/machine/MmioDevice.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import { allOnes, pciValue } from './pciByteOrder.ts';
import type { PciSegment } from './PciSegment.ts';

/**
 * One outbound window of a host bridge: a range of CPU addresses that the
 * bridge forwards to PCI memory or I/O space at `pciBase` (one entry of the
 * host node's `ranges`, devicetree binding pci/pci-bus-common.yaml). An
 * access is claimed by the function whose BAR covers it and whose Command
 * register enables that space; the BAR's device answers at the offset inside
 * the BAR. An access no function claims ends in a master abort: a read returns
 * all ones (PCI 3.0 §3.3.3.1; QEMU's virt board reads 0xffffffff across its
 * empty windows), a write is dropped, and both are logged.
 */
export class PciBusWindow implements MmioDevice {
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  private readonly log: DeviceAccessLog;

  constructor(
    readonly name: string,
    private readonly segment: PciSegment,
    readonly space: 'memory' | 'io',
    /** PCI bus address of the window's first byte. */
    readonly pciBase: number,
    private readonly bigEndian = false,
    opts: { log?: (m: string) => void; pc?: PcProvider; baseAddress?: number } = {},
  ) {
    this.log = new DeviceAccessLog(name, opts.log ?? (() => {}), opts.pc, opts.baseAddress);
  }

  read(offset: number, width: AccessWidth): number {
    const address = this.pciBase + offset;
    const seg = this.segment;
    if (seg.decode(this.space, address, width) && seg.hitDevice !== undefined) {
      return pciValue(seg.hitDevice.read(address - seg.hitBase, width), width, this.bigEndian);
    }
    const v = allOnes(width);
    this.log.access(this.unclaimed(address), false, offset, width, v);
    return v;
  }

  write(offset: number, width: AccessWidth, value: number): void {
    const address = this.pciBase + offset;
    const seg = this.segment;
    if (seg.decode(this.space, address, width) && seg.hitDevice !== undefined) {
      seg.hitDevice.write(address - seg.hitBase, width, pciValue(value >>> 0, width, this.bigEndian));
      return;
    }
    this.log.access(this.unclaimed(address), true, offset, width, value >>> 0);
  }

  /** Nothing here has state of its own. */
  reset(): void {}

  private unclaimed(address: number): string {
    return `of PCI ${this.space} address 0x${address.toString(16)} no device decodes (master abort)`;
  }
}
