import { parseBoardText } from '../../dts/board/BoardLoader.ts';
import type { VmSpec } from '../../dts/board/BoardSpec.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';

/** The `<vm>` elements of a board file given as text (named vm.xml in messages). */
export function vmSpecs(vms: string): VmSpec[] {
  const text = `<board name="host">
  <node name="/" _address-cells="1" _size-cells="1"/>
${vms}
</board>`;
  const { board, diagnostics } = parseBoardText(text, 'vm.xml');
  if (board === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return [...board.vms];
}

/**
 * A guest tree with 64 KiB of RAM at 0x40000000, the level-triggered irqchip,
 * and a PL011 at 0x09000000 on input 1 that is the VM's console.
 */
export function uartVm(name: string, extra = '', attributes = ''): string {
  return `  <vm name="${name}" memory="64K" ${attributes}>
    <console uart="&amp;uart"/>
    <node name="/" _address-cells="1" _size-cells="1">
      <node name="memory@40000000" device_type="memory" reg="0x40000000 64K"/>
      <node name="intc" label="intc" compatible="tskvm,level-irqchip" interrupt-controller="" _interrupt-cells="1"/>
      <node name="uart@9000000" label="uart" compatible="arm,pl011" reg="0x09000000 0x1000" interrupt-parent="&amp;intc" interrupts="1"/>
${extra}
    </node>
  </vm>`;
}
