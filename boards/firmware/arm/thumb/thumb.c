/*
 * thumb: the arith checks compiled as Thumb-2, plus what only Thumb has:
 * IT blocks, 16-bit flag-setting rules, CBZ/CBNZ, TBB/TBH, Thumb-2 modified
 * immediates, ORN, and interworking in both directions (DDI 0406C A4.1,
 * A6.3.2 ThumbExpandImm, A8.8.55 IT).
 */
#include <stdint.h>
#include "arith_checks.h"
#include "check.h"

#define APSR_NZCV 0xf0000000u
#define N 0x80000000u
#define Z 0x40000000u
#define C 0x20000000u

uint32_t arm_add3(uint32_t x);
uint32_t arm_mov_pc(uint32_t x, uint32_t (*target)(uint32_t));
uint32_t arm_ldr_pc(uint32_t x, uint32_t (*const *target)(uint32_t));
uint32_t arm_pop_pc_add5(uint32_t x);
uint32_t arm_call(uint32_t x, uint32_t (*fn)(uint32_t));
uint32_t thumb_add7(uint32_t x);
uint32_t thumb_pop_pc_add1(uint32_t x);
uint32_t thumb_blx_arm_add3(uint32_t x);
uint32_t thumb_mov_pc_even(uint32_t x);
uint32_t thumb_tbb(uint32_t index);
uint32_t thumb_tbh(uint32_t index);
uint32_t thumb_cbz(uint32_t x);
uint32_t thumb_cbnz(uint32_t x);

static uint32_t it_ite(uint32_t x)
{
    uint32_t r;
    __asm__("cmp %1, #5\n\tite eq\n\tmoveq %0, #1\n\tmovne %0, #2" : "=r"(r) : "r"(x) : "cc");
    return r;
}

static uint32_t it_itte(int32_t x)
{
    uint32_t r;
    __asm__("cmp %1, #0\n\titte gt\n\tmovgt %0, #1\n\taddgt %0, %0, #10\n\tmovle %0, #7" : "=&r"(r) : "r"(x) : "cc");
    return r;
}

/* Each instruction in an IT block tests its condition against the current flags. */
static uint32_t it_flags_change_inside(uint32_t x)
{
    uint32_t r = 0;
    __asm__("cmp %1, #0\n\titt eq\n\tcmpeq %1, #1\n\tmoveq %0, #1" : "+r"(r) : "r"(x) : "cc");
    return r;
}

static void it_blocks(void)
{
    check_eq("ite eq taken", it_ite(5), 1);
    check_eq("ite eq else", it_ite(6), 2);
    check_eq("itte gt: both thens", it_itte(1), 11);
    check_eq("itte gt: else", it_itte(-1), 7);
    check_eq("it block: cmp inside changes later conditions", it_flags_change_inside(0), 0);

    /* 16-bit ADDS outside an IT block sets flags; 16-bit ADD inside one does not (A8.8.6). */
    uint32_t r = 0xffffffffu, f;
    __asm__ volatile("msr APSR_nzcvq, %[i]\n\tadds.n %[r], %[r], #1\n\tmrs %[f], apsr"
                     : [r] "+l"(r), [f] "=&r"(f) : [i] "r"(0u) : "cc");
    check_eq("adds.n outside IT sets Z and C", f & APSR_NZCV, Z | C);
    r = 1;
    __asm__ volatile("msr APSR_nzcvq, %[i]\n\tit mi\n\taddmi.n %[r], %[r], %[r]\n\tmrs %[f], apsr"
                     : [r] "+l"(r), [f] "=&r"(f) : [i] "r"(N) : "cc");
    check_true("add.n inside IT adds and keeps flags", r == 2 && (f & APSR_NZCV) == N, "wrong result or flags");
    r = 1;
    __asm__ volatile("msr APSR_nzcvq, %[i]\n\tit eq\n\taddeq.n %[r], %[r], %[r]\n\tmrs %[f], apsr"
                     : [r] "+l"(r), [f] "=&r"(f) : [i] "r"(N) : "cc");
    check_eq("add.n inside IT with a false condition is skipped", r, 1);
}

static void branches(void)
{
    check_eq("cbz taken on zero", thumb_cbz(0), 2);
    check_eq("cbz falls through on non-zero", thumb_cbz(3), 1);
    check_eq("cbnz taken on non-zero", thumb_cbnz(9), 4);
    check_eq("cbnz falls through on zero", thumb_cbnz(0), 3);
    uint32_t tbb = 0, tbh = 0;
    for (uint32_t i = 0; i < 4; i++)
        tbb = tbb * 100 + thumb_tbb(i);
    check_eq("tbb cases 0..3", tbb, 10111213u);
    for (uint32_t i = 0; i < 3; i++)
        tbh = tbh * 100 + thumb_tbh(i);
    check_eq("tbh cases 0..2 (one beyond TBB range)", tbh, 202122u);
}

static void immediates(void)
{
    uint32_t r;
    __asm__("mov %0, #0x00ab00ab" : "=r"(r));
    check_eq("modified immediate 0x00XY00XY", r, 0x00ab00abu);
    __asm__("mov %0, #0xab00ab00" : "=r"(r));
    check_eq("modified immediate 0xXY00XY00", r, 0xab00ab00u);
    __asm__("mov %0, #0xabababab" : "=r"(r));
    check_eq("modified immediate 0xXYXYXYXY", r, 0xababababu);
    __asm__("mov %0, #0x3fc00" : "=r"(r));
    check_eq("modified immediate rotated 0xff << 10", r, 0x3fc00u);
    __asm__("movw %0, #0x5678\n\tmovt %0, #0x1234" : "=r"(r));
    check_eq("movw + movt", r, 0x12345678u);
    __asm__("addw %0, %1, #4095" : "=r"(r) : "r"(1u));
    check_eq("addw 12-bit immediate", r, 4096u);
    __asm__("orn %0, %1, %2" : "=r"(r) : "r"(0x0fu), "r"(0xffffff00u));
    check_eq("orn", r, 0xffu);
}

static void interworking(void)
{
    static uint32_t (*const thumb_target)(uint32_t) = thumb_add7;
    check_eq("thumb calls arm (BLX immediate)", arm_add3(1), 4);
    check_eq("thumb BLX register to arm, POP PC back", thumb_blx_arm_add3(2), 5);
    check_eq("arm MOV PC to thumb interworks", arm_mov_pc(3, thumb_add7), 10);
    check_eq("arm LDR PC to thumb interworks", arm_ldr_pc(4, &thumb_target), 11);
    check_eq("arm POP PC returns to thumb", arm_pop_pc_add5(5), 10);
    check_eq("arm BLX register to thumb, thumb POP PC returns to arm", arm_call(6, thumb_pop_pc_add1), 7);
    check_eq("arm BLX register to arm", arm_call(7, arm_add3), 10);
    check_eq("thumb MOV PC does not interwork", thumb_mov_pc_even(1), 10);
}

int main(void)
{
    check_begin("thumb");
    run_arith_checks();
    it_blocks();
    branches();
    immediates();
    interworking();
    check_finish();
}
