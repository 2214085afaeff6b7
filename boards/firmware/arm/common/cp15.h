/*
 * CP15 system register accessors (ARMv7-A ARM, DDI 0406C, B4.1 "System
 * control registers, VMSA"; generic timer registers from B8.2).
 */
#ifndef CP15_H
#define CP15_H

#include <stdint.h>

#define CP15_RW(name, opc1, crn, crm, opc2)                                              \
    static inline uint32_t read_##name(void)                                             \
    {                                                                                    \
        uint32_t v;                                                                      \
        __asm__ volatile("mrc p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : "=r"(v)); \
        return v;                                                                        \
    }                                                                                    \
    static inline void write_##name(uint32_t v)                                          \
    {                                                                                    \
        __asm__ volatile("mcr p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : : "r"(v) \
                         : "memory");                                                    \
    }

#define CP15_RW64(name, opc1, crm)                                                       \
    static inline uint64_t read_##name(void)                                             \
    {                                                                                    \
        uint32_t lo, hi;                                                                 \
        __asm__ volatile("mrrc p15, " #opc1 ", %0, %1, " #crm : "=r"(lo), "=r"(hi));     \
        return ((uint64_t)hi << 32) | lo;                                                \
    }                                                                                    \
    static inline void write_##name(uint64_t v)                                          \
    {                                                                                    \
        __asm__ volatile("mcrr p15, " #opc1 ", %0, %1, " #crm                            \
                         : : "r"((uint32_t)v), "r"((uint32_t)(v >> 32)) : "memory");     \
    }

CP15_RW(midr, 0, c0, c0, 0)
CP15_RW(sctlr, 0, c1, c0, 0)
CP15_RW(ttbr0, 0, c2, c0, 0)
CP15_RW(ttbcr, 0, c2, c0, 2)
CP15_RW(dacr, 0, c3, c0, 0)
CP15_RW(dfsr, 0, c5, c0, 0)
CP15_RW(ifsr, 0, c5, c0, 1)
CP15_RW(dfar, 0, c6, c0, 0)
CP15_RW(ifar, 0, c6, c0, 2)
CP15_RW(vbar, 0, c12, c0, 0)
CP15_RW(cntfrq, 0, c14, c0, 0)
CP15_RW(cntp_tval, 0, c14, c2, 0)
CP15_RW(cntp_ctl, 0, c14, c2, 1)
CP15_RW(cntv_tval, 0, c14, c3, 0)
CP15_RW(cntv_ctl, 0, c14, c3, 1)
CP15_RW64(cntpct, 0, c14)
CP15_RW64(cntvct, 1, c14)
CP15_RW64(cntp_cval, 2, c14)
CP15_RW64(cntv_cval, 3, c14)

/* SCTLR bits (B4.1.130). */
#define SCTLR_M  (1u << 0)   /* MMU enable */
#define SCTLR_A  (1u << 1)   /* alignment check */
#define SCTLR_C  (1u << 2)
#define SCTLR_I  (1u << 12)
#define SCTLR_V  (1u << 13)  /* high vectors */
#define SCTLR_TE (1u << 30)  /* exceptions taken in Thumb */

/* Generic timer control (B8.2: CNTP_CTL / CNTV_CTL). */
#define CNT_CTL_ENABLE  (1u << 0)
#define CNT_CTL_IMASK   (1u << 1)
#define CNT_CTL_ISTATUS (1u << 2)

static inline void dsb(void) { __asm__ volatile("dsb" : : : "memory"); }
static inline void isb(void) { __asm__ volatile("isb" : : : "memory"); }

/* TLB maintenance (B4.2.2): invalidate all, invalidate by MVA. */
static inline void tlbiall(void) { __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" : : "r"(0) : "memory"); }
static inline void tlbimva(uint32_t va) { __asm__ volatile("mcr p15, 0, %0, c8, c7, 1" : : "r"(va & ~0xfffu) : "memory"); }
static inline void iciallu(void) { __asm__ volatile("mcr p15, 0, %0, c7, c5, 0" : : "r"(0) : "memory"); }

static inline uint32_t read_cpsr(void)
{
    uint32_t v;
    __asm__ volatile("mrs %0, cpsr" : "=r"(v));
    return v;
}

static inline void irq_enable(void) { __asm__ volatile("cpsie i" : : : "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cpsid i" : : : "memory"); }
static inline void wfi(void) { __asm__ volatile("wfi" : : : "memory"); }

#endif
