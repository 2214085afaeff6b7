import type { DeviceModelInfo } from './DeviceModel.ts';
import { DeviceRegistry } from './DeviceRegistry.ts';
import { pl011Model } from './uart/pl011Model.ts';
import { gicV2Model } from './irqchip/gicModel.ts';
import { gicV2mModel } from './irqchip/GicV2mFrame.ts';
import { cfiFlashModel } from './flash/cfiFlashModel.ts';
import { virtioMmioModel } from './virtio/VirtioMmioEmpty.ts';
import { fwCfgModel } from './firmware-cfg/fwCfgModel.ts';
import { pl031Model } from './rtc/Pl031Rtc.ts';
import { pl061Model } from './gpio/Pl061Gpio.ts';
import { pciHostEcamModel } from './pci/pciHostEcamModel.ts';

/** Every device model tskvm has, in the order `tskvm-board models` lists them. */
export const deviceModels: readonly DeviceModelInfo[] = [
  pl011Model,
  pl031Model,
  gicV2Model,
  gicV2mModel,
  cfiFlashModel,
  virtioMmioModel,
  fwCfgModel,
  pl061Model,
  pciHostEcamModel,
];

/** A registry holding every model above. */
export function createDeviceRegistry(): DeviceRegistry {
  return new DeviceRegistry(deviceModels);
}
