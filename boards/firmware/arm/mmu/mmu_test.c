/*
 * mmu: short-descriptor translation (DDI 0406C B3.5-B3.7, B3.13): sections
 * and small pages remapping virtual addresses to other physical pages,
 * access permissions and XN, domains (DACR client/manager/no access),
 * translation/permission/domain fault status in DFSR/IFSR with DFAR/IFAR,
 * TLB maintenance (TLBIMVA, TLBIALL) after a table change, VA-to-PA
 * translation operations (ATS1CPR -> PAR), and which unaligned accesses
 * Normal memory allows with SCTLR.A = 0 (A3.2.1).
 */
#include <stdint.h>
#include "check.h"
#include "cp15.h"
#include "exceptions.h"
#include "mmu.h"
#include "virt.h"

/* Test pages: part of this image, so their physical address is their identity address. */
static volatile uint32_t pages[4][1024] __attribute__((aligned(4096)));
static uint32_t l2[256] __attribute__((aligned(1024)));

/* A spare RAM section, clear of this image (0x40100000-0x401fffff). */
#define SPARE_SECTION_PA  0x40300000u
#define SPARE_SECTION2_PA 0x40400000u

#define VA_SECTION        0x50000000u  /* section -> SPARE_SECTION_PA */
#define VA_PAGES          0x50100000u  /* second-level table l2 */
#define VA_RO_SECTION     0x50200000u  /* section, PL1 read-only */
#define VA_NOACCESS_DOM   0x50300000u  /* section in domain 1 */
#define VA_MANAGER_DOM    0x50400000u  /* read-only section in domain 2 */
#define VA_UNMAPPED       0x7f000000u

#define PAGE(n)           (VA_PAGES + (n) * 0x1000u)

static volatile struct {
    uint32_t count;
    int kind;
    uint32_t fsr;
    uint32_t far;
} fault;

/* Where a prefetch abort resumes (a data abort resumes at the next A32 instruction). */
static volatile uint32_t resume_at;

static int catch_abort(int kind, struct exc_frame *frame)
{
    if (kind != EXC_DABT && kind != EXC_PABT)
        return 0;
    fault.count++;
    fault.kind = kind;
    fault.fsr = kind == EXC_DABT ? read_dfsr() : read_ifsr();
    fault.far = kind == EXC_DABT ? read_dfar() : read_ifar();
    if (kind == EXC_DABT) {
        frame->lr -= 4;     /* LR = faulting instruction + 8 (Table B1-7) */
    } else {
        if (resume_at == 0)
            return 0;
        frame->lr = resume_at;
    }
    return 1;
}

static void clear_fault(void)
{
    fault.count = 0;
    fault.kind = 0;
    fault.fsr = fault.far = 0;
}

/* Loads and stores in assembler, so each is exactly one instruction the handler can skip. */
static uint32_t load(uint32_t va)
{
    uint32_t v = 0xdeadbeefu;
    __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
    return v;
}

static void store(uint32_t va, uint32_t value)
{
    __asm__ volatile("str %0, [%1]" : : "r"(value), "r"(va) : "memory");
}

static uint32_t call_at(uint32_t va)
{
    register uint32_t r0 __asm__("r0") = 0;
    __asm__ volatile("adr r12, 1f\n\t"
                     "str r12, [%[resume]]\n\t"
                     "blx %[t]\n"
                     "1:"
                     : "+r"(r0) : [t] "r"(va), [resume] "r"(&resume_at) : "r1", "r2", "r3", "r12", "lr", "memory");
    return r0;
}

/* Stage 1 current state, PL1 read (B4.2.4 ATS1CPR), result in PAR (B4.1.112). */
static uint32_t translate(uint32_t va)
{
    uint32_t par;
    __asm__ volatile("mcr p15, 0, %1, c7, c8, 0\n\tisb\n\tmrc p15, 0, %0, c7, c4, 0" : "=r"(par) : "r"(va) : "memory");
    return par;
}

static uint32_t pa_of(volatile void *p)
{
    return (uint32_t)p;
}

static void build_tables(void)
{
    mmu_build_identity();
    mmu_l1[VA_SECTION >> 20] = SPARE_SECTION_PA | L1_SECTION | L1_NORMAL | L1_AP(AP_PL1_RW);
    mmu_l1[VA_PAGES >> 20] = (uint32_t)l2 | L1_PAGE_TABLE | L1_DOMAIN(0);
    mmu_l1[VA_RO_SECTION >> 20] = SPARE_SECTION_PA | L1_SECTION | L1_NORMAL | L1_AP(AP_PL1_RO);
    mmu_l1[VA_NOACCESS_DOM >> 20] = SPARE_SECTION_PA | L1_SECTION | L1_NORMAL | L1_AP(AP_PL1_RW) | L1_DOMAIN(1);
    mmu_l1[VA_MANAGER_DOM >> 20] = SPARE_SECTION_PA | L1_SECTION | L1_NORMAL | L1_AP(AP_PL1_RO) | L1_DOMAIN(2);

    for (int i = 0; i < 256; i++)
        l2[i] = L2_FAULT;
    l2[0] = pa_of(pages[1]) | L2_SMALL | L2_NORMAL | L2_AP(AP_PL1_RW);           /* swapped */
    l2[1] = pa_of(pages[0]) | L2_SMALL | L2_NORMAL | L2_AP(AP_PL1_RW);
    l2[2] = pa_of(pages[2]) | L2_SMALL | L2_NORMAL | L2_AP(AP_PL1_RO);           /* read-only */
    l2[3] = pa_of(pages[3]) | L2_SMALL | L2_NORMAL | L2_AP(AP_PL1_RW) | L2_XN;   /* never execute */
    l2[4] = pa_of(pages[3]) | L2_SMALL | L2_NORMAL | L2_AP(AP_PL1_RW);           /* same page, executable */
    /* l2[5] stays a fault entry */
    l2[6] = pa_of(pages[0]) | L2_SMALL | L2_NORMAL | L2_AP(AP_PL1_RW);           /* changed later */
}

static void remap_checks(void)
{
    volatile uint32_t *spare = (volatile uint32_t *)SPARE_SECTION_PA;
    spare[0x40] = 0x5ec70001u;
    check_eq("section maps VA to another PA", load(VA_SECTION + 0x100), 0x5ec70001u);
    store(VA_SECTION + 0x200, 0x5ec70002u);
    check_eq("store through section reaches the PA", spare[0x80], 0x5ec70002u);
    check_eq("section offset bits pass through", load(VA_SECTION + 0x100), spare[0x40]);

    check_eq("small page 0 maps to the second physical page", load(PAGE(0) + 8), 0x11110002u);
    check_eq("small page 1 maps to the first physical page", load(PAGE(1) + 8), 0x00000002u);
    store(PAGE(0) + 12, 0xabcd0003u);
    check_eq("store through small page reaches its PA", pages[1][3], 0xabcd0003u);

    uint32_t par = translate(PAGE(1) + 0x123);
    check_eq("ATS1CPR: PAR holds the page's PA, F clear", par & 0xfffff001u, pa_of(pages[0]));
    par = translate(VA_SECTION + 0x45678);
    check_eq("ATS1CPR: section PA", par & 0xfffff001u, SPARE_SECTION_PA + 0x45000u);
    par = translate(VA_UNMAPPED);
    /* On a fault PAR.F = 1 and PAR[6:1] = the fault status (B4.1.112). */
    check_eq("ATS1CPR on unmapped VA: F set, FS translation", par & 0x7fu, (FS_TRANSLATION_L1 << 1) | 1u);
}

static void fault_checks(void)
{
    clear_fault();
    check_eq("read-only page can be read", load(PAGE(2)), 0x22220000u);
    check_eq("reading it took no abort", fault.count, 0);

    clear_fault();
    store(PAGE(2) + 4, 1);
    check_eq("write to read-only page: permission fault (page)", fault.fsr & FSR_STATUS_MASK, FSR_WNR | FS_PERMISSION_L2);
    check_eq("permission fault DFAR", fault.far, PAGE(2) + 4);
    check_eq("faulting store did not write", pages[2][1], 0x22220001u);

    clear_fault();
    store(VA_RO_SECTION + 0x10, 1);
    check_eq("write to read-only section: permission fault (section)", fault.fsr & FSR_STATUS_MASK, FSR_WNR | FS_PERMISSION_L1);
    check_eq("section permission fault DFAR", fault.far, VA_RO_SECTION + 0x10);

    clear_fault();
    load(PAGE(5) + 0x20);
    check_eq("fault entry in second level: translation fault (page)", fault.fsr & FSR_STATUS_MASK, FS_TRANSLATION_L2);
    check_eq("page translation fault DFAR", fault.far, PAGE(5) + 0x20);

    /* Domain 1 "no access" (DACR 00): any access is a domain fault, DFSR.Domain = 1. */
    clear_fault();
    load(VA_NOACCESS_DOM + 0x30);
    check_eq("no-access domain: domain fault (section)", fault.fsr & FSR_STATUS_MASK, FS_DOMAIN_L1);
    check_eq("domain fault DFSR.Domain", (fault.fsr >> 4) & 0xfu, 1);
    check_eq("domain fault DFAR", fault.far, VA_NOACCESS_DOM + 0x30);

    /* Domain 2 "manager" (DACR 11): permissions are not checked, the read-only section is writable. */
    clear_fault();
    store(VA_MANAGER_DOM + 0x40, 0x3a3a0001u);
    check_true("manager domain ignores AP", fault.count == 0 && ((volatile uint32_t *)SPARE_SECTION_PA)[0x10] == 0x3a3a0001u,
               "the write faulted or did not arrive");

    /* XN: an instruction fetch is a permission fault reported in IFSR/IFAR. */
    pages[3][0] = 0xe3a0002au;  /* mov r0, #42 */
    pages[3][1] = 0xe12fff1eu;  /* bx lr */
    dsb();
    iciallu();
    dsb();
    isb();
    check_eq("executing the page through an executable mapping", call_at(PAGE(4)), 42);
    clear_fault();
    call_at(PAGE(3));
    check_eq("executing an XN page: prefetch abort", fault.kind, EXC_PABT);
    check_eq("XN fault IFSR (permission, page)", fault.fsr & FSR_STATUS_MASK, FS_PERMISSION_L2);
    check_eq("XN fault IFAR", fault.far, PAGE(3));
}

static void tlb_checks(void)
{
    check_eq("page 6 first maps the first physical page", load(PAGE(6)), 0x00000000u);
    l2[6] = pa_of(pages[2]) | L2_SMALL | L2_NORMAL | L2_AP(AP_PL1_RW);
    dsb();
    tlbimva(PAGE(6));
    dsb();
    isb();
    check_eq("after TLBIMVA the new mapping is used", load(PAGE(6)), 0x22220000u);

    check_eq("section maps the first spare section", load(VA_SECTION + 0x100), 0x5ec70001u);
    ((volatile uint32_t *)SPARE_SECTION2_PA)[0x40] = 0x5ec70099u;
    mmu_l1[VA_SECTION >> 20] = SPARE_SECTION2_PA | L1_SECTION | L1_NORMAL | L1_AP(AP_PL1_RW);
    mmu_flush_tlb();
    check_eq("after TLBIALL the new section is used", load(VA_SECTION + 0x100), 0x5ec70099u);
}

static void unaligned_checks(void)
{
    static volatile uint8_t bytes[8] __attribute__((aligned(8))) = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
    uint32_t v;
    clear_fault();
    __asm__ volatile("ldr %0, [%1, #1]" : "=r"(v) : "r"(bytes) : "memory");
    check_true("unaligned LDR on Normal memory with SCTLR.A = 0", v == 0x55443322u && fault.count == 0, "wrong value or abort");
    __asm__ volatile("ldrh %0, [%1, #3]" : "=r"(v) : "r"(bytes) : "memory");
    check_eq("unaligned LDRH on Normal memory", v, 0x5544u);
    /* LDRD and LDM need word alignment whatever SCTLR.A says (A3.2.1, Table A3-2). */
    clear_fault();
    {
        register uint32_t lo __asm__("r2"), hi __asm__("r3");
        __asm__ volatile("ldrd %0, %1, [%2, #4]" : "=r"(lo), "=r"(hi) : "r"(bytes) : "memory");
        check_true("LDRD at a word (not doubleword) boundary", fault.count == 0 && lo == 0x88776655u, "wrong value or abort");
        __asm__ volatile("ldrd %0, %1, [%2, #2]" : "=r"(lo), "=r"(hi) : "r"(bytes) : "memory");
    }
    check_eq("unaligned LDRD: alignment fault", fault.fsr & FSR_STATUS_MASK, FS_ALIGNMENT);
    check_eq("unaligned LDRD: DFAR", fault.far, (uint32_t)bytes + 2);
    clear_fault();
    __asm__ volatile("ldm %0, {r2, r3}" : : "r"((uint32_t)bytes + 1) : "r2", "r3", "memory");
    check_eq("unaligned LDM: alignment fault", fault.fsr & FSR_STATUS_MASK, FS_ALIGNMENT);
}

int main(void)
{
    check_begin("mmu");
    exception_hook = catch_abort;
    for (uint32_t p = 0; p < 4; p++)
        for (uint32_t i = 0; i < 1024; i++)
            pages[p][i] = (p * 0x11110000u) | i;
    build_tables();
    mmu_enable();
    /* Domain 0 client, domain 1 no access, domain 2 manager (B4.1.43). */
    write_dacr(0x1u | (0x0u << 2) | (0x3u << 4));
    isb();
    check_true("MMU on with identity map", (read_sctlr() & SCTLR_M) != 0, "SCTLR.M did not stick");
    remap_checks();
    fault_checks();
    tlb_checks();
    unaligned_checks();
    mmu_disable();
    check_finish();
}
