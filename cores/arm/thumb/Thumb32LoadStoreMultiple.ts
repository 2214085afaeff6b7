import type { A32Handler } from '../ArmCpu.ts';
import { decodeA32 } from '../a32/A32Decoder.ts';
import type { Encoding } from '../decode/DecodeTable.ts';
import { a32Equivalent } from './A32Equivalents.ts';
import { itWrite, type ThumbHandler } from './ThumbPseudocode.ts';

/**
 * 32-bit load/store multiple (ARM ARM A6.3.5): LDM/LDMIA, LDMDB, STM/STMIA,
 * STMDB (PUSH and POP T2 are these with Rn = SP), and SRS/RFE.
 *
 * LDM and STM T2 are bit for bit the A32 encodings with condition 1110
 * (hw1 = 1110 100P U0WL, the A32 "S" bit always 0), and the operation is the
 * same, so the A32 handler runs on the T32 word. Loading the PC is
 * LoadWritePC, an interworking branch in both instruction sets. SRS and
 * RFE exist in T32 only as DB and IA and are bound to the A32 form with the
 * same P and U.
 */

/** The A32 handler of the identical A32 word. */
const sameWord = (i: number): ThumbHandler => decodeA32(i);

/** SRS (B9.3.16): A32 1111 100P U1W0 1101 0000 0101 000 mode; DB is P = 1 U = 0, IA is P = 0 U = 1. */
function srs(i: number): ThumbHandler {
  const pu = (i & 0x01000000) !== 0 ? 0x00800000 : 0x01000000;
  return a32Equivalent(0xf84d0500 | pu | (i & 0x00200000) | (i & 0x1f));
}

/**
 * RFE (B9.3.13): A32 1111 100P U0W1 Rn 0000 1010 0000 0000. An exception
 * return loads ITSTATE from memory, so the executor must not advance it.
 */
function rfe(i: number): ThumbHandler {
  const pu = (i & 0x01000000) !== 0 ? 0x00800000 : 0x01000000;
  const handler = a32Equivalent(0xf8100a00 | pu | (i & 0x00200000) | (i & 0x000f0000));
  return (c, insn) => {
    const inItBlock = c.it !== 0;
    handler(c, insn);
    if (inItBlock) itWrite.byHandler = true;
  };
}

/** Execution of a decode-time bound form without the binding (tools calling `exec`). */
const unbound = (bind: (i: number) => ThumbHandler): ThumbHandler => (c, i) => bind(i)(c, i);

const ldmStm: A32Handler = (c, i) => sameWord(i)(c, i);

export const thumb32LoadStoreMultipleEncodings: Encoding<ThumbHandler>[] = [
  { name: 'STM (STMIA, STMEA) T2', pattern: '11101 00 010 W 0 nnnn (0) M (0) rrrrrrrrrrrrr', exec: ldmStm, specialize: sameWord },
  { name: 'LDM (LDMIA, LDMFD) T2 / POP T2', pattern: '11101 00 010 W 1 nnnn P M (0) rrrrrrrrrrrrr', exec: ldmStm, specialize: sameWord },
  { name: 'STMDB (STMFD) T1 / PUSH T2', pattern: '11101 00 100 W 0 nnnn (0) M (0) rrrrrrrrrrrrr', exec: ldmStm, specialize: sameWord },
  { name: 'LDMDB (LDMEA) T1', pattern: '11101 00 100 W 1 nnnn P M (0) rrrrrrrrrrrrr', exec: ldmStm, specialize: sameWord },
  {
    name: 'SRS T1 (SRSDB)',
    pattern: '11101 00 000 W 0 (1)(1)(0)(1) (1)(1)(0)(0)(0)(0)(0)(0)(0)(0)(0) mmmmm',
    exec: unbound(srs),
    specialize: srs,
  },
  {
    name: 'SRS T2 (SRSIA)',
    pattern: '11101 00 110 W 0 (1)(1)(0)(1) (1)(1)(0)(0)(0)(0)(0)(0)(0)(0)(0) mmmmm',
    exec: unbound(srs),
    specialize: srs,
  },
  {
    name: 'RFE T1 (RFEDB)',
    pattern: '11101 00 000 W 1 nnnn (1)(1)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)',
    exec: unbound(rfe),
    specialize: rfe,
  },
  {
    name: 'RFE T2 (RFEIA)',
    pattern: '11101 00 110 W 1 nnnn (1)(1)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)(0)',
    exec: unbound(rfe),
    specialize: rfe,
  },
];
