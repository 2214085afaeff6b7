import type { A32Handler } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import { coreToSimdEncodings } from './CoreToSimd.ts';
import { elementLoadStoreEncodings } from './ElementLoadStore.ts';
import { floatThreeSameEncodings } from './FloatThreeSame.ts';
import { modifiedImmediateEncodings } from './ModifiedImmediate.ts';
import { extractTableDupEncodings } from './Permutes.ts';
import { scalarEncodings } from './ScalarForms.ts';
import { shiftByImmediateEncodings } from './ShiftByImmediate.ts';
import { threeDifferentEncodings } from './ThreeRegisterDifferent.ts';
import { threeSameIntegerEncodings } from './ThreeRegisterSame.ts';
import { twoRegisterMiscEncodings } from './TwoRegisterMisc.ts';

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
