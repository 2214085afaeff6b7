/*
 * PSCI calls use the SMC Calling Convention (ARM DEN 0028): function ID in
 * r0, result in r0. The virt board's /psci node says method = "hvc", so the
 * call is an HVC #0 that the hypervisor level (tskvm, or QEMU) answers.
 */
#include "psci.h"
#include "uart.h"
#include "virt.h"

void psci_system_off(void)
{
    register uint32_t r0 __asm__("r0") = PSCI_SYSTEM_OFF;
    __asm__ volatile(".arch_extension virt\n\thvc #0" : "+r"(r0) : : "r1", "r2", "r3", "memory");
    /* SYSTEM_OFF does not return; if it does, PSCI is missing. */
    uart_puts("PSCI SYSTEM_OFF returned ");
    uart_puthex(r0);
    uart_puts("\n");
    for (;;)
        __asm__ volatile("wfi");
}
