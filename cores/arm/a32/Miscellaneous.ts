import { ArmMode, Bank } from '../ArmState.ts';
import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import {
  takeHypervisorCall,
  takePrefetchAbort,
  takeSecureMonitorCall,
  takeSupervisorCall,
  currentInstructionAddress,
} from '../Exceptions.ts';
import { trapSmc } from '../HypTraps.ts';
import { handlePsciCall } from '../Psci.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import { FaultInfo, FaultKind } from '../mmu/Fault.ts';

/**
 * Miscellaneous instructions (A5.2.12), hints (A5.2.11), the barriers,
 * preload hints and CLREX of the unconditional space (A5.7.1), SVC (A5.6),
 * CLZ and the saturating add/subtract group, and exception-generating
 * instructions (BKPT, HVC, SMC, ERET, UDF).
 */

// --- hints -----------------------------------------------------------------------

const NOP: A32Handler = () => {};
/** WFI (A8.8.426): idle until an interrupt is pending (Cpu.idle, run returns Idle). */
const WFI: A32Handler = (c) => c.waitForInterrupt();
/** WFE (A8.8.425): consume the event register or idle until an event or interrupt. */
const WFE: A32Handler = (c) => c.waitForEvent();
/** SEV (A8.8.168). */
const SEV: A32Handler = (c) => c.sendEvent();

/** Barriers order memory, which a sequential model already does; ISB also refetches. */
const BARRIER: A32Handler = NOP;
const ISB: A32Handler = (c) => {
  c.exitInner = true;
};
/** CLREX (A8.8.32): clear the local exclusive monitor. */
const CLREX: A32Handler = (c) => {
  c.exclusiveAddress = -1;
};

// --- CLZ, saturating arithmetic -------------------------------------------------

/** CLZ (A8.8.33). */
const CLZ: A32Handler = (c, i) => {
  c.r[(i >>> 12) & 15] = Math.clz32(c.r[i & 15]);
};

/** Signed saturation to 32 bits, setting Q when it clips. */
function saturate32(c: ArmCpu, v: number): number {
  if (v > 0x7fffffff) {
    c.q = 1;
    return 0x7fffffff;
  }
  if (v < -0x80000000) {
    c.q = 1;
    return -0x80000000;
  }
  return v;
}

/** QADD (A8.8.119): Rd = sat(Rm + Rn); QSUB (A8.8.126) Rm − Rn; QDADD/QDSUB double Rn first (saturating). */
const QADD: A32Handler = (c, i) => {
  c.r[(i >>> 12) & 15] = saturate32(c, c.r[i & 15] + c.r[(i >>> 16) & 15]);
};
const QSUB: A32Handler = (c, i) => {
  c.r[(i >>> 12) & 15] = saturate32(c, c.r[i & 15] - c.r[(i >>> 16) & 15]);
};
const QDADD: A32Handler = (c, i) => {
  const doubled = saturate32(c, 2 * c.r[(i >>> 16) & 15]);
  c.r[(i >>> 12) & 15] = saturate32(c, c.r[i & 15] + doubled);
};
const QDSUB: A32Handler = (c, i) => {
  const doubled = saturate32(c, 2 * c.r[(i >>> 16) & 15]);
  c.r[(i >>> 12) & 15] = saturate32(c, c.r[i & 15] - doubled);
};

// --- exception generation -------------------------------------------------------

/** SVC (A8.8.228): Supervisor Call. */
const SVC: A32Handler = (c, i) => takeSupervisorCall(c, i & 0xffff);

const debugEvent = new FaultInfo();
debugEvent.set(FaultKind.Debug, 1, 0);

/**
 * BKPT (A8.8.24): with halting debug disabled it is a debug exception taken
 * as a Prefetch Abort with IFSR = debug event (C4.4.2). A debugger attached
 * through the gdb stub uses its own breakpoints.
 */
const BKPT: A32Handler = (c) => {
  const pc = currentInstructionAddress(c);
  takePrefetchAbort(c, pc, pc, debugEvent);
};

/**
 * HVC (B9.3.4): PSCI when the board routes PSCI through HVC; otherwise a
 * Hypervisor Call to Hyp mode with the Virtualization Extensions.
 * UNDEFINED at PL0, and without the extensions.
 */
const HVC: A32Handler = (c, i) => {
  if (!c.privileged) return c.undefinedInstruction(i);
  if (c.psci === 'hvc') {
    handlePsciCall(c);
    return;
  }
  if (!c.virtualization) return c.undefinedInstruction(i);
  takeHypervisorCall(c, ((i >>> 4) & 0xfff0) | (i & 0xf));
};

/**
 * SMC (B9.3.14): trapped to Hyp mode by HCR.TSC; else PSCI when routed
 * through SMC, else a Secure Monitor Call with the Security Extensions.
 */
const SMC: A32Handler = (c, i) => {
  if (!c.privileged) return c.undefinedInstruction(i);
  if (c.hypTraps && trapSmc(c)) return;
  if (c.psci === 'smc') {
    handlePsciCall(c);
    return;
  }
  if (!c.security) return c.undefinedInstruction(i);
  c.exclusiveAddress = -1;
  takeSecureMonitorCall(c);
};

/**
 * ERET (B9.3.3): in Hyp mode return to ELR_hyp with SPSR_hyp; in other PL1
 * modes it behaves as SUBS PC, LR, #0. UNDEFINED at PL0.
 */
const ERET: A32Handler = (c, i) => {
  if (!c.privileged) return c.undefinedInstruction(i);
  if (c.mode === ArmMode.Hyp) {
    c.exceptionReturn(c.elrHyp, c.spsr[Bank.Hyp]);
    return;
  }
  if (c.mode === ArmMode.Sys) return c.undefinedInstruction(i);
  c.exceptionReturn(c.r[14], c.currentSpsr);
};

/** UDF (A8.8.247): permanently UNDEFINED. */
const UDF: A32Handler = (c, i) => c.undefinedInstruction(i);

export const miscellaneousEncodings: Encoding<A32Handler>[] = [
  { name: 'NOP', pattern: 'cccc 0011 0010 0000 (1)(1)(1)(1) (0)(0)(0)(0) 0000 0000', exec: NOP },
  { name: 'YIELD', pattern: 'cccc 0011 0010 0000 (1)(1)(1)(1) (0)(0)(0)(0) 0000 0001', exec: NOP },
  { name: 'WFE', pattern: 'cccc 0011 0010 0000 (1)(1)(1)(1) (0)(0)(0)(0) 0000 0010', exec: WFE },
  { name: 'WFI', pattern: 'cccc 0011 0010 0000 (1)(1)(1)(1) (0)(0)(0)(0) 0000 0011', exec: WFI },
  { name: 'SEV', pattern: 'cccc 0011 0010 0000 (1)(1)(1)(1) (0)(0)(0)(0) 0000 0100', exec: SEV },
  { name: 'DBG', pattern: 'cccc 0011 0010 0000 (1)(1)(1)(1) (0)(0)(0)(0) 1111 oooo', exec: NOP },
  // Other hint numbers are reserved and execute as NOPs (A5.2.11).
  { name: 'reserved hint', pattern: 'cccc 0011 0010 0000 (1)(1)(1)(1) (0)(0)(0)(0) oooo oooo', exec: NOP, unless: ['---- ---- ---- ---- ---- ---- 0000 0---', '---- ---- ---- ---- ---- ---- 1111 ----'] },
  { name: 'reserved hint', pattern: 'cccc 0011 0010 0000 (1)(1)(1)(1) (0)(0)(0)(0) 0000 0ooo', exec: NOP, unless: ['---- ---- ---- ---- ---- ---- 0000 00--', '---- ---- ---- ---- ---- ---- 0000 0100'] },

  { name: 'CLZ', pattern: 'cccc 0001 0110 (1)(1)(1)(1) dddd (1)(1)(1)(1) 0001 mmmm', exec: CLZ },
  { name: 'QADD', pattern: 'cccc 0001 0000 nnnn dddd (0)(0)(0)(0) 0101 mmmm', exec: QADD },
  { name: 'QSUB', pattern: 'cccc 0001 0010 nnnn dddd (0)(0)(0)(0) 0101 mmmm', exec: QSUB },
  { name: 'QDADD', pattern: 'cccc 0001 0100 nnnn dddd (0)(0)(0)(0) 0101 mmmm', exec: QDADD },
  { name: 'QDSUB', pattern: 'cccc 0001 0110 nnnn dddd (0)(0)(0)(0) 0101 mmmm', exec: QDSUB },

  { name: 'SVC', pattern: 'cccc 1111 iiii iiii iiii iiii iiii iiii', exec: SVC },
  { name: 'BKPT', pattern: 'cccc 0001 0010 iiii iiii iiii 0111 iiii', exec: BKPT },
  { name: 'HVC', pattern: 'cccc 0001 0100 iiii iiii iiii 0111 iiii', exec: HVC },
  { name: 'SMC', pattern: 'cccc 0001 0110 (0)(0)(0)(0) (0)(0)(0)(0) (0)(0)(0)(0) 0111 iiii', exec: SMC },
  { name: 'ERET', pattern: 'cccc 0001 0110 (0)(0)(0)(0) (0)(0)(0)(0) (0)(0)(0)(0) 0110 1110', exec: ERET },
  { name: 'UDF', pattern: 'cccc 0111 1111 iiii iiii iiii 1111 iiii', exec: UDF },

  { name: 'CLREX', pattern: '1111 0101 0111 (1)(1)(1)(1) (1)(1)(1)(1) (0)(0)(0)(0) 0001 (1)(1)(1)(1)', exec: CLREX },
  { name: 'DSB', pattern: '1111 0101 0111 (1)(1)(1)(1) (1)(1)(1)(1) (0)(0)(0)(0) 0100 oooo', exec: BARRIER },
  { name: 'DMB', pattern: '1111 0101 0111 (1)(1)(1)(1) (1)(1)(1)(1) (0)(0)(0)(0) 0101 oooo', exec: BARRIER },
  { name: 'ISB', pattern: '1111 0101 0111 (1)(1)(1)(1) (1)(1)(1)(1) (0)(0)(0)(0) 0110 oooo', exec: ISB },
  { name: 'PLD, PLDW (immediate)', pattern: '1111 0101 UR01 nnnn (1)(1)(1)(1) iiii iiii iiii', exec: NOP },
  { name: 'PLD, PLDW (register)', pattern: '1111 0111 UR01 nnnn (1)(1)(1)(1) iiii itt0 mmmm', exec: NOP },
  { name: 'PLI (immediate)', pattern: '1111 0100 U101 nnnn (1)(1)(1)(1) iiii iiii iiii', exec: NOP },
  { name: 'PLI (register)', pattern: '1111 0110 U101 nnnn (1)(1)(1)(1) iiii itt0 mmmm', exec: NOP },
];
