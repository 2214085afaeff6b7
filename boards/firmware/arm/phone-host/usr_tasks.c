/*
 * The host's user tasks. Three are CPU-bound and long enough that the
 * scheduler tick preempts them in the middle of a step; the fourth sleeps
 * between its steps, so the kernel also idles in WFI. Each step prints what
 * it computed; the values are well known (prime counts, Collatz records,
 * CRC-32), so the output can be checked independently. A fifth task tries
 * to read the kernel and is killed.
 */
#include "usr_tasks.h"
#include "usr_lib.h"

#define STEPS 6

uint8_t user_stacks[HOST_TASKS][USER_STACK_SIZE] __attribute__((aligned(8)));

static void begin(struct line *l, uint32_t n)
{
    line_start(l);
    line_str(l, "[task ");
    line_dec(l, n);
    line_str(l, "] ");
}

static void step_prefix(struct line *l, uint32_t n, uint32_t step)
{
    begin(l, n);
    line_str(l, "step ");
    line_dec(l, step);
    line_str(l, "/");
    line_dec(l, STEPS);
    line_str(l, ": ");
}

static int is_prime(uint32_t v)
{
    if (v < 2)
        return 0;
    for (uint32_t d = 2; d * d <= v; d++)
        if (v % d == 0)
            return 0;
    return 1;
}

/* pi(x) for x = 2000, 4000, ... 12000 by trial division. */
void task_primes(uint32_t n)
{
    struct line l;
    uint32_t count = 0, v = 0;
    for (uint32_t step = 1; step <= STEPS; step++) {
        for (; v < step * 2000u; v++)
            count += (uint32_t)is_prime(v);
        step_prefix(&l, n, step);
        line_dec(&l, count);
        line_str(&l, " primes below ");
        line_dec(&l, v);
        line_send(&l);
    }
    begin(&l, n);
    line_str(&l, "done: pid ");
    line_dec(&l, sys_getpid());
    line_str(&l, ", ");
    line_dec(&l, count);
    line_str(&l, " primes");
    line_send(&l);
    sys_exit(0);
}

static uint32_t collatz_steps(uint32_t v)
{
    uint32_t steps = 0;
    while (v != 1) {
        v = (v & 1u) ? 3u * v + 1u : v / 2u;
        steps++;
    }
    return steps;
}

/* The start below 1000, 2000, ... 6000 with the longest Collatz trajectory. */
void task_collatz(uint32_t n)
{
    struct line l;
    uint32_t best = 1, best_steps = 0, v = 1;
    for (uint32_t step = 1; step <= STEPS; step++) {
        for (; v < step * 1000u; v++) {
            uint32_t s = collatz_steps(v);
            if (s > best_steps) {
                best_steps = s;
                best = v;
            }
        }
        step_prefix(&l, n, step);
        line_str(&l, "longest Collatz trajectory below ");
        line_dec(&l, v);
        line_str(&l, " starts at ");
        line_dec(&l, best);
        line_str(&l, " (");
        line_dec(&l, best_steps);
        line_str(&l, " steps)");
        line_send(&l);
    }
    begin(&l, n);
    line_str(&l, "done: pid ");
    line_dec(&l, sys_getpid());
    line_str(&l, ", record ");
    line_dec(&l, best);
    line_send(&l);
    sys_exit(0);
}

/* CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320) of the bytes i & 0xff for i < step * 4096. */
void task_crc(uint32_t n)
{
    struct line l;
    uint32_t crc = 0xffffffffu, i = 0;
    for (uint32_t step = 1; step <= STEPS; step++) {
        for (; i < step * 4096u; i++) {
            crc ^= i & 0xffu;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
        }
        step_prefix(&l, n, step);
        line_str(&l, "crc32 of ");
        line_dec(&l, i);
        line_str(&l, " bytes = ");
        line_hex(&l, ~crc);
        line_send(&l);
    }
    begin(&l, n);
    line_str(&l, "done: pid ");
    line_dec(&l, sys_getpid());
    line_str(&l, ", crc32 ");
    line_hex(&l, ~crc);
    line_send(&l);
    sys_exit(0);
}

/*
 * Sleeps 20 ticks between steps and reports the tick it woke at. It keeps the
 * host alive (mostly idle in WFI) for about 30 ms of virtual time, which
 * leaves the phone's guests time to finish before the host powers off.
 */
void task_sleeper(uint32_t n)
{
    struct line l;
    uint32_t start = sys_ticks(), last = start;
    /* The kernel's pages are not readable from User mode, so write() refuses them. */
    uint32_t refused = sys_write((const char *)0x40100000u, 4);
    begin(&l, n);
    line_str(&l, "write() of a kernel address returns -");
    line_dec(&l, 0u - refused);
    line_send(&l);
    for (uint32_t step = 1; step <= STEPS; step++) {
        sys_sleep_ticks(20);
        last = sys_ticks();
        step_prefix(&l, n, step);
        line_str(&l, "woke at tick ");
        line_dec(&l, last);
        line_send(&l);
    }
    begin(&l, n);
    line_str(&l, "done: pid ");
    line_dec(&l, sys_getpid());
    line_str(&l, ", slept from tick ");
    line_dec(&l, start);
    line_str(&l, " to ");
    line_dec(&l, last);
    line_send(&l);
    sys_exit(0);
}

void task_intruder(uint32_t n)
{
    struct line l;
    begin(&l, n);
    line_str(&l, "reading kernel memory at 0x40100000");
    line_send(&l);
    uint32_t value = *(volatile uint32_t *)0x40100000u;
    begin(&l, n);
    line_str(&l, "read ");
    line_hex(&l, value);
    line_str(&l, ": the kernel is not protected");
    line_send(&l);
    sys_exit(1);
}
