import type { AccessWidth, MmioDevice, PcProvider } from '../../src/machine/MmioDevice.ts';
import type { IrqLine } from '../../src/machine/IrqLine.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import type { DeviceModelInfo } from '../DeviceModel.ts';
import { RegisterBlock, type RegisterBlockSnapshot } from '../RegisterBlock.ts';
import { nodeError, requireRegs, u32Property } from '../NodeProperties.ts';

/**
 * A GICv2m MSI frame (ARM Server Base System Architecture, ARM-DEN-0029,
 * "GICv2m"): a PCI device signals an MSI by writing an SPI's interrupt ID to
 * MSI_SETSPI_NS, and the frame pulses that SPI of its parent GIC. MSI_TYPER
 * tells software which SPIs the frame owns. Identification as QEMU's frame
 * answers it: MSI_IIDR product ID 'Q' (0x51), the optional ID registers 0.
 */
const MSI_TYPER = 0x008;
const MSI_SETSPI_NS = 0x040;
const MSI_IIDR = 0xfcc;
const PRODUCT_ID_QEMU = 0x51;

export class GicV2mFrame implements MmioDevice {
  readonly widths: readonly AccessWidth[] = [2, 4];
  readonly registers: RegisterBlock;

  /**
   * @param firstId  interrupt ID of the first SPI the frame owns (≥ 32)
   * @param spis     one line per owned SPI, in ID order
   */
  constructor(
    readonly name: string,
    readonly firstId: number,
    private readonly spis: readonly IrqLine[],
    opts: { log?: (m: string) => void; pc?: PcProvider; baseAddress?: number } = {},
  ) {
    this.registers = new RegisterBlock(name, [
      // [25:16] lowest SPI ID, [9:0] number of SPIs.
      { name: 'MSI_TYPER', offset: MSI_TYPER, access: 'R', reset: ((firstId & 0x3ff) << 16) | (spis.length & 0x3ff) },
      { name: 'MSI_SETSPI_NS', offset: MSI_SETSPI_NS, access: 'W', onWrite: (v) => this.signal(v & 0x3ff) },
      { name: 'MSI_IIDR', offset: MSI_IIDR, access: 'R', reset: PRODUCT_ID_QEMU << 20 },
      { name: 'IIDR', offset: 0xfd0, count: 12, stride: 4, access: 'R', reset: 0 },
    ], new DeviceAccessLog(name, opts.log ?? (() => {}), opts.pc, opts.baseAddress));
  }

  /** An MSI for interrupt `id`: a pulse on that SPI (edge-triggered); IDs the frame does not own are ignored. */
  private signal(id: number): void {
    const line = this.spis[id - this.firstId];
    if (line === undefined) return;
    line.raise();
    line.lower();
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

/**
 * Binding (Linux arm,gic.yaml, v2m frames): a child of its GIC node,
 * `compatible = "arm,gic-v2m-frame"`, `msi-controller`, one reg window, and
 * optional `arm,msi-base-spi` / `arm,msi-num-spis` (interrupt ID of the first
 * SPI, and how many) overriding what the hardware reports. Without them the
 * frame owns IDs 80–143, as on QEMU's virt board (base SPI 48, 64 SPIs).
 */
export const gicV2mModel: DeviceModelInfo = {
  compatible: ['arm,gic-v2m-frame'],
  description: 'GICv2m MSI frame: MSI_SETSPI_NS writes pulse SPIs of the parent GIC',
  factory(ctx) {
    requireRegs(ctx.node, ctx.regs, 1, 'a GICv2m frame');
    const gic = ctx.node.parent;
    const firstId = u32Property(ctx.node, 'arm,msi-base-spi') ?? 80;
    const count = u32Property(ctx.node, 'arm,msi-num-spis') ?? 64;
    if (firstId < 32 || firstId + count > 1020) {
      throw nodeError(ctx.node, `SPIs ${firstId}..${firstId + count - 1} are outside the GIC's SPI range 32..1019`, 'arm,msi-base-spi');
    }
    if (!gic || !ctx.interruptLine) throw nodeError(ctx.node, 'a GICv2m frame must be a child of its GIC node');
    const lines: IrqLine[] = [];
    for (let i = 0; i < count; i++) {
      // GIC specifier <type num flags>: SPI (0), number = ID - 32, edge rising (1).
      const line = ctx.interruptLine(gic, [0, firstId + i - 32, 1]);
      if (typeof line === 'string') throw nodeError(ctx.node, `cannot reach SPI ${firstId + i} of ${gic.path}: ${line}`);
      lines.push(line);
    }
    const r = ctx.regs[0];
    const dev = new GicV2mFrame(ctx.name, firstId, lines, { log: (m) => ctx.log(m), pc: ctx.pc, baseAddress: r.address });
    return { mappings: [{ address: r.address, size: r.size, device: dev }], model: dev };
  },
};
