import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * Loads and stores (ARM ARM A5.3, A5.2.8, A5.5, A8.8 LDR, STR, LDM and STM pages,
 * B9.3.5/B9.3.6 user-register and exception-return LDM, A8.8.229 SWP, the
 * exclusives of A3.4) on a little-endian test board: data lives at
 * 0x40000000, code at 0x1000.
 */

const D = 0x40000000;

function machine(): ArmTestMachine {
  const m = new ArmTestMachine();
  for (let k = 0; k < 16; k++) m.bus.write32(D + 4 * k, (0x11111111 * (k + 1)) >>> 0);
  return m;
}

function run(m: ArmTestMachine, insn: number, regs: Record<string, number>): void {
  m.load([insn]);
  for (const [r, x] of Object.entries(regs)) m.cpu.setRegister(r, x);
  m.step(1);
}

test('LDR offset, pre-indexed with writeback, post-indexed', (t) => {
  let m = machine();
  run(m, 0xe5902004, { r0: D }); // ldr r2, [r0, #4]
  t.is(m.reg('r2'), 0x22222222);
  t.is(m.reg('r0'), D);
  m = machine();
  run(m, 0xe5302004, { r0: D + 8 }); // ldr r2, [r0, #-4]!
  t.is(m.reg('r2'), 0x22222222);
  t.is(m.reg('r0'), D + 4);
  m = machine();
  run(m, 0xe4902004, { r0: D }); // ldr r2, [r0], #4
  t.is(m.reg('r2'), 0x11111111);
  t.is(m.reg('r0'), D + 4);
});

test('LDR with scaled and subtracted register offsets', (t) => {
  let m = machine();
  run(m, 0xe7902101, { r0: D, r1: 3 }); // ldr r2, [r0, r1, lsl #2]
  t.is(m.reg('r2'), 0x44444444);
  m = machine();
  run(m, 0xe7102001, { r0: D + 8, r1: 4 }); // ldr r2, [r0, -r1]
  t.is(m.reg('r2'), 0x22222222);
});

test('LDR literal reads relative to the instruction address + 8', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe51f2004, 0xcafef00d]); // ldr r2, [pc, #-4] at 0x1000 reads 0x1004
  m.step(1);
  t.is(m.reg('r2'), 0xcafef00d);
});

test('STR pre-indexed writeback and STRB post-indexed decrement', (t) => {
  let m = machine();
  run(m, 0xe5a02008, { r0: D, r2: 0xdeadbeef }); // str r2, [r0, #8]!
  t.is(m.bus.read32(D + 8), 0xdeadbeef);
  t.is(m.reg('r0'), D + 8);
  m = machine();
  run(m, 0xe4402001, { r0: D + 1, r2: 0x1234567f }); // strb r2, [r0], #-1
  t.is(m.bus.read8(D + 1), 0x7f);
  t.is(m.bus.read32(D), 0x11117f11);
  t.is(m.reg('r0'), D);
});

test('byte, halfword and signed loads', (t) => {
  const m = machine();
  m.bus.write32(D, 0x8081f0f1);
  run(m, 0xe5d02001, { r0: D }); // ldrb r2, [r0, #1]
  t.is(m.reg('r2'), 0xf0);
  run(m, 0xe1d020b2, { r0: D }); // ldrh r2, [r0, #2]
  t.is(m.reg('r2'), 0x8081);
  run(m, 0xe1d020f2, { r0: D }); // ldrsh r2, [r0, #2]
  t.is(m.reg('r2'), 0xffff8081);
  run(m, 0xe19020d1, { r0: D, r1: 3 }); // ldrsb r2, [r0, r1]
  t.is(m.reg('r2'), 0xffffff80);
});

test('STRH pre-indexed with negative offset and writeback', (t) => {
  const m = machine();
  run(m, 0xe16020b2, { r0: D + 6, r2: 0xabcd1234 }); // strh r2, [r0, #-2]!
  t.is(m.bus.read16(D + 4), 0x1234);
  t.is(m.bus.read16(D + 6), 0x2222);
  t.is(m.reg('r0'), D + 4);
});

test('LDRD and STRD', (t) => {
  const m = machine();
  run(m, 0xe1c020d8, { r0: D }); // ldrd r2, r3, [r0, #8]
  t.is(m.reg('r2'), 0x33333333);
  t.is(m.reg('r3'), 0x44444444);
  run(m, 0xe04020f8, { r0: D + 0x20, r2: 1, r3: 2 }); // strd r2, r3, [r0], #-8
  t.is(m.bus.read32(D + 0x20), 1);
  t.is(m.bus.read32(D + 0x24), 2);
  t.is(m.reg('r0'), D + 0x18);
});

test('unaligned LDR is allowed when SCTLR.A = 0 and reads the bytes in order', (t) => {
  const m = machine();
  m.bus.write32(D, 0x44332211);
  m.bus.write32(D + 4, 0x88776655);
  run(m, 0xe5902004 & ~0xfff | 1, { r0: D }); // ldr r2, [r0, #1]
  t.is(m.reg('r2'), 0x55443322);
});

test('unaligned LDR with SCTLR.A = 1 takes a Data Abort with an alignment DFSR', (t) => {
  const m = machine();
  m.cpu.sys.sctlr |= 2;
  run(m, (0xe5902004 & ~0xfff) | 1, { r0: D, r2: 7 }); // ldr r2, [r0, #1]
  t.is(m.reg('r2'), 7, 'destination untouched');
  t.is(m.cpu.mode, 0x17, 'Abort mode');
  t.is(m.reg('pc'), 0x10, 'data abort vector');
  t.is(m.cpu.sys.dfsr, 0x1, 'FS = 00001 alignment');
  t.is(m.cpu.sys.dfar >>> 0, D + 1);
  t.is(m.reg('lr'), 0x1008, 'LR = faulting instruction + 8');
});

test('LDRD from a non-word-aligned address faults even with SCTLR.A = 0', (t) => {
  const m = machine();
  run(m, 0xe1c020d8, { r0: D + 2 }); // ldrd r2, r3, [r0, #8]
  t.is(m.cpu.mode, 0x17);
  t.is(m.cpu.sys.dfsr, 0x1);
});

test('LDR pc interworks: bit 0 selects Thumb', (t) => {
  const m = machine();
  m.bus.write32(D, 0x00002001);
  run(m, 0xe590f000, { r0: D }); // ldr pc, [r0]
  t.is(m.reg('pc'), 0x2000);
  t.is(m.cpu.thumb, 1);
});

test('PUSH and POP with the PC', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe92d4030, 0xe8bd8030]); // push {r4, r5, lr}; pop {r4, r5, pc}
  m.cpu.setRegister('sp', D + 0x100);
  m.cpu.r[4] = 4;
  m.cpu.r[5] = 5;
  m.cpu.r[14] = 0x3000;
  m.step(1);
  t.is(m.reg('sp'), D + 0xf4);
  t.is(m.bus.read32(D + 0xf4), 4);
  t.is(m.bus.read32(D + 0xf8), 5);
  t.is(m.bus.read32(D + 0xfc), 0x3000);
  m.cpu.r[4] = 0;
  m.cpu.r[5] = 0;
  m.step(1);
  t.is(m.reg('r4'), 4);
  t.is(m.reg('r5'), 5);
  t.is(m.reg('pc'), 0x3000);
  t.is(m.reg('sp'), D + 0x100);
});

test('LDMIB with writeback, STMDA, LDMDA', (t) => {
  const m = machine();
  run(m, 0xe9b00006, { r0: D }); // ldmib r0!, {r1, r2}
  t.is(m.reg('r1'), 0x22222222);
  t.is(m.reg('r2'), 0x33333333);
  t.is(m.reg('r0'), D + 8);
  run(m, 0xe8000006, { r0: D + 0x40, r1: 0xa, r2: 0xb }); // stmda r0, {r1, r2}
  t.is(m.bus.read32(D + 0x3c), 0xa);
  t.is(m.bus.read32(D + 0x40), 0xb);
  t.is(m.reg('r0'), D + 0x40);
  run(m, 0xe8300006, { r0: D + 0x40 }); // ldmda r0!, {r1, r2}
  t.is(m.reg('r1'), 0xa);
  t.is(m.reg('r2'), 0xb);
  t.is(m.reg('r0'), D + 0x38);
});

test('STM/LDM with ^ move the User-mode SP and LR from SVC mode', (t) => {
  const m = machine();
  m.cpu.switchMode(0x10); // User: set its SP and LR
  m.cpu.r[13] = 0x1300;
  m.cpu.r[14] = 0x1400;
  m.cpu.switchMode(0x13); // back to SVC
  m.cpu.r[13] = 0x5555;
  m.cpu.r[14] = 0x6666;
  run(m, 0xe9406000, { r0: D + 0x80 }); // stmdb r0, {r13, r14}^
  t.is(m.bus.read32(D + 0x78), 0x1300);
  t.is(m.bus.read32(D + 0x7c), 0x1400);
  m.bus.write32(D + 0x90, 0xaaaa);
  m.bus.write32(D + 0x94, 0xbbbb);
  run(m, 0xe8d06000, { r0: D + 0x90 }); // ldm r0, {r13, r14}^
  t.is(m.reg('sp'), 0x5555, 'SVC SP unchanged');
  t.is(m.reg('lr'), 0x6666, 'SVC LR unchanged');
  m.cpu.switchMode(0x10);
  t.is(m.reg('sp'), 0xaaaa);
  t.is(m.reg('lr'), 0xbbbb);
});

test('LDM with ^ and the PC is an exception return: CPSR from SPSR', (t) => {
  const m = machine();
  m.bus.write32(D, 0x77);
  m.bus.write32(D + 4, 0x2000);
  m.cpu.currentSpsr = 0x20000010; // User mode, C set
  run(m, 0xe8fd8001, { sp: D }); // ldm sp!, {r0, pc}^
  t.is(m.reg('pc'), 0x2000);
  t.is(m.cpu.mode, 0x10);
  t.is(m.cpu.cpsr, 0x20000010);
  t.is(m.reg('r0'), 0x77);
  m.cpu.switchMode(0x13);
  t.is(m.reg('sp'), D + 8, 'SVC SP written back');
});

test('an aborting LDM leaves the base and the registers unchanged', (t) => {
  const m = machine();
  m.cpu.sys.sctlr |= 2;
  // LDMIA r0!, {r1, r2} from an address that is not word aligned: alignment fault.
  run(m, 0xe8b00006, { r0: D + 2, r1: 1, r2: 2 });
  t.is(m.cpu.mode, 0x17);
  m.cpu.switchMode(0x13);
  t.is(m.reg('r0'), D + 2);
  t.is(m.reg('r1'), 1);
  t.is(m.reg('r2'), 2);
});

test('SWP is UNDEFINED unless SCTLR.SW, then swaps', (t) => {
  let m = machine();
  run(m, 0xe1002091, { r0: D, r1: 0x99 }); // swp r2, r1, [r0]
  t.is(m.cpu.mode, 0x1b, 'Undefined mode');
  m = machine();
  m.cpu.sys.sctlr |= 1 << 10;
  run(m, 0xe1002091, { r0: D, r1: 0x99 });
  t.is(m.reg('r2'), 0x11111111);
  t.is(m.bus.read32(D), 0x99);
  run(m, 0xe1402091, { r0: D, r1: 0x1ff }); // swpb r2, r1, [r0]
  t.is(m.reg('r2'), 0x99);
  t.is(m.bus.read32(D), 0xff);
});

test('LDREX/STREX succeed once; CLREX and a second STREX fail', (t) => {
  const m = machine();
  m.load([0xe1902f9f, 0xe1803f91, 0xe1803f91, 0xe1902f9f, 0xf57ff01f, 0xe1803f91]);
  m.cpu.r[0] = D;
  m.cpu.r[1] = 0x42;
  m.step(2); // ldrex; strex
  t.is(m.reg('r2'), 0x11111111);
  t.is(m.reg('r3'), 0, 'first STREX succeeds');
  t.is(m.bus.read32(D), 0x42);
  m.cpu.r[1] = 0x43;
  m.step(1); // strex without a reservation
  t.is(m.reg('r3'), 1);
  t.is(m.bus.read32(D), 0x42);
  m.step(3); // ldrex; clrex; strex
  t.is(m.reg('r3'), 1);
  t.is(m.bus.read32(D), 0x42);
});

test('STREX fails when the location changed since LDREX', (t) => {
  const m = machine();
  m.load([0xe1902f9f, 0xe1803f91]);
  m.cpu.r[0] = D;
  m.cpu.r[1] = 5;
  m.step(1);
  m.bus.write32(D, 0x1234); // another observer writes
  m.step(1);
  t.is(m.reg('r3'), 1);
  t.is(m.bus.read32(D), 0x1234);
});

test('LDREXD/STREXD move a doubleword; LDREXB/STREXH sizes must match', (t) => {
  const m = machine();
  m.load([0xe1b02f9f, 0xe1a04f92, 0xe1d02f9f, 0xe1e03f91]);
  m.cpu.r[0] = D;
  m.step(1);
  t.is(m.reg('r2'), 0x11111111);
  t.is(m.reg('r3'), 0x22222222);
  m.cpu.r[2] = 7;
  m.cpu.r[3] = 8;
  m.step(1);
  t.is(m.reg('r4'), 0);
  t.is(m.bus.read32(D), 7);
  t.is(m.bus.read32(D + 4), 8);
  m.cpu.r[1] = 0xffff;
  m.step(2); // ldrexb then strexh: the reservation was for a byte
  t.is(m.reg('r2'), 7);
  t.is(m.reg('r3'), 1);
});

test('LDRT from PL1 is checked as a User access: a PL1-only page faults', (t) => {
  const m = machine();
  // Identity-map 0x40000000 with a short-descriptor section, AP = 001 (PL1 only), domain 0 client.
  const table = D + 0x4000;
  m.bus.write32(table + (0x000 << 2), 0x00000c02); // 0x00000000: AP=011 full access, code lives here
  m.bus.write32(table + (0x400 << 2), 0x40000402); // 0x40000000: AP=001
  m.cpu.sys.ttbr0Lo = table;
  m.cpu.sys.dacr = 1;
  m.cpu.sys.sctlr |= 1;
  m.cpu.translationChanged(true);
  run(m, 0xe5902004, { r0: D }); // ldr r2, [r0, #4] is allowed at PL1
  t.is(m.reg('r2'), 0x22222222);
  run(m, 0xe4b02004, { r0: D, r2: 0 }); // ldrt r2, [r0], #4
  t.is(m.cpu.mode, 0x17);
  t.is(m.cpu.sys.dfsr, 0x00d, 'section permission fault, domain 0');
});

test('LDRHT post-indexes by the halfword immediate', (t) => {
  const m = machine();
  run(m, 0xe0f020b2, { r0: D }); // ldrht r2, [r0], #2
  t.is(m.reg('r2'), 0x1111);
  t.is(m.reg('r0'), D + 2);
});

test('an access to an unmapped physical address is a synchronous external abort (FS 01000)', (t) => {
  const m = machine();
  run(m, 0xe5902004, { r0: 0x20000000, r2: 5 }); // ldr r2, [r0, #4]
  t.is(m.cpu.mode, 0x17);
  t.is(m.cpu.sys.dfsr, 0x008);
  t.is(m.cpu.sys.dfar >>> 0, 0x20000004);
  t.is(m.cpu.r[2], 5, 'the destination keeps its value');
});

test('loads and stores to a device reach its read and write callbacks with their widths', (t) => {
  const m = machine();
  const seen: string[] = [];
  m.bus.mapMmio('dev', 0x10000000, 0x1000, {
    name: 'dev',
    widths: [1, 2, 4],
    read: (offset, width) => {
      seen.push(`r${width}@${offset}`);
      return 0x80 + offset;
    },
    write: (offset, width, value) => {
      seen.push(`w${width}@${offset}=${value.toString(16)}`);
    },
    reset() {},
  });
  run(m, 0xe5902004, { r0: 0x10000000 }); // ldr r2, [r0, #4]
  t.is(m.reg('r2'), 0x84);
  run(m, 0xe1d020b2, { r0: 0x10000000 }); // ldrh r2, [r0, #2]
  run(m, 0xe5a02008, { r0: 0x10000000, r2: 0xabc }); // str r2, [r0, #8]!
  t.deepEqual(seen, ['r4@4', 'r2@2', 'w4@8=abc']);
});

test('LDREXD and STREX/STREXH at a misaligned address fault with DFAR = that address, even with SCTLR.A = 0', (t) => {
  // A3.2.1: exclusives always check alignment (doubleword for LDREXD/STREXD); B4.1.52 DFAR holds the VA.
  for (const [insn, address, write] of [
    [0xe1b02f9f, D + 4, false], // ldrexd r2, r3, [r0]  at a word, not doubleword, boundary
    [0xe1803f91, D + 2, true], //  strex r3, r1, [r0]  at a halfword boundary
    [0xe1e03f91, D + 1, true], //  strexh r3, r1, [r0] at an odd address
  ] as const) {
    const m = machine();
    run(m, insn, { r0: address, r1: 0x99 });
    t.is(m.cpu.mode, 0x17, `${insn.toString(16)}: Abort mode`);
    t.is(m.cpu.sys.dfsr & 0x80f, write ? 0x801 : 0x001, 'alignment fault, WnR for stores');
    t.is(m.cpu.sys.dfar >>> 0, address, 'DFAR is the address used');
    t.is(m.bus.read32(D), 0x11111111, 'memory untouched');
  }
});
