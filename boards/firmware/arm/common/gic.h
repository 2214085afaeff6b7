/*
 * GICv2 distributor and CPU interface (ARM IHI 0048B, "ARM Generic Interrupt
 * Controller Architecture Specification v2", 4.1 register maps).
 */
#ifndef GIC_H
#define GIC_H

#include <stdint.h>
#include "virt.h"

#define GICD_CTLR        (VIRT_GICD_BASE + 0x000)
#define GICD_TYPER       (VIRT_GICD_BASE + 0x004)
#define GICD_ISENABLER(n) (VIRT_GICD_BASE + 0x100 + 4 * (n))
#define GICD_ICENABLER(n) (VIRT_GICD_BASE + 0x180 + 4 * (n))
#define GICD_ISPENDR(n)  (VIRT_GICD_BASE + 0x200 + 4 * (n))
#define GICD_ICPENDR(n)  (VIRT_GICD_BASE + 0x280 + 4 * (n))
#define GICD_IPRIORITYR  (VIRT_GICD_BASE + 0x400)   /* one byte per interrupt */

#define GICC_CTLR        (VIRT_GICC_BASE + 0x00)
#define GICC_PMR         (VIRT_GICC_BASE + 0x04)
#define GICC_IAR         (VIRT_GICC_BASE + 0x0c)
#define GICC_EOIR        (VIRT_GICC_BASE + 0x10)
#define GICC_RPR         (VIRT_GICC_BASE + 0x14)

#define GIC_SPURIOUS     1023u

/* Distributor on, CPU interface off, everything disabled and not pending. */
void gic_init(void);
void gic_enable(uint32_t id, uint8_t priority);
void gic_disable(uint32_t id);
void gic_cpu_interface(int enable, uint8_t priority_mask);

#endif
