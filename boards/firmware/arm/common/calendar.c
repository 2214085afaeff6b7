#include "pl031.h"

static int is_leap(uint32_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

void calendar_from_seconds(uint32_t seconds, struct calendar_time *out)
{
    static const uint8_t month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint32_t days = seconds / 86400u;
    uint32_t rest = seconds % 86400u;
    out->hour = rest / 3600u;
    out->minute = rest / 60u % 60u;
    out->second = rest % 60u;
    uint32_t year = 1970;
    while (days >= (is_leap(year) ? 366u : 365u)) {
        days -= is_leap(year) ? 366u : 365u;
        year++;
    }
    uint32_t month = 0;
    for (;;) {
        uint32_t length = month_days[month] + (month == 1 && is_leap(year) ? 1u : 0u);
        if (days < length)
            break;
        days -= length;
        month++;
    }
    out->year = year;
    out->month = month + 1;
    out->day = days + 1;
}
