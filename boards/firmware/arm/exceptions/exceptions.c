/*
 * exceptions: SVC, undefined instructions, data and prefetch aborts, taken
 * from A32 and Thumb code. Checks the vector taken, the mode and masks on
 * entry, LR (Table B1-7 of DDI 0406C), SPSR, the SVC immediate, and the fault
 * status and address registers (B3.13: DFSR/DFAR, IFSR/IFAR; short-descriptor
 * status encodings in Table B3-23).
 */
#include <stdint.h>
#include "check.h"
#include "cp15.h"
#include "exceptions.h"
#include "mmu.h"

#define PSR_T   (1u << 5)
#define PSR_F   (1u << 6)
#define PSR_I   (1u << 7)
#define PSR_A   (1u << 8)
#define PSR_N   0x80000000u
#define PSR_C   0x20000000u
#define MODE_SVC 0x13u
#define MODE_ABT 0x17u
#define MODE_UND 0x1bu
/* Flags, the mask bits, T and mode: what SPSR/CPSR checks compare. */
#define PSR_CHECKED 0xf00001ffu

/* No translation for this address in the identity map: a section translation fault. */
#define UNMAPPED_VA 0x7f000000u

void thumb_svc(void);
extern const char thumb_svc_next[];
void thumb_udf(void);
extern const char thumb_udf_insn[];
uint32_t thumb_ldr(uint32_t address);
extern const char thumb_ldr_insn[], thumb_ldr_resume[];

/* What the hook saw of the last exception. */
static volatile struct {
    uint32_t count;
    int kind;
    uint32_t lr;
    uint32_t spsr;
    uint32_t cpsr;      /* CPSR inside the handler */
    uint32_t imm;       /* SVC immediate */
    uint32_t fsr;
    uint32_t far;
} seen;

/* Where an abort resumes; bit 0 set = Thumb code (as for BX). */
static volatile uint32_t resume_at;

static int record(int kind, struct exc_frame *frame)
{
    seen.count++;
    seen.kind = kind;
    seen.lr = frame->lr;
    seen.spsr = frame->spsr;
    seen.cpsr = read_cpsr();
    switch (kind) {
    case EXC_SVC:
        /* The immediate is in the SVC instruction just before LR (A8.8.228). */
        if (frame->spsr & PSR_T)
            seen.imm = *(const uint16_t *)(frame->lr - 2) & 0xffu;
        else
            seen.imm = *(const uint32_t *)(frame->lr - 4) & 0xffffffu;
        return 1;   /* resume after the SVC: LR as it is */
    case EXC_UNDEF:
        return 1;   /* LR is the next instruction for A32 and 16-bit Thumb */
    case EXC_DABT:
    case EXC_PABT:
        seen.fsr = kind == EXC_DABT ? read_dfsr() : read_ifsr();
        seen.far = kind == EXC_DABT ? read_dfar() : read_ifar();
        if (resume_at == 0)
            return 0;
        frame->lr = resume_at & ~1u;
        frame->spsr = (frame->spsr & ~PSR_T) | ((resume_at & 1u) ? PSR_T : 0u);
        resume_at = 0;
        return 1;
    default:
        return 0;
    }
}

static void reset_seen(void)
{
    seen.count = 0;
    seen.kind = 0;
    seen.lr = seen.spsr = seen.cpsr = seen.imm = seen.fsr = seen.far = 0;
}

static void svc_checks(void)
{
    uint32_t next, after;
    reset_seen();
    /* Flags N and C set before the call; SPSR_svc must hold them, LR the next instruction. */
    __asm__ volatile("msr APSR_nzcvq, %[f]\n\t"
                     "adr %[next], 1f\n\t"
                     "svc #0x123456\n"
                     "1:\tmrs %[after], apsr"
                     : [next] "=&r"(next), [after] "=&r"(after)
                     : [f] "r"(PSR_N | PSR_C)
                     : "lr", "cc", "memory");
    check_eq("svc taken once", seen.count, 1);
    check_eq("svc vector", seen.kind, EXC_SVC);
    check_eq("svc immediate (A32, 24 bits)", seen.imm, 0x123456u);
    check_eq("svc LR = next instruction", seen.lr, next);
    check_eq("svc SPSR = caller CPSR", seen.spsr & PSR_CHECKED, PSR_N | PSR_C | PSR_I | PSR_F | MODE_SVC);
    check_eq("svc handler: SVC mode, I set, A unchanged", seen.cpsr & 0x1ffu, PSR_I | PSR_F | MODE_SVC);
    check_eq("exception return restores the flags", after & 0xf0000000u, PSR_N | PSR_C);

    reset_seen();
    thumb_svc();
    check_eq("thumb svc immediate (8 bits)", seen.imm, 0x42u);
    check_eq("thumb svc LR = next instruction", seen.lr, (uint32_t)thumb_svc_next & ~1u);
    check_eq("thumb svc SPSR.T set", seen.spsr & PSR_T, PSR_T);
}

static void undef_checks(void)
{
    uint32_t insn;
    reset_seen();
    __asm__ volatile("adr %0, 1f\n"
                     "1:\tudf #0xabc"
                     : "=r"(insn) : : "memory");
    check_eq("udf taken once", seen.count, 1);
    check_eq("udf vector", seen.kind, EXC_UNDEF);
    check_eq("udf LR = instruction + 4 (A32)", seen.lr, insn + 4);
    check_eq("udf SPSR mode and masks", seen.spsr & 0x1ffu, PSR_I | PSR_F | MODE_SVC);
    check_eq("udf handler: UND mode, I set, A unchanged", seen.cpsr & 0x1ffu, PSR_I | PSR_F | MODE_UND);

    reset_seen();
    thumb_udf();
    check_eq("thumb udf vector", seen.kind, EXC_UNDEF);
    check_eq("thumb udf LR = instruction + 2", seen.lr, ((uint32_t)thumb_udf_insn & ~1u) + 2);
    check_eq("thumb udf SPSR.T set", seen.spsr & PSR_T, PSR_T);

    /* No coprocessor 7 on this core: its instructions are UNDEFINED (A8.8.107). */
    reset_seen();
    __asm__ volatile("adr %0, 1f\n"
                     "1:\tmrc p7, 0, r0, c0, c0, 0"
                     : "=r"(insn) : : "r0", "memory");
    check_true("mrc p7 is undefined", seen.kind == EXC_UNDEF && seen.lr == insn + 4, "no undefined instruction exception at the MRC");
}

/* LDR or STR at `address` from A32; returns the instruction's address. Resumes after it. */
static uint32_t a32_access(uint32_t address, int write)
{
    uint32_t insn, value = 0;
    resume_at = 0;
    if (write)
        __asm__ volatile("adr %[insn], 1f\n\t"
                         "adr r12, 2f\n\t"
                         "str r12, [%[resume]]\n"
                         "1:\tstr %[v], [%[a]]\n"
                         "2:"
                         : [insn] "=&r"(insn) : [a] "r"(address), [v] "r"(value), [resume] "r"(&resume_at)
                         : "r12", "memory");
    else
        __asm__ volatile("adr %[insn], 1f\n\t"
                         "adr r12, 2f\n\t"
                         "str r12, [%[resume]]\n"
                         "1:\tldr %[v], [%[a]]\n"
                         "2:"
                         : [insn] "=&r"(insn), [v] "+r"(value) : [a] "r"(address), [resume] "r"(&resume_at)
                         : "r12", "memory");
    return insn;
}

static void data_abort_checks(void)
{
    static volatile uint32_t words[2];
    uint32_t target = (uint32_t)&words[0] + 1;
    uint32_t insn;

    /* SCTLR.A = 1: any unaligned word access is an alignment fault (A3.2.1). */
    write_sctlr(read_sctlr() | SCTLR_A);
    isb();
    reset_seen();
    insn = a32_access(target, 0);
    check_eq("alignment fault taken once", seen.count, 1);
    check_eq("alignment fault: data abort vector", seen.kind, EXC_DABT);
    check_eq("alignment fault DFSR (read)", seen.fsr & FSR_STATUS_MASK, FS_ALIGNMENT);
    check_eq("alignment fault DFAR", seen.far, target);
    check_eq("data abort LR = instruction + 8", seen.lr, insn + 8);
    check_eq("data abort handler: ABT mode, A and I set", seen.cpsr & 0x1ffu, PSR_A | PSR_I | PSR_F | MODE_ABT);
    check_eq("data abort SPSR = CPSR at the fault", seen.spsr & 0x1ffu, PSR_I | PSR_F | MODE_SVC);
    reset_seen();
    a32_access(target + 2, 1);
    check_eq("alignment fault DFSR (write sets WnR)", seen.fsr & FSR_STATUS_MASK, FSR_WNR | FS_ALIGNMENT);
    check_eq("alignment fault DFAR (write)", seen.far, target + 2);
    write_sctlr(read_sctlr() & ~SCTLR_A);
    isb();

    /* With the identity map on, UNMAPPED_VA has a fault first-level entry. */
    mmu_build_identity();
    mmu_enable();
    reset_seen();
    insn = a32_access(UNMAPPED_VA + 0x10, 0);
    check_eq("translation fault DFSR (section, read)", seen.fsr & FSR_STATUS_MASK, FS_TRANSLATION_L1);
    check_eq("translation fault DFAR", seen.far, UNMAPPED_VA + 0x10);
    check_eq("translation fault LR = instruction + 8", seen.lr, insn + 8);
    reset_seen();
    a32_access(UNMAPPED_VA + 0x24, 1);
    check_eq("translation fault DFSR (section, write)", seen.fsr & FSR_STATUS_MASK, FSR_WNR | FS_TRANSLATION_L1);
    check_eq("translation fault DFAR (write)", seen.far, UNMAPPED_VA + 0x24);

    reset_seen();
    resume_at = (uint32_t)thumb_ldr_resume | 1u;
    thumb_ldr(UNMAPPED_VA + 0x100);
    check_eq("thumb data abort DFSR", seen.fsr & FSR_STATUS_MASK, FS_TRANSLATION_L1);
    check_eq("thumb data abort DFAR", seen.far, UNMAPPED_VA + 0x100);
    check_eq("thumb data abort LR = instruction + 8", seen.lr, ((uint32_t)thumb_ldr_insn & ~1u) + 8);
    check_eq("thumb data abort SPSR.T set", seen.spsr & PSR_T, PSR_T);
}

/* Branch with BLX to `target` (bit 0 = Thumb); the prefetch abort resumes after the branch. */
static void branch_to(uint32_t target)
{
    __asm__ volatile("adr r12, 1f\n\t"
                     "str r12, [%[resume]]\n\t"
                     "blx %[t]\n"
                     "1:"
                     : : [t] "r"(target), [resume] "r"(&resume_at) : "r12", "lr", "memory");
}

static void prefetch_abort_checks(void)
{
    reset_seen();
    branch_to(UNMAPPED_VA + 0x200);
    check_eq("prefetch abort taken once", seen.count, 1);
    check_eq("prefetch abort vector", seen.kind, EXC_PABT);
    check_eq("prefetch abort IFSR (section translation)", seen.fsr & FSR_STATUS_MASK, FS_TRANSLATION_L1);
    check_eq("prefetch abort IFAR = branch target", seen.far, UNMAPPED_VA + 0x200);
    check_eq("prefetch abort LR = aborted instruction + 4", seen.lr, UNMAPPED_VA + 0x204);
    check_eq("prefetch abort SPSR in A32 state", seen.spsr & (PSR_T | 0x1fu), MODE_SVC);
    check_eq("prefetch abort handler: ABT mode, A and I set", seen.cpsr & 0x1ffu, PSR_A | PSR_I | PSR_F | MODE_ABT);

    reset_seen();
    branch_to(UNMAPPED_VA + 0x301);
    check_eq("thumb prefetch abort IFAR", seen.far, UNMAPPED_VA + 0x300);
    check_eq("thumb prefetch abort LR = aborted instruction + 4", seen.lr, UNMAPPED_VA + 0x304);
    check_eq("thumb prefetch abort SPSR.T set", seen.spsr & PSR_T, PSR_T);

    /* BKPT with no debugger attached: a prefetch abort reporting a debug event (C3.1, B3.13.3). */
    uint32_t insn;
    reset_seen();
    __asm__ volatile("adr r12, 2f\n\t"
                     "str r12, [%[resume]]\n\t"
                     "adr %[insn], 1f\n"
                     "1:\tbkpt #0x5\n"
                     "2:"
                     : [insn] "=&r"(insn) : [resume] "r"(&resume_at) : "r12", "memory");
    check_eq("bkpt: prefetch abort vector", seen.kind, EXC_PABT);
    check_eq("bkpt: IFSR debug event", seen.fsr & FSR_STATUS_MASK, FS_DEBUG);
    check_eq("bkpt: LR = instruction + 4", seen.lr, insn + 4);
}

int main(void)
{
    check_begin("exceptions");
    exception_hook = record;
    /* Run with asynchronous aborts unmasked, so entry to each mode shows whether it sets CPSR.A. */
    __asm__ volatile("cpsie a");
    svc_checks();
    undef_checks();
    data_abort_checks();
    prefetch_abort_checks();
    mmu_disable();
    check_finish();
}
