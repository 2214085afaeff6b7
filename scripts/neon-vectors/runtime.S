/*
 * Runtime of the Advanced SIMD reference-vector harness under qemu-arm
 * (Linux user mode, no C library). run_case(record) loads a case's D0-D31,
 * FPSCR and r0-r12, jumps to its stub (the instruction under test, then a
 * branch to capture_arm or capture_thumb), and the capture code stores
 * r0-r12, D0-D31 and FPSCR before returning to run_case's caller.
 *
 * Record layout (words): 0-12 r0-r12, 13 FPSCR, 14 stub address (bit 0 set
 * for Thumb), 15 end of the instruction, 16 memory image or 0, 17 the
 * 256-byte image of D0-D31.
 */
        .syntax unified
        .arch armv7-a
        .fpu neon-vfpv4

        .bss
        .align 3
host_context:
        .space 4 * 11 + 8 * 8           @ r4-r12, sp, lr, then d8-d15 of the C caller
        .global capture_d
capture_d:
        .space 256
        .global capture_area
capture_area:
        .space 52                       @ r0-r12
        .global capture_top
capture_top:
        .space 16                       @ +0 FPSCR, +8 stub address

        .text
        .arm
        .align 2
        .global _start
_start:
        bl      main
        mov     r7, #248                @ exit_group(status)
        svc     #0
        b       .

        .global sys_write
sys_write:
        push    {r7, lr}
        mov     r7, #4
        svc     #0
        pop     {r7, pc}

        .global run_case
run_case:
        ldr     r1, =host_context
        stmia   r1!, {r4-r12, sp, lr}
        vstmia  r1, {d8-d15}
        ldr     sp, =capture_top
        ldr     r1, [r0, #56]
        str     r1, [sp, #8]
        ldr     r1, [r0, #68]
        vldmia  r1!, {d0-d15}
        vldmia  r1, {d16-d31}
        ldr     r1, [r0, #52]
        vmsr    fpscr, r1
        ldm     r0, {r0-r12}
        ldr     pc, [sp, #8]            @ bit 0 of the stub address selects Thumb

        .global capture_arm
capture_arm:
        stmdb   sp, {r0-r12}
        ldr     r0, =capture_d
        vstmia  r0!, {d0-d15}
        vstmia  r0, {d16-d31}
        vmrs    r0, fpscr
        str     r0, [sp]
        b       return_to_host

        .thumb
        .align 2
        .global capture_thumb
        .type   capture_thumb, %function
capture_thumb:
        stmdb   sp, {r0-r12}
        ldr     r0, =capture_d
        vstmia  r0!, {d0-d15}
        vstmia  r0, {d16-d31}
        vmrs    r0, fpscr
        str     r0, [sp]
        ldr     r0, =return_to_host
        bx      r0
        .ltorg

        .arm
        .align 2
return_to_host:
        ldr     r1, =host_context
        ldmia   r1!, {r4-r12, sp, lr}
        vldmia  r1, {d8-d15}
        bx      lr
        .ltorg
        .section .note.GNU-stack,"",%progbits
