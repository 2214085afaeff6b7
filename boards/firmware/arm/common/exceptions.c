#include "exceptions.h"
#include "check.h"
#include "cp15.h"
#include "uart.h"

exc_hook_t exception_hook;

static const char *const kind_names[] = {
    "reset", "undefined instruction", "svc", "prefetch abort", "data abort", "unused", "irq", "fiq",
};

void exception_dispatch(int kind, struct exc_frame *frame)
{
    if (exception_hook != 0 && exception_hook(kind, frame))
        return;
    /* Nothing expected this exception: report it and end the run. */
    check_fail_begin(kind_names[kind & 7]);
    uart_puts("unexpected exception, lr ");
    uart_puthex(frame->lr);
    uart_puts(" spsr ");
    uart_puthex(frame->spsr);
    if (kind == EXC_DABT) {
        uart_puts(" dfsr ");
        uart_puthex(read_dfsr());
        uart_puts(" dfar ");
        uart_puthex(read_dfar());
    } else if (kind == EXC_PABT) {
        uart_puts(" ifsr ");
        uart_puthex(read_ifsr());
        uart_puts(" ifar ");
        uart_puthex(read_ifar());
    }
    uart_puts("\n");
    check_finish();
}
