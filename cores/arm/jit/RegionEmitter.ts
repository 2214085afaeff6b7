import type { A32Handler } from '../ArmCpu.ts';
import type { JitInsn } from './RegionBuilder.ts';

/**
 * The state of code generation for one region function, and the pieces of
 * JavaScript every instruction emitter shares.
 *
 * Generated code sees these names (see RegionCompiler): `cpu`, `R` (cpu.r),
 * `H` (handlers of non-inlined instructions), `TAG`/`OFF`/`B8`/`H16`/`W32`
 * (the soft TLB), `RB`/`WB` (its read/write context bases for the current
 * mode), `base` (virtual address of the page), `budget`, `done`
 * (instructions retired by earlier blocks of this call), `ic` (the
 * instruction count at entry), `pc` (slot of the block to run), `npc`
 * (next PC on exit), `lp` (slot of the last instruction run), `xw` (1 when
 * the exit branch interworks), and locals `r0`–`r14`, `n`, `z`, `c`, `v`.
 *
 * Guest registers live in locals; a register written by inlined code is
 * stored back at every exit and before every call into the interpreter
 * (placeholders resolved at the end, when the region's register sets are
 * known). Flags are lazy within a block: a flag-setting instruction records
 * how to compute each flag from constants it captured, and the flag is
 * computed only where it is read, before a call, or at the block's end.
 */

export const enum Flag {
  N = 0,
  Z = 1,
  C = 2,
  V = 3,
}

const FLAG_NAMES = ['n', 'z', 'c', 'v'] as const;

/** A flag not yet computed: as a JS boolean expression and as a 0/1 number expression. */
export interface LazyFlag {
  readonly bool: string;
  readonly num: string;
}

/** Operands of the SUB/CMP whose four flags are all pending (conditions become plain comparisons). */
interface SubRecord {
  readonly id: number;
  readonly a: string;
  readonly b: string;
  readonly t: string;
}

// Placeholders, replaced by RegionCompiler once the register sets are known.
export const WRITEBACK = '\u0001W\u0001';
export const RELOAD_FLAGS = '\u0001F\u0001';
export const reloadPlaceholder = (mask: number) => `\u0001L${mask}\u0001`;
export const flagStorePlaceholder = (f: Flag) => `\u0001S${f}\u0001`;

export class RegionEmitter {
  private readonly out: string[] = [];
  /** Registers held in locals (read or written by inlined code). */
  used = 0;
  /** Registers written by inlined code (stored back at exits). */
  written = 0;
  /** The region keeps N, Z, C, V in locals. */
  flagsCached = false;
  private readonly lazy: (LazyFlag | null)[] = [null, null, null, null];
  private readonly writer = [0, 0, 0, 0];
  private sub: SubRecord | null = null;
  private nextId = 1;
  private temp = 0;
  /** Emitting the body of a conditional instruction: flags are written at once, not left lazy. */
  inCond = false;
  readonly handlers: A32Handler[] = [];
  private readonly handlerIndex = new Map<A32Handler, number>();

  // The instruction being emitted.
  insn!: JitInsn;
  /** Its index in the block (instructions of the block before it). */
  k = 0;

  line(s: string): void {
    this.out.push(s);
  }

  /** Everything an emitter attempt may change, to undo it when the attempt gives up. */
  snapshot(): unknown {
    return [this.out.length, this.used, this.written, this.flagsCached, [...this.lazy], [...this.writer], this.sub, this.inCond];
  }

  restore(snapshot: unknown): void {
    const [length, used, written, cached, lazy, writer, sub, inCond] = snapshot as [
      number, number, number, boolean, (LazyFlag | null)[], number[], SubRecord | null, boolean,
    ];
    this.out.length = length;
    this.used = used;
    this.written = written;
    this.flagsCached = cached;
    for (let f = 0; f < 4; f++) {
      this.lazy[f] = lazy[f];
      this.writer[f] = writer[f];
    }
    this.sub = sub;
    this.inCond = inCond;
  }

  source(): string {
    return this.out.join('\n');
  }

  /** A fresh local name. */
  tmp(prefix = 't'): string {
    return `${prefix}${this.temp++}`;
  }

  /** `base + offset` as an int32 expression (addresses in the page and around it). */
  pageAddress(offset: number): string {
    return `((base + ${offset}) | 0)`;
  }

  /** Address of the current instruction + 8: what R15 reads as (A2.3). */
  get pcValue(): string {
    return this.pageAddress(this.insn.slot * 4 + 8);
  }

  /** Address of the instruction after the current one. */
  get nextAddress(): string {
    return this.pageAddress(this.insn.slot * 4 + 4);
  }

  /** Read register `r` (R15 is the instruction's address + 8). */
  reg(r: number): string {
    if (r === 15) return this.pcValue;
    this.used |= 1 << r;
    return `r${r}`;
  }

  /** Write register `r` (not R15: PC writes are block ends, emitted apart). */
  setReg(r: number, expr: string): void {
    if (r === 15) throw new Error('setReg(15)');
    this.used |= 1 << r;
    this.written |= 1 << r;
    this.line(`r${r} = ${expr};`);
  }

  /** Capture an expression in a new constant (operands of lazy flags must not change under them). */
  capture(expr: string, prefix = 't'): string {
    if (/^-?\d+$/.test(expr)) return expr;
    const name = this.tmp(prefix);
    this.line(`const ${name} = ${expr};`);
    return name;
  }

  // --- flags ---------------------------------------------------------------

  /** The flag as a boolean expression. */
  flagBool(f: Flag): string {
    this.flagsCached = true;
    const l = this.lazy[f];
    return l !== null ? l.bool : `(${FLAG_NAMES[f]} !== 0)`;
  }

  /** The flag as a 0/1 number expression. */
  flagNum(f: Flag): string {
    this.flagsCached = true;
    const l = this.lazy[f];
    return l !== null ? l.num : FLAG_NAMES[f];
  }

  /** Start a flag-setting operation; returns its id for `setFlag`. */
  beginFlagOp(): number {
    return this.nextId++;
  }

  setFlag(f: Flag, value: LazyFlag, id: number): void {
    this.flagsCached = true;
    this.writer[f] = id;
    if (this.inCond) {
      this.lazy[f] = null;
      this.line(`${FLAG_NAMES[f]} = ${value.num};`);
    } else this.lazy[f] = value;
  }

  /** Record that the four flags just set by op `id` are those of a - b with result t. */
  setSubRecord(id: number, a: string, b: string, t: string): void {
    if (!this.inCond) this.sub = { id, a, b, t };
  }

  /** Compute a pending flag into its local. */
  materialize(f: Flag): void {
    const l = this.lazy[f];
    if (l === null) return;
    this.line(`${FLAG_NAMES[f]} = ${l.num};`);
    this.lazy[f] = null;
  }

  materializeAll(): void {
    for (let f = 0; f < 4; f++) this.materialize(f);
  }

  /** New block: nothing pending (the previous block ended with every flag in its local). */
  startBlock(): void {
    for (let f = 0; f < 4; f++) this.lazy[f] = null;
    this.sub = null;
  }

  /** Flags are now in cpu.n… (after a call that may change them): reload the locals. */
  private flagsReloaded(): void {
    const id = this.nextId++;
    for (let f = 0; f < 4; f++) {
      this.lazy[f] = null;
      this.writer[f] = id;
    }
    this.line(RELOAD_FLAGS);
  }

  /** Condition check (A8.3) as a JS boolean expression; `cond` < 14. */
  condition(cond: number): string {
    const s = this.sub;
    if (s !== null && this.writer.every((w) => w === s.id) && cond !== 6 && cond !== 7) {
      const { a, b, t } = s;
      switch (cond) {
        case 0: return `(${a} === ${b})`;
        case 1: return `(${a} !== ${b})`;
        case 2: return `((${a} >>> 0) >= (${b} >>> 0))`;
        case 3: return `((${a} >>> 0) < (${b} >>> 0))`;
        case 4: return `(${t} < 0)`;
        case 5: return `(${t} >= 0)`;
        case 8: return `((${a} >>> 0) > (${b} >>> 0))`;
        case 9: return `((${a} >>> 0) <= (${b} >>> 0))`;
        case 10: return `(${a} >= ${b})`;
        case 11: return `(${a} < ${b})`;
        case 12: return `(${a} > ${b})`;
        case 13: return `(${a} <= ${b})`;
      }
    }
    const N = () => this.flagBool(Flag.N);
    const Z = () => this.flagBool(Flag.Z);
    const C = () => this.flagBool(Flag.C);
    const V = () => this.flagBool(Flag.V);
    switch (cond) {
      case 0: return Z();
      case 1: return `!${Z()}`;
      case 2: return C();
      case 3: return `!${C()}`;
      case 4: return N();
      case 5: return `!${N()}`;
      case 6: return V();
      case 7: return `!${V()}`;
      case 8: return `(${C()} && !${Z()})`;
      case 9: return `(!${C()} || ${Z()})`;
      case 10: return `(${N()} === ${V()})`;
      case 11: return `(${N()} !== ${V()})`;
      case 12: return `(!${Z()} && ${N()} === ${V()})`;
      case 13: return `(${Z()} || ${N()} !== ${V()})`;
      default: throw new Error(`condition ${cond}`);
    }
  }

  // --- calls into the interpreter --------------------------------------------

  /** Store the locals the interpreter may read: written registers and the flags. */
  writeback(): void {
    this.line(WRITEBACK);
    for (let f = 0; f < 4; f++) {
      const l = this.lazy[f];
      if (l !== null) this.line(`cpu.${FLAG_NAMES[f]} = ${l.num};`);
      else this.line(flagStorePlaceholder(f));
    }
  }

  private handlerRef(h: A32Handler): string {
    let i = this.handlerIndex.get(h);
    if (i === undefined) {
      i = this.handlers.length;
      this.handlers.push(h);
      this.handlerIndex.set(h, i);
    }
    return `H[${i}]`;
  }

  /**
   * Run the current instruction with its interpreter handler, in exactly
   * the state the interpreter would give it (registers, flags, R15 =
   * address + 8, nextPc, instruction count). If it branched, raised an
   * exception or asked the run loop to look at something (exitInner), the
   * region returns at once: the state is already the interpreter's. Else,
   * when `mayContinue`, the registers in `reload` (and the flags when
   * `reloadFlags`) are read back and the block goes on.
   */
  callHandler(reload: number, reloadFlags: boolean, mayContinue: boolean): void {
    const retired = `done + ${this.k + 1}`;
    this.writeback();
    this.line(`R[15] = ${this.pcValue}; cpu.nextPc = ${this.nextAddress}; cpu.instructionCount = ic + done + ${this.k};`);
    this.line(`${this.handlerRef(this.insn.handler)}(cpu, ${this.insn.word | 0});`);
    if (!mayContinue) {
      this.line(`return ${retired};`);
      return;
    }
    this.line(`if (cpu.exitInner || cpu.nextPc !== ${this.nextAddress}) return ${retired};`);
    if (reload !== 0) this.line(reloadPlaceholder(reload));
    if (reloadFlags) this.flagsReloaded();
  }

  /** An instruction not inlined: its handler, under its condition; anything may change. */
  generic(): void {
    const cond = this.insn.word >>> 28;
    if (cond < 14) {
      this.materializeAll();
      this.line(`if (${this.condition(cond)}) {`);
      this.callHandler(0x7fff, true, true);
      this.line('}');
    } else this.callHandler(0x7fff, true, true);
  }
}
