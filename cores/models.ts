import { armCoreModel } from './arm/ArmCoreModel.ts';
import { CoreRegistry } from './CoreRegistry.ts';

/**
 * Every core model tskvm has. Each ISA's folder adds its entry here when its
 * core exists (cores/arm; cores/mips, cores/ppc, cores/x86 to come).
 */
export function createCoreRegistry(): CoreRegistry {
  const registry = new CoreRegistry();
  registry.register(armCoreModel);
  return registry;
}
