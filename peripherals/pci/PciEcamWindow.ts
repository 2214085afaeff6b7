import type { AccessWidth, MmioDevice, PcProvider } from '../../src/machine/MmioDevice.ts';
import { DeviceAccessLog, hex } from '../DeviceAccessLog.ts';
import { PCI_CONFIG_SPACE_SIZE } from './PciFunctionSpec.ts';
import { bdf, type PciSegment } from './PciSegment.ts';
import { allOnes, pciValue } from './pciByteOrder.ts';

/**
 * The Enhanced Configuration Access Mechanism window of a host bridge
 * (PCI Express Base Specification §7.2.2): each function's configuration
 * space sits in memory at
 *
 *   (bus - firstBus) << 20 | device << 15 | function << 12 | register
 *
 * from the window's base, the base being that of the first bus of the range
 * (devicetree binding pci/host-generic-pci.yaml: `reg` is the configuration
 * space of the buses in `bus-range`).
 *
 * A read of a function that is not there completes with all ones, which is how
 * enumeration sees an empty slot (Vendor ID 0xffff); so does a read past a
 * function's 256-byte conventional space or on a bus beyond the range. Writes
 * there are dropped. Configuration registers are little-endian; on a
 * big-endian board the bus's native-order value is byte-swapped here.
 */
export class PciEcamWindow implements MmioDevice {
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  private readonly log: DeviceAccessLog;

  constructor(
    readonly name: string,
    readonly segment: PciSegment,
    private readonly bigEndian = false,
    opts: { log?: (m: string) => void; pc?: PcProvider; baseAddress?: number } = {},
  ) {
    this.log = new DeviceAccessLog(name, opts.log ?? (() => {}), opts.pc, opts.baseAddress);
  }

  read(offset: number, width: AccessWidth): number {
    const reg = offset & 0xfff;
    const fn = this.segment.functionAt(this.segment.firstBus + Math.floor(offset / 0x100000), (offset >>> 12) & 0xff);
    if (fn === undefined || reg + width > PCI_CONFIG_SPACE_SIZE) return allOnes(width);
    return pciValue(fn.read(reg, width), width, this.bigEndian);
  }

  write(offset: number, width: AccessWidth, value: number): void {
    const reg = offset & 0xfff;
    const bus = this.segment.firstBus + Math.floor(offset / 0x100000);
    const fn = this.segment.functionAt(bus, (offset >>> 12) & 0xff);
    if (fn === undefined) {
      // Probing only reads; a write to an empty slot is a guest mistake worth seeing.
      this.log.note(`config write of ${hex(value >>> 0)} to absent function ${bdf(bus, (offset >>> 15) & 31, (offset >>> 12) & 7)} register ${hex(reg)} dropped`);
      return;
    }
    if (reg + width > PCI_CONFIG_SPACE_SIZE) return;
    fn.write(reg, width, pciValue(value >>> 0, width, this.bigEndian));
  }

  /** The configuration spaces belong to the segment, which the host bridge resets. */
  reset(): void {}
}
