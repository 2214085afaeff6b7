/*
 * Entry, vectors and trap frames of the small kernels (phone-host,
 * phone-guest). Unlike start.S, whose frames suit self-checks that provoke
 * exceptions in PL1 code, every exception here comes from a User-mode task
 * and the frame holds the task's whole context: r0-r12, the return address,
 * the SPSR and the User-mode SP and LR (banked, so saved and restored with
 * the "user registers" forms of STM and LDM, ARMv7 ARM B9.3.17 and B9.3.6).
 * The boot loader's r2 (the DTB address, Linux boot protocol) is kept and
 * given to kernel_main.
 * References: ARMv7 ARM (DDI 0406C) B1.8 (vector offsets, Table B1-7 LR
 * offsets, MOVS PC, LR), B1.3.1 (mode numbers).
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
    .equ FRAME_SIZE, 72

    .section .text.vectors, "ax"
    .align 5
    .global _start
    .global kernel_vectors
_start:
kernel_vectors:
    b reset             /* 0x00 reset */
    b undef_trap        /* 0x04 undefined instruction */
    b svc_trap          /* 0x08 supervisor call */
    b pabt_trap         /* 0x0c prefetch abort */
    b dabt_trap         /* 0x10 data abort */
    b .                 /* 0x14 not used in PL1 modes */
    b irq_trap          /* 0x18 IRQ */
    b fiq_trap          /* 0x1c FIQ */

reset:
    mov r4, r2          /* the DTB address, kept for kernel_main */
    /* Started in HYP (a board with the Virtualization Extensions): drop to SVC by ERET. */
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

    /* Exceptions in ARM state at VBAR (SCTLR.TE = 0, SCTLR.V = 0, B4.1.130). */
    mrc p15, 0, r0, c1, c0, 0
    bic r0, r0, #(1 << 30)
    bic r0, r0, #(1 << 13)
    mcr p15, 0, r0, c1, c0, 0
    ldr r0, =kernel_vectors
    mcr p15, 0, r0, c12, c0, 0
    isb

    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
2:  cmp r0, r1
    strlo r2, [r0], #4
    blo 2b

    mov r0, r4
    bl kernel_main
    b .

/*
 * Trap entry: LR is first made the preferred return address (Table B1-7:
 * +4 for Undefined from ARM code, 0 for SVC, +4 prefetch abort, +8 data
 * abort, +4 IRQ/FIQ). The frame is built downwards: SP_usr and LR_usr, then
 * r0-r12 and the return address, then SPSR and a pad word.
 */
    .macro TRAP_ENTRY name, kind, adjust
\name:
    sub lr, lr, #\adjust
    sub sp, sp, #8
    stmia sp, {sp, lr}^
    push {r0-r12, lr}
    mrs r0, spsr
    push {r0, r1}
    mov r0, #\kind
    mov r1, sp
    bl kernel_trap
    b trap_return
    .endm

    TRAP_ENTRY undef_trap, 1, 4
    TRAP_ENTRY svc_trap, 2, 0
    TRAP_ENTRY pabt_trap, 3, 4
    TRAP_ENTRY dabt_trap, 4, 8
    TRAP_ENTRY irq_trap, 6, 4
    TRAP_ENTRY fiq_trap, 7, 4

/* Resumes the frame at SP: SPSR, registers, User SP/LR; MOVS PC, LR copies SPSR to CPSR. */
trap_return:
    pop {r0, r1}
    msr spsr_cxsf, r0
    pop {r0-r12, lr}
    ldmia sp, {sp, lr}^
    add sp, sp, #8
    movs pc, lr

/* enter_user(frame): copies the frame onto the (empty) SVC stack and returns through it. */
    .global enter_user
enter_user:
    ldr sp, =__svc_stack_top
    sub sp, sp, #FRAME_SIZE
    mov r1, sp
    ldmia r0!, {r2-r10}
    stmia r1!, {r2-r10}
    ldmia r0!, {r2-r10}
    stmia r1!, {r2-r10}
    b trap_return

    .ltorg
