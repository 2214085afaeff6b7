/**
 * ARMv7-A processor state: the general-purpose registers with their banked
 * copies, CPSR and the SPSRs (ARM ARM DDI 0406C, B1.3 "ARM processor modes
 * and ARM core registers").
 *
 * `r` always holds the registers as the current mode sees them. The banked
 * copies of the other modes live in small typed arrays and are swapped in by
 * `switchMode` (mode changes are rare next to register accesses). The CPSR is
 * kept unpacked: N, Z, C, V and Q as 0/1 numbers and GE as a 4-bit number, so
 * that flag-setting instructions are plain stores; `cpsr` packs them on demand.
 */

/** CPSR.M encodings (B1.3.1, Table B1-1). */
export const enum ArmMode {
  Usr = 0x10,
  Fiq = 0x11,
  Irq = 0x12,
  Svc = 0x13,
  Mon = 0x16,
  Abt = 0x17,
  Hyp = 0x1a,
  Und = 0x1b,
  Sys = 0x1f,
}

/** Index of a mode's bank of R13/R14/SPSR (usr and sys share bank 0). */
export const enum Bank {
  Usr = 0,
  Fiq = 1,
  Irq = 2,
  Svc = 3,
  Abt = 4,
  Und = 5,
  Mon = 6,
  Hyp = 7,
}

/** CPSR bit positions (B1.3.3, Figure B1-3). */
export const enum Psr {
  N = 0x80000000,
  Z = 0x40000000,
  C = 0x20000000,
  V = 0x10000000,
  Q = 0x08000000,
  J = 0x01000000,
  E = 0x00000200,
  A = 0x00000100,
  I = 0x00000080,
  F = 0x00000040,
  T = 0x00000020,
  M = 0x0000001f,
}

/** Bank of a valid mode, or -1 for an encoding that is not a mode. */
export function bankOf(mode: number): number {
  switch (mode) {
    case ArmMode.Usr:
    case ArmMode.Sys:
      return Bank.Usr;
    case ArmMode.Fiq:
      return Bank.Fiq;
    case ArmMode.Irq:
      return Bank.Irq;
    case ArmMode.Svc:
      return Bank.Svc;
    case ArmMode.Abt:
      return Bank.Abt;
    case ArmMode.Und:
      return Bank.Und;
    case ArmMode.Mon:
      return Bank.Mon;
    case ArmMode.Hyp:
      return Bank.Hyp;
    default:
      return -1;
  }
}

export function modeName(mode: number): string {
  switch (mode) {
    case ArmMode.Usr: return 'usr';
    case ArmMode.Fiq: return 'fiq';
    case ArmMode.Irq: return 'irq';
    case ArmMode.Svc: return 'svc';
    case ArmMode.Mon: return 'mon';
    case ArmMode.Abt: return 'abt';
    case ArmMode.Hyp: return 'hyp';
    case ArmMode.Und: return 'und';
    case ArmMode.Sys: return 'sys';
    default: return `mode${mode.toString(16)}`;
  }
}

export class ArmState {
  /** R0–R15 as the current mode sees them. R15 reads as the executing instruction's address + 8 (A32) or + 4 (T32). */
  readonly r = new Int32Array(16);

  /** Address of the next instruction; a branch writes it, the run loop advances it. */
  nextPc = 0;

  // --- CPSR, unpacked -----------------------------------------------------
  n = 0;
  z = 0;
  c = 0;
  v = 0;
  /** Sticky saturation flag. */
  q = 0;
  /** GE[3:0] of the SIMD-within-a-register instructions. */
  ge = 0;
  /** CPSR.M */
  mode: number = ArmMode.Svc;
  /** 1 in Thumb state. */
  thumb = 0;
  /** CPSR.E: big-endian data accesses. */
  endianBig = 0;
  /** CPSR.A/I/F mask bits, kept at their CPSR bit positions (0x100/0x80/0x40). */
  masks = Psr.A | Psr.I | Psr.F;
  /** IT[7:0] (ITSTATE), in the order of the manual: IT[7:2] = CPSR[15:10], IT[1:0] = CPSR[26:25]. */
  it = 0;
  /** CPSR.J (Jazelle; always 0 on a core with trivial Jazelle). */
  jazelle = 0;
  /** 1 when the current mode is not User (PL1 or PL2). */
  privileged = 1;
  /** Scratch: carry-out of the last shifter operation (Shift_C, ARMExpandImm_C). */
  carryOut = 0;

  // --- banked registers ---------------------------------------------------
  /** R13 of each bank, indexed by `Bank`. */
  readonly bankedSp = new Int32Array(8);
  /** R14 of each bank (Hyp uses the User bank's LR, B1.3.2). */
  readonly bankedLr = new Int32Array(8);
  /** SPSR of each exception mode (index 0 unused: User/System have none). */
  readonly spsr = new Int32Array(8);
  /** R8–R12 of every mode except FIQ. */
  readonly usrHigh = new Int32Array(5);
  /** R8_fiq–R12_fiq. */
  readonly fiqHigh = new Int32Array(5);
  /** ELR_hyp: the return address of an exception taken to Hyp mode. */
  elrHyp = 0;

  /** Power-on values as QEMU shows them for a Cortex-A15: all registers 0, SVC mode, A/I/F masked, Z set. */
  resetState(): void {
    this.r.fill(0);
    this.bankedSp.fill(0);
    this.bankedLr.fill(0);
    this.spsr.fill(0);
    this.usrHigh.fill(0);
    this.fiqHigh.fill(0);
    this.elrHyp = 0;
    this.nextPc = 0;
    this.mode = ArmMode.Svc;
    this.privileged = 1;
    this.setCpsrBits(0x400001d3);
  }

  /** Bank of the current mode's R13/SPSR. */
  get currentBank(): number {
    return bankOf(this.mode);
  }

  /**
   * Change CPSR.M and swap banked registers (B1.3.2). `newMode` must be a
   * valid mode encoding; callers check that (an invalid mode in MSR/CPS is
   * UNPREDICTABLE and we keep the old mode).
   */
  switchMode(newMode: number): void {
    const oldMode = this.mode;
    if (oldMode === newMode) return;
    const r = this.r;
    const oldBank = bankOf(oldMode);
    const newBank = bankOf(newMode);
    if (oldBank !== newBank) {
      this.bankedSp[oldBank] = r[13];
      this.bankedLr[oldMode === ArmMode.Hyp ? Bank.Usr : oldBank] = r[14];
      if (oldBank === Bank.Fiq) {
        for (let i = 0; i < 5; i++) {
          this.fiqHigh[i] = r[8 + i];
          r[8 + i] = this.usrHigh[i];
        }
      } else if (newBank === Bank.Fiq) {
        for (let i = 0; i < 5; i++) {
          this.usrHigh[i] = r[8 + i];
          r[8 + i] = this.fiqHigh[i];
        }
      }
      r[13] = this.bankedSp[newBank];
      r[14] = this.bankedLr[newMode === ArmMode.Hyp ? Bank.Usr : newBank];
    }
    this.mode = newMode;
    this.privileged = newMode === ArmMode.Usr ? 0 : 1;
    this.modeChanged();
  }

  /** Hook for subclasses: privilege-dependent caches (soft TLB selection). */
  protected modeChanged(): void {}

  /** The packed CPSR. */
  get cpsr(): number {
    return (
      ((this.n << 31) |
        (this.z << 30) |
        (this.c << 29) |
        (this.v << 28) |
        (this.q << 27) |
        ((this.it & 3) << 25) |
        (this.jazelle << 24) |
        (this.ge << 16) |
        ((this.it >>> 2) << 10) |
        (this.endianBig << 9) |
        this.masks |
        (this.thumb << 5) |
        this.mode) >>>
      0
    );
  }

  /** Flags N, Z, C, V as the 4-bit value CPSR[31:28]. */
  get nzcv(): number {
    return (this.n << 3) | (this.z << 2) | (this.c << 1) | this.v;
  }

  setNzcv(bits: number): void {
    this.n = (bits >>> 3) & 1;
    this.z = (bits >>> 2) & 1;
    this.c = (bits >>> 1) & 1;
    this.v = bits & 1;
  }

  /**
   * Write every CPSR field including the mode (exception return, reset,
   * debugger). An invalid mode encoding leaves the mode unchanged.
   */
  setCpsrBits(value: number): void {
    this.n = (value >>> 31) & 1;
    this.z = (value >>> 30) & 1;
    this.c = (value >>> 29) & 1;
    this.v = (value >>> 28) & 1;
    this.q = (value >>> 27) & 1;
    this.it = ((value >>> 25) & 3) | (((value >>> 10) & 0x3f) << 2);
    this.jazelle = (value >>> 24) & 1;
    this.ge = (value >>> 16) & 0xf;
    this.endianBig = (value >>> 9) & 1;
    this.masks = value & (Psr.A | Psr.I | Psr.F);
    this.thumb = (value >>> 5) & 1;
    const mode = value & Psr.M;
    if (bankOf(mode) >= 0) this.switchMode(mode);
  }

  /** SPSR of the current mode; User and System have none (reads UNKNOWN: we return 0). */
  get currentSpsr(): number {
    const b = bankOf(this.mode);
    return b > 0 ? this.spsr[b] >>> 0 : 0;
  }

  set currentSpsr(value: number) {
    const b = bankOf(this.mode);
    if (b > 0) this.spsr[b] = value;
  }

  /**
   * The User-mode view of register `n` (LDM/STM with ^, SRS, MRS banked):
   * R8–R12 come from the non-FIQ set, R13/R14 from bank 0.
   */
  userRegister(n: number): number {
    if (n < 8 || n === 15) return this.r[n];
    const fiq = this.mode === ArmMode.Fiq;
    if (n < 13) return fiq ? this.usrHigh[n - 8] : this.r[n];
    const inUsrBank = bankOf(this.mode) === Bank.Usr;
    if (n === 13) return inUsrBank ? this.r[13] : this.bankedSp[Bank.Usr];
    // Hyp mode's LR is the User LR.
    return inUsrBank || this.mode === ArmMode.Hyp ? this.r[14] : this.bankedLr[Bank.Usr];
  }

  setUserRegister(n: number, value: number): void {
    if (n < 8 || n === 15) {
      this.r[n] = value;
      return;
    }
    const fiq = this.mode === ArmMode.Fiq;
    if (n < 13) {
      if (fiq) this.usrHigh[n - 8] = value;
      else this.r[n] = value;
      return;
    }
    const inUsrBank = bankOf(this.mode) === Bank.Usr;
    if (n === 13) {
      if (inUsrBank) this.r[13] = value;
      else this.bankedSp[Bank.Usr] = value;
    } else if (inUsrBank || this.mode === ArmMode.Hyp) this.r[14] = value;
    else this.bankedLr[Bank.Usr] = value;
  }

  /** Condition check (A8.3, Table A8-1) on the current flags. */
  conditionPassed(cond: number): boolean {
    switch (cond) {
      case 0: return this.z === 1; // EQ
      case 1: return this.z === 0; // NE
      case 2: return this.c === 1; // CS
      case 3: return this.c === 0; // CC
      case 4: return this.n === 1; // MI
      case 5: return this.n === 0; // PL
      case 6: return this.v === 1; // VS
      case 7: return this.v === 0; // VC
      case 8: return this.c === 1 && this.z === 0; // HI
      case 9: return this.c === 0 || this.z === 1; // LS
      case 10: return this.n === this.v; // GE
      case 11: return this.n !== this.v; // LT
      case 12: return this.z === 0 && this.n === this.v; // GT
      case 13: return this.z === 1 || this.n !== this.v; // LE
      default: return true; // AL (and 1111, the unconditional space)
    }
  }
}
