/*
 * bench-idle: the host firmware of the bench's VM boards. It prints one line
 * and waits for interrupts forever with none enabled, so the host's core is
 * idle and the board's VM has all of it; the run ends when the VM powers
 * off (nothing is left to run).
 */
#include "cp15.h"
#include "uart.h"

int main(void)
{
    uart_init();
    uart_puts("bench host idle\n");
    for (;;)
        wfi();
}
