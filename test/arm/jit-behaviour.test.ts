import test from 'ava';
import { installThumb } from '../../cores/arm/thumb/index.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';

installThumb();

/**
 * What the JIT must preserve, with expected values from the ARM ARM (DDI
 * 0406C) rather than from either implementation: each case runs once with
 * the interpreter and once with the JIT compiling every block on first
 * sight (threshold 1) or after a few entries, and both must show the
 * architectural result.
 */

const WITHOUT = false as const;
const JIT = [WITHOUT, { threshold: 1 }, { threshold: 3 }] as const;
const label = (jit: (typeof JIT)[number]) => (jit === false ? 'interpreter' : `JIT threshold ${jit.threshold}`);

for (const jit of JIT) {
  test(`${label(jit)}: code rewritten after it was compiled runs in its new form`, (t) => {
    const m = new ArmTestMachine({ jit });
    // 0x1000 mov r0, #0; mov r2, #0
    // 0x1008 L: add r0, r0, #1      (rewritten to add r0, r0, #16 after ten iterations)
    //        add r2, r2, #1; cmp r2, #10; bne L
    // 0x1018 ldr r1, [pc, #12] (the word at 0x102c); str r1, [pc, #-28] (over L); mov r2, #0; b L
    // 0x102c add r0, r0, #16
    m.load([
      0xe3a00000, 0xe3a02000, 0xe2800001, 0xe2822001, 0xe352000a, 0x1afffffb,
      0xe59f100c, 0xe50f101c, 0xe3a02000, 0xeafffff7, 0, 0xe2800010,
    ]);
    // 2 + 10 × 4 + 4 + 10 × 4 instructions: ten iterations of each form of the loop.
    for (let left = 86; left > 0; left -= 7) m.step(Math.min(7, left));
    t.is(m.reg('r0'), 10 + 10 * 16);
    t.is(m.reg('r2'), 10);
    t.is(m.cpu.retired, 86);
    if (jit !== false) t.true(m.cpu.jit!.stats.regions > 0);
  });

  test(`${label(jit)}: a store over a later instruction of the same block takes effect`, (t) => {
    const m = new ArmTestMachine({ jit });
    // Run the block twice: the first pass stores mov r0, #2 over mov r0, #1 three instructions on.
    // 0x1000 ldr r1, [pc, #12] (0x1014); str r1, [pc, #0] (over 0x100c); nop; mov r0, #1; b 0x1000; literal mov r0, #2
    m.load([0xe59f100c, 0xe58f1000, 0xe320f000, 0xe3a00001, 0xeafffffa, 0xe3a00002]);
    m.step(4);
    t.is(m.reg('r0'), 2);
    m.step(10);
    t.is(m.reg('r0'), 2);
    t.is(m.cpu.retired, 14);
  });

  test(`${label(jit)}: a Data Abort in the middle of a block leaves the exact state (B1.8.9)`, (t) => {
    const m = new ArmTestMachine({ jit });
    // 0x1000 mov r0, #1; mov r1, #2; subs r2, r0, r1; ldr r3, [r12]; mov r4, #5; b 0x1000
    m.load([0xe3a00001, 0xe3a01002, 0xe0502001, 0xe59c3000, 0xe3a04005, 0xeafffff9]);
    m.bus.write32(0x10, 0xeafffffe); // Data Abort vector: b .
    // Five passes with r12 pointing at RAM (the JIT compiles the block), then at an address with no
    // memory behind it: a synchronous external abort on the LDR, the fourth instruction of the block.
    m.cpu.setRegister('r12', 0x40000000);
    m.step(30);
    if (jit !== false) t.true(m.cpu.jit!.stats.regions > 0);
    m.cpu.setRegister('r12', 0x80000000);
    m.cpu.setRegister('r3', 0x33);
    m.cpu.setRegister('r4', 0x44);
    m.step(6); // the block's length: four instructions, the abort, then two of the vector's b .
    t.is(m.cpu.retired, 36);
    t.is(m.reg('r2'), 0xffffffff, 'instructions before the abort completed');
    t.is(m.reg('r3'), 0x33, 'the load wrote nothing');
    t.is(m.reg('r4'), 0x44, 'nothing after the abort ran');
    t.is(m.reg('pc'), 0x10, 'at the Data Abort vector');
    t.is(m.reg('cpsr') & 0x1f, 0x17, 'Abort mode');
    t.is(m.reg('cpsr') & 0x180, 0x180, 'asynchronous aborts and IRQs masked (B1.8.3)');
    t.is(m.reg('lr'), 0x100c + 8, 'LR_abt = the aborting instruction + 8');
    // SPSR_abt: the CPSR with the flags of SUBS 1 - 2 (N set, Z, C, V clear), SVC mode, masks as at reset.
    t.is(m.reg('spsr'), 0x800001d3);
    t.is(m.cpu.sys.dfar >>> 0, 0x80000000);
    t.is(m.cpu.sys.dfsr & 0x40f, 0x008, 'DFSR.FS = synchronous external abort');
  });

  test(`${label(jit)}: the flags of a SUBS at a block's end reach the next block and every slice's end (A2.2.1)`, (t) => {
    const m = new ArmTestMachine({ jit });
    // 0x1000 mov r0, #3; mov r1, #0
    // 0x1008 L: subs r0, r0, #1; b M        (the block ends with the subtraction's flags unread)
    // 0x1010 nop
    // 0x1014 M: addne r1, r1, #1; addeq r1, r1, #16; cmp r0, #0; bne L
    // 0x1024 b .
    m.load([0xe3a00003, 0xe3a01000, 0xe2500001, 0xea000000, 0xe320f000, 0x12811001, 0x02811010, 0xe3500000, 0x1afffff8, 0xeafffffe]);
    const flags = () => m.reg('cpsr') >>> 28;
    // Run to just after the second SUBS (2 + 6 + 1 instructions): 2 - 1 = 1 sets only C.
    m.step(9);
    t.is(m.reg('r0'), 1);
    t.is(flags(), 0b0010, 'N Z C V after subs 2 - 1');
    m.step(1); // b M: the flags are still the subtraction's
    t.is(flags(), 0b0010);
    m.step(2); // addne ran, addeq did not
    t.is(m.reg('r1'), 2);
    // The rest in slices of three, ending inside blocks and at their ends.
    for (let k = 0; k < 6; k++) m.step(3);
    // Iterations: 3→2 and 2→1 add 1 each, 1→0 adds 16; the last CMP 0 - 0 sets Z and C.
    t.is(m.reg('r1'), 18);
    t.is(flags(), 0b0110);
    t.is(m.reg('pc'), 0x1024);
    if (jit !== false) t.true(m.cpu.jit!.stats.regions > 0);
  });

  test(`${label(jit)}: slices end on the same instruction inside compiled blocks`, (t) => {
    const m = new ArmTestMachine({ jit });
    // Ten add r0, r0, #1 then b back: eleven instructions per pass.
    m.load([...new Array(10).fill(0xe2800001), 0xeafffff4]);
    let total = 0;
    for (const budget of [3, 7, 25, 1, 11, 40, 2, 9, 100]) {
      m.step(budget);
      total += budget;
      t.is(m.cpu.retired, total);
      t.is(m.reg('r0'), total - Math.floor(total / 11));
    }
  });

  test(`${label(jit)}: the same virtual page remapped to other code runs the new code (B3.10 TLB maintenance)`, (t) => {
    const m = new ArmTestMachine({ jit });
    m.bus.addRam('a', 0x50000000, 0x100000);
    m.bus.addRam('b', 0x50100000, 0x100000);
    // Level 1 table at 0x8000: VA 0 -> PA 0 and VA 0x600xxxxx -> PA 0x500xxxxx, sections with full access.
    m.bus.write32(0x8000, 0x00000c02);
    m.bus.write32(0x8000 + 0x600 * 4, 0x50000c02);
    // The loop at VA 0x60000000: add r0, r0, #K; subs r6, r6, #1; bne; bx r7 (K = 1 in PA A, 100 in PA B).
    const loop = (k: number) => [0xe2800000 | k, 0xe2566001, 0x1afffffc, 0xe12fff17];
    loop(1).forEach((w, i) => m.bus.write32(0x50000000 + 4 * i, w));
    loop(100).forEach((w, i) => m.bus.write32(0x50100000 + 4 * i, w));
    // 0x1000: TTBR0 = 0x8000, DACR = manager, SCTLR.M = 1, ISB, bx r10 (0x60000000).
    m.load([0xe3081000, 0xee021f10, 0xe3a01003, 0xee031f10, 0xee111f10, 0xe3811001, 0xee011f10, 0xf57ff06f, 0xe12fff1a]);
    // 0x1100: the first time, point the section at PA B, TLBIALL, ISB and go again; the second time spin.
    [0xe35b0000, 0x1a000005, 0xe3a0b001, 0xe3a06032, 0xe5898000, 0xee080f17, 0xf57ff06f, 0xe12fff1a, 0xeafffffe].forEach((w, i) =>
      m.bus.write32(0x1100 + 4 * i, w),
    );
    const c = m.cpu;
    c.setRegister('r6', 50);
    c.setRegister('r7', 0x1100);
    c.setRegister('r8', 0x50100c02);
    c.setRegister('r9', 0x8000 + 0x600 * 4);
    c.setRegister('r10', 0x60000000);
    for (let i = 0; i < 100; i++) m.step(97);
    t.is(m.reg('r0'), 50 + 50 * 100);
    t.is(m.reg('pc'), 0x1120);
  });

  test(`${label(jit)}: BX to Thumb and back from compiled code (A2.3.1 BXWritePC)`, (t) => {
    const m = new ArmTestMachine({ jit });
    // 0x1000 mov r0, #0; mov r6, #20; L: blx r3; subs r6, r6, #1; bne L; b .
    m.load([0xe3a00000, 0xe3a06014, 0xe12fff33, 0xe2566001, 0x1afffffc, 0xeafffffe]);
    m.bus.write32(0x1100, 0x47703001); // Thumb: adds r0, #1; bx lr
    m.cpu.setRegister('r3', 0x1101);
    for (let i = 0; i < 30; i++) m.step(5);
    t.is(m.reg('r0'), 20);
    t.is(m.reg('pc'), 0x1014);
    t.is(m.reg('cpsr') & 0x20, 0, 'back in ARM state');
  });

  test(`${label(jit)}: compiled T32 code calls ARM and Thumb functions and returns with BX LR and POP {PC} (A2.3.1)`, (t) => {
    const m = new ArmTestMachine({ jit });
    const halfwords = (at: number, hws: number[]) => hws.forEach((h, i) => m.bus.write16(at + 2 * i, h));
    // Thumb 0x1000: movs r0, #0; movs r6, #20; L: blx r3; bl F; subs r6, #1; bne L; b .
    halfwords(0x1000, [0x2000, 0x2614, 0x4798, 0xf000, 0xf8fb, 0x3e01, 0xd1fa, 0xe7fe]);
    m.bus.write32(0x1100, 0xe2800003); // ARM: add r0, r0, #3
    m.bus.write32(0x1104, 0xe12fff1e); // bx lr (to Thumb: LR has bit 0 set by BLX)
    halfwords(0x1200, [0xb500, 0x3001, 0xbd00]); // F: push {lr}; adds r0, #1; pop {pc}
    m.cpu.setRegister('r3', 0x1100); // an ARM target: bit 0 clear
    m.cpu.setRegister('sp', 0x40080000);
    m.cpu.setRegister('cpsr', 0x1f3);
    m.cpu.setPc(0x1000);
    // Two, then nine per pass (blx, add, bx, bl, push, adds, pop, subs, bne) twenty times.
    for (let left = 182; left > 0; left -= 7) m.step(Math.min(7, left));
    t.is(m.cpu.retired, 182);
    t.is(m.reg('r0'), 20 * 4);
    t.is(m.reg('pc'), 0x100e);
    t.is(m.reg('cpsr') & 0x20, 0x20, 'in Thumb state');
    if (jit !== false) t.true(m.cpu.jit!.stats.thumbRegions > 0);
  });
}
