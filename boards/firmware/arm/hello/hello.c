/* The smallest program: one line on the PL011, then PSCI SYSTEM_OFF. */
#include "psci.h"
#include "uart.h"

int main(void)
{
    uart_init();
    uart_puts("Hello from tskvm on virt-arm\n");
    psci_system_off();
}
