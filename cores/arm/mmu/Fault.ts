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

/** Where a fault happened: kind, lookup level (1–3) and domain (short format). */
export class FaultInfo {
  kind: number = FaultKind.None;
  level = 1;
  domain = 0;

  set(kind: number, level: number, domain: number): void {
    this.kind = kind;
    this.level = level;
    this.domain = domain;
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

/** STATUS[5:0] of the long-descriptor format (Table B3-24). */
function longStatus(kind: number, level: number): number {
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
