/*
 * Address-space switch and TLB maintenance of the bench-mmu "kernel", written
 * the way an ARMv7 OS does them (ARMv7-A ARM, DDI 0406C):
 *  - B3.10.4 "Synchronization of changes of ASID and TTBR": switch through a
 *    reserved ASID (0, never given to an address space) so that no walk
 *    between the two writes can create an entry of the new ASID from the old
 *    tables: CONTEXTIDR = 0, ISB, TTBR0 = new tables, ISB, CONTEXTIDR = ASID.
 *  - B3.10.1 / B3.10.2: a page-table store is made visible to the walker with
 *    DSB before the TLB maintenance; DSB + ISB after it.
 *  - B4.2.2: TLBIMVA takes VA[31:12] | ASID[7:0]; TLBIASID takes the ASID.
 */
    .syntax unified
    .arch armv7-a
    .arm
    .text

    /* void bench_switch_mm(uint32_t ttbr0, uint32_t asid) */
    .global bench_switch_mm
    .type bench_switch_mm, %function
bench_switch_mm:
    mov r2, #0
    mcr p15, 0, r2, c13, c0, 1      /* CONTEXTIDR: reserved ASID 0 */
    isb
    mcr p15, 0, r0, c2, c0, 0       /* TTBR0 */
    isb
    mcr p15, 0, r1, c13, c0, 1      /* CONTEXTIDR: the new ASID */
    isb
    bx lr
    .size bench_switch_mm, . - bench_switch_mm

    /* void bench_tlbimva(uint32_t va_and_asid) */
    .global bench_tlbimva
    .type bench_tlbimva, %function
bench_tlbimva:
    dsb
    mcr p15, 0, r0, c8, c7, 1       /* TLBIMVA */
    dsb
    isb
    bx lr
    .size bench_tlbimva, . - bench_tlbimva

    /* void bench_tlbiasid(uint32_t asid) */
    .global bench_tlbiasid
    .type bench_tlbiasid, %function
bench_tlbiasid:
    dsb
    mcr p15, 0, r0, c8, c7, 2       /* TLBIASID */
    dsb
    isb
    bx lr
    .size bench_tlbiasid, . - bench_tlbiasid
