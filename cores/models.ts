import { CoreRegistry } from './CoreRegistry.ts';

/**
 * Every core model tskvm has. Each ISA's folder adds its entry here when its
 * core exists (cores/arm, cores/mips, cores/ppc, cores/x86).
 */
export function createCoreRegistry(): CoreRegistry {
  const registry = new CoreRegistry();
  return registry;
}
