/*
 * Thumb-2 LDREX/STREX take an immediate offset (A8.8.75 T1: offset = imm8 * 4),
 * which A32 has not. (pointer) : increments the word at pointer + 8 with
 * LDREX/STREX at that offset; returns the STREX status.
 */
    .syntax unified
    .arch armv7-a
    .thumb
    .text
    .global thumb_exclusive_increment_at8
    .type thumb_exclusive_increment_at8, %function
    .thumb_func
thumb_exclusive_increment_at8:
    ldrex r1, [r0, #8]
    adds r1, r1, #1
    strex r2, r1, [r0, #8]
    mov r0, r2
    bx lr
    .size thumb_exclusive_increment_at8, . - thumb_exclusive_increment_at8
