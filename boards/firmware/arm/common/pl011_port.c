#include "pl011_port.h"
#include "virt.h"

#define UARTDR      0x00u
#define UARTFR      0x18u
#define UARTCR      0x30u
#define UARTFR_TXFF (1u << 5)

void pl011_port_init(uint32_t base)
{
    mmio_write32(base + UARTCR, (1u << 9) | (1u << 8) | 1u);
}

static void put(uint32_t base, char c)
{
    while (mmio_read32(base + UARTFR) & UARTFR_TXFF)
        ;
    mmio_write32(base + UARTDR, (uint8_t)c);
}

void pl011_port_puts(uint32_t base, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            put(base, '\r');
        put(base, *s);
    }
}

void pl011_port_putdec(uint32_t base, uint32_t value)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0)
        put(base, digits[--n]);
}
