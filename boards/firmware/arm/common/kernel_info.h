/*
 * What the small kernels learn from the device tree at boot: the model,
 * RAM, the PSCI conduit, the PL011s and the PL031.
 */
#ifndef KERNEL_INFO_H
#define KERNEL_INFO_H

#include <stdint.h>

#define MAX_UARTS 4

struct board_info {
    const char *model;
    uint32_t ram_base;
    uint32_t ram_size;
    int psci_smc;           /* /psci method = "smc" */
    int psci_found;
    uint32_t uarts[MAX_UARTS];
    uint32_t uart_count;
    uint32_t rtc_base;      /* 0 when there is no arm,pl031 */
    const char *stdout_path;
    uint32_t gic_base;      /* distributor of a GICv2 (arm,cortex-a15-gic or arm,gic-400), 0 when there is none */
};

/* Fills *info from the DTB at dtb; returns 0 when there is no valid DTB there. */
int board_info_read(uint32_t dtb, struct board_info *info);
/* Prints the boot lines "dtb:", "memory:", "psci:", "serial:", "rtc:" (with the PL031 date). */
void board_info_print(uint32_t dtb, const struct board_info *info);

#endif
