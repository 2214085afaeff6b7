#include "mmu.h"
#include "cp15.h"
#include "virt.h"

/* TTBR0 needs the table aligned to its size (16 KiB with TTBCR.N = 0, B4.1.154). */
uint32_t mmu_l1[4096] __attribute__((aligned(16384)));

void mmu_build_identity(void)
{
    for (uint32_t i = 0; i < 4096; i++) {
        uint32_t base = i << 20;
        if (base < VIRT_RAM_BASE)
            mmu_l1[i] = base | L1_SECTION | L1_DEVICE | L1_XN | L1_AP(AP_PL1_RW);
        else if (base < VIRT_RAM_BASE + 0x10000000u)
            mmu_l1[i] = base | L1_SECTION | L1_NORMAL | L1_AP(AP_PL1_RW);
        else
            mmu_l1[i] = L1_FAULT;
    }
}

void mmu_flush_tlb(void)
{
    dsb();
    tlbiall();
    dsb();
    isb();
}

void mmu_enable(void)
{
    write_ttbcr(0);
    write_ttbr0((uint32_t)mmu_l1);
    write_dacr(0x55555555u);
    mmu_flush_tlb();
    write_sctlr(read_sctlr() | SCTLR_M);
    isb();
}

void mmu_disable(void)
{
    write_sctlr(read_sctlr() & ~SCTLR_M);
    isb();
    mmu_flush_tlb();
}
