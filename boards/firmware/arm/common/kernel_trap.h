/*
 * The small kernels' view of an exception taken from a user task.
 * kernel_start.S saves the whole User-mode context as a struct user_frame
 * on the exception mode's stack and calls kernel_trap(); whatever the frame
 * holds when kernel_trap returns is what the exception return resumes, so a
 * context switch is: copy the frame out to the old task, copy the new task's
 * frame in. The kernels run their own code with IRQs masked (every exception
 * sets CPSR.I, ARMv7 ARM B1.8.3) and never take an exception from PL1 except
 * as a bug, which kernel_trap reports as a panic.
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdint.h>

enum trap_kind {
    TRAP_UNDEF = 1,
    TRAP_SVC = 2,
    TRAP_PABT = 3,
    TRAP_DABT = 4,
    TRAP_IRQ = 6,
    TRAP_FIQ = 7,
};

/* Field order is the layout kernel_start.S pushes (lowest address first). */
struct user_frame {
    uint32_t spsr;  /* the interrupted CPSR */
    uint32_t pad;   /* keeps the frame 8-byte aligned (AAPCS) */
    uint32_t r[13];
    uint32_t pc;    /* preferred return address (the entry code already adjusted LR) */
    uint32_t sp;    /* SP_usr */
    uint32_t lr;    /* LR_usr */
};

#define PSR_MODE_MASK 0x1fu
#define PSR_MODE_USR  0x10u
#define PSR_MODE_SVC  0x13u
#define PSR_I         (1u << 7)
#define PSR_F         (1u << 6)

/* Written by each kernel: handles the trap, may replace *frame to switch tasks. */
void kernel_trap(int kind, struct user_frame *frame);
/* Written by each kernel: entered in SVC mode with IRQs masked, r0 = DTB address from the boot loader. */
void kernel_main(uint32_t dtb);
/* Leaves the kernel into the context *frame describes (a User-mode task); does not return. */
__attribute__((noreturn)) void enter_user(const struct user_frame *frame);

#endif
