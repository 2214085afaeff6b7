import type { ArmCpu } from '../ArmCpu.ts';
import { emitDataProcessing, emitMedia, emitMultiply, setsFlags } from './DataProcessingEmitter.ts';
import { emitDouble, emitLoadPc, emitMultiple, emitSingle } from './LoadStoreEmitter.ts';
import { BlockEnd, type JitBlock, type Region } from './RegionBuilder.ts';
import { RELOAD_FLAGS, RegionEmitter, WRITEBACK } from './RegionEmitter.ts';

/**
 * A compiled region: `run(base, budget, slot)` executes from block `slot`
 * of the page whose virtual address is `base`, never starting a block that
 * would take it past `budget` instructions, and returns how many it retired.
 * On return the core's state is exactly the interpreter's after as many
 * instructions: registers, flags, nextPc, R15 and the exception state.
 */
export type RegionFunction = (base: number, budget: number, slot: number) => number;

/** Emit one instruction that does not end its block: inlined when an emitter knows it, else its handler. */
function emitInstruction(e: RegionEmitter): void {
  const { name, word } = e.insn;
  const cond = word >>> 28;
  const snap = e.snapshot();
  let condExpr = '';
  if (cond < 14) {
    condExpr = e.condition(cond);
    if (setsFlags(name, word)) e.materializeAll();
    e.line(`if (${condExpr}) {`);
    e.inCond = true;
  }
  const ok = emitDataProcessing(e) || emitSingle(e) || emitDouble(e) || emitMultiple(e) === '' || emitMultiply(e) || emitMedia(e);
  if (!ok) {
    e.restore(snap);
    e.generic();
    return;
  }
  if (cond < 14) {
    e.inCond = false;
    e.line('}');
  }
}

class BlockWriter {
  constructor(
    private readonly e: RegionEmitter,
    private readonly inRegion: ReadonlySet<number>,
  ) {}

  /** Continue at slot `slot` of the page: inside the region, or leave it. */
  toSlot(slot: number): void {
    if (slot < 1024 && this.inRegion.has(slot)) this.e.line(`pc = ${slot}; continue run;`);
    else this.e.line(`npc = ${this.e.pageAddress(slot * 4)}; break run;`);
  }

  /** Continue at byte offset `offset` from the page base (a direct branch target, maybe off the page). */
  toOffset(offset: number): void {
    if (offset >= 0 && offset < 4096) this.toSlot(offset >>> 2);
    else this.e.line(`npc = ${this.e.pageAddress(offset)}; break run;`);
  }

  /**
   * An interworking branch to the value `target` (BXWritePC/LoadWritePC,
   * A2.3.1): to Thumb the run loop takes over; an ARM target in this page
   * continues in the region when it starts one of its blocks.
   */
  toRegister(target: string): void {
    const e = this.e;
    e.line(`if ((${target} & 1) !== 0) { xw = 1; npc = ${target}; break run; }`);
    e.line(`npc = ${target} & -4;`);
    e.line(`if ((npc & -4096) === base) { pc = (npc >>> 2) & 1023; continue run; }`);
    e.line('break run;');
  }

  write(block: JitBlock): void {
    const e = this.e;
    const length = block.insns.length;
    const last = block.insns[length - 1];
    e.startBlock();
    e.line(`case ${block.start}: {`);
    e.line(`if (done > budget - ${length}) { npc = ${e.pageAddress(block.start * 4)}; break run; }`);
    const body = block.end === BlockEnd.Fall ? length : length - 1;
    for (let k = 0; k < body; k++) {
      e.insn = block.insns[k];
      e.k = k;
      emitInstruction(e);
    }
    const retire = `done += ${length}; lp = ${last.slot};`;
    if (block.end === BlockEnd.Fall) {
      e.materializeAll();
      e.line(retire);
      this.toSlot(block.next);
    } else {
      e.insn = last;
      e.k = length - 1;
      this.writeEnd(block, retire);
    }
    e.line('}');
  }

  /** The branch that ends a block, under its condition; the fall-through follows. */
  private writeEnd(block: JitBlock, retire: string): void {
    const e = this.e;
    const { name, word } = e.insn;
    const cond = word >>> 28;
    const condExpr = cond < 14 ? e.condition(cond) : '';
    e.materializeAll();
    if (condExpr !== '') {
      e.line(`if (${condExpr}) {`);
      e.inCond = true;
    }
    if (block.end === BlockEnd.Branch) {
      e.line(retire);
      if (name === 'BL (immediate)') e.setReg(14, e.nextAddress);
      this.toOffset(block.target);
    } else {
      let target: string | null = null;
      if (name === 'BX' || name === 'BXJ' || name === 'BLX (register)') {
        target = e.capture(e.reg(word & 15), 'j');
        if (name === 'BLX (register)') e.setReg(14, e.nextAddress);
      } else if (name === 'LDM (LDMDA, LDMIA, LDMDB, LDMIB)') target = emitMultiple(e);
      else target = emitLoadPc(e);
      if (target === null) e.callHandler(0, false, false);
      else {
        e.line(retire);
        this.toRegister(target);
      }
    }
    if (condExpr !== '') {
      e.inCond = false;
      e.line('}');
      e.line(retire);
      this.toSlot(block.next);
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
export function regionSource(region: Region): { source: string; handlers: RegionEmitter['handlers'] } {
  const e = new RegionEmitter();
  const inRegion = new Set(region.blocks.map((b) => b.start));
  const writer = new BlockWriter(e, inRegion);
  for (const block of region.blocks) writer.write(block);
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
  const locals = registers(used, (r) => `let r${r} = R[${r}];\n`);
  const source = [
    'return function region(base, budget, pc) {',
    'const ic = cpu.instructionCount, RB = cpu.readBase, WB = cpu.writeBase;',
    locals,
    cached ? 'let n = cpu.n, z = cpu.z, c = cpu.c, v = cpu.v;' : '',
    'let done = 0, npc = 0, lp = pc, xw = 0, jt = 0;',
    'run: for (;;) {',
    'switch (pc) {',
    resolved,
    'default: npc = (base + pc * 4) | 0; break run;',
    '}',
    '}',
    writeback,
    cached ? 'cpu.n = n; cpu.z = z; cpu.c = c; cpu.v = v;' : '',
    'R[15] = (base + lp * 4 + 8) | 0;',
    'if (xw !== 0) cpu.branchExchange(npc); else cpu.nextPc = npc;',
    'return done;',
    '};',
  ].join('\n');
  return { source, handlers: e.handlers };
}

/** Compile a region for `cpu` into a function (the soft TLB arrays and handlers are bound in its closure). */
export function compileRegion(cpu: ArmCpu, region: Region): RegionFunction {
  const { source, handlers } = regionSource(region);
  const factory = new Function('cpu', 'R', 'H', 'TAG', 'OFF', 'B8', 'H16', 'W32', source) as (
    ...args: unknown[]
  ) => RegionFunction;
  return factory(cpu, cpu.r, handlers, cpu.dataTag, cpu.dataOffset, cpu.dataBytes, cpu.dataHalves, cpu.dataWords);
}
