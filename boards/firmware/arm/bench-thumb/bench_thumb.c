/*
 * bench-thumb: the CPU-bound work of bench/ (bench_core.c) compiled as
 * Thumb-2, for the JIT's T32 figures. The checksum is the same C, so it
 * must equal the A32 build's (BENCH_EXPECTED_CHECKSUM, confirmed on the
 * host by scripts/build-firmware.sh for the bench program).
 */
#include "../bench/bench_core.h"
#include "check.h"
#include "cp15.h"
#include "uart.h"

int main(void)
{
    struct bench_result result;
    check_begin("bench-thumb");
    uint64_t t0 = read_cntpct();
    bench_run(&result);
    uint64_t elapsed = read_cntpct() - t0;
    uart_puts("BENCH checksum ");
    uart_puthex(result.checksum);
    uart_puts("\n");
    check_eq("CRC-32 check value of \"123456789\"", result.crc_check, 0xcbf43926u);
    check_eq("every sort is ascending", result.sorted_ok, 1);
    check_eq("checksum equals the A32 build's", result.checksum, BENCH_EXPECTED_CHECKSUM);
    check_info("bench_ticks", (uint32_t)elapsed);
    check_finish();
}
