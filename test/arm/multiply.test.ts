import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * Multiplies and divides (ARM ARM A8.8: MUL, MLA, MLS, UMULL, UMLAL, SMULL,
 * SMLAL, UMAAL, SMLA<x><y>, SMUL<x><y>, SMULW<y>, SMLAW<y>, SMLAL<x><y>,
 * SMLAD, SMUAD, SMLSD, SMLALD, SMMUL, SMMLA, SMMLS, SDIV, UDIV, USAD8,
 * USADA8). Expected values worked out by hand from the pseudocode.
 */

interface Vector {
  name: string;
  insn: number;
  regs: Record<string, number>;
  expect: Record<string, number>;
  flags?: string;
  q?: number;
}

function check(v: Vector): void {
  test(v.name, (t) => {
    const m = new ArmTestMachine();
    m.load([v.insn]);
    for (const [r, x] of Object.entries(v.regs)) m.cpu.setRegister(r, x);
    m.cpu.c = 1; // multiplies leave C (and V) alone on ARMv7
    m.step(1);
    for (const [r, x] of Object.entries(v.expect)) t.is(m.reg(r), x >>> 0, r);
    if (v.flags !== undefined) t.is(m.flags(), v.flags);
    if (v.q !== undefined) t.is(m.cpu.q, v.q, 'Q');
  });
}

check({ name: 'MULS 0x10000 * 0x10000 keeps the low word: Z=1, C untouched', insn: 0xe0120190, regs: { r0: 0x10000, r1: 0x10000 }, expect: { r2: 0 }, flags: '-ZC-' });
check({ name: 'MULS negative result sets N', insn: 0xe0120190, regs: { r0: 0xffffffff, r1: 3 }, expect: { r2: 0xfffffffd }, flags: 'N-C-' });
check({ name: 'MLA 3 * 4 + 5', insn: 0xe0223190, regs: { r0: 3, r1: 4, r3: 5 }, expect: { r2: 17 } });
check({ name: 'MLS 5 - 3 * 4', insn: 0xe0623190, regs: { r0: 3, r1: 4, r3: 5 }, expect: { r2: 0xfffffff9 } });
check({ name: 'UMULL 0xffffffff squared', insn: 0xe0832190, regs: { r0: 0xffffffff, r1: 0xffffffff }, expect: { r2: 1, r3: 0xfffffffe } });
check({ name: 'UMLALS carries from the low word into the high word', insn: 0xe0b32190, regs: { r0: 1, r1: 1, r2: 0xffffffff, r3: 0 }, expect: { r2: 0, r3: 1 }, flags: '--C-' });
check({ name: 'UMLALS wrapping to zero sets Z over all 64 bits', insn: 0xe0b32190, regs: { r0: 1, r1: 1, r2: 0xffffffff, r3: 0xffffffff }, expect: { r2: 0, r3: 0 }, flags: '-ZC-' });
check({ name: 'SMULL -2 * 3', insn: 0xe0c32190, regs: { r0: 0xfffffffe, r1: 3 }, expect: { r2: 0xfffffffa, r3: 0xffffffff } });
check({ name: 'SMULL 0x80000000 squared = 2^62', insn: 0xe0c32190, regs: { r0: 0x80000000, r1: 0x80000000 }, expect: { r2: 0, r3: 0x40000000 } });
check({ name: 'SMLAL 5 + (-1 * 10)', insn: 0xe0e32190, regs: { r0: 0xffffffff, r1: 10, r2: 5, r3: 0 }, expect: { r2: 0xfffffffb, r3: 0xffffffff } });
check({ name: 'UMAAL at its maximum: 2^64 - 1', insn: 0xe0432190, regs: { r0: 0xffffffff, r1: 0xffffffff, r2: 0xffffffff, r3: 0xffffffff }, expect: { r2: 0xffffffff, r3: 0xffffffff } });
check({ name: 'SMLABT bottom(r0) * top(r1) + r3', insn: 0xe10231c0, regs: { r0: 0x0000fffe, r1: 0x00030000, r3: 10 }, expect: { r2: 4 }, q: 0 });
check({ name: 'SMLABT overflowing the accumulate sets Q', insn: 0xe10231c0, regs: { r0: 0x00008000, r1: 0x80000000, r3: 0x40000000 }, expect: { r2: 0x80000000 }, q: 1 });
check({ name: 'SMULTT top * top', insn: 0xe16201e0, regs: { r0: 0xffff0000, r1: 0x00050000 }, expect: { r2: 0xfffffffb } });
check({ name: 'SMULWB keeps bits [47:16] of the product', insn: 0xe12201a0, regs: { r0: 0x00010000, r1: 0x0000ffff }, expect: { r2: 0xffffffff } });
check({ name: 'SMULWB with a large positive factor', insn: 0xe12201a0, regs: { r0: 0x7fffffff, r1: 2 }, expect: { r2: 0x0000ffff } });
check({ name: 'SMLAWT overflow sets Q', insn: 0xe12231c0, regs: { r0: 0x40000000, r1: 0x40000000, r3: 0x70000000 }, expect: { r2: 0x80000000 }, q: 1 });
check({ name: 'SMLALBB 64-bit accumulate of a negative product', insn: 0xe1432180, regs: { r0: 0xffff, r1: 1, r2: 0xffffffff, r3: 0 }, expect: { r2: 0xfffffffe, r3: 0 } });
check({ name: 'SMLAD dual multiply-accumulate', insn: 0xe7023110, regs: { r0: 0x00020003, r1: 0x00040005, r3: 1 }, expect: { r2: 24 }, q: 0 });
check({ name: 'SMLAD 2^30 + 2^30 overflows: Q', insn: 0xe7023110, regs: { r0: 0x80008000, r1: 0x80008000, r3: 0 }, expect: { r2: 0x80000000 }, q: 1 });
check({ name: 'SMUADX swaps the halves of Rm', insn: 0xe702f130, regs: { r0: 0x00020003, r1: 0x00040005 }, expect: { r2: 22 } });
check({ name: 'SMLSD p1 - p2 + Ra', insn: 0xe7023150, regs: { r0: 0x00020003, r1: 0x00040005, r3: 1 }, expect: { r2: 8 } });
check({ name: 'SMLALD carries into the high word', insn: 0xe7432110, regs: { r0: 0x00020003, r1: 0x00040005, r2: 0xffffffff, r3: 0 }, expect: { r2: 0x16, r3: 1 } });
check({ name: 'SMMUL takes the high word', insn: 0xe752f110, regs: { r0: 0x00010000, r1: 0x00018000 }, expect: { r2: 1 } });
check({ name: 'SMMULR rounds by adding 0x80000000 first', insn: 0xe752f130, regs: { r0: 0x00010000, r1: 0x00018000 }, expect: { r2: 2 } });
check({ name: 'SMMLA adds Ra to the high word', insn: 0xe7523110, regs: { r0: 0x40000000, r1: 0x40000000, r3: 5 }, expect: { r2: 0x10000005 } });
check({ name: 'SMMLS (Ra << 32) - product', insn: 0xe75231d0, regs: { r0: 0x40000000, r1: 0x40000000, r3: 5 }, expect: { r2: 0xf0000005 } });
check({ name: 'SDIV rounds towards zero', insn: 0xe712f110, regs: { r0: 0xfffffff9, r1: 2 }, expect: { r2: 0xfffffffd } });
check({ name: 'SDIV by zero gives 0', insn: 0xe712f110, regs: { r0: 7, r1: 0 }, expect: { r2: 0 } });
check({ name: 'SDIV 0x80000000 / -1 gives 0x80000000', insn: 0xe712f110, regs: { r0: 0x80000000, r1: 0xffffffff }, expect: { r2: 0x80000000 } });
check({ name: 'UDIV is unsigned', insn: 0xe732f110, regs: { r0: 0xfffffffe, r1: 2 }, expect: { r2: 0x7fffffff } });
check({ name: 'UDIV by zero gives 0', insn: 0xe732f110, regs: { r0: 5, r1: 0 }, expect: { r2: 0 } });
check({ name: 'USADA8 sums absolute byte differences plus Ra', insn: 0xe7823110, regs: { r0: 0x01020304, r1: 0x04030201, r3: 100 }, expect: { r2: 108 } });
check({ name: 'USAD8', insn: 0xe782f110, regs: { r0: 0x01020304, r1: 0x04030201 }, expect: { r2: 8 } });
