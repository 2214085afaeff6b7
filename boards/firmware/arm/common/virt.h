/*
 * The QEMU "virt" board memory map as tskvm's arm-virt board reproduces it
 * (see /work/shared/oracle/arm-virt/mtree.txt), and the PSCI function IDs.
 */
#ifndef VIRT_H
#define VIRT_H

#include <stdint.h>

#define VIRT_FLASH_BASE     0x00000000u
#define VIRT_GICD_BASE      0x08000000u  /* GICv2 distributor */
#define VIRT_GICC_BASE      0x08010000u  /* GICv2 CPU interface */
#define VIRT_UART_BASE      0x09000000u  /* PL011 */
#define VIRT_RAM_BASE       0x40000000u  /* the DTB sits in the first MiB */
#define FIRMWARE_BASE       0x40100000u  /* where these programs are linked */

/* Generic timer interrupts: PPI n is GIC interrupt ID 16 + n. */
#define IRQ_SEC_PHYS_TIMER  29  /* PPI 13 */
#define IRQ_PHYS_TIMER      30  /* PPI 14: non-secure physical timer (CNTP_*) */
#define IRQ_VIRT_TIMER      27  /* PPI 11: virtual timer (CNTV_*) */
#define IRQ_HYP_TIMER       26  /* PPI 10 */

/* PSCI 0.2 function IDs (ARM DEN 0022, "Function prototypes"; SMC32 convention). */
#define PSCI_SYSTEM_OFF     0x84000008u
#define PSCI_SYSTEM_RESET   0x84000009u

static inline uint32_t mmio_read32(uint32_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uint32_t addr, uint32_t value)
{
    *(volatile uint32_t *)addr = value;
}

#endif
