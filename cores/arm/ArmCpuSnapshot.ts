import { capturePlainFields, restorePlainFields, type PlainFieldState } from '../../src/snapshot/PlainFields.ts';
import type { ArmCpu } from './ArmCpu.ts';
import type { GenericTimerSnapshot } from './GenericTimer.ts';

/**
 * Everything of an ARM core that affects what it does next (ARM ARM B1.3
 * core registers of every mode, CPSR and SPSRs; B4 CP15; C11 CP14; the VFP
 * and Advanced SIMD register file; A3.4 the local exclusive monitor; B8 the
 * generic timer; the TLB, whose entries software may rely on until it
 * invalidates them) plus the core's input lines and WFI/WFE/power state.
 *
 * Left out, rebuilt as the core runs: the soft TLB, decoded pages and JIT
 * code (ArmCpu.forgetCachedMemory), and debugger state (breakpoints,
 * watchpoints and single step belong to the gdb session, not the machine).
 */
export interface ArmCpuSnapshot {
  readonly r: Int32Array;
  readonly nextPc: number;
  /** CPSR fields as ArmState keeps them, unpacked. */
  readonly psr: {
    readonly n: number; readonly z: number; readonly c: number; readonly v: number; readonly q: number; readonly ge: number;
    readonly mode: number; readonly thumb: number; readonly endianBig: number; readonly masks: number; readonly it: number; readonly jazelle: number;
  };
  readonly bankedSp: Int32Array;
  readonly bankedLr: Int32Array;
  readonly spsr: Int32Array;
  readonly usrHigh: Int32Array;
  readonly fiqHigh: Int32Array;
  readonly elrHyp: number;
  readonly cp15: PlainFieldState;
  readonly cp14: PlainFieldState;
  readonly vfp: { readonly words: Int32Array; readonly fpscr: number; readonly fpexc: number };
  readonly timer: GenericTimerSnapshot;
  readonly tlb: PlainFieldState;
  readonly exclusive: { readonly address: number; readonly size: number; readonly low: number; readonly high: number };
  readonly eventRegister: boolean;
  /** IRQ, FIQ, virtual IRQ, virtual FIQ input levels. */
  readonly inputs: readonly [boolean, boolean, boolean, boolean];
  readonly wait: { readonly idle: boolean; readonly forEvent: boolean; readonly off: boolean };
  readonly interruptsHeld: boolean;
  readonly instructionCount: number;
  /** Walk counters of a host core (a vCPU's belong to its VM's PagingCounters, saved with the VM). */
  readonly walkCounters?: { readonly walks: number; readonly walkMemoryReferences: number; readonly guestPageFaults: number };
}

export function captureArmCpu(cpu: ArmCpu, withWalkCounters: boolean): ArmCpuSnapshot {
  const c = cpu.mmu.counters;
  return {
    r: cpu.r.slice(),
    nextPc: cpu.nextPc,
    psr: {
      n: cpu.n, z: cpu.z, c: cpu.c, v: cpu.v, q: cpu.q, ge: cpu.ge,
      mode: cpu.mode, thumb: cpu.thumb, endianBig: cpu.endianBig, masks: cpu.masks, it: cpu.it, jazelle: cpu.jazelle,
    },
    bankedSp: cpu.bankedSp.slice(),
    bankedLr: cpu.bankedLr.slice(),
    spsr: cpu.spsr.slice(),
    usrHigh: cpu.usrHigh.slice(),
    fiqHigh: cpu.fiqHigh.slice(),
    elrHyp: cpu.elrHyp,
    cp15: capturePlainFields(cpu.sys),
    cp14: capturePlainFields(cpu.debug),
    vfp: { words: cpu.vfp.words.slice(), fpscr: cpu.vfp.fpscr, fpexc: cpu.vfp.fpexc },
    timer: cpu.timer.snapshot(),
    tlb: capturePlainFields(cpu.tlb),
    exclusive: { address: cpu.exclusiveAddress, size: cpu.exclusiveSize, low: cpu.exclusiveLow, high: cpu.exclusiveHigh },
    eventRegister: cpu.eventRegister,
    inputs: [cpu.irqLevel, cpu.fiqLevel, cpu.virqLevel, cpu.vfiqLevel],
    wait: cpu.waitState,
    interruptsHeld: cpu.interruptsHeld,
    instructionCount: cpu.instructionCount,
    ...(withWalkCounters ? { walkCounters: { walks: c.walks, walkMemoryReferences: c.walkMemoryReferences, guestPageFaults: c.guestPageFaults } } : {}),
  };
}

/**
 * Put a snapshot back into a core of the same model. The clock's time must be
 * restored first (the timer re-arms its events from it), and interrupt
 * controllers before the core (their outputs drive its input lines, which are
 * then set to the saved levels here, with the saved WFI state).
 */
export function restoreArmCpu(cpu: ArmCpu, s: ArmCpuSnapshot): void {
  cpu.r.set(s.r);
  cpu.nextPc = s.nextPc;
  const p = s.psr;
  cpu.n = p.n; cpu.z = p.z; cpu.c = p.c; cpu.v = p.v; cpu.q = p.q; cpu.ge = p.ge;
  cpu.thumb = p.thumb; cpu.endianBig = p.endianBig; cpu.masks = p.masks; cpu.it = p.it; cpu.jazelle = p.jazelle;
  // `r` already holds the saved mode's view of the banked registers: set the mode without switching banks.
  cpu.mode = p.mode;
  cpu.privileged = p.mode === 0x10 ? 0 : 1;
  cpu.bankedSp.set(s.bankedSp);
  cpu.bankedLr.set(s.bankedLr);
  cpu.spsr.set(s.spsr);
  cpu.usrHigh.set(s.usrHigh);
  cpu.fiqHigh.set(s.fiqHigh);
  cpu.elrHyp = s.elrHyp;
  restorePlainFields(cpu.sys, s.cp15, `${cpu.name} CP15`);
  restorePlainFields(cpu.debug, s.cp14, `${cpu.name} CP14`);
  cpu.vfp.words.set(s.vfp.words);
  cpu.vfp.fpscr = s.vfp.fpscr;
  cpu.vfp.fpexc = s.vfp.fpexc;
  restorePlainFields(cpu.tlb, s.tlb, `${cpu.name} TLB`);
  cpu.exclusiveAddress = s.exclusive.address;
  cpu.exclusiveSize = s.exclusive.size;
  cpu.exclusiveLow = s.exclusive.low;
  cpu.exclusiveHigh = s.exclusive.high;
  cpu.eventRegister = s.eventRegister;
  cpu.interruptsHeld = s.interruptsHeld;
  cpu.instructionCount = s.instructionCount;
  if (s.walkCounters !== undefined) Object.assign(cpu.mmu.counters, s.walkCounters);
  cpu.hostTrapVector = -1;
  cpu.timer.restore(s.timer);
  // Derived state: trap checks (HCR, HSTR, HCPTR, CNTHCTL), soft-TLB contexts, cached translations and code.
  cpu.hypTrapConfigChanged();
  cpu.forgetCachedMemory();
  [cpu.irqLevel, cpu.fiqLevel, cpu.virqLevel, cpu.vfiqLevel] = s.inputs;
  cpu.setWaitState(s.wait);
}
