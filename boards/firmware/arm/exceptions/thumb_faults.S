/*
 * Thumb code that takes exceptions, with labels at the exact instructions so
 * the C checks can compare the return addresses (DDI 0406C Table B1-7).
 */
    .syntax unified
    .arch armv7-a
    .thumb
    .text

/*
 * SVC #0x42 (16-bit); LR_svc must be thumb_svc_next. The caller runs in SVC
 * mode too, so the exception overwrites its LR: keep it on the stack.
 */
    .global thumb_svc, thumb_svc_next
    .type thumb_svc, %function
    .thumb_func
thumb_svc:
    push {r4, lr}
    svc #0x42
thumb_svc_next:
    pop {r4, pc}
    .size thumb_svc, . - thumb_svc

/* UDF #0x12 (16-bit, permanently undefined); LR_und = instruction + 2. */
    .global thumb_udf, thumb_udf_insn
    .type thumb_udf, %function
    .thumb_func
thumb_udf:
thumb_udf_insn:
    udf #0x12
    bx lr
    .size thumb_udf, . - thumb_udf

/*
 * (address) : 16-bit LDR from the address; the data abort handler resumes at
 * thumb_ldr_resume. LR_abt = thumb_ldr_insn + 8 in both states.
 */
    .global thumb_ldr, thumb_ldr_insn, thumb_ldr_resume
    .type thumb_ldr, %function
    .thumb_func
thumb_ldr:
    movs r1, r0
thumb_ldr_insn:
    ldr r0, [r1]
thumb_ldr_resume:
    bx lr
    .size thumb_ldr, . - thumb_ldr
