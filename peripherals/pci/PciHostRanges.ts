import type { DtNode } from '../../dts/model/DeviceTree.ts';
import { rangesEntries, translateAddress } from '../../dts/model/AddressTranslation.ts';
import { nodeError } from '../NodeProperties.ts';

/** One outbound window of a PCI host bridge, from its `ranges`. */
export interface PciHostWindow {
  readonly space: 'io' | 'memory';
  /** 64-bit memory space (space code 11). */
  readonly wide: boolean;
  readonly prefetchable: boolean;
  /** First PCI bus address. */
  readonly pciAddress: number;
  /** First CPU physical address. */
  readonly cpuAddress: number;
  readonly size: number;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The windows of a PCI host node's `ranges` (IEEE 1275 PCI bus binding §2.2.1,
 * devicetree binding pci/pci-bus-common.yaml). A child address is three cells:
 * phys.hi = npt000ss bbbbbbbb dddddfff rrrrrrrr, where ss is the space
 * (01 I/O, 10 32-bit memory, 11 64-bit memory; 00, configuration space, is
 * not something ranges can map) and p marks prefetchable memory; phys.mid and
 * phys.lo are the 64-bit PCI address. The parent address is translated on up
 * to a CPU address. Errors name the property's place in the board file.
 */
export function pciHostWindows(node: DtNode): PciHostWindow[] {
  const prop = node.property('ranges');
  const entries = rangesEntries(node);
  if (entries === undefined || entries === 'identity') return [];
  return entries.map((e, i) => {
    const hi = Number((e.childAddress >> 64n) & 0xffffffffn);
    const code = (hi >>> 24) & 3;
    if (code === 0) {
      throw nodeError(node, `ranges entry ${i} maps configuration space (phys.hi 0x${hi.toString(16)}); a host bridge window is I/O (0x01000000) or memory (0x02000000, 0x03000000)`, 'ranges');
    }
    const pci = e.childAddress & 0xffffffffffffffffn;
    const cpu = translateAddress(node.parent!, e.parentAddress, `ranges entry ${i} of ${node.path}`, prop?.pos);
    if (pci + e.size > SAFE || cpu + e.size > SAFE) {
      throw nodeError(node, `ranges entry ${i} ends above 2^53, beyond what tskvm can address`, 'ranges');
    }
    if (e.size === 0n) throw nodeError(node, `ranges entry ${i} has size 0`, 'ranges');
    return {
      space: code === 1 ? 'io' : 'memory',
      wide: code === 3,
      prefetchable: (hi & 0x40000000) !== 0,
      pciAddress: Number(pci),
      cpuAddress: Number(cpu),
      size: Number(e.size),
    };
  });
}
