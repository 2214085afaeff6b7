/*
 * Exception entry: start.S saves the interrupted registers in an exc_frame on
 * the exception mode's stack and calls exception_dispatch(). A program
 * installs exception_hook to handle what it provokes; the hook may change
 * frame->lr (where execution resumes, via MOVS PC, LR) and frame->spsr.
 * The LR stored is the raw exception-mode LR (ARMv7 ARM B1.8.3, Table B1-7:
 * SVC: next instruction; Undefined: +4 ARM / +2 Thumb; Prefetch Abort: +4;
 * Data Abort: +8; IRQ/FIQ: +4, all relative to the preferred return address).
 */
#ifndef EXCEPTIONS_H
#define EXCEPTIONS_H

#include <stdint.h>

enum exc_kind {
    EXC_UNDEF = 1,
    EXC_SVC = 2,
    EXC_PABT = 3,
    EXC_DABT = 4,
    EXC_IRQ = 6,
    EXC_FIQ = 7,
};

struct exc_frame {
    uint32_t spsr;
    uint32_t pad;   /* keeps the frame a multiple of 8 bytes (AAPCS stack alignment) */
    uint32_t r[13];
    uint32_t lr;
};

/* Returns non-zero when it handled the exception. */
typedef int (*exc_hook_t)(int kind, struct exc_frame *frame);
extern exc_hook_t exception_hook;

void exception_dispatch(int kind, struct exc_frame *frame);

#endif
