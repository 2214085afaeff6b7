/**
 * The instruction syndrome of a Data Abort taken to Hyp mode (ARM ARM
 * B3.13.6, "ISS encoding for a Data Abort"): for a load or store of one
 * general-purpose register it tells the hypervisor the access size (SAS),
 * whether the load sign-extends (SSE) and the register (SRT), so it can
 * emulate an MMIO access without decoding the instruction. Other accesses —
 * LDM/STM, LDRD/STRD, exclusives, VFP, and (as in QEMU) any form that writes
 * its base register back — report ISV = 0.
 *
 * The hardware knows the instruction it is executing; this model decodes
 * the faulting instruction's encoding here, on the (rare) abort path, so that
 * the load/store handlers carry nothing extra.
 */

/** ISS[24:16] bits: ISV | SAS[23:22] | SSE[21] | SRT[19:16]. */
function iss(size: number, signExtend: boolean, rt: number): number {
  return (1 << 24) | (size << 22) | (signExtend ? 1 << 21 : 0) | (rt << 16);
}

/** Syndrome of an A32 instruction, 0 when it has none. */
export function a32AccessSyndrome(insn: number): number {
  if (insn >>> 28 === 0xf) return 0; // unconditional space: PLD, SRS, RFE…
  const op = (insn >>> 25) & 7;
  const p = (insn >>> 24) & 1;
  const w = (insn >>> 21) & 1;
  const rt = (insn >>> 12) & 15;
  if (op === 2 || (op === 3 && (insn & 0x10) === 0)) {
    // LDR/STR/LDRB/STRB (A5.3): post-indexed (P = 0, including LDRT/STRT) and pre-indexed (W = 1) write back.
    if (p === 0 || w === 1) return 0;
    return iss((insn & (1 << 22)) !== 0 ? 0 : 2, false, rt);
  }
  if (op === 0 && (insn & 0x90) === 0x90 && (insn & 0x60) !== 0) {
    // Extra load/store (A5.2.8): STRH/LDRH, LDRSB, LDRSH; LDRD/STRD have no syndrome.
    if (p === 0 || w === 1) return 0;
    const load = (insn & (1 << 20)) !== 0;
    switch ((insn >>> 5) & 3) {
      case 1: return iss(1, false, rt);
      case 2: return load ? iss(0, true, rt) : 0;
      default: return load ? iss(1, true, rt) : 0;
    }
  }
  return 0;
}

/** Syndrome of a 16-bit T32 instruction. */
export function t16AccessSyndrome(hw: number): number {
  const rtLow = hw & 7;
  switch (hw >>> 12) {
    case 0b0100:
      // LDR (literal) is 01001; the rest of 0100 is data processing.
      return (hw >>> 11) === 0b01001 ? iss(2, false, (hw >>> 8) & 7) : 0;
    case 0b0101: {
      // Register offset (A6.2.4): STR STRH STRB LDRSB LDR LDRH LDRB LDRSH.
      const sizes = [2, 1, 0, 0, 2, 1, 0, 1];
      const op = (hw >>> 9) & 7;
      return iss(sizes[op], op === 3 || op === 7, rtLow);
    }
    case 0b0110: return iss(2, false, rtLow);
    case 0b0111: return iss(0, false, rtLow);
    case 0b1000: return iss(1, false, rtLow);
    case 0b1001: return iss(2, false, (hw >>> 8) & 7); // SP-relative
    default: return 0;
  }
}

/** Syndrome of a 32-bit T32 instruction (`hw1`, `hw2` its halfwords). */
export function t32AccessSyndrome(hw1: number, hw2: number): number {
  // Load/store single data item (A6.3.10 – A6.3.12): 1111 100x xxxx.
  if (hw1 >>> 9 !== 0b1111100) return 0;
  const size = (hw1 >>> 5) & 3;
  const signed = (hw1 & 0x100) !== 0;
  const load = (hw1 & 0x10) !== 0;
  if (size === 3 || (signed && !load)) return 0;
  const rt = hw2 >>> 12;
  const rn = hw1 & 15;
  let noWriteback: boolean;
  if (rn === 15 || (hw1 & 0x80) !== 0) noWriteback = true; // literal, or 12-bit immediate offset
  else if ((hw2 & 0x800) !== 0) {
    // 8-bit immediate: P U W in hw2[10:8]. LDRT/STRT (110) and negative offsets (100) do not write back.
    const puw = (hw2 >>> 8) & 7;
    noWriteback = puw === 0b110 || puw === 0b100;
  } else noWriteback = (hw2 & 0x7c0) === 0; // register offset
  return noWriteback ? iss(size, signed, rt) : 0;
}
