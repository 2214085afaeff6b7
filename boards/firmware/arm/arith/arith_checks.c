/*
 * Expected values follow the pseudocode of the ARMv7-A/R Architecture
 * Reference Manual (DDI 0406C): AddWithCarry (A2.2.1), Shift_C/LSL_C/LSR_C/
 * ASR_C/ROR_C/RRX_C (A2.2.1), the instruction descriptions in A8.8, and the
 * condition table A8-1 (A8.3). Each asm block presets APSR (NZCVQ and GE),
 * runs the instruction and reads APSR back.
 */
#include <stdint.h>
#include "arith_checks.h"
#include "check.h"

#define N 0x80000000u
#define Z 0x40000000u
#define C 0x20000000u
#define V 0x10000000u
#define Q 0x08000000u
#define GE(bits) ((uint32_t)(bits) << 16)
#define APSR_MASK 0xf80f0000u

/* Runs `text` (operands %[r] result, %[x], %[y]) with APSR preset to `init`. */
#define RUN(text, xv, yv, init, flags)                                                 \
    ({                                                                                 \
        uint32_t r_, f_;                                                               \
        __asm__ volatile("msr APSR_nzcvqg, %[i]\n\t" text "\n\tmrs %[f], apsr"         \
                         : [r] "=&r"(r_), [f] "=&r"(f_)                                \
                         : [x] "r"(xv), [y] "r"(yv), [i] "r"(init)                     \
                         : "cc");                                                      \
        (flags) = f_ & APSR_MASK;                                                      \
        r_;                                                                            \
    })

#define CHECK(name, text, xv, yv, init, want, want_flags)                              \
    do {                                                                               \
        uint32_t fl_;                                                                  \
        uint32_t got_ = RUN(text, xv, yv, init, fl_);                                  \
        check_flags(name, got_, fl_, want, want_flags);                                \
    } while (0)

static void add_sub(void)
{
    CHECK("adds 0xffffffff+1: zero and carry", "adds %[r], %[x], %[y]", 0xffffffffu, 1u, 0u, 0u, Z | C);
    CHECK("adds 0x7fffffff+1: signed overflow", "adds %[r], %[x], %[y]", 0x7fffffffu, 1u, 0u, 0x80000000u, N | V);
    CHECK("adds 0x80000000+0x80000000: carry and overflow", "adds %[r], %[x], %[y]", 0x80000000u, 0x80000000u, 0u, 0u, Z | C | V);
    CHECK("adds 1+2: no flags", "adds %[r], %[x], %[y]", 1u, 2u, N | Z | C | V, 3u, 0u);
    CHECK("subs 0-1: borrow clears C", "subs %[r], %[x], %[y]", 0u, 1u, 0u, 0xffffffffu, N);
    CHECK("subs 5-5: zero, no borrow sets C", "subs %[r], %[x], %[y]", 5u, 5u, 0u, 0u, Z | C);
    CHECK("subs 0x80000000-1: overflow", "subs %[r], %[x], %[y]", 0x80000000u, 1u, 0u, 0x7fffffffu, C | V);
    CHECK("subs 0x7fffffff-(-1): overflow and borrow", "subs %[r], %[x], %[y]", 0x7fffffffu, 0xffffffffu, 0u, 0x80000000u, N | V);
    CHECK("adcs 0xffffffff+0+C", "adcs %[r], %[x], %[y]", 0xffffffffu, 0u, C, 0u, Z | C);
    CHECK("adcs 0x7fffffff+0+C", "adcs %[r], %[x], %[y]", 0x7fffffffu, 0u, C, 0x80000000u, N | V);
    CHECK("sbcs 5-3-!C", "sbcs %[r], %[x], %[y]", 5u, 3u, 0u, 1u, C);
    CHECK("sbcs 0-0-!C", "sbcs %[r], %[x], %[y]", 0u, 0u, 0u, 0xffffffffu, N);
    CHECK("sbcs 7-2 with C set", "sbcs %[r], %[x], %[y]", 7u, 2u, C, 5u, C);
    CHECK("rsbs 0-1", "rsbs %[r], %[x], #0", 1u, 0u, 0u, 0xffffffffu, N);
    CHECK("cmn 0xffffffff,1", "cmn %[x], %[y]\n\tmov %[r], #0", 0xffffffffu, 1u, 0u, 0u, Z | C);
    CHECK("add without S keeps flags", "add %[r], %[x], %[y]", 0x7fffffffu, 1u, N | Z | C | V, 0x80000000u, N | Z | C | V);
    CHECK("ands with 0 sets Z, keeps C and V", "ands %[r], %[x], %[y]", 0xf0u, 0x0fu, C | V, 0u, Z | C | V);
}

/* LSL/LSR/ASR/ROR by register use the bottom byte of the register (A8.4.2). */
static void shifts(void)
{
    CHECK("lsls by 1: bit 31 into C", "lsls %[r], %[x], %[y]", 0x80000001u, 1u, 0u, 2u, C);
    CHECK("lsls by 32: zero, C = bit 0", "lsls %[r], %[x], %[y]", 1u, 32u, 0u, 0u, Z | C);
    CHECK("lsls by 33: zero, C clear", "lsls %[r], %[x], %[y]", 1u, 33u, C, 0u, Z);
    CHECK("lsrs by 32: zero, C = bit 31", "lsrs %[r], %[x], %[y]", 0x80000000u, 32u, 0u, 0u, Z | C);
    CHECK("lsrs by 33: zero, C clear", "lsrs %[r], %[x], %[y]", 0x80000000u, 33u, C, 0u, Z);
    CHECK("asrs by 40 of negative: all ones", "asrs %[r], %[x], %[y]", 0x80000000u, 40u, 0u, 0xffffffffu, N | C);
    CHECK("asrs by 40 of positive: zero", "asrs %[r], %[x], %[y]", 0x40000000u, 40u, C, 0u, Z);
    CHECK("rors by 32: unchanged, C = bit 31", "rors %[r], %[x], %[y]", 0x12345678u, 32u, C, 0x12345678u, 0u);
    CHECK("rors by 36 = ror 4", "rors %[r], %[x], %[y]", 0x0000000fu, 36u, 0u, 0xf0000000u, N | C);
    CHECK("lsls by 0: unchanged, C kept", "lsls %[r], %[x], %[y]", 0x80000000u, 0u, C, 0x80000000u, N | C);
    CHECK("lsls by 0x101 uses bottom byte", "lsls %[r], %[x], %[y]", 0x40000000u, 0x101u, C, 0x80000000u, N);
    CHECK("lsrs by 255", "lsrs %[r], %[x], %[y]", 0xffffffffu, 255u, C, 0u, Z);
    CHECK("lsrs #32 (immediate 0)", "lsrs %[r], %[x], #32", 0x80000000u, 0u, 0u, 0u, Z | C);
    CHECK("asrs #32 (immediate 0)", "asrs %[r], %[x], #32", 0x80000000u, 0u, 0u, 0xffffffffu, N | C);
    CHECK("rrxs: C into bit 31, bit 0 into C", "rrxs %[r], %[x]", 1u, 0u, C, 0x80000000u, N | C);
#ifndef __thumb__
    /* A32 only: a data-processing operand shifted by a register. */
    CHECK("add with operand lsl register", "adds %[r], %[x], %[x], lsl %[y]", 1u, 4u, 0u, 17u, 0u);
    CHECK("movs with operand ror register", "movs %[r], %[x], ror %[y]", 0x00000001u, 1u, 0u, 0x80000000u, N | C);
#endif
}

static void multiply(void)
{
    uint32_t f;
    CHECK("mul low 32 bits", "mul %[r], %[x], %[y]", 0x12345678u, 0x9abcdef0u, 0u, 0x242d2080u, 0u);
    /* MULS sets N and Z only; C and V are unchanged (A8.8.114). 16-bit Thumb MULS needs Rd = Rm. */
    {
        uint32_t d = 0x10000u;
        uint32_t init = C | V;
        __asm__ volatile("msr APSR_nzcvqg, %[i]\n\tmuls %[d], %[x], %[d]\n\tmrs %[f], apsr"
                         : [d] "+l"(d), [f] "=&r"(f) : [x] "l"(0x10000u), [i] "r"(init) : "cc");
        check_flags("muls to zero: Z set, C and V kept", d, f & APSR_MASK, 0u, Z | C | V);
    }
    {
        uint32_t r;
        __asm__ volatile("mla %0, %1, %2, %3" : "=r"(r) : "r"(3u), "r"(4u), "r"(5u));
        check_eq("mla 3*4+5", r, 17u);
        __asm__ volatile("mls %0, %1, %2, %3" : "=r"(r) : "r"(3u), "r"(4u), "r"(100u));
        check_eq("mls 100-3*4", r, 88u);
    }
    {
        uint32_t lo, hi;
        __asm__ volatile("umull %0, %1, %2, %3" : "=&r"(lo), "=&r"(hi) : "r"(0xffffffffu), "r"(0xffffffffu));
        check_eq64("umull 0xffffffff^2", ((uint64_t)hi << 32) | lo, 0xfffffffe00000001ull);
        __asm__ volatile("smull %0, %1, %2, %3" : "=&r"(lo), "=&r"(hi) : "r"(-2), "r"(3));
        check_eq64("smull -2*3", ((uint64_t)hi << 32) | lo, 0xfffffffffffffffaull);
        __asm__ volatile("smull %0, %1, %2, %3" : "=&r"(lo), "=&r"(hi) : "r"(0x80000000u), "r"(0x80000000u));
        check_eq64("smull 0x80000000^2", ((uint64_t)hi << 32) | lo, 0x4000000000000000ull);
        lo = 0xffffffffu;
        hi = 0;
        __asm__ volatile("umlal %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(1u), "r"(1u));
        check_eq64("umlal carries into the high word", ((uint64_t)hi << 32) | lo, 0x0000000100000000ull);
        lo = 5;
        hi = 0;
        __asm__ volatile("smlal %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(-2), "r"(3));
        check_eq64("smlal 5 + -2*3", ((uint64_t)hi << 32) | lo, 0xffffffffffffffffull);
        lo = 0xffffffffu;
        hi = 0xffffffffu;
        __asm__ volatile("umaal %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(0xffffffffu), "r"(0xffffffffu));
        check_eq64("umaal maximum", ((uint64_t)hi << 32) | lo, 0xffffffffffffffffull);
    }
    CHECK("smulbb -2*2", "smulbb %[r], %[x], %[y]", 0x0003fffeu, 0x00050002u, 0u, 0xfffffffcu, 0u);
    CHECK("smultt 3*5", "smultt %[r], %[x], %[y]", 0x0003fffeu, 0x00050002u, 0u, 15u, 0u);
    {
        uint32_t r;
        __asm__ volatile("msr APSR_nzcvqg, %[z]\n\tsmlabb %[r], %[x], %[x], %[a]\n\tmrs %[f], apsr"
                         : [r] "=&r"(r), [f] "=&r"(f) : [x] "r"(0x4000u), [a] "r"(0x7fffffffu), [z] "r"(0u) : "cc");
        check_flags("smlabb overflow wraps and sets Q", r, f & APSR_MASK, 0x8fffffffu, Q);
    }
}

/* SDIV/UDIV: round towards zero; divide by zero gives 0 in ARMv7-A (A8.8.165, A8.8.248). */
static void divide(void)
{
    uint32_t f;
    check_eq("udiv 0xffffffff/16", RUN("udiv %[r], %[x], %[y]", 0xffffffffu, 16u, 0u, f), 0x0fffffffu);
    check_eq("udiv by zero gives 0", RUN("udiv %[r], %[x], %[y]", 7u, 0u, 0u, f), 0u);
    check_eq("sdiv -7/2 rounds towards zero", RUN("sdiv %[r], %[x], %[y]", (uint32_t)-7, 2u, 0u, f), (uint32_t)-3);
    check_eq("sdiv 7/-2", RUN("sdiv %[r], %[x], %[y]", 7u, (uint32_t)-2, 0u, f), (uint32_t)-3);
    check_eq("sdiv 0x80000000/-1 overflows to 0x80000000", RUN("sdiv %[r], %[x], %[y]", 0x80000000u, 0xffffffffu, 0u, f), 0x80000000u);
    check_eq("sdiv by zero gives 0", RUN("sdiv %[r], %[x], %[y]", (uint32_t)-1, 0u, 0u, f), 0u);
    (void)f;
}

static void bits(void)
{
    uint32_t f;
    check_eq("clz 0", RUN("clz %[r], %[x]", 0u, 0u, 0u, f), 32u);
    check_eq("clz 1", RUN("clz %[r], %[x]", 1u, 0u, 0u, f), 31u);
    check_eq("clz 0x10000", RUN("clz %[r], %[x]", 0x10000u, 0u, 0u, f), 15u);
    check_eq("clz 0x80000000", RUN("clz %[r], %[x]", 0x80000000u, 0u, 0u, f), 0u);
    check_eq("rbit 1", RUN("rbit %[r], %[x]", 1u, 0u, 0u, f), 0x80000000u);
    check_eq("rbit 0x12345678", RUN("rbit %[r], %[x]", 0x12345678u, 0u, 0u, f), 0x1e6a2c48u);
    check_eq("rev", RUN("rev %[r], %[x]", 0x12345678u, 0u, 0u, f), 0x78563412u);
    check_eq("rev16", RUN("rev16 %[r], %[x]", 0x12345678u, 0u, 0u, f), 0x34127856u);
    check_eq("revsh negative", RUN("revsh %[r], %[x]", 0x00001280u, 0u, 0u, f), 0xffff8012u);
    check_eq("revsh positive", RUN("revsh %[r], %[x]", 0x12345678u, 0u, 0u, f), 0x00007856u);
    {
        uint32_t d = 0xffffffffu;
        __asm__ volatile("bfi %0, %1, #8, #4" : "+r"(d) : "r"(0u));
        check_eq("bfi 4 bits at 8", d, 0xfffff0ffu);
        d = 0;
        __asm__ volatile("bfi %0, %1, #20, #12" : "+r"(d) : "r"(0xabcu));
        check_eq("bfi 12 bits at 20", d, 0xabc00000u);
        d = 0xffffffffu;
        __asm__ volatile("bfc %0, #4, #8" : "+r"(d));
        check_eq("bfc 8 bits at 4", d, 0xfffff00fu);
    }
    check_eq("ubfx 8 bits at 8", RUN("ubfx %[r], %[x], #8, #8", 0x12345678u, 0u, 0u, f), 0x56u);
    check_eq("ubfx 4 bits at 28", RUN("ubfx %[r], %[x], #28, #4", 0x12345678u, 0u, 0u, f), 0x1u);
    check_eq("sbfx sign-extends", RUN("sbfx %[r], %[x], #4, #4", 0xf0u, 0u, 0u, f), 0xffffffffu);
    check_eq("sbfx positive", RUN("sbfx %[r], %[x], #4, #8", 0x12345678u, 0u, 0u, f), 0x67u);
    check_eq("sxtb", RUN("sxtb %[r], %[x]", 0x00000080u, 0u, 0u, f), 0xffffff80u);
    check_eq("uxth ror 16", RUN("uxth %[r], %[x], ror #16", 0x12345678u, 0u, 0u, f), 0x1234u);
    check_eq("sxtah", RUN("sxtah %[r], %[y], %[x]", 0x0000fffeu, 10u, 0u, f), 8u);
    check_eq("pkhbt", RUN("pkhbt %[r], %[x], %[y], lsl #16", 0x1111aaaau, 0x2222bbbbu, 0u, f), 0xbbbbaaaau);
    (void)f;
}

static void saturate(void)
{
    CHECK("usat 8 of 300 saturates, sets Q", "usat %[r], #8, %[x]", 300u, 0u, 0u, 255u, Q);
    CHECK("usat 8 of -5 saturates to 0", "usat %[r], #8, %[x]", (uint32_t)-5, 0u, 0u, 0u, Q);
    CHECK("usat 8 of 100 unchanged, Q clear", "usat %[r], #8, %[x]", 100u, 0u, 0u, 100u, 0u);
    CHECK("usat 8 of 0x10 lsl 4", "usat %[r], #8, %[x], lsl #4", 0x10u, 0u, 0u, 255u, Q);
    CHECK("ssat 8 of 200", "ssat %[r], #8, %[x]", 200u, 0u, 0u, 127u, Q);
    CHECK("ssat 8 of -200", "ssat %[r], #8, %[x]", (uint32_t)-200, 0u, 0u, 0xffffff80u, Q);
    CHECK("ssat 16 of 1000 unchanged", "ssat %[r], #16, %[x]", 1000u, 0u, 0u, 1000u, 0u);
    CHECK("ssat 1 of 1", "ssat %[r], #1, %[x]", 1u, 0u, 0u, 0u, Q);
    CHECK("qadd saturates", "qadd %[r], %[x], %[y]", 0x7fffffffu, 1u, 0u, 0x7fffffffu, Q);
    CHECK("qsub saturates", "qsub %[r], %[x], %[y]", 0x80000000u, 1u, 0u, 0x80000000u, Q);
    CHECK("qadd in range, Q clear", "qadd %[r], %[x], %[y]", 1u, 2u, 0u, 3u, 0u);
    CHECK("Q is sticky", "qadd %[r], %[x], %[y]", 1u, 2u, Q, 3u, Q);
}

/* Parallel add/subtract set APSR.GE per lane (A8.8.259 UADD8, A8.8.262 USUB8, A8.8.151 SADD16). */
static void simd(void)
{
    uint32_t f;
    uint32_t r;
    CHECK("uadd8 carries set GE", "uadd8 %[r], %[x], %[y]", 0x80ff0102u, 0x80010203u, 0u, 0x00000305u, GE(0xc));
    __asm__ volatile("msr APSR_nzcvqg, %[z]\n\tuadd8 %[r], %[x], %[y]\n\tsel %[r], %[a], %[b]\n\tmrs %[f], apsr"
                     : [r] "=&r"(r), [f] "=&r"(f)
                     : [x] "r"(0x80ff0102u), [y] "r"(0x80010203u), [a] "r"(0xaaaaaaaau), [b] "r"(0xbbbbbbbbu), [z] "r"(0u)
                     : "cc");
    check_flags("sel picks bytes by GE after uadd8", r, f & APSR_MASK, 0xaaaabbbbu, GE(0xc));
    CHECK("usub8 sets GE where no borrow", "usub8 %[r], %[x], %[y]", 0x10203040u, 0x20203010u, 0u, 0xf0000030u, GE(0x7));
    CHECK("sadd16 GE from signed sums", "sadd16 %[r], %[x], %[y]", 0x7fff8000u, 0x00018000u, 0u, 0x80000000u, GE(0xc));
    check_eq("usad8", RUN("usad8 %[r], %[x], %[y]", 0x01020304u, 0x04030201u, 0u, f), 8u);
}

/* The condition codes of table A8-1, for every NZCV value. */
static uint32_t conditions_expected(uint32_t nzcv)
{
    int n = (nzcv >> 3) & 1, z = (nzcv >> 2) & 1, c = (nzcv >> 1) & 1, v = nzcv & 1;
    int pass[14] = {
        z, !z, c, !c, n, !n, v, !v,
        c && !z, !c || z, n == v, n != v, !z && n == v, z || n != v,
    };
    uint32_t mask = 0;
    for (int i = 0; i < 14; i++)
        if (pass[i])
            mask |= 1u << i;
    return mask;
}

#define COND(cc, bit) "it " #cc "\n\torr" #cc " %[m], %[m], #" #bit "\n\t"

static void conditions(void)
{
    static const char *const names[16] = {
        "conditions NZCV=0000", "conditions NZCV=0001", "conditions NZCV=0010", "conditions NZCV=0011",
        "conditions NZCV=0100", "conditions NZCV=0101", "conditions NZCV=0110", "conditions NZCV=0111",
        "conditions NZCV=1000", "conditions NZCV=1001", "conditions NZCV=1010", "conditions NZCV=1011",
        "conditions NZCV=1100", "conditions NZCV=1101", "conditions NZCV=1110", "conditions NZCV=1111",
    };
    for (uint32_t nzcv = 0; nzcv < 16; nzcv++) {
        uint32_t mask = 0;
        __asm__ volatile("msr APSR_nzcvq, %[i]\n\t"
                         COND(eq, 0x1) COND(ne, 0x2) COND(cs, 0x4) COND(cc, 0x8)
                         COND(mi, 0x10) COND(pl, 0x20) COND(vs, 0x40) COND(vc, 0x80)
                         COND(hi, 0x100) COND(ls, 0x200) COND(ge, 0x400) COND(lt, 0x800)
                         COND(gt, 0x1000) COND(le, 0x2000)
                         : [m] "+r"(mask) : [i] "r"(nzcv << 28) : "cc");
        check_eq(names[nzcv], mask, conditions_expected(nzcv));
    }
}

static void load_store(void)
{
    static volatile uint32_t words[4] __attribute__((aligned(8)));
    uint32_t r, p;
    words[0] = 0x8001ff80u;
    __asm__ volatile("ldrsb %0, [%1]" : "=r"(r) : "r"(&words[0]) : "memory");
    check_eq("ldrsb sign-extends 0x80", r, 0xffffff80u);
    __asm__ volatile("ldrb %0, [%1, #1]" : "=r"(r) : "r"(&words[0]) : "memory");
    check_eq("ldrb zero-extends 0xff", r, 0xffu);
    __asm__ volatile("ldrsh %0, [%1, #2]" : "=r"(r) : "r"(&words[0]) : "memory");
    check_eq("ldrsh sign-extends 0x8001", r, 0xffff8001u);
    __asm__ volatile("ldrh %0, [%1]" : "=r"(r) : "r"(&words[0]) : "memory");
    check_eq("ldrh zero-extends 0xff80", r, 0xff80u);

    words[1] = 0x11223344u;
    __asm__ volatile("strb %1, [%0, #5]" : : "r"(&words[0]), "r"(0x1aau) : "memory");
    check_eq("strb writes one byte lane", words[1], 0x1122aa44u);
    __asm__ volatile("strh %1, [%0, #6]" : : "r"(&words[0]), "r"(0xbeefu) : "memory");
    check_eq("strh writes the upper half", words[1], 0xbeefaa44u);

    words[0] = 10;
    words[1] = 20;
    p = (uint32_t)&words[0];
    __asm__ volatile("ldr %0, [%1], #4" : "=r"(r), "+r"(p) : : "memory");
    check_true("ldr post-index: value and writeback", r == 10 && p == (uint32_t)&words[1], "wrong value or base");
    p = (uint32_t)&words[0];
    __asm__ volatile("ldr %0, [%1, #4]!" : "=r"(r), "+r"(p) : : "memory");
    check_true("ldr pre-index writeback", r == 20 && p == (uint32_t)&words[1], "wrong value or base");

    {
        register uint32_t lo __asm__("r2") = 0xcafef00du;
        register uint32_t hi __asm__("r3") = 0x12345678u;
        __asm__ volatile("strd %0, %1, [%2]" : : "r"(lo), "r"(hi), "r"(&words[2]) : "memory");
        check_true("strd stores the low register first", words[2] == 0xcafef00du && words[3] == 0x12345678u, "wrong order");
        __asm__ volatile("ldrd %0, %1, [%2]" : "=r"(lo), "=r"(hi) : "r"(&words[0]) : "memory");
        check_true("ldrd loads a pair", lo == 10 && hi == 20, "wrong pair");
    }
    {
        register uint32_t a __asm__("r4") = 0xa;
        register uint32_t b __asm__("r5") = 0xb;
        register uint32_t c __asm__("r6") = 0xc;
        p = (uint32_t)&words[3];
        __asm__ volatile("stmdb %0!, {%1, %2, %3}" : "+r"(p) : "r"(a), "r"(b), "r"(c) : "memory");
        check_true("stmdb: lowest register at lowest address, base written back",
                   words[0] == 0xa && words[1] == 0xb && words[2] == 0xc && p == (uint32_t)&words[0],
                   "wrong layout");
    }
}

void run_arith_checks(void)
{
    add_sub();
    shifts();
    multiply();
    divide();
    bits();
    saturate();
    simd();
    conditions();
    load_store();
}
