/*
 * Polled output on a PL011 at any address (uart.c drives only the console at
 * 0x09000000). Same registers: UARTDR 0x00, UARTFR 0x18 (TXFF bit 5),
 * UARTCR 0x30 (UARTEN, TXE, RXE); PL011 TRM (DDI 0183) section 3.
 */
#ifndef PL011_PORT_H
#define PL011_PORT_H

#include <stdint.h>

void pl011_port_init(uint32_t base);
/* Writes a string; "\n" goes out as "\r\n". */
void pl011_port_puts(uint32_t base, const char *s);
void pl011_port_putdec(uint32_t base, uint32_t value);

#endif
