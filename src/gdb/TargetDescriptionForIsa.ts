import type { Isa } from '../machine/Cpu.ts';
import { armTargetDescription } from './ArmTargetDescription.ts';
import type { TargetDescription } from './TargetDescription.ts';

/** The description for cores of `isa`, or undefined when the stub cannot debug them yet. */
export function targetDescriptionFor(isa: Isa): TargetDescription | undefined {
  switch (isa) {
    case 'arm':
      return armTargetDescription;
    default:
      return undefined;
  }
}
