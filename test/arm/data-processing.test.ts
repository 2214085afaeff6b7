import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * Data-processing instructions against the ARM ARM (DDI 0406C) pseudocode:
 * AddWithCarry (A2.2.1), Shift_C (A8.4.3), ARMExpandImm_C (A5.2.4) and the
 * per-instruction pages of A8.8. Each vector sets registers and flags, runs
 * one instruction and checks the result and NZCV.
 */

interface Vector {
  name: string;
  insn: number;
  regs: Record<string, number>;
  flags?: string; // initial NZCV as "NZCV" letters, '-' for clear
  expect: Record<string, number>;
  expectFlags?: string;
}

function setFlags(m: ArmTestMachine, f: string): void {
  m.cpu.n = f[0] === 'N' ? 1 : 0;
  m.cpu.z = f[1] === 'Z' ? 1 : 0;
  m.cpu.c = f[2] === 'C' ? 1 : 0;
  m.cpu.v = f[3] === 'V' ? 1 : 0;
}

function check(v: Vector): void {
  test(v.name, (t) => {
    const m = new ArmTestMachine();
    m.load([v.insn]);
    for (const [r, x] of Object.entries(v.regs)) m.cpu.setRegister(r, x);
    setFlags(m, v.flags ?? '----');
    m.step(1);
    for (const [r, x] of Object.entries(v.expect)) t.is(m.reg(r), x >>> 0, `${r}`);
    if (v.expectFlags !== undefined) t.is(m.flags(), v.expectFlags);
  });
}

const ADDS = 0xe0902001; // adds r2, r0, r1
const SUBS = 0xe0502001; // subs r2, r0, r1
const ADCS = 0xe0b02001; // adcs r2, r0, r1
const SBCS = 0xe0d02001; // sbcs r2, r0, r1

// --- AddWithCarry ---------------------------------------------------------------
check({ name: 'ADDS 0x7fffffff + 1 overflows: N=1 V=1', insn: ADDS, regs: { r0: 0x7fffffff, r1: 1 }, expect: { r2: 0x80000000 }, expectFlags: 'N--V' });
check({ name: 'ADDS 0xffffffff + 1 carries to zero: Z=1 C=1', insn: ADDS, regs: { r0: 0xffffffff, r1: 1 }, expect: { r2: 0 }, expectFlags: '-ZC-' });
check({ name: 'ADDS 0x80000000 + 0x80000000: Z, C and V', insn: ADDS, regs: { r0: 0x80000000, r1: 0x80000000 }, expect: { r2: 0 }, expectFlags: '-ZCV' });
check({ name: 'SUBS 5 - 3: C=1 means no borrow', insn: SUBS, regs: { r0: 5, r1: 3 }, expect: { r2: 2 }, expectFlags: '--C-' });
check({ name: 'SUBS 3 - 5 borrows: N=1 C=0', insn: SUBS, regs: { r0: 3, r1: 5 }, expect: { r2: 0xfffffffe }, expectFlags: 'N---' });
check({ name: 'SUBS 0x80000000 - 1 overflows: V=1 C=1', insn: SUBS, regs: { r0: 0x80000000, r1: 1 }, expect: { r2: 0x7fffffff }, expectFlags: '--CV' });
check({ name: 'SUBS x - x is zero with carry set', insn: SUBS, regs: { r0: 0x1234, r1: 0x1234 }, expect: { r2: 0 }, expectFlags: '-ZC-' });
check({ name: 'ADCS adds the carry: 0xffffffff + 0 + C', insn: ADCS, regs: { r0: 0xffffffff, r1: 0 }, flags: '--C-', expect: { r2: 0 }, expectFlags: '-ZC-' });
check({ name: 'ADCS without carry in', insn: ADCS, regs: { r0: 1, r1: 2 }, expect: { r2: 3 }, expectFlags: '----' });
check({ name: 'SBCS with C=0 subtracts one more', insn: SBCS, regs: { r0: 5, r1: 3 }, expect: { r2: 1 }, expectFlags: '--C-' });
check({ name: 'SBCS 0 - 0 - 1 borrows', insn: SBCS, regs: { r0: 0, r1: 0 }, expect: { r2: 0xffffffff }, expectFlags: 'N---' });
check({ name: 'SBCS with C=1 is a plain subtraction', insn: SBCS, regs: { r0: 0, r1: 0 }, flags: '--C-', expect: { r2: 0 }, expectFlags: '-ZC-' });
check({ name: 'RSBS r2, r0, #0 negates', insn: 0xe2702000, regs: { r0: 1 }, expect: { r2: 0xffffffff }, expectFlags: 'N---' });
check({ name: 'RSBS of 0x80000000 overflows', insn: 0xe2702000, regs: { r0: 0x80000000 }, expect: { r2: 0x80000000 }, expectFlags: 'N--V' });
check({ name: 'RSCS r2, r0, #0 with C=0: 0 - r0 - 1', insn: 0xe2f02000, regs: { r0: 1 }, expect: { r2: 0xfffffffe }, expectFlags: 'N---' });
check({ name: 'CMP sets flags only', insn: 0xe1500001, regs: { r0: 1, r1: 2, r2: 77 }, expect: { r2: 77 }, expectFlags: 'N---' });
check({ name: 'CMN 1 + 0xffffffff: Z and C', insn: 0xe1700001, regs: { r0: 1, r1: 0xffffffff }, expectFlags: '-ZC-', expect: {} });
check({ name: 'TST #0x80000000 takes C from the rotated immediate', insn: 0xe3100102, regs: { r0: 0x80000000 }, expectFlags: 'N-C-', expect: {} });
check({ name: 'TEQ equal values: Z=1, C and V unchanged', insn: 0xe1300001, regs: { r0: 7, r1: 7 }, flags: '---V', expectFlags: '-Z-V', expect: {} });
check({ name: 'ADDLTS not executed when N == V', insn: 0xb0902001, regs: { r0: 1, r1: 1, r2: 9 }, flags: 'N--V', expect: { r2: 9 }, expectFlags: 'N--V' });
check({ name: 'ADDLTS executed when N != V', insn: 0xb0902001, regs: { r0: 1, r1: 1, r2: 9 }, flags: 'N---', expect: { r2: 2 }, expectFlags: '----' });

// --- shifter: immediate amounts ---------------------------------------------------
check({ name: 'MOVS LSR #32 (imm5 = 0): result 0, C = bit 31', insn: 0xe1b02020, regs: { r0: 0x80000001 }, expect: { r2: 0 }, expectFlags: '-ZC-' });
check({ name: 'MOVS ASR #32 (imm5 = 0): sign fill, C = bit 31', insn: 0xe1b02040, regs: { r0: 0x80000000 }, expect: { r2: 0xffffffff }, expectFlags: 'N-C-' });
check({ name: 'RRXS shifts C into bit 31 and bit 0 out to C', insn: 0xe1b02060, regs: { r0: 3 }, flags: '--C-', expect: { r2: 0x80000001 }, expectFlags: 'N-C-' });
check({ name: 'MOVS LSL #1: C = old bit 31', insn: 0xe1b02080, regs: { r0: 0xc0000000 }, expect: { r2: 0x80000000 }, expectFlags: 'N-C-' });
check({ name: 'ANDS #0xff000000: C from bit 31 of the rotated constant', insn: 0xe21024ff, regs: { r0: 0x12345678 }, expect: { r2: 0x12000000 }, expectFlags: '--C-' });
check({ name: 'ANDS #0xff (no rotation): C unchanged', insn: 0xe21020ff, regs: { r0: 0x100 }, flags: '--C-', expect: { r2: 0 }, expectFlags: '-ZC-' });

// --- shifter: register amounts (Rs[7:0]) ---------------------------------------------
check({ name: 'LSL by register 0: value and C unchanged', insn: 0xe1b02110, regs: { r0: 0x80000001, r1: 0 }, flags: '--C-', expect: { r2: 0x80000001 }, expectFlags: 'N-C-' });
check({ name: 'LSL by 32: result 0, C = bit 0', insn: 0xe1b02110, regs: { r0: 1, r1: 32 }, expect: { r2: 0 }, expectFlags: '-ZC-' });
check({ name: 'LSL by 33: result 0, C = 0', insn: 0xe1b02110, regs: { r0: 0xffffffff, r1: 33 }, flags: '--C-', expect: { r2: 0 }, expectFlags: '-Z--' });
check({ name: 'LSL uses only Rs[7:0] (0x101 shifts by 1)', insn: 0xe1b02110, regs: { r0: 1, r1: 0x101 }, expect: { r2: 2 }, expectFlags: '----' });
check({ name: 'LSR by 32: result 0, C = bit 31', insn: 0xe1b02130, regs: { r0: 0x80000000, r1: 32 }, expect: { r2: 0 }, expectFlags: '-ZC-' });
check({ name: 'LSR by 33: result 0, C = 0', insn: 0xe1b02130, regs: { r0: 0x80000000, r1: 33 }, expect: { r2: 0 }, expectFlags: '-Z--' });
check({ name: 'ASR by 40: sign fill, C = bit 31', insn: 0xe1b02150, regs: { r0: 0x80000000, r1: 40 }, expect: { r2: 0xffffffff }, expectFlags: 'N-C-' });
check({ name: 'ROR by 32: value unchanged, C = bit 31', insn: 0xe1b02170, regs: { r0: 0x80000001, r1: 32 }, expect: { r2: 0x80000001 }, expectFlags: 'N-C-' });
check({ name: 'ROR by 4', insn: 0xe1b02170, regs: { r0: 0x0000000f, r1: 4 }, expect: { r2: 0xf0000000 }, expectFlags: 'N-C-' });
check({ name: 'BICS with LSL #4 operand', insn: 0xe1d02201, regs: { r0: 0xffffffff, r1: 0x0fffffff }, expect: { r2: 0x0000000f }, expectFlags: '----' });
check({ name: 'ORR with ROR #8 operand, flags untouched', insn: 0xe1802461, regs: { r0: 4, r1: 0x11223344 }, flags: 'NZCV', expect: { r2: 0x44112237 }, expectFlags: 'NZCV' });
check({ name: 'EOR with ASR by register', insn: 0xe0202351, regs: { r0: 0, r1: 0x80000000, r3: 4 }, expect: { r2: 0xf8000000 } });
check({ name: 'MVNS', insn: 0xe1f02000, regs: { r0: 0xffffffff }, expect: { r2: 0 }, expectFlags: '-Z--' });

// --- immediates, PC as operand --------------------------------------------------------
check({ name: 'MOVW then the low half', insn: 0xe30b3eef, regs: { r3: 0xffffffff }, expect: { r3: 0xbeef } });
check({ name: 'MOVT keeps the low half', insn: 0xe34d3ead, regs: { r3: 0x1234beef }, expect: { r3: 0xdeadbeef } });
check({ name: 'ADD r6, pc, #0 reads the instruction address + 8', insn: 0xe28f6000, regs: {}, expect: { r6: 0x1008 } });
check({ name: 'MOVEQ not executed with Z=0', insn: 0x03a04001, regs: { r4: 5 }, expect: { r4: 5 } });
check({ name: 'MOVNE executed with Z=0', insn: 0x13a05001, regs: { r5: 5 }, expect: { r5: 1 } });

test('MOV pc, r0 with bit 0 set enters Thumb state (ALUWritePC interworks on ARMv7)', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe1a0f000]);
  m.cpu.r[0] = 0x2001;
  m.step(1);
  t.is(m.cpu.thumb, 1);
  t.is(m.reg('pc'), 0x2000);
});

test('SUBS pc, lr, #4 in IRQ mode returns: CPSR from SPSR_irq, pc = lr - 4', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe25ef004]);
  m.cpu.setRegister('cpsr', 0x600001d2); // IRQ mode, Z and C set
  m.cpu.r[14] = 0x2004;
  m.cpu.currentSpsr = 0x80000010; // back to User mode with N set
  m.step(1);
  t.is(m.reg('pc'), 0x2000);
  t.is(m.cpu.cpsr, 0x80000010);
  t.is(m.cpu.mode, 0x10);
});
