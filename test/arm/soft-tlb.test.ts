import test from 'ava';
import { Tlb } from '../../cores/arm/mmu/Tlb.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * The soft TLB (ArmCpu: typed arrays from virtual page to RAM) against the
 * TLB rules of the ARM ARM (B3.9, B3.10): a bank per recent ASID kept across
 * context switches, and TLBIMVA dropping one page unless a larger mapping
 * holds it. Each test checks what the guest reads, and the counters check that
 * the cheap path was the one taken.
 *
 * Short-descriptor tables: 0x00000000 and 0x40000000 are identity sections
 * (code, tables); 0x80000000 is a second-level table per ASID's tables whose
 * small pages point at data words that say which page they are.
 */

const LDR = 0xe5902000; // ldr r2, [r0]
const MCR_TLBIMVA = 0xee080f37; // mcr p15, 0, r0, c8, c7, 1
const MCR_TLBIASID = 0xee080f57; // mcr p15, 0, r0, c8, c7, 2
const MCR_SCTLR = 0xee010f10; // mcr p15, 0, r0, c1, c0, 0
const MCR_DACR = 0xee030f10; // mcr p15, 0, r0, c3, c0, 0
const MCR_TTBR0 = 0xee020f10; // mcr p15, 0, r0, c2, c0, 0
const MCR_CONTEXTIDR = 0xee0d0f30; // mcr p15, 0, r0, c13, c0, 1

/** Two address spaces: level 1 tables at 0x40004000 and 0x40008000, level 2 tables at 0x4000c000 and 0x4000d000. */
const L1 = [0x40004000, 0x40008000];
const L2 = [0x4000c000, 0x4000d000];
/** Data pages: space s, page p (of 0x80000000 + p·4 KiB) at 0x40020000 + (8s + p)·4 KiB, holding 0x5000 + 16s + p. */
const dataPage = (s: number, p: number) => 0x40020000 + (8 * s + p) * 0x1000;
const marker = (s: number, p: number) => 0x5000 + 16 * s + p;

function section(pa: number): number {
  return ((pa & 0xfff00000) | (0b11 << 10) | 2) >>> 0; // full access, domain 0
}

/** Small page descriptor, non-global (nG, bit 11): its TLB entries belong to an ASID (B3.9.3). */
function smallPage(pa: number): number {
  return ((pa & 0xfffff000) | (1 << 11) | (0b11 << 4) | 2) >>> 0;
}

function machine(): ArmTestMachine {
  const m = new ArmTestMachine();
  for (let s = 0; s < 2; s++) {
    m.bus.write32(L1[s] + (0x00000000 >>> 20) * 4, section(0));
    m.bus.write32(L1[s] + (0x40000000 >>> 20) * 4, section(0x40000000));
    m.bus.write32(L1[s] + (0x80000000 >>> 20) * 4, (L2[s] | 1) >>> 0);
    for (let p = 0; p < 8; p++) {
      m.bus.write32(L2[s] + p * 4, smallPage(dataPage(s, p)));
      m.bus.write32(dataPage(s, p), marker(s, p));
    }
  }
  mcr(m, MCR_TTBR0, L1[0]);
  mcr(m, MCR_CONTEXTIDR, 1);
  mcr(m, MCR_DACR, 0x55555555);
  mcr(m, MCR_SCTLR, m.cpu.sys.sctlr | 1);
  return m;
}

function mcr(m: ArmTestMachine, insn: number, value: number): void {
  m.load([insn]);
  m.cpu.r[0] = value;
  m.step(1);
}

function load(m: ArmTestMachine, va: number): number {
  m.load([LDR]);
  m.cpu.r[0] = va;
  m.step(1);
  return m.cpu.r[2] >>> 0;
}

/** Switch to address space `s` (tables L1[s], ASID s + 1) through the reserved ASID 0, as an OS does (B3.10.4). */
function switchTo(m: ArmTestMachine, s: number): void {
  mcr(m, MCR_CONTEXTIDR, 0);
  mcr(m, MCR_TTBR0, L1[s]);
  mcr(m, MCR_CONTEXTIDR, s + 1);
}

test('each ASID reads its own pages, and switching back finds its translations still cached', (t) => {
  const m = machine();
  t.is(load(m, 0x80001000), marker(0, 1));
  switchTo(m, 1);
  t.is(load(m, 0x80001000), marker(1, 1), 'the other ASID\'s tables');
  const hits = m.cpu.softBankHits;
  switchTo(m, 0);
  // Two banks found filled: the reserved ASID 0's (the code's fetches) and ASID 1's.
  t.is(m.cpu.softBankHits, hits + 2, 'the first ASID\'s soft-TLB bank was still filled');
  t.is(load(m, 0x80001000), marker(0, 1));
  // Proof that the entry came from the bank, not a walk: the tables changed without maintenance
  // (the TLB may keep the old translation, B3.10.1), so a walk would read the new page.
  m.bus.write32(L2[0] + 2 * 4, smallPage(dataPage(0, 7)));
  t.is(load(m, 0x80002000), marker(0, 7), 'page 2 was never cached: walked');
  m.bus.write32(L2[0] + 1 * 4, smallPage(dataPage(0, 6)));
  switchTo(m, 1);
  switchTo(m, 0);
  t.is(load(m, 0x80001000), marker(0, 1), 'stale until invalidated');
  mcr(m, MCR_TLBIASID, 1);
  t.is(load(m, 0x80001000), marker(0, 6), 'TLBIASID drops the ASID\'s entries');
  switchTo(m, 1);
  t.is(load(m, 0x80001000), marker(1, 1), 'the other ASID reads its own page still');
});

test('TLBIMVA of a small page drops that page only, in every ASID\'s bank', (t) => {
  const m = machine();
  t.is(load(m, 0x80003000), marker(0, 3));
  t.is(load(m, 0x80004000), marker(0, 4));
  switchTo(m, 1);
  t.is(load(m, 0x80003000), marker(1, 3));
  switchTo(m, 0);
  m.bus.write32(L2[0] + 3 * 4, smallPage(dataPage(0, 5)));
  m.bus.write32(L2[0] + 4 * 4, smallPage(dataPage(0, 5)));
  const pageFlushes = m.cpu.softPageFlushes;
  mcr(m, MCR_TLBIMVA, 0x80003000 | 1);
  t.is(m.cpu.softPageFlushes, pageFlushes + 1, 'one page dropped, not the whole soft TLB');
  t.is(load(m, 0x80003000), marker(0, 5), 'the invalidated page is walked again');
  t.is(load(m, 0x80004000), marker(0, 4), 'the neighbouring page keeps its (stale) entry');
});

test('TLBIMVA inside a section the soft TLB cached drops all of the section\'s pages', (t) => {
  const m = machine();
  // 0x40000000 is a section: cache two of its pages, remap the section, invalidate a third page of it.
  t.is(load(m, dataPage(0, 1)), marker(0, 1));
  t.is(load(m, dataPage(1, 1)), marker(1, 1));
  m.bus.write32(L1[0] + (0xc0000000 >>> 20) * 4, section(0x40000000));
  m.bus.write32(L1[0] + (0x40000000 >>> 20) * 4, section(0));
  m.bus.write32(dataPage(0, 1) - 0x40000000, 0xabcd);
  const pageFlushes = m.cpu.softPageFlushes;
  mcr(m, MCR_TLBIMVA, 0x400ff000 | 1);
  t.is(m.cpu.softPageFlushes, pageFlushes, 'not a one-page flush');
  // Code still runs at 0x1000 (section 0 unchanged); the data VA now reaches low RAM.
  t.is(load(m, dataPage(0, 1)), 0xabcd);
});

test('TLBIASID empties only that ASID\'s bank; the other ASIDs keep theirs', (t) => {
  const m = machine();
  t.is(load(m, 0x80001000), marker(0, 1));
  switchTo(m, 1);
  t.is(load(m, 0x80001000), marker(1, 1));
  mcr(m, MCR_TLBIASID, 1); // ASID 1 is address space 0's, not the current one
  const hits = m.cpu.softBankHits;
  switchTo(m, 0);
  t.is(m.cpu.softBankHits, hits + 1, 'only the reserved ASID 0\'s bank was still filled');
  switchTo(m, 1);
  t.is(m.cpu.softBankHits, hits + 3, 'ASID 2\'s bank was kept');
});

test('the soft TLB never holds a translation the TLB has replaced (so a restored snapshot walks as the saving run)', (t) => {
  const m = machine();
  t.is(load(m, 0x80001000), marker(0, 1));
  // Remap without maintenance: the TLB may keep the old entry (B3.10.1), and still does.
  m.bus.write32(L2[0] + 1 * 4, smallPage(dataPage(0, 6)));
  t.is(load(m, 0x80001000), marker(0, 1), 'cached');
  // A global page whose TLB slot is the one of ASID 1's page 0x80001 (but not its soft-TLB
  // slot): its entry replaces that page's in the TLB. Global slots are the page number modulo
  // the TLB's size, so a global section mapped at the right megabyte has such a page.
  const slot = Tlb.privateSlot(0x80001, 1, 0);
  t.not(slot, 0x80001 & 2047);
  const va = (0x40000000 + slot * 4096) >>> 0;
  m.bus.write32(L1[0] + (va >>> 20) * 4, section(0x40000000));
  load(m, va);
  t.is(load(m, 0x80001000), marker(0, 6), 'walked again: the soft TLB dropped its copy too');
});
