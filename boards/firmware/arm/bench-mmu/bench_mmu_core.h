/*
 * The work of the bench-mmu program in portable C: a small "kernel" that
 * runs NPROC address spaces round-robin in quanta of a few thousand
 * instructions, each touching many of its pages, and now and then remaps
 * pages (as munmap + page fault would) or replaces an address space's whole
 * mapping (as exec would). The kernel keeps the frame of every page in
 * frame_of and asks the platform to map, switch and invalidate through the
 * hooks below; the firmware implements them with short-descriptor tables,
 * TTBR0/CONTEXTIDR and TLB maintenance, the host build with plain arrays,
 * which gives the checksum the firmware must reproduce.
 */
#ifndef BENCH_MMU_CORE_H
#define BENCH_MMU_CORE_H

#include <stdint.h>

/* Result the firmware must print; checked by scripts/build-firmware.sh against a host build. */
#define BENCH_MMU_EXPECTED_CHECKSUM 0x3f5a9c87u

#define NPROC          8      /* address spaces, ASIDs 1..NPROC */
#define PAGES          64     /* 4 KiB pages of each address space's user window */
#define SPARE_FRAMES   64     /* free frames that remapped pages take */
#define NFRAMES        (NPROC * PAGES + SPARE_FRAMES)
#define FRAME_WORDS    1024
#define QUANTA         2400   /* context switches */
#define PAGES_PER_QUANTUM 32  /* pages each quantum touches */
#define WORDS_PER_PAGE 12     /* words touched per page */

struct bench_mmu_result {
    uint32_t checksum;
    uint32_t switches;
    uint32_t remaps;        /* single pages remapped (+ TLBIMVA) */
    uint32_t execs;         /* whole mappings replaced (+ TLBIASID) */
    uint32_t mismatches;    /* reads through the new mapping that did not see the new frame */
};

/* Platform hooks. */
void mm_map(uint32_t proc, uint32_t page, uint32_t frame);       /* set the page's entry (tables only) */
void mm_invalidate_page(uint32_t proc, uint32_t page);           /* after remapping a live page */
void mm_invalidate_asid(uint32_t proc);                          /* after replacing a whole mapping */
void mm_switch(uint32_t proc);                                   /* make proc's address space current */
volatile uint32_t *mm_user_page(uint32_t proc, uint32_t page);   /* the page as the current process sees it */
volatile uint32_t *mm_frame(uint32_t frame);                     /* the frame as the kernel sees it */

void bench_mmu_run(struct bench_mmu_result *result);

#endif
