/*
 * The scheduler tick from the generic timer (ARMv7 ARM B8.2): the physical
 * timer (CNTP_*, PPI 14 = GIC ID 30) or the virtual timer (CNTV_*, PPI 11 =
 * ID 27). Each tick sets the compare value one period after the previous
 * one, so ticks do not drift however late the handler runs.
 */
#ifndef TICK_H
#define TICK_H

#include <stdint.h>

enum tick_source { TICK_PHYSICAL, TICK_VIRTUAL };

/*
 * Starts the periodic tick at hz and returns the GIC interrupt ID to enable.
 * With `masked`, the timer's output stays masked (CNT*_CTL.IMASK): the kernel
 * then polls tick_expired() instead of taking interrupts.
 */
uint32_t tick_start(enum tick_source source, uint32_t hz, int masked);
/* CNT*_CTL.ISTATUS: the current deadline has passed (set whether or not IMASK is). */
int tick_expired(void);
/* Sets the next compare value (called on each tick, before EOI: the timer output is a level). */
void tick_rearm(void);
/* Counter ticks per scheduler tick. */
uint32_t tick_period(void);
uint64_t tick_counter(void);

#endif
