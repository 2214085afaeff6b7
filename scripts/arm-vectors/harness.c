/*
 * ARM reference-vector harness: runs every case of the generated table
 * (cases.S) once under qemu-arm and prints what went in and what came out,
 * one line per case, for collect-vectors.ts to turn into JSON:
 *
 *   case <index> <insn address> <insn bytes> in <r0..r14> <apsr>
 *        out <r0..r14> <apsr> [mem <address> <before> <after>]
 *
 * All numbers are hexadecimal. The instruction's bytes are in memory order.
 */
#include <stdint.h>

#define SCRATCH_SIZE 128

struct case_record {
    uint32_t r[13];
    uint32_t r14;
    uint32_t apsr;
    uint32_t stub;
    uint32_t end;
    const uint8_t *memory;
};

extern const uint32_t case_count;
extern const struct case_record case_table[];
extern uint32_t capture_area[14];
extern uint32_t capture_top[4];
extern void run_case(const struct case_record *record);
extern int sys_write(int fd, const void *buf, uint32_t len);

/* The memory that load/store cases address (their base registers point into it). */
uint8_t scratch[SCRATCH_SIZE] __attribute__((aligned(64)));

static char line[4096];
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

static void put_bytes(const uint8_t *p, uint32_t n) {
    put_char(' ');
    for (uint32_t i = 0; i < n; i++) put_hex(p[i], 2);
}

static void flush_line(void) {
    put_char('\n');
    sys_write(1, line, used);
    used = 0;
}

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
        put_bytes((const uint8_t *)insn, c->end - insn);
        put_text(" in");
        for (int r = 0; r < 13; r++) put_word(c->r[r]);
        put_word((uint32_t)capture_top);
        put_word(c->r14);
        put_word(c->apsr);
        put_text(" out");
        for (int r = 0; r < 13; r++) put_word(capture_area[r]);
        put_word(capture_top[1]);
        put_word(capture_area[13]);
        put_word(capture_top[0]);
        if (c->memory) {
            put_text(" mem");
            put_word((uint32_t)scratch);
            put_bytes(c->memory, SCRATCH_SIZE);
            put_bytes(scratch, SCRATCH_SIZE);
        }
        flush_line();
    }
    return 0;
}
