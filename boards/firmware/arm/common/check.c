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

static void fail_start(const char *name)
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
    fail_start(name);
    uart_puts("got ");
    uart_puthex(got);
    uart_puts(", expected ");
    uart_puthex(want);
    uart_puts("\n");
}

void check_eq64(const char *name, uint64_t got, uint64_t want)
{
    if (got == want) {
        pass(name);
        return;
    }
    fail_start(name);
    uart_puts("got ");
    uart_puthex((uint32_t)(got >> 32));
    uart_puthex((uint32_t)got);
    uart_puts(", expected ");
    uart_puthex((uint32_t)(want >> 32));
    uart_puthex((uint32_t)want);
    uart_puts("\n");
}

void check_true(const char *name, int ok, const char *why)
{
    if (ok) {
        pass(name);
        return;
    }
    fail_start(name);
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
