/*
 * A reader for the flattened device tree the boot loader passes in r2
 * (Devicetree Specification v0.4, chapter 5: header, structure block tokens
 * FDT_BEGIN_NODE / FDT_END_NODE / FDT_PROP / FDT_NOP / FDT_END, strings
 * block). Everything in the blob is big-endian.
 */
#ifndef FDT_H
#define FDT_H

#include <stdint.h>

struct fdt_prop {
    const char *node;      /* the node's name with its unit address, "" for the root */
    uint32_t depth;        /* 0 for the root's own properties */
    const char *name;
    const uint8_t *value;
    uint32_t len;
};

/* Returns non-zero to stop the walk. */
typedef int (*fdt_visitor)(const struct fdt_prop *prop, void *ctx);

/* Non-zero when a blob with the FDT magic (0xd00dfeed) sits at dtb. */
int fdt_valid(uint32_t dtb);
/* Calls visit for every property, in blob order (a node's properties before its children). */
void fdt_for_each_prop(uint32_t dtb, fdt_visitor visit, void *ctx);
/* Big-endian cell i of a property value. */
uint32_t fdt_cell(const uint8_t *value, uint32_t i);
/* Non-zero when the node name is `base` or `base@unit`. */
int fdt_node_is(const char *node, const char *base);
/* Non-zero when a string-list property (compatible) holds s. */
int fdt_string_list_has(const struct fdt_prop *prop, const char *s);
int fdt_streq(const char *a, const char *b);

#endif
