/*
 * exclusives: the local exclusive monitor (DDI 0406C A3.4): LDREX/STREX
 * success and failure (after CLREX, a second STREX, no LDREX), byte,
 * halfword and doubleword forms touching only their bytes, the Thumb
 * immediate-offset form, an atomic-increment loop, and the alignment faults
 * exclusives take whatever SCTLR.A says (Table A3-2).
 */
#include <stdint.h>
#include "check.h"
#include "cp15.h"
#include "exceptions.h"
#include "mmu.h"

uint32_t thumb_exclusive_increment_at8(volatile uint32_t *p);

static volatile uint32_t words[4] __attribute__((aligned(8)));

static volatile struct {
    uint32_t count;
    uint32_t fsr;
    uint32_t far;
} fault;

static int catch_data_abort(int kind, struct exc_frame *frame)
{
    if (kind != EXC_DABT)
        return 0;
    fault.count++;
    fault.fsr = read_dfsr();
    fault.far = read_dfar();
    frame->lr -= 4;     /* resume after the faulting A32 instruction */
    return 1;
}

static uint32_t ldrex(volatile uint32_t *p)
{
    uint32_t v;
    __asm__ volatile("ldrex %0, [%1]" : "=r"(v) : "r"(p) : "memory");
    return v;
}

static uint32_t strex(volatile uint32_t *p, uint32_t v)
{
    uint32_t status;
    __asm__ volatile("strex %0, %2, [%1]" : "=&r"(status) : "r"(p), "r"(v) : "memory");
    return status;
}

static void clrex(void)
{
    __asm__ volatile("clrex" : : : "memory");
}

static void word_checks(void)
{
    words[0] = 5;
    uint32_t v = ldrex(&words[0]);
    check_eq("ldrex reads the word", v, 5);
    check_eq("strex after ldrex succeeds (status 0)", strex(&words[0], 6), 0);
    check_eq("successful strex writes", words[0], 6);

    check_eq("second strex without a new ldrex fails (status 1)", strex(&words[0], 7), 1);
    check_eq("failed strex does not write", words[0], 6);

    ldrex(&words[0]);
    clrex();
    check_eq("strex after clrex fails", strex(&words[0], 8), 1);
    check_eq("memory unchanged after the failed strex", words[0], 6);

    words[1] = 0;
    for (int i = 0; i < 1000; i++) {
        uint32_t status;
        do {
            status = strex(&words[1], ldrex(&words[1]) + 1);
        } while (status != 0);
    }
    check_eq("ldrex/strex increment loop", words[1], 1000);

    words[2] = 41;
    check_eq("thumb ldrex/strex with immediate offset: status", thumb_exclusive_increment_at8(&words[0]), 0);
    check_eq("thumb ldrex/strex with immediate offset: value", words[2], 42);
}

static void narrow_and_wide_checks(void)
{
    volatile uint8_t *bytes = (volatile uint8_t *)&words[0];
    volatile uint16_t *halves = (volatile uint16_t *)&words[0];
    uint32_t v, status;

    words[0] = 0x11223344u;
    __asm__ volatile("ldrexb %0, [%1]" : "=r"(v) : "r"(bytes + 1) : "memory");
    check_eq("ldrexb zero-extends one byte", v, 0x33);
    __asm__ volatile("strexb %0, %2, [%1]" : "=&r"(status) : "r"(bytes + 1), "r"(0x1aau) : "memory");
    check_true("strexb succeeds and writes only its byte", status == 0 && words[0] == 0x1122aa44u, "wrong status or word");

    __asm__ volatile("ldrexh %0, [%1]" : "=r"(v) : "r"(halves + 1) : "memory");
    check_eq("ldrexh reads the upper half", v, 0x1122);
    __asm__ volatile("strexh %0, %2, [%1]" : "=&r"(status) : "r"(halves + 1), "r"(0xbeefu) : "memory");
    check_true("strexh succeeds and writes only its half", status == 0 && words[0] == 0xbeefaa44u, "wrong status or word");

    words[2] = 0x01020304u;
    words[3] = 0x05060708u;
    {
        register uint32_t lo __asm__("r2");
        register uint32_t hi __asm__("r3");
        __asm__ volatile("ldrexd %0, %1, [%2]" : "=r"(lo), "=r"(hi) : "r"(&words[2]) : "memory");
        check_true("ldrexd reads both words", lo == 0x01020304u && hi == 0x05060708u, "wrong pair");
        lo = 0xaaaa0001u;
        hi = 0xbbbb0002u;
        __asm__ volatile("strexd %0, %1, %2, [%3]" : "=&r"(status) : "r"(lo), "r"(hi), "r"(&words[2]) : "memory");
    }
    check_true("strexd succeeds and writes both words", status == 0 && words[2] == 0xaaaa0001u && words[3] == 0xbbbb0002u,
               "wrong status or words");
}

static void alignment_checks(void)
{
    uint32_t v;
    /* Normal memory (MMU on) and SCTLR.A = 0: plain LDR could be unaligned, LDREX may not. */
    mmu_build_identity();
    mmu_enable();
    write_sctlr(read_sctlr() & ~SCTLR_A);
    isb();

    fault.count = 0;
    uint32_t target = (uint32_t)&words[0] + 2;
    __asm__ volatile("ldrex %0, [%1]" : "=r"(v) : "r"(target) : "memory");
    check_eq("unaligned ldrex: one data abort", fault.count, 1);
    check_eq("unaligned ldrex: alignment fault status", fault.fsr & FSR_STATUS_MASK, FS_ALIGNMENT);
    check_eq("unaligned ldrex: DFAR", fault.far, target);

    fault.count = 0;
    target = (uint32_t)&words[1];
    {
        register uint32_t lo __asm__("r2");
        register uint32_t hi __asm__("r3");
        __asm__ volatile("ldrexd %0, %1, [%2]" : "=r"(lo), "=r"(hi) : "r"(target) : "memory");
        (void)lo;
        (void)hi;
    }
    check_true("ldrexd at a word (not doubleword) boundary: alignment fault",
               fault.count == 1 && (fault.fsr & FSR_STATUS_MASK) == FS_ALIGNMENT && fault.far == target,
               "no alignment fault at the LDREXD");

    fault.count = 0;
    target = (uint32_t)&words[0] + 1;
    __asm__ volatile("ldrexh %0, [%1]" : "=r"(v) : "r"(target) : "memory");
    check_true("unaligned ldrexh: alignment fault", fault.count == 1 && (fault.fsr & FSR_STATUS_MASK) == FS_ALIGNMENT,
               "no alignment fault at the LDREXH");
    clrex();
    mmu_disable();
}

int main(void)
{
    check_begin("exclusives");
    exception_hook = catch_data_abort;
    word_checks();
    narrow_and_wide_checks();
    alignment_checks();
    check_finish();
}
