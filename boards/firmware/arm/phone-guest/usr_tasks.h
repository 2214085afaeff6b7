/*
 * The guest kernel's user address spaces and tasks. Every process sees the
 * same layout at the same virtual addresses, backed by its own physical
 * pages (not-global mappings tagged with the process's ASID):
 *   USER_PROC_VA      its process page: magic word, a counter its threads share
 *   USER_HEAP_VA      one heap page per thread, mapped on first touch (demand paging)
 *   USER_STACK_TOP(j) thread j's stack page, just below
 */
#ifndef USR_TASKS_H
#define USR_TASKS_H

#include <stdint.h>

#define USER_WINDOW_VA    0x10000000u   /* the MiB of user space the second-level tables cover */
#define USER_PROC_VA      0x10000000u
#define USER_HEAP_VA      0x10040000u
#define USER_HEAP_PAGES   2u            /* one per thread */
#define USER_STACK_TOP(j) (0x10080000u - (uint32_t)(j) * 0x2000u)

#define SPACES            2u
#define THREADS_PER_SPACE 2u
#define GUEST_STEPS       5u

struct proc_page {
    uint32_t magic;      /* written by the kernel: 0xa0a0a0a0 in space A, 0xb0b0b0b0 in space B */
    uint32_t space;      /* 0 for A, 1 for B */
    uint32_t counter;    /* incremented by every step of every thread of the process */
};

/* A thread of the process whose pages are mapped when it runs; arg = space << 4 | thread (both 0-based). */
void guest_thread(uint32_t arg);

#endif
