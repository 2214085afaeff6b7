import test from 'ava';
import { HVBAR, HYP, SVC, Stage2Tables, USR, VBAR, hypMachine } from './HypTestMachine.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';
import { ArmCpu } from '../../cores/arm/ArmCpu.ts';
import { WalkResult } from '../../cores/arm/mmu/WalkResult.ts';
import { IrqLine } from '../../src/machine/IrqLine.ts';

// Hyp mode of the Virtualization Extensions (ARM ARM DDI 0406C B1.7, B1.8,
// B3.13.6 HSR, B9.3.3 ERET, B9.3.4 HVC). Expected values are worked out from
// the manual's encodings in the comments.

const NOP = 0xe320f000;
const HVC_1234 = 0xe1412374; // hvc #0x1234
const ERET = 0xe160006e;

test('HVC from SVC mode enters Hyp mode at HVBAR + 0x14 with HSR = EC 0x12, IL, imm16; ERET returns', (t) => {
  const m = hypMachine();
  m.bus.write32(HVBAR + 0x14, ERET);
  m.load([HVC_1234, NOP]);
  const cpsrBefore = m.cpu.cpsr;
  m.step(1);
  t.is(m.cpu.mode, HYP);
  t.is(m.reg('pc'), HVBAR + 0x14);
  t.is(m.cpu.sys.hsr >>> 0, 0x4a001234); // EC 0x12 << 26 | IL | 0x1234
  t.is(m.cpu.elrHyp, 0x1004, 'ELR_hyp = the instruction after HVC (preferred return address)');
  t.is(m.cpu.spsr[7] >>> 0, cpsrBefore, 'SPSR_hyp = the CPSR of SVC mode');
  t.is(m.cpu.cpsr & 0x1c0, 0x1c0, 'A, I and F masked');
  m.step(1); // eret
  t.is(m.cpu.mode, SVC);
  t.is(m.reg('pc'), 0x1004);
  t.is(m.cpu.cpsr, cpsrBefore);
});

test('HVC is UNDEFINED at PL1 when HCR.HCD is set, but still works in Hyp mode', (t) => {
  const m = hypMachine();
  m.cpu.sys.hcr = 1 << 29;
  m.load([HVC_1234]);
  m.step(1);
  t.is(m.cpu.mode, 0x1b, 'Undefined mode');
  t.is(m.reg('pc'), VBAR + 0x04);
  const h = hypMachine();
  h.cpu.sys.hcr = 1 << 29;
  h.cpu.switchMode(HYP);
  h.load([HVC_1234]);
  h.step(1);
  t.is(h.cpu.mode, HYP);
  t.is(h.reg('pc'), HVBAR + 0x08, 'HVC in Hyp mode uses the Hypervisor Call vector');
});

test('an UNDEFINED instruction in Hyp mode is taken to Hyp mode: HVBAR + 0x04, HSR EC 0 with IL, ELR_hyp = the instruction', (t) => {
  const m = hypMachine();
  m.cpu.switchMode(HYP);
  m.load([NOP, 0xe7f000f0]); // udf #0
  m.step(2);
  t.is(m.cpu.mode, HYP);
  t.is(m.reg('pc'), HVBAR + 0x04);
  t.is(m.cpu.sys.hsr >>> 0, 0x02000000);
  t.is(m.cpu.elrHyp, 0x1004);
});

test('SVC in Hyp mode is taken to Hyp mode at HVBAR + 0x08 with EC 0x11 and the immediate', (t) => {
  const m = hypMachine();
  m.cpu.switchMode(HYP);
  m.load([0xef000042]); // svc #0x42
  m.step(1);
  t.is(m.reg('pc'), HVBAR + 0x08);
  t.is(m.cpu.sys.hsr >>> 0, 0x46000042); // EC 0x11 << 26 | IL | 0x42
  t.is(m.cpu.elrHyp, 0x1004);
});

test('HCR.TGE routes SVC and UNDEFINED from User mode to the Hyp Trap vector', (t) => {
  const m = hypMachine();
  m.cpu.sys.hcr = 1 << 27;
  m.cpu.switchMode(USR);
  m.load([0xef000042]);
  m.step(1);
  t.is(m.cpu.mode, HYP);
  t.is(m.reg('pc'), HVBAR + 0x14);
  t.is(m.cpu.sys.hsr >>> 0, 0x46000042);
  const u = hypMachine();
  u.cpu.sys.hcr = 1 << 27;
  u.cpu.switchMode(USR);
  u.load([0xe7f000f0]);
  u.step(1);
  t.is(u.reg('pc'), HVBAR + 0x14);
  t.is(u.cpu.sys.hsr >>> 0, 0x02000000);
  t.is(u.cpu.elrHyp, 0x1000);
  const s = hypMachine();
  s.cpu.sys.hcr = 1 << 27;
  s.load([0xef000042]);
  s.step(1);
  t.is(s.cpu.mode, SVC, 'from SVC mode itself an SVC still goes to SVC mode');
});

test('MIDR and MPIDR read at PL1 return VPIDR and VMPIDR; Hyp mode reads the real ones', (t) => {
  const m = hypMachine();
  m.cpu.sys.vpidr = 0x410fc0f0;
  m.cpu.sys.vmpidr = 0x80000003;
  m.load([0xee100f10, 0xee101fb0]); // mrc MIDR -> r0; mrc MPIDR -> r1
  m.step(2);
  t.is(m.reg('r0'), 0x410fc0f0);
  t.is(m.reg('r1'), 0x80000003);
  m.cpu.switchMode(HYP);
  m.load([0xee100f10, 0xee101fb0]);
  m.step(2);
  t.is(m.reg('r0'), 0x412fc0f1);
  t.is(m.reg('r1'), 0x80000000);
});

test('VPIDR and VMPIDR reset to MIDR and MPIDR', (t) => {
  const m = hypMachine();
  t.is(m.cpu.sys.vpidr >>> 0, 0x412fc0f1);
  t.is(m.cpu.sys.vmpidr >>> 0, 0x80000000);
});

test('Hyp registers keep only their defined bits: HCR bit 28, HSCTLR RES1 bits, HCPTR reads-as-one bits', (t) => {
  const m = hypMachine();
  m.cpu.switchMode(HYP);
  m.cpu.r[0] = 0xffffffff;
  // mcr HCR; mrc HCR -> r0; mcr HSCTLR (r0 = 0 first); mrc HSCTLR; mrc HCPTR
  m.load([0xee810f11, 0xee910f11]);
  m.step(2);
  t.is(m.reg('r0'), 0x2fffffff, 'bits 31:30 and 28 of HCR are reserved in ARMv7');
  m.cpu.sys.hcr = 0;
  m.cpu.r[0] = 0;
  m.load([0xee810f10, 0xee910f10, 0xee910f51]); // mcr HSCTLR, r0; mrc HSCTLR; mrc HCPTR
  m.step(3);
  t.is(m.reg('r0'), 0x000033ff, 'HCPTR: the traps of the coprocessors that do not exist read as one');
  t.is(m.cpu.sys.hsctlr >>> 0, 0x30c50818, 'HSCTLR bits 29:28, 23:22, 18, 16, 11, 4:3 read as one');
});

test('Hyp registers are UNDEFINED outside Hyp mode, and absent without the extensions', (t) => {
  const m = hypMachine();
  m.load([0xee950f12]); // mrc HSR at PL1
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
  const plain = new ArmTestMachine();
  plain.cpu.switchMode(0x1f);
  plain.load([HVC_1234]);
  plain.step(1);
  t.is(plain.cpu.mode, 0x1b, 'HVC is UNDEFINED without the Virtualization Extensions');
});

test('the Hyp translation regime: HTTBR tables with HSCTLR.M, AP[2] read-only, faults to HVBAR + 0x10 with HDFAR', (t) => {
  const m = hypMachine();
  // Hyp stage 1 uses the long-descriptor format; the stage 2 table builder writes the same
  // descriptor layout, its "S2AP" field landing on AP[2:1] (bits 7:6): 1 = AP 01 (RW), 3 = AP 11 (RO).
  const tables = new Stage2Tables(m.bus, 0x80000);
  tables.block(0, 0, 1); // VA 0-2 MiB → PA 0, read/write (code, vectors)
  tables.page(0x40000000, 0x40001000, 3); // read-only page, mapped elsewhere
  m.bus.write32(0x40001000, 0xcafef00d);
  m.cpu.switchMode(HYP);
  m.cpu.r[0] = tables.base;
  m.cpu.r[1] = 0;
  m.cpu.r[2] = 0; // HTCR: T0SZ = 0
  m.cpu.r[3] = 0x30c50819; // HSCTLR with M
  m.load([
    0xec410f42, // mcrr p15, 4, r0, r1, c2 (HTTBR)
    0xee822f50, // mcr p15, 4, r2, c2, c0, 2 (HTCR)
    0xee813f10, // mcr p15, 4, r3, c1, c0, 0 (HSCTLR)
    0xe3a01101, // mov r1, #0x40000000
    0xe5912000, // ldr r2, [r1]
    0xe5813000, // str r3, [r1]
  ]);
  m.step(5);
  t.is(m.reg('r2'), 0xcafef00d, 'VA 0x40000000 reads PA 0x40001000');
  m.step(1);
  t.is(m.reg('pc'), HVBAR + 0x10, 'Data Abort taken from Hyp mode');
  // EC 0x25 << 26 | IL (no instruction syndrome for a stage 1 fault) | WnR | DFSC 0b001111 (permission, level 3)
  t.is(m.cpu.sys.hsr >>> 0, 0x9600004f);
  t.is(m.cpu.sys.hdfar >>> 0, 0x40000000);
  t.is(m.cpu.elrHyp, 0x1014, 'ELR_hyp = the faulting instruction');
  t.is(m.bus.read32(0x40001000), 0xcafef00d, 'nothing written');
  t.is(m.cpu.sys.dfsr, 0, 'DFSR belongs to PL1 and is untouched');
});

test('HCR.FB broadcasts a PL1 TLBIALL to the other cores', (t) => {
  // Two cores on one bus: TLBIALL on core 0 with FB clears core 1's TLB only when FB is set.
  const m = hypMachine();
  const other = new ArmCpu({ index: 1, bus: m.bus, clock: m.clock, stop: { requestStop: () => {} }, virtualization: true });
  const w = new WalkResult();
  w.pageAddress = 0x5000;
  other.tlb.insert(5, 0, 0, w);
  m.load([0xee080f17]); // mcr p15, 0, r0, c8, c7, 0 (TLBIALL)
  m.step(1);
  t.not(other.tlb.find(5, 0, 0), -1, 'not broadcast without FB');
  m.cpu.sys.hcr = 1 << 9;
  m.load([0xee080f17]);
  m.step(1);
  t.is(other.tlb.find(5, 0, 0), -1, 'broadcast with FB');
});

test('CNTVOFF written in Hyp mode offsets CNTVCT as PL1 reads it; CNTPCT is unchanged', (t) => {
  const m = hypMachine();
  m.clock.advanceTo(1_000_000); // 62 500 ticks
  m.cpu.switchMode(HYP);
  m.cpu.r[0] = 500;
  m.cpu.r[1] = 0;
  m.load([0xec410f4e]); // mcrr p15, 4, r0, r1, c14 (CNTVOFF)
  m.step(1);
  m.cpu.switchMode(SVC);
  m.load([0xec510f1e, 0xec532f0e]); // mrrc CNTVCT -> r0, r1; mrrc CNTPCT -> r2, r3
  m.step(2);
  t.is(m.reg('r0'), 62_000);
  t.is(m.reg('r2'), 62_500);
});

test('the Hyp physical timer (CNTHP_TVAL/CTL) raises its own line when it expires', (t) => {
  const levels: boolean[] = [];
  const line = new IrqLine({ setIrqLevel: (_i, level) => levels.push(level) }, 26, 'cnthp');
  const m = new ArmTestMachine({ virtualization: true, timerIrqs: { hyp: line } });
  m.cpu.switchMode(HYP);
  m.cpu.r[0] = 10; // ticks
  m.load([0xee8e0f12, 0xe3a00001, 0xee8e0f32]); // mcr CNTHP_TVAL, r0; mov r0, #1; mcr CNTHP_CTL, r0
  m.step(3);
  t.false(levels.includes(true));
  m.clock.advanceTo(10 * 16 + 100);
  t.true(levels.at(-1), 'asserted once the count reaches the compare value');
  m.load([0xee9e0f32]); // mrc CNTHP_CTL
  m.step(1);
  t.is(m.reg('r0'), 5, 'ENABLE and ISTATUS');
});

test('MRS/MSR ELR_hyp in Hyp mode read and write ELR_hyp, not the LR Hyp mode shares with User mode', (t) => {
  const m = hypMachine();
  m.cpu.switchMode(HYP);
  m.cpu.elrHyp = 0x2004;
  m.cpu.r[14] = 0x7777;
  m.load([0xe10e9300, 0xe2899004, 0xe12ef309]); // mrs r9, ELR_hyp; add r9, r9, #4; msr ELR_hyp, r9
  m.step(3);
  t.is(m.reg('r9'), 0x2008);
  t.is(m.cpu.elrHyp, 0x2008);
  t.is(m.reg('lr'), 0x7777);
});
