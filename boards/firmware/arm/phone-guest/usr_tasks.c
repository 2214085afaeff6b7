/*
 * The guest's user threads. Every thread reads its process page through
 * the same virtual address (USER_PROC_VA); what it finds there tells which
 * address space the MMU is using. Each step also fills the thread's heap
 * page (the first touch faults and the kernel maps a page) and sums it.
 */
#include "usr_tasks.h"
#include "usr_lib.h"

#define HEAP_WORDS 1024u

static void prefix(struct line *l, uint32_t space, uint32_t thread)
{
    line_start(l);
    line_str(l, "[");
    line_str(l, space == 0 ? "A" : "B");
    line_str(l, ".");
    line_dec(l, thread + 1);
    line_str(l, "] ");
}

void guest_thread(uint32_t arg)
{
    /* The label comes from the kernel's arguments, the magic from memory: they must agree. */
    uint32_t space = arg >> 4, thread = arg & 0xfu;
    volatile struct proc_page *proc = (volatile struct proc_page *)USER_PROC_VA;
    volatile uint32_t *heap = (volatile uint32_t *)(USER_HEAP_VA + thread * 4096u);
    struct line l;
    uint32_t sum = 0;
    for (uint32_t step = 1; step <= GUEST_STEPS; step++) {
        /* Enough work per step that the tick preempts threads in the middle of one. */
        for (uint32_t round = 0; round < 24; round++) {
            for (uint32_t i = 0; i < HEAP_WORDS; i++)
                heap[i] = proc->magic ^ (i * 2654435761u) ^ (step << 24) ^ round;
            sum = 0;
            for (uint32_t i = 0; i < HEAP_WORDS; i++)
                sum = sum * 31u + heap[i];
        }
        uint32_t count = atomic_add(&proc->counter, 1);
        prefix(&l, space, thread);
        line_str(&l, "step ");
        line_dec(&l, step);
        line_str(&l, "/");
        line_dec(&l, GUEST_STEPS);
        line_str(&l, ": ");
        line_hex(&l, USER_PROC_VA);
        line_str(&l, " reads ");
        line_hex(&l, proc->magic);
        line_str(&l, ", process counter ");
        line_dec(&l, count);
        line_str(&l, ", heap ");
        line_hex(&l, (uint32_t)heap);
        line_str(&l, " sum ");
        line_hex(&l, sum);
        line_send(&l);
    }
    prefix(&l, space, thread);
    line_str(&l, "done: pid ");
    line_dec(&l, sys_getpid());
    line_str(&l, ", tick ");
    line_dec(&l, sys_ticks());
    line_send(&l);
    sys_exit(0);
}
