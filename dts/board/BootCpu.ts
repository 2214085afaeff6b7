import { regEntries } from '../model/AddressTranslation.ts';
import type { DeviceTree } from '../model/DeviceTree.ts';
import { propertyStrings } from '../model/PropertyValue.ts';
import { InputError } from '../model/SourcePos.ts';
import type { DiagnosticSink } from './DiagnosticSink.ts';
import { numberAttribute } from './TskvmElements.ts';
import type { XmlAttribute } from './xml/XmlTree.ts';

/**
 * `boot-cpu="N"` on `<board>` and `<vm>`: the blob header's boot_cpuid_phys (Devicetree
 * Specification v0.4 section 5.2), a 32-bit field, given to dtc as `dtc -b N`. Default 0.
 */
export function readBootCpu(sink: DiagnosticSink, attr: XmlAttribute | undefined): number {
  if (attr === undefined) return 0;
  return numberAttribute(sink, attr, 0, 0xffffffff) ?? 0;
}

/**
 * 5.2: boot_cpuid_phys "shall be identical to the physical ID given in the reg property of
 * that CPU node". A warning when CPU nodes (device_type "cpu" under /cpus, section 3.7) give
 * their ids and none is the written boot-cpu; a tree without such nodes says nothing to check.
 * Each reg entry of a CPU node is the id of one of its threads (3.8.1).
 */
export function checkBootCpu(sink: DiagnosticSink, tree: DeviceTree, attr: XmlAttribute | undefined): void {
  if (attr === undefined) return;
  const cpus = tree.nodeAt('/cpus');
  if (cpus === undefined) return;
  const ids: bigint[] = [];
  for (const node of cpus.children) {
    if (propertyStrings(node.property('device_type'))?.[0] !== 'cpu') continue;
    try {
      ids.push(...regEntries(node).map((e) => e.address));
    } catch (e) {
      // A reg that does not fit its cells is reported by the tree checks already.
      if (!(e instanceof InputError)) throw e;
    }
  }
  if (ids.length === 0) return;
  const id = BigInt(tree.bootCpuId);
  if (ids.includes(id)) return;
  const known = ids.map((n) => `0x${n.toString(16)}`).join(', ');
  sink.warning(attr.pos, `boot-cpu ${tree.bootCpuId} is not the reg of any CPU node under /cpus (they have ${known}); the DT spec (5.2) says boot_cpuid_phys is the boot CPU's reg`);
}
