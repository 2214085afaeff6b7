import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import type { BuiltMachine } from '../board/MachineBuilder.ts';
import type { BoardIdentity } from './SnapshotFile.ts';

function fileBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    // The machine was built from it, so it existed; if it is gone now the hash still names the path.
    return new TextEncoder().encode(`missing:${path}`);
  }
}

/**
 * What makes a board, for telling whether a snapshot belongs to it: the
 * checked device tree as a DTB (every node, property and address), the
 * firmware image's bytes (or a directly booted kernel's layout), and each guest's parameters, tree and firmware.
 * Two boards with the same hash build the same machine; the file names do not
 * count (a board copied elsewhere is the same board).
 */
export function boardIdentity(built: BuiltMachine): BoardIdentity {
  const h = createHash('sha256');
  const part = (label: string, bytes: Uint8Array | string) => {
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    h.update(`${label}:${data.length}:`);
    h.update(data);
  };
  part('tree', writeDtb(built.board.tree));
  part('firmware', built.firmware !== undefined ? fileBytes(built.firmware.path) : '');
  // A kernel booted directly: where its image, initrd and DTB went (their sizes tell files apart; bootargs are in the tree).
  part('kernel', built.kernelBoot !== undefined ? JSON.stringify(built.kernelBoot.layout) : '');
  for (const vmm of built.vms?.vmms ?? []) {
    const spec = vmm.spec;
    part('vm', `${spec.name} vcpus=${spec.vcpus} memory=${spec.memory} paging=${spec.paging} nice=${spec.nice}`);
    part('vm-tree', writeDtb(spec.tree));
    part('vm-firmware', vmm.firmware !== undefined ? fileBytes(vmm.firmware.path) : '');
  }
  const fw = built.firmware !== undefined ? `, firmware ${basename(built.firmware.path)}` : '';
  const vms = built.vms !== undefined ? `, guests ${built.vms.vmms.map((v) => v.spec.name).join(' ')}` : '';
  return { hash: h.digest('hex'), description: `"${built.board.name}" (${basename(built.board.file)}${fw}${vms})` };
}
