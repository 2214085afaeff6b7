#include "gic.h"

static void write8(uint32_t addr, uint8_t value)
{
    *(volatile uint8_t *)addr = value;
}

void gic_init(void)
{
    mmio_write32(GICD_CTLR, 0);
    mmio_write32(GICC_CTLR, 0);
    /* Interrupts 0-31 are this CPU's SGIs and PPIs (banked). */
    mmio_write32(GICD_ICENABLER(0), 0xffffffffu);
    mmio_write32(GICD_ICPENDR(0), 0xffffffffu);
    mmio_write32(GICD_CTLR, 1);
}

void gic_enable(uint32_t id, uint8_t priority)
{
    write8(GICD_IPRIORITYR + id, priority);
    mmio_write32(GICD_ISENABLER(id / 32), 1u << (id % 32));
}

void gic_disable(uint32_t id)
{
    mmio_write32(GICD_ICENABLER(id / 32), 1u << (id % 32));
}

void gic_cpu_interface(int enable, uint8_t priority_mask)
{
    mmio_write32(GICC_PMR, priority_mask);
    mmio_write32(GICC_CTLR, enable ? 1u : 0u);
}
