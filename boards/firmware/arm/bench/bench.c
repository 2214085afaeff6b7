/*
 * bench: CPU-bound work for `npm run bench` (CRC-32 with a table, insertion
 * sort, quicksort, a 24x24 matrix multiply, naive string search). Prints
 * "BENCH checksum 0x..." and checks it against the host-computed value, and
 * the counter ticks it took as INFO.
 */
#include "bench_core.h"
#include "check.h"
#include "cp15.h"
#include "uart.h"

int main(void)
{
    struct bench_result r;
    check_begin("bench");
    uint64_t start = read_cntpct();
    bench_run(&r);
    uint64_t ticks = read_cntpct() - start;
    uart_puts("BENCH checksum ");
    uart_puthex(r.checksum);
    uart_puts("\n");
    check_eq("crc32 of \"123456789\" is the standard check value", r.crc_check, 0xcbf43926u);
    check_eq("sorts produce ascending output", r.sorted_ok, 1);
    check_eq("bench checksum matches the host build", r.checksum, BENCH_EXPECTED_CHECKSUM);
    check_info("bench_ticks", (uint32_t)ticks);
    check_finish();
}
