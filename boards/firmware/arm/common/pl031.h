/*
 * PL031 real time clock (ARM PrimeCell RTC PL031 TRM, DDI 0224, 3.2: RTCDR at
 * 0x000 holds the seconds counter) and the calendar date of a seconds count.
 */
#ifndef PL031_H
#define PL031_H

#include <stdint.h>

#define VIRT_RTC_BASE 0x09010000u
#define RTCDR         0x000u

struct calendar_time {
    uint32_t year, month, day, hour, minute, second;
};

/* Seconds since 1970-01-01 00:00:00 UTC to a proleptic Gregorian date and time. */
void calendar_from_seconds(uint32_t seconds, struct calendar_time *out);

#endif
