import test from 'ava';
import { installThumb } from '../../cores/arm/thumb/index.ts';
import type { ArmTestMachine } from './ArmTestMachine.ts';
import { HVBAR, HYP, S2, SVC, Stage2Tables, enableStage2, hypMachine } from './HypTestMachine.ts';

installThumb();

// Stage 2 translation of the Non-secure PL1&0 regime (ARM ARM B3.6.5, VTTBR,
// VTCR; long-descriptor stage 2 tables with S2AP and XN), its faults to Hyp
// mode (B3.12.5: HSR EC 0x24/0x20, HDFAR/HIFAR, HPFAR = IPA[39:12] in bits
// [31:4]) and the combined stage 1 + 2 results in the TLB. Data abort HSRs:
// EC[31:26] IL[25] ISV[24] SAS[23:22] SSE[21] SRT[19:16] S1PTW[7] WnR[6]
// DFSC[5:0] (long-descriptor fault status: Translation 0b0001LL, Permission
// 0b0011LL).

const NOP = 0xe320f000;
const LDR_R2_R1 = 0xe5912000; // ldr r2, [r1]

/** Stage 2: IPA 0–2 MiB → PA 0 (code, vectors, tables), IPA 0x80000000–2 MiB → PA 0x40000000. */
function stage2Machine(): { m: ArmTestMachine; tables: Stage2Tables } {
  const m = hypMachine();
  const tables = new Stage2Tables(m.bus, 0x80000);
  tables.block(0, 0);
  tables.block(0x80000000, 0x40000000);
  enableStage2(m, tables);
  return { m, tables };
}

/** Run `words` in Hyp mode at 0x3000, then go back to SVC mode at 0x1000. */
function inHyp(m: ArmTestMachine, words: number[]): void {
  m.cpu.switchMode(HYP);
  m.load(words, 0x3000);
  m.step(words.length);
  m.cpu.switchMode(SVC);
}

test('a PL1 load with stage 1 off goes IPA → PA through the stage 2 tables', (t) => {
  const { m } = stage2Machine();
  m.bus.write32(0x40000010, 0x12345678);
  m.cpu.r[1] = 0x80000010;
  m.load([NOP, LDR_R2_R1, 0xe5813004]); // nop; ldr r2, [r1]; str r3, [r1, #4]
  m.step(1);
  m.cpu.mmu.counters.walks = 0;
  m.cpu.mmu.counters.walkMemoryReferences = 0;
  m.cpu.r[3] = 0xabcd;
  m.step(2);
  t.is(m.reg('r2'), 0x12345678);
  t.is(m.bus.read32(0x40000014), 0xabcd);
  t.is(m.cpu.mmu.counters.walks, 1, 'the store hit the entry the load made');
  t.is(m.cpu.mmu.counters.walkMemoryReferences, 2, 'stage 2 from level 1: a table descriptor, then a block');
});

test('stage 2 set up by Hyp code (VTTBR, VTCR, HCR.VM) applies after ERET to PL1', (t) => {
  const m = hypMachine();
  const tables = new Stage2Tables(m.bus, 0x80000);
  tables.block(0, 0);
  tables.block(0x80000000, 0x40000000);
  m.bus.write32(0x40000010, 0x600df00d);
  m.cpu.switchMode(HYP);
  Object.assign(m.cpu.r, { 0: tables.base, 1: 5 << 16, 2: tables.vtcr, 3: 1 });
  m.cpu.elrHyp = 0x2000;
  m.cpu.spsr[7] = 0x1d3;
  m.load([0xec410f62, 0xee822f51, 0xee813f11, 0xe160006e], 0x3000); // mcrr VTTBR; mcr VTCR; mcr HCR; eret
  m.load([0xe5942000], 0x2000); // ldr r2, [r4]
  m.cpu.setPc(0x3000);
  m.cpu.r[4] = 0x80000010;
  m.step(5);
  t.is(m.cpu.mode, SVC);
  t.is(m.reg('r2'), 0x600df00d);
  t.is(m.cpu.sys.vmid, 5);
});

test('a load from an IPA with no stage 2 mapping: Data Abort to Hyp, HSR with the instruction syndrome, HDFAR, HPFAR', (t) => {
  const { m } = stage2Machine();
  m.cpu.r[1] = 0xc0000000;
  const dfsr = m.cpu.sys.dfsr;
  m.load([0xe5912004]); // ldr r2, [r1, #4]
  m.step(1);
  t.is(m.cpu.mode, HYP);
  t.is(m.reg('pc'), HVBAR + 0x14, 'routed from PL1: the Hyp Trap vector');
  // EC 0x24 | IL | ISV | SAS = word | SRT = 2 | DFSC = Translation, level 1 (the level 1 entry is invalid)
  t.is(m.cpu.sys.hsr >>> 0, 0x93820005);
  t.is(m.cpu.sys.hdfar >>> 0, 0xc0000004);
  t.is(m.cpu.sys.hpfar >>> 0, 0x00c00000); // IPA[39:12] = 0xc0000 in bits [31:4]
  t.is(m.cpu.elrHyp, 0x1000);
  t.is(m.cpu.sys.dfsr, dfsr, 'DFSR is the guest\'s and unchanged');
});

test('a store to a read-only stage 2 page: Permission fault, level 3, WnR, halfword syndrome; loads still work', (t) => {
  const { m, tables } = stage2Machine();
  tables.page(0x80200000, 0x40002000, S2.readOnly);
  m.bus.write32(0x40002000, 0x11112222);
  m.cpu.r[1] = 0x80200000;
  m.cpu.r[3] = 0xffff;
  m.load([LDR_R2_R1, 0xe1c130b2]); // ldr r2, [r1]; strh r3, [r1, #2]
  m.step(2);
  t.is(m.reg('r2'), 0x11112222);
  // EC 0x24 | IL | ISV | SAS = halfword | SRT = 3 | WnR | DFSC = Permission, level 3
  t.is(m.cpu.sys.hsr >>> 0, 0x9343004f);
  t.is(m.cpu.sys.hdfar >>> 0, 0x80200002);
  t.is(m.cpu.sys.hpfar >>> 0, 0x00802000);
  t.is(m.cpu.elrHyp, 0x1004);
  t.is(m.bus.read32(0x40002000), 0x11112222, 'nothing written');
});

test('instruction syndromes: LDRSH sets SSE, writeback and multiple-register forms have none (ISV = 0, IL = 1), 16-bit T32 has IL = 0', (t) => {
  const abort = (words: number[], thumb = false) => {
    const { m } = stage2Machine();
    m.cpu.r[1] = 0xc0000000;
    if (thumb) {
      m.bus.write16(0x1000, words[0]);
      m.cpu.setRegister('cpsr', m.cpu.cpsr | 0x20);
      m.cpu.setPc(0x1000);
    } else m.load(words);
    m.step(1);
    return m.cpu.sys.hsr >>> 0;
  };
  t.is(abort([0xe1d140f2]), 0x93640005, 'ldrsh r4, [r1, #2]: SAS halfword, SSE, SRT 4');
  t.is(abort([0xe4d15001]), 0x92000005, 'ldrb r5, [r1], #1 (post-indexed)');
  t.is(abort([0xe5a12004]), 0x92000045, 'str r2, [r1, #4]! (pre-indexed with writeback), WnR');
  t.is(abort([0xe891000c]), 0x92000005, 'ldm r1, {r2, r3}');
  t.is(abort([0xe1c120d0]), 0x92000005, 'ldrd r2, r3, [r1]');
  t.is(abort([0x680a], true), 0x91820005, 'T32 ldr r2, [r1]: 16-bit, IL = 0');
});

test('fetching from a stage 2 execute-never page: Prefetch Abort to Hyp with HIFAR and HPFAR', (t) => {
  const { m, tables } = stage2Machine();
  tables.page(0x80400000, 0x40004000, S2.readWrite, { xn: true });
  m.bus.write32(0x40004000, NOP);
  m.cpu.r[1] = 0x80400000;
  m.load([0xe12fff11]); // bx r1
  m.step(2);
  t.is(m.cpu.mode, HYP);
  t.is(m.reg('pc'), HVBAR + 0x14);
  t.is(m.cpu.sys.hsr >>> 0, 0x8200000f); // EC 0x20 | IL | IFSC = Permission, level 3
  t.is(m.cpu.sys.hifar >>> 0, 0x80400000);
  t.is(m.cpu.sys.hpfar >>> 0, 0x00804000);
  t.is(m.cpu.elrHyp >>> 0, 0x80400000);
});

/** Short-descriptor stage 1 (TTBCR.N = 1): TTBR0 table at IPA 0x84000 mapping VA 0 → IPA 0 and VA 0x30000000 → IPA 0x80000000. */
function withStage1(m: ArmTestMachine, ttbr1: number): void {
  const l1 = 0x84000;
  const section = (ipa: number) => ((ipa & 0xfff00000) | 0xc02) >>> 0; // AP = 11, domain 0, section
  for (let i = 0; i < 2048; i++) m.bus.write32(l1 + 4 * i, 0);
  m.bus.write32(l1, section(0));
  m.bus.write32(l1 + 4 * 0x300, section(0x80000000));
  const sys = m.cpu.sys;
  sys.ttbr0Lo = l1;
  sys.ttbr1Lo = ttbr1;
  sys.ttbcr = 1;
  sys.dacr = 1;
  sys.sctlr |= 1;
  m.cpu.translationChanged(true);
}

test('stage 1 and stage 2 combined: VA → IPA → PA, counted as one walk of five references; ATS1CPR gives the IPA, ATS12NSOPR the PA', (t) => {
  const { m } = stage2Machine();
  withStage1(m, 0xc0000000);
  m.bus.write32(0x40000010, 0x0badcafe);
  m.cpu.r[1] = 0x30000010;
  m.load([NOP, LDR_R2_R1, 0xee071f18, 0xee170f14]); // nop; ldr; ATS1CPR r1; mrc PAR -> r0
  m.step(1);
  m.cpu.mmu.counters.walks = 0;
  m.cpu.mmu.counters.walkMemoryReferences = 0;
  m.step(1);
  t.is(m.reg('r2'), 0x0badcafe);
  t.is(m.cpu.mmu.counters.walks, 1);
  // One section descriptor (whose IPA needs a 2-descriptor stage 2 walk) and the output IPA's stage 2 walk.
  t.is(m.cpu.mmu.counters.walkMemoryReferences, 5);
  m.step(2);
  t.is(m.reg('r0'), 0x80000000, 'PAR holds the IPA (stage 1 only)');
  m.cpu.r[1] = 0x30000010;
  inHyp(m, [0xee071f98, 0xee170f14]); // ATS12NSOPR r1; mrc PAR
  t.is(m.reg('r0'), 0x40000800, 'PA, in the long format (LPAE bit 11) since stage 2 is on');
});

test('a stage 1 table at an IPA stage 2 does not map: S1PTW abort to Hyp with HPFAR = the descriptor\'s IPA', (t) => {
  const { m } = stage2Machine();
  withStage1(m, 0xc0000000); // VA ≥ 0x80000000 uses TTBR1, whose table is at IPA 0xc0000000
  m.cpu.r[1] = 0x80000000;
  m.load([LDR_R2_R1]);
  m.step(1);
  t.is(m.reg('pc'), HVBAR + 0x14);
  // EC 0x24 | IL | no syndrome | S1PTW | DFSC = Translation level 1 (of the stage 2 walk)
  t.is(m.cpu.sys.hsr >>> 0, 0x92000085);
  t.is(m.cpu.sys.hdfar >>> 0, 0x80000000);
  t.is(m.cpu.sys.hpfar >>> 0, 0x00c00020, 'descriptor at IPA 0xc0000000 + (0x800 << 2)');
});

test('the TLB keeps combined translations per VMID until TLBIALLNSNH', (t) => {
  const { m, tables } = stage2Machine();
  tables.page(0x80200000, 0x40080000);
  m.bus.write32(0x40080010, 0xbbbb0002);
  m.bus.write32(0x40000010, 0xaaaa0001);
  const load = () => {
    m.cpu.r[1] = 0x80200010;
    m.load([LDR_R2_R1]);
    m.step(1);
    return m.reg('r2');
  };
  const setVmid = (vmid: number) => {
    m.cpu.r[0] = tables.base;
    m.cpu.r[1] = vmid << 16;
    inHyp(m, [0xec410f62]); // mcrr VTTBR
  };
  t.is(load(), 0xbbbb0002);
  tables.page(0x80200000, 0x40000000); // remap the page in memory only
  t.is(load(), 0xbbbb0002, 'the change is not seen before TLB maintenance');
  setVmid(2);
  t.is(load(), 0xaaaa0001, 'another VMID walks the new tables');
  setVmid(1);
  inHyp(m, [0xee880f97]); // TLBIALLNSNH
  t.is(load(), 0xaaaa0001, 'after TLBIALLNSNH VMID 1 uses the new mapping too');
});

test('with HCR.VM clear the same core translates IPA = PA again', (t) => {
  const { m } = stage2Machine();
  m.cpu.sys.hcr = 0;
  m.cpu.r[0] = 0;
  inHyp(m, [0xee810f11]); // mcr HCR, r0 (VM off)
  m.bus.write32(0x40000010, 0x7777);
  m.cpu.r[1] = 0x40000010;
  m.load([LDR_R2_R1]);
  m.step(1);
  t.is(m.reg('r2'), 0x7777);
  t.is(m.cpu.mode, SVC);
});

test('HCR.DC: stage 1 treated as off (SCTLR.M ignored), stage 2 on even with HCR.VM clear', (t) => {
  const { m } = stage2Machine();
  m.cpu.sys.hcr = 1 << 12; // DC alone
  m.cpu.sys.sctlr |= 1; // would fault everywhere with TTBR0 = 0 and no tables
  m.cpu.translationChanged(true);
  m.bus.write32(0x40000010, 0x0dc0ffee);
  m.cpu.r[1] = 0x80000010;
  m.load([LDR_R2_R1]);
  m.step(1);
  t.is(m.cpu.mode, SVC);
  t.is(m.reg('r2'), 0x0dc0ffee);
});

test('HCR.PTW: a stage 1 table in stage 2 Device memory is a stage 2 Permission fault on the walk (S1PTW)', (t) => {
  const build = (ptw: boolean) => {
    const { m, tables } = stage2Machine();
    tables.page(0x80300000, 0x40010000, S2.readWrite, { device: true }); // the stage 1 table's IPA page
    m.bus.write32(0x40010000, 0x00000c02); // VA 0 section → IPA 0 (AP = 11)
    const sys = m.cpu.sys;
    sys.ttbr0Lo = 0x80300000;
    sys.ttbcr = 2; // N = 2: TTBR0 covers VA below 1 GiB with a 4 KiB table
    sys.dacr = 1;
    sys.sctlr |= 1;
    sys.hcr = 1 | (ptw ? 1 << 2 : 0);
    m.cpu.translationChanged(true);
    m.load([NOP]);
    m.step(1);
    return m;
  };
  const ok = build(false);
  t.is(ok.reg('pc'), 0x1004, 'without PTW the walk reads Device memory');
  const m = build(true);
  t.is(m.reg('pc'), HVBAR + 0x14);
  t.is(m.cpu.sys.hsr >>> 0, 0x8200008f); // EC 0x20 | IL | S1PTW | IFSC = Permission, level 3
  t.is(m.cpu.sys.hpfar >>> 0, 0x00803000);
});

/** A tiny hypervisor as firmware would have it at HVBAR: emulates a device load, skips WFI, records HVC's HSR. */
const HYP_FIRMWARE = [
  0xeafffffe, 0xeafffffe, 0xeafffffe, 0xeafffffe, 0xeafffffe, // vectors 0x00–0x10: b .
  0xea000001, // 0x14 Hyp Trap: b trap
  0xeafffffe, 0xeafffffe, // 0x18, 0x1c
  // trap:
  0xe28aa001, // add  r10, r10, #1
  0xee958f12, // mrc  p15, 4, r8, c5, c2, 0     HSR
  0xe1a09d28, // lsr  r9, r8, #26               EC
  0xe3590024, // cmp  r9, #0x24
  0x0a000004, // beq  dabort
  0xe3590001, // cmp  r9, #0x01
  0x0a000005, // beq  wfx
  0xe3590012, // cmp  r9, #0x12
  0x0a000008, // beq  hvc
  0xeafffffe, // b    .
  // dabort:
  0xee967f90, // mrc  p15, 4, r7, c6, c0, 4     HPFAR
  0xe30f2eed, // movw r2, #0xfeed               the "device" value into Rt (r2)
  0xea000000, // b    skip
  // wfx:
  0xe1a0b008, // mov  r11, r8
  // skip:
  0xe10e9300, // mrs  r9, ELR_hyp
  0xe2899004, // add  r9, r9, #4
  0xe12ef309, // msr  ELR_hyp, r9
  0xe160006e, // eret
  // hvc:
  0xe1a0c008, // mov  r12, r8
  0xe160006e, // eret
];

test('firmware as hypervisor: its Hyp code emulates a stage 2 fault, skips a trapped WFI and sees an HVC, then ERETs to the guest', (t) => {
  const { m } = stage2Machine();
  m.cpu.sys.hcr = 1 | (1 << 13); // VM, TWI
  m.cpu.hypTrapConfigChanged();
  m.load(HYP_FIRMWARE, HVBAR);
  m.load([
    0xe3a01103, // mov r1, #0xc0000000     (no stage 2 mapping there)
    0xe5912010, // ldr r2, [r1, #0x10]
    0xe320f003, // wfi
    0xe1400075, // hvc #5
    0xeafffffe, // b   .
  ], 0x2000);
  m.cpu.run(60);
  t.is(m.cpu.mode, SVC);
  t.is(m.reg('pc'), 0x2010);
  t.is(m.reg('r2'), 0xfeed);
  t.is(m.reg('r7'), 0x00c00000, 'HPFAR of IPA 0xc0000010');
  t.is(m.reg('r11'), 0x07e00000, 'the WFI\'s HSR');
  t.is(m.reg('r12'), 0x4a000005, 'the HVC\'s HSR');
  t.is(m.reg('r10'), 3, 'three entries to Hyp mode');
});
