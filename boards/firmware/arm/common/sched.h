/*
 * Tasks and their round-robin scheduler for the small kernels. A task is a
 * User-mode context (struct user_frame) plus its state. The timer tick asks
 * for a reschedule; schedule() then saves the interrupted frame in the
 * running task and loads the next runnable one, in task-table order, into
 * the frame the exception returns through. With nothing runnable the kernel
 * waits in WFI (IRQs stay masked: WFI still wakes on a pending interrupt,
 * ARMv7 ARM B1.8.13) and handles the interrupt by polling the GIC.
 */
#ifndef SCHED_H
#define SCHED_H

#include <stdint.h>
#include "kernel_trap.h"

#define MAX_TASKS 8

enum task_state { TASK_UNUSED, TASK_RUNNABLE, TASK_SLEEPING, TASK_EXITED };

struct task {
    struct user_frame frame;
    uint32_t state;
    uint32_t pid;
    uint32_t wake_tick;
    uint32_t exit_code;
    uint32_t space;       /* address space number (the guest kernel's processes) */
    uint32_t ticks;       /* timer ticks that interrupted this task */
    uint32_t runs;        /* times it was switched to */
    const char *name;
};

struct kernel_hooks {
    /* Called before a task of another address space runs (may be 0). */
    void (*switch_space)(struct task *next);
    /* A fault or undefined instruction from User mode: non-zero when handled (the frame is resumed). */
    int (*fault)(int kind, struct user_frame *frame);
    /* Every task has exited. */
    __attribute__((noreturn)) void (*all_exited)(void);
};

struct sched_stats {
    uint32_t ticks;          /* timer interrupts taken */
    uint32_t switches;       /* changes of the running task */
    uint32_t idle_waits;     /* WFIs with nothing runnable */
    uint32_t syscalls;
};

extern struct task tasks[MAX_TASKS];
extern struct task *current;
extern struct sched_stats sched_stats;
extern volatile int need_resched;

/*
 * tick_irq is the GIC interrupt of the tick, or 0 when there is no GIC: the
 * tick is then polled at every trap (so preemption happens only when a task
 * makes a system call or faults) and the idle loop spins instead of WFI.
 */
void sched_init(const struct kernel_hooks *hooks, uint32_t tick_irq);
/* Polled tick: if the deadline has passed, count the tick and ask for a reschedule. */
void tick_poll(void);
/* Non-zero when the tick is polled (no GIC). */
int tick_polled(void);
/* A task that starts at entry(arg) in User mode with IRQs enabled, SP = stack_top, LR = exit trampoline. */
struct task *task_create(const char *name, void (*entry)(uint32_t), uint32_t arg, uint32_t stack_top,
                         uint32_t space, uint32_t exit_trampoline);
/* Runs the first runnable task; never returns. */
__attribute__((noreturn)) void sched_start(void);
/* Saves *frame into the running task and loads the next runnable task's context into it. */
void schedule(struct user_frame *frame);
/* Takes every pending GIC interrupt (acknowledge, handle, end of interrupt). */
void irq_poll(void);
/* Hands a User-mode fault to the kernel's hook; non-zero when it handled it. */
int sched_fault(int kind, struct user_frame *frame);
void task_sleep(struct task *t, uint32_t ticks);
void task_exit(struct task *t, uint32_t code);

#endif
