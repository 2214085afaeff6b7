import { ArmCpu } from '../ArmCpu.ts';
import { thumbExecutor } from './ThumbExecutor.ts';

/**
 * T32 (Thumb-2) execution for the ARMv7-A core. `installThumb` hands the
 * core's run loop the T32 executor; the hook is shared by every ArmCpu, so
 * installing it once (for any core) serves them all.
 */
export function installThumb(_cpu?: ArmCpu): void {
  ArmCpu.setThumbExecutor(thumbExecutor);
}

export { thumbExecutor } from './ThumbExecutor.ts';
export { decodeThumb16, decodeThumb32, isThumb32, thumb16Table, thumb32Table } from './ThumbDecoder.ts';
export type { ThumbHandler } from './ThumbPseudocode.ts';
