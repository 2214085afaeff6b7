import type { AccessWidth, MmioDevice, PcProvider } from '../src/machine/MmioDevice.ts';
import type { DeviceContext, DeviceInstance } from './DeviceModel.ts';
import { DeviceAccessLog } from './DeviceAccessLog.ts';

/**
 * Stands in for a device-tree node whose compatible string has no model:
 * reads return 0, writes are dropped, and every access is logged (one line
 * each, with the address, size, value and the PC of the instruction) so the
 * user sees what the firmware expected from the missing device.
 */
export class UnimplementedDevice implements MmioDevice {
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  private readonly log: DeviceAccessLog;

  constructor(
    readonly name: string,
    baseAddress: number,
    sink: (message: string) => void,
    pc?: PcProvider,
  ) {
    this.log = new DeviceAccessLog(name, sink, pc, baseAddress);
  }

  read(offset: number, width: AccessWidth): number {
    this.log.access('(unimplemented device)', false, offset, width, 0);
    return 0;
  }

  write(offset: number, width: AccessWidth, value: number): void {
    this.log.access('(unimplemented device)', true, offset, width, value >>> 0);
  }

  reset(): void {}
}

/** Factory used by the machine builder for nodes with no model: one window per `reg` entry. */
export function createUnimplementedDevice(ctx: DeviceContext): DeviceInstance {
  const mappings = ctx.regs.map((r, i) => ({
    address: r.address,
    size: r.size,
    device: new UnimplementedDevice(
      ctx.regs.length === 1 ? ctx.name : `${ctx.name}[${i}]`, r.address, (m) => ctx.log(m), ctx.pc),
  }));
  return { mappings, model: mappings.map((m) => m.device) };
}
