/*
 * Thumb-2 control flow and ARM/Thumb interworking, in assembler because the
 * checks depend on exact instructions (DDI 0406C: A4.1 interworking, BXWritePC
 * and LoadWritePC in A2.3.1, TBB/TBH A8.8.239, CBZ/CBNZ A8.8.29).
 * Each function follows the AAPCS: argument in r0, result in r0.
 */
    .syntax unified
    .arch armv7-a
    .text

/* ---- ARM side ---- */
    .arm

/* x + 3, returns with BX LR (to Thumb if called by BLX from Thumb). */
    .global arm_add3
    .type arm_add3, %function
arm_add3:
    add r0, r0, #3
    bx lr
    .size arm_add3, . - arm_add3

/* ARMv7 MOV PC, Rm in ARM state interworks (ALUWritePC = BXWritePC). */
    .global arm_mov_pc
    .type arm_mov_pc, %function
arm_mov_pc:                 /* (x, target) : tail-jumps to target with LR unchanged */
    mov pc, r1
    .size arm_mov_pc, . - arm_mov_pc

/* LDR PC loads interwork (LoadWritePC). */
    .global arm_ldr_pc
    .type arm_ldr_pc, %function
arm_ldr_pc:                 /* (x, pointer to target) */
    ldr pc, [r1]
    .size arm_ldr_pc, . - arm_ldr_pc

/* POP {.., PC} in ARM state interworks: returns to a Thumb caller. */
    .global arm_pop_pc_add5
    .type arm_pop_pc_add5, %function
arm_pop_pc_add5:
    push {r4, lr}
    add r0, r0, #5
    pop {r4, pc}
    .size arm_pop_pc_add5, . - arm_pop_pc_add5

/* Calls a function pointer (ARM or Thumb) with BLX register. */
    .global arm_call
    .type arm_call, %function
arm_call:                   /* (x, function) */
    push {r4, lr}
    blx r1
    pop {r4, pc}
    .size arm_call, . - arm_call

/* ---- Thumb side ---- */
    .thumb

    .global thumb_add7
    .type thumb_add7, %function
    .thumb_func
thumb_add7:
    adds r0, r0, #7
    bx lr
    .size thumb_add7, . - thumb_add7

/* POP {.., PC} in Thumb returns to an ARM caller when LR is even. */
    .global thumb_pop_pc_add1
    .type thumb_pop_pc_add1, %function
    .thumb_func
thumb_pop_pc_add1:
    push {r4, lr}
    adds r0, r0, #1
    pop {r4, pc}
    .size thumb_pop_pc_add1, . - thumb_pop_pc_add1

/* BLX register from Thumb to the ARM function, then POP {PC} back. */
    .global thumb_blx_arm_add3
    .type thumb_blx_arm_add3, %function
    .thumb_func
thumb_blx_arm_add3:
    push {r4, lr}
    ldr r1, =arm_add3
    blx r1
    pop {r4, pc}
    .size thumb_blx_arm_add3, . - thumb_blx_arm_add3

/*
 * In Thumb state MOV PC, Rm is a plain branch (ALUWritePC = BranchWritePC):
 * it does not interwork, so an even target stays in Thumb. Returns x + 9.
 */
    .global thumb_mov_pc_even
    .type thumb_mov_pc_even, %function
    .thumb_func
thumb_mov_pc_even:
    adr r1, 1f              /* word-aligned address of 1f, bit 0 clear */
    mov pc, r1
    .align 2
1:  adds r0, r0, #9
    bx lr
    .size thumb_mov_pc_even, . - thumb_mov_pc_even

/* TBB: byte offsets (halfwords) from the end of the instruction (= table). */
    .global thumb_tbb
    .type thumb_tbb, %function
    .thumb_func
thumb_tbb:                  /* (index 0..3) -> 10, 11, 12, 13 */
    tbb [pc, r0]
1:  .byte (2f - 1b) / 2, (3f - 1b) / 2, (4f - 1b) / 2, (5f - 1b) / 2
2:  movs r0, #10
    bx lr
3:  movs r0, #11
    bx lr
4:  movs r0, #12
    bx lr
5:  movs r0, #13
    bx lr
    .size thumb_tbb, . - thumb_tbb

/* TBH: halfword offsets, here reaching a case more than 510 bytes away. */
    .global thumb_tbh
    .type thumb_tbh, %function
    .thumb_func
thumb_tbh:                  /* (index 0..2) -> 20, 21, 22 */
    tbh [pc, r0, lsl #1]
1:  .hword (2f - 1b) / 2, (3f - 1b) / 2, (4f - 1b) / 2
2:  movs r0, #20
    bx lr
3:  movs r0, #21
    bx lr
    .space 1024, 0
4:  movs r0, #22
    bx lr
    .size thumb_tbh, . - thumb_tbh

/* CBZ/CBNZ branch forward on zero / non-zero and leave the flags alone. */
    .global thumb_cbz
    .type thumb_cbz, %function
    .thumb_func
thumb_cbz:                  /* (x) -> 2 if x == 0 else 1 */
    cbz r0, 1f
    movs r0, #1
    bx lr
1:  movs r0, #2
    bx lr
    .size thumb_cbz, . - thumb_cbz

    .global thumb_cbnz
    .type thumb_cbnz, %function
    .thumb_func
thumb_cbnz:                 /* (x) -> 4 if x != 0 else 3 */
    cbnz r0, 1f
    movs r0, #3
    bx lr
1:  movs r0, #4
    bx lr
    .size thumb_cbnz, . - thumb_cbnz

    .ltorg
