import type { A32Handler } from '../ArmCpu.ts';
import { itAdvance } from '../thumb/ThumbPseudocode.ts';
import type { JitInsn } from './RegionBuilder.ts';

/**
 * The state of code generation for one region function, and the pieces of
 * JavaScript every instruction emitter shares.
 *
 * Generated code sees these names (see RegionCompiler): `cpu`, `R` (cpu.r),
 * `H` (handlers of non-inlined instructions), `TAG`/`OFF`/`B8`/`H16`/`W32`
 * (the soft TLB), `RB`/`WB` (its read/write context bases for the current
 * mode), `BI` (block index by slot), `base` (virtual address of the page),
 * `budget`, `done` (instructions retired, counting the whole current block
 * from its start), `ic` (the instruction count at entry), `pc` (index of the
 * block to run), `npc` (next PC on a dynamic exit), `lp` (what R15 read as
 * in the last instruction run, as an offset from `base`), `ex` (exit number), `jt` (an LDM's loaded PC), and
 * locals `r0`–`r14`, `n`, `z`, `c`, `v`.
 *
 * Guest registers live in locals; a register written by inlined code is
 * stored back at exits and before every call into the interpreter
 * (placeholders resolved at the end, when the region's register sets are
 * known). Flags are lazy within runs of ALU instructions: a flag-setting
 * instruction records how to compute each flag from constants it captured,
 * and the flag is computed where it is read, before a conditional
 * instruction or a call. The flags of a subtraction (CMP, SUBS: most flag
 * setters) are not computed at all unless read: a side exit or the block's
 * end stores its operands instead, in `fa` and `fb` with `fk` = 1 (QEMU's
 * lazy condition codes), and the epilogue, or a later block that reads a
 * flag (`resolve`), computes N, Z, C and V from them. So a block starts not
 * knowing whether its flags are in n, z, c, v or in fa/fb (`dynamic`).
 *
 * V8 speculates on type feedback: optimized code that reaches an operation
 * which never ran deoptimizes ("insufficient type feedback") and is
 * compiled again later, which costs far more than the region saves. So
 * cold paths are written with moves and jumps only: every exit is
 * `ex = <number>; break run;` and the epilogue, which runs on every exit,
 * does the arithmetic from tables; conditional ALU instructions compute
 * their results unconditionally and only the moves depend on the condition.
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

/** What the epilogue does for one exit. */
export interface ExitSpec {
  /** Next PC as a byte offset from the page base, or null when the code set `npc`. */
  readonly npc: number | null;
  /** R15 of the last instruction retired as an offset from the page base (even, may be negative), or -1 when the code set `lp`. */
  readonly lp: number;
  /** T32: ITSTATE at the exit (the instruction at the next PC runs under it); 0 in A32. */
  readonly it: number;
  /** Added to `done` (which counts the whole current block from its start). */
  readonly adjust: number;
  /** Store the locals back and set nextPc/R15 (false after a handler call: the state is already in the core). */
  readonly writeback: boolean;
}

// Placeholders, replaced by RegionCompiler once the register sets are known.
export const WRITEBACK = '\u0001W\u0001';
export const RELOAD_FLAGS = '\u0001F\u0001';
export const reloadPlaceholder = (mask: number) => `\u0001L${mask}\u0001`;
export const flagStorePlaceholder = (f: Flag) => `\u0001S${f}\u0001`;

/** N, Z, C, V of fa - fb into their locals (A2.2.1 AddWithCarry(fa, NOT fb, 1)); fk = 0. */
export const RESOLVE = 'const rt = (fa - fb) | 0; n = rt >>> 31; z = rt === 0 ? 1 : 0; c = (fa >>> 0) >= (fb >>> 0) ? 1 : 0; v = ((fa ^ fb) & (fa ^ rt)) >>> 31; fk = 0;';

/** Exit 0: a dynamic target in `npc`, `lp` set by the code. */
const DYNAMIC_EXIT: ExitSpec = { npc: null, lp: -1, adjust: 0, writeback: true, it: 0 };

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
  /** The flags may still be those of fa - fb (fk = 1) from an earlier block: reading one needs `resolve` first. */
  private dynamic = false;
  private nextId = 1;
  private temp = 0;
  /**
   * Emitting a conditional ALU instruction: register and flag writes are
   * computed now into constants and their moves collected, to be made under
   * the condition by `commitDeferred`.
   */
  private deferred: string[] | null = null;
  readonly handlers: A32Handler[] = [];
  private readonly handlerIndex = new Map<A32Handler, number>();
  readonly exits: ExitSpec[] = [DYNAMIC_EXIT];
  private readonly exitIndex = new Map<string, number>([[JSON.stringify(DYNAMIC_EXIT), 0]]);

  constructor(
    /** T32 code: R15 reads as address + 4, ITSTATE is kept at exits and handler calls. */
    readonly thumb = false,
  ) {}

  // The instruction being emitted.
  insn!: JitInsn;
  /** `lpOf` of the instruction before it in the block, -1 for the first. */
  prevLp = -1;
  /** Its index in the block (instructions of the block before it). */
  k = 0;
  /** Instructions in the current block. */
  blockLength = 0;

  line(s: string): void {
    this.out.push(s);
  }

  source(): string {
    return this.out.join('\n');
  }

  /** Everything an emitter attempt may change, to undo it when the attempt gives up. */
  snapshot(): unknown {
    return [this.out.length, this.used, this.written, this.flagsCached, [...this.lazy], [...this.writer], this.sub, this.deferred === null ? null : [...this.deferred], this.dynamic];
  }

  restore(snapshot: unknown): void {
    const [length, used, written, cached, lazy, writer, sub, deferred, dynamic] = snapshot as [
      number, number, number, boolean, (LazyFlag | null)[], number[], SubRecord | null, string[] | null, boolean,
    ];
    this.dynamic = dynamic;
    this.out.length = length;
    this.used = used;
    this.written = written;
    this.flagsCached = cached;
    for (let f = 0; f < 4; f++) {
      this.lazy[f] = lazy[f];
      this.writer[f] = writer[f];
    }
    this.sub = sub;
    this.deferred = deferred;
  }

  /** A fresh local name. */
  tmp(prefix = 't'): string {
    return `${prefix}${this.temp++}`;
  }

  /** `base + offset` as an int32 expression (addresses in the page and around it). */
  pageAddress(offset: number): string {
    return `((base + ${offset}) | 0)`;
  }

  /** What R15 reads as in `insn`, as an offset from the page base: address + 8 (A32), + 4 (T32) (A2.3). */
  lpOf(insn: JitInsn): number {
    return insn.offset + (this.thumb ? 4 : 8);
  }

  /** What R15 reads as in the current instruction (Align(PC, 4) for T32 literal forms). */
  get pcValue(): string {
    const pc = this.lpOf(this.insn);
    return this.pageAddress(this.insn.pcAligned === true ? pc & ~3 : pc);
  }

  /** Address of the instruction after the current one. */
  get nextAddress(): string {
    return this.pageAddress(this.insn.offset + this.insn.size);
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
    if (this.deferred !== null) this.deferred.push(`r${r} = ${this.capture(expr, 'd')};`);
    else this.line(`r${r} = ${expr};`);
  }

  /** Capture an expression in a new constant (operands of lazy flags must not change under them). */
  capture(expr: string, prefix = 't'): string {
    // Literals and other constants need no copy; registers (r0–r14) do.
    if (/^-?\d+$/.test(expr) || (/^[a-z]+\d+$/.test(expr) && !/^r\d+$/.test(expr))) return expr;
    const name = this.tmp(prefix);
    this.line(`const ${name} = ${expr};`);
    return name;
  }

  // --- exits ----------------------------------------------------------------

  /**
   * The statement that leaves the region through exit `spec`. Pending flags
   * other than a subtraction's must have been computed before (the epilogue
   * only knows fa - fb); a pending subtraction leaves its operands.
   */
  exit(spec: ExitSpec): string {
    let flags = '';
    if (spec.writeback && this.lazy.some((l) => l !== null)) {
      const s = this.subPending();
      if (s === null) throw new Error('an exit with pending flags that are not a subtraction\'s');
      flags = `fa = ${s.a}; fb = ${s.b}; fk = 1; `;
    }
    const key = JSON.stringify(spec);
    let id = this.exitIndex.get(key);
    if (id === undefined) {
      id = this.exits.length;
      this.exits.push(spec);
      this.exitIndex.set(key, id);
    }
    return `${flags}ex = ${id}; break run;`;
  }

  /**
   * Leave the region before the current instruction (a fast path failed):
   * the instructions before it are retired and the run loop interprets it,
   * slow path, faults and all, exactly as without the JIT. Pending flags are
   * a subtraction's (memory accesses compute any others first).
   */
  sideExit(): void {
    this.line(this.exit({ npc: this.insn.offset, lp: this.prevLp, adjust: this.k - this.blockLength, writeback: true, it: this.insn.it }));
  }

  // --- flags ---------------------------------------------------------------

  /** The flag as a boolean expression. */
  flagBool(f: Flag): string {
    this.flagsCached = true;
    const l = this.lazy[f];
    if (l !== null) return l.bool;
    this.settle();
    return `(${FLAG_NAMES[f]} !== 0)`;
  }

  /** The flag as a 0/1 number expression. */
  flagNum(f: Flag): string {
    this.flagsCached = true;
    const l = this.lazy[f];
    if (l !== null) return l.num;
    this.settle();
    return FLAG_NAMES[f];
  }

  /**
   * The flags in n, z, c, v from here on: if an earlier block left them as
   * fa - fb, compute them. Emitted only where every path of the block passes.
   */
  settle(): void {
    if (!this.dynamic) return;
    this.dynamic = false;
    this.flagsCached = true;
    this.line('if (fk !== 0) { ' + RESOLVE + ' }');
  }

  /**
   * Start a flag-setting operation; returns its id for `setFlag`. One that
   * sets all four flags makes the earlier ones irrelevant (fk = 0); one that
   * keeps some needs them in their locals first.
   */
  beginFlagOp(setsAll: boolean): number {
    if (this.dynamic) {
      if (setsAll && this.deferred === null) {
        this.dynamic = false;
        this.line('fk = 0;');
      } else this.settle();
    }
    return this.nextId++;
  }

  /** The pending subtraction whose four flags are all still lazy, or null. */
  subPending(): SubRecord | null {
    const s = this.sub;
    if (s === null) return null;
    for (let f = 0; f < 4; f++) if (this.lazy[f] === null || this.writer[f] !== s.id) return null;
    return s;
  }

  /**
   * The block ends (its branch condition is already computed): a pending
   * subtraction leaves its operands for the next block (which starts
   * dynamic), other pending flags are computed.
   */
  flagsAtBlockEnd(): void {
    const s = this.subPending();
    if (s === null) {
      this.materializeAll();
      return;
    }
    this.line(`fa = ${s.a}; fb = ${s.b}; fk = 1;`);
    for (let f = 0; f < 4; f++) this.lazy[f] = null;
    this.sub = null;
    this.dynamic = true;
  }

  /** Before a memory access: a pending subtraction can stay pending (its side exit leaves the operands); other flags are computed. */
  flagsBeforeAccess(): void {
    if (this.subPending() === null) this.materializeAll();
  }

  setFlag(f: Flag, value: LazyFlag, id: number): void {
    this.flagsCached = true;
    this.writer[f] = id;
    if (this.deferred !== null) {
      this.lazy[f] = null;
      this.deferred.push(`${FLAG_NAMES[f]} = ${this.capture(value.num, 'f')};`);
    } else this.lazy[f] = value;
  }

  /** Record that the four flags just set by op `id` are those of a - b with result t. */
  setSubRecord(id: number, a: string, b: string, t: string): void {
    if (this.deferred === null) this.sub = { id, a, b, t };
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

  /** New block: nothing pending; the flags are in their locals or, from the block before, in fa/fb. */
  startBlock(length: number): void {
    for (let f = 0; f < 4; f++) this.lazy[f] = null;
    this.sub = null;
    this.dynamic = true;
    this.blockLength = length;
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

  /** Collect the register and flag writes of a conditional ALU instruction (see `deferred`). */
  beginDeferred(): void {
    this.deferred = [];
  }

  /** Make the collected writes under condition `cond` (a boolean expression). */
  commitDeferred(cond: string): void {
    const moves = this.deferred!;
    this.deferred = null;
    if (moves.length > 0) this.line(`if (${cond}) { ${moves.join(' ')} }`);
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
    this.settle();
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
   * region returns at once: the state is already the interpreter's. Else
   * every local is read back and the block goes on.
   */
  callHandler(): void {
    const next = this.capture(this.nextAddress, 'na');
    this.writeback();
    const it = this.insn.it;
    // T32 handlers read ITSTATE (InITBlock) and the state an exception saves holds it (B1.9).
    const itBefore = this.thumb ? ` cpu.it = ${it};` : '';
    this.line(`R[15] = ${this.pageAddress(this.lpOf(this.insn))}; cpu.nextPc = ${next}; cpu.instructionCount = ic + done - ${this.blockLength - this.k};${itBefore}`);
    this.line(`${this.handlerRef(this.insn.handler)}(cpu, ${this.insn.raw | 0});`);
    // ITAdvance after the instruction, unless it wrote ITSTATE itself (as the T32 executor does).
    if (it !== 0) this.line(`if (ITW.byHandler) ITW.byHandler = false; else if (cpu.it === ${it}) cpu.it = ${itAdvance(it)};`);
    this.line(
      `if (cpu.exitInner || cpu.nextPc !== ${next}) { ${this.exit({ npc: null, lp: -1, adjust: this.k + 1 - this.blockLength, writeback: false, it: 0 })} }`,
    );
    this.line(reloadPlaceholder(0x7fff));
    this.flagsReloaded();
  }

  /** An instruction not inlined: its handler, under its condition; anything may change. */
  generic(): void {
    const cond = this.insn.cond;
    if (cond < 14) {
      const c = this.condition(cond);
      this.materializeAll();
      // The handler call stores the flags: they must be in their locals on both paths.
      this.settle();
      this.line(`if (${c}) {`);
      this.callHandler();
      this.line('}');
    } else this.callHandler();
  }
}
