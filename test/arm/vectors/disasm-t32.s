@ Hand-written Thumb (T16 and T32) corpus for the disassembler tests: every
@ instruction form of ARMv7-A Thumb-2 (ARM ARM DDI 0406C chapter A6), IT
@ blocks, and the VFP forms. scripts/record-disasm-vectors.ts assembles it.
        .syntax unified
        .cpu cortex-a15
        .fpu neon-vfpv4
        .arch_extension virt
        .arch_extension sec
        .arch_extension idiv
        .arch_extension mp
        .thumb
        .text
start:
@ --- 16-bit: shift, add, subtract, move, compare (A6.2.1) ---
        lsls r0, r1, #1
        lsls r7, r6, #31
        movs r0, r1
        lsrs r0, r1, #1
        lsrs r0, r1, #32
        asrs r2, r3, #5
        asrs r2, r3, #32
        adds r0, r1, r2
        subs r5, r6, r7
        adds r0, r1, #0
        adds r0, r1, #7
        subs r0, r1, #1
        subs r0, r1, #7
        movs r0, #0
        movs r7, #255
        cmp r0, #0
        cmp r7, #255
        adds r0, #1
        adds r7, #255
        subs r0, #1
        subs r7, #255
@ --- 16-bit data processing (A6.2.2) ---
        ands r0, r1
        eors r2, r3
        lsls r4, r5
        lsrs r6, r7
        asrs r0, r1
        adcs r2, r3
        sbcs r4, r5
        rors r6, r7
        tst r0, r1
        rsbs r2, r3, #0
        cmp r4, r5
        cmn r6, r7
        orrs r0, r1
        muls r2, r3, r2
        bics r4, r5
        mvns r6, r7
@ --- 16-bit special data processing, branch and exchange (A6.2.3) ---
        add r0, r8
        add r8, r0
        add r12, lr
        add sp, r1
        add r1, sp
        add pc, r2
        cmp r0, r8
        cmp r8, r0
        cmp r10, r12
        mov r0, r8
        mov r8, r0
        mov r0, r1
        mov sp, r7
        mov pc, lr
        bx lr
        bx r0
        bx pc
        blx r1
        blx lr
@ --- 16-bit loads and stores (A6.2.4) ---
        ldr r0, [pc, #0]
        ldr r1, [pc, #4]
        ldr r7, [pc, #1020]
        str r0, [r1, r2]
        strh r0, [r1, r2]
        strb r0, [r1, r2]
        ldrsb r0, [r1, r2]
        ldr r0, [r1, r2]
        ldrh r0, [r1, r2]
        ldrb r0, [r1, r2]
        ldrsh r0, [r1, r2]
        str r0, [r1]
        str r0, [r1, #4]
        str r0, [r1, #124]
        ldr r0, [r1]
        ldr r0, [r1, #124]
        strb r0, [r1]
        strb r0, [r1, #31]
        ldrb r0, [r1, #1]
        strh r0, [r1]
        strh r0, [r1, #62]
        ldrh r0, [r1, #2]
        str r0, [sp]
        str r0, [sp, #1020]
        ldr r7, [sp, #4]
        add r0, pc, #0
        add r1, pc, #1020
        adr r2, start
        add r0, sp, #0
        add r7, sp, #1020
@ --- 16-bit miscellaneous (A6.2.5) ---
        add sp, #0
        add sp, #508
        sub sp, #4
        sub sp, #508
        sxth r0, r1
        sxtb r2, r3
        uxth r4, r5
        uxtb r6, r7
        push {r0}
        push {r0-r7}
        push {r4, lr}
        push {lr}
        pop {r0}
        pop {r4-r7, pc}
        pop {pc}
        setend be
        setend le
        cpsie i
        cpsid f
        cpsie aif
        cpsid a
        rev r0, r1
        rev16 r2, r3
        revsh r4, r5
        bkpt 0
        bkpt 255
        nop
        yield
        wfe
        wfi
        sev
        .inst.n 0xbf50
        .inst.n 0xbff0
        cbz r0, cb1
        cbnz r7, cb1
        cbz r1, cb2
cb1:
        nop
        nop
cb2:
        nop
@ --- IT blocks (A6.2.5, A8.8.54) ---
        it eq
        moveq r0, r1
        it ne
        addne r0, r1, r2
        ite cs
        movcs r0, #1
        movcc r0, #2
        itt mi
        addmi r0, #1
        submi r1, r2, #3
        itet pl
        lslpl r0, r1, #2
        lsrmi r0, r1, r2
        andpl r0, r1
        ittee vs
        addvs r0, r0, r1
        mvnvs r0, r1
        negvc r2, r3
        mulvc r4, r5, r4
        iteee vc
        strvc r0, [r1]
        ldrvs r0, [r1, #4]
        ldrbvs r0, [r1, r2]
        bxvs lr
        itttt hi
        movhi r0, #1
        cmphi r0, #2
        tsthi r0, r1
        movhi.w r0, #0x1000
        it ls
        bls cb1
        it ge
        popge {r4, pc}
        it lt
        addlt.w r0, r1, #4096
        it gt
        blgt start
        it le
        blxle r3
        itete eq
        addeq r0, r1
        addne r0, r1
        addeq r0, r1
        addne r0, r1
        ite hi
        ldrhi.w r0, [r1, #4]
        ldrls r0, [r1, #4]
        it eq
        cmpeq.w r0, #7
        it ne
        clzne r0, r1
        it cs
        sdivcs r0, r1, r2
        ittt eq
        mrseq r0, apsr
        msreq apsr_nzcvq, r0
        nopeq
        it ne
        vaddne.f32 s0, s1, s2
@ --- 16-bit load/store multiple, branches, SVC (A6.2) ---
        stmia r0!, {r1}
        stmia r7!, {r0-r6}
        ldmia r0!, {r1, r2}
        ldmia r0, {r0, r1}
        ldm r3, {r3}
        beq b16
        bne b16
        bcs b16
        bcc b16
        bmi b16
        bpl b16
        bvs b16
        bvc b16
        bhi b16
        bls b16
        bge b16
        blt b16
        bgt b16
        ble b16
        b b16
        b.n b16
b16:
        svc 0
        svc 255
        udf 0
        udf 255
        b.n b16
        beq.n b16
@ --- 32-bit load/store multiple (A6.3.5) ---
        stmia.w r0, {r1, r2}
        stmia r0!, {r1, r8}
        stmdb r0, {r1, r2}
        stmdb r0!, {r1, lr}
        ldmia.w r0, {r1, r2}
        ldmia r0!, {r1, r8}
        ldmia r0, {r1, pc}
        ldmdb r0, {r1, r2}
        ldmdb r0!, {r1, pc}
        push.w {r0, r1}
        push {r0, r8}
        push {r4-r11, lr}
        push.w {r8}
        push.w {lr}
        pop.w {r0, r1}
        pop {r0, r8}
        pop {r4-r11, pc}
        pop.w {r8}
        pop.w {pc}
        srsdb sp, #19
        srsdb sp!, #19
        srsia sp, #19
        srsia sp!, #31
        rfedb r0
        rfedb r0!
        rfeia r1
        rfeia lr!
@ --- load/store dual, exclusive, table branch (A6.3.6) ---
        ldrex r0, [r1]
        ldrex r0, [r1, #4]
        ldrex r0, [r1, #1020]
        strex r0, r1, [r2]
        strex r0, r1, [r2, #8]
        ldrexb r0, [r1]
        ldrexh r0, [r1]
        ldrexd r0, r1, [r2]
        ldrexd r0, r2, [r3]
        strexb r0, r1, [r2]
        strexh r0, r1, [r2]
        strexd r0, r1, r2, [r3]
        strexd r0, r2, r4, [r5]
        ldrd r0, r1, [r2]
        ldrd r0, r1, [r2, #8]
        ldrd r0, r1, [r2, #-8]
        ldrd r0, r1, [r2, #1020]
        ldrd r0, r1, [r2, #-0]
        ldrd r0, r1, [r2, #8]!
        ldrd r0, r1, [r2, #-8]!
        ldrd r0, r1, [r2], #8
        ldrd r0, r1, [r2], #-8
        ldrd r0, r2, [r3]
        ldrd r0, r1, [pc, #8]
        ldrd r0, r1, [pc, #-8]
        strd r0, r1, [r2]
        strd r0, r1, [r2, #-1020]
        strd r0, r1, [r2, #8]!
        strd r0, r1, [r2], #-8
        strd r0, r2, [sp, #16]
        tbb [r0, r1]
        tbb [pc, r1]
        tbh [r0, r1, lsl #1]
        tbh [pc, r2, lsl #1]
@ --- data processing, shifted register (A6.3.11) ---
        .irp op, and, bic, orr, orn, eor, add, adc, sbc, sub, rsb
        \op r0, r1, r2
        \op\()s r0, r1, r2
        \op r8, r9, r10, lsl #1
        \op\()s r0, r1, r2, lsl #31
        \op r0, r1, r2, lsr #1
        \op r0, r1, r2, lsr #32
        \op r0, r1, r2, asr #32
        \op r0, r1, r2, ror #7
        \op r0, r1, r2, rrx
        \op\().w r0, r0, r1
        .endr
        .irp op, tst, teq, cmn, cmp
        \op r8, r1
        \op\().w r0, r1
        \op r0, r1, lsl #2
        \op r0, r1, asr #32
        \op r0, r1, rrx
        .endr
        mov.w r0, r1
        movs.w r0, r1
        mov r8, r9
        mov r0, r1, lsl #3
        movs r8, r1, lsr #4
        mov.w r0, r1, asr #32
        lsl.w r0, r1, #1
        lsls.w r0, r1, #31
        lsr.w r0, r1, #32
        asr.w r8, r9, #1
        ror r0, r1, #5
        rors r0, r1, #31
        rrx r0, r1
        rrxs r8, r9
        mvn r8, r9
        mvn.w r0, r1
        mvns r0, r1, lsl #2
        mvn r0, r1, rrx
        pkhbt r0, r1, r2
        pkhbt r0, r1, r2, lsl #1
        pkhtb r0, r1, r2, asr #1
        pkhtb r0, r1, r2, asr #32
        add r0, sp, r1
        add.w r0, sp, r1, lsl #2
        adds r0, sp, r1
        add sp, sp, r1
        sub r0, sp, r1
        subs.w r0, sp, r1, lsl #1
        sub sp, sp, r1
@ --- data processing, modified immediate (A6.3.1, A6.3.2) ---
        .irp op, and, bic, orr, orn, eor, add, adc, sbc, sub, rsb
        \op r0, r1, #0
        \op\()s r0, r1, #255
        \op r8, r9, #0x00ff00ff
        \op r0, r1, #0xff00ff00
        \op r0, r1, #0xffffffff
        \op r0, r1, #0x80000000
        \op r0, r1, #0x1fe
        \op r0, r1, #0x3fc00000
        .endr
        .irp op, tst, teq, cmn, cmp
        \op r0, #1
        \op r8, #0xab00ab00
        \op\().w r0, #255
        .endr
        mov.w r0, #0
        movs.w r0, #1
        mov r8, #0x100
        mov r0, #0x55555555
        mvn r0, #0
        mvns r8, #0xff00
        add r0, sp, #8
        add.w r8, sp, #0x400
        adds r0, sp, #4
        add sp, sp, #0x400
        sub r0, sp, #0x100
        sub.w sp, sp, #0x1000
        subs pc, lr, #4
        subs pc, lr, #0
@ --- plain binary immediate (A6.3.3) ---
        addw r0, r1, #0
        addw r0, r1, #4095
        addw r0, sp, #12
        addw sp, sp, #1
        subw r0, r1, #1
        subw r8, r9, #4095
        subw sp, sp, #3
        adr.w r0, lit
        adr.w r0, start
        addw r0, pc, #1
        subw r0, pc, #1
        movw r0, #0
        movw r8, #65535
        movw r1, #0x1234
        movt r0, #0
        movt r8, #65535
        ssat r0, #1, r1
        ssat r0, #32, r1, lsl #4
        ssat r0, #8, r1, asr #3
        usat r0, #0, r1
        usat r0, #31, r1, lsl #31
        usat r0, #16, r1, asr #1
        ssat16 r0, #1, r1
        ssat16 r0, #16, r1
        usat16 r0, #0, r1
        usat16 r0, #15, r1
        sbfx r0, r1, #0, #1
        sbfx r0, r1, #0, #32
        sbfx r0, r1, #31, #1
        ubfx r0, r1, #4, #8
        ubfx r8, r9, #0, #32
        bfi r0, r1, #0, #1
        bfi r0, r1, #0, #32
        bfi r0, r1, #8, #8
        bfc r0, #0, #1
        bfc r0, #0, #32
        bfc r0, #16, #4
@ --- branches and miscellaneous control (A6.3.4) ---
br32:
        b.w br32
        b.w far
        beq.w br32
        bne.w far
        bgt.w br32
        bl br32
        bl far
        blx far_arm
        blx br32_arm
        msr cpsr_c, r0
        msr cpsr_fsxc, r1
        msr spsr_fc, r2
        msr apsr_nzcvq, r3
        msr apsr_g, r3
        msr apsr_nzcvqg, r4
        mrs r0, cpsr
        mrs r1, spsr
        .irp b, r8_usr, r12_usr, sp_usr, lr_usr, r8_fiq, lr_fiq, lr_irq, sp_irq, lr_svc, sp_svc, lr_abt, sp_abt, lr_und, sp_und, lr_mon, sp_mon, elr_hyp, sp_hyp, spsr_fiq, spsr_irq, spsr_svc, spsr_abt, spsr_und, spsr_mon, spsr_hyp
        mrs r0, \b
        msr \b, r1
        .endr
        nop.w
        yield.w
        wfe.w
        wfi.w
        sev.w
        dbg #0
        dbg #15
        .inst.w 0xf3af8005
        .inst.w 0xf3af8010
        .inst.w 0xf3af8014
        .inst.w 0xf3af8080
        cpsie.w i
        cpsid.w aif
        cpsie a, #17
        cpsid if, #19
        cps #31
        clrex
        dsb sy
        dsb ish
        dsb #0
        dsb #4
        dsb #12
        dmb sy
        dmb ishst
        dmb #0
        dmb #1
        isb sy
        isb #1
        bxj r0
        bxj lr
        eret
        smc #0
        smc #15
        hvc #0
        hvc #0xffff
        udf.w #0
        udf.w #65535
@ --- stores (A6.3.10), loads (A6.3.7-9), preloads ---
        .irp op, str, strb, strh, ldr, ldrb, ldrh, ldrsb, ldrsh
        \op\().w r0, [r1]
        \op r8, [r1, #4]
        \op r0, [r1, #4095]
        \op r0, [r1, #-4]
        \op r0, [r1, #-255]
        \op r0, [r1, #4]!
        \op r0, [r1, #-4]!
        \op r0, [r1], #4
        \op r0, [r1], #-4
        \op r0, [r1], #0
        \op\().w r0, [r1, r2]
        \op r0, [r1, r2, lsl #1]
        \op r8, [r1, r2, lsl #3]
        \op\()t r0, [r1]
        \op\()t r0, [r1, #255]
        .endr
        .irp op, ldr, ldrb, ldrh, ldrsb, ldrsh
        \op\().w r0, [pc, #4]
        \op r0, [pc, #-4]
        \op r0, [pc, #4095]
        \op r0, [pc, #-0]
        .endr
        ldr.w r0, [sp, #4]
        str.w r0, [sp, #-4]!
        ldr.w r0, [sp], #4
        str r8, [sp, #-4]!
        ldr r8, [sp], #4
        ldr.w pc, [sp], #4
        ldr pc, [r0, #4]
        pld [r0]
        pld [r0, #4095]
        pld [r0, #-4]
        pld [r0, #-255]
        pld [r0, r1]
        pld [r0, r1, lsl #3]
        pld [pc, #8]
        pld [pc, #-8]
        pldw [r0, #4]
        pldw [r0, #-4]
        pldw [r0, r1, lsl #2]
        pli [r0, #4]
        pli [r0, #-4]
        pli [r0, r1]
        pli [pc, #8]
        pli [pc, #-8]
@ --- data processing, register (A6.3.12-16) ---
        lsl.w r0, r1, r2
        lsls.w r0, r1, r2
        lsr r8, r9, r10
        asrs r0, r1, r12
        ror.w r0, r1, r2
        .irp op, sxtb, sxth, sxtb16, uxtb, uxth, uxtb16
        \op\().w r0, r1
        \op r8, r9
        \op r0, r1, ror #8
        \op r0, r1, ror #16
        \op r0, r1, ror #24
        .endr
        .irp op, sxtab, sxtah, sxtab16, uxtab, uxtah, uxtab16
        \op r0, r1, r2
        \op r0, r1, r2, ror #8
        \op r0, r1, r2, ror #24
        .endr
        .irp p, s, q, sh, u, uq, uh
        \p\()add16 r0, r1, r2
        \p\()asx r0, r1, r2
        \p\()sax r0, r1, r2
        \p\()sub16 r0, r1, r2
        \p\()add8 r0, r1, r2
        \p\()sub8 r0, r1, r2
        .endr
        qadd r0, r1, r2
        qsub r0, r1, r2
        qdadd r0, r1, r2
        qdsub r0, r1, r2
        rev.w r0, r1
        rev r8, r9
        rev16.w r0, r1
        rbit r0, r1
        revsh.w r0, r1
        revsh r8, r1
        sel r0, r1, r2
        clz r0, r1
        clz r8, r9
@ --- multiplies, divide (A6.3.16, A6.3.17) ---
        mul r0, r1, r2
        mul.w r0, r1, r0
        mul r8, r9, r10
        mla r0, r1, r2, r3
        mls r0, r1, r2, r3
        .irp xy, bb, bt, tb, tt
        smla\xy r0, r1, r2, r3
        smul\xy r0, r1, r2
        smlal\xy r0, r1, r2, r3
        .endr
        smlad r0, r1, r2, r3
        smladx r0, r1, r2, r3
        smuad r0, r1, r2
        smuadx r0, r1, r2
        smlawb r0, r1, r2, r3
        smlawt r0, r1, r2, r3
        smulwb r0, r1, r2
        smulwt r0, r1, r2
        smlsd r0, r1, r2, r3
        smlsdx r0, r1, r2, r3
        smusd r0, r1, r2
        smusdx r0, r1, r2
        smmla r0, r1, r2, r3
        smmlar r0, r1, r2, r3
        smmul r0, r1, r2
        smmulr r0, r1, r2
        smmls r0, r1, r2, r3
        smmlsr r0, r1, r2, r3
        usad8 r0, r1, r2
        usada8 r0, r1, r2, r3
        smull r0, r1, r2, r3
        umull r0, r1, r2, r3
        smlal r0, r1, r2, r3
        umlal r0, r1, r2, r3
        umaal r0, r1, r2, r3
        smlald r0, r1, r2, r3
        smlaldx r0, r1, r2, r3
        smlsld r0, r1, r2, r3
        smlsldx r0, r1, r2, r3
        sdiv r0, r1, r2
        udiv r8, r9, r10
@ --- coprocessor (A6.3.18) ---
        mcr p15, 0, r0, c1, c0, 0
        mrc p15, 0, r0, c0, c0, 5
        mrc p15, 0, apsr_nzcv, c7, c14, 3
        mcr2 p7, 1, r0, c1, c2, 3
        mrc2 p7, 1, r0, c1, c2, 3
        mcrr p15, 0, r0, r1, c2
        mrrc p15, 1, r0, r1, c14
        mcrr2 p7, 1, r0, r1, c2
        mrrc2 p7, 1, r0, r1, c2
        cdp p7, 0, c0, c1, c2, 0
        cdp2 p7, 15, c15, c14, c13, 7
        ldc p14, c5, [r1]
        ldc p14, c5, [r1, #-8]!
        ldc p14, c5, [r1], #8
        ldc p14, c5, [r1], {7}
        ldcl p14, c5, [r1, #4]
        ldc p14, c5, [pc, #16]
        stc p14, c5, [r1, #4]
        stcl p14, c5, [r1], #-4
        ldc2 p7, c5, [r1, #4]
        stc2l p7, c5, [r1, #-4]!
@ --- VFP (A7.5, A7.6, A7.8) ---
        vldr d0, [r1]
        vldr d31, [r1, #-8]
        vldr s0, [r1, #1020]
        vldr s1, [pc, #8]
        vstr d16, [sp, #8]
        vstr s31, [r1, #-4]
        vldmia r0!, {d0-d2}
        vldmdb r0!, {s0-s3}
        vstmia r0, {d8-d15}
        vstmdb r0!, {s31}
        vpush {d8-d15}
        vpop {s16-s31}
        vmov r0, s1
        vmov s2, r1
        vmov s2, s3, r0, r1
        vmov r0, r1, s2, s3
        vmov d3, r0, r1
        vmov r0, r1, d31
        vmov.32 d3[1], r0
        vmov.16 d3[2], r0
        vmov.8 d3[7], r0
        vmov.u8 r0, d3[5]
        vmov.s16 r0, d3[1]
        vmov.32 r0, d31[0]
        vdup.32 d0, r0
        vdup.8 q1, r1
        vmrs APSR_nzcv, fpscr
        vmrs r0, fpexc
        vmsr fpscr, r0
        vadd.f32 s0, s1, s2
        vsub.f64 d0, d1, d2
        vmul.f32 s0, s1, s2
        vdiv.f64 d16, d17, d18
        vmla.f32 s0, s1, s2
        vnmls.f64 d0, d1, d2
        vfma.f32 s0, s1, s2
        vneg.f64 d0, d1
        vsqrt.f32 s0, s1
        vcmpe.f64 d0, d1
        vcmp.f32 s0, #0
        vmov.f32 s0, #1.0
        vcvt.s32.f64 s0, d1
        vcvt.f64.u32 d0, s1
        vcvtr.s32.f32 s0, s1
        vcvt.f32.f64 s0, d1
        vcvt.s32.f32 s0, s0, #16
        vcvtb.f16.f32 s0, s1
@ --- Advanced SIMD element and structure loads/stores (A7.7) in Thumb ---
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
        it eq
        vld1eq.8 {d0}, [r0]
@ --- Advanced SIMD data processing (A7.4) in Thumb ---
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
        it ne
        vaddne.i32 q0, q1, q2
        .align 2
lit:
        .word 0
        .align 2
        .arm
br32_arm:
        bx lr
        .thumb
        .space 4000
far:
        nop
        .arm
far_arm:
        bx lr
        .thumb
end:
        nop
