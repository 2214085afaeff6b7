import { ExitKind, InternalErrorKind } from '../../src/hv/ExitKind.ts';
import type { GuestCpu, GuestCpuContext } from '../../src/hv/GuestCpu.ts';
import { Perm, type AccessKind } from '../../src/hv/shadow/GuestPageTableWalker.ts';
import { ShadowTranslation } from '../../src/hv/shadow/ShadowMmu.ts';
import type { VcpuExit } from '../../src/hv/VcpuExit.ts';

/**
 * A tiny register machine standing in for an ISA core's guest mode, to test
 * the hypervisor. 16 registers r0–r15 and a pc; 32-bit little-endian
 * instruction words fetched from guest memory: op in bits 31–24, register a
 * in 23–20, register b in 19–16, a 16-bit immediate below.
 *
 * It follows the GuestCpu contract the way a real core must: it fetches and
 * loads through a small soft TLB filled from bus.memoryAt (dropped on
 * onMapChange and shadow invalidations), stores directly only into 'ram'
 * pages and tells the bus about code pages, abandons an instruction whose
 * access set exitRequest (no effect, not retired) and re-executes it first on
 * the next run.
 */
export const Op = {
  /** r[a] = imm (zero-extended) */
  LI: 0x01,
  /** r[a] = imm << 16 | r[a] & 0xffff */
  LUI: 0x02,
  /** r[a] = mem32[r[b] + simm] */
  LW: 0x03,
  /** mem32[r[b] + simm] = r[a] */
  SW: 0x04,
  /** r[a] = mem8[r[b] + simm] */
  LB: 0x05,
  /** mem8[r[b] + simm] = r[a] & 0xff */
  SB: 0x06,
  /** r[a] = r[b] + simm */
  ADDI: 0x07,
  /** if r[a] != 0: pc += simm × 4 (relative to the next instruction) */
  BNZ: 0x08,
  /** pc += simm × 4 */
  B: 0x09,
  /** port imm ← r[a] (an IO exit) */
  OUT: 0x0a,
  /** wait for an interrupt (an HLT exit) */
  HLT: 0x0b,
  /** hypercall: nr in r0, arguments r1–r6, result in r0 */
  HVC: 0x0c,
  /** enable interrupts */
  EI: 0x0d,
  /** return from interrupt: pc = epc, interrupts enabled */
  RETI: 0x0e,
  /** interrupt vector = r[a] */
  SETVEC: 0x0f,
  /** page-table base = r[a], ASID = r[b]; turns translation of loads and stores on (shadow paging only) */
  SETPT: 0x10,
  /** r[a] = r[a] + r[b] */
  ADD: 0x11,
  /** r[a] = mem32[r[b]] + mem32[r[b] + 4] (two loads in one instruction, to test replay) */
  LW2: 0x12,
} as const;

export function enc(op: number, a = 0, b = 0, imm = 0): number {
  return ((op << 24) | ((a & 15) << 20) | ((b & 15) << 16) | (imm & 0xffff)) >>> 0;
}

/** r[a] = value, in two instructions. */
export function li32(a: number, value: number): number[] {
  return [enc(Op.LI, a, 0, value & 0xffff), enc(Op.LUI, a, 0, value >>> 16)];
}

/** Instruction words as little-endian bytes. */
export function program(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w, true));
  return out;
}

const SOFT = 16;

export class FakeGuestCore implements GuestCpu {
  readonly isa = 'arm' as const;
  readonly irqInput = 0;
  retired = 0;
  readonly r = new Uint32Array(16);
  pc = 0;
  interruptsEnabled = false;
  epc = 0;
  vector = 0;
  irqLevel = false;
  enters = 0;
  leaves = 0;
  /** Number of times the soft TLB was flushed (by map changes or shadow invalidations). */
  flushes = 0;
  private mmuOn = false;
  private replaying = false;
  private readonly translation = new ShadowTranslation();

  // The soft TLB: one tag array per access kind, the page's bytes and whether stores may go there.
  private readonly tag = new Float64Array(SOFT * 3).fill(-1);
  private readonly pageBytes: Array<Uint8Array | null> = new Array<Uint8Array | null>(SOFT * 3).fill(null);
  private readonly pageCode: Array<Uint8Array | null> = new Array<Uint8Array | null>(SOFT * 3).fill(null);
  private readonly pageBase = new Float64Array(SOFT * 3);

  constructor(private readonly ctx: GuestCpuContext) {
    ctx.bus.onMapChange(() => this.flush());
    ctx.shadow?.onInvalidate(() => this.flush());
  }

  reset(): void {
    this.r.fill(0);
    this.pc = 0;
    this.interruptsEnabled = false;
    this.mmuOn = false;
    this.replaying = false;
    this.flush();
  }

  setIrqLevel(_input: number, level: boolean): void {
    this.irqLevel = level;
  }

  enterGuest(): number {
    this.enters++;
    // The fake core's rule for an invalid state: a pc that is not word aligned cannot be entered.
    return (this.pc & 3) !== 0 ? 1 : 0;
  }

  leaveGuest(): void {
    this.leaves++;
  }

  completeHypercall(result: number): void {
    this.r[0] = result;
  }

  runGuest(budget: number, exit: VcpuExit): void {
    const ctx = this.ctx;
    for (let n = 0; n < budget; n++) {
      if (ctx.stopFlag[0] !== 0 || ctx.exitRequest[0] !== 0) return;
      if (!this.replaying && this.irqLevel && this.interruptsEnabled) {
        this.epc = this.pc;
        this.interruptsEnabled = false;
        this.pc = this.vector;
      }
      const pc = this.pc;
      const word = this.fetch(pc, exit);
      if (word < 0) {
        exit.kind = ExitKind.Shutdown;
        return;
      }
      const op = word >>> 24;
      const a = (word >>> 20) & 15;
      const b = (word >>> 16) & 15;
      const imm = word & 0xffff;
      const simm = (imm << 16) >> 16;
      let next = (pc + 4) >>> 0;
      switch (op) {
        case Op.LI: this.r[a] = imm; break;
        case Op.LUI: this.r[a] = ((imm << 16) | (this.r[a] & 0xffff)) >>> 0; break;
        case Op.ADDI: this.r[a] = (this.r[b] + simm) >>> 0; break;
        case Op.ADD: this.r[a] = (this.r[a] + this.r[b]) >>> 0; break;
        case Op.LW:
        case Op.LB: {
          const v = this.load((this.r[b] + simm) >>> 0, op === Op.LW ? 4 : 1, exit);
          if (this.abandoned()) return;
          this.r[a] = v;
          break;
        }
        case Op.LW2: {
          const v1 = this.load(this.r[b], 4, exit);
          if (this.abandoned()) return;
          const v2 = this.load((this.r[b] + 4) >>> 0, 4, exit);
          if (this.abandoned()) return;
          this.r[a] = (v1 + v2) >>> 0;
          break;
        }
        case Op.SW:
        case Op.SB:
          this.store((this.r[b] + simm) >>> 0, op === Op.SW ? 4 : 1, this.r[a], exit);
          if (this.abandoned()) return;
          break;
        case Op.BNZ: if (this.r[a] !== 0) next = (next + simm * 4) >>> 0; break;
        case Op.B: next = (next + simm * 4) >>> 0; break;
        case Op.EI: this.interruptsEnabled = true; break;
        case Op.RETI: next = this.epc; this.interruptsEnabled = true; break;
        case Op.SETVEC: this.vector = this.r[a]; break;
        case Op.SETPT: {
          const shadow = ctx.shadow;
          if (shadow === null) {
            exit.setInternalError(InternalErrorKind.Emulation, pc, word, 'SETPT needs shadow paging');
            return;
          }
          shadow.activate(this.r[a], this.r[b]);
          this.mmuOn = true;
          this.flush();
          break;
        }
        case Op.OUT:
          exit.kind = ExitKind.Io;
          exit.io.port = imm;
          exit.io.size = 4;
          exit.io.isWrite = true;
          exit.io.data = this.r[a];
          this.complete(next);
          return;
        case Op.HLT:
          exit.kind = ExitKind.Hlt;
          this.complete(next);
          return;
        case Op.HVC:
          exit.kind = ExitKind.Hypercall;
          exit.hypercall.nr = this.r[0];
          for (let i = 0; i < 6; i++) exit.hypercall.args[i] = this.r[1 + i];
          this.complete(next);
          return;
        default:
          exit.setInternalError(InternalErrorKind.Emulation, pc, word, 'undefined instruction');
          return;
      }
      this.complete(next);
    }
  }

  private complete(next: number): void {
    this.pc = next;
    this.replaying = false;
    this.retired++;
  }

  /** After an access: true when it exited, so the instruction is abandoned and will run again. */
  private abandoned(): boolean {
    if (this.ctx.exitRequest[0] === 0) return false;
    this.replaying = true;
    return true;
  }

  private flush(): void {
    this.tag.fill(-1);
    this.flushes++;
  }

  /** Soft-TLB slot for `addr` and access class (0 fetch, 1 load, 2 store), filled on a miss; -1 when not memory. */
  private slot(addr: number, cls: number, kind: AccessKind, exit: VcpuExit): number {
    const page = Math.floor(addr / 4096);
    const i = cls * SOFT + (page % SOFT);
    if (this.tag[i] === page) return i;
    let gpa = addr;
    if (this.mmuOn && cls !== 0) {
      if (!this.ctx.shadow!.translate(addr, kind, false, this.translation)) {
        exit.setInternalError(InternalErrorKind.Emulation, this.pc, 0, 'guest page fault');
        this.ctx.exitRequest[0] = 1;
        return -2;
      }
      gpa = this.translation.gpa;
    }
    const region = this.ctx.bus.memoryAt(gpa);
    if (region === null) return -1;
    if (cls === 2 && region.kind !== 'ram') return -1;
    const pageGpa = gpa - (gpa % 4096);
    this.tag[i] = page;
    this.pageBytes[i] = region.bytes;
    this.pageCode[i] = region.codePages;
    this.pageBase[i] = pageGpa;
    return i;
  }

  /** The word at `pc`, or -1 when pc is not in guest memory. */
  private fetch(pc: number, exit: VcpuExit): number {
    const i = this.slot(pc, 0, Perm.Exec, exit);
    if (i < 0) return -1;
    this.pageCode[i]![0] = 1;
    const b = this.pageBytes[i]!;
    const o = pc & 0xfff;
    return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
  }

  private physical(addr: number): number {
    if (!this.mmuOn) return addr;
    return this.translation.gpa;
  }

  private load(addr: number, size: 1 | 4, exit: VcpuExit): number {
    const i = this.slot(addr, 1, Perm.Read, exit);
    if (i === -2) return 0;
    if (i >= 0 && (addr & 0xfff) <= 4096 - size) {
      const b = this.pageBytes[i]!;
      const o = addr & 0xfff;
      return size === 1 ? b[o] : (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    }
    const pa = this.physical(addr);
    return size === 1 ? this.ctx.bus.read8(pa) : this.ctx.bus.read32(pa);
  }

  private store(addr: number, size: 1 | 4, value: number, exit: VcpuExit): void {
    const i = this.slot(addr, 2, Perm.Write, exit);
    if (i === -2) return;
    if (i >= 0 && (addr & 0xfff) <= 4096 - size) {
      const b = this.pageBytes[i]!;
      const o = addr & 0xfff;
      b[o] = value;
      if (size === 4) {
        b[o + 1] = value >>> 8;
        b[o + 2] = value >>> 16;
        b[o + 3] = value >>> 24;
      }
      if (this.pageCode[i]![0] !== 0) this.ctx.bus.codeWritten(this.pageBase[i]);
      return;
    }
    const pa = this.physical(addr);
    if (size === 1) this.ctx.bus.write8(pa, value & 0xff);
    else this.ctx.bus.write32(pa, value);
  }

  getPc(): number {
    return this.pc;
  }
  setPc(value: number): void {
    this.pc = value >>> 0;
  }
  getRegister(name: string): number {
    if (name === 'pc') return this.pc;
    const m = /^r(\d+)$/.exec(name);
    if (m === null || Number(m[1]) > 15) throw new Error(`the fake core has no register ${name}`);
    return this.r[Number(m[1])];
  }
  setRegister(name: string, value: number): void {
    if (name === 'pc') {
      this.pc = value >>> 0;
      return;
    }
    const m = /^r(\d+)$/.exec(name);
    if (m === null || Number(m[1]) > 15) throw new Error(`the fake core has no register ${name}`);
    this.r[Number(m[1])] = value;
  }
  registerNames(): readonly string[] {
    return [...Array.from({ length: 16 }, (_, i) => `r${i}`), 'pc'];
  }
}
