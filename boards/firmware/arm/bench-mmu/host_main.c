/* Host build of the bench-mmu work: the hooks over plain arrays; prints the checksum the firmware must reproduce. */
#include <stdio.h>
#include "bench_mmu_core.h"

static uint32_t frames[NFRAMES][FRAME_WORDS];
static uint32_t mapping[NPROC][PAGES];

void mm_map(uint32_t proc, uint32_t page, uint32_t frame) { mapping[proc][page] = frame; }
void mm_invalidate_page(uint32_t proc, uint32_t page) { (void)proc; (void)page; }
void mm_invalidate_asid(uint32_t proc) { (void)proc; }
void mm_switch(uint32_t proc) { (void)proc; }
volatile uint32_t *mm_user_page(uint32_t proc, uint32_t page) { return frames[mapping[proc][page]]; }
volatile uint32_t *mm_frame(uint32_t frame) { return frames[frame]; }

int main(void)
{
    struct bench_mmu_result r;
    bench_mmu_run(&r);
    printf("switches %u remaps %u execs %u mismatches %u\n", r.switches, r.remaps, r.execs, r.mismatches);
    printf("0x%08x\n", r.checksum);
    return 0;
}
