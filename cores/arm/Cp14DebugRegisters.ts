import type { ArmCpu } from './ArmCpu.ts';

/**
 * The CP14 debug registers of a v7.1 Debug implementation (ARM ARM C6.4,
 * C11: register R is reached by MRC/MCR p14, 0, Rt, c<R[9:7]>, c<R[3:0]>,
 * <R[6:4]>) with Cortex-A15's geometry as QEMU reports it (DBGDIDR
 * 0x3515f021: 6 breakpoints, 4 watchpoints, 2 context comparators).
 *
 * The registers hold what software writes and report the state it set up
 * (OS lock, monitor-mode enable), so an operating system can probe and reset
 * them; breakpoints and watchpoints programmed here do not generate debug
 * events (tskvm's debugger works through its own gdb stub).
 */

const DBGDIDR = 0x3515f021;
const BREAKPOINTS = 6;
const WATCHPOINTS = 4;
/** DBGDSCR bits software can write through DBGDSCRext (C11.11.20): ExtDCCmode, MDBGen, HDBGen, UDCCdis, INTdis, DBGack. */
const DSCR_WRITABLE = 0x0030dc00;
/** DBGDSCR.UDCCdis: User-mode access to the communications channel (and the ID registers) disabled. */
const DSCR_UDCCDIS = 1 << 12;
/** The key that locks the OS lock when written to DBGOSLAR. */
const OSLAR_KEY = 0xc5acce55;

export class DebugRegisterState {
  dscr = 0;
  vcr = 0;
  /** OS lock: set at power-on in v7.1 (C11.11.32). */
  osLocked = true;
  osDoubleLock = 0;
  prcr = 0;
  claim = 0;
  readonly bvr = new Int32Array(BREAKPOINTS);
  readonly bcr = new Int32Array(BREAKPOINTS);
  readonly bxvr = new Int32Array(BREAKPOINTS);
  readonly wvr = new Int32Array(WATCHPOINTS);
  readonly wcr = new Int32Array(WATCHPOINTS);
  /** ThumbEE configuration (p14, 6): TEECR.XED and the handler base TEEHBR (A2.12.1, B6.1.4). */
  teecr = 0;
  teehbr = 0;

  reset(): void {
    this.teecr = 0;
    this.teehbr = 0;
    this.dscr = 0;
    this.vcr = 0;
    this.osLocked = true;
    this.osDoubleLock = 0;
    this.prcr = 0;
    this.claim = 0;
    this.bvr.fill(0);
    this.bcr.fill(0);
    this.bxvr.fill(0);
    this.wvr.fill(0);
    this.wcr.fill(0);
  }
}

export interface DebugRegister {
  readonly name: string;
  readonly crn: number;
  readonly crm: number;
  readonly opc2: number;
  readonly read?: (cpu: ArmCpu) => number;
  readonly write?: (cpu: ArmCpu, value: number) => void;
  /** Readable from PL0 unless DBGDSCR.UDCCdis is set. */
  readonly userReadable?: boolean;
  /** PL0 access (read and write) decided by this instead (ThumbEE's TEEHBR). */
  readonly userAccess?: (cpu: ArmCpu) => boolean;
}

const d = (c: ArmCpu) => c.debug;

const REGISTERS: DebugRegister[] = [
  { name: 'DBGDIDR', crn: 0, crm: 0, opc2: 0, read: () => DBGDIDR, userReadable: true },
  { name: 'DBGDSCRint', crn: 0, crm: 1, opc2: 0, read: (c) => d(c).dscr, userReadable: true },
  { name: 'DBGDSCRext', crn: 0, crm: 2, opc2: 2, read: (c) => d(c).dscr, write: (c, v) => { d(c).dscr = v & DSCR_WRITABLE; } },
  { name: 'DBGVCR', crn: 0, crm: 7, opc2: 0, read: (c) => d(c).vcr, write: (c, v) => { d(c).vcr = v & 0xde; } },
  // No memory-mapped debug components: DBGDRAR/DBGDSAR read with their Valid fields 00 (C11.11.2).
  { name: 'DBGDRAR', crn: 1, crm: 0, opc2: 0, read: () => 0, userReadable: true },
  { name: 'DBGDSAR', crn: 2, crm: 0, opc2: 0, read: () => 0, userReadable: true },
  { name: 'DBGOSLAR', crn: 1, crm: 0, opc2: 4, write: (c, v) => { d(c).osLocked = v >>> 0 === OSLAR_KEY; } },
  // OSLM = 0b10 (v7.1 OS lock implemented), OSLK in bit 1.
  { name: 'DBGOSLSR', crn: 1, crm: 1, opc2: 4, read: (c) => 0x8 | (d(c).osLocked ? 2 : 0) },
  { name: 'DBGOSDLR', crn: 1, crm: 3, opc2: 4, read: (c) => d(c).osDoubleLock, write: (c, v) => { d(c).osDoubleLock = v & 1; } },
  { name: 'DBGPRCR', crn: 1, crm: 4, opc2: 4, read: (c) => d(c).prcr, write: (c, v) => { d(c).prcr = v & 7; } },
  // Powered up (PU, bit 0); the sticky bits stay clear.
  { name: 'DBGPRSR', crn: 1, crm: 5, opc2: 4, read: () => 1 },
  { name: 'DBGCLAIMSET', crn: 7, crm: 8, opc2: 6, read: () => 0xff, write: (c, v) => { d(c).claim |= v & 0xff; } },
  { name: 'DBGCLAIMCLR', crn: 7, crm: 9, opc2: 6, read: (c) => d(c).claim, write: (c, v) => { d(c).claim &= ~(v & 0xff); } },
  // Non-invasive and invasive debug enabled in both security states (C11.11.1).
  { name: 'DBGAUTHSTATUS', crn: 7, crm: 14, opc2: 6, read: () => 0xaa },
  { name: 'DBGDEVID1', crn: 7, crm: 1, opc2: 7, read: () => 0 },
  { name: 'DBGDEVID', crn: 7, crm: 2, opc2: 7, read: () => 0 },
];
for (let n = 0; n < BREAKPOINTS; n++) {
  REGISTERS.push(
    { name: `DBGBVR${n}`, crn: 0, crm: n, opc2: 4, read: (c) => d(c).bvr[n], write: (c, v) => { d(c).bvr[n] = v & ~3; } },
    { name: `DBGBCR${n}`, crn: 0, crm: n, opc2: 5, read: (c) => d(c).bcr[n], write: (c, v) => { d(c).bcr[n] = v & 0x1ff7e7; } },
    { name: `DBGBXVR${n}`, crn: 1, crm: n, opc2: 1, read: (c) => d(c).bxvr[n], write: (c, v) => { d(c).bxvr[n] = v & 0xff; } },
  );
}
for (let n = 0; n < WATCHPOINTS; n++) {
  REGISTERS.push(
    { name: `DBGWVR${n}`, crn: 0, crm: n, opc2: 6, read: (c) => d(c).wvr[n], write: (c, v) => { d(c).wvr[n] = v & ~3; } },
    { name: `DBGWCR${n}`, crn: 0, crm: n, opc2: 7, read: (c) => d(c).wcr[n], write: (c, v) => { d(c).wcr[n] = v & 0x1f1ffff; } },
  );
}

const byKey = new Map<number, DebugRegister>();
for (const r of REGISTERS) {
  const key = (r.crn << 8) | (r.crm << 4) | r.opc2;
  if (byKey.has(key)) throw new Error(`CP14 register table: ${r.name} collides with ${byKey.get(key)!.name}`);
  byKey.set(key, r);
}

/**
 * ThumbEE's two registers (ARM ARM A2.12.1; Cortex-A15 implements ThumbEE: ID_PFR0.State3 = 1,
 * and Linux saves TEEHBR on every context switch). TEECR is PL1-only; TEEHBR is open to PL0
 * unless TEECR.XED is set. The ThumbEE instruction set itself (ENTERX) is not modelled.
 */
const THUMBEE: DebugRegister[] = [
  { name: 'TEECR', crn: 0, crm: 0, opc2: 0, read: (c) => d(c).teecr, write: (c, v) => { d(c).teecr = v & 1; } },
  { name: 'TEEHBR', crn: 1, crm: 0, opc2: 0, read: (c) => d(c).teehbr, write: (c, v) => { d(c).teehbr = v & ~3; }, userAccess: (c) => (d(c).teecr & 1) === 0 },
];

/** The CP14 register an MRC/MCR p14, opc1 names: debug (opc1 0) or ThumbEE (opc1 6); trace (opc1 1) is absent. */
export function findDebugRegister(opc1: number, crn: number, crm: number, opc2: number): DebugRegister | undefined {
  if (opc1 === 0) return byKey.get((crn << 8) | (crm << 4) | opc2);
  if (opc1 === 6) return THUMBEE.find((r) => r.crn === crn && r.crm === crm && r.opc2 === opc2);
  return undefined;
}

/** Debug registers are PL1 registers, except the ID and status reads a User program may make (C6.4.5). */
export function mayAccessDebug(cpu: ArmCpu, reg: DebugRegister, write: boolean): boolean {
  if (cpu.privileged) return true;
  if (reg.userAccess !== undefined) return reg.userAccess(cpu);
  return !write && reg.userReadable === true && (cpu.debug.dscr & DSCR_UDCCDIS) === 0;
}
