/*
 * bench-mmu: the MMU-heavy workload of `npm run bench`. The bench_mmu_core.c
 * "kernel" runs NPROC address spaces with short-descriptor tables (one
 * 16 KiB first-level table each, ARMv7-A ARM B3.5), switched through
 * TTBR0/CONTEXTIDR with ASIDs 1..NPROC every few thousand instructions;
 * kernel memory is mapped by global sections, user pages (4 KiB small pages
 * at USER_VA) are non-global (nG, B3.9.1). Remapping a page ends in
 * TLBIMVA, replacing a whole mapping in TLBIASID. Prints
 * "BENCH-MMU checksum 0x..." and checks it against the host build's value.
 */
#include "bench_mmu_core.h"
#include "check.h"
#include "cp15.h"
#include "mmu.h"
#include "uart.h"
#include "virt.h"

#define USER_VA     0x20000000u   /* user window: one first-level entry, one second-level table */
#define FRAME_BASE  0x40400000u   /* NFRAMES physical frames, outside the program image */
#define L2_NG       (1u << 11)    /* small page nG (B3.5.1, Figure B3-5) */

void bench_switch_mm(uint32_t ttbr0, uint32_t asid);
void bench_tlbimva(uint32_t va_and_asid);
void bench_tlbiasid(uint32_t asid);

/* TTBR0 tables aligned to their 16 KiB size (TTBCR.N = 0, B4.1.154); second-level tables to 1 KiB. */
static uint32_t l1[NPROC][4096] __attribute__((aligned(16384)));
static uint32_t l2[NPROC][256] __attribute__((aligned(1024)));

void mm_map(uint32_t proc, uint32_t page, uint32_t frame)
{
    l2[proc][page] = (FRAME_BASE + frame * 4096u) | L2_SMALL | L2_NORMAL | L2_AP(AP_PL1_RW) | L2_NG;
}

void mm_invalidate_page(uint32_t proc, uint32_t page)
{
    bench_tlbimva((USER_VA + page * 4096u) | (proc + 1u));
}

void mm_invalidate_asid(uint32_t proc)
{
    bench_tlbiasid(proc + 1u);
}

void mm_switch(uint32_t proc)
{
    bench_switch_mm((uint32_t)l1[proc], proc + 1u);
}

volatile uint32_t *mm_user_page(uint32_t proc, uint32_t page)
{
    (void)proc;  /* the current address space is proc's */
    return (volatile uint32_t *)(USER_VA + page * 4096u);
}

volatile uint32_t *mm_frame(uint32_t frame)
{
    return (volatile uint32_t *)(FRAME_BASE + frame * 4096u);
}

/* Every table maps devices and RAM as global sections (as a kernel's half), plus its own user window. */
static void build_tables(void)
{
    for (uint32_t p = 0; p < NPROC; p++) {
        for (uint32_t i = 0; i < 4096; i++) {
            uint32_t base = i << 20;
            if (base < VIRT_RAM_BASE && base >= 0x08000000u)
                l1[p][i] = base | L1_SECTION | L1_DEVICE | L1_XN | L1_AP(AP_PL1_RW);
            else if (base >= VIRT_RAM_BASE && base < VIRT_RAM_BASE + 0x10000000u)
                l1[p][i] = base | L1_SECTION | L1_NORMAL | L1_AP(AP_PL1_RW);
            else
                l1[p][i] = L1_FAULT;
        }
        for (uint32_t i = 0; i < 256; i++)
            l2[p][i] = L2_FAULT;
        l1[p][USER_VA >> 20] = (uint32_t)l2[p] | L1_PAGE_TABLE;
    }
}

int main(void)
{
    struct bench_mmu_result r;
    check_begin("bench-mmu");
    build_tables();
    write_ttbcr(0);
    write_dacr(0x55555555u);  /* every domain Client: permissions from the descriptors */
    bench_switch_mm((uint32_t)l1[0], 1u);
    mmu_flush_tlb();
    write_sctlr(read_sctlr() | SCTLR_M);
    isb();
    uint64_t start = read_cntpct();
    bench_mmu_run(&r);
    uint64_t ticks = read_cntpct() - start;
    uart_puts("BENCH-MMU checksum ");
    uart_puthex(r.checksum);
    uart_puts("\n");
    check_eq("every read through a remapped page saw its new frame", r.mismatches, 0);
    check_eq("bench-mmu checksum matches the host build", r.checksum, BENCH_MMU_EXPECTED_CHECKSUM);
    check_info("quanta", r.switches);
    check_info("remaps", r.remaps);
    check_info("execs", r.execs);
    check_info("bench_ticks", (uint32_t)ticks);
    check_finish();
}
