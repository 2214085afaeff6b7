import { DtNode, type DeviceTree } from '../../dts/model/DeviceTree.ts';

/**
 * What a boot loader tells the kernel through /chosen (Devicetree
 * Specification 0.4, §3.6; Linux's Documentation/devicetree/usage-model):
 * `bootargs`, and `linux,initrd-start` / `linux,initrd-end` as numbers of
 * the root's #address-cells (2 when absent, §2.3.5), as QEMU writes them.
 */
export function setChosenForKernel(tree: DeviceTree, boot: { bootargs?: string; initrd?: { start: number; end: number } }): void {
  const root = tree.root;
  let chosen = root.child('chosen');
  if (chosen === undefined) chosen = root.addChild(new DtNode('chosen'));
  if (boot.bootargs !== undefined) chosen.setProperty({ name: 'bootargs', value: [{ kind: 'string', value: boot.bootargs }] });
  if (boot.initrd !== undefined) {
    const cells = rootAddressCells(root);
    const value = (n: number) =>
      cells === 1
        ? [{ kind: 'cells' as const, bits: 32 as const, cells: [BigInt(n)] }]
        : [{ kind: 'cells' as const, bits: 64 as const, cells: [BigInt(n)] }];
    chosen.setProperty({ name: 'linux,initrd-start', value: value(boot.initrd.start) });
    chosen.setProperty({ name: 'linux,initrd-end', value: value(boot.initrd.end) });
  }
}

function rootAddressCells(root: DtNode): number {
  const p = root.property('#address-cells');
  const seg = p?.value[0];
  if (seg?.kind === 'cells' && seg.cells.length === 1 && typeof seg.cells[0] === 'bigint') return Number(seg.cells[0]);
  return 2;
}
