/*
 * VFP reference-vector harness: runs every case of the generated table
 * (vfp-cases.S) once under qemu-arm and prints one line per case for
 * collect-vfp-vectors.ts:
 *
 *   case <index> <insn address> <insn bytes> <fpscr out> <64 register words out>
 *
 * All numbers hexadecimal; instruction bytes in memory order.
 */
#include <stdint.h>

struct vfp_case {
    uint32_t regs[64];
    uint32_t fpscr;
    uint32_t stub;
};

extern const uint32_t vfp_case_count;
extern const struct vfp_case vfp_case_table[];
extern void run_vfp_case(const struct vfp_case *c, uint32_t *result);
extern int sys_write(int fd, const void *buf, uint32_t len);

static uint32_t result[65] __attribute__((aligned(8)));
static char line[1024];
static uint32_t used;

static void put_char(char c) { line[used++] = c; }

static void put_text(const char *s) {
    while (*s) put_char(*s++);
}

static void put_hex(uint32_t v, int digits) {
    static const char hex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--) put_char(hex[(v >> (4 * i)) & 15]);
}

static void put_word(uint32_t v) {
    put_char(' ');
    put_hex(v, 8);
}

int main(void) {
    for (uint32_t i = 0; i < vfp_case_count; i++) {
        const struct vfp_case *c = &vfp_case_table[i];
        run_vfp_case(c, result);
        uint32_t insn = c->stub & ~1u;
        const uint8_t *bytes = (const uint8_t *)insn;
        put_text("case");
        put_word(i);
        put_word(insn);
        put_char(' ');
        for (int b = 0; b < 4; b++) put_hex(bytes[b], 2);
        put_word(result[64]);
        for (int r = 0; r < 64; r++) put_word(result[r]);
        put_char('\n');
        sys_write(1, line, used);
        used = 0;
    }
    return 0;
}
