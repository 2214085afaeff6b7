import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * Stage 1 translation with hand-built tables (ARM ARM B3.5 short-descriptor
 * and B3.6 long-descriptor formats): mappings, permission, domain,
 * translation and access-flag faults with their DFSR/IFSR encodings (B3.13.3
 * Tables B3-23/B3-24), TLB maintenance and the ATS1C* operations with PAR.
 * Code runs at 0x1000 (identity-mapped); tables and data live at 0x40000000.
 */

const LDR = 0xe5902000; // ldr r2, [r0]
const STR = 0xe5802000; // str r2, [r0]
const MCR_TLBIALL = 0xee080f17; // mcr p15, 0, r0, c8, c7, 0
const MCR_TLBIMVA = 0xee080f37; // mcr p15, 0, r0, c8, c7, 1
const MCR_ATS1CPR = 0xee070f18; // mcr p15, 0, r0, c7, c8, 0
const MRC_PAR = 0xee170f14; // mrc p15, 0, r0, c7, c4, 0
const MRRC_PAR = 0xec510f07; // mrrc p15, 0, r0, r1, c7
const MCR_SCTLR = 0xee010f10; // mcr p15, 0, r0, c1, c0, 0
const MCR_TTBCR = 0xee020f50; // mcr p15, 0, r0, c2, c0, 2
const MCR_DACR = 0xee030f10; // mcr p15, 0, r0, c3, c0, 0
const MCR_TTBR0 = 0xee020f10; // mcr p15, 0, r0, c2, c0, 0
const MCRR_TTBR0 = 0xec410f02; // mcrr p15, 0, r0, r1, c2

// --- short-descriptor format -------------------------------------------------------

const L1 = 0x40004000;
const L2 = 0x40008000;

/** Section descriptor: PA[31:20] | AP[2] (bit 15) | AP[1:0] (11:10) | domain (8:5) | XN (4) | 0b10. */
function section(pa: number, ap: number, domain = 0, xn = false): number {
  return ((pa & 0xfff00000) | ((ap >> 2) << 15) | ((ap & 3) << 10) | (domain << 5) | (xn ? 0x10 : 0) | 2) >>> 0;
}

function shortDescriptorMachine(): ArmTestMachine {
  const m = new ArmTestMachine();
  const w = (va: number, d: number) => m.bus.write32(L1 + (va >>> 20) * 4, d);
  w(0x00000000, section(0x00000000, 0b011)); // code, full access
  w(0x40000000, section(0x40000000, 0b001)); // tables and data, PL1 only
  w(0x80000000, section(0x40000000, 0b011)); // alias of the data
  w(0x80200000, section(0x40000000, 0b001)); // PL1 only
  w(0x80300000, section(0x40000000, 0b011, 1)); // domain 1
  w(0x80500000, section(0x40000000, 0b111)); // read-only
  w(0x80600000, section(0x40000000, 0b011, 0, true)); // execute-never
  w(0x80100000, (L2 | 1) >>> 0); // page table, domain 0
  m.bus.write32(L2 + 0x01 * 4, (0x40010000 | (0b11 << 4) | 2) >>> 0); // small page 0x80101000 -> 0x40010000
  for (let k = 0; k < 16; k++) m.bus.write32(L2 + (0x10 + k) * 4, (0x40020000 | (0b11 << 4) | 1) >>> 0); // large page 0x80110000
  // Supersection 0x81000000 -> 0x40000000 (16 identical entries, bit 18 set).
  for (let k = 0; k < 16; k++) w(0x81000000 + k * 0x100000, (0x40000000 | (1 << 18) | (0b11 << 10) | 2) >>> 0);
  m.bus.write32(0x40000000, 0x11111111);
  m.bus.write32(0x40000004, 0x22222222);
  m.bus.write32(0x40010000, 0x33333333);
  m.bus.write32(0x40020008, 0x44444444);
  // Turn the MMU on the way firmware does.
  m.load([MCR_TTBR0, MCR_DACR, MCR_SCTLR]);
  m.cpu.r[0] = L1;
  m.step(1);
  m.cpu.r[0] = 0x55555555 & ~0xc; // domain 0 and domains 2+ client, domain 1 no access
  m.step(1);
  m.cpu.r[0] = m.cpu.sys.sctlr | 1;
  m.step(1);
  return m;
}

function access(m: ArmTestMachine, insn: number, va: number, value = 0): void {
  m.load([insn]);
  m.cpu.r[0] = va;
  m.cpu.r[2] = value;
  m.step(1);
}

test('short descriptors: section, small page, large page and supersection translate', (t) => {
  const m = shortDescriptorMachine();
  access(m, LDR, 0x80000004);
  t.is(m.reg('r2'), 0x22222222, 'section');
  access(m, LDR, 0x80101000);
  t.is(m.reg('r2'), 0x33333333, 'small page');
  access(m, LDR, 0x8011f008 - 0xf000);
  t.is(m.reg('r2'), 0x44444444, 'large page');
  access(m, LDR, 0x81000004);
  t.is(m.reg('r2'), 0x22222222, 'supersection');
  t.is(m.cpu.mode, 0x13, 'no abort');
});

test('short descriptors: a translation fault reports FS 00101 and the address', (t) => {
  const m = shortDescriptorMachine();
  access(m, LDR, 0x80400010);
  t.is(m.cpu.mode, 0x17);
  t.is(m.cpu.sys.dfsr, 0x005);
  t.is(m.cpu.sys.dfar >>> 0, 0x80400010);
  t.is(m.reg('lr'), 0x1008);
});

test('short descriptors: a missing second-level entry is a page translation fault (FS 00111) with its domain', (t) => {
  const m = shortDescriptorMachine();
  access(m, LDR, 0x80102000);
  t.is(m.cpu.sys.dfsr, 0x007);
});

test('short descriptors: a write to a read-only section is a permission fault with WnR', (t) => {
  const m = shortDescriptorMachine();
  access(m, STR, 0x80500000, 1);
  t.is(m.cpu.mode, 0x17);
  t.is(m.cpu.sys.dfsr, 0x80d);
  t.is(m.bus.read32(0x40000000), 0x11111111, 'memory unchanged');
});

test('short descriptors: a No Access domain gives a domain fault naming the domain', (t) => {
  const m = shortDescriptorMachine();
  access(m, LDR, 0x80300000);
  t.is(m.cpu.sys.dfsr, 0x019);
});

test('short descriptors: a PL1-only section faults from User mode', (t) => {
  const m = shortDescriptorMachine();
  m.load([LDR]);
  m.cpu.r[0] = 0x80200000;
  m.cpu.setRegister('cpsr', 0x10);
  m.step(1);
  t.is(m.cpu.mode, 0x17);
  t.is(m.cpu.sys.dfsr, 0x00d);
  t.is(m.cpu.currentSpsr & 0x1f, 0x10);
});

test('short descriptors: fetching from an XN section is a Prefetch Abort', (t) => {
  const m = shortDescriptorMachine();
  m.load([0xe12fff10]); // bx r0
  m.cpu.r[0] = 0x80600000;
  m.step(2);
  t.is(m.cpu.mode, 0x17);
  t.is(m.cpu.sys.ifsr, 0x00d);
  t.is(m.cpu.sys.ifar >>> 0, 0x80600000);
  t.is(m.reg('lr'), 0x80600004);
  t.is(m.reg('pc'), 0x0c, 'at the Prefetch Abort vector');
});

test('the TLB keeps a translation until TLBIMVA removes it', (t) => {
  const m = shortDescriptorMachine();
  access(m, LDR, 0x80000000);
  t.is(m.reg('r2'), 0x11111111);
  m.bus.write32(L1 + 0x800 * 4, section(0x00000000, 0b011)); // remap 0x80000000 -> 0
  m.bus.write32(0, 0x99999999);
  access(m, LDR, 0x80000000);
  t.is(m.reg('r2'), 0x11111111, 'stale entry still used');
  access(m, MCR_TLBIMVA, 0x80000000);
  access(m, LDR, 0x80000000);
  t.is(m.reg('r2'), 0x99999999, 'new mapping after TLBIMVA');
});

test('TLBIMVA of any address in a section drops the whole section; TLBIALL drops everything', (t) => {
  const m = shortDescriptorMachine();
  access(m, LDR, 0x80000004);
  m.bus.write32(L1 + 0x800 * 4, section(0x00000000, 0b011));
  m.bus.write32(4, 0x77777777);
  access(m, MCR_TLBIMVA, 0x800ff000);
  access(m, LDR, 0x80000004);
  t.is(m.reg('r2'), 0x77777777);
  m.bus.write32(L1 + 0x800 * 4, section(0x40000000, 0b011));
  access(m, MCR_TLBIALL, 0);
  access(m, LDR, 0x80000004);
  t.is(m.reg('r2'), 0x22222222);
});

test('ATS1CPR writes the physical address to PAR, or the fault with F = 1', (t) => {
  const m = shortDescriptorMachine();
  m.load([MCR_ATS1CPR, MRC_PAR]);
  m.cpu.r[0] = 0x80101abc;
  m.step(2);
  t.is(m.reg('r0'), 0x40010000);
  m.load([MCR_ATS1CPR, MRC_PAR]);
  m.cpu.r[0] = 0x80400000;
  m.step(2);
  t.is(m.reg('r0'), (0b00101 << 1) | 1);
});

test('SCTLR.AFE: AP[0] is the access flag, clear means an access flag fault', (t) => {
  const m = shortDescriptorMachine();
  m.bus.write32(L1 + 0x870 * 4, section(0x40000000, 0b010)); // AP[0] = 0
  m.bus.write32(L1 + 0x871 * 4, section(0x40000000, 0b011)); // AP[2:1] = 01: RW at any level
  m.load([MCR_SCTLR]);
  m.cpu.r[0] = m.cpu.sys.sctlr | (1 << 29);
  m.step(1);
  access(m, LDR, 0x87000000);
  t.is(m.cpu.mode, 0x17);
  t.is(m.cpu.sys.dfsr, 0x003);
  m.cpu.switchMode(0x13);
  access(m, LDR, 0x87100004);
  t.is(m.reg('r2'), 0x22222222);
});

// --- long-descriptor (LPAE) format -----------------------------------------------------

const LPAE_L1 = 0x40004000;
const LPAE_L2 = 0x40005000;
const LPAE_L3 = 0x40006000;
const AF = 1 << 10;

function write64(m: ArmTestMachine, addr: number, lo: number, hi = 0): void {
  m.bus.write32(addr, lo >>> 0);
  m.bus.write32(addr + 4, hi >>> 0);
}

/** Tables like U-Boot's: TTBCR.EAE, T0SZ = 0, TTBR0 written with MCRR. */
function longDescriptorMachine(): ArmTestMachine {
  const m = new ArmTestMachine();
  write64(m, LPAE_L1 + 0 * 8, 0x00000000 | AF | (1 << 6) | 1); // 0-1 GiB: block, RW at PL1 and PL0 (code)
  write64(m, LPAE_L1 + 1 * 8, LPAE_L2 | 3); // 1-2 GiB: table
  write64(m, LPAE_L1 + 3 * 8, 0x40000000 | AF | (1 << 6) | 1, 1 << 22); // 3-4 GiB: block to 0x40000000, PL0 too, XN
  write64(m, LPAE_L2 + 0 * 8, 0x40000000 | AF | 1); // 0x40000000: 2 MiB block, identity
  write64(m, LPAE_L2 + 1 * 8, LPAE_L3 | 3); // 0x40200000: table
  write64(m, LPAE_L3 + 0 * 8, 0x40010000 | AF | 3); // page
  write64(m, LPAE_L3 + 1 * 8, 0x40010000 | AF | (2 << 6) | 3); // read-only page
  write64(m, LPAE_L3 + 2 * 8, 0x40010000 | 3); // access flag clear
  m.bus.write32(0x40000000, 0x11111111);
  m.bus.write32(0x40010000, 0x33333333);
  m.load([MCR_TTBCR, MCRR_TTBR0, MCR_SCTLR]);
  m.cpu.r[0] = 0x80000000; // EAE, T0SZ = 0
  m.step(1);
  m.cpu.r[0] = LPAE_L1;
  m.cpu.r[1] = 0;
  m.step(1);
  m.cpu.r[0] = m.cpu.sys.sctlr | 1;
  m.step(1);
  return m;
}

test('LPAE: 1 GiB block, 2 MiB block and 4 KiB page translate', (t) => {
  const m = longDescriptorMachine();
  access(m, LDR, 0x40000000);
  t.is(m.reg('r2'), 0x11111111, '2 MiB block');
  access(m, LDR, 0x40200000);
  t.is(m.reg('r2'), 0x33333333, 'page');
  access(m, LDR, 0xc0000000);
  t.is(m.reg('r2'), 0x11111111, '1 GiB block');
  t.is(m.cpu.mode, 0x13);
});

test('LPAE: translation faults at levels 1 and 2 use the long FSR format', (t) => {
  let m = longDescriptorMachine();
  access(m, LDR, 0x80000000);
  t.is(m.cpu.sys.dfsr, 0x205, 'LPAE bit, translation fault level 1');
  t.is(m.cpu.sys.dfar >>> 0, 0x80000000);
  m = longDescriptorMachine();
  access(m, LDR, 0x40400000);
  t.is(m.cpu.sys.dfsr, 0x206, 'level 2');
});

test('LPAE: a write to a read-only page is a level 3 permission fault', (t) => {
  const m = longDescriptorMachine();
  access(m, STR, 0x40201000, 5);
  t.is(m.cpu.mode, 0x17);
  t.is(m.cpu.sys.dfsr, 0xa0f);
});

test('LPAE: a clear access flag faults', (t) => {
  const m = longDescriptorMachine();
  access(m, LDR, 0x40202000);
  t.is(m.cpu.sys.dfsr, 0x20b);
});

test('LPAE: AP[1] = 0 denies User mode; XN stops fetches with a Prefetch Abort', (t) => {
  let m = longDescriptorMachine();
  m.load([LDR]);
  m.cpu.r[0] = 0x40000000;
  m.cpu.setRegister('cpsr', 0x10);
  m.step(1);
  t.is(m.cpu.sys.dfsr, 0x20e, 'permission fault level 2');
  m = longDescriptorMachine();
  m.load([0xe12fff10]); // bx r0
  m.cpu.r[0] = 0xc0001000;
  m.step(2);
  t.is(m.cpu.sys.ifsr, 0x20d);
  t.is(m.cpu.sys.ifar >>> 0, 0xc0001000);
});

test('LPAE: ATS1CPR gives the 64-bit PAR format (bit 11) with the PA', (t) => {
  const m = longDescriptorMachine();
  m.load([MCR_ATS1CPR, MRRC_PAR]);
  m.cpu.r[0] = 0x40200123;
  m.step(2);
  t.is(m.reg('r0') & 0xfffff800, 0x40010800);
  t.is(m.reg('r1') & 0xff, 0);
});

test('LPAE: TTBR0 round-trips through MCRR/MRRC with its ASID field', (t) => {
  const m = new ArmTestMachine();
  m.load([MCRR_TTBR0, 0xec510f02]); // mcrr; mrrc p15, 0, r0, r1, c2
  m.cpu.r[0] = 0x40004000;
  m.cpu.r[1] = 0x00050000; // ASID 5
  m.step(1);
  m.cpu.r[0] = 0;
  m.cpu.r[1] = 0;
  m.step(1);
  t.is(m.reg('r0'), 0x40004000);
  t.is(m.reg('r1'), 0x00050000);
});
