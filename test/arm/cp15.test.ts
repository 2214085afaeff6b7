import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * CP15 identification and control registers (ARM ARM B4.1) with the values
 * QEMU gives a Cortex-A15 (MIDR 0x412fc0f1, CLIDR 0x0a200023, CCSIDR per
 * CSSELR), the Virtualization Extensions advertised in ID_PFR1 only when
 * present, PL0 access rules, and UNDEFINED for registers that do not exist.
 */

function mrc(m: ArmTestMachine, insn: number): number {
  m.load([insn]);
  m.cpu.r[0] = 0xdeadbeef;
  m.step(1);
  return m.reg('r0');
}

function mcr(m: ArmTestMachine, insn: number, value: number): void {
  m.load([insn]);
  m.cpu.r[0] = value;
  m.step(1);
}

test('identification registers of a Cortex-A15 r2p1', (t) => {
  const m = new ArmTestMachine();
  t.is(mrc(m, 0xee100f10), 0x412fc0f1, 'MIDR');
  t.is(mrc(m, 0xee100fb0), 0x80000000, 'MPIDR: multiprocessing format, core 0');
  t.is(mrc(m, 0xee300f30), 0x0a200023, 'CLIDR');
  t.is(mrc(m, 0xee100f91) & 0xf, 5, 'ID_MMFR0 VMSA field: VMSAv7 with LPAE');
  t.is(mrc(m, 0xee1e0f10), 62_500_000, 'CNTFRQ');
});

test('ID_PFR1 advertises the Virtualization Extensions only when built with them', (t) => {
  t.is(mrc(new ArmTestMachine(), 0xee100f31), 0x00010001);
  t.is(mrc(new ArmTestMachine({ virtualization: true }), 0xee100f31), 0x00011001);
});

test('CCSIDR follows CSSELR (L1 data, L1 instruction, L2)', (t) => {
  const m = new ArmTestMachine();
  const csselr = 0xee400f10; // mcr p15, 2, r0, c0, c0, 0
  const ccsidr = 0xee300f10; // mrc p15, 1, r0, c0, c0, 0
  mcr(m, csselr, 0);
  t.is(mrc(m, ccsidr), 0x701fe00a);
  mcr(m, csselr, 1);
  t.is(mrc(m, ccsidr), 0x201fe00a);
  mcr(m, csselr, 2);
  t.is(mrc(m, ccsidr), 0x711fe07a);
});

test('VBAR ignores its low five bits; CPACR keeps only the CP10/CP11 and ASEDIS/D32DIS fields', (t) => {
  const m = new ArmTestMachine();
  mcr(m, 0xee0c0f10, 0x12345678);
  t.is(m.cpu.sys.vbar, 0x12345660);
  mcr(m, 0xee010f50, 0xffffffff);
  t.is(mrc(m, 0xee110f50) >>> 0, 0xc0f00000);
});

test('a register that does not exist is UNDEFINED', (t) => {
  const m = new ArmTestMachine();
  m.load([0xee1f0fff]); // mrc p15, 0, r0, c15, c15, 7
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
  t.is(m.reg('lr'), 0x1004);
});

test('CP14 debug registers: DBGDIDR of a v7.1 debug unit, the OS lock, monitor-mode enable', (t) => {
  const m = new ArmTestMachine();
  t.is(mrc(m, 0xee100e10), 0x3515f021, 'DBGDIDR');
  t.is(mrc(m, 0xee110e95), 1, 'DBGPRSR: powered up');
  t.is(mrc(m, 0xee110e91) & 2, 2, 'DBGOSLSR: OS lock set at reset');
  mcr(m, 0xee010e90, 0); // DBGOSLAR: any value but the key unlocks
  t.is(mrc(m, 0xee110e91) & 2, 0);
  mcr(m, 0xee000e52, 1 << 15); // DBGDSCRext.MDBGen, as Linux enables monitor mode
  t.is(mrc(m, 0xee100e52) & (1 << 15), 1 << 15);
  t.is(mrc(m, 0xee100e11) & (1 << 15), 1 << 15, 'DBGDSCRint shows the same bit');
});

test('CP14 registers that do not exist, and other coprocessors, are UNDEFINED', (t) => {
  let m = new ArmTestMachine();
  m.load([0xee130e73]); // mrc p14, 0, r0, c3, c3, 3
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
  m = new ArmTestMachine();
  m.load([0xee100710]); // mrc p7, 0, r0, c0, c0, 0
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
});

test('PL0 may read TPIDRURO but not write it, and may not read MIDR', (t) => {
  const m = new ArmTestMachine();
  mcr(m, 0xee0d0f70, 0xabcd); // TPIDRURO at PL1
  m.load([0xee1d0f70, 0xee0d0f70]);
  m.cpu.setRegister('cpsr', 0x10);
  m.step(1);
  t.is(m.reg('r0'), 0xabcd);
  m.step(1);
  t.is(m.cpu.mode, 0x1b, 'write from User mode is UNDEFINED');
  m.load([0xee100f10]);
  m.cpu.setRegister('cpsr', 0x10);
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
});

test('CP15 barrier operations are allowed at PL0', (t) => {
  const m = new ArmTestMachine();
  m.load([0xee070f95, 0xee070f9a, 0xee070fba]); // CP15ISB, CP15DSB, CP15DMB
  m.cpu.setRegister('cpsr', 0x10);
  m.step(3);
  t.is(m.cpu.mode, 0x10);
  t.is(m.reg('pc'), 0x100c);
});

test('Hyp registers exist only with the Virtualization Extensions and only from Hyp mode', (t) => {
  const hvbar = 0xee0c0f10 | (4 << 21); // mcr p15, 4, r0, c12, c0, 0
  let m = new ArmTestMachine();
  mcr(m, hvbar, 0x1000);
  t.is(m.cpu.mode, 0x1b);
  m = new ArmTestMachine({ virtualization: true });
  mcr(m, hvbar, 0x1000);
  t.is(m.cpu.mode, 0x1b, 'SVC mode may not write HVBAR');
});

test('ThumbEE registers (A2.12.1): TEECR is PL1-only; TEEHBR is open to PL0 until TEECR.XED is set', (t) => {
  const m = new ArmTestMachine();
  const teehbrRead = 0xeed10e10; // mrc p14, 6, r0, c1, c0, 0
  const teehbrWrite = 0xeec10e10; // mcr p14, 6, r0, c1, c0, 0
  const teecrRead = 0xeed00e10; // mrc p14, 6, r0, c0, c0, 0
  const teecrWrite = 0xeec00e10; // mcr p14, 6, r0, c0, c0, 0
  t.is(mrc(m, teecrRead), 0, 'TEECR resets to 0');
  t.is(mrc(m, teehbrRead), 0);
  mcr(m, teehbrWrite, 0x12345677);
  t.is(mrc(m, teehbrRead), 0x12345674, 'HandlerBase is bits [31:2]');
  // User mode: TEEHBR read and written while XED = 0.
  m.load([teehbrWrite, teehbrRead]);
  m.cpu.setRegister('cpsr', 0x10);
  m.cpu.r[0] = 0x8000;
  m.step(2);
  t.is(m.cpu.mode, 0x10);
  t.is(m.reg('r0'), 0x8000);
  // TEECR from User mode is UNDEFINED.
  m.load([teecrRead]);
  m.cpu.setRegister('cpsr', 0x10);
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
  // With XED set, PL0 access to TEEHBR is UNDEFINED too.
  m.cpu.setRegister('cpsr', 0x13);
  mcr(m, teecrWrite, 0xffffffff);
  t.is(mrc(m, teecrRead), 1, 'only XED is writable');
  m.load([teehbrRead]);
  m.cpu.setRegister('cpsr', 0x10);
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
});
