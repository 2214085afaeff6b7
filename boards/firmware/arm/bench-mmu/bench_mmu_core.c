#include "bench_mmu_core.h"

static uint32_t frame_of[NPROC][PAGES];
static uint32_t free_ring[SPARE_FRAMES];
static uint32_t free_head;  /* next frame to hand out; frames come back at the same slot */

/* xorshift32 (Marsaglia 2003). */
static uint32_t rng_state;

static uint32_t rng(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

/* FNV-1a style mixing of one word into a running hash. */
static uint32_t mix(uint32_t h, uint32_t v)
{
    return (h ^ v) * 0x01000193u;
}

static void fill_frames(void)
{
    for (uint32_t f = 0; f < NFRAMES; f++) {
        volatile uint32_t *w = mm_frame(f);
        for (uint32_t i = 0; i < FRAME_WORDS; i++)
            w[i] = (f << 12) ^ (i * 0x9e3779b1u);
    }
}

/* One quantum of user work: read-modify-write WORDS_PER_PAGE words in each of PAGES_PER_QUANTUM pages. */
static uint32_t user_work(uint32_t proc, uint32_t quantum, uint32_t hash)
{
    uint32_t start = rng() % PAGES;
    uint32_t column = quantum & 63u;
    for (uint32_t i = 0; i < PAGES_PER_QUANTUM; i++) {
        volatile uint32_t *w = mm_user_page(proc, (start + i * 5u) % PAGES);  /* 5 is coprime with 64 */
        for (uint32_t k = 0; k < WORDS_PER_PAGE; k++) {
            uint32_t idx = k * 80u + column;  /* spread over the page: < 1024 */
            uint32_t v = w[idx] * 0x9e3779b1u + proc + k;
            w[idx] = v;
            hash = mix(hash, v);
        }
    }
    return hash;
}

/* munmap + fault-in: the page gets a spare frame, its old frame becomes spare. */
static void remap_page(uint32_t proc, uint32_t page, uint32_t quantum, struct bench_mmu_result *r)
{
    uint32_t fresh = free_ring[free_head];
    free_ring[free_head] = frame_of[proc][page];
    free_head = (free_head + 1) % SPARE_FRAMES;
    frame_of[proc][page] = fresh;
    mm_map(proc, page, fresh);
    mm_invalidate_page(proc, page);
    r->remaps++;
    uint32_t idx = (quantum * 7u) % FRAME_WORDS;
    if (mm_user_page(proc, page)[idx] != mm_frame(fresh)[idx])
        r->mismatches++;
}

/* exec: every page of `proc` moves to the frame of the next page (a rotation), then the ASID is flushed. */
static void replace_mapping(uint32_t proc, struct bench_mmu_result *r)
{
    uint32_t first = frame_of[proc][0];
    for (uint32_t p = 0; p + 1 < PAGES; p++)
        frame_of[proc][p] = frame_of[proc][p + 1];
    frame_of[proc][PAGES - 1] = first;
    for (uint32_t p = 0; p < PAGES; p++)
        mm_map(proc, p, frame_of[proc][p]);
    mm_invalidate_asid(proc);
    r->execs++;
}

void bench_mmu_run(struct bench_mmu_result *r)
{
    r->checksum = r->switches = r->remaps = r->execs = r->mismatches = 0;
    rng_state = 0x6d2b79f5u;
    fill_frames();
    for (uint32_t p = 0; p < NPROC; p++)
        for (uint32_t g = 0; g < PAGES; g++) {
            frame_of[p][g] = p * PAGES + g;
            mm_map(p, g, frame_of[p][g]);
        }
    for (uint32_t i = 0; i < SPARE_FRAMES; i++)
        free_ring[i] = NPROC * PAGES + i;
    free_head = 0;

    uint32_t hash = 0x811c9dc5u;
    for (uint32_t q = 0; q < QUANTA; q++) {
        uint32_t proc = (q + (rng() >> 30)) % NPROC;
        if ((q & 15u) == 15u) {
            /* Replace the mapping of another address space than the one about to run (it is not live). */
            replace_mapping((proc + 1) % NPROC, r);
        }
        mm_switch(proc);
        r->switches++;
        hash = user_work(proc, q, hash);
        if ((rng() & 3u) == 0) {
            remap_page(proc, rng() % PAGES, q, r);
            remap_page(proc, rng() % PAGES, q, r);
        }
    }
    /* Fold in one word of every frame, read through the kernel's view. */
    for (uint32_t f = 0; f < NFRAMES; f++)
        hash = mix(hash, mm_frame(f)[(f * 13u) % FRAME_WORDS]);
    r->checksum = hash;
}
