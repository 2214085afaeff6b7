import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';
import { installThumb } from '../../cores/arm/thumb/index.ts';

/**
 * T32 branches and PC-relative addressing (ARM ARM DDI 0406C): CBZ/CBNZ
 * (A8.8.29), TBB/TBH (A8.8.238), B/BL/BLX (A8.8.18, A8.8.25-26), BX, the
 * PC writes of A2.3.1 (BranchWritePC for MOV/ADD PC in Thumb state,
 * BXWritePC/LoadWritePC interworking for BX, BLX, LDR PC and POP {PC}),
 * and Align(PC, 4) of literal loads and ADR at both halfword alignments.
 * Encodings from GNU as (armv7-a); targets worked out from the manual.
 */

installThumb();

const SVC_THUMB = 0x1d3 | 0x20;
const T = 0x20;

function thumb(code: readonly number[], at = 0x1000): ArmTestMachine {
  const m = new ArmTestMachine();
  storeHalfwords(m, at, code);
  m.cpu.setRegister('cpsr', SVC_THUMB);
  m.cpu.setPc(at);
  return m;
}

function storeHalfwords(m: ArmTestMachine, at: number, code: readonly number[]): void {
  const bytes = new Uint8Array(code.length * 2);
  code.forEach((h, k) => {
    bytes[2 * k] = h & 0xff;
    bytes[2 * k + 1] = h >>> 8;
  });
  m.bus.loadBytes(at, bytes);
}

const thumbState = (m: ArmTestMachine) => (m.reg('cpsr') & T) !== 0;

test('CBZ branches forward over an instruction when Rn is zero, CBNZ when it is not; flags untouched', (t) => {
  // cbz r0, .+4; movs r1, #1; movs r2, #2
  for (const [r0, r1] of [[0, 0x55], [7, 1]] as const) {
    const m = thumb([0xb100, 0x2101, 0x2202]);
    m.cpu.setRegister('cpsr', SVC_THUMB | 0x80000000);
    m.cpu.setRegister('r0', r0);
    m.cpu.setRegister('r1', 0x55);
    m.step(1);
    t.is(m.flags(), 'N---', 'CBZ does not change the flags');
    m.step(r0 === 0 ? 1 : 2);
    t.is(m.reg('r1'), r1);
    t.is(m.reg('r2'), 2);
  }
  // cbnz r0 with the largest offset: i:imm5:'0' = 0x78 from PC = address + 4.
  for (const [r0, pc] of [[1, 0x107c], [0, 0x1002]] as const) {
    const m = thumb([0xbbe0]);
    m.cpu.setRegister('r0', r0);
    m.step(1);
    t.is(m.cpu.getPc(), pc);
  }
});

test('TBB and TBH branch forward by twice the table entry, from PC = address + 4', (t) => {
  // tbb [pc, r0] with bytes 2, 5 after it
  for (const [index, pc] of [[0, 0x1008], [1, 0x100e]] as const) {
    const m = thumb([0xe8df, 0xf000, 0x0502]);
    m.cpu.setRegister('r0', index);
    m.step(1);
    t.is(m.cpu.getPc(), pc);
  }
  // tbh [pc, r0, lsl #1] with halfwords 2, 0x100
  for (const [index, pc] of [[0, 0x1008], [1, 0x1204]] as const) {
    const m = thumb([0xe8df, 0xf010, 0x0002, 0x0100]);
    m.cpu.setRegister('r0', index);
    m.step(1);
    t.is(m.cpu.getPc(), pc);
  }
  // tbb [r1, r0]: the table elsewhere, entry 0x80 → 0x100 bytes on
  const m = thumb([0xe8d1, 0xf000]);
  m.bus.loadBytes(0x3000, new Uint8Array([7, 0x80]));
  m.cpu.setRegister('r1', 0x3000);
  m.cpu.setRegister('r0', 1);
  m.step(1);
  t.is(m.cpu.getPc(), 0x1104);
});

test('BL sets LR to the next instruction with bit 0 set and branches (forward and backward)', (t) => {
  const forward = thumb([0xf012, 0xf9a0]); // bl .+0x12344
  forward.step(1);
  t.is(forward.cpu.getPc(), 0x13344);
  t.is(forward.reg('lr'), 0x1005);
  t.true(thumbState(forward));
  const backward = thumb([0xf7ff, 0xff7e]); // bl .-0x100
  backward.step(1);
  t.is(backward.cpu.getPc(), 0xf00);
  t.is(backward.reg('lr'), 0x1005);
});

test('BLX (immediate) at a halfword-aligned address: target from Align(PC, 4), ARM state, and BX LR comes back', (t) => {
  // nop; blx <Align(PC,4) + 0x1ffc> — at 0x1002, Align(0x1006, 4) = 0x1004, so the target is 0x3000
  const m = thumb([0xbf00, 0xf001, 0xeffe]);
  m.bus.write32(0x3000, 0xe2800003); // add r0, r0, #3
  m.bus.write32(0x3004, 0xe12fff1e); // bx lr
  m.cpu.setRegister('r0', 10);
  m.step(2);
  t.is(m.cpu.getPc(), 0x3000);
  t.false(thumbState(m));
  t.is(m.reg('lr'), 0x1007);
  m.step(2);
  t.is(m.reg('r0'), 13);
  t.is(m.cpu.getPc(), 0x1006);
  t.true(thumbState(m));
});

test('BLX and BX (register) interwork on bit 0 of the target', (t) => {
  const blx = thumb([0xbf00, 0x4790]); // nop; blx r2
  blx.cpu.setRegister('r2', 0x3000);
  blx.step(2);
  t.is(blx.cpu.getPc(), 0x3000);
  t.false(thumbState(blx));
  t.is(blx.reg('lr'), 0x1005);

  for (const [target, pc, inThumb] of [[0x3000, 0x3000, false], [0x3001, 0x3000, true]] as const) {
    const bx = thumb([0x4710]); // bx r2
    bx.cpu.setRegister('r2', target);
    bx.step(1);
    t.is(bx.cpu.getPc(), pc);
    t.is(thumbState(bx), inThumb);
  }
});

test('A32 BLX into Thumb code and its BX LR back', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe12fff32]); // blx r2 (A32) at 0x1000
  storeHalfwords(m, 0x2000, [0x3007, 0x4770]); // adds r0, #7; bx lr
  m.cpu.setRegister('r2', 0x2001);
  m.step(3);
  t.is(m.reg('r0'), 7);
  t.is(m.cpu.getPc(), 0x1004);
  t.false(thumbState(m));
});

test('POP {PC} and LDR PC interwork (LoadWritePC); MOV PC and ADD PC do not (BranchWritePC in Thumb state)', (t) => {
  for (const [loaded, inThumb] of [[0x3000, false], [0x3001, true]] as const) {
    const pop = thumb([0xbd01]); // pop {r0, pc}
    pop.bus.write32(0x8000, 0x11);
    pop.bus.write32(0x8004, loaded);
    pop.cpu.setRegister('sp', 0x8000);
    pop.step(1);
    t.is(pop.reg('r0'), 0x11);
    t.is(pop.reg('sp'), 0x8008);
    t.is(pop.cpu.getPc(), 0x3000);
    t.is(thumbState(pop), inThumb);

    const ldr = thumb([0xf8d1, 0xf000]); // ldr.w pc, [r1]
    ldr.bus.write32(0x2000, loaded);
    ldr.cpu.setRegister('r1', 0x2000);
    ldr.step(1);
    t.is(ldr.cpu.getPc(), 0x3000);
    t.is(thumbState(ldr), inThumb);

    const mov = thumb([0x4697]); // mov pc, r2
    mov.cpu.setRegister('r2', loaded);
    mov.step(1);
    t.is(mov.cpu.getPc(), 0x3000);
    t.true(thumbState(mov), 'MOV PC stays in Thumb state');
  }
  const add = thumb([0x4497]); // add pc, r2
  add.cpu.setRegister('r2', 0x20);
  add.step(1);
  t.is(add.cpu.getPc(), 0x1024, 'PC (0x1004) + 0x20');
  t.true(thumbState(add));
});

test('B (T2) backward and B.W (T4) far', (t) => {
  const near = thumb([0xbf00, 0xe7fd]); // nop; b.n .-2 (to 0x1000)
  near.step(2);
  t.is(near.cpu.getPc(), 0x1000);
  const far = thumb([0xf6ff, 0xbffe], 0x400ff000); // b.w .-0x100000
  far.step(1);
  t.is(far.cpu.getPc(), 0x3ffff000);
});

test('LDR (literal) and ADR use Align(PC, 4): the same word from both halfword alignments', (t) => {
  // 0x1000 ldr r0, [pc, #4]; 0x1002 ldr r1, [pc, #4]; 0x1004 adr r2, #8; 0x1006 adr r3, #4
  const m = thumb([0x4801, 0x4901, 0xa202, 0xa301]);
  m.bus.write32(0x1008, 0x11223344);
  m.bus.write32(0x100c, 0x55667788);
  m.step(4);
  t.is(m.reg('r0'), 0x11223344, 'Align(0x1004, 4) + 4');
  t.is(m.reg('r1'), 0x11223344, 'Align(0x1006, 4) + 4, not 0x100a');
  t.is(m.reg('r2'), 0x1010, 'Align(0x1008, 4) + 8');
  t.is(m.reg('r3'), 0x100c, 'Align(0x100a, 4) + 4');
  // nop; ldr.w r4, [pc, #-4] at 0x1002: Align(0x1006, 4) - 4 = 0x1000, the code itself
  const w = thumb([0xbf00, 0xf85f, 0x4004]);
  w.step(2);
  t.is(w.reg('r4'), 0xf85fbf00);
});
