/* Host build of the bench work: prints the checksum the firmware must reproduce. */
#include <stdio.h>
#include "bench_core.h"

int main(void)
{
    struct bench_result r;
    bench_run(&r);
    printf("crc_check 0x%08x crc 0x%08x insertion 0x%08x quick 0x%08x matrix 0x%08x search 0x%08x sorted %u\n",
           r.crc_check, r.crc, r.insertion, r.quick, r.matrix, r.search, r.sorted_ok);
    printf("0x%08x\n", r.checksum);
    return 0;
}
