#include "sched.h"
#include "gic.h"
#include "tick.h"
#include "uart.h"

struct task tasks[MAX_TASKS];
struct task *current;
struct sched_stats sched_stats;
volatile int need_resched;

static const struct kernel_hooks *hooks;
static uint32_t tick_id;
static uint32_t next_pid = 1;

void sched_init(const struct kernel_hooks *h, uint32_t tick_irq)
{
    hooks = h;
    tick_id = tick_irq;
}

struct task *task_create(const char *name, void (*entry)(uint32_t), uint32_t arg, uint32_t stack_top,
                         uint32_t space, uint32_t exit_trampoline)
{
    for (int i = 0; i < MAX_TASKS; i++) {
        struct task *t = &tasks[i];
        if (t->state != TASK_UNUSED)
            continue;
        t->state = TASK_RUNNABLE;
        t->pid = next_pid++;
        t->name = name;
        t->space = space;
        t->frame.spsr = PSR_MODE_USR;   /* ARM state, IRQs and FIQs unmasked */
        t->frame.pc = (uint32_t)entry;
        t->frame.r[0] = arg;
        t->frame.sp = stack_top;
        t->frame.lr = exit_trampoline;
        return t;
    }
    uart_puts("sched: task table full\n");
    return 0;
}

static void wake_sleepers(void)
{
    for (int i = 0; i < MAX_TASKS; i++)
        if (tasks[i].state == TASK_SLEEPING && (int32_t)(sched_stats.ticks - tasks[i].wake_tick) >= 0)
            tasks[i].state = TASK_RUNNABLE;
}

static void tick_handle(void)
{
    tick_rearm();
    sched_stats.ticks++;
    if (current != 0 && current->state == TASK_RUNNABLE)
        current->ticks++;
    wake_sleepers();
    need_resched = 1;   /* time slice: one tick */
}

int tick_polled(void)
{
    return tick_id == 0;
}

void tick_poll(void)
{
    if (tick_expired())
        tick_handle();
}

void irq_poll(void)
{
    for (;;) {
        uint32_t iar = mmio_read32(GICC_IAR);
        uint32_t id = iar & 0x3ffu;
        if (id == GIC_SPURIOUS)
            return;
        if (id == tick_id) {
            tick_handle();
        } else {
            uart_puts("irq: unexpected interrupt ");
            uart_putdec(id);
            uart_puts("\n");
            gic_disable(id);
        }
        mmio_write32(GICC_EOIR, iar);
    }
}

int sched_fault(int kind, struct user_frame *frame)
{
    return hooks->fault != 0 && hooks->fault(kind, frame);
}

void task_sleep(struct task *t, uint32_t ticks)
{
    t->state = TASK_SLEEPING;
    t->wake_tick = sched_stats.ticks + ticks;
    need_resched = 1;
}

void task_exit(struct task *t, uint32_t code)
{
    t->state = TASK_EXITED;
    t->exit_code = code;
    need_resched = 1;
}

/* The next runnable task after the running one, in table order (the running one last). */
static struct task *pick_next(void)
{
    int start = current ? (int)(current - tasks) : MAX_TASKS - 1;
    for (int i = 1; i <= MAX_TASKS; i++) {
        struct task *t = &tasks[(start + i) % MAX_TASKS];
        if (t->state == TASK_RUNNABLE)
            return t;
    }
    return 0;
}

static int any_alive(void)
{
    for (int i = 0; i < MAX_TASKS; i++)
        if (tasks[i].state == TASK_RUNNABLE || tasks[i].state == TASK_SLEEPING)
            return 1;
    return 0;
}

static struct task *wait_for_runnable(void)
{
    struct task *next;
    while ((next = pick_next()) == 0) {
        if (!any_alive())
            hooks->all_exited();
        sched_stats.idle_waits++;
        if (tick_polled()) {
            while (!tick_expired())
                ;
            tick_poll();
        } else {
            __asm__ volatile("wfi" : : : "memory");
            irq_poll();
        }
    }
    return next;
}

static void switch_to(struct task *next)
{
    if (current == 0 || next->space != current->space) {
        if (hooks->switch_space)
            hooks->switch_space(next);
    }
    if (next != current) {
        sched_stats.switches++;
        next->runs++;
    }
    /* A task must not complete a STREX on a monitor another task armed (ARMv7 ARM A3.4.4). */
    __asm__ volatile("clrex" : : : "memory");
    current = next;
}

void schedule(struct user_frame *frame)
{
    need_resched = 0;
    if (current != 0)
        current->frame = *frame;
    struct task *next = wait_for_runnable();
    switch_to(next);
    *frame = next->frame;
}

void sched_start(void)
{
    struct task *first = wait_for_runnable();
    switch_to(first);
    enter_user(&first->frame);
}
