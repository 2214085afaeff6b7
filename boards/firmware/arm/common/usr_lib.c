#include "usr_lib.h"
#include "syscall.h"

static uint32_t syscall3(uint32_t n, uint32_t a, uint32_t b, uint32_t c)
{
    register uint32_t r0 __asm__("r0") = a;
    register uint32_t r1 __asm__("r1") = b;
    register uint32_t r2 __asm__("r2") = c;
    register uint32_t r7 __asm__("r7") = n;
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
    return r0;
}

uint32_t sys_write(const char *buf, uint32_t len)
{
    return syscall3(SYS_WRITE, 1, (uint32_t)buf, len);
}

void sys_exit(uint32_t code)
{
    syscall3(SYS_EXIT, code, 0, 0);
    for (;;)
        ;
}

void usr_exit_trampoline(uint32_t code)
{
    sys_exit(code);
}

uint32_t sys_getpid(void)
{
    return syscall3(SYS_GETPID, 0, 0, 0);
}

uint32_t sys_ticks(void)
{
    return syscall3(SYS_TIMES, 0, 0, 0);
}

void sys_yield(void)
{
    syscall3(SYS_SCHED_YIELD, 0, 0, 0);
}

void sys_sleep_ticks(uint32_t ticks)
{
    syscall3(SYS_SLEEP_TICKS, ticks, 0, 0);
}

void line_start(struct line *l)
{
    l->len = 0;
}

static void put(struct line *l, char c)
{
    if (l->len < sizeof l->text - 1)
        l->text[l->len++] = c;
}

void line_str(struct line *l, const char *s)
{
    while (*s)
        put(l, *s++);
}

void line_dec(struct line *l, uint32_t v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        put(l, digits[--n]);
}

void line_hex(struct line *l, uint32_t v)
{
    put(l, '0');
    put(l, 'x');
    for (int shift = 28; shift >= 0; shift -= 4)
        put(l, "0123456789abcdef"[(v >> shift) & 0xfu]);
}

void line_send(struct line *l)
{
    l->text[l->len++] = '\n';
    sys_write(l->text, l->len);
    l->len = 0;
}

uint32_t atomic_add(volatile uint32_t *p, uint32_t n)
{
    uint32_t value, failed;
    do {
        __asm__ volatile("ldrex %0, [%2]\n\t"
                         "add %0, %0, %3\n\t"
                         "strex %1, %0, [%2]"
                         : "=&r"(value), "=&r"(failed)
                         : "r"(p), "r"(n)
                         : "memory");
    } while (failed);
    return value;
}
