#include "check.h"
#include "psci.h"
#include "uart.h"

static const char *program_name = "firmware";
static uint32_t passed;
static uint32_t failed;

static void pass(const char *name)
{
    passed++;
    uart_puts("PASS ");
    uart_puts(name);
    uart_puts("\n");
}

void check_fail_begin(const char *name)
{
    failed++;
    uart_puts("FAIL ");
    uart_puts(name);
    uart_puts(": ");
}

void check_begin(const char *program)
{
    program_name = program;
    uart_init();
    uart_puts("START ");
    uart_puts(program);
    uart_puts("\n");
}

void check_eq(const char *name, uint32_t got, uint32_t want)
{
    if (got == want) {
        pass(name);
        return;
    }
    check_fail_begin(name);
    uart_puts("got ");
    uart_puthex(got);
    uart_puts(", expected ");
    uart_puthex(want);
    uart_puts("\n");
}

/* 64-bit values as 0xhigh_low. */
static void put64(uint64_t value)
{
    uart_puthex((uint32_t)(value >> 32));
    uart_putc('_');
    for (int shift = 28; shift >= 0; shift -= 4)
        uart_putc("0123456789abcdef"[((uint32_t)value >> shift) & 0xf]);
}

void check_eq64(const char *name, uint64_t got, uint64_t want)
{
    if (got == want) {
        pass(name);
        return;
    }
    check_fail_begin(name);
    uart_puts("got ");
    put64(got);
    uart_puts(", expected ");
    put64(want);
    uart_puts("\n");
}

void check_flags(const char *name, uint32_t got, uint32_t got_flags, uint32_t want, uint32_t want_flags)
{
    if (got == want && got_flags == want_flags) {
        pass(name);
        return;
    }
    check_fail_begin(name);
    uart_puts("got ");
    uart_puthex(got);
    uart_puts(" flags ");
    uart_puthex(got_flags);
    uart_puts(", expected ");
    uart_puthex(want);
    uart_puts(" flags ");
    uart_puthex(want_flags);
    uart_puts("\n");
}

void check_true(const char *name, int ok, const char *why)
{
    if (ok) {
        pass(name);
        return;
    }
    check_fail_begin(name);
    uart_puts(why);
    uart_puts("\n");
}

void check_info(const char *name, uint32_t value)
{
    uart_puts("INFO ");
    uart_puts(name);
    uart_puts(" ");
    uart_putdec(value);
    uart_puts("\n");
}

void check_finish(void)
{
    uart_puts("SUMMARY ");
    uart_puts(program_name);
    uart_puts(": ");
    uart_putdec(passed);
    uart_puts(" passed, ");
    uart_putdec(failed);
    uart_puts(" failed\n");
    psci_system_off();
}
