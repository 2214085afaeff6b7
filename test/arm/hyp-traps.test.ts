import test from 'ava';
import { HVBAR, HYP, SVC, USR, hypMachine } from './HypTestMachine.ts';
import { installThumb } from '../../cores/arm/thumb/index.ts';

installThumb();

// Traps of Non-secure PL1/PL0 operations to Hyp mode (ARM ARM B1.14) and
// their HSR values (B3.13.6). A trapped instruction has no effect and Hyp
// mode is entered at HVBAR + 0x14 with ELR_hyp = the trapped instruction.
// HSR = EC[31:26] | IL[25] | ISS; for MCR/MRC the ISS is
// CV[24] COND[23:20] Opc2[19:17] Opc1[16:14] CRn[13:10] Rt[8:5] CRm[4:1]
// Direction[0] (1 = read), for MCRR/MRRC CV COND Opc1[19:16] Rt2[13:10]
// Rt[8:5] CRm[4:1] Direction[0]; COND reads 0xE with CV = 1, which the
// manual allows when only instructions that pass their condition trap.

const HCR = {
  TWI: 1 << 13, TWE: 1 << 14, TID1: 1 << 16, TID2: 1 << 17, TID3: 1 << 18, TSC: 1 << 19, TIDCP: 1 << 20,
  TAC: 1 << 21, TSW: 1 << 22, TPC: 1 << 23, TPU: 1 << 24, TTLB: 1 << 25, TVM: 1 << 26,
};

interface TrapCase {
  name: string;
  insn: number;
  hsr: number;
  hcr?: number;
  hstr?: number;
  hcptr?: number;
  cnthctl?: number;
  hdcr?: number;
  mode?: number;
}

const cases: TrapCase[] = [
  { name: 'WFI under TWI', insn: 0xe320f003, hcr: HCR.TWI, hsr: 0x07e00000 }, // EC 0x01, IL, CV, COND=E, TI=0
  { name: 'WFE under TWE', insn: 0xe320f002, hcr: HCR.TWE, hsr: 0x07e00001 }, // TI=1
  { name: 'SMC under TSC', insn: 0xe1600070, hcr: HCR.TSC, hsr: 0x4e000000 }, // EC 0x13, IL
  { name: 'MCR SCTLR under TVM', insn: 0xee010f10, hcr: HCR.TVM, hsr: 0x0fe00400 }, // CRn 1
  { name: 'MCR CONTEXTIDR under TVM', insn: 0xee0d0f30, hcr: HCR.TVM, hsr: 0x0fe23400 }, // opc2 1, CRn 13
  { name: 'MCRR TTBR0 under TVM', insn: 0xec410f02, hcr: HCR.TVM, hsr: 0x13e00404 }, // EC 0x04, Rt2 1, CRm 2
  { name: 'TLBIALL under TTLB', insn: 0xee080f17, hcr: HCR.TTLB, hsr: 0x0fe0200e }, // CRn 8, CRm 7
  { name: 'MRC ID_PFR0 under TID3', insn: 0xee100f11, hcr: HCR.TID3, hsr: 0x0fe00003 }, // CRm 1, read
  { name: 'MRC CTR under TID2', insn: 0xee101f30, hcr: HCR.TID2, hsr: 0x0fe20021 }, // opc2 1, Rt 1, read
  { name: 'MRC AIDR under TID1', insn: 0xee300ff0, hcr: HCR.TID1, hsr: 0x0fee4001 }, // opc2 7, opc1 1
  { name: 'MRC ACTLR under TAC', insn: 0xee110f30, hcr: HCR.TAC, hsr: 0x0fe20401 },
  { name: 'DCISW under TSW', insn: 0xee070f56, hcr: HCR.TSW, hsr: 0x0fe41c0c }, // opc2 2, CRn 7, CRm 6
  { name: 'DCCIMVAC under TPC', insn: 0xee070f3e, hcr: HCR.TPC, hsr: 0x0fe21c1c }, // CRm 14
  { name: 'ICIALLU under TPU', insn: 0xee070f15, hcr: HCR.TPU, hsr: 0x0fe01c0a }, // CRm 5
  { name: 'MRC L2CTLR (c9 IMPLEMENTATION DEFINED) under TIDCP', insn: 0xee390f50, hcr: HCR.TIDCP, hsr: 0x0fe46401 },
  { name: 'an unimplemented c15 register under HSTR.T15', insn: 0xee1f0f10, hstr: 1 << 15, hsr: 0x0fe03c01 },
  { name: 'MRC TTBCR under HSTR.T2', insn: 0xee125f50, hstr: 1 << 2, hsr: 0x0fe408a1 }, // opc2 2, CRn 2, Rt 5
  { name: 'PL0 MRC TPIDRURW under HSTR.T13', insn: 0xee1d0f50, hstr: 1 << 13, hsr: 0x0fe43401, mode: USR },
  { name: 'MRC CPACR under HCPTR.TCPAC', insn: 0xee110f50, hcptr: 0x80000000, hsr: 0x0fe40401 },
  { name: 'MRRC CNTPCT with CNTHCTL.PL1PCTEN clear', insn: 0xec532f0e, cnthctl: 2, hsr: 0x13e00c5d }, // Rt2 3, Rt 2, CRm 14, read
  { name: 'MRC CNTP_CTL with CNTHCTL.PL1PCEN clear', insn: 0xee1e0f32, cnthctl: 1, hsr: 0x0fe23805 },
  // CP14 (EC 0x05, MRRC 0x0C) under HDCR: TDRA the ROM address registers, TDOSA the OS lock, TDA the rest.
  { name: 'MRC DBGDRAR under HDCR.TDRA', insn: 0xee110e10, hdcr: 1 << 11, hsr: 0x17e00401 },
  { name: 'MCR DBGOSLAR under HDCR.TDOSA', insn: 0xee011e90, hdcr: 1 << 10, hsr: 0x17e80420 },
  { name: 'MRC DBGDSCRext under HDCR.TDA', insn: 0xee102e52, hdcr: 1 << 9, hsr: 0x17e40045 },
  { name: 'MRC DBGDSCRext under HDCR.TDE (which implies TDA)', insn: 0xee102e52, hdcr: 1 << 8, hsr: 0x17e40045 },
  { name: 'MRRC DBGDRAR under HDCR.TDRA', insn: 0xec510e01, hdcr: 1 << 11, hsr: 0x33e00403 },
  // ThumbEE's registers are CP14 with Opc1 = 6, trapped by HSTR.TTEE (bit 16), not by HDCR.
  { name: 'MRC TEEHBR under HSTR.TTEE', insn: 0xeed10e10, hstr: 1 << 16, hsr: 0x17e18401 },
  { name: 'PL0 MCR TEEHBR under HSTR.TTEE', insn: 0xeec10e10, hstr: 1 << 16, hsr: 0x17e18400, mode: USR },
];

for (const c of cases) {
  test(`trap: ${c.name} → HSR 0x${c.hsr.toString(16)}`, (t) => {
    const m = hypMachine();
    const sys = m.cpu.sys;
    sys.hcr = c.hcr ?? 0;
    sys.hstr = c.hstr ?? 0;
    sys.hcptr = c.hcptr ?? 0;
    sys.hdcr = c.hdcr ?? 0;
    m.cpu.timer.hctl = c.cnthctl ?? 3;
    m.cpu.hypTrapConfigChanged();
    if (c.mode !== undefined) m.cpu.switchMode(c.mode);
    m.cpu.r[0] = 0x5a5a5a5a;
    m.cpu.r[1] = 0x5a5a5a5a;
    m.cpu.r[2] = 0x5a5a5a5a;
    m.cpu.r[5] = 0x5a5a5a5a;
    const sctlr = sys.sctlr;
    const before = m.cpu.cpsr;
    m.load([c.insn]);
    m.step(1);
    t.is(m.cpu.mode, HYP);
    t.is(m.reg('pc'), HVBAR + 0x14);
    t.is(sys.hsr >>> 0, c.hsr);
    t.is(m.cpu.elrHyp, 0x1000, 'ELR_hyp = the trapped instruction');
    t.is(m.cpu.spsr[7] >>> 0, before);
    t.is(m.reg('r0'), 0x5a5a5a5a, 'no register written');
    t.is(m.reg('r1'), 0x5a5a5a5a);
    t.is(m.reg('r5'), 0x5a5a5a5a);
    t.is(sys.sctlr, sctlr, 'no system register written');
  });
}

test('a 16-bit T32 WFI traps with IL = 0, a 32-bit one with IL = 1', (t) => {
  for (const [code, hsr] of [[[0xbf30, 0xbf00], 0x05e00000], [[0xf3af, 0x8003], 0x07e00000]] as const) {
    const m = hypMachine();
    m.cpu.sys.hcr = HCR.TWI;
    m.cpu.hypTrapConfigChanged();
    m.bus.write16(0x1000, code[0]);
    m.bus.write16(0x1002, code[1]);
    m.cpu.setRegister('cpsr', m.cpu.cpsr | 0x20);
    m.cpu.setPc(0x1000);
    m.step(1);
    t.is(m.reg('pc'), HVBAR + 0x14);
    t.is(m.cpu.sys.hsr >>> 0, hsr);
    t.is(m.cpu.spsr[7] & 0x20, 0x20, 'SPSR_hyp.T');
  }
});

test('without its HCR bit, or in Hyp mode, the same operation is not trapped', (t) => {
  const m = hypMachine();
  m.cpu.sys.hcr = HCR.TWI; // traps configured, but not TVM
  m.cpu.hypTrapConfigChanged();
  m.cpu.r[0] = 0x00c50079;
  m.load([0xee010f10]); // mcr SCTLR
  m.step(1);
  t.is(m.cpu.mode, SVC);
  t.is(m.cpu.sys.sctlr & 1, 1, 'SCTLR written');
  const h = hypMachine();
  h.cpu.sys.hcr = HCR.TVM | HCR.TWI;
  h.cpu.hypTrapConfigChanged();
  h.cpu.switchMode(HYP);
  h.cpu.r[0] = 0x00c50079;
  h.load([0xee010f10, 0xe320f003]); // mcr SCTLR; wfi
  h.step(2);
  t.is(h.cpu.sys.sctlr & 1, 1, 'Hyp mode writes SCTLR');
  t.true(h.cpu.idle, 'WFI in Hyp mode waits');
});

test('a conditional MCR that fails its condition is not trapped', (t) => {
  const m = hypMachine();
  m.cpu.sys.hcr = HCR.TVM;
  m.cpu.hypTrapConfigChanged();
  m.cpu.z = 1;
  m.load([0x1e010f10, 0xe320f000]); // mcrne SCTLR; nop
  m.step(2);
  t.is(m.cpu.mode, SVC);
  t.is(m.reg('pc'), 0x1008);
});

test('reads are not trapped by TVM; PL0 accesses UNDEFINED at PL0 stay UNDEFINED under HSTR', (t) => {
  const m = hypMachine();
  m.cpu.sys.hcr = HCR.TVM;
  m.cpu.hypTrapConfigChanged();
  m.load([0xee110f10]); // mrc SCTLR
  m.step(1);
  t.is(m.reg('r0'), m.cpu.sys.sctlr);
  const u = hypMachine();
  u.cpu.sys.hstr = 1 << 1;
  u.cpu.hypTrapConfigChanged();
  u.cpu.switchMode(USR);
  u.load([0xee110f10]);
  u.step(1);
  t.is(u.cpu.mode, 0x1b, 'Undefined mode, not Hyp');
});

test('an unimplemented register is UNDEFINED without HSTR, and CNTVCT is never trapped by CNTHCTL', (t) => {
  const m = hypMachine();
  m.cpu.sys.hcr = HCR.TWI;
  m.cpu.hypTrapConfigChanged();
  m.load([0xee1f0f10]);
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
  const c = hypMachine();
  c.cpu.timer.hctl = 0;
  c.cpu.hypTrapConfigChanged();
  c.load([0xec532f1e]); // mrrc CNTVCT
  c.step(1);
  t.is(c.cpu.mode, SVC);
  t.is(c.reg('pc'), 0x1004);
});

test('WFI is not trapped when an interrupt is already pending (it would not wait), and completes', (t) => {
  const m = hypMachine();
  m.cpu.sys.hcr = HCR.TWI;
  m.cpu.hypTrapConfigChanged();
  m.cpu.setIrqLevel(0, true); // masked at reset, still ends WFI
  m.load([0xe320f003, 0xe320f000]);
  m.step(1);
  t.is(m.cpu.mode, SVC);
  t.is(m.reg('pc'), 0x1004);
});

test('WFE with the event register set consumes it instead of trapping', (t) => {
  const m = hypMachine();
  m.cpu.sys.hcr = HCR.TWE;
  m.cpu.hypTrapConfigChanged();
  m.cpu.eventRegister = true;
  m.load([0xe320f002]);
  m.step(1);
  t.is(m.cpu.mode, SVC);
  t.false(m.cpu.eventRegister);
});

test('HCR written by MCR in Hyp mode arms the traps for PL1 after ERET', (t) => {
  const m = hypMachine();
  m.cpu.switchMode(HYP);
  m.cpu.r[0] = HCR.TWI;
  m.cpu.elrHyp = 0x2000;
  m.cpu.spsr[7] = 0x1d3; // SVC, masked
  m.load([0xee810f11, 0xe160006e]); // mcr HCR, r0; eret
  m.bus.write32(0x2000, 0xe320f003); // wfi
  m.step(3);
  t.is(m.cpu.mode, HYP);
  t.is(m.reg('pc'), HVBAR + 0x14);
  t.is(m.cpu.elrHyp, 0x2000);
  t.is(m.cpu.sys.hsr >>> 0, 0x07e00000);
});

test('HCPTR.TCP10 traps VFP instructions CPACR allows (EC 0x07, coproc 0xA); CPACR denial stays UNDEFINED', (t) => {
  const m = hypMachine();
  m.cpu.sys.cpacr = 0x00f00000; // CP10/CP11 full access
  m.cpu.sys.hcptr = 1 << 10;
  m.cpu.hypTrapConfigChanged();
  m.load([0xee000a10]); // vmov s0, r0
  m.step(1);
  t.is(m.reg('pc'), HVBAR + 0x14);
  t.is(m.cpu.sys.hsr >>> 0, 0x1fe0000a); // EC 0x07 | IL | CV | COND=E | coproc 0xA
  const u = hypMachine();
  u.cpu.sys.hcptr = 1 << 10;
  u.cpu.hypTrapConfigChanged();
  u.load([0xee000a10]);
  u.step(1);
  t.is(u.cpu.mode, 0x1b, 'CPACR denies CP10: UNDEFINED first');
});

test('HCR.TID0 traps VMRS of FPSID and TID3 of MVFR0 (EC 0x08, as MRC p10, 7, Rt, c<reg>)', (t) => {
  const m = hypMachine();
  m.cpu.sys.cpacr = 0x00f00000;
  m.cpu.sys.hcr = 1 << 15;
  m.cpu.hypTrapConfigChanged();
  m.load([0xeef01a10]); // vmrs r1, fpsid
  m.step(1);
  t.is(m.reg('pc'), HVBAR + 0x14);
  t.is(m.cpu.sys.hsr >>> 0, 0x23e1c021); // EC 0x08 | IL | CV | COND | opc1 7 | CRn 0 | Rt 1 | read
  const n = hypMachine();
  n.cpu.sys.cpacr = 0x00f00000;
  n.cpu.sys.hcr = 1 << 18;
  n.cpu.hypTrapConfigChanged();
  n.load([0xeef72a10]); // vmrs r2, mvfr0
  n.step(1);
  t.is(n.cpu.sys.hsr >>> 0, 0x23e1dc41); // CRn 7, Rt 2
});

test('HDCR.TDA does not trap the ROM address or OS lock registers, which have their own bits', (t) => {
  const m = hypMachine();
  m.cpu.sys.hdcr = 1 << 9;
  m.cpu.hypTrapConfigChanged();
  m.load([0xee110e10]); // mrc DBGDRAR
  m.step(1);
  t.is(m.cpu.mode, SVC);
  t.is(m.reg('pc'), 0x1004);
});
