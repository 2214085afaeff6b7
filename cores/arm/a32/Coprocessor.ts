import type { A32Handler, ArmCpu } from '../ArmCpu.ts';
import {
  findSystemRegister32,
  findSystemRegister64,
  mayAccess,
  type SystemRegister32,
  type SystemRegister64,
} from '../Cp15Registers.ts';
import { findDebugRegister, mayAccessDebug } from '../Cp14DebugRegisters.ts';
import { trapCp14Access, trapCp14Access64, trapCp15Access32, trapCp15Access64, trapThumbEeAccess } from '../HypTraps.ts';
import type { Encoding } from '../decode/DecodeTable.ts';

/**
 * CP15 and CP14 accesses (A5.6, A8.8.98 MCR, A8.8.108 MRC, A8.8.99 MCRR,
 * A8.8.107 MRRC) bound at decode time to the register they name (see
 * Cp15Registers.ts and Cp14DebugRegisters.ts), so executing one does no
 * look-up. Registers the core does not have, and accesses the current mode
 * may not make, are UNDEFINED. Coprocessors other than CP14, CP15 and the
 * VFP/Advanced SIMD ones (CP10/CP11, in vfp/) are absent: their encodings
 * are not in the table and so are UNDEFINED. With a hypervisor's traps
 * configured (`cpu.hypTraps`), CP15 accesses are checked against them first
 * (HypTraps.ts).
 */

// Whether a Hyp- or Security-only register exists depends on the core, so
// each bound handler resolves its register on first use by a core and keeps it.

function mrcFor(word: number): A32Handler {
  const opc1 = (word >>> 21) & 7;
  const crn = (word >>> 16) & 15;
  const t = (word >>> 12) & 15;
  const opc2 = (word >>> 5) & 7;
  const crm = word & 15;
  let reg: SystemRegister32 | undefined;
  let resolvedFor: ArmCpu | null = null;
  return (c, i) => {
    if (resolvedFor !== c) {
      reg = findSystemRegister32(c, opc1, crn, crm, opc2);
      resolvedFor = c;
    }
    if (c.hypTraps && trapCp15Access32(c, reg, opc1, crn, crm, opc2, t, true)) return;
    if (reg === undefined || reg.read === undefined || !mayAccess(c, reg, false)) return c.undefinedInstruction(i);
    const value = reg.read(c);
    if (t === 15) c.setNzcv(value >>> 28); // MRC to APSR_nzcv
    else c.r[t] = value;
  };
}

function mcrFor(word: number): A32Handler {
  const opc1 = (word >>> 21) & 7;
  const crn = (word >>> 16) & 15;
  const t = (word >>> 12) & 15;
  const opc2 = (word >>> 5) & 7;
  const crm = word & 15;
  let reg: SystemRegister32 | undefined;
  let resolvedFor: ArmCpu | null = null;
  return (c, i) => {
    if (resolvedFor !== c) {
      reg = findSystemRegister32(c, opc1, crn, crm, opc2);
      resolvedFor = c;
    }
    if (c.hypTraps && trapCp15Access32(c, reg, opc1, crn, crm, opc2, t, false)) return;
    if (reg === undefined || reg.write === undefined || !mayAccess(c, reg, true)) return c.undefinedInstruction(i);
    reg.write(c, c.r[t]);
  };
}

const pair = new Int32Array(2);

function mrrcFor(word: number): A32Handler {
  const opc1 = (word >>> 4) & 15;
  const crm = word & 15;
  const t = (word >>> 12) & 15;
  const t2 = (word >>> 16) & 15;
  let reg: SystemRegister64 | undefined;
  let count: ((cpu: ArmCpu) => number) | undefined;
  let resolvedFor: ArmCpu | null = null;
  return (c, i) => {
    if (resolvedFor !== c) {
      reg = findSystemRegister64(c, opc1, crm);
      count = reg?.readCount;
      resolvedFor = c;
    }
    if (count !== undefined && c.privileged === 1 && !reg!.hyp && !c.hypTraps) {
      // Counters at PL1: firmware delay loops read them constantly, so no checks beyond this and no halves buffer.
      const n = count(c);
      c.r[t] = n % 0x100000000 | 0;
      c.r[t2] = (n / 0x100000000) | 0;
      return;
    }
    if (c.hypTraps && trapCp15Access64(c, reg, opc1, crm, t, t2, true)) return;
    if (reg === undefined || reg.read === undefined || !mayAccess(c, reg, false)) return c.undefinedInstruction(i);
    reg.read(c, pair);
    c.r[t] = pair[0];
    c.r[t2] = pair[1];
  };
}

function mcrrFor(word: number): A32Handler {
  const opc1 = (word >>> 4) & 15;
  const crm = word & 15;
  const t = (word >>> 12) & 15;
  const t2 = (word >>> 16) & 15;
  let reg: SystemRegister64 | undefined;
  let resolvedFor: ArmCpu | null = null;
  return (c, i) => {
    if (resolvedFor !== c) {
      reg = findSystemRegister64(c, opc1, crm);
      resolvedFor = c;
    }
    if (c.hypTraps && trapCp15Access64(c, reg, opc1, crm, t, t2, false)) return;
    if (reg === undefined || reg.write === undefined || !mayAccess(c, reg, true)) return c.undefinedInstruction(i);
    reg.write(c, c.r[t], c.r[t2]);
  };
}

/** MRC p14: debug registers (the table does not depend on the core, so it binds at decode time). */
function debugReadFor(word: number): A32Handler {
  const crn = (word >>> 16) & 15;
  const crm = word & 15;
  const opc2 = (word >>> 5) & 7;
  const opc1 = (word >>> 21) & 7;
  const reg = findDebugRegister(opc1, crn, crm, opc2);
  const t = (word >>> 12) & 15;
  const read = reg?.read;
  if (reg === undefined || read === undefined) return unbound;
  const trap = opc1 === 6 ? trapThumbEeAccess : trapCp14Access;
  return (c, i) => {
    const allowed = mayAccessDebug(c, reg, false);
    if (c.hypTraps && trap(c, crn, crm, opc2, t, true, allowed)) return;
    if (!allowed) return c.undefinedInstruction(i);
    const value = read(c);
    if (t === 15) c.setNzcv(value >>> 28); // MRC APSR_nzcv, DBGDSCRint (the DCC status idiom)
    else c.r[t] = value;
  };
}

function debugWriteFor(word: number): A32Handler {
  const crn = (word >>> 16) & 15;
  const crm = word & 15;
  const opc2 = (word >>> 5) & 7;
  const opc1 = (word >>> 21) & 7;
  const reg = findDebugRegister(opc1, crn, crm, opc2);
  const t = (word >>> 12) & 15;
  const write = reg?.write;
  if (reg === undefined || write === undefined) return unbound;
  const trap = opc1 === 6 ? trapThumbEeAccess : trapCp14Access;
  return (c, i) => {
    const allowed = mayAccessDebug(c, reg, true);
    if (c.hypTraps && trap(c, crn, crm, opc2, t, false, allowed)) return;
    if (!allowed) return c.undefinedInstruction(i);
    write(c, c.r[t]);
  };
}

/** MRRC p14, 0, Rt, Rt2, c1/c2: 64-bit DBGDRAR/DBGDSAR, both invalid (no memory-mapped debug). */
function debugRead64For(word: number): A32Handler {
  const crm = word & 15;
  if (((word >>> 4) & 15) !== 0 || (crm !== 1 && crm !== 2)) return unbound;
  const t = (word >>> 12) & 15;
  const t2 = (word >>> 16) & 15;
  return (c, i) => {
    if (!c.privileged && (c.debug.dscr & (1 << 12)) !== 0) return c.undefinedInstruction(i);
    if (c.hypTraps && trapCp14Access64(c, crm, t, t2)) return;
    c.r[t] = 0;
    c.r[t2] = 0;
  };
}

/** Handler used when an entry is executed without decode-time binding, or names no register. */
const unbound: A32Handler = (c, i) => c.undefinedInstruction(i);

export const coprocessorEncodings: Encoding<A32Handler>[] = [
  { name: 'MCR (CP15)', pattern: 'cccc 1110 ooo0 nnnn tttt 1111 ppp1 mmmm', exec: unbound, specialize: mcrFor },
  { name: 'MRC (CP15)', pattern: 'cccc 1110 ooo1 nnnn tttt 1111 ppp1 mmmm', exec: unbound, specialize: mrcFor },
  { name: 'MCRR (CP15)', pattern: 'cccc 1100 0100 uuuu tttt 1111 oooo mmmm', exec: unbound, specialize: mcrrFor },
  { name: 'MRRC (CP15)', pattern: 'cccc 1100 0101 uuuu tttt 1111 oooo mmmm', exec: unbound, specialize: mrrcFor },
  { name: 'MCR (CP14)', pattern: 'cccc 1110 ooo0 nnnn tttt 1110 ppp1 mmmm', exec: unbound, specialize: debugWriteFor },
  { name: 'MRC (CP14)', pattern: 'cccc 1110 ooo1 nnnn tttt 1110 ppp1 mmmm', exec: unbound, specialize: debugReadFor },
  { name: 'MRRC (CP14)', pattern: 'cccc 1100 0101 uuuu tttt 1110 oooo mmmm', exec: unbound, specialize: debugRead64For },
];
