/*
 * Runtime of the VFP reference-vector harness under qemu-arm (Linux user
 * mode, no C library): _start, the write syscall, and run_vfp_case, which
 * loads a case's 32 D registers and FPSCR, calls its stub (bit 0 of the
 * address selects Thumb) and stores the registers and FPSCR afterwards.
 *
 * Case record (words): 0-63 D0-D31 in, 64 FPSCR in, 65 stub address.
 * Result block (words): 0-63 D0-D31 out, 64 FPSCR out.
 */
        .syntax unified
        .arch armv7ve
        .fpu neon-vfpv4
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

        .global run_vfp_case           @ run_vfp_case(record, result)
run_vfp_case:
        push    {r4, r5, r6, lr}
        mov     r4, r0
        mov     r5, r1
        mov     r2, r4
        vldmia  r2!, {d0-d15}
        vldmia  r2!, {d16-d31}
        ldr     r3, [r4, #256]
        vmsr    fpscr, r3
        ldr     r3, [r4, #260]
        blx     r3
        vmrs    r3, fpscr
        str     r3, [r5, #256]
        mov     r2, r5
        vstmia  r2!, {d0-d15}
        vstmia  r2!, {d16-d31}
        pop     {r4, r5, r6, pc}
