/*
 * Building short-descriptor translation tables (ARMv7 ARM B3.5.1) for the
 * small kernels: 1 MiB sections in a first-level table, second-level tables
 * of 4 KiB small pages. The descriptor bits come from mmu.h; these add the
 * bits mmu.h leaves out: not-global (the entry belongs to the ASID in
 * CONTEXTIDR, B3.9.1) and shareable.
 */
#ifndef PAGETABLE_H
#define PAGETABLE_H

#include <stdint.h>
#include "mmu.h"

#define L1_S   (1u << 16)
#define L1_NG  (1u << 17)
#define L2_S   (1u << 10)
#define L2_NG  (1u << 11)

#define PAGE_SIZE    4096u
#define SECTION_SIZE 0x100000u

/* Maps [va, va + size) to [pa, pa + size) with sections; attrs are the L1 bits other than the type. */
void pt_map_sections(uint32_t *l1, uint32_t va, uint32_t pa, uint32_t size, uint32_t attrs);
/* Points the L1 entry of va's MiB at a 1 KiB-aligned second-level table (domain 0). */
void pt_link_table(uint32_t *l1, uint32_t va, uint32_t *l2);
/* Maps one small page in the second-level table covering va's MiB; attrs are the L2 bits other than the type. */
void pt_map_page(uint32_t *l2, uint32_t va, uint32_t pa, uint32_t attrs);
/* Maps [va, va + size) page by page. */
void pt_map_pages(uint32_t *l2, uint32_t va, uint32_t pa, uint32_t size, uint32_t attrs);
/*
 * Removes va's small page from l2 (a fault entry) and invalidates its TLB entry
 * for ASID asid (TLBIMVA with the ASID in bits [7:0], B4.2.3), as an OS does when
 * a process unmaps memory or exits.
 */
void pt_unmap_page(uint32_t *l2, uint32_t va, uint32_t asid);

/*
 * Switches TTBR0 to l1 under a new ASID, as ARMv7 ARM B3.10.4 recommends
 * when the ASID changes with the table: CONTEXTIDR first goes to the
 * reserved ASID 0 (no non-global entry uses it), then TTBR0, then the new
 * ASID, each followed by an ISB. Walks are cacheable (TTBR0 IRGN/RGN =
 * write-back write-allocate).
 */
void pt_switch(const uint32_t *l1, uint32_t asid);
/* TTBCR = 0, all domains Client, TTBR0 = l1 with ASID asid, TLBs flushed, then MMU, caches and branch prediction on. */
void pt_enable_mmu(const uint32_t *l1, uint32_t asid);

#endif
