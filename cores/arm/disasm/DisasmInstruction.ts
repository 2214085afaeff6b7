import { DecodeTable, type DecodedEncoding } from '../decode/DecodeTable.ts';

/** Name for an address ("main", "main+0x10"), or undefined when there is none. */
export type SymbolLookup = (address: number) => string | undefined;

/** Turns one decoded instruction into its assembler text. */
export type Formatter = (x: DisasmInstruction) => string;

/**
 * One instruction as a formatter sees it: the word, where it sits, the form
 * of the encoding table it matched (so fields are read by the letters of
 * that form's pattern) and, for Thumb, the condition an enclosing IT block
 * gives it.
 */
export class DisasmInstruction {
  constructor(
    readonly word: number,
    readonly address: number,
    readonly thumb: boolean,
    readonly encoding: DecodedEncoding<Formatter>,
    readonly symbols: SymbolLookup | undefined,
    /** Thumb: condition (0..15) from the IT block around the instruction, -1 outside one. */
    readonly itCond: number = -1,
  ) {}

  /**
   * Set by a formatter that finds an UNDEFINED combination while building
   * an operand (such as an odd Q register number); the caller then prints
   * the encoding as data.
   */
  undefinedEncoding = false;

  /** Value of the field named `letter` in the matched pattern. */
  f(letter: string): number {
    return DecodeTable.field(this.encoding, letter, this.word);
  }

  /** Value of field `letter`, or 0 when the matched pattern has no such field. */
  opt(letter: string): number {
    return this.encoding.pattern.fields.has(letter) ? this.f(letter) : 0;
  }

  /** Bit `n` of the word. */
  bit(n: number): number {
    return (this.word >>> n) & 1;
  }

  /** True inside an IT block (Thumb). */
  get inIt(): boolean {
    return this.itCond >= 0;
  }

  /**
   * Condition suffix: A32 from bits [31:28]; Thumb from the IT block (an
   * instruction outside one is unconditional).
   */
  get c(): string {
    if (this.thumb) return this.itCond >= 0 ? IT_CONDITIONS[this.itCond] : '';
    return condName(this.word >>> 28);
  }

  /** The value the PC reads as: address + 8 in A32, + 4 in Thumb (A2.3). */
  get pc(): number {
    return (this.address + (this.thumb ? 4 : 8)) >>> 0;
  }

  /** A code address as a branch operand: "0x40100124 <main>" when a symbol is known. */
  target(address: number): string {
    const a = address >>> 0;
    const name = this.symbols?.(a);
    return name === undefined ? `0x${a.toString(16)}` : `0x${a.toString(16)} <${name}>`;
  }

  /** A comment naming an address an operand refers to (literal loads, ADR). */
  addressComment(address: number): string {
    return `\t@ ${this.target(address)}`;
  }
}

const CONDITIONS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', '', ''];
/** Inside an IT block AL is spelled out, and the UNPREDICTABLE 1111 is marked as objdump does. */
const IT_CONDITIONS = [...CONDITIONS.slice(0, 14), 'al', '<und>'];

/** Condition suffix for cond (A8.3); AL and the unconditional 1111 print as nothing. */
export function condName(cond: number): string {
  return CONDITIONS[cond & 15];
}

/** Condition name as an operand of IT, where AL is spelled out. */
export function itCondName(cond: number): string {
  return cond === 14 ? 'al' : CONDITIONS[cond & 15];
}

/**
 * Run a formatter; a formatter that fails (a bug, or a field a reserved
 * encoding leaves meaningless) gives '' so that the caller prints the raw
 * encoding instead of throwing into a trace or an error message.
 */
export function formatSafely(format: Formatter, x: DisasmInstruction): string {
  try {
    const text = format(x);
    return x.undefinedEncoding ? '' : text;
  } catch {
    return '';
  }
}
