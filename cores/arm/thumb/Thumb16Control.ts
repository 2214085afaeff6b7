import type { Encoding } from '../decode/DecodeTable.ts';
import { currentInstructionAddress, takePrefetchAbort, takeSupervisorCall } from '../Exceptions.ts';
import { FaultInfo, FaultKind } from '../mmu/Fault.ts';
import { branchWritePc, itAdvance, undefinedThumb, type ThumbHandler } from './ThumbPseudocode.ts';

/**
 * 16-bit branches and control (ARM ARM A6.2.3 BX/BLX, A6.2.5 miscellaneous:
 * CBZ/CBNZ, IT, hints, CPS, SETEND, BKPT; A6.2.6 conditional branch, UDF
 * and SVC; B T2). Branch offsets are relative to the PC as read, the
 * instruction's address + 4.
 */

/** BX T1 (A8.8.27): interworking branch (BXWritePC). */
const BX: ThumbHandler = (c, i) => c.branchExchange(c.r[(i >>> 3) & 15]);

/** BLX (register) T1 (A8.8.26): LR = next instruction with bit 0 set (return to Thumb). */
const BLX_reg: ThumbHandler = (c, i) => {
  const target = c.r[(i >>> 3) & 15];
  c.r[14] = (c.r[15] - 2) | 1;
  c.branchExchange(target);
};

/** CBZ/CBNZ (A8.8.29): compare Rn with zero and branch forward by i:imm5:'0'; flags untouched. */
const CBZ: ThumbHandler = (c, i) => {
  const zero = c.r[i & 7] === 0;
  const nonzero = (i & 0x800) !== 0;
  if (zero !== nonzero) branchWritePc(c, c.r[15] + (((i >>> 3) & 0x40) | ((i >>> 2) & 0x3e)));
};

/**
 * IT (A8.8.55): ITSTATE = firstcond:mask. The executor applies the
 * condition to each following instruction and advances ITSTATE after it.
 */
const IT: ThumbHandler = (c, i) => {
  c.it = i & 0xff;
};

const NOP: ThumbHandler = () => {};
const WFE: ThumbHandler = (c) => c.waitForEvent();
const WFI: ThumbHandler = (c) => c.waitForInterrupt();
const SEV: ThumbHandler = (c) => c.sendEvent();

/**
 * CPS T1 (B9.3.2): im = 1 sets (CPSID), 0 clears (CPSIE) the selected A/I/F
 * masks; no mode change in this encoding. A NOP in User mode.
 */
const CPS: ThumbHandler = (c, i) => {
  if (!c.privileged) return;
  const bits = ((i & 4) << 6) | ((i & 2) << 6) | ((i & 1) << 6);
  const value = (i & 0x10) !== 0 ? c.cpsr | bits : c.cpsr & ~bits;
  c.writeCpsrByInstruction(value, 2 | 1);
};

/** SETEND T1 (A8.8.168): CPSR.E selects big-endian data accesses. */
const SETEND: ThumbHandler = (c, i) => {
  c.endianBig = (i >>> 3) & 1;
  c.updateTlbBases();
};

const debugEvent = new FaultInfo();
debugEvent.set(FaultKind.Debug, 1, 0);

/** BKPT T1 (A8.8.24): a debug event, taken as a Prefetch Abort with IFSR = debug (C4.4.2); LR = address + 4. */
const BKPT: ThumbHandler = (c) => {
  const pc = currentInstructionAddress(c);
  takePrefetchAbort(c, pc, pc, debugEvent);
};

/** B T1 (A8.8.18): conditional, SignExtend(imm8:'0'). */
const B_cond: ThumbHandler = (c, i) => {
  if (c.conditionPassed((i >>> 8) & 15)) branchWritePc(c, c.r[15] + ((i << 24) >> 23));
};

/** B T2: SignExtend(imm11:'0'). */
const B: ThumbHandler = (c, i) => {
  branchWritePc(c, c.r[15] + ((i << 21) >> 20));
};

/**
 * SVC T1 (A8.8.228): LR = next instruction. TakeSVCException advances
 * ITSTATE first, so SPSR_svc holds the state of the instruction after it.
 */
const SVC: ThumbHandler = (c, i) => {
  if (c.it !== 0) c.it = itAdvance(c.it);
  takeSupervisorCall(c, i & 0xff);
};

export const thumb16ControlEncodings: Encoding<ThumbHandler>[] = [
  { name: 'BX T1', pattern: '010001 11 0 mmmm (0)(0)(0)', exec: BX },
  { name: 'BLX (register) T1', pattern: '010001 11 1 mmmm (0)(0)(0)', exec: BLX_reg },
  { name: 'CBZ/CBNZ T1', pattern: '1011 o 0 i 1 iiiii nnn', exec: CBZ },
  { name: 'SETEND T1', pattern: '1011 0110 010 (1) E (0)(0)(0)', exec: SETEND },
  { name: 'CPS T1', pattern: '1011 0110 011 m (0) AIF', exec: CPS },
  { name: 'BKPT T1', pattern: '1011 1110 iiiiiiii', exec: BKPT },
  { name: 'IT T1', pattern: '1011 1111 cccc mmmm', exec: IT, unless: ['---- ---- ---- 0000'] },
  { name: 'NOP T1', pattern: '1011 1111 0000 0000', exec: NOP },
  { name: 'YIELD T1', pattern: '1011 1111 0001 0000', exec: NOP },
  { name: 'WFE T1', pattern: '1011 1111 0010 0000', exec: WFE },
  { name: 'WFI T1', pattern: '1011 1111 0011 0000', exec: WFI },
  { name: 'SEV T1', pattern: '1011 1111 0100 0000', exec: SEV },
  // Hint numbers 5–15 are unallocated and execute as NOPs (A6.2.5).
  { name: 'unallocated hint', pattern: '1011 1111 oooo 0000', exec: NOP, unless: ['---- ---- 0000 ----', '---- ---- 0001 ----', '---- ---- 0010 ----', '---- ---- 0011 ----', '---- ---- 0100 ----'] },
  { name: 'B T1', pattern: '1101 cccc iiiiiiii', exec: B_cond, unless: ['---- 111- ---- ----'] },
  { name: 'UDF T1', pattern: '1101 1110 iiiiiiii', exec: undefinedThumb },
  { name: 'SVC T1', pattern: '1101 1111 iiiiiiii', exec: SVC },
  { name: 'B T2', pattern: '11100 iiiiiiiiiii', exec: B },
];
