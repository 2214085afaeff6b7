import type { A32Handler } from '../ArmCpu.ts';
import { DecodeTable } from '../decode/DecodeTable.ts';
import { advancedSimdEncodings, coreToSimdEncodings } from '../neon/AdvancedSimdEncodings.ts';
import { vfpDataProcessingEncodings } from '../vfp/VfpDataProcessing.ts';
import { vfpTransferEncodings } from '../vfp/VfpTransfers.ts';
import { branchEncodings } from './Branch.ts';
import { coprocessorEncodings } from './Coprocessor.ts';
import { dataProcessingEncodings } from './DataProcessing.ts';
import { loadStoreEncodings } from './LoadStore.ts';
import { loadStoreMultipleEncodings } from './LoadStoreMultiple.ts';
import { mediaEncodings } from './Media.ts';
import { miscellaneousEncodings } from './Miscellaneous.ts';
import { multiplyEncodings } from './Multiply.ts';
import { statusRegisterEncodings } from './StatusRegister.ts';
import { synchronizationEncodings } from './Synchronization.ts';

/**
 * The A32 instruction set (ARM ARM A5) as one checked encoding table, built
 * from the per-class tables. Bucketed on bits [27:20] and [7:4], the split
 * the manual's own top-level tables use (A5.1).
 */
export const a32Table = new DecodeTable<A32Handler>(
  'A32',
  32,
  [27, 26, 25, 24, 23, 22, 21, 20, 7, 6, 5, 4],
  [
    ...dataProcessingEncodings,
    ...multiplyEncodings,
    ...loadStoreEncodings,
    ...loadStoreMultipleEncodings,
    ...branchEncodings,
    ...statusRegisterEncodings,
    ...coprocessorEncodings,
    ...mediaEncodings,
    ...synchronizationEncodings,
    ...miscellaneousEncodings,
    ...vfpTransferEncodings,
    ...advancedSimdEncodings,
    ...coreToSimdEncodings,
    ...vfpDataProcessingEncodings,
  ],
);

/** Every encoding not in the table: the Undefined Instruction exception (the trace probe records it). */
const UNDEFINED: A32Handler = (c, i) => c.undefinedInstruction(i);

export function decodeA32(word: number): A32Handler {
  return a32Table.decode(word, UNDEFINED);
}
