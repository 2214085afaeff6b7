/*
 * Advanced SIMD reference-vector harness: runs each case of the generated
 * table once under qemu-arm and prints its outputs, one line per case:
 *
 *   case <index> <insn address> <insn bytes> out <r0..r12> <fpscr>
 *        d <d0 … d31 as 16 hex digits, low word last> [mem <scratch address> <128 bytes after>]
 *
 * The inputs are in the case table the generator wrote; collect-vectors.ts
 * joins both. Numbers are hexadecimal.
 */
#include <stdint.h>

#define SCRATCH_SIZE 128

struct case_record {
    uint32_t r[13];
    uint32_t fpscr;
    uint32_t stub;
    uint32_t end;
    const uint8_t *memory;
    const uint32_t *dregs;
};

extern const uint32_t case_count;
extern const struct case_record case_table[];
extern uint32_t capture_area[13];
extern uint32_t capture_top[4];
extern uint32_t capture_d[64];
extern void run_case(const struct case_record *record);
extern int sys_write(int fd, const void *buf, uint32_t len);

uint8_t scratch[SCRATCH_SIZE] __attribute__((aligned(64)));

static char line[8192];
static uint32_t used;

static void put_char(char c) { line[used++] = c; }
static void put_text(const char *s) { while (*s) put_char(*s++); }
static void put_hex(uint32_t v, int digits) {
    static const char hex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--) put_char(hex[(v >> (4 * i)) & 15]);
}
static void put_word(uint32_t v) { put_char(' '); put_hex(v, 8); }

int main(void) {
    for (uint32_t i = 0; i < case_count; i++) {
        const struct case_record *c = &case_table[i];
        if (c->memory) {
            for (uint32_t b = 0; b < SCRATCH_SIZE; b++) scratch[b] = c->memory[b];
        }
        run_case(c);
        uint32_t insn = c->stub & ~1u;
        put_text("case");
        put_word(i);
        put_word(insn);
        put_char(' ');
        for (uint32_t a = insn; a < c->end; a++) put_hex(*(const uint8_t *)a, 2);
        put_text(" out");
        for (int r = 0; r < 13; r++) put_word(capture_area[r]);
        put_word(capture_top[0]);
        put_text(" d");
        for (int r = 0; r < 32; r++) {
            put_char(' ');
            put_hex(capture_d[2 * r + 1], 8);
            put_hex(capture_d[2 * r], 8);
        }
        if (c->memory) {
            put_text(" mem");
            put_word((uint32_t)scratch);
            put_char(' ');
            for (uint32_t b = 0; b < SCRATCH_SIZE; b++) put_hex(scratch[b], 2);
        }
        put_char('\n');
        sys_write(1, line, used);
        used = 0;
    }
    return 0;
}
