import type { GuestPageTableWalker, PageTableMemory, WalkResult } from '../../../src/hv/shadow/GuestPageTableWalker.ts';
import { FaultKind } from '../mmu/Fault.ts';
import { walkLongDescriptor } from '../mmu/LongDescriptorWalker.ts';
import { walkShortDescriptor } from '../mmu/ShortDescriptorWalker.ts';
import { WalkResult as ArmWalkResult, type DescriptorMemory } from '../mmu/WalkResult.ts';
import { SystemRegisterState } from '../SystemRegisterState.ts';

/**
 * The ARM guest page-table walker of the shadow MMU (src/hv/shadow): stage 1
 * of the PL1&0 regime, short-descriptor (B3.5) or long-descriptor (B3.6)
 * format, read from guest-physical memory through the shadow MMU's counting
 * `PageTableMemory` — the same walkers the core uses, so both paging modes
 * translate alike.
 *
 * `root` is the guest's TTBR0 (the address space's identity); TTBCR, TTBR1,
 * DACR and SCTLR (AFE, WXN, UWXN) come from `registers`, the system
 * registers of the vCPU that runs (ShadowStage1 points it at its core).
 * Permission bits are the core's Perm bits, which have the layout of the
 * shadow MMU's (PL1 read/write/execute in bits 0–2, PL0 in bits 3–5).
 *
 * A fault is reported as a non-zero code: see `encodeArmFault`.
 */
export class ArmPageTableWalker implements GuestPageTableWalker {
  /** The system registers of the vCPU whose tables are walked. */
  registers: SystemRegisterState = new SystemRegisterState();
  /** Level and domain of the descriptor that mapped the last successful walk (for a permission fault's status). */
  lastLevel = 1;
  lastDomain = 0;
  private readonly scratch = new SystemRegisterState();
  private readonly result = new ArmWalkResult();
  private readonly reader = new GuestTableReader();

  walk(root: number, gva: number, memory: PageTableMemory, out: WalkResult): void {
    const regs = this.registers;
    const view = this.scratch;
    view.ttbcr = regs.ttbcr;
    view.ttbr0Lo = root % 0x100000000 | 0;
    view.ttbr0Hi = Math.floor(root / 0x100000000) & 0xff;
    view.ttbr1Lo = regs.ttbr1Lo;
    view.ttbr1Hi = regs.ttbr1Hi;
    view.dacr = regs.dacr;
    view.sctlr = regs.sctlr;
    const reader = this.reader;
    reader.memory = memory;
    const w = this.result;
    const ok = view.longFormat ? walkLongDescriptor(reader, view, gva, w) : walkShortDescriptor(reader, view, gva, w);
    reader.memory = null;
    if (!ok) {
      out.fault = encodeArmFault(w.fault.kind, w.fault.level, w.fault.domain);
      return;
    }
    if (w.domainFault) {
      out.fault = encodeArmFault(FaultKind.Domain, w.level, w.domain);
      return;
    }
    out.gpa = w.pageAddress + (gva & 0xfff);
    out.perms = w.perms;
    out.fault = 0;
    this.lastLevel = w.level;
    this.lastDomain = w.domain;
  }

  /** The address-space root for the registers: TTBR0's 40-bit value (without the LPAE ASID field). */
  static rootOf(regs: SystemRegisterState): number {
    return (regs.ttbr0Hi & 0xff) * 0x100000000 + (regs.ttbr0Lo >>> 0);
  }
}

/** A walk's fault as the shadow MMU carries it: 1 | kind << 1 | level << 5 | domain << 8 (never 0). */
export function encodeArmFault(kind: number, level: number, domain: number): number {
  return 1 | (kind << 1) | (level << 5) | (domain << 8);
}

export function faultKindOf(code: number): number {
  return (code >>> 1) & 0xf;
}

export function faultLevelOf(code: number): number {
  return (code >>> 5) & 7;
}

export function faultDomainOf(code: number): number {
  return (code >>> 8) & 0xf;
}

/** Guest-physical reads for the core's walkers; an address outside guest memory is an external abort on the walk. */
class GuestTableReader implements DescriptorMemory {
  walkAborted = false;
  memory: PageTableMemory | null = null;

  readDescriptor32(gpa: number): number {
    const m = this.memory!;
    if (!m.isMemory(gpa)) {
      this.walkAborted = true;
      return 0;
    }
    return m.read32(gpa);
  }
}
