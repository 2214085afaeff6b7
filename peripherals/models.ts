import type { DeviceModelInfo } from './DeviceModel.ts';
import { DeviceRegistry } from './DeviceRegistry.ts';

/** Every device model tskvm has, in the order `tskvm-board models` lists them. */
export const deviceModels: readonly DeviceModelInfo[] = [];

/** A registry holding every model above. */
export function createDeviceRegistry(): DeviceRegistry {
  return new DeviceRegistry(deviceModels);
}
