/**
 * Operand spellings shared by the A32 and Thumb formatters, in GNU objdump's
 * unified syntax (lower case, decimal immediates, r0-r12 sp lr pc).
 */

const REGISTERS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc'];

export function reg(n: number): string {
  return REGISTERS[n & 15];
}

/** Register list of LDM/STM/PUSH/POP: every register named, lowest first. */
export function regList(mask: number): string {
  const names: string[] = [];
  for (let i = 0; i < 16; i++) if ((mask >>> i) & 1) names.push(REGISTERS[i]);
  return `{${names.join(', ')}}`;
}

export function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m !== 0; m &= m - 1) n++;
  return n;
}

/** Signed decimal immediate operand. */
export function imm(value: number): string {
  return `#${value | 0}`;
}

/** 0x-prefixed hex, zero-padded to `digits`. */
export function hex(value: number, digits = 0): string {
  return `0x${(value >>> 0).toString(16).padStart(digits, '0')}`;
}

/** Offset immediate with its sign from U ("#-0" is kept: it is a distinct encoding). */
export function signedOffset(u: number, offset: number): string {
  return `#${u ? '' : '-'}${offset}`;
}

export const SHIFT_NAMES = ['lsl', 'lsr', 'asr', 'ror'];

/**
 * DecodeImmShift (A8.4.3) as text: "" for LSL #0, ", rrx" for ROR #0,
 * "#32" for LSR/ASR with imm5 = 0.
 */
export function immShift(type: number, imm5: number): string {
  if (type === 0 && imm5 === 0) return '';
  if (type === 3 && imm5 === 0) return ', rrx';
  return `, ${SHIFT_NAMES[type]} #${imm5 === 0 ? 32 : imm5}`;
}

/** Rm with an immediate shift. */
export function shiftedReg(m: number, type: number, imm5: number): string {
  return reg(m) + immShift(type, imm5);
}

/** ARMExpandImm (A5.2.4): imm8 rotated right by twice the rotate field. */
export function armExpandImm(imm12: number): number {
  const value = imm12 & 0xff;
  const rot = (imm12 >>> 7) & 30;
  return ((value >>> rot) | (value << (32 - rot))) >>> 0;
}

/**
 * A32 modified immediate: the value, or "#imm8, rot" when the encoding is not
 * the one with the smallest rotation that makes the value (objdump shows
 * such non-canonical encodings that way so that they reassemble bit for bit).
 */
export function armImmOperand(imm12: number): string {
  const value = armExpandImm(imm12);
  const rot = (imm12 >>> 7) & 30;
  let canonical = 0;
  for (; canonical < 32; canonical += 2) {
    const back = ((value << canonical) | (value >>> ((32 - canonical) & 31))) >>> 0;
    if (back <= 0xff) break;
  }
  if (canonical !== rot) return `#${imm12 & 0xff}, ${rot}`;
  return imm(value);
}

/** ThumbExpandImm (A6.3.2). */
export function thumbExpandImm(imm12: number): number {
  const top = (imm12 >>> 8) & 15;
  const b = imm12 & 0xff;
  if (top < 4) {
    switch (top) {
      case 0:
        return b;
      case 1:
        return (b << 16) | b;
      case 2:
        return ((b << 24) | (b << 8)) >>> 0;
      default:
        return ((b << 24) | (b << 16) | (b << 8) | b) >>> 0;
    }
  }
  const value = 0x80 | (imm12 & 0x7f);
  const rot = (imm12 >>> 7) & 31;
  return ((value >>> rot) | (value << (32 - rot))) >>> 0;
}

/** Sign-extend the low `bits` bits of value. */
export function signExtend(value: number, bits: number): number {
  const shift = 32 - bits;
  return (value << shift) >> shift;
}

/** Processor-state field mask of MSR as CPSR_/SPSR_ suffix letters, objdump order f s x c. */
export function psrFields(mask: number): string {
  return (mask & 8 ? 'f' : '') + (mask & 4 ? 's' : '') + (mask & 2 ? 'x' : '') + (mask & 1 ? 'c' : '');
}

/**
 * Banked register named by R:M:SYSm of MRS/MSR (banked register) (B9.2.3),
 * undefined for the reserved encodings.
 */
export function bankedRegister(r: number, sysm: number): string | undefined {
  if (r === 1) {
    const spsr: Record<number, string> = { 0x0e: 'fiq', 0x10: 'irq', 0x12: 'svc', 0x14: 'abt', 0x16: 'und', 0x1c: 'mon', 0x1e: 'hyp' };
    const mode = spsr[sysm];
    return mode === undefined ? undefined : `SPSR_${mode}`;
  }
  if (sysm <= 6) return sysm === 5 ? 'SP_usr' : sysm === 6 ? 'LR_usr' : `R${8 + sysm}_usr`;
  if (sysm >= 8 && sysm <= 14) return sysm === 13 ? 'SP_fiq' : sysm === 14 ? 'LR_fiq' : `R${sysm}_fiq`;
  const named: Record<number, string> = {
    0x10: 'LR_irq', 0x11: 'SP_irq', 0x12: 'LR_svc', 0x13: 'SP_svc', 0x14: 'LR_abt', 0x15: 'SP_abt',
    0x16: 'LR_und', 0x17: 'SP_und', 0x1c: 'LR_mon', 0x1d: 'SP_mon', 0x1e: 'ELR_hyp', 0x1f: 'SP_hyp',
  };
  return named[sysm];
}

const BARRIER_OPTIONS: Record<number, string> = {
  15: 'sy', 14: 'st', 13: 'ld', 11: 'ish', 10: 'ishst', 9: 'ishld', 7: 'un', 6: 'unst', 5: 'nshld', 3: 'osh', 2: 'oshst', 1: 'oshld',
};

/**
 * DMB/DSB option (A8.8.43): a name, or "#n" for the reserved values.
 * objdump spells NSH and NSHST by their old names UN and UNST, and knows
 * the ARMv8 load-only options (ishld, nshld, oshld, ld).
 */
export function barrierOption(option: number): string {
  return BARRIER_OPTIONS[option] ?? `#${option}`;
}
