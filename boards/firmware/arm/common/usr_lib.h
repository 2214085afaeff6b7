/*
 * The user side of the small kernels: system call stubs and a line buffer
 * that formats text and sends it with one write() (a line is never cut by
 * another task's output: the kernel runs write() with IRQs masked).
 * usr_lib.c, as every usr_*.c file, is linked into the user pages
 * (kernel.ld), so tasks can call it from User mode.
 */
#ifndef USR_LIB_H
#define USR_LIB_H

#include <stdint.h>

uint32_t sys_write(const char *buf, uint32_t len);
__attribute__((noreturn)) void sys_exit(uint32_t code);
uint32_t sys_getpid(void);
uint32_t sys_ticks(void);
void sys_yield(void);
void sys_sleep_ticks(uint32_t ticks);
/* Where a task's entry function returns to: exit(r0). */
__attribute__((noreturn)) void usr_exit_trampoline(uint32_t code);

struct line {
    char text[120];
    uint32_t len;
};

void line_start(struct line *l);
void line_str(struct line *l, const char *s);
void line_dec(struct line *l, uint32_t v);
void line_hex(struct line *l, uint32_t v);
/* Appends "\n" and writes the line. */
void line_send(struct line *l);

/* LDREX/STREX add: returns the new value (ARMv7 ARM A3.4, exclusive monitors). */
uint32_t atomic_add(volatile uint32_t *p, uint32_t n);

#endif
