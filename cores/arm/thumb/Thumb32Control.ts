import { ArmMode, Bank } from '../ArmState.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import { takeHypervisorCall, takeSecureMonitorCall } from '../Exceptions.ts';
import { trapSmc } from '../HypTraps.ts';
import { handlePsciCall } from '../Psci.ts';
import { a32Equivalent } from './A32Equivalents.ts';
import { branchWritePc, itWrite, undefinedThumb, type ThumbHandler } from './ThumbPseudocode.ts';

/**
 * Branches and miscellaneous control (ARM ARM A6.3.4): B T3/T4, BL, BLX
 * (immediate), MSR/MRS (also banked), CPS, the hints, CLREX and the
 * barriers, BXJ, SUBS PC, LR (ERET), HVC, SMC and UDF.
 *
 * Branch offsets are constant, so they are worked out once when the
 * instruction is decoded. The PC reads as the address + 4.
 */

/** B T3 (conditional): SignExtend(S:J2:J1:imm6:imm11:'0', 32). */
function conditionalOffset(i: number): number {
  const v = (((i >>> 26) & 1) << 20) | (((i >>> 11) & 1) << 19) | (((i >>> 13) & 1) << 18) | (((i >>> 16) & 0x3f) << 12) | ((i & 0x7ff) << 1);
  return (v << 11) >> 11;
}

/** B T4, BL, BLX: I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S); SignExtend(S:I1:I2:imm10:imm11:'0', 32) (A8.8.18, A8.8.25). */
function longOffset(i: number): number {
  const s = (i >>> 26) & 1;
  const i1 = 1 ^ ((i >>> 13) & 1) ^ s;
  const i2 = 1 ^ ((i >>> 11) & 1) ^ s;
  const v = (s << 24) | (i1 << 23) | (i2 << 22) | (((i >>> 16) & 0x3ff) << 12) | ((i & 0x7ff) << 1);
  return (v << 7) >> 7;
}

function conditionalBranch(i: number): ThumbHandler {
  const cond = (i >>> 22) & 15;
  const offset = conditionalOffset(i);
  return (c) => {
    if (c.conditionPassed(cond)) branchWritePc(c, c.r[15] + offset);
  };
}

function branch(i: number): ThumbHandler {
  const offset = longOffset(i);
  return (c) => branchWritePc(c, c.r[15] + offset);
}

/** BL T1: LR = next instruction | 1, then branch (Thumb to Thumb). */
function branchWithLink(i: number): ThumbHandler {
  const offset = longOffset(i);
  return (c) => {
    const pc = c.r[15];
    c.r[14] = pc | 1;
    branchWritePc(c, pc + offset);
  };
}

/** BLX (immediate) T2: LR = next | 1, then to ARM state at Align(PC, 4) + offset (imm10L:'00'). */
function branchWithLinkExchange(i: number): ThumbHandler {
  const offset = longOffset(i) & ~3;
  return (c) => {
    const pc = c.r[15];
    c.r[14] = pc | 1;
    c.branchExchange(((pc & ~3) + offset) & ~3);
  };
}

/** Run a decode-time binding on each execution (tools that call `exec` directly). */
const unbound = (bind: (i: number) => ThumbHandler): ThumbHandler => (c, i) => bind(i)(c, i);

// --- status registers: the A32 MSR/MRS on the equivalent A32 word (B9.3.8–B9.3.12) ------

/** MSR (register) T1: A32 cccc 0001 0R10 mask 1111 0000 0000 Rn. */
const msr = (i: number) => a32Equivalent(0xe120f000 | (((i >>> 20) & 1) << 22) | (((i >>> 8) & 15) << 16) | ((i >>> 16) & 15));

/** MSR (banked register) T1: A32 cccc 0001 0R10 m1 1111 001M 0000 Rn. */
const msrBanked = (i: number) =>
  a32Equivalent(0xe120f200 | (((i >>> 20) & 1) << 22) | (((i >>> 8) & 15) << 16) | (((i >>> 4) & 1) << 8) | ((i >>> 16) & 15));

/** MRS T1: A32 cccc 0001 0R00 1111 Rd 0000 0000 0000. */
const mrs = (i: number) => a32Equivalent(0xe10f0000 | (((i >>> 20) & 1) << 22) | (((i >>> 8) & 15) << 12));

/** MRS (banked register) T1: A32 cccc 0001 0R00 m1 Rd 001M 0000 0000. */
const mrsBanked = (i: number) =>
  a32Equivalent(0xe1000200 | (((i >>> 20) & 1) << 22) | (((i >>> 16) & 15) << 16) | (((i >>> 8) & 15) << 12) | (((i >>> 4) & 1) << 8));

/**
 * CPS T2 (B9.3.2): imod 10 clears and 11 sets the selected A/I/F masks, M
 * changes mode. A NOP in User mode.
 */
const CPS: ThumbHandler = (c, i) => {
  if (!c.privileged) return;
  const imod = (i >>> 9) & 3;
  const bits = ((i >>> 5) & 7) << 6;
  let value = c.cpsr;
  if (imod === 2) value &= ~bits;
  else if (imod === 3) value |= bits;
  if ((i & 0x100) !== 0) value = (value & ~0x1f) | (i & 0x1f);
  c.writeCpsrByInstruction(value, 2 | 1);
};

// --- hints and barriers (A8.8.x, A3.8.3) -------------------------------------------------

const NOP: ThumbHandler = () => {};
const WFE: ThumbHandler = (c) => c.waitForEvent();
const WFI: ThumbHandler = (c) => c.waitForInterrupt();
const SEV: ThumbHandler = (c) => c.sendEvent();
/** CLREX (A8.8.32): clear the local exclusive monitor. */
const CLREX: ThumbHandler = (c) => {
  c.exclusiveAddress = -1;
};
/** DSB/DMB order memory, which a sequential model already does. */
const BARRIER: ThumbHandler = NOP;
/** ISB: later instructions are fetched again (leave the inner loop so translation changes apply). */
const ISB: ThumbHandler = (c) => {
  c.exitInner = true;
};

/** BXJ T1 (A8.8.28): with the trivial Jazelle extension, BX. */
const BXJ: ThumbHandler = (c, i) => c.branchExchange(c.r[(i >>> 16) & 15]);

/**
 * SUBS PC, LR, #imm8 T1 (B9.3.19) and ERET T1 (its imm8 = 0 form, B9.3.3):
 * CPSR ← SPSR, then PC = LR − imm8 (in Hyp mode ERET returns to ELR_hyp;
 * a non-zero imm8 there is UNDEFINED). UNPREDICTABLE in User and System
 * mode, where it is UNDEFINED here. The return loads ITSTATE from the SPSR.
 */
const SUBS_PC_LR: ThumbHandler = (c, i) => {
  const imm8 = i & 0xff;
  if (!c.privileged || c.mode === ArmMode.Sys) return undefinedThumb(c, i);
  const inItBlock = c.it !== 0;
  if (c.mode === ArmMode.Hyp) {
    if (imm8 !== 0) return undefinedThumb(c, i);
    c.exceptionReturn(c.elrHyp, c.spsr[Bank.Hyp]);
  } else c.exceptionReturn((c.r[14] - imm8) | 0, c.currentSpsr);
  if (inItBlock) itWrite.byHandler = true;
};

/** HVC T1 (B9.3.4): PSCI when the board routes it through HVC, else a Hypervisor Call; UNDEFINED at PL0. */
const HVC: ThumbHandler = (c, i) => {
  if (!c.privileged) return undefinedThumb(c, i);
  if (c.psci === 'hvc') {
    handlePsciCall(c);
    return;
  }
  if (!c.virtualization) return undefinedThumb(c, i);
  takeHypervisorCall(c, ((i >>> 4) & 0xf000) | (i & 0xfff));
};

/** SMC T1 (B9.3.14): trapped by HCR.TSC; else PSCI when routed through SMC, else a Secure Monitor Call with the Security Extensions. */
const SMC: ThumbHandler = (c, i) => {
  if (!c.privileged) return undefinedThumb(c, i);
  if (c.hypTraps && trapSmc(c)) return;
  if (c.psci === 'smc') {
    handlePsciCall(c);
    return;
  }
  if (!c.security) return undefinedThumb(c, i);
  c.exclusiveAddress = -1;
  takeSecureMonitorCall(c);
};

const HINTS = '11110 0111 010 (1)(1)(1)(1) 10 (0) 0 (0) 000';
const MISC_CONTROL = '11110 0111 011 (1)(1)(1)(1) 10 (0) 0 (1)(1)(1)(1)';

export const thumb32ControlEncodings: Encoding<ThumbHandler>[] = [
  {
    name: 'B T3',
    pattern: '11110 S cccc iiiiii 10 J 0 K iiiiiiiiiii',
    exec: unbound(conditionalBranch),
    specialize: conditionalBranch,
    unless: ['---- --11 1--- ---- ---- ---- ---- ----'],
  },
  { name: 'B T4', pattern: '11110 S iiiiiiiiii 10 J 1 K iiiiiiiiiii', exec: unbound(branch), specialize: branch },
  { name: 'BL T1', pattern: '11110 S iiiiiiiiii 11 J 1 K iiiiiiiiiii', exec: unbound(branchWithLink), specialize: branchWithLink },
  {
    name: 'BLX (immediate) T2',
    pattern: '11110 S iiiiiiiiii 11 J 0 K iiiiiiiiii 0',
    exec: unbound(branchWithLinkExchange),
    specialize: branchWithLinkExchange,
  },

  { name: 'MSR (register) T1', pattern: '11110 0111 00 R nnnn 10 (0) 0 kkkk (0)(0) 0 (0)(0)(0)(0)(0)', exec: unbound(msr), specialize: msr },
  { name: 'MSR (banked register) T1', pattern: '11110 0111 00 R nnnn 10 (0) 0 mmmm (0)(0) 1 M (0)(0)(0)(0)', exec: unbound(msrBanked), specialize: msrBanked },
  { name: 'MRS T1', pattern: '11110 0111 11 R (1)(1)(1)(1) 10 (0) 0 dddd (0)(0) 0 (0)(0)(0)(0)(0)', exec: unbound(mrs), specialize: mrs },
  { name: 'MRS (banked register) T1', pattern: '11110 0111 11 R mmmm 10 (0) 0 dddd (0)(0) 1 M (0)(0)(0)(0)', exec: unbound(mrsBanked), specialize: mrsBanked },

  { name: 'CPS T2', pattern: '11110 0111 010 (1)(1)(1)(1) 10 (0) 0 (0) ii M AIF ooooo', exec: CPS, unless: ['---- ---- ---- ---- ---- -000 ---- ----'] },
  { name: 'NOP T2', pattern: `${HINTS} 00000000`, exec: NOP },
  { name: 'YIELD T2', pattern: `${HINTS} 00000001`, exec: NOP },
  { name: 'WFE T2', pattern: `${HINTS} 00000010`, exec: WFE },
  { name: 'WFI T2', pattern: `${HINTS} 00000011`, exec: WFI },
  { name: 'SEV T2', pattern: `${HINTS} 00000100`, exec: SEV },
  { name: 'DBG T1', pattern: `${HINTS} 1111 oooo`, exec: NOP },
  // Other hint numbers are unallocated and execute as NOPs (A6.3.4).
  {
    name: 'unallocated hint',
    pattern: `${HINTS} oooooooo`,
    exec: NOP,
    unless: ['---- ---- ---- ---- ---- ---- 0000 0---', '---- ---- ---- ---- ---- ---- 1111 ----'],
  },
  { name: 'unallocated hint', pattern: `${HINTS} 00000 ooo`, exec: NOP, unless: ['---- ---- ---- ---- ---- ---- 0000 00--', '---- ---- ---- ---- ---- ---- 0000 0100'] },

  { name: 'CLREX T1', pattern: `${MISC_CONTROL} 0010 (1)(1)(1)(1)`, exec: CLREX },
  { name: 'DSB T1', pattern: `${MISC_CONTROL} 0100 oooo`, exec: BARRIER },
  { name: 'DMB T1', pattern: `${MISC_CONTROL} 0101 oooo`, exec: BARRIER },
  { name: 'ISB T1', pattern: `${MISC_CONTROL} 0110 oooo`, exec: ISB },

  { name: 'BXJ T1', pattern: '11110 0111 100 mmmm 10 (0) 0 (1)(1)(1)(1) (0)(0)(0)(0)(0)(0)(0)(0)', exec: BXJ },
  { name: 'SUBS PC, LR and related instructions / ERET T1', pattern: '11110 0111 101 (1)(1)(1)(0) 10 (0) 0 (1)(1)(1)(1) iiiiiiii', exec: SUBS_PC_LR },
  { name: 'HVC T1', pattern: '11110 1111 110 iiii 1000 iiiiiiiiiiii', exec: HVC },
  { name: 'SMC T1', pattern: '11110 1111 111 iiii 1000 (0)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)', exec: SMC },
  { name: 'UDF T2', pattern: '11110 1111 111 iiii 1010 iiiiiiiiiiii', exec: undefinedThumb },
];
