/*
 * timer: the generic timer (DDI 0406C chapter B8: CNTFRQ, CNTPCT/CNTVCT, the
 * physical and virtual timers' CVAL/TVAL/CTL) and its interrupts through the
 * GICv2 (IHI 0048B: enable, priority, priority mask, IAR/EOIR, spurious ID),
 * with WFI waiting for them. The physical timer is PPI 14 (ID 30) and the
 * virtual timer PPI 11 (ID 27), as the virt board's /timer node says.
 */
#include <stdint.h>
#include "check.h"
#include "cp15.h"
#include "exceptions.h"
#include "gic.h"
#include "virt.h"

#define MODE_IRQ 0x12u
#define MODE_SVC 0x13u

static uint32_t ticks_per_ms;

static volatile struct {
    uint32_t count;
    uint32_t id;
    uint32_t mode;
    uint32_t spsr_mode;
    uint32_t istatus;
    uint64_t count_at_irq;
    uint64_t cval;
} irq;

static int on_irq(int kind, struct exc_frame *frame)
{
    if (kind != EXC_IRQ)
        return 0;
    uint32_t iar = mmio_read32(GICC_IAR);
    uint32_t id = iar & 0x3ffu;
    irq.count++;
    irq.id = id;
    irq.mode = read_cpsr() & 0x1fu;
    irq.spsr_mode = frame->spsr & 0x1fu;
    if (id == IRQ_PHYS_TIMER) {
        irq.istatus = read_cntp_ctl() & CNT_CTL_ISTATUS;
        irq.count_at_irq = read_cntpct();
        irq.cval = read_cntp_cval();
        write_cntp_ctl(0);  /* level-sensitive: drop the line before EOI */
    } else if (id == IRQ_VIRT_TIMER) {
        irq.istatus = read_cntv_ctl() & CNT_CTL_ISTATUS;
        irq.count_at_irq = read_cntvct();
        irq.cval = read_cntv_cval();
        write_cntv_ctl(0);
    }
    if (id != GIC_SPURIOUS)
        mmio_write32(GICC_EOIR, iar);
    frame->lr -= 4;     /* IRQ: LR = next instruction + 4 (Table B1-7) */
    return 1;
}

static void clear_irq(void)
{
    irq.count = irq.id = irq.mode = irq.spsr_mode = irq.istatus = 0;
    irq.count_at_irq = irq.cval = 0;
}

/* Spins until CNTPCT passes `deadline`; true if an IRQ was handled first. */
static int wait_irq_until(uint64_t deadline)
{
    while (read_cntpct() < deadline)
        if (irq.count != 0)
            return 1;
    return irq.count != 0;
}

/*
 * Sleeps in WFI until the handler has run. IRQs are masked around the test
 * so an interrupt cannot slip in between the test and the WFI; WFI still
 * wakes on it, and it is taken in the window where IRQs are unmasked.
 */
static void wfi_until_irq(void)
{
    irq_disable();
    while (irq.count == 0) {
        wfi();
        irq_enable();
        isb();
        irq_disable();
    }
    irq_enable();
}

static void counter_checks(void)
{
    uint32_t frq = read_cntfrq();
    check_true("CNTFRQ is set", frq != 0, "CNTFRQ reads 0");
    check_info("cntfrq_hz", frq);
    ticks_per_ms = frq / 1000 ? frq / 1000 : 1;

    uint64_t p0 = read_cntpct();
    for (volatile int i = 0; i < 2000; i++)
        ;
    uint64_t p1 = read_cntpct();
    check_true("CNTPCT advances", p1 > p0, "CNTPCT did not move");
    uint64_t v0 = read_cntvct();
    for (volatile int i = 0; i < 2000; i++)
        ;
    check_true("CNTVCT advances", read_cntvct() > v0, "CNTVCT did not move");
}

static void timer_register_checks(void)
{
    /* Writing TVAL sets CVAL = CNTPCT + SignExtend(TVAL) (B8.2.3). */
    write_cntp_ctl(CNT_CTL_IMASK);
    uint64_t before = read_cntpct();
    write_cntp_tval(100 * ticks_per_ms);
    uint64_t after = read_cntpct();
    uint64_t cval = read_cntp_cval();
    check_true("TVAL write sets CVAL = CNTPCT + TVAL",
               cval >= before + 100 * ticks_per_ms && cval <= after + 100 * ticks_per_ms, "CVAL out of range");
    uint32_t t0 = read_cntp_tval();
    for (volatile int i = 0; i < 2000; i++)
        ;
    uint32_t t1 = read_cntp_tval();
    check_true("TVAL counts down (CVAL - CNTPCT)", (int32_t)t1 < (int32_t)t0 && (int32_t)t1 > 0, "TVAL did not decrease");

    write_cntp_ctl(CNT_CTL_ENABLE | CNT_CTL_IMASK);
    check_eq("ISTATUS clear while CVAL is ahead", read_cntp_ctl() & CNT_CTL_ISTATUS, 0);
    write_cntp_cval(read_cntpct() - 1);
    check_eq("ISTATUS set once CNTPCT >= CVAL (even with IMASK)", read_cntp_ctl() & CNT_CTL_ISTATUS, CNT_CTL_ISTATUS);
    check_true("TVAL is negative after the deadline", (int32_t)read_cntp_tval() < 0, "TVAL not negative");
    write_cntp_ctl(0);
}

static void physical_timer_irq_checks(void)
{
    gic_init();
    gic_enable(IRQ_PHYS_TIMER, 0x80);
    gic_cpu_interface(0, 0xf0);
    irq_enable();

    /* CPU interface off: the timer's interrupt is pending at the distributor, not taken. */
    clear_irq();
    write_cntp_cval(read_cntpct() + ticks_per_ms);
    write_cntp_ctl(CNT_CTL_ENABLE);
    int taken = wait_irq_until(read_cntpct() + 3 * ticks_per_ms);
    check_true("no IRQ while the GIC CPU interface is disabled", !taken, "IRQ taken");
    check_eq("timer PPI pending in GICD_ISPENDR0", mmio_read32(GICD_ISPENDR(0)) & (1u << IRQ_PHYS_TIMER), 1u << IRQ_PHYS_TIMER);

    /* Priority mask equal to the interrupt's priority: still masked (GICC_PMR, 3.3.2). */
    gic_cpu_interface(1, 0x80);
    taken = wait_irq_until(read_cntpct() + 2 * ticks_per_ms);
    check_true("priority 0x80 masked by PMR 0x80", !taken, "IRQ taken");

    /* Lower the mask: the pending interrupt is taken at once. */
    gic_cpu_interface(1, 0xf0);
    taken = wait_irq_until(read_cntpct() + 2 * ticks_per_ms);
    check_true("IRQ taken once PMR allows it", taken, "no IRQ");
    check_eq("IRQ ID is the physical timer (30)", irq.id, IRQ_PHYS_TIMER);
    check_eq("handler ran in IRQ mode", irq.mode, MODE_IRQ);
    check_eq("interrupted code was in SVC mode", irq.spsr_mode, MODE_SVC);
    check_eq("ISTATUS set in the handler", irq.istatus, CNT_CTL_ISTATUS);
    check_true("interrupt came after CVAL", irq.count_at_irq >= irq.cval, "CNTPCT < CVAL at the IRQ");
    check_eq("GICC_IAR reads spurious (1023) after EOI", mmio_read32(GICC_IAR) & 0x3ffu, GIC_SPURIOUS);
    check_eq("one IRQ per timer expiry", irq.count, 1);

    /* WFI: sleep until the timer fires, the handler runs, execution continues after WFI. */
    clear_irq();
    write_cntp_cval(read_cntpct() + 2 * ticks_per_ms);
    write_cntp_ctl(CNT_CTL_ENABLE);
    wfi_until_irq();
    check_eq("WFI woken by the timer IRQ", irq.id, IRQ_PHYS_TIMER);
    check_true("woke at or after CVAL", irq.count_at_irq >= irq.cval, "woke early");

    /* WFI wakes on a pending IRQ even while CPSR.I masks it (B1.8.13); the handler runs once unmasked. */
    clear_irq();
    irq_disable();
    write_cntp_cval(read_cntpct() + 2 * ticks_per_ms);
    write_cntp_ctl(CNT_CTL_ENABLE);
    while ((read_cntp_ctl() & CNT_CTL_ISTATUS) == 0)
        wfi();
    check_eq("masked IRQ wakes WFI without being taken", irq.count, 0);
    /* An ISB after unmasking guarantees a pending IRQ has been taken. */
    irq_enable();
    isb();
    check_eq("unmasking takes the pending IRQ", irq.id, IRQ_PHYS_TIMER);
}

static void virtual_timer_irq_checks(void)
{
    gic_disable(IRQ_PHYS_TIMER);
    gic_enable(IRQ_VIRT_TIMER, 0x40);
    clear_irq();
    write_cntv_cval(read_cntvct() + ticks_per_ms);
    write_cntv_ctl(CNT_CTL_ENABLE);
    wfi_until_irq();
    check_eq("virtual timer IRQ ID (27)", irq.id, IRQ_VIRT_TIMER);
    check_true("virtual timer fired after its CVAL (against CNTVCT)", irq.count_at_irq >= irq.cval, "early");
    irq_disable();
    gic_disable(IRQ_VIRT_TIMER);
}

int main(void)
{
    check_begin("timer");
    exception_hook = on_irq;
    counter_checks();
    timer_register_checks();
    physical_timer_irq_checks();
    virtual_timer_irq_checks();
    check_finish();
}
