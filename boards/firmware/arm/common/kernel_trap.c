/*
 * kernel_trap(): every exception reaches the small kernels here, always from
 * a User-mode task (kernel code runs with IRQs masked and must not fault).
 * IRQs go to the GIC poll loop, SVCs to the system calls, faults to the
 * program's hook (the guest kernel pages in memory on demand) or they kill
 * the task. A pending reschedule then switches tasks.
 */
#include "kernel_trap.h"
#include "cp15.h"
#include "psci_call.h"
#include "sched.h"
#include "syscall.h"
#include "tick.h"
#include "uart.h"

/*
 * The kernel reads a user buffer with its own privileges, so it first asks
 * the MMU whether User mode may read every page of it: ATS1CUR translates
 * as an unprivileged read and PAR.F reports a fault (ARMv7 ARM B4.2.6,
 * B4.1.112).
 */
static int user_can_read(uint32_t va, uint32_t len)
{
    if (len > 4096u || va + len < va)
        return 0;
    if (len == 0)
        return 1;
    for (uint32_t page = va & ~0xfffu; page <= ((va + len - 1) & ~0xfffu); page += 0x1000u) {
        uint32_t par;
        __asm__ volatile("mcr p15, 0, %0, c7, c8, 2" : : "r"(page) : "memory");
        isb();
        __asm__ volatile("mrc p15, 0, %0, c7, c4, 0" : "=r"(par));
        if (par & 1u)
            return 0;
        if (page == 0xfffff000u)
            break;
    }
    return 1;
}

static uint32_t sys_write(uint32_t fd, const char *buf, uint32_t len)
{
    if (fd != 1 && fd != 2)
        return ERR_BADF;
    if (!user_can_read((uint32_t)buf, len))
        return ERR_FAULT;
    for (uint32_t i = 0; i < len; i++) {
        if (buf[i] == '\n')
            uart_putc('\r');
        uart_putc(buf[i]);
    }
    return len;
}

static void syscall(struct user_frame *f)
{
    sched_stats.syscalls++;
    uint32_t *r = f->r;
    switch (r[7]) {
    case SYS_EXIT:
        task_exit(current, r[0]);
        break;
    case SYS_WRITE:
        r[0] = sys_write(r[0], (const char *)r[1], r[2]);
        break;
    case SYS_GETPID:
        r[0] = current->pid;
        break;
    case SYS_TIMES:
        r[0] = sched_stats.ticks;
        break;
    case SYS_SCHED_YIELD:
        need_resched = 1;
        r[0] = 0;
        break;
    case SYS_SLEEP_TICKS:
        task_sleep(current, r[0]);
        r[0] = 0;
        break;
    default:
        r[0] = ERR_NOSYS;
    }
}

static const char *const trap_names[] = {
    "reset", "undefined instruction", "svc", "prefetch abort", "data abort", "unused", "irq", "fiq",
};

static void report_fault(int kind, const struct user_frame *f)
{
    uart_puts(trap_names[kind & 7]);
    uart_puts(" at pc ");
    uart_puthex(f->pc);
    if (kind == TRAP_DABT) {
        uart_puts(", dfar ");
        uart_puthex(read_dfar());
        uart_puts(", dfsr ");
        uart_puthex(read_dfsr());
    } else if (kind == TRAP_PABT) {
        uart_puts(", ifar ");
        uart_puthex(read_ifar());
        uart_puts(", ifsr ");
        uart_puthex(read_ifsr());
    }
}

static __attribute__((noreturn)) void panic(int kind, const struct user_frame *f)
{
    uart_puts("kernel panic: ");
    report_fault(kind, f);
    uart_puts(", spsr ");
    uart_puthex(f->spsr);
    uart_puts("\n");
    psci_off(psci_method);
}

void kernel_trap(int kind, struct user_frame *frame)
{
    if ((frame->spsr & PSR_MODE_MASK) != PSR_MODE_USR)
        panic(kind, frame);
    switch (kind) {
    case TRAP_IRQ:
        irq_poll();
        break;
    case TRAP_SVC:
        syscall(frame);
        break;
    default:
        if (sched_fault(kind, frame))
            break;
        uart_puts("kernel: task ");
        uart_putdec(current->pid);
        uart_puts(" (");
        uart_puts(current->name);
        uart_puts(") killed: ");
        report_fault(kind, frame);
        uart_puts("\n");
        task_exit(current, 128u + (uint32_t)kind);
        break;
    }
    if (tick_polled())
        tick_poll();
    if (need_resched)
        schedule(frame);
}
