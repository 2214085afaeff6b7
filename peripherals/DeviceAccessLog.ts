import type { PcProvider } from '../src/machine/MmioDevice.ts';

/**
 * One line per noteworthy device access (an offset nothing implements, a
 * write to a read-only register, a command the model does not know), in a
 * single format shared by RegisterBlock and UnimplementedDevice:
 *
 *   pl011@9000000: read of unknown offset +0x40 (0x09000040, 4 bytes) = 0x0 at pc 0x00001234
 */
export class DeviceAccessLog {
  constructor(
    readonly deviceName: string,
    private readonly sink: (message: string) => void,
    private readonly pc?: PcProvider,
    /** Physical base address of offset 0, when known, for the absolute address in the line. */
    private readonly baseAddress?: number,
  ) {}

  /** An access to something the model does not implement. */
  access(what: string, write: boolean, offset: number, width: number, value: number): void {
    const where = this.baseAddress === undefined
      ? `+${hex(offset)}`
      : `+${hex(offset)} (${hex(this.baseAddress + offset, 8)}, ${width} byte${width === 1 ? '' : 's'})`;
    const dir = write ? 'write' : 'read';
    const val = write ? ` of ${hex(value)}` : ` = ${hex(value)}`;
    const size = this.baseAddress === undefined ? ` (${width} byte${width === 1 ? '' : 's'})` : '';
    this.sink(`${this.deviceName}: ${dir} ${what} ${where}${size}${val}${this.pcSuffix()}`);
  }

  /** A guest mistake or an unsupported use of an implemented register. */
  note(message: string): void {
    this.sink(`${this.deviceName}: ${message}${this.pcSuffix()}`);
  }

  private pcSuffix(): string {
    const pc = this.pc?.currentPc();
    return pc === undefined ? '' : ` at pc ${hex(pc, 8)}`;
  }
}

/** 0x-prefixed lower-case hex, zero-padded to `digits`. */
export function hex(value: number, digits = 1): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}
