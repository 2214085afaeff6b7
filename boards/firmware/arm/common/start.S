/*
 * Entry, vectors and exception frames for the tskvm ARM test firmware.
 * Linked first at 0x40100000 (firmware.ld): _start is both the ELF entry and
 * the reset vector of the table VBAR points at.
 * References: ARMv7-A ARM (DDI 0406C) B1.8 "Exception handling" (vector
 * offsets, LR values, MOVS PC, LR return), B1.3.1 (mode numbers).
 */
    .syntax unified
    .arch armv7-a
    .arch_extension virt
    .arm

    .equ MODE_FIQ, 0x11
    .equ MODE_IRQ, 0x12
    .equ MODE_SVC, 0x13
    .equ MODE_ABT, 0x17
    .equ MODE_HYP, 0x1a
    .equ MODE_UND, 0x1b
    .equ MODE_SYS, 0x1f
    .equ PSR_AIF, 0xc0 | 0x100

    .section .text.vectors, "ax"
    .align 5
    .global _start
    .global vectors
_start:
vectors:
    b reset             /* 0x00 reset */
    b undef_entry       /* 0x04 undefined instruction */
    b svc_entry         /* 0x08 supervisor call */
    b pabt_entry        /* 0x0c prefetch abort */
    b dabt_entry        /* 0x10 data abort */
    b .                 /* 0x14 not used in PL1 modes */
    b irq_entry         /* 0x18 IRQ */
    b fiq_entry         /* 0x1c FIQ */

reset:
    /*
     * A board may start us in HYP mode (Virtualization Extensions present);
     * the programs run at PL1, so leave HYP through ERET into SVC with
     * interrupts masked (B1.8.10 / ERET in HYP).
     */
    mrs r0, cpsr
    and r1, r0, #0x1f
    cmp r1, #MODE_HYP
    bne 1f
    adr r1, 1f
    msr elr_hyp, r1
    mov r1, #(MODE_SVC | PSR_AIF)
    msr spsr_hyp, r1
    eret
1:
    cpsid aif
    /* One stack per exception mode (banked SP). */
    cps #MODE_IRQ
    ldr sp, =__irq_stack_top
    cps #MODE_FIQ
    ldr sp, =__fiq_stack_top
    cps #MODE_ABT
    ldr sp, =__abt_stack_top
    cps #MODE_UND
    ldr sp, =__und_stack_top
    cps #MODE_SYS
    ldr sp, =__sys_stack_top
    cps #MODE_SVC
    ldr sp, =__svc_stack_top

    /* Exceptions in ARM state at VBAR: SCTLR.TE = 0, SCTLR.V = 0 (B4.1.130). */
    mrc p15, 0, r0, c1, c0, 0
    bic r0, r0, #(1 << 30)
    bic r0, r0, #(1 << 13)
    mcr p15, 0, r0, c1, c0, 0
    ldr r0, =vectors
    mcr p15, 0, r0, c12, c0, 0
    isb

    /* The loader zeroes .bss already; do it again so a raw load works too. */
    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
2:  cmp r0, r1
    strlo r2, [r0], #4
    blo 2b

    bl main
    bl psci_system_off
    b .

/*
 * Every exception saves r0-r12 and LR, then SPSR and a pad word, so the C
 * handler sees struct exc_frame (exceptions.h) and the stack stays 8-byte
 * aligned. The handler may rewrite the saved LR and SPSR; MOVS PC, LR then
 * resumes there, copying SPSR to CPSR.
 */
    .macro EXCEPTION_ENTRY name, kind
\name:
    push {r0-r12, lr}
    mrs r0, spsr
    push {r0, r1}
    mov r0, #\kind
    mov r1, sp
    bl exception_dispatch
    pop {r0, r1}
    msr spsr_cxsf, r0
    pop {r0-r12, lr}
    movs pc, lr
    .endm

    EXCEPTION_ENTRY undef_entry, 1
    EXCEPTION_ENTRY svc_entry, 2
    EXCEPTION_ENTRY pabt_entry, 3
    EXCEPTION_ENTRY dabt_entry, 4
    EXCEPTION_ENTRY irq_entry, 6
    EXCEPTION_ENTRY fiq_entry, 7

    .ltorg
