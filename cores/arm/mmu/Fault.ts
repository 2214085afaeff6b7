/**
 * MMU fault kinds, kept independent of the FSR format in use so the walkers
 * and permission checks need not know it; `faultStatus` encodes them for
 * DFSR/IFSR (B4.1.52 / B4.1.96) in the short-descriptor format (FS[4:0] split
 * over bits 10 and 3:0, domain in 7:4) or the long one (STATUS in 5:0, bit 9
 * = LPAE). Codes from B3.13.3, Tables B3-23 and B3-24.
 */
export const enum FaultKind {
  None = 0,
  Alignment = 1,
  Translation = 2,
  AccessFlag = 3,
  Domain = 4,
  Permission = 5,
  /** Synchronous external abort on the access itself. */
  External = 6,
  /** Synchronous external abort during a translation table walk. */
  WalkExternal = 7,
  /** Debug event (not raised by the MMU; listed for completeness). */
  Debug = 8,
}

/**
 * Where a fault happened: kind, lookup level (1–3) and domain (short format);
 * for a stage 2 fault (Virtualization Extensions, B3.12.5) also the
 * intermediate physical address that faulted and whether it happened while
 * reading a stage 1 descriptor (S1PTW). Stage 2 faults go to Hyp mode.
 */
export class FaultInfo {
  kind: number = FaultKind.None;
  level = 1;
  domain = 0;
  /** The fault came from stage 2 translation (reported to Hyp mode with HPFAR). */
  stage2 = false;
  /** Stage 2 fault on the stage 1 translation table walk (HSR.S1PTW). */
  s1ptw = false;
  /** IPA of a stage 2 fault (HPFAR holds its bits [39:12]). */
  ipa = 0;

  set(kind: number, level: number, domain: number): void {
    this.kind = kind;
    this.level = level;
    this.domain = domain;
    this.stage2 = false;
    this.s1ptw = false;
  }

  setStage2(kind: number, level: number, ipa: number, s1ptw: boolean): void {
    this.kind = kind;
    this.level = level;
    this.domain = 0;
    this.stage2 = true;
    this.s1ptw = s1ptw;
    this.ipa = ipa;
  }

  copyFrom(other: FaultInfo): void {
    this.kind = other.kind;
    this.level = other.level;
    this.domain = other.domain;
    this.stage2 = other.stage2;
    this.s1ptw = other.s1ptw;
    this.ipa = other.ipa;
  }
}

/** FS[4:0] of the short-descriptor format for a fault (Table B3-23). */
function shortFs(kind: number, level: number): number {
  switch (kind) {
    case FaultKind.Alignment: return 0b00001;
    case FaultKind.Debug: return 0b00010;
    case FaultKind.AccessFlag: return level === 1 ? 0b00011 : 0b00110;
    case FaultKind.Translation: return level === 1 ? 0b00101 : 0b00111;
    case FaultKind.External: return 0b01000;
    case FaultKind.Domain: return level === 1 ? 0b01001 : 0b01011;
    case FaultKind.WalkExternal: return level === 1 ? 0b01100 : 0b01110;
    case FaultKind.Permission: return level === 1 ? 0b01101 : 0b01111;
    default: return 0;
  }
}

/**
 * STATUS[5:0] of the long-descriptor format (Table B3-24); also the DFSC/IFSC
 * field of HSR for aborts taken to Hyp mode (B3.13.6).
 */
export function longStatus(kind: number, level: number): number {
  switch (kind) {
    case FaultKind.Translation: return 0b000100 | level;
    case FaultKind.AccessFlag: return 0b001000 | level;
    case FaultKind.Permission: return 0b001100 | level;
    case FaultKind.External: return 0b010000;
    case FaultKind.WalkExternal: return 0b010100 | level;
    case FaultKind.Alignment: return 0b100001;
    case FaultKind.Debug: return 0b100010;
    // Domains do not exist in the long format; never produced there.
    default: return 0;
  }
}

/**
 * The DFSR/IFSR value for a fault. `write` sets WnR (bit 11, DFSR only),
 * `longFormat` selects the LPAE layout. The domain field is only defined for
 * domain and permission faults with section/page descriptors; we report it
 * for every MMU fault, which the manual allows (it is UNKNOWN otherwise).
 */
export function faultStatus(f: FaultInfo, longFormat: boolean, write: boolean): number {
  // ExT (bit 12) classifies external aborts IMPLEMENTATION DEFINED; we leave it 0.
  const wnr = write ? 1 << 11 : 0;
  if (longFormat) return (longStatus(f.kind, f.level) | (1 << 9) | wnr) >>> 0;
  const fs = shortFs(f.kind, f.level);
  const domain = f.kind === FaultKind.Alignment || f.kind === FaultKind.External ? 0 : f.domain << 4;
  return ((fs & 0xf) | ((fs >>> 4) << 10) | domain | wnr) >>> 0;
}
