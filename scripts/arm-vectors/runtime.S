/*
 * Runtime of the ARM reference-vector harness, run under qemu-arm (Linux user
 * mode). No C library: the process starts at _start, writes with the Linux
 * EABI write syscall and ends with exit_group.
 *
 * run_case(record) loads the case's inputs into r0-r12, r14 and the APSR,
 * jumps to the stub holding the instruction under test, and the stub branches
 * to capture_arm / capture_thumb, which store r0-r12, r14, the APSR and SP
 * below and at capture_top, then return to run_case's caller.
 *
 * Record layout (words): 0-12 r0-r12, 13 r14, 14 APSR, 15 stub address
 * (bit 0 set for Thumb), 16 end of the instruction, 17 memory image or 0.
 */
        .syntax unified
        .arch armv7ve

        .bss
        .align 3
host_context:
        .space 4 * 12                  @ r4-r12, sp, lr of the C caller
        .global capture_area
capture_area:
        .space 56                      @ r0-r12, r14 stored by stmdb
        .global capture_top
capture_top:
        .space 16                      @ +0 APSR, +4 SP, +8 stub address

        .text
        .arm
        .align 2
        .global _start
_start:
        bl      main
        mov     r7, #248               @ exit_group(status)
        svc     #0
        b       .

        .global sys_write
sys_write:                             @ sys_write(fd, buf, len)
        push    {r7, lr}
        mov     r7, #4
        svc     #0
        pop     {r7, pc}

        .global run_case
run_case:
        ldr     r1, =host_context
        stmia   r1, {r4-r12, sp, lr}
        ldr     sp, =capture_top
        ldr     r1, [r0, #60]
        str     r1, [sp, #8]
        ldr     r1, [r0, #56]
        msr     APSR_nzcvqg, r1
        ldr     lr, [r0, #52]
        ldm     r0, {r0-r12}
        ldr     pc, [sp, #8]           @ interworking load: bit 0 selects Thumb

        .global capture_arm
capture_arm:
        stmdb   sp, {r0-r12, lr}
        mrs     r0, APSR
        str     r0, [sp]
        str     sp, [sp, #4]
        b       return_to_host

        .thumb
        .align 2
        .global capture_thumb
        .type   capture_thumb, %function
capture_thumb:
        stmdb   sp, {r0-r12, lr}
        mrs     r0, APSR
        str     r0, [sp]
        str     sp, [sp, #4]
        ldr     r0, =return_to_host
        bx      r0
        .ltorg

        .arm
        .align 2
return_to_host:
        ldr     r1, =host_context
        ldmia   r1, {r4-r12, sp, lr}
        bx      lr
        .ltorg
