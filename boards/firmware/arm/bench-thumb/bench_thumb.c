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

/*
 * The Thumb code is small enough that the program's data (.data, .bss: the
 * random generator's state, the search text) would follow it in the same
 * 4 KiB page, and every store there would drop the page's decoded and
 * compiled code. A page-aligned read-only object puts the data on pages of
 * their own, as an ELF loader does for any real program's segments.
 */
static const uint8_t data_after_this_page[4] __attribute__((aligned(4096))) = {'b', 'e', 'n', 'c'};

int main(void)
{
    struct bench_result result;
    /* Read through a volatile pointer so that the object (and its alignment) stays in the image. */
    const uint8_t *volatile keep = data_after_this_page;
    (void)keep[0];
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
