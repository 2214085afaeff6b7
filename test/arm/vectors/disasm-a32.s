@ Hand-written A32 corpus for the disassembler tests: every instruction form
@ of ARMv7-A A32 (ARM ARM DDI 0406C chapter A5) with its edge cases.
@ scripts/record-disasm-vectors.ts assembles it and records objdump's text.
        .syntax unified
        .cpu cortex-a15
        .fpu neon-vfpv4
        .arch_extension virt
        .arch_extension sec
        .arch_extension idiv
        .arch_extension mp
        .arm
        .text
start:
@ --- data processing, immediate (A5.2.3), every opcode and condition ---
        .irp op, and, eor, sub, rsb, add, adc, sbc, rsc, orr, bic
        \op r0, r1, #1
        \op\()s r2, r3, #0xff
        \op\()eq r4, r5, #0x3fc
        \op\()sne r6, r7, #0xf000000f
        \op r8, r9, #0x80000000
        \op sp, lr, #0x10000
        \op pc, r12, #33
        .endr
        .irp op, tst, teq, cmp, cmn
        \op r0, #0
        \op\()cs r1, #0xff00
        \op\()cc r12, #0x40000000
        \op lr, #0xff000000
        .endr
        mov r0, #0
        movs r1, #255
        movmi r2, #256
        movspl r3, #0xff000000
        mvn r4, #0
        mvnvs r5, #0xff
        mvnsvc r6, #0x1f0
        mov pc, #4
        movs pc, #0
        add r0, pc, #8
        sub r1, pc, #0
        add r0, r1, #-4
        subs pc, lr, #4
        movw r0, #0
        movw r1, #65535
        movwhi r2, #4660
        movt r3, #0
        movt r4, #65535
        movtls r5, #0x8000
        .inst 0xe3a00e01    @ mov r0, #16 with rotation 28 (non-canonical)
        .inst 0xe3a0010f    @ mov r0, #0xc0000003
        .inst 0xe3a00f40    @ mov r0, #256 via rot 30
        .inst 0xe3a00c01    @ mov r0, #256 canonical
        .inst 0xe3a00200    @ mov r0, #0 rot 4
@ --- data processing, register and register-shifted register ---
        .irp op, and, eor, sub, rsb, add, adc, sbc, rsc, orr, bic
        \op r0, r1, r2
        \op\()s r3, r4, r5, lsl #1
        \op\()ge r6, r7, r8, lsl #31
        \op\()slt r9, r10, r11, lsr #1
        \op r12, sp, lr, lsr #32
        \op r0, r1, r2, asr #32
        \op\()gt r0, r1, r2, asr #7
        \op r0, r1, r2, ror #1
        \op\()le r0, r1, r2, ror #31
        \op r0, r1, r2, rrx
        \op\()s r0, r1, r2, lsl r3
        \op r0, r1, r2, lsr r3
        \op r0, r1, r2, asr r3
        \op\()al r0, r1, r2, ror r3
        .endr
        .irp op, tst, teq, cmp, cmn
        \op r0, r1
        \op r2, r3, lsl #4
        \op\()eq r4, r5, lsr #32
        \op r6, r7, asr r8
        \op r9, r10, rrx
        .endr
        mov r0, r1
        movs r2, r3
        moveq pc, lr
        mov r0, r0
        moveq r0, r0
        movs pc, lr
        lsl r0, r1, #1
        lsls r0, r1, #31
        lsr r0, r1, #1
        lsrs r0, r1, #32
        asr r0, r1, #1
        asrs r0, r1, #32
        ror r0, r1, #1
        rors r0, r1, #31
        rrx r0, r1
        rrxs r0, r1
        lslne r0, r1, r2
        lsrs r0, r1, r2
        asr r0, r1, r2
        rorseq r0, r1, r2
        mvn r0, r1
        mvns r0, r1, lsl #2
        mvn r0, r1, ror r2
        mvneq r0, r1, rrx
@ --- multiplies (A5.2.5, A5.2.7, A5.4.4) ---
        mul r0, r1, r2
        muls r3, r4, r5
        mulne r0, r1, r0
        mla r0, r1, r2, r3
        mlas r4, r5, r6, r7
        mls r0, r1, r2, r3
        mlseq r12, r11, r10, r9
        umaal r0, r1, r2, r3
        umull r0, r1, r2, r3
        umulls r0, r1, r2, r3
        umlal r4, r5, r6, r7
        umlalsgt r4, r5, r6, r7
        smull r0, r1, r2, r3
        smulls r0, r1, r2, r3
        smlal r0, r1, r2, r3
        smlals r0, r1, r2, r3
        .irp xy, bb, bt, tb, tt
        smla\xy r0, r1, r2, r3
        smul\xy r4, r5, r6
        smlal\xy r0, r1, r2, r3
        .endr
        smlawb r0, r1, r2, r3
        smlawt r0, r1, r2, r3
        smulwb r0, r1, r2
        smulwtne r0, r1, r2
        smlad r0, r1, r2, r3
        smladx r0, r1, r2, r3
        smuad r0, r1, r2
        smuadx r0, r1, r2
        smlsd r0, r1, r2, r3
        smlsdx r0, r1, r2, r3
        smusd r0, r1, r2
        smusdx r0, r1, r2
        smlald r0, r1, r2, r3
        smlaldx r0, r1, r2, r3
        smlsld r0, r1, r2, r3
        smlsldx r0, r1, r2, r3
        smmla r0, r1, r2, r3
        smmlar r0, r1, r2, r3
        smmul r0, r1, r2
        smmulr r0, r1, r2
        smmls r0, r1, r2, r3
        smmlsr r0, r1, r2, r3
        sdiv r0, r1, r2
        udiv r3, r4, r5
        sdivne r0, r1, r2
        usad8 r0, r1, r2
        usada8 r0, r1, r2, r3
@ --- saturating and miscellaneous (A5.2.6, A5.2.12) ---
        qadd r0, r1, r2
        qsub r0, r1, r2
        qdadd r0, r1, r2
        qdsub r0, r1, r2
        qaddeq r0, r1, r2
        clz r0, r1
        clzne r2, r3
        bx lr
        bxeq r0
        blx r3
        blxne r12
        bxj r0
        bkpt 0
        bkpt 0xffff
        bkpt 0x1234
        svc 0
        svc 0xffffff
        svcne 0x12
        hvc 0
        hvc 0xffff
        smc 0
        smc 15
        smceq 1
        udf 0
        udf 0xffff
        eret
        eretne
@ --- status registers (A5.2.11, B9.3) ---
        mrs r0, cpsr
        mrs r1, spsr
        mrsne r2, apsr
        msr cpsr_c, r0
        msr cpsr_x, r0
        msr cpsr_s, r0
        msr cpsr_f, r0
        msr cpsr_fsxc, r0
        msr spsr_fc, r1
        msr spsr_sx, r1
        msr apsr_nzcvq, r2
        msr apsr_g, r2
        msr apsr_nzcvqg, r2
        msreq cpsr_c, r3
        msr cpsr_c, #0x13
        msr cpsr_f, #0xf0000000
        msr spsr_fsxc, #0x1d0
        msr apsr_nzcvq, #0x80000000
        .irp b, r8_usr, r9_usr, r10_usr, r11_usr, r12_usr, sp_usr, lr_usr, r8_fiq, r9_fiq, r10_fiq, r11_fiq, r12_fiq, sp_fiq, lr_fiq, lr_irq, sp_irq, lr_svc, sp_svc, lr_abt, sp_abt, lr_und, sp_und, lr_mon, sp_mon, elr_hyp, sp_hyp, spsr_fiq, spsr_irq, spsr_svc, spsr_abt, spsr_und, spsr_mon, spsr_hyp
        mrs r0, \b
        msr \b, r1
        .endr
@ --- hints, barriers, unconditional (A5.2.11, A5.7) ---
        nop
        yield
        wfe
        wfi
        sev
        nopeq
        wfine
        dbg #0
        dbg #15
        .inst 0xe320f005
        .inst 0xe320f006
        .inst 0xe320f07f
        .inst 0xe320f080
        .inst 0xe320f0ef
        .inst 0xe320f010
        .inst 0xe320f014
        dmb sy
        dmb st
        dmb ish
        dmb ishst
        dmb nsh
        dmb nshst
        dmb osh
        dmb oshst
        .irp o, 0, 1, 4, 5, 8, 9, 12, 13
        dmb #\o
        dsb #\o
        isb #\o
        .endr
        dsb sy
        dsb st
        dsb ish
        dsb ishst
        dsb nsh
        dsb nshst
        dsb osh
        dsb oshst
        isb sy
        isb
        clrex
        cpsie a
        cpsie i
        cpsie f
        cpsie aif
        cpsid if
        cpsid aif, #17
        cpsie i, #31
        cps #16
        cps #19
        cps #26
        setend le
        setend be
        srsda sp, #19
        srsia sp, #19
        srsdb sp, #19
        srsib sp, #19
        srsda sp!, #22
        srsia sp!, #26
        srsdb sp!, #31
        srsib sp!, #17
        rfeda r0
        rfeia r1
        rfedb r2!
        rfeib lr!
        rfeia sp!
        pld [r0]
        pld [r1, #4]
        pld [r2, #-4]
        pld [r3, #4095]
        pld [r4, #-4095]
        pld [r0, r1]
        pld [r0, -r1]
        pld [r0, r1, lsl #2]
        pld [r0, -r1, asr #32]
        pld [pc, #16]
        pld [pc, #-16]
        pldw [r0]
        pldw [r1, #-8]
        pldw [r0, r1, ror #3]
        pli [r0]
        pli [r1, #12]
        pli [r1, #-12]
        pli [r0, r1]
        pli [r0, -r1, lsr #1]
@ --- branches (A5.5, A5.7) ---
branches:
        b branches
        beq branches
        bl branches
        blne start
        blx start
        blx thumb_target
        b forward
        bllt forward
        blx forward
        bcs forward + 8
        bcc forward - 4
        bmi forward
        bpl forward
        bvs forward
        bvc forward
        bhi forward
        bls forward
        bge forward
        blt forward
        bgt forward
        ble forward
        bal forward
forward:
        nop
        .thumb
thumb_target:
        nop
        .arm
        .align 2
@ --- loads and stores, word and byte (A5.3) ---
        ldr r0, [r1]
        ldr r0, [r1, #4]
        ldr r0, [r1, #-4]
        ldr r0, [r1, #4095]
        ldr r0, [r1, #-4095]
        ldr r0, [r1, #0]!
        ldr r0, [r1, #4]!
        ldr r0, [r1, #-4]!
        ldr r0, [r1], #4
        ldr r0, [r1], #-4
        ldr r0, [r1], #0
        ldr r0, [r1, #-0]
        ldr r0, [r1], #-0
        ldr r0, [r1, r2]
        ldr r0, [r1, -r2]
        ldr r0, [r1, r2, lsl #2]
        ldr r0, [r1, -r2, lsr #32]
        ldr r0, [r1, r2, asr #1]
        ldr r0, [r1, r2, ror #31]
        ldr r0, [r1, r2, rrx]
        ldr r0, [r1, r2]!
        ldr r0, [r1, -r2, lsl #3]!
        ldr r0, [r1], r2
        ldr r0, [r1], -r2
        ldr r0, [r1], r2, asr #4
        ldr r0, [pc, #8]
        ldr r0, [pc, #-8]
        ldr r0, [pc]
        ldr pc, [sp], #4
        ldr r0, [sp], #4
        ldr r0, [sp], #8
        str r0, [sp, #-4]!
        str r0, [sp, #-8]!
        push {lr}
        pop {pc}
        ldrne r0, [r1]
        ldrb r0, [r1]
        ldrbeq r0, [r1, #-1]!
        ldrb r0, [r1], r2, lsl #1
        str r0, [r1]
        str r0, [r1, #4]!
        strhi r0, [r1], -r2
        strb r0, [r1, #255]
        strb r0, [r1, -r2]
        strbls r0, [r1], #1
        ldrt r0, [r1]
        ldrt r0, [r1], #4
        ldrt r0, [r1], #-4
        ldrt r0, [r1], r2
        ldrt r0, [r1], -r2, lsl #2
        ldrbt r0, [r1], #1
        ldrbt r0, [r1], r2
        strt r0, [r1], #4
        strtne r0, [r1], r2
        strbt r0, [r1], #-1
        strbt r0, [r1], -r2, asr #2
@ --- halfword, signed byte, doubleword (A5.2.8) ---
        .irp op, ldrh, strh, ldrsb, ldrsh
        \op r0, [r1]
        \op r0, [r1, #255]
        \op r0, [r1, #-255]
        \op r0, [r1, #-0]
        \op r0, [r1, #8]!
        \op r0, [r1, #-8]!
        \op r0, [r1], #8
        \op r0, [r1], #-8
        \op r0, [r1, r2]
        \op r0, [r1, -r2]
        \op r0, [r1, r2]!
        \op r0, [r1], r2
        \op r0, [r1], -r2
        \op\()eq r0, [r1]
        .endr
        ldrh r0, [pc, #4]
        ldrsh r0, [pc, #-4]
        ldrd r0, r1, [r2]
        ldrd r0, r1, [r2, #8]
        ldrd r0, r1, [r2, #-8]!
        ldrd r2, r3, [r4], #16
        ldrd r4, r5, [r6, r7]
        ldrd r4, r5, [r6, -r7]!
        ldrd r4, r5, [r6], r7
        ldrdne r0, r1, [pc, #16]
        strd r0, r1, [r2]
        strd r0, r1, [r2, #255]
        strd r0, r1, [r2, #-8]!
        strd r2, r3, [r4], #-16
        strd r4, r5, [r6, r7]
        strdeq r4, r5, [r6], -r7
        ldrht r0, [r1]
        ldrht r0, [r1], #2
        ldrht r0, [r1], #-2
        ldrht r0, [r1], r2
        strht r0, [r1], #4
        strht r0, [r1], -r2
        ldrsbt r0, [r1], #1
        ldrsbt r0, [r1], r2
        ldrsht r0, [r1], #-2
        ldrsht r0, [r1], -r2
@ --- load/store multiple (A5.5) ---
        ldm r0, {r1}
        ldm r0!, {r1, r2, r3}
        ldmia r0, {r0-r15}
        ldmda r0, {r1, r3}
        ldmda r0!, {r1, r3}
        ldmdb r0, {r4-r7}
        ldmdb r0!, {r4-r7}
        ldmib r0, {r8-r12}
        ldmib r0!, {r8-r12}
        stm r0, {r1}
        stm r0!, {r1, r2, r3}
        stmda r0, {r1, r3}
        stmda r0!, {r1, r3}
        stmdb r0, {r4-r7}
        stmdb r0!, {r4-r7}
        stmib r0, {r8-r12}
        stmib r0!, {r8-r12}
        ldmeq r1!, {r2, pc}
        push {r0, r1}
        push {r4-r11, lr}
        pop {r0, r1}
        pop {r4-r11, pc}
        pushne {r0-r12, lr}
        popeq {r0, pc}
        stmdb sp!, {r0}
        ldmia sp!, {r1}
        stmia sp!, {r0, r1}
        ldmdb sp!, {r0, r1}
        stmdb sp, {r0, r1}
        ldmia sp, {r0, r1}
        ldm r0, {r1, r2}^
        ldm r0!, {r1, pc}^
        stm r0, {r1, r2}^
        stmdb sp, {r13, r14}^
        ldmib r0, {r0-r7}^
@ --- synchronization (A5.2.10) ---
        swp r0, r1, [r2]
        swpb r0, r1, [r2]
        swpne r3, r3, [r4]
        ldrex r0, [r1]
        ldrexb r0, [r1]
        ldrexh r0, [r1]
        ldrexd r0, r1, [r2]
        ldrexdeq r2, r3, [r4]
        strex r0, r1, [r2]
        strexb r0, r1, [r2]
        strexh r0, r1, [r2]
        strexd r0, r2, r3, [r4]
        strexne r0, r1, [r2]
@ --- media (A5.4) ---
        .irp p, s, q, sh, u, uq, uh
        \p\()add16 r0, r1, r2
        \p\()asx r0, r1, r2
        \p\()sax r0, r1, r2
        \p\()sub16 r0, r1, r2
        \p\()add8 r0, r1, r2
        \p\()sub8 r0, r1, r2
        .endr
        sadd16eq r3, r4, r5
        pkhbt r0, r1, r2
        pkhbt r0, r1, r2, lsl #1
        pkhbt r0, r1, r2, lsl #31
        pkhtb r0, r1, r2, asr #1
        pkhtb r0, r1, r2, asr #32
        pkhtbne r0, r1, r2, asr #16
        ssat r0, #1, r1
        ssat r0, #32, r1
        ssat r0, #16, r1, lsl #1
        ssat r0, #16, r1, lsl #31
        ssat r0, #8, r1, asr #1
        ssat r0, #8, r1, asr #31
        ssat r0, #8, r1, asr #32
        usat r0, #0, r1
        usat r0, #31, r1
        usat r0, #15, r1, lsl #4
        usat r0, #15, r1, asr #4
        ssat16 r0, #1, r1
        ssat16 r0, #16, r1
        usat16 r0, #0, r1
        usat16 r0, #15, r1
        ssatne r0, #4, r1
        .irp op, sxtb, sxth, sxtb16, uxtb, uxth, uxtb16
        \op r0, r1
        \op r0, r1, ror #8
        \op r0, r1, ror #16
        \op\()eq r0, r1, ror #24
        .endr
        .irp op, sxtab, sxtah, sxtab16, uxtab, uxtah, uxtab16
        \op r0, r1, r2
        \op r0, r1, r2, ror #8
        \op r0, r1, r2, ror #16
        \op\()ne r0, r1, r2, ror #24
        .endr
        sel r0, r1, r2
        selgt r0, r1, r2
        rev r0, r1
        rev16 r0, r1
        revsh r0, r1
        rbit r0, r1
        reveq r0, r1
        sbfx r0, r1, #0, #1
        sbfx r0, r1, #0, #32
        sbfx r0, r1, #31, #1
        sbfx r0, r1, #4, #8
        ubfx r0, r1, #0, #1
        ubfx r0, r1, #0, #32
        ubfx r0, r1, #16, #16
        ubfxne r0, r1, #3, #5
        bfc r0, #0, #1
        bfc r0, #0, #32
        bfc r0, #31, #1
        bfc r0, #8, #8
        bfi r0, r1, #0, #1
        bfi r0, r1, #0, #32
        bfi r0, r1, #12, #4
        bfieq r0, r1, #31, #1
@ --- coprocessor (A5.6) ---
        mcr p15, 0, r0, c1, c0, 0
        mcr p15, 0, r0, c7, c5, 4
        mcr p14, 7, r12, c15, c15, 7
        mcrne p15, 4, r0, c12, c0, 0
        mrc p15, 0, r0, c0, c0, 5
        mrc p15, 0, apsr_nzcv, c7, c14, 3
        mrceq p14, 1, r3, c2, c3, 4
        mcr2 p7, 1, r0, c1, c2, 3
        mrc2 p7, 1, r0, c1, c2, 3
        mcrr p15, 0, r0, r1, c2
        mcrr p15, 15, r2, r3, c15
        mrrc p15, 1, r0, r1, c14
        mrrcne p15, 0, r0, r1, c2
        mcrr2 p7, 1, r0, r1, c2
        mrrc2 p7, 1, r0, r1, c2
        cdp p7, 0, c0, c1, c2, 0
        cdp p7, 15, c15, c14, c13, 7
        cdpne p3, 1, c2, c3, c4, 5
        cdp2 p7, 1, c2, c3, c4, 5
        ldc p14, c5, [r1]
        ldc p14, c5, [r1, #4]
        ldc p14, c5, [r1, #-1020]
        ldc p14, c5, [r1, #8]!
        ldc p14, c5, [r1, #-8]!
        ldc p14, c5, [r1], #8
        ldc p14, c5, [r1], #-8
        ldc p14, c5, [r1], {0}
        ldc p14, c5, [r1], {255}
        ldcl p14, c5, [r1, #4]
        ldceq p14, c5, [r1, #4]
        ldcleq p14, c5, [r1, #4]
        ldc p14, c5, [pc, #16]
        stc p14, c5, [r1]
        stcl p14, c5, [r1, #-4]!
        stc p14, c5, [r1], #1020
        stcne p14, c5, [r1], {4}
        ldc2 p7, c5, [r1, #4]
        ldc2l p7, c5, [r1], #-4
        stc2 p7, c5, [r1, #4]!
        stc2l p7, c5, [r1], {3}
@ --- VFP/Advanced SIMD loads, stores and transfers (A7.6, A7.8) ---
        vldr d0, [r1]
        vldr d31, [r1, #8]
        vldr d15, [r1, #-8]
        vldr d1, [r2, #1020]
        vldr d1, [r2, #-1020]
        vldr s0, [r1]
        vldr s31, [r1, #4]
        vldr s1, [r1, #-4]
        vldr s2, [pc, #16]
        vldr d2, [pc, #-16]
        vldreq d2, [r3]
        vstr d0, [r1]
        vstr d16, [r1, #8]
        vstr s3, [r1, #-4]
        vstrne s3, [sp, #4]
        vldmia r0, {d0}
        vldmia r0!, {d0-d2}
        vldmia r0, {d16-d31}
        vldmia r0, {s0}
        vldmia r0!, {s1-s2}
        vldmia r0, {s0-s31}
        vldmdb r0!, {d0-d3}
        vldmdb r0!, {s5-s9}
        vstmia r0, {d0-d15}
        vstmia r0!, {s30-s31}
        vstmdb r0!, {d8-d15}
        vstmdb r0!, {s1}
        vstmiaeq r1, {d4-d5}
        vpush {d8-d15}
        vpush {d0}
        vpush {s0-s3}
        vpush {s31}
        vpop {d8-d15}
        vpop {s16-s31}
        vpushne {d8}
        vpopeq {s2-s5}
        vldmia sp, {d0-d1}
        vstmdb sp!, {d0}
        .inst 0xecb00b03    @ fldmiax r0!, {d0}
        .inst 0xed200b03    @ fstmdbx r0!, {d0}
        vmov r0, s0
        vmov r1, s31
        vmov s0, r0
        vmov s31, lr
        vmoveq r2, s15
        vmov s0, s1, r0, r1
        vmov s30, s31, r2, r3
        vmov r0, r1, s0, s1
        vmov r2, r3, s30, s31
        vmov d0, r0, r1
        vmov d31, r2, r3
        vmov r0, r1, d0
        vmov r2, r3, d31
        vmovne r4, r5, d7
        vmov.32 d0[0], r0
        vmov.32 d31[1], r1
        vmov.16 d0[0], r0
        vmov.16 d1[3], r1
        vmov.8 d0[0], r0
        vmov.8 d2[7], r1
        vmov.32 r0, d0[0]
        vmov.32 r1, d31[1]
        vmov.s16 r0, d0[1]
        vmov.u16 r0, d0[3]
        vmov.s8 r0, d0[5]
        vmov.u8 r0, d0[7]
        vmoveq.32 r2, d3[1]
        vdup.32 d0, r0
        vdup.16 d1, r1
        vdup.8 d31, r2
        vdup.32 q0, r0
        vdup.16 q1, r1
        vdup.8 q15, r2
        vmrs r0, fpscr
        vmrs APSR_nzcv, fpscr
        vmrs r1, fpsid
        vmrs r2, fpexc
        vmrs r3, mvfr0
        vmrs r4, mvfr1
        vmrs r5, fpinst
        vmrs r6, fpinst2
        vmrsne r0, fpscr
        vmsr fpscr, r0
        vmsr fpexc, r1
        vmsr fpsid, r2
        vmsr fpinst, r3
        vmsr fpinst2, r4
        vmsreq fpscr, r5
@ --- Advanced SIMD element and structure loads/stores (A7.7) ---
        vld1.8 {d0}, [r0]
        vld1.16 {d0, d1}, [r0 :128]!
        vld1.32 {d0-d2}, [r0 :64], r2
        vld1.64 {d0-d3}, [r0 :256]
        vst1.8 {d31}, [r0]
        vst1.64 {d30-d31}, [sp]!
        vld2.8 {d0, d1}, [r0]
        vld2.16 {d0, d2}, [r0 :64]
        vld2.32 {d0-d3}, [r0 :128]!
        vst2.8 {d0, d2}, [r1], r3
        vld3.8 {d0, d1, d2}, [r0]
        vld3.16 {d0, d2, d4}, [r0 :64]
        vst3.32 {d1-d3}, [r4]!
        vld4.8 {d0, d1, d2, d3}, [r0]
        vld4.32 {d0, d2, d4, d6}, [r0 :256]!
        vst4.16 {d4-d7}, [r5 :128], r6
        vld1.8 {d0[3]}, [r0]
        vld1.8 {d7[7]}, [r0]!
        vld1.16 {d0[2]}, [r0 :16]
        vld1.32 {d0[1]}, [r0 :32]!
        vst1.32 {d5[0]}, [r0], r4
        vst1.16 {d31[3]}, [r12]
        vld2.8 {d0[1], d1[1]}, [r0 :16]
        vld2.16 {d0[1], d2[1]}, [r0]
        vld2.16 {d0[3], d1[3]}, [r0 :32]
        vld2.32 {d0[1], d1[1]}, [r0 :64]
        vst2.32 {d0[0], d2[0]}, [r1]!
        vld3.8 {d0[1], d1[1], d2[1]}, [r0]
        vld3.16 {d0[1], d2[1], d4[1]}, [r0]!
        vst3.32 {d0[1], d1[1], d2[1]}, [r0], r1
        vld4.8 {d0[1], d1[1], d2[1], d3[1]}, [r0 :32]
        vld4.16 {d0[1], d2[1], d4[1], d6[1]}, [r0 :64]
        vld4.32 {d0[1], d1[1], d2[1], d3[1]}, [r0 :128]
        vld4.32 {d0[0], d2[0], d4[0], d6[0]}, [r0 :64]
        vst4.8 {d0[1], d1[1], d2[1], d3[1]}, [r0]
        vld1.8 {d0[]}, [r0]
        vld1.16 {d0[], d1[]}, [r0 :16]
        vld1.32 {d0[]}, [r0 :32]!
        vld2.8 {d0[], d1[]}, [r0 :16]
        vld2.16 {d0[], d2[]}, [r0]
        vld2.32 {d0[], d1[]}, [r0 :64], r3
        vld3.32 {d0[], d1[], d2[]}, [r0]
        vld3.8 {d0[], d2[], d4[]}, [r0]!
        vld4.8 {d0[], d1[], d2[], d3[]}, [r0 :32]
        vld4.16 {d0[], d1[], d2[], d3[]}, [r0 :64], r5
        vld4.32 {d0[], d2[], d4[], d6[]}, [r0 :128]
        vld4.32 {d0[], d1[], d2[], d3[]}, [r0 :64]
@ --- Advanced SIMD data processing (A7.4) ---
        vhadd.s8 d0, d1, d2
        vhadd.u16 q0, q1, q2
        vqadd.s64 d0, d1, d2
        vrhadd.u32 q8, q9, q10
        vand d0, d1, d2
        vbic q0, q1, q2
        vorr d0, d1, d2
        vmov d0, d1
        vorn d0, d1, d2
        veor q0, q1, q2
        vbsl d0, d1, d2
        vbit d0, d1, d2
        vbif q0, q1, q2
        vhsub.s8 d0, d1, d2
        vqsub.u64 q0, q1, q2
        vcgt.s8 d0, d1, d2
        vcge.u32 q0, q1, q2
        vshl.s8 d0, d1, d2
        vqshl.u16 d0, d1, d2
        vrshl.s32 d0, d1, d2
        vqrshl.u64 q0, q1, q2
        vmax.s8 d0, d1, d2
        vmin.u16 d0, d1, d2
        vabd.s32 d0, d1, d2
        vaba.u8 q0, q1, q2
        vadd.i8 d0, d1, d2
        vsub.i64 q0, q1, q2
        vtst.8 d0, d1, d2
        vceq.i16 d0, d1, d2
        vmla.i32 d0, d1, d2
        vmls.i8 q0, q1, q2
        vmul.i16 d0, d1, d2
        vmul.p8 d0, d1, d2
        vpmax.s8 d0, d1, d2
        vpmin.u32 d0, d1, d2
        vqdmulh.s16 d0, d1, d2
        vqrdmulh.s32 q0, q1, q2
        vpadd.i16 d0, d1, d2
        vfma.f32 d0, d1, d2
        vfms.f32 q0, q1, q2
        vadd.f32 d0, d1, d2
        vsub.f32 q0, q1, q2
        vpadd.f32 d0, d1, d2
        vabd.f32 d0, d1, d2
        vmla.f32 d0, d1, d2
        vmls.f32 q0, q1, q2
        vmul.f32 d0, d1, d2
        vceq.f32 d0, d1, d2
        vcge.f32 d0, d1, d2
        vcgt.f32 q0, q1, q2
        vacge.f32 d0, d1, d2
        vacgt.f32 d0, d1, d2
        vmax.f32 d0, d1, d2
        vmin.f32 d0, d1, d2
        vpmax.f32 d0, d1, d2
        vpmin.f32 d0, d1, d2
        vrecps.f32 d0, d1, d2
        vrsqrts.f32 q0, q1, q2
        vmov.i32 d0, #0xff
        vmov.i32 d0, #0xff00
        vmov.i32 q0, #0xff0000
        vmov.i32 d0, #0xff000000
        vmov.i16 d0, #0xff
        vmov.i16 q0, #0xff00
        vmov.i32 d0, #0x1ff
        vmov.i32 d0, #0x1ffff
        vmov.i8 d0, #0x55
        vmov.i64 d0, #0xff00ff00ff00ff00
        vmov.f32 d0, #1.0
        vmvn.i32 d0, #0xff
        vmvn.i16 q0, #0xff00
        vmvn.i32 d0, #0x1ff
        vorr.i32 d0, #0xff00
        vbic.i16 q0, #0xff
        vbic.i32 d0, #0xff000000
        vshr.s8 d0, d1, #1
        vshr.u64 q0, q1, #64
        vsra.s16 d0, d1, #3
        vrshr.u32 d0, d1, #32
        vrsra.s64 q0, q1, #1
        vsri.8 d0, d1, #8
        vshl.i16 d0, d1, #15
        vsli.32 d0, d1, #0
        vqshlu.s8 d0, d1, #7
        vqshl.s64 q0, q1, #63
        vqshl.u8 d0, d1, #0
        vshrn.i16 d0, q1, #8
        vrshrn.i32 d0, q1, #1
        vqshrun.s16 d0, q1, #1
        vqrshrun.s64 d0, q1, #32
        vqshrn.s32 d0, q1, #16
        vqshrn.u16 d0, q1, #1
        vqrshrn.s64 d0, q1, #1
        vshll.s8 q0, d1, #1
        vshll.u32 q0, d1, #31
        vmovl.s8 q0, d1
        vmovl.u16 q0, d1
        vcvt.s32.f32 d0, d1, #1
        vcvt.f32.u32 q0, q1, #32
        vaddl.s8 q0, d1, d2
        vaddw.u16 q0, q1, d2
        vsubl.s32 q0, d1, d2
        vsubw.u8 q0, q1, d2
        vaddhn.i16 d0, q1, q2
        vraddhn.i32 d0, q1, q2
        vabal.s8 q0, d1, d2
        vsubhn.i64 d0, q1, q2
        vrsubhn.i16 d0, q1, q2
        vabdl.u16 q0, d1, d2
        vmlal.s8 q0, d1, d2
        vmlsl.u32 q0, d1, d2
        vqdmlal.s16 q0, d1, d2
        vqdmlsl.s32 q0, d1, d2
        vmull.s8 q0, d1, d2
        vmull.p8 q0, d1, d2
        vqdmull.s16 q0, d1, d2
        vmla.i16 d0, d1, d2[3]
        vmla.f32 q0, q1, d2[1]
        vmls.i32 d0, d1, d15[1]
        vmls.f32 d0, d1, d2[0]
        vmlal.s16 q0, d1, d2[1]
        vmlsl.u32 q0, d1, d2[1]
        vqdmlal.s16 q0, d1, d2[2]
        vqdmlsl.s32 q0, d1, d2[0]
        vmul.i16 q0, q1, d2[3]
        vmul.f32 d0, d1, d2[1]
        vmull.s16 q0, d1, d2[1]
        vqdmull.s32 q0, d1, d2[1]
        vqdmulh.s16 d0, d1, d2[1]
        vqrdmulh.s32 q0, q1, d2[1]
        vext.8 d0, d1, d2, #3
        vext.8 q0, q1, q2, #15
        vext.16 d0, d1, d2, #1
        vrev64.8 d0, d1
        vrev32.16 q0, q1
        vrev16.8 d0, d1
        vpaddl.s8 d0, d1
        vpaddl.u16 q0, q1
        vcls.s8 d0, d1
        vclz.i16 d0, d1
        vcnt.8 d0, d1
        vmvn d0, d1
        vpadal.s32 d0, d1
        vqabs.s8 d0, d1
        vqneg.s16 q0, q1
        vcgt.s8 d0, d1, #0
        vcge.s16 d0, d1, #0
        vceq.i32 d0, d1, #0
        vcle.s8 q0, q1, #0
        vclt.s32 d0, d1, #0
        vcgt.f32 d0, d1, #0
        vceq.f32 d0, d1, #0
        vabs.s8 d0, d1
        vneg.s32 q0, q1
        vabs.f32 d0, d1
        vneg.f32 d0, d1
        vswp d0, d1
        vtrn.8 d0, d1
        vuzp.16 q0, q1
        vzip.32 d0, d1
        vmovn.i16 d0, q1
        vqmovun.s32 d0, q1
        vqmovn.s64 d0, q1
        vqmovn.u16 d0, q1
        vshll.i8 q0, d1, #8
        vshll.i32 q0, d1, #32
        vcvt.f16.f32 d0, q1
        vcvt.f32.f16 q0, d1
        vrecpe.u32 d0, d1
        vrsqrte.f32 q0, q1
        vcvt.s32.f32 d0, d1
        vcvt.f32.u32 q0, q1
        vtbl.8 d0, {d1}, d2
        vtbl.8 d0, {d1-d4}, d5
        vtbx.8 d0, {d1-d2}, d3
        vdup.8 d0, d1[7]
        vdup.16 q0, d1[3]
        vdup.32 d0, d31[1]
        vmov q0, q1
        vmul.p8 q0, q1, q2
        vmov.f32 d0, #0.5
        vmov.f32 q0, #-2.0
        vmov.f32 d0, #0.1328125
        .inst 0xf3800e30
        .inst 0xf3800c30
@ --- VFP data processing (A7.5) ---
        .irp op, vadd, vsub, vmul, vnmul, vdiv, vmla, vmls, vnmla, vnmls, vfma, vfms, vfnma, vfnms
        \op\().f32 s0, s1, s2
        \op\().f64 d0, d1, d2
        \op\().f32 s31, s30, s29
        \op\().f64 d31, d16, d15
        .endr
        vaddeq.f32 s0, s1, s2
        .irp op, vabs, vneg, vsqrt, vmov
        \op\().f32 s0, s1
        \op\().f64 d0, d1
        \op\().f64 d31, d17
        .endr
        vcmp.f32 s0, s1
        vcmpe.f32 s0, s1
        vcmp.f64 d0, d1
        vcmpe.f64 d0, d1
        vcmp.f32 s0, #0
        vcmpe.f64 d0, #0
        vmov.f32 s0, #1.0
        vmov.f32 s0, #-2.0
        vmov.f64 d0, #0.5
        vmov.f64 d1, #31.0
        vmov.f32 s2, #0.125
        vcvt.f64.f32 d0, s1
        vcvt.f32.f64 s0, d1
        vcvt.s32.f32 s0, s1
        vcvt.u32.f32 s0, s1
        vcvtr.s32.f32 s0, s1
        vcvtr.u32.f64 s0, d1
        vcvt.s32.f64 s0, d1
        vcvt.f32.s32 s0, s1
        vcvt.f32.u32 s0, s1
        vcvt.f64.s32 d0, s1
        vcvt.f64.u32 d0, s1
        vcvt.s16.f32 s0, s0, #1
        vcvt.u16.f32 s0, s0, #16
        vcvt.s32.f32 s0, s0, #1
        vcvt.u32.f64 d0, d0, #32
        vcvt.f32.s16 s0, s0, #8
        vcvt.f64.u32 d0, d0, #20
        vcvtb.f32.f16 s0, s1
        vcvtt.f32.f16 s0, s1
        vcvtb.f16.f32 s0, s1
        vcvtt.f16.f32 s0, s1
end:
        nop
