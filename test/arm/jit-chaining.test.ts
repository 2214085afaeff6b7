import test from 'ava';
import { installThumb } from '../../cores/arm/thumb/index.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';

installThumb();

/**
 * Chaining across pages (cores/arm/jit/CrossPageLinks.ts) against the
 * architecture: loops that cross a page boundary, a store that rewrites the
 * linked page, and the linked virtual page remapped to other code. Expected
 * values follow from the ARM ARM (DDI 0406C): a store to memory is seen by
 * later instruction fetches once the page is fetched again (the model keeps
 * instruction fetch coherent, like QEMU), and after TLB maintenance and an
 * ISB the new translation is used (B3.10). Each case runs with the
 * interpreter, and with the JIT compiling at once and making second tiers
 * (which link pages) after two or five entries.
 */

const CONFIGS = [false, { threshold: 1, tierUpEntries: 2 }, { threshold: 2, tierUpEntries: 5 }] as const;
const label = (jit: (typeof CONFIGS)[number]) => (jit === false ? 'interpreter' : `JIT threshold ${jit.threshold}, tier 2 after ${jit.tierUpEntries}`);

/** Run until the PC reaches `spin` (a branch to itself), in slices of `slice` instructions. */
function runTo(m: ArmTestMachine, spin: number, slice: number, limit = 100_000): void {
  for (let i = 0; i < limit && m.reg('pc') !== spin; i += slice) m.step(slice);
}

for (const jit of CONFIGS) {
  test(`${label(jit)}: an A32 loop across a page boundary`, (t) => {
    const m = new ArmTestMachine({ jit });
    // 0x1ff0 mov r0, #0; mov r6, #200; L: add r0, r0, #1; add r1, r1, #2 | 0x2000 subs r6, r6, #1; bne L; b .
    m.load([0xe3a00000, 0xe3a060c8, 0xe2800001, 0xe2811002, 0xe2566001, 0x1afffffb, 0xeafffffe], 0x1ff0);
    runTo(m, 0x2008, 37);
    t.is(m.reg('r0'), 200);
    t.is(m.reg('r1'), 400);
    if (jit !== false) t.true(m.cpu.jit!.stats.links > 0, 'the loop was chained across the pages');
  });

  test(`${label(jit)}: a store that rewrites a linked A32 page is seen by the next fetch`, (t) => {
    const m = new ArmTestMachine({ jit });
    // 0x1ff0 L: add r0, r0, #1; subs r6, r6, #1; beq P (0x1f00); b 0x2000 | 0x2000 add r2, r2, #1; b L
    m.load([0xe2800001, 0xe2566001, 0x0affffc0, 0xeaffffff, 0xe2822001, 0xeafffff9], 0x1ff0);
    // 0x1f00 P: cmp r7, #0; bne S; mov r7, #1; str r8, [r9] (add r2, r2, #16 over 0x2000); mov r6, #40; b L; S: b S
    m.load([0xe3570000, 0x1a000003, 0xe3a07001, 0xe5898000, 0xe3a06028, 0xea000035, 0xeafffffe], 0x1f00);
    m.cpu.setRegister('r6', 40);
    m.cpu.setRegister('r8', 0xe2822010);
    m.cpu.setRegister('r9', 0x2000);
    m.cpu.setPc(0x1ff0);
    runTo(m, 0x1f18, 23);
    // 39 passes through 0x2000 in each round: before the store, then after it.
    t.is(m.reg('r2'), 39 + 39 * 16);
    t.is(m.reg('r0'), 80);
    if (jit !== false) t.true(m.cpu.jit!.stats.links > 0);
  });

  test(`${label(jit)}: a linked virtual page mapped to other code runs the new code after TLBIALL (B3.10)`, (t) => {
    const m = new ArmTestMachine({ jit });
    m.bus.addRam('code', 0x50000000, 0x100000);
    // Level 1 table at 0x8000: VA 0 -> PA 0 (section); VA 0x600xxxxx through a level 2 table at 0x9000:
    // small pages VA 0x60000000 -> PA 0x50000000 and VA 0x60001000 -> PA 0x50001000, full access (AP = 11).
    m.bus.write32(0x8000, 0x00000c02);
    m.bus.write32(0x8000 + 0x600 * 4, 0x00009001);
    m.bus.write32(0x9000, 0x50000032);
    m.bus.write32(0x9004, 0x50001032);
    // VA 0x60000ff8 L: add r0, r0, #1; subs r6, r6, #1 | VA 0x60001000: add r2, r2, #K; bne L; bx r7
    m.bus.write32(0x50000ff8, 0xe2800001);
    m.bus.write32(0x50000ffc, 0xe2566001);
    [0xe2822001, 0x1afffffb, 0xe12fff17].forEach((w, i) => m.bus.write32(0x50001000 + 4 * i, w)); // K = 1
    [0xe2822064, 0x1afffffb, 0xe12fff17].forEach((w, i) => m.bus.write32(0x50002000 + 4 * i, w)); // K = 100
    // 0x1000: TTBR0 = 0x8000, DACR = manager, SCTLR.M = 1, ISB, bx r10 (VA 0x60000ff8).
    m.load([0xe3081000, 0xee021f10, 0xe3a01003, 0xee031f10, 0xee111f10, 0xe3811001, 0xee011f10, 0xf57ff06f, 0xe12fff1a]);
    // 0x1100: the first time, map VA 0x60001000 to PA 0x50002000, TLBIALL, ISB and go again; the second time spin.
    [0xe35b0000, 0x1a000005, 0xe3a0b001, 0xe3a06032, 0xe5898000, 0xee080f17, 0xf57ff06f, 0xe12fff1a, 0xeafffffe].forEach((w, i) =>
      m.bus.write32(0x1100 + 4 * i, w),
    );
    const c = m.cpu;
    c.setRegister('r6', 50);
    c.setRegister('r7', 0x1100);
    c.setRegister('r8', 0x50002032);
    c.setRegister('r9', 0x9004);
    c.setRegister('r10', 0x60000ff8);
    runTo(m, 0x1120, 41);
    t.is(m.reg('r0'), 100);
    t.is(m.reg('r2'), 50 + 50 * 100);
    if (jit !== false) t.true(m.cpu.jit!.stats.links > 0, 'the first mapping was linked before the remap');
  });

  test(`${label(jit)}: after an ASID and TTBR0 change the linked virtual page runs the other address space's code (B3.10.1)`, (t) => {
    const m = new ArmTestMachine({ jit });
    m.bus.addRam('code', 0x50000000, 0x100000);
    // Two level 1 tables (0x8000 for ASID 1, 0xc000 for ASID 2): VA 0 -> PA 0 (global section); VA 0x600xxxxx
    // through level 2 tables of non-global small pages (nG, AP = 11): VA 0x60000000 -> PA 0x50000000 in both,
    // VA 0x60001000 -> PA 0x50001000 for ASID 1 and PA 0x50002000 for ASID 2.
    for (const [l1, l2] of [[0x8000, 0x9000], [0xc000, 0x9400]]) {
      m.bus.write32(l1, 0x00000c02);
      m.bus.write32(l1 + 0x600 * 4, l2 | 1);
      m.bus.write32(l2, 0x50000832);
    }
    m.bus.write32(0x9004, 0x50001832);
    m.bus.write32(0x9404, 0x50002832);
    // VA 0x60000ff8 L: add r0, r0, #1; subs r6, r6, #1 | VA 0x60001000: add r2, r2, #K; bne L; bx r7
    m.bus.write32(0x50000ff8, 0xe2800001);
    m.bus.write32(0x50000ffc, 0xe2566001);
    [0xe2822001, 0x1afffffb, 0xe12fff17].forEach((w, i) => m.bus.write32(0x50001000 + 4 * i, w)); // K = 1
    [0xe2822064, 0x1afffffb, 0xe12fff17].forEach((w, i) => m.bus.write32(0x50002000 + 4 * i, w)); // K = 100
    // 0x1000: TTBR0 = 0x8000, CONTEXTIDR = 1, DACR = manager, SCTLR.M = 1, ISB, bx r10.
    m.load([0xe3081000, 0xee021f10, 0xe3a01001, 0xee0d1f30, 0xe3a01003, 0xee031f10, 0xee111f10, 0xe3811001, 0xee011f10, 0xf57ff06f, 0xe12fff1a]);
    // 0x1100: the first time TTBR0 = 0xc000, CONTEXTIDR = 2 (no TLB maintenance: the entries are per ASID), ISB, again; then spin.
    [0xe35b0000, 0x1a000007, 0xe3a0b001, 0xe30c1000, 0xee021f10, 0xe3a01002, 0xee0d1f30, 0xf57ff06f, 0xe3a06032, 0xe12fff1a, 0xeafffffe].forEach(
      (w, i) => m.bus.write32(0x1100 + 4 * i, w),
    );
    m.cpu.setRegister('r6', 50);
    m.cpu.setRegister('r7', 0x1100);
    m.cpu.setRegister('r10', 0x60000ff8);
    runTo(m, 0x1128, 41);
    t.is(m.reg('r0'), 100);
    t.is(m.reg('r2'), 50 + 50 * 100);
    if (jit !== false) t.true(m.cpu.jit!.stats.links > 0, 'ASID 1 mapping was linked before the switch');
  });

  test(`${label(jit)}: a T32 loop across a page boundary, its second page rewritten by a store`, (t) => {
    const m = new ArmTestMachine({ jit });
    const halfwords = (at: number, hws: number[]) => hws.forEach((h, i) => m.bus.write16(at + 2 * i, h));
    // 0x1ff8 L: adds r0, #1; subs r6, #1; beq P (0x1f00); nop | 0x2000 adds r2, #1; b L
    halfwords(0x1ff8, [0x3001, 0x3e01, 0xd080, 0xbf00, 0x3201, 0xe7f9]);
    // 0x1f00 P: cmp r7, #0; bne S; movs r7, #1; strh r3, [r4] (adds r2, #16 over 0x2000); movs r6, #30; b L; S: b S
    halfwords(0x1f00, [0x2f00, 0xd103, 0x2701, 0x8023, 0x261e, 0xe075, 0xe7fe]);
    m.cpu.setRegister('r3', 0x3210);
    m.cpu.setRegister('r4', 0x2000);
    m.cpu.setRegister('r6', 30);
    m.cpu.setRegister('cpsr', 0x1f3); // Thumb state
    m.cpu.setPc(0x1ff8);
    runTo(m, 0x1f0c, 19);
    t.is(m.reg('r2'), 29 + 29 * 16);
    t.is(m.reg('r0'), 60);
    t.is(m.reg('cpsr') & 0x20, 0x20, 'still in Thumb state');
    if (jit !== false) {
      t.true(m.cpu.jit!.stats.thumbRegions > 0);
      t.true(m.cpu.jit!.stats.links > 0, 'the T32 loop was chained across the pages');
    }
  });
}
