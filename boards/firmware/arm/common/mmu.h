/*
 * Short-descriptor translation tables (ARMv7 ARM DDI 0406C, B3.5): a 16 KiB
 * first-level table of 4096 entries, one per MiB, each a section, a pointer
 * to a 1 KiB second-level table of 256 small (4 KiB) pages, or a fault.
 */
#ifndef MMU_H
#define MMU_H

#include <stdint.h>

/* First-level descriptors (B3.5.1, Figure B3-4). */
#define L1_FAULT           0u
#define L1_PAGE_TABLE      1u                    /* bits[1:0] = 01, table base in [31:10] */
#define L1_SECTION         2u                    /* bits[1:0] = 10 */
#define L1_B               (1u << 2)
#define L1_C               (1u << 3)
#define L1_XN              (1u << 4)
#define L1_DOMAIN(d)       ((uint32_t)(d) << 5)
#define L1_AP(ap)          ((((uint32_t)(ap) & 3u) << 10) | ((((uint32_t)(ap) >> 2) & 1u) << 15))
#define L1_TEX(t)          ((uint32_t)(t) << 12)
#define L1_NORMAL          (L1_TEX(1) | L1_C | L1_B) /* Normal, write-back write-allocate */
#define L1_DEVICE          (L1_B)                    /* Shareable Device */

/* Second-level small page descriptors (B3.5.1, Figure B3-5). */
#define L2_FAULT           0u
#define L2_SMALL           2u                    /* bit 1 = 1; bit 0 is XN */
#define L2_XN              1u
#define L2_B               (1u << 2)
#define L2_C               (1u << 3)
#define L2_AP(ap)          ((((uint32_t)(ap) & 3u) << 4) | ((((uint32_t)(ap) >> 2) & 1u) << 9))
#define L2_TEX(t)          ((uint32_t)(t) << 6)
#define L2_NORMAL          (L2_TEX(1) | L2_C | L2_B)

/* AP[2:0] access permissions (B3.7.1, Table B3-8). */
#define AP_NONE     0u  /* no access */
#define AP_PL1_RW   1u  /* PL1 read/write, PL0 none */
#define AP_FULL     3u  /* read/write at any level */
#define AP_PL1_RO   5u  /* PL1 read-only, PL0 none */
#define AP_RO       7u  /* read-only at any level */

/* Fault status values (B3.13.3, Table B3-23), short-descriptor format. */
#define FS_ALIGNMENT        0x01u
#define FS_DEBUG            0x02u
#define FS_TRANSLATION_L1   0x05u
#define FS_TRANSLATION_L2   0x07u
#define FS_DOMAIN_L1        0x09u
#define FS_DOMAIN_L2        0x0bu
#define FS_PERMISSION_L1    0x0du
#define FS_PERMISSION_L2    0x0fu
#define FSR_WNR             (1u << 11)
/* FS[4] (bit 10), FS[3:0], WnR and ExT: the DFSR bits every check compares. */
#define FSR_STATUS_MASK     0x1c0fu

extern uint32_t mmu_l1[4096];

/*
 * Identity map: devices below RAM (Device, XN), RAM 0x40000000-0x4fffffff
 * (Normal, PL1 read/write), everything else a translation fault.
 */
void mmu_build_identity(void);
/* TTBCR = 0 (TTBR0 only, short descriptors), TTBR0 = mmu_l1, all domains Client, SCTLR.M = 1. */
void mmu_enable(void);
void mmu_disable(void);
/* Invalidate all TLB entries, with the barriers B3.10.1 asks for. */
void mmu_flush_tlb(void);

#endif
