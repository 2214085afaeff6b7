/*
 * phone-host: a small Linux-like kernel for the phone's host CPU. It boots
 * from the DTB the board passes in r2 (RAM, PSCI method, serial ports, RTC),
 * maps itself with short-descriptor tables (MMU, caches and branch
 * prediction on), starts the GICv2 and a 4000 Hz tick from the physical
 * generic timer (PPI 14, ID 30), runs five User-mode tasks round-robin with
 * a one-tick time slice, and powers the board off through PSCI SYSTEM_OFF
 * once they have all exited.
 */
#include <stdint.h>
#include "cp15.h"
#include "fdt.h"
#include "gic.h"
#include "kernel_info.h"
#include "kernel_trap.h"
#include "pagetable.h"
#include "pl011_port.h"
#include "psci_call.h"
#include "sched.h"
#include "tick.h"
#include "uart.h"
#include "usr_lib.h"
#include "usr_tasks.h"
#include "virt.h"

#define HZ 4000u

extern char __user_text_start[], __user_text_end[], __user_data_start[], __user_data_end[], __image_end[];

static uint32_t kernel_l1[4096] __attribute__((aligned(16384)));
/* Second-level table for the image's MiB (0x40100000): kernel pages, user text, user data. */
static uint32_t image_l2[256] __attribute__((aligned(1024)));
static struct board_info board;
/* A PL011 other than the console, for the kernel's notices (0 when the board has none). */
static uint32_t notice_uart;

static void find_notice_uart(void)
{
    for (uint32_t i = 0; i < board.uart_count; i++)
        if (board.uarts[i] != VIRT_UART_BASE)
            notice_uart = board.uarts[i];
    if (notice_uart == 0)
        return;
    pl011_port_init(notice_uart);
    pl011_port_puts(notice_uart, "phone-host: kernel notices on this port\n");
    uart_puts("serial: kernel notices go to the pl011 at ");
    uart_puthex(notice_uart);
    uart_puts("\n");
}

static void map_kernel(void)
{
    /* GIC, PL011s, PL031: Device, PL1 only, never executable. */
    pt_map_sections(kernel_l1, 0x08000000u, 0x08000000u, 0x02000000u, L1_DEVICE | L1_XN | L1_AP(AP_PL1_RW));
    /* All of RAM: Normal write-back, PL1 only, not executable except the image's pages. */
    pt_map_sections(kernel_l1, board.ram_base, board.ram_base, board.ram_size,
                    L1_NORMAL | L1_S | L1_XN | L1_AP(AP_PL1_RW));
    uint32_t image = FIRMWARE_BASE;
    uint32_t utext = (uint32_t)__user_text_start, udata = (uint32_t)__user_data_start;
    uint32_t uend = (uint32_t)__user_data_end, end = (uint32_t)__image_end;
    pt_map_pages(image_l2, image, image, utext - image, L2_NORMAL | L2_S | L2_AP(AP_PL1_RW));
    pt_map_pages(image_l2, utext, utext, udata - utext, L2_NORMAL | L2_S | L2_AP(AP_RO));
    pt_map_pages(image_l2, udata, udata, uend - udata, L2_NORMAL | L2_S | L2_XN | L2_AP(AP_FULL));
    pt_map_pages(image_l2, uend, uend, end - uend, L2_NORMAL | L2_S | L2_XN | L2_AP(AP_PL1_RW));
    pt_link_table(kernel_l1, image, image_l2);
    pt_enable_mmu(kernel_l1, 0);
    uart_puts("mmu: on, caches on; kernel ");
    uart_puthex(image);
    uart_puts("-");
    uart_puthex(utext - 1);
    uart_puts(", user text ");
    uart_puthex(utext);
    uart_puts("-");
    uart_puthex(udata - 1);
    uart_puts(", user data ");
    uart_puthex(udata);
    uart_puts("-");
    uart_puthex(uend - 1);
    uart_puts("\n");
}

static uint32_t start_gic_and_tick(void)
{
    gic_init();
    uint32_t lines = ((mmio_read32(GICD_TYPER) & 0x1fu) + 1u) * 32u; /* ITLinesNumber, IHI 0048B 4.3.2 */
    uint32_t id = tick_start(TICK_PHYSICAL, HZ, 0);
    gic_enable(id, 0xa0);
    gic_cpu_interface(1, 0xf0);
    uart_puts("gic: v2 distributor ");
    uart_puthex(VIRT_GICD_BASE);
    uart_puts(", cpu interface ");
    uart_puthex(VIRT_GICC_BASE);
    uart_puts(", ");
    uart_putdec(lines);
    uart_puts(" interrupt lines\ntimer: ");
    uart_putdec(read_cntfrq());
    uart_puts(" Hz counter, tick ");
    uart_putdec(HZ);
    uart_puts(" Hz (");
    uart_putdec(tick_period());
    uart_puts(" counts) on the physical timer, interrupt ");
    uart_putdec(id);
    uart_puts("\n");
    return id;
}

/* /chosen/tskvm,host-stays-up: after its tasks the host idles instead of powering the board off. */
static int host_stays_up;

static int visit_chosen(const struct fdt_prop *prop, void *ctx)
{
    (void)ctx;
    if (prop->depth == 1 && fdt_node_is(prop->node, "chosen") && fdt_streq(prop->name, "tskvm,host-stays-up"))
        host_stays_up = 1;
    return 0;
}

static __attribute__((noreturn)) void all_exited(void)
{
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
        uart_puts(" ticks, scheduled ");
        uart_putdec(t->runs);
        uart_puts(" times\n");
    }
    uart_puts("sched: ");
    uart_putdec(sched_stats.ticks);
    uart_puts(" ticks, ");
    uart_putdec(sched_stats.switches);
    uart_puts(" task switches, ");
    uart_putdec(sched_stats.idle_waits);
    uart_puts(" idle waits, ");
    uart_putdec(sched_stats.syscalls);
    uart_puts(" system calls\n");
    if (host_stays_up) {
        /* Tickless idle: the timer off, interrupts masked, so the core sleeps until the board ends. */
        uart_puts("All tasks finished; the host stays up (tskvm,host-stays-up)\n");
        write_cntp_ctl(0);
        irq_disable();
        for (;;)
            wfi();
    }
    uart_puts("All tasks finished; power off\n");
    if (notice_uart != 0) {
        pl011_port_puts(notice_uart, "phone-host: ");
        pl011_port_putdec(notice_uart, sched_stats.ticks);
        pl011_port_puts(notice_uart, " ticks, power off\n");
    }
    psci_off(psci_method);
}

static const struct kernel_hooks hooks = {0, 0, all_exited};

void kernel_main(uint32_t dtb)
{
    uart_init();
    uart_puts("Booting tskvm phone host kernel\ncpu: MIDR ");
    uart_puthex(read_midr());
    uart_puts("\n");
    /* QEMU boots an ELF without setting r2 but still puts the DTB at the start of RAM. */
    if (!fdt_valid(dtb) && fdt_valid(VIRT_RAM_BASE))
        dtb = VIRT_RAM_BASE;
    if (!board_info_read(dtb, &board)) {
        uart_puts("no device tree at r2 ");
        uart_puthex(dtb);
        uart_puts("; assuming 256 MiB of RAM at 0x40000000\n");
        board.ram_base = VIRT_RAM_BASE;
        board.ram_size = 256u << 20;
        board.rtc_base = 0;
    } else {
        board_info_print(dtb, &board);
    }
    psci_method = board.psci_smc ? PSCI_SMC : PSCI_HVC;
    if (fdt_valid(dtb))
        fdt_for_each_prop(dtb, visit_chosen, 0);
    find_notice_uart();
    map_kernel();
    uint32_t tick_irq = start_gic_and_tick();
    sched_init(&hooks, tick_irq);

    static void (*const entries[HOST_TASKS])(uint32_t) = {task_primes, task_collatz, task_crc, task_sleeper,
                                                          task_intruder};
    static const char *const names[HOST_TASKS] = {"primes", "collatz", "crc32", "sleeper", "intruder"};
    for (uint32_t i = 0; i < HOST_TASKS; i++)
        task_create(names[i], entries[i], i + 1, (uint32_t)user_stacks[i] + USER_STACK_SIZE, 0,
                    (uint32_t)usr_exit_trampoline);
    uart_puts("sched: ");
    uart_putdec(HOST_TASKS);
    uart_puts(" user tasks, round robin, one tick per slice\n");
    sched_start();
}
