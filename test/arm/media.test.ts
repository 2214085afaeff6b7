import test from 'ava';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * SIMD within a register, packing, saturation, extension, reversal,
 * bitfields, CLZ and the saturating arithmetic (ARM ARM A5.4, A8.8 pages of
 * each instruction; GE flags per A2.8.2). Values worked out by hand.
 */

interface Vector {
  name: string;
  insn: number;
  regs: Record<string, number>;
  expect: number;
  ge?: number;
  geBefore?: number;
  q?: number;
}

function check(v: Vector): void {
  test(v.name, (t) => {
    const m = new ArmTestMachine();
    m.load([v.insn]);
    for (const [r, x] of Object.entries(v.regs)) m.cpu.setRegister(r, x);
    m.cpu.ge = v.geBefore ?? 0;
    m.step(1);
    t.is(m.reg('r2'), v.expect >>> 0, 'r2');
    if (v.ge !== undefined) t.is(m.cpu.ge, v.ge, 'GE');
    if (v.q !== undefined) t.is(m.cpu.q, v.q, 'Q');
  });
}

// --- parallel add/subtract --------------------------------------------------------
check({ name: 'UADD8: GE per byte from the carry out', insn: 0xe6502f91, regs: { r0: 0x80ff0102, r1: 0x80010304 }, expect: 0x00000406, ge: 0b1100 });
check({ name: 'SADD16: GE per halfword when the sum is >= 0', insn: 0xe6102f11, regs: { r0: 0x00010001, r1: 0xfffe0001 }, expect: 0xffff0002, ge: 0b0011 });
check({ name: 'USUB16: GE when no borrow', insn: 0xe6502f71, regs: { r0: 0x00010005, r1: 0x00020003 }, expect: 0xffff0002, ge: 0b0011 });
check({ name: 'SSUB8: signed byte differences wrap, GE when >= 0', insn: 0xe6102ff1, regs: { r0: 0x8000057f, r1: 0x010106ff }, expect: 0x7fffff80, ge: 0b0001 });
check({ name: 'QADD16 saturates each halfword, GE untouched', insn: 0xe6202f11, regs: { r0: 0x7fff8000, r1: 0x0001ffff }, geBefore: 0b1010, expect: 0x7fff8000, ge: 0b1010 });
check({ name: 'UQSUB8 clamps at zero', insn: 0xe6602ff1, regs: { r0: 0x10203040, r1: 0x20104030 }, expect: 0x00100010 });
check({ name: 'SHADD8 halves signed sums', insn: 0xe6302f91, regs: { r0: 0x7f8002ff, r1: 0x7f8004ff }, expect: 0x7f8003ff });
check({ name: 'UHSUB16 halves differences (arithmetic shift of the 17-bit result)', insn: 0xe6702f71, regs: { r0: 0x00000010, r1: 0x00020004 }, expect: 0xffff0006 });
check({ name: 'SASX: low = n.lo - m.hi, high = n.hi + m.lo', insn: 0xe6102f31, regs: { r0: 0x00050003, r1: 0x00010002 }, expect: 0x00070002, ge: 0b1111 });
check({ name: 'USAX: low = n.lo + m.hi (GE on carry), high = n.hi - m.lo (GE on no borrow)', insn: 0xe6502f51, regs: { r0: 0x00050003, r1: 0x00010002 }, expect: 0x00030004, ge: 0b1100 });
check({ name: 'SEL picks bytes of Rn where GE is set', insn: 0xe6802fb1, regs: { r0: 0xaabbccdd, r1: 0x11223344 }, geBefore: 0b0101, expect: 0x11bb33dd });

// --- packing and saturation -----------------------------------------------------------
check({ name: 'PKHBT', insn: 0xe6802411, regs: { r0: 0x12345678, r1: 0xaabbccdd }, expect: 0xbbcc5678 });
check({ name: 'PKHTB', insn: 0xe6802451, regs: { r0: 0x12345678, r1: 0xaabbccdd }, expect: 0x1234bbcc });
check({ name: 'SSAT #8 clips 200 to 127 and sets Q', insn: 0xe6a72010, regs: { r0: 200 }, expect: 127, q: 1 });
check({ name: 'SSAT #8 passes -5', insn: 0xe6a72010, regs: { r0: -5 }, expect: -5, q: 0 });
check({ name: 'USAT #8 clips -1 to 0', insn: 0xe6e82010, regs: { r0: -1 }, expect: 0, q: 1 });
check({ name: 'USAT #8 clips 300 to 255', insn: 0xe6e82010, regs: { r0: 300 }, expect: 255, q: 1 });
check({ name: 'SSAT #16 with ASR #4', insn: 0xe6af2250, regs: { r0: 0x00100000 }, expect: 32767, q: 1 });
check({ name: 'SSAT16 #8 clips both halves', insn: 0xe6a72f30, regs: { r0: 0x0100ff00 }, expect: 0x007fff80, q: 1 });
check({ name: 'USAT16 #4', insn: 0xe6e42f30, regs: { r0: 0xffff0020 }, expect: 0x0000000f, q: 1 });

// --- extension ---------------------------------------------------------------------------
check({ name: 'SXTAB16 adds sign-extended bytes 0 and 2 to the halfwords', insn: 0xe6802071, regs: { r0: 0x00010001, r1: 0x008000ff }, expect: 0xff810000 });
check({ name: 'SXTB16 with ROR #8', insn: 0xe68f2471, regs: { r1: 0x1180227f }, expect: 0x00110022 });
check({ name: 'SXTAB', insn: 0xe6a02071, regs: { r0: 100, r1: 0xf0 }, expect: 84 });
check({ name: 'SXTH', insn: 0xe6bf2071, regs: { r1: 0x12348000 }, expect: 0xffff8000 });
check({ name: 'UXTB with ROR #16', insn: 0xe6ef2871, regs: { r1: 0x00ab0000 }, expect: 0xab });
check({ name: 'UXTAH wraps the sum', insn: 0xe6f02071, regs: { r0: 0xffffffff, r1: 0x00010002 }, expect: 1 });

// --- reversal, bitfields, CLZ ------------------------------------------------------------
check({ name: 'REV', insn: 0xe6bf2f30, regs: { r0: 0x12345678 }, expect: 0x78563412 });
check({ name: 'REV16', insn: 0xe6bf2fb0, regs: { r0: 0x12345678 }, expect: 0x34127856 });
check({ name: 'REVSH sign-extends the swapped low halfword', insn: 0xe6ff2fb0, regs: { r0: 0x000080ff }, expect: 0xffffff80 });
check({ name: 'RBIT', insn: 0xe6ff2f30, regs: { r0: 0x12345678 }, expect: 0x1e6a2c48 });
check({ name: 'RBIT of 1', insn: 0xe6ff2f30, regs: { r0: 1 }, expect: 0x80000000 });
check({ name: 'BFI #8, #4', insn: 0xe7cb2410, regs: { r0: 5, r2: 0xffffffff }, expect: 0xfffff5ff });
check({ name: 'BFC #4, #8', insn: 0xe7cb221f, regs: { r2: 0xffffffff }, expect: 0xfffff00f });
check({ name: 'UBFX #4, #8', insn: 0xe7e72250, regs: { r0: 0xab0 }, expect: 0xab });
check({ name: 'SBFX #4, #8 sign-extends', insn: 0xe7a72250, regs: { r0: 0xab0 }, expect: 0xffffffab });
check({ name: 'CLZ 0 = 32', insn: 0xe16f2f10, regs: { r0: 0 }, expect: 32 });
check({ name: 'CLZ 1 = 31', insn: 0xe16f2f10, regs: { r0: 1 }, expect: 31 });
check({ name: 'CLZ 0x80000000 = 0', insn: 0xe16f2f10, regs: { r0: 0x80000000 }, expect: 0 });

// --- saturating arithmetic ----------------------------------------------------------------
check({ name: 'QADD saturates at 0x7fffffff and sets Q', insn: 0xe1012050, regs: { r0: 0x7fffffff, r1: 1 }, expect: 0x7fffffff, q: 1 });
check({ name: 'QADD without overflow leaves Q', insn: 0xe1012050, regs: { r0: 2, r1: 3 }, expect: 5, q: 0 });
check({ name: 'QSUB Rm - Rn saturates at 0x80000000', insn: 0xe1212050, regs: { r0: 0x80000000, r1: 1 }, expect: 0x80000000, q: 1 });
check({ name: 'QDADD saturates the doubling, then the sum', insn: 0xe1412050, regs: { r0: 1, r1: 0x40000000 }, expect: 0x7fffffff, q: 1 });
check({ name: 'QDSUB 0 - 2 * (-2^30) saturates', insn: 0xe1612050, regs: { r0: 0, r1: 0xc0000000 }, expect: 0x7fffffff, q: 1 });

test('UDF takes the Undefined Instruction exception', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe7f000f0]);
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
  t.is(m.reg('pc'), 0x4);
  t.is(m.reg('lr'), 0x1004);
});
