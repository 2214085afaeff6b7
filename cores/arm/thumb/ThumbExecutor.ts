import type { ArmCpu, ThumbExecutor } from '../ArmCpu.ts';
import { takePrefetchAbort } from '../Exceptions.ts';
import { FaultKind } from '../mmu/Fault.ts';
import { decodeThumb16, decodeThumb32 } from './ThumbDecoder.ts';
import { itAdvance, itWrite, type ThumbHandler } from './ThumbPseudocode.ts';

/**
 * The T32 run loop (the `ThumbExecutor` of ArmCpu.ts).
 *
 * Instructions come from the core's decoded pages: a page's words are
 * memory as last validated, and `page.thumbHandlers` holds one handler per
 * halfword, a stub until that halfword is first executed as the start of an
 * instruction; the stub decodes it, stores the handler and runs it. Writing
 * the page drops the slots with the rest of the page. A 32-bit instruction
 * whose second halfword lies on the next page is fetched and decoded
 * separately each time (its handler depends on two pages).
 *
 * IT blocks (A2.5.2): while ITSTATE is non-zero the instruction executes only
 * if ITSTATE[7:4] passes (BKPT, 0xbexx, executes whatever the condition,
 * A8.8.24), and ITSTATE advances after it, unless the
 * instruction itself changed ITSTATE (exception entry clears it; an
 * exception return loads it and says so through `itWrite`). Handlers read
 * ITSTATE for the "InITBlock()" rules before it advances.
 */

/** The access kind `ArmCpu.translate` takes for instruction fetches (its Access.Fetch). */
const FETCH = 2;

/** Decode-on-first-use of one halfword slot of the executing page. */
function decodeSlot(cpu: ArmCpu, insn: number): void {
  const handler = insn < 0 ? decodeThumb32(insn) : decodeThumb16(insn);
  (cpu.execPage.thumbHandlers as ThumbHandler[])[((cpu.r[15] - 4) >>> 1) & 2047] = handler;
  handler(cpu, insn);
}

/** Run one decoded instruction under the IT rules (the page-straddling path; the main loop inlines this). */
function execute(cpu: ArmCpu, handler: ThumbHandler, insn: number): void {
  const it = cpu.it;
  if (it === 0) {
    handler(cpu, insn);
    return;
  }
  if (cpu.conditionPassed(it >>> 4) || insn >>> 8 === 0xbe) handler(cpu, insn);
  if (itWrite.byHandler) itWrite.byHandler = false;
  else if (cpu.it === it) cpu.it = itAdvance(it);
}

/** Last 32-bit instruction executed across a page boundary and its handler (decoding allocates). */
let straddlingInsn = 0;
let straddlingHandler: ThumbHandler | null = null;

/**
 * A 32-bit instruction at the last halfword of a page. A fault fetching its
 * second halfword (translation, permission, or no memory there) is a
 * Prefetch Abort of the instruction: LR = its address + 4, IFAR = the
 * second halfword's address (B1.9.7, B3.12.2).
 */
function executeStraddling(cpu: ArmCpu, pc: number, hw1: number): void {
  const secondVa = (pc + 2) | 0;
  cpu.r[15] = (pc + 4) | 0;
  cpu.nextPc = (pc + 4) | 0;
  const pa = cpu.translate(secondVa, FETCH, cpu.privilegeLevel);
  if (pa < 0 || cpu.bus.regionAt(pa) === null) {
    if (pa >= 0) cpu.fault.set(FaultKind.External, 1, 0);
    takePrefetchAbort(cpu, pc, secondVa, cpu.fault);
    return;
  }
  const second = cpu.fetchPageFor(secondVa);
  if (second === null) return;
  const insn = (hw1 << 16) | (second.words[0] & 0xffff);
  if (straddlingHandler === null || straddlingInsn !== insn) {
    straddlingHandler = decodeThumb32(insn);
    straddlingInsn = insn;
  }
  if (cpu.probe.traceInstructions) cpu.probe.instruction(pc >>> 0, insn >>> 0, true);
  execute(cpu, straddlingHandler, insn);
}

function run(cpu: ArmCpu, budget: number): number {
  const r = cpu.r;
  const start = cpu.instructionCount;
  const trace = cpu.probe.traceInstructions;
  let count = 0;
  while (count < budget) {
    let pc = cpu.nextPc;
    const page = cpu.fetchPageFor(pc);
    if (page === null) {
      // Prefetch Abort taken (the entry set exitInner); it counts as a step, as in the A32 loop.
      cpu.instructionCount = start + ++count;
      break;
    }
    let handlers = page.thumbHandlers as ThumbHandler[] | null;
    if (handlers === null) {
      handlers = new Array<ThumbHandler>(2048).fill(decodeSlot);
      page.thumbHandlers = handlers;
    }
    cpu.execPage = page;
    const words = page.words;
    const pageVa = pc & ~0xfff;
    do {
      const w = words[(pc >>> 2) & 1023];
      const hw = (pc & 2) === 0 ? w & 0xffff : w >>> 16;
      let insn: number;
      if (hw < 0xe800) {
        insn = hw;
        cpu.nextPc = (pc + 2) | 0;
      } else if ((pc & 0xffe) !== 0xffe) {
        insn = (hw << 16) | ((pc & 2) === 0 ? w >>> 16 : words[((pc >>> 2) + 1) & 1023] & 0xffff);
        cpu.nextPc = (pc + 4) | 0;
      } else {
        executeStraddling(cpu, pc, hw);
        cpu.instructionCount = start + ++count;
        pc = cpu.nextPc;
        break;
      }
      r[15] = (pc + 4) | 0;
      if (trace) cpu.probe.instruction(pc >>> 0, insn >>> 0, true);
      const it = cpu.it;
      if (it === 0) handlers[(pc >>> 1) & 2047](cpu, insn);
      else {
        if (cpu.conditionPassed(it >>> 4) || insn >>> 8 === 0xbe) handlers[(pc >>> 1) & 2047](cpu, insn);
        if (itWrite.byHandler) itWrite.byHandler = false;
        else if (cpu.it === it) cpu.it = itAdvance(it);
      }
      cpu.instructionCount = start + ++count;
      pc = cpu.nextPc;
    } while (count < budget && !cpu.exitInner && (pc & ~0xfff) === pageVa);
    if (cpu.exitInner) break;
  }
  return count;
}

/** The executor to install with `ArmCpu.setThumbExecutor`. */
export const thumbExecutor: ThumbExecutor = { run };
