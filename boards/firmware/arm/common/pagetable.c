#include "pagetable.h"
#include "cp15.h"

/* TTBR0 walk attributes (B4.1.154): IRGN = 01 (bits 0 and 6 hold IRGN[1] and IRGN[0]), RGN = 01. */
#define TTBR_WALK_WBWA ((1u << 6) | (1u << 3))
#define SCTLR_Z (1u << 11)

CP15_RW(contextidr, 0, c13, c0, 1)

void pt_map_sections(uint32_t *l1, uint32_t va, uint32_t pa, uint32_t size, uint32_t attrs)
{
    for (uint32_t off = 0; off < size; off += SECTION_SIZE)
        l1[(va + off) >> 20] = ((pa + off) & 0xfff00000u) | L1_SECTION | attrs;
}

void pt_link_table(uint32_t *l1, uint32_t va, uint32_t *l2)
{
    l1[va >> 20] = ((uint32_t)l2 & 0xfffffc00u) | L1_PAGE_TABLE | L1_DOMAIN(0);
}

void pt_map_page(uint32_t *l2, uint32_t va, uint32_t pa, uint32_t attrs)
{
    l2[(va >> 12) & 0xffu] = (pa & 0xfffff000u) | L2_SMALL | attrs;
}

void pt_unmap_page(uint32_t *l2, uint32_t va, uint32_t asid)
{
    l2[(va >> 12) & 0xffu] = 0;
    /* The table write must be visible to the walker before the invalidation (B3.10.1). */
    dsb();
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 1" : : "r"((va & 0xfffff000u) | (asid & 0xffu)) : "memory");
    dsb();
    isb();
}

void pt_map_pages(uint32_t *l2, uint32_t va, uint32_t pa, uint32_t size, uint32_t attrs)
{
    for (uint32_t off = 0; off < size; off += PAGE_SIZE)
        pt_map_page(l2, va + off, pa + off, attrs);
}

void pt_switch(const uint32_t *l1, uint32_t asid)
{
    write_contextidr(0);
    isb();
    write_ttbr0((uint32_t)l1 | TTBR_WALK_WBWA);
    isb();
    write_contextidr(asid & 0xffu);
    isb();
}

void pt_enable_mmu(const uint32_t *l1, uint32_t asid)
{
    write_ttbcr(0);
    write_dacr(0x55555555u);
    pt_switch(l1, asid);
    dsb();
    tlbiall();
    iciallu();
    dsb();
    isb();
    write_sctlr(read_sctlr() | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_Z);
    isb();
}
