import { RegisterBlock } from '../../peripherals/RegisterBlock.ts';
import type { AccessWidth, MmioDevice } from '../machine/MmioDevice.ts';

/** Told of one device access after the device answered it. */
export type DeviceAccessReport = (device: MmioDevice, offset: number, width: AccessWidth, write: boolean, value: number, register: string | undefined) => void;

/**
 * A device as a trace sees it: the same name, widths and behaviour, every
 * access reported after the device served it, with the register's name when
 * the model declares its registers as data (a `registers` RegisterBlock).
 * Put on the bus with Bus.interposeMmio only while tracing.
 */
export function tracedDevice(device: MmioDevice, report: DeviceAccessReport): MmioDevice {
  const block = (device as { registers?: unknown }).registers;
  const nameAt = block instanceof RegisterBlock ? (offset: number) => block.registerNameAt(offset) : () => undefined;
  return {
    name: device.name,
    widths: device.widths,
    read(offset, width) {
      const value = device.read(offset, width);
      report(device, offset, width, false, value, nameAt(offset));
      return value;
    },
    write(offset, width, value) {
      device.write(offset, width, value);
      report(device, offset, width, true, value, nameAt(offset));
    },
    reset() {
      device.reset();
    },
  };
}
