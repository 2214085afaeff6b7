import { DecodeTable } from '../decode/DecodeTable.ts';
import { a32Branch } from './A32Branch.ts';
import { a32DataProcessing } from './A32DataProcessing.ts';
import { a32LoadStore } from './A32LoadStore.ts';
import { a32Media } from './A32Media.ts';
import { a32Multiply } from './A32Multiply.ts';
import { a32Synchronization } from './A32Synchronization.ts';
import { a32System } from './A32System.ts';
import { coprocessorForms } from './CoprocessorForms.ts';
import { simdDataProcessingForms } from './SimdDataProcessing.ts';
import { simdElementLoadStoreForms } from './SimdElementLoadStore.ts';
import { DisasmInstruction, formatSafely, type Formatter, type SymbolLookup } from './DisasmInstruction.ts';
import { hex } from './OperandText.ts';
import { vfpDataProcessingForms } from './VfpDataProcessing.ts';
import { vfpTransferForms } from './VfpTransfers.ts';

let table: DecodeTable<Formatter> | undefined;

/**
 * The A32 instruction set (ARM ARM A5) as one checked table of formatters,
 * built on first use (the build checks that no two forms overlap).
 */
export function a32DisasmTable(): DecodeTable<Formatter> {
  table ??= new DecodeTable<Formatter>('A32 disassembly', 32, [27, 26, 25, 24, 23, 22, 21, 20, 7, 6, 5, 4], [
    ...a32DataProcessing,
    ...a32Multiply,
    ...a32LoadStore,
    ...a32Branch,
    ...a32System,
    ...a32Synchronization,
    ...a32Media,
    ...coprocessorForms('cccc', false),
    ...coprocessorForms('1111', true),
    ...vfpTransferForms('cccc'),
    ...vfpDataProcessingForms('cccc'),
    ...simdElementLoadStoreForms('1111 0100'),
    ...simdDataProcessingForms('1111 001U'),
  ]);
  return table;
}

/**
 * Text of the A32 instruction `word` at `address`, in GNU objdump's unified
 * syntax; `symbols` names branch targets and literal addresses. Encodings
 * that are UNDEFINED or unallocated print as ".word 0x…"; this never throws.
 */
export function disassembleA32(word: number, address: number, symbols?: SymbolLookup): string {
  const w = word >>> 0;
  const e = a32DisasmTable().lookup(w);
  if (e !== null) {
    const text = formatSafely(e.exec, new DisasmInstruction(w, address >>> 0, false, e, symbols));
    if (text !== '') return text;
  }
  return `.word ${hex(w, 8)}`;
}
