#include "tick.h"
#include "cp15.h"
#include "virt.h"

static enum tick_source src;
static uint32_t period;
static uint64_t next_deadline;
static uint32_t ctl;

uint64_t tick_counter(void)
{
    return src == TICK_VIRTUAL ? read_cntvct() : read_cntpct();
}

uint32_t tick_period(void)
{
    return period;
}

static void set_deadline(uint64_t cval)
{
    if (src == TICK_VIRTUAL) {
        write_cntv_cval(cval);
        write_cntv_ctl(ctl);
    } else {
        write_cntp_cval(cval);
        write_cntp_ctl(ctl);
    }
    isb();
}

int tick_expired(void)
{
    uint32_t v = src == TICK_VIRTUAL ? read_cntv_ctl() : read_cntp_ctl();
    return (v & CNT_CTL_ISTATUS) != 0;
}

uint32_t tick_start(enum tick_source source, uint32_t hz, int masked)
{
    src = source;
    ctl = CNT_CTL_ENABLE | (masked ? CNT_CTL_IMASK : 0u);
    period = read_cntfrq() / hz;
    next_deadline = tick_counter() + period;
    set_deadline(next_deadline);
    return source == TICK_VIRTUAL ? IRQ_VIRT_TIMER : IRQ_PHYS_TIMER;
}

void tick_rearm(void)
{
    next_deadline += period;
    /* A handler later than a whole period skips the ticks it missed instead of firing at once again. */
    uint64_t now = tick_counter();
    while (next_deadline <= now)
        next_deadline += period;
    set_deadline(next_deadline);
}
