#include "fdt.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u

uint32_t fdt_cell(const uint8_t *value, uint32_t i)
{
    const uint8_t *p = value + 4 * i;
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

int fdt_streq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

int fdt_node_is(const char *node, const char *base)
{
    while (*base && *node == *base) {
        node++;
        base++;
    }
    return *base == 0 && (*node == 0 || *node == '@');
}

int fdt_string_list_has(const struct fdt_prop *prop, const char *s)
{
    uint32_t i = 0;
    while (i < prop->len) {
        const char *entry = (const char *)prop->value + i;
        if (fdt_streq(entry, s))
            return 1;
        while (i < prop->len && prop->value[i] != 0)
            i++;
        i++;
    }
    return 0;
}

int fdt_valid(uint32_t dtb)
{
    return fdt_cell((const uint8_t *)dtb, 0) == FDT_MAGIC;
}

static uint32_t align4(uint32_t n)
{
    return (n + 3u) & ~3u;
}

void fdt_for_each_prop(uint32_t dtb, fdt_visitor visit, void *ctx)
{
    const uint8_t *header = (const uint8_t *)dtb;
    if (!fdt_valid(dtb))
        return;
    uint32_t total = fdt_cell(header, 1);
    const uint8_t *structure = header + fdt_cell(header, 2);
    const char *strings = (const char *)header + fdt_cell(header, 3);
    const uint8_t *end = header + total;
    const uint8_t *p = structure;
    const char *node = "";
    uint32_t depth = 0; /* nodes open, the root included */
    while (p + 4 <= end) {
        uint32_t token = fdt_cell(p, 0);
        p += 4;
        if (token == FDT_BEGIN_NODE) {
            node = (const char *)p;
            uint32_t n = 0;
            while (p[n] != 0)
                n++;
            p += align4(n + 1);
            depth++;
        } else if (token == FDT_END_NODE) {
            depth--;
            node = "";  /* properties only come before a node's children */
        } else if (token == FDT_PROP) {
            struct fdt_prop prop;
            prop.len = fdt_cell(p, 0);
            prop.name = strings + fdt_cell(p, 1);
            prop.value = p + 8;
            prop.node = node;
            prop.depth = depth - 1;
            p += 8 + align4(prop.len);
            if (visit(&prop, ctx))
                return;
        } else if (token != FDT_NOP) {
            return; /* FDT_END or a bad token */
        }
    }
}
