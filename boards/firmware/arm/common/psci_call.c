#include "psci_call.h"
#include "uart.h"
#include "virt.h"

enum psci_conduit psci_method = PSCI_HVC;

uint32_t psci_call(enum psci_conduit conduit, uint32_t function)
{
    register uint32_t r0 __asm__("r0") = function;
    if (conduit == PSCI_SMC)
        __asm__ volatile(".arch_extension sec\n\tsmc #0" : "+r"(r0) : : "r1", "r2", "r3", "memory");
    else
        __asm__ volatile(".arch_extension virt\n\thvc #0" : "+r"(r0) : : "r1", "r2", "r3", "memory");
    return r0;
}

void psci_off(enum psci_conduit conduit)
{
    uint32_t r = psci_call(conduit, PSCI_SYSTEM_OFF);
    uart_puts("psci: SYSTEM_OFF returned ");
    uart_puthex(r);
    uart_puts("\n");
    for (;;)
        __asm__ volatile("wfi");
}
