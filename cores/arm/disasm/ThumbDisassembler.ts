import { DecodeTable } from '../decode/DecodeTable.ts';
import { coprocessorForms } from './CoprocessorForms.ts';
import { DisasmInstruction, formatSafely, type Formatter, type SymbolLookup } from './DisasmInstruction.ts';
import { hex } from './OperandText.ts';
import { simdDataProcessingForms } from './SimdDataProcessing.ts';
import { simdElementLoadStoreForms } from './SimdElementLoadStore.ts';
import { thumb16 } from './Thumb16.ts';
import { thumb32Control } from './Thumb32Control.ts';
import { thumb32DataProcessing } from './Thumb32DataProcessing.ts';
import { thumb32LoadStore } from './Thumb32LoadStore.ts';
import { vfpDataProcessingForms } from './VfpDataProcessing.ts';
import { vfpTransferForms } from './VfpTransfers.ts';

let table16: DecodeTable<Formatter> | undefined;
let table32: DecodeTable<Formatter> | undefined;

/** The 16-bit Thumb table (A6.2), built and checked on first use. */
export function thumb16DisasmTable(): DecodeTable<Formatter> {
  table16 ??= new DecodeTable<Formatter>('T16 disassembly', 16, [15, 14, 13, 12, 11, 10, 9, 8], thumb16);
  return table16;
}

/** The 32-bit Thumb table (A6.3) over hw1:hw2, built and checked on first use. */
export function thumb32DisasmTable(): DecodeTable<Formatter> {
  table32 ??= new DecodeTable<Formatter>('T32 disassembly', 32, [28, 27, 26, 25, 24, 23, 22, 21, 20, 15, 14, 12], [
    ...thumb32LoadStore,
    ...thumb32DataProcessing,
    ...thumb32Control,
    ...coprocessorForms('1110', false),
    ...coprocessorForms('1111', true),
    ...vfpTransferForms('1110'),
    ...vfpDataProcessingForms('1110'),
    ...simdElementLoadStoreForms('1111 1001'),
    ...simdDataProcessingForms('111U 1111'),
  ]);
  return table32;
}

/** A halfword whose top five bits are 11101, 11110 or 11111 starts a 32-bit instruction (A6.1). */
export function thumbInstructionSize(hw1: number): 2 | 4 {
  return (hw1 & 0xf800) >= 0xe800 ? 4 : 2;
}

/**
 * ITSTATE after one instruction of an IT block (ITAdvance(), A2.5.2):
 * the mask shifts left until only its terminating one remains.
 */
export function itAdvance(itState: number): number {
  if ((itState & 7) === 0) return 0;
  return (itState & 0xe0) | ((itState << 1) & 0x1f);
}

export interface ThumbText {
  text: string;
  size: 2 | 4;
}

/**
 * Text of the Thumb instruction starting with halfword `hw1` at `address`
 * (`hw2` is the next halfword, used only when `hw1` starts a 32-bit
 * instruction), in GNU objdump's unified syntax. `itState` is ITSTATE
 * (CPSR.IT[7:0]) before the instruction: inside an IT block instructions
 * take its condition and 16-bit ones lose their "s". UNDEFINED and
 * unallocated encodings print as ".inst.n 0x…" / ".inst.w 0x…"; this never
 * throws.
 */
export function disassembleThumb(hw1: number, hw2: number, address: number, symbols?: SymbolLookup, itState = 0): ThumbText {
  const inIt = (itState & 0xf) !== 0;
  const itCond = inIt ? (itState >>> 4) & 15 : -1;
  const first = hw1 & 0xffff;
  if (thumbInstructionSize(first) === 2) {
    const e = thumb16DisasmTable().lookup(first);
    if (e !== null) {
      const text = formatSafely(e.exec, new DisasmInstruction(first, address >>> 0, true, e, symbols, itCond));
      if (text !== '') return { text, size: 2 };
    }
    return { text: `.inst.n ${hex(first, 4)}`, size: 2 };
  }
  const word = ((first << 16) | (hw2 & 0xffff)) >>> 0;
  const e = thumb32DisasmTable().lookup(word);
  if (e !== null) {
    const text = formatSafely(e.exec, new DisasmInstruction(word, address >>> 0, true, e, symbols, itCond));
    if (text !== '') return { text, size: 4 };
  }
  return { text: `.inst.w ${hex(word, 8)}`, size: 4 };
}

/**
 * Disassembles a run of consecutive Thumb instructions, following IT
 * blocks from one instruction to the next as the processor does (for
 * listings; a trace of a running core passes the core's own ITSTATE).
 */
export class ThumbDisassembler {
  /** ITSTATE for the next instruction. */
  itState = 0;

  constructor(private readonly symbols?: SymbolLookup) {}

  next(hw1: number, hw2: number, address: number): ThumbText {
    const result = disassembleThumb(hw1, hw2, address, this.symbols, this.itState);
    const first = hw1 & 0xffff;
    if ((first & 0xff00) === 0xbf00 && (first & 0xf) !== 0) this.itState = first & 0xff; // IT sets ITSTATE to firstcond:mask
    else this.itState = itAdvance(this.itState);
    return result;
  }
}
