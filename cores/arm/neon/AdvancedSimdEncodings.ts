import type { A32Handler } from '../ArmCpu.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import { threeSameIntegerEncodings } from './ThreeRegisterSame.ts';

/**
 * Every Advanced SIMD encoding of the core in its A32 form (ARM ARM A7.4
 * data processing, 1111 001U …; A7.7 element and structure loads/stores,
 * 1111 0100 …; A7.8 VDUP from a core register). The T32 forms are the same
 * instructions with the bits moved (NeonThumb.ts).
 */
export const advancedSimdEncodings: Encoding<A32Handler>[] = [
  ...threeSameIntegerEncodings,
];
