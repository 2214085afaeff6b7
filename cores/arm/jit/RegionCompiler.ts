import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArmCpu } from '../ArmCpu.ts';
import { SOFT_TLB_MASK } from '../SoftTlbGeometry.ts';
import { itWrite } from '../thumb/ThumbPseudocode.ts';
import { emitDataProcessing, emitMedia, emitMultiply } from './DataProcessingEmitter.ts';
import { emitDouble, emitLoadPc, emitMultiple, emitSingle } from './LoadStoreEmitter.ts';
import type { PreparedRegion, RegionFactory } from './CodeCache.ts';
import { BlockEnd, type JitBlock, type Region } from './RegionBuilder.ts';
import { RELOAD_FLAGS, RESOLVE, RegionEmitter, WRITEBACK } from './RegionEmitter.ts';

/**
 * A compiled region: `run(base, budget, slot)` executes from the block
 * starting at `slot` of the page whose virtual address is `base`, never
 * starting a block that would take it past `budget` instructions, and
 * returns how many it retired (0: nothing ran, the caller interprets). On
 * return the core's state is exactly the interpreter's after as many
 * instructions: registers, flags, R15 and the exception state; nextPc is
 * the next instruction, with bit 0 set when a branch interworks to Thumb
 * (the caller then does the BXWritePC).
 */
export type RegionFunction = (base: number, budget: number, slot: number) => number;

/** ALU instructions: no memory access, no call; the only ones a condition turns into deferred moves. */
function emitAlu(e: RegionEmitter): boolean {
  return emitDataProcessing(e) || emitMultiply(e) || emitMedia(e);
}

function emitMemory(e: RegionEmitter): boolean {
  return emitSingle(e) || emitDouble(e) || emitMultiple(e) === '';
}

/** Emit one instruction that does not end its block: inlined when an emitter knows it, else its handler. */
function emitInstruction(e: RegionEmitter): void {
  // T32 hints and IT (whose ITSTATE the region builder has applied to the instructions after it) do nothing here.
  if (e.insn.name === 'NOP' || e.insn.name === 'IT') return;
  const cond = e.insn.cond;
  const start = e.snapshot();
  if (cond >= 14) {
    if (emitAlu(e) || emitMemory(e)) return;
    e.restore(start);
    e.generic();
    return;
  }
  // Conditional: flags in their locals first, so that both paths agree afterwards.
  const condExpr = e.condition(cond);
  e.materializeAll();
  const test = e.capture(condExpr, 'cc');
  const tested = e.snapshot();
  // ALU: compute unconditionally, move under the condition (no cold arithmetic for V8).
  e.beginDeferred();
  if (emitAlu(e)) {
    e.commitDeferred(test);
    return;
  }
  e.restore(tested);
  e.line(`if (${test}) {`);
  if (emitMemory(e)) {
    e.line('}');
    return;
  }
  e.restore(start);
  e.generic();
}

/** A block as written: its offset from the region's page base (other pages' blocks lie outside 0–4095). */
interface PlacedBlock {
  readonly block: JitBlock;
  /** Offset of the block's page from the region's page (0, or ±4096·k for a linked page). */
  readonly delta: number;
  /** Index of that page in the region's links (0: the region's own page). */
  readonly link: number;
  /** delta + the block's start offset: its key. */
  readonly key: number;
}

const pageDelta = (offset: number) => Math.floor(offset / 4096) * 4096;

class BlockWriter {
  /** Key of the block being written when it branches to itself (an inner loop), else null. */
  private selfLoop: number | null = null;
  /** Bytes per slot: 4 (A32 words) or 2 (T32 halfwords). */
  private readonly unit: number;
  /** The block being written. */
  private current!: PlacedBlock;

  constructor(
    private readonly e: RegionEmitter,
    /** Dense index of each block of the region by its key (the switch's case numbers: a jump table). */
    private readonly inRegion: ReadonlyMap<number, number>,
    /** Link index of each page with blocks in the region, by its delta. */
    private readonly links: ReadonlyMap<number, number>,
  ) {
    this.unit = e.thumb ? 2 : 4;
  }

  /**
   * Continue at `offset` from the region's page base after an instruction
   * whose R15 was `last` (an offset): inside the region, or leave it with
   * ITSTATE `it`. Blocks start outside IT blocks, so with `it` non-zero the
   * region is left. A block of another page is entered only through its
   * link: the page must still be what the fetch path gives for that virtual
   * page (so a TLB, ASID or translation change cuts the link) and hold the
   * same compiled code (a write to it drops its JitPage, which cuts it too).
   */
  private toOffset(offset: number, last: number, it = 0): void {
    const e = this.e;
    const target = this.inRegion.get(offset);
    if (it === 0 && target !== undefined) {
      if (offset === this.selfLoop) {
        e.line(`lp = ${last}; continue b${target};`);
        return;
      }
      const delta = pageDelta(offset);
      if (delta === this.current.delta) {
        e.line(`lp = ${last}; pc = ${target}; continue run;`);
        return;
      }
      const link = this.links.get(delta)!;
      e.line(`{ const fv = (base + ${delta}) >>> 12, fi = cpu.fetchBase + (fv & FMASK), lk = LP[${link}];`);
      e.line(`if (FTAG[fi] === fv && FPAGES[fi] === lk && lk.jit === LJ[${link}]) { cpu.execPage = lk; lp = ${last}; pc = ${target}; continue run; } }`);
    }
    e.line(e.exit({ npc: offset, lp: last, adjust: 0, writeback: true, it }));
  }

  /**
   * The fall-through at the end of a block (to slot `slot` of its page):
   * into the next case of the switch when the next block written is the
   * one (blocks are written in address order), without going through the switch.
   */
  private fallTo(slot: number, last: number, nextWritten: number, it: number): void {
    const offset = this.current.delta + slot * this.unit;
    if (offset !== nextWritten || offset === this.selfLoop || it !== 0 || pageDelta(offset) !== this.current.delta) {
      this.toOffset(offset, last, it);
      return;
    }
    this.e.line(`lp = ${last};`);
    if (this.selfLoop !== null) this.e.line(`break b${this.inRegion.get(this.selfLoop)};`);
  }

  /**
   * An interworking branch from T32 code to the value `target` (BXWritePC,
   * LoadWritePC, A2.3.1): bit 0 clear changes to ARM state (the core does
   * it and the region returns), set stays in Thumb state and continues in
   * the region when the target starts one of its blocks in its own page.
   */
  private toRegisterThumb(target: string, last: number): void {
    const e = this.e;
    e.line(`lp = ${last};`);
    e.line(`if ((${target} & 1) === 0) { cpu.branchExchange(${target}); npc = cpu.nextPc; ${e.exit({ npc: null, lp: -1, adjust: 0, writeback: true, it: 0 })} }`);
    const thumbTarget = e.capture(`${target} & -2`, 'na');
    if (this.current.delta === 0) {
      const index = e.capture(`BI[(${thumbTarget} >>> 1) & 2047]`, 'bi');
      e.line(`if ((${thumbTarget} & -4096) === base && ${index} >= 0) { pc = ${index}; continue run; }`);
    }
    e.line(`npc = ${thumbTarget}; ${e.exit({ npc: null, lp: -1, adjust: 0, writeback: true, it: 0 })}`);
  }

  /**
   * An interworking branch to the value `target` (BXWritePC/LoadWritePC,
   * A2.3.1): a Thumb target leaves with bit 0 set in nextPc for the run
   * loop; an ARM target in the region's own page continues in the region
   * when it starts one of its blocks (from a linked page's block it leaves:
   * going back would need the link's check).
   */
  private toRegister(target: string, last: number): void {
    const e = this.e;
    if (e.thumb) {
      this.toRegisterThumb(target, last);
      return;
    }
    const arm = e.capture(`${target} & -4`, 'na');
    e.line(`lp = ${last};`);
    e.line(`if ((${target} & 1) !== 0) { npc = ${target}; ${e.exit({ npc: null, lp: -1, adjust: 0, writeback: true, it: 0 })} }`);
    if (this.current.delta === 0) {
      const index = e.capture(`BI[(${target} >>> 2) & 1023]`, 'bi');
      e.line(`if ((${arm} & -4096) === base && ${index} >= 0) { pc = ${index}; continue run; }`);
    }
    e.line(`npc = ${arm}; ${e.exit({ npc: null, lp: -1, adjust: 0, writeback: true, it: 0 })}`);
  }

  /** Write `placed`; `nextWritten` is the key of the block written after it (NaN for the last). */
  write(placed: PlacedBlock, nextWritten: number): void {
    const e = this.e;
    const block = placed.block;
    this.current = placed;
    const length = block.insns.length;
    const last = block.insns[length - 1];
    const index = this.inRegion.get(placed.key)!;
    e.startBlock(length);
    e.line(`case ${index}: {`);
    // A block that branches back to its own start runs as a loop of its own (no switch per iteration).
    this.selfLoop = block.end === BlockEnd.Branch && block.target === block.start * this.unit ? placed.key : null;
    if (this.selfLoop !== null) e.line(`b${index}: for (;;) {`);
    e.line(`if (done > budget - ${length}) { ${e.exit({ npc: placed.key, lp: -1, adjust: 0, writeback: true, it: 0 })} }`);
    e.line(`done = (done + ${length}) | 0;`);
    const body = block.end === BlockEnd.Fall ? length : length - 1;
    e.prevLp = -1;
    for (let k = 0; k < body; k++) {
      e.insn = block.insns[k];
      e.k = k;
      emitInstruction(e);
      e.prevLp = e.lpOf(e.insn);
    }
    if (block.end === BlockEnd.Fall) {
      e.flagsAtBlockEnd();
      this.fallTo(block.next, e.lpOf(last), nextWritten, block.itOut ?? 0);
    } else {
      e.insn = last;
      e.k = length - 1;
      this.writeEnd(block, nextWritten);
    }
    if (this.selfLoop !== null) e.line('}');
    e.line('}');
  }

  /** The branch that ends a block, under its condition; the fall-through follows. */
  private writeEnd(block: JitBlock, nextWritten: number): void {
    const e = this.e;
    const { name, word, test } = e.insn;
    const last = e.lpOf(e.insn);
    const cond = e.insn.cond;
    // CBZ/CBNZ test a register (A8.8.29); everything else a condition.
    const condExpr = test !== undefined ? `(${e.reg(test.reg)} ${test.zero ? '===' : '!=='} 0)` : cond < 14 ? e.condition(cond) : '';
    e.flagsAtBlockEnd();
    // The return address: the next instruction, with bit 0 set in T32 (BL, BLX register: A8.8.25, A8.8.26).
    const linked = name === 'BL (immediate)' || name === 'BLX (register)';
    const link = linked ? e.capture(e.thumb ? `${e.nextAddress} | 1` : e.nextAddress, 'lr') : '';
    if (condExpr !== '') e.line(`if (${condExpr}) {`);
    if (block.end === BlockEnd.Branch) {
      if (link !== '') e.setReg(14, link);
      this.toOffset(this.current.delta + block.target, last);
    } else {
      let target: string | null = null;
      if (name === 'BX' || name === 'BXJ' || name === 'BLX (register)') {
        target = e.capture(e.reg(word & 15), 'j');
        if (link !== '') e.setReg(14, link);
      } else if (name === 'LDM (LDMDA, LDMIA, LDMDB, LDMIB)') target = emitMultiple(e);
      else target = emitLoadPc(e);
      if (target === null) e.sideExit();
      else this.toRegister(target, last);
    }
    if (condExpr !== '') {
      e.line('}');
      this.fallTo(block.next, last, nextWritten, 0);
    }
  }
}

const FLAGS = ['n', 'z', 'c', 'v'];

function registers(mask: number, f: (r: number) => string): string {
  let s = '';
  for (let r = 0; r < 15; r++) if ((mask & (1 << r)) !== 0) s += f(r);
  return s;
}

/** The JavaScript source of a region's factory body (exported for tests and debugging). */
export function regionSource(region: Region, thumb = false): { source: string; handlers: RegionEmitter['handlers'] } {
  const e = new RegionEmitter(thumb);
  const unit = thumb ? 2 : 4;
  // Blocks of linked pages: their instructions placed at their offsets from the region's page base.
  const placed: PlacedBlock[] = region.blocks.map((block) => ({ block, delta: 0, link: 0, key: block.start * unit }));
  const links = new Map<number, number>([[0, 0]]);
  (region.linked ?? []).forEach((page, i) => {
    links.set(page.delta, i + 1);
    for (const b of page.blocks) {
      const insns = b.insns.map((insn) => ({ ...insn, offset: insn.offset + page.delta }));
      placed.push({ block: { ...b, insns }, delta: page.delta, link: i + 1, key: page.delta + b.start * unit });
    }
  });
  // Address order: a block's fall-through successor, when in the region, is the next case.
  placed.sort((a, b) => a.key - b.key);
  const inRegion = new Map(placed.map((b, i) => [b.key, i]));
  const writer = new BlockWriter(e, inRegion, links);
  placed.forEach((block, i) => writer.write(block, i + 1 < placed.length ? placed[i + 1].key : NaN));
  const body = e.source();
  const used = e.used;
  const written = e.written;
  const cached = e.flagsCached;
  const writeback = registers(written, (r) => `R[${r}] = r${r}; `);
  const resolved = body.replace(/\u0001(W|F|L(\d+)|S(\d))\u0001/g, (_m, what: string, mask?: string, flag?: string) => {
    if (what === 'W') return writeback;
    if (what === 'F') return cached ? 'n = cpu.n; z = cpu.z; c = cpu.c; v = cpu.v;' : '';
    if (mask !== undefined) return registers(Number(mask) & used, (r) => `r${r} = R[${r}]; `);
    return cached ? `cpu.${FLAGS[Number(flag)]} = ${FLAGS[Number(flag)]};` : '';
  });
  const table = (f: (x: RegionEmitter['exits'][number]) => number) => `new Int32Array([${e.exits.map(f).join(', ')}])`;
  const source = [
    // Block index by slot, -1 outside the region.
    `const BLOCKS = new Int16Array(${thumb ? 2048 : 1024}).fill(-1);`,
    placed.map((b, i) => (b.link === 0 ? `BLOCKS[${b.block.start}] = ${i};` : '')).join(' '),
    // Per exit: next PC offset (and whether it is static), last slot, done adjustment, writeback.
    `const EXIT_NPC = ${table((x) => x.npc ?? 0)}, EXIT_STATIC = ${table((x) => (x.npc === null ? 0 : 1))};`,
    `const EXIT_LP = ${table((x) => x.lp)}, EXIT_ADJUST = ${table((x) => x.adjust)}, EXIT_WRITEBACK = ${table((x) => (x.writeback ? 1 : 0))};`,
    thumb ? `const EXIT_IT = ${table((x) => x.it)};` : '',
    'return function region(base, budget, slot) {',
    // Locals, not closure slots, in the hot code.
    'const cpu = CPU, R = REGS, H = HANDLERS, TAG = TLB_TAG, OFF = TLB_OFF, B8 = TLB_B8, H16 = TLB_H16, W32 = TLB_W32, BI = BLOCKS;',
    'const LP = LINK_PAGES, LJ = LINK_CODE, FTAG = FETCH_TAG, FPAGES = FETCH_PAGES, FMASK = FETCH_MASK;',
    'let pc = BI[slot];',
    'if (pc < 0) return 0;',
    'const ic = cpu.instructionCount, RB = cpu.readBase, WB = cpu.writeBase;',
    registers(used, (r) => `let r${r} = R[${r}];\n`),
    // fk = 1: the flags are those of fa - fb (RegionEmitter.flagsAtBlockEnd).
    cached ? 'let n = cpu.n, z = cpu.z, c = cpu.c, v = cpu.v, fk = 0, fa = 0, fb = 0;' : '',
    'let done = 0, npc = 0, lp = 0, ex = 0, jt = 0;',
    'run: for (;;) {',
    'switch (pc) {',
    resolved,
    "default: throw new Error('region: no block ' + pc);",
    '}',
    '}',
    // Every exit runs this: the arithmetic of cold exits happens here, where V8 has feedback for it.
    'done = (done + EXIT_ADJUST[ex]) | 0;',
    'if (EXIT_WRITEBACK[ex] !== 0) {',
    'const sn = (base + EXIT_NPC[ex]) | 0, sl = EXIT_LP[ex];',
    'if (EXIT_STATIC[ex] !== 0) npc = sn;',
    // -1: the code set lp (offsets are even; a linked page before this one gives negative ones).
    'if (sl !== -1) lp = sl;',
    writeback,
    cached ? `if (fk !== 0) { ${RESOLVE} }` : '',
    cached ? 'cpu.n = n; cpu.z = z; cpu.c = c; cpu.v = v;' : '',
    'R[15] = (base + lp) | 0;',
    'cpu.nextPc = npc;',
    thumb ? 'cpu.it = EXIT_IT[ex];' : '',
    '}',
    'return done;',
    '};',
  ].join('\n');
  return { source, handlers: e.handlers };
}

/**
 * Factories by source text, shared by every core and board of the process.
 * Closures made by one factory share V8's feedback and optimized code, so
 * the same code on another core, after a reload or in the next session
 * starts fast instead of being compiled and optimized again.
 */
const factories = new Map<string, RegionFactory>();

/** TSKVM_JIT_DUMP=DIR writes each newly compiled region's source there (for reading what the JIT made of hot code). */
const DUMP_DIR = process.env.TSKVM_JIT_DUMP;
let dumped = 0;

function dumpRegion(source: string, tier: 1 | 2, thumb: boolean): void {
  mkdirSync(DUMP_DIR!, { recursive: true });
  writeFileSync(join(DUMP_DIR!, `region-${String(dumped++).padStart(4, '0')}-${thumb ? 't32' : 'a32'}-tier${tier}.js`), source);
}
const MAX_FACTORIES = 8192;

/** Generate a region's JavaScript and compile it (or find it compiled) into a factory. */
export function prepareRegion(region: Region, tier: 1 | 2, thumb = false): PreparedRegion {
  const { source, handlers } = regionSource(region, thumb);
  let factory = factories.get(source);
  if (factory === undefined) {
    if (factories.size >= MAX_FACTORIES) factories.clear();
    factory = new Function(
      'CPU', 'REGS', 'HANDLERS', 'TLB_TAG', 'TLB_OFF', 'TLB_B8', 'TLB_H16', 'TLB_W32', 'ITW',
      'LINK_PAGES', 'LINK_CODE', 'FETCH_TAG', 'FETCH_PAGES', 'FETCH_MASK', source,
    ) as RegionFactory;
    factories.set(source, factory);
    if (DUMP_DIR !== undefined) dumpRegion(source, tier, thumb);
  }
  const linked = (region.linked ?? []).map((l) => ({ page: l.page, code: l.code, owner: l.owner }));
  return { factory, handlers, blocks: region.blocks.map((b) => ({ start: b.start, length: b.insns.length })), tier, linked };
}

/**
 * The region's function for `cpu` (its registers, soft TLB arrays and the
 * handlers are bound in the closure); `page` is the decoded page it runs
 * from and `code` that page's `jit` now, the first of the links (a linked
 * page's block that branches back checks them).
 */
export function bindRegion(cpu: ArmCpu, prepared: PreparedRegion, page: unknown, code: unknown): RegionFunction {
  const pages = [page, ...prepared.linked.map((l) => l.page)];
  const codes = [code, ...prepared.linked.map((l) => l.code)];
  const mask = SOFT_TLB_MASK;
  return prepared.factory(
    cpu, cpu.r, prepared.handlers, cpu.dataTag, cpu.dataOffset, cpu.dataBytes, cpu.dataHalves, cpu.dataWords, itWrite,
    pages, codes, cpu.fetchTag, cpu.fetchPages, mask,
  );
}
