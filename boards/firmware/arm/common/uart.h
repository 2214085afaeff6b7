#ifndef UART_H
#define UART_H

#include <stdint.h>

void uart_init(void);
void uart_putc(char c);
/* Writes a string; "\n" goes out as "\r\n". */
void uart_puts(const char *s);
/* 0x-prefixed, 8 hex digits. */
void uart_puthex(uint32_t value);
void uart_putdec(uint32_t value);

#endif
