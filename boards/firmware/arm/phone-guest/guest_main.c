/*
 * phone-guest: the guest OS for the phone's VMs, in the style of phone-host
 * but with processes: two address spaces (A with ASID 1, B with ASID 2),
 * each with its own first-level table. The kernel, the devices and the user
 * code are global mappings shared by both tables; the user window at
 * 0x10000000 is not global and maps each process's own physical pages at the
 * same virtual addresses. Switching between processes switches TTBR0 and
 * CONTEXTIDR (pt_switch). Heap pages are mapped on demand from the data
 * abort a first touch causes, so the tables change while the guest runs.
 * The tick is the virtual timer (CNTV_*, PPI 11 = ID 27) through the GICv2
 * (polled at system calls when the device tree has no GIC); power-off is
 * PSCI SYSTEM_OFF by HVC, as a VM's /psci node says.
 */
#include <stdint.h>
#include "cp15.h"
#include "fdt.h"
#include "gic.h"
#include "kernel_info.h"
#include "kernel_trap.h"
#include "pagetable.h"
#include "psci_call.h"
#include "sched.h"
#include "tick.h"
#include "uart.h"
#include "usr_lib.h"
#include "usr_tasks.h"
#include "virt.h"

#define HZ 4000u
/* Physical pages for the processes come from here up (the image ends well below). */
#define PAGE_POOL_BASE 0x40400000u

extern char __user_text_start[], __user_text_end[], __user_data_start[], __user_data_end[], __image_end[];

/*
 * The tables fill whole pages of their own (16 KiB L1 tables; the 1 KiB L2
 * tables packed into one page): under shadow paging the hypervisor
 * write-protects the pages tables live in, and a kernel variable sharing
 * such a page would fault on every store.
 */
static uint32_t space_l1[SPACES][4096] __attribute__((aligned(16384)));
static uint32_t l2_tables[4][256] __attribute__((aligned(4096)));
/* l2_tables[0]: the image's MiB, shared by the spaces; l2_tables[1 + s]: space s's user window. */
static uint32_t *const image_l2 = l2_tables[0];

static uint32_t *user_l2(uint32_t space)
{
    return l2_tables[1 + space];
}

static uint32_t proc_page_pa[SPACES];
static uint32_t page_faults;
static uint32_t space_switches;
static uint32_t next_free_page = PAGE_POOL_BASE;
static struct board_info board;

static const uint32_t magic[SPACES] = {0xa0a0a0a0u, 0xb0b0b0b0u};
static const char space_name[SPACES] = {'A', 'B'};

#define USER_PAGE (L2_NORMAL | L2_S | L2_NG | L2_XN | L2_AP(AP_FULL))

static uint32_t alloc_page(void)
{
    uint32_t pa = next_free_page;
    if (pa + PAGE_SIZE > board.ram_base + board.ram_size) {
        uart_puts("mm: out of memory\n");
        psci_off(psci_method);
    }
    next_free_page += PAGE_SIZE;
    volatile uint32_t *p = (volatile uint32_t *)pa;
    for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
        p[i] = 0;
    return pa;
}

/* The global part every space shares: devices, RAM (PL1 only), the image's pages. */
static void map_global(uint32_t *l1)
{
    pt_map_sections(l1, 0x08000000u, 0x08000000u, 0x02000000u, L1_DEVICE | L1_XN | L1_AP(AP_PL1_RW));
    pt_map_sections(l1, board.ram_base, board.ram_base, board.ram_size, L1_NORMAL | L1_S | L1_XN | L1_AP(AP_PL1_RW));
    pt_link_table(l1, FIRMWARE_BASE, image_l2);
}

static void build_image_table(void)
{
    uint32_t image = FIRMWARE_BASE;
    uint32_t utext = (uint32_t)__user_text_start, udata = (uint32_t)__user_data_start;
    uint32_t uend = (uint32_t)__user_data_end, end = (uint32_t)__image_end;
    pt_map_pages(image_l2, image, image, utext - image, L2_NORMAL | L2_S | L2_AP(AP_PL1_RW));
    pt_map_pages(image_l2, utext, utext, udata - utext, L2_NORMAL | L2_S | L2_AP(AP_RO));
    pt_map_pages(image_l2, udata, udata, uend - udata, L2_NORMAL | L2_S | L2_XN | L2_AP(AP_FULL));
    pt_map_pages(image_l2, uend, uend, end - uend, L2_NORMAL | L2_S | L2_XN | L2_AP(AP_PL1_RW));
}

static void build_space(uint32_t s)
{
    map_global(space_l1[s]);
    pt_link_table(space_l1[s], USER_WINDOW_VA, user_l2(s));
    uint32_t proc = alloc_page();
    proc_page_pa[s] = proc;
    volatile struct proc_page *p = (volatile struct proc_page *)proc;
    p->magic = magic[s];
    p->space = s;
    pt_map_page(user_l2(s), USER_PROC_VA, proc, USER_PAGE);
    for (uint32_t j = 0; j < THREADS_PER_SPACE; j++) {
        uint32_t stack = alloc_page();
        pt_map_page(user_l2(s), USER_STACK_TOP(j) - PAGE_SIZE, stack, USER_PAGE);
    }
    uart_puts("mm: space ");
    uart_putc(space_name[s]);
    uart_puts(" (asid ");
    uart_putdec(s + 1);
    uart_puts("): table ");
    uart_puthex((uint32_t)space_l1[s]);
    uart_puts(", process page va ");
    uart_puthex(USER_PROC_VA);
    uart_puts(" -> pa ");
    uart_puthex(proc);
    uart_puts("\n");
}

static void switch_space(struct task *next)
{
    space_switches++;
    pt_switch(space_l1[next->space], next->space + 1);
}

/* Demand paging: a translation fault on a heap page of the running process maps a fresh page. */
static int on_fault(int kind, struct user_frame *frame)
{
    (void)frame;
    if (kind != TRAP_DABT)
        return 0;
    uint32_t fs = read_dfsr() & 0x40fu;
    uint32_t va = read_dfar() & ~(PAGE_SIZE - 1);
    if (fs != FS_TRANSLATION_L2 || va < USER_HEAP_VA || va >= USER_HEAP_VA + USER_HEAP_PAGES * PAGE_SIZE)
        return 0;
    uint32_t s = current->space;
    uint32_t pa = alloc_page();
    pt_map_page(user_l2(s), va, pa, USER_PAGE);
    /* The entry was a fault, which no TLB holds (B3.10.1): the barriers make the new one visible. */
    dsb();
    isb();
    page_faults++;
    uart_puts("mm: page fault in space ");
    uart_putc(space_name[s]);
    uart_puts(" at ");
    uart_puthex(read_dfar());
    uart_puts(", mapped va ");
    uart_puthex(va);
    uart_puts(" -> pa ");
    uart_puthex(pa);
    uart_puts("\n");
    return 1;   /* the frame's pc is the faulting instruction: it runs again */
}

static __attribute__((noreturn)) void all_exited(void)
{
    /* The processes are gone: unmap their heap pages, as exit_mmap would (each a live entry). */
    for (uint32_t s = 0; s < SPACES; s++) {
        for (uint32_t i = 0; i < USER_HEAP_PAGES; i++)
            pt_unmap_page(user_l2(s), USER_HEAP_VA + i * PAGE_SIZE, s + 1);
        uart_puts("mm: space ");
        uart_putc(space_name[s]);
        uart_puts(" heap unmapped (");
        uart_putdec(USER_HEAP_PAGES);
        uart_puts(" pages)\n");
    }
    /* The process pages, read where the kernel maps all RAM: at their physical addresses. */
    for (uint32_t s = 0; s < SPACES; s++) {
        volatile struct proc_page *p = (volatile struct proc_page *)proc_page_pa[s];
        uart_puts("mm: space ");
        uart_putc(space_name[s]);
        uart_puts(" process page pa ");
        uart_puthex(proc_page_pa[s]);
        uart_puts(": magic ");
        uart_puthex(p->magic);
        uart_puts(", counter ");
        uart_putdec(p->counter);
        uart_puts("\n");
    }
    for (int i = 0; i < MAX_TASKS; i++) {
        const struct task *t = &tasks[i];
        if (t->state == TASK_UNUSED)
            continue;
        uart_puts("exit: pid ");
        uart_putdec(t->pid);
        uart_puts(" (");
        uart_puts(t->name);
        uart_puts(") code ");
        uart_putdec(t->exit_code);
        uart_puts(", preempted by ");
        uart_putdec(t->ticks);
        uart_puts(" ticks\n");
    }
    uart_puts("sched: ");
    uart_putdec(sched_stats.ticks);
    uart_puts(" virtual timer ticks, ");
    uart_putdec(sched_stats.switches);
    uart_puts(" task switches, ");
    uart_putdec(space_switches);
    uart_puts(" address space switches, ");
    uart_putdec(page_faults);
    uart_puts(" page faults, ");
    uart_putdec(sched_stats.idle_waits);
    uart_puts(" idle waits\nAll processes finished; power off\n");
    psci_off(psci_method);
}

static const struct kernel_hooks hooks = {switch_space, on_fault, all_exited};

void kernel_main(uint32_t dtb)
{
    uart_init();
    uart_puts("Booting tskvm phone guest OS\n");
    /* QEMU boots an ELF without setting r2 but still puts the DTB at the start of RAM. */
    if (!fdt_valid(dtb) && fdt_valid(VIRT_RAM_BASE))
        dtb = VIRT_RAM_BASE;
    int have_dtb = board_info_read(dtb, &board);
    if (!have_dtb) {
        uart_puts("no device tree at r2; assuming 64 MiB of RAM at 0x40000000\n");
        board.ram_base = VIRT_RAM_BASE;
        board.ram_size = 64u << 20;
    } else {
        board_info_print(dtb, &board);
    }
    psci_method = board.psci_smc ? PSCI_SMC : PSCI_HVC;

    build_image_table();
    for (uint32_t s = 0; s < SPACES; s++)
        build_space(s);
    pt_enable_mmu(space_l1[0], 1);
    uart_puts("mmu: on, caches on; ");
    uart_putdec(SPACES);
    uart_puts(" address spaces, user window ");
    uart_puthex(USER_WINDOW_VA);
    uart_puts(" not global\n");

    /*
     * Until the VM's tree has a (v)GIC, a guest under tskvm gets no timer
     * interrupt: with no GIC in the device tree the tick is polled at every
     * system call instead (cooperative preemption, at step boundaries).
     */
    int have_gic = board.gic_base != 0 || !have_dtb;
    uint32_t id = tick_start(TICK_VIRTUAL, HZ, !have_gic);
    uart_puts("timer: tick ");
    uart_putdec(HZ);
    if (have_gic) {
        gic_init();
        gic_enable(id, 0xa0);
        gic_cpu_interface(1, 0xf0);
        uart_puts(" Hz on the virtual timer, interrupt ");
        uart_putdec(id);
        uart_puts("\n");
    } else {
        uart_puts(" Hz on the virtual timer, polled at system calls (no GIC in the device tree)\n");
    }
    sched_init(&hooks, have_gic ? id : 0);

    static const char *const names[SPACES][THREADS_PER_SPACE] = {{"A.1", "A.2"}, {"B.1", "B.2"}};
    /* Interleave the spaces in the task table, so round robin switches address space at every task switch. */
    for (uint32_t j = 0; j < THREADS_PER_SPACE; j++)
        for (uint32_t s = 0; s < SPACES; s++)
            task_create(names[s][j], guest_thread, s << 4 | j, USER_STACK_TOP(j), s, (uint32_t)usr_exit_trampoline);
    sched_start();
}
