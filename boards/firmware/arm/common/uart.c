/*
 * Polled output on the PL011 (PrimeCell UART (PL011) Technical Reference
 * Manual, ARM DDI 0183, section 3: UARTDR at 0x00, UARTFR at 0x18 with TXFF
 * in bit 5, UARTCR at 0x30 with UARTEN bit 0, TXE bit 8, RXE bit 9).
 */
#include "uart.h"
#include "virt.h"

#define UARTDR      (VIRT_UART_BASE + 0x00)
#define UARTFR      (VIRT_UART_BASE + 0x18)
#define UARTCR      (VIRT_UART_BASE + 0x30)
#define UARTFR_TXFF (1u << 5)

void uart_init(void)
{
    mmio_write32(UARTCR, (1u << 9) | (1u << 8) | 1u);
}

void uart_putc(char c)
{
    while (mmio_read32(UARTFR) & UARTFR_TXFF)
        ;
    mmio_write32(UARTDR, (uint8_t)c);
}

void uart_puts(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            uart_putc('\r');
        uart_putc(*s);
    }
}

void uart_puthex(uint32_t value)
{
    uart_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        uart_putc("0123456789abcdef"[(value >> shift) & 0xf]);
}

void uart_putdec(uint32_t value)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0)
        uart_putc(digits[--n]);
}
