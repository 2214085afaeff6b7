#include "kernel_info.h"
#include "fdt.h"
#include "pl031.h"
#include "uart.h"
#include "virt.h"

struct walk {
    struct board_info *info;
    uint32_t address_cells;
    uint32_t size_cells;
};

/* The low 32 bits of the first address in a reg property with the root's cell sizes. */
static uint32_t reg_address(const struct walk *w, const struct fdt_prop *p)
{
    return fdt_cell(p->value, w->address_cells - 1);
}

static int visit(const struct fdt_prop *p, void *ctx)
{
    struct walk *w = ctx;
    struct board_info *info = w->info;
    if (p->depth == 0) {
        if (fdt_streq(p->name, "#address-cells"))
            w->address_cells = fdt_cell(p->value, 0);
        else if (fdt_streq(p->name, "#size-cells"))
            w->size_cells = fdt_cell(p->value, 0);
        else if (fdt_streq(p->name, "model"))
            info->model = (const char *)p->value;
        return 0;
    }
    if (p->depth != 1)
        return 0;
    if (fdt_node_is(p->node, "memory") && fdt_streq(p->name, "reg") && info->ram_size == 0) {
        info->ram_base = reg_address(w, p);
        info->ram_size = fdt_cell(p->value, w->address_cells + w->size_cells - 1);
    } else if (fdt_node_is(p->node, "psci") && fdt_streq(p->name, "method")) {
        info->psci_found = 1;
        info->psci_smc = fdt_streq((const char *)p->value, "smc");
    } else if (fdt_node_is(p->node, "chosen") && fdt_streq(p->name, "stdout-path")) {
        info->stdout_path = (const char *)p->value;
    }
    return 0;
}

/*
 * Devices are found by compatible; their address is the unit address of
 * the node name ("pl011@9000000"), which names the first reg address.
 */
static uint32_t unit_address(const char *node)
{
    while (*node && *node != '@')
        node++;
    if (*node != '@')
        return 0;
    uint32_t v = 0;
    for (node++; *node; node++) {
        char c = *node;
        uint32_t d = c >= '0' && c <= '9' ? (uint32_t)(c - '0') : c >= 'a' && c <= 'f' ? (uint32_t)(c - 'a' + 10) : 16u;
        if (d == 16u)
            break;
        v = v * 16u + d;
    }
    return v;
}

static int visit_devices(const struct fdt_prop *p, void *ctx)
{
    struct board_info *info = ctx;
    if (p->depth != 1 || !fdt_streq(p->name, "compatible"))
        return 0;
    if (fdt_string_list_has(p, "arm,pl011") && info->uart_count < MAX_UARTS)
        info->uarts[info->uart_count++] = unit_address(p->node);
    else if (fdt_string_list_has(p, "arm,pl031"))
        info->rtc_base = unit_address(p->node);
    else if (fdt_string_list_has(p, "arm,cortex-a15-gic") || fdt_string_list_has(p, "arm,gic-400"))
        info->gic_base = unit_address(p->node);
    return 0;
}

int board_info_read(uint32_t dtb, struct board_info *info)
{
    struct walk w = {info, 2, 1};
    info->model = "unknown";
    info->ram_base = 0;
    info->ram_size = 0;
    info->psci_smc = 0;
    info->psci_found = 0;
    info->uart_count = 0;
    info->rtc_base = 0;
    info->stdout_path = "";
    info->gic_base = 0;
    if (!fdt_valid(dtb))
        return 0;
    fdt_for_each_prop(dtb, visit, &w);
    fdt_for_each_prop(dtb, visit_devices, info);
    return 1;
}

static void put2(uint32_t v)
{
    uart_putc((char)('0' + v / 10 % 10));
    uart_putc((char)('0' + v % 10));
}

void board_info_print(uint32_t dtb, const struct board_info *info)
{
    uart_puts("dtb: at ");
    uart_puthex(dtb);
    uart_puts(", model \"");
    uart_puts(info->model);
    uart_puts("\"\nmemory: ");
    uart_puthex(info->ram_base);
    uart_puts("-");
    uart_puthex(info->ram_base + info->ram_size - 1);
    uart_puts(" (");
    uart_putdec(info->ram_size >> 20);
    uart_puts(" MiB)\npsci: ");
    uart_puts(!info->psci_found ? "no /psci node, using hvc" : info->psci_smc ? "method smc" : "method hvc");
    uart_puts("\nserial:");
    for (uint32_t i = 0; i < info->uart_count; i++) {
        uart_puts(" pl011 at ");
        uart_puthex(info->uarts[i]);
        if (i + 1 < info->uart_count)
            uart_puts(",");
    }
    uart_puts(" (console ");
    uart_puts(info->stdout_path);
    uart_puts(")\n");
    if (info->rtc_base == 0) {
        uart_puts("rtc: none\n");
        return;
    }
    uint32_t seconds = mmio_read32(info->rtc_base + RTCDR);
    struct calendar_time t;
    calendar_from_seconds(seconds, &t);
    uart_puts("rtc: pl031 at ");
    uart_puthex(info->rtc_base);
    uart_puts(", boot time ");
    uart_putdec(t.year);
    uart_puts("-");
    put2(t.month);
    uart_puts("-");
    put2(t.day);
    uart_puts(" ");
    put2(t.hour);
    uart_puts(":");
    put2(t.minute);
    uart_puts(":");
    put2(t.second);
    uart_puts(" UTC (");
    uart_putdec(seconds);
    uart_puts(" s since 1970)\n");
}
