import type { A32Handler } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import * as coreToSimdModule from './CoreToSimd.ts';
import * as elementLoadStoreModule from './ElementLoadStore.ts';
import * as floatThreeSameModule from './FloatThreeSame.ts';
import * as modifiedImmediateModule from './ModifiedImmediate.ts';
import * as permutesModule from './Permutes.ts';
import * as scalarFormsModule from './ScalarForms.ts';
import * as shiftByImmediateModule from './ShiftByImmediate.ts';
import * as threeRegisterDifferentModule from './ThreeRegisterDifferent.ts';
import * as threeRegisterSameModule from './ThreeRegisterSame.ts';
import * as twoRegisterMiscModule from './TwoRegisterMisc.ts';

// Imported values bound once: the hot path reads module-local constants, not live bindings.
const { coreToSimdEncodings } = coreToSimdModule;
const { elementLoadStoreEncodings } = elementLoadStoreModule;
const { floatThreeSameEncodings } = floatThreeSameModule;
const { modifiedImmediateEncodings } = modifiedImmediateModule;
const { extractTableDupEncodings } = permutesModule;
const { scalarEncodings } = scalarFormsModule;
const { shiftByImmediateEncodings } = shiftByImmediateModule;
const { threeDifferentEncodings } = threeRegisterDifferentModule;
const { threeSameIntegerEncodings } = threeRegisterSameModule;
const { twoRegisterMiscEncodings } = twoRegisterMiscModule;

/**
 * The Advanced SIMD encodings of the unconditional space in their A32 form
 * (ARM ARM A7.4 data processing, 1111 001U …; A7.7 element and structure
 * loads/stores, 1111 0100 xxx0 …), grouped by the manual's classes. The T32
 * forms are the same instructions with the bits moved (NeonThumb.ts).
 */
export const advancedSimdEncodings: Encoding<A32Handler>[] = [
  ...threeSameIntegerEncodings,
  ...floatThreeSameEncodings,
  ...threeDifferentEncodings,
  ...scalarEncodings,
  ...shiftByImmediateEncodings,
  ...modifiedImmediateEncodings,
  ...twoRegisterMiscEncodings,
  ...extractTableDupEncodings,
  ...elementLoadStoreEncodings,
];

/** The conditional A7.8 transfer Advanced SIMD adds to the VFP ones (VDUP from a core register). */
export { coreToSimdEncodings };
