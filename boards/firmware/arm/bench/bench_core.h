/*
 * The CPU-bound work of the bench program, in portable C (no library, no
 * pointer-size or byte-order assumptions), so the same file also builds for
 * the host and gives the expected checksum independently of any simulator.
 */
#ifndef BENCH_CORE_H
#define BENCH_CORE_H

#include <stdint.h>

/* Result the bench must print; checked by scripts/build-firmware.sh against a host build. */
#define BENCH_EXPECTED_CHECKSUM 0x027947e5u
#define BENCH_ROUNDS 4

struct bench_result {
    uint32_t crc_check;     /* CRC-32 of "123456789": 0xcbf43926 by definition */
    uint32_t crc;
    uint32_t insertion;
    uint32_t quick;
    uint32_t matrix;
    uint32_t search;
    uint32_t sorted_ok;     /* 1 when every sort produced ascending output */
    uint32_t checksum;
};

void bench_run(struct bench_result *result);

#endif
