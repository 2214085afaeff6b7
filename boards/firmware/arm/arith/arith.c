/* arith: A32 integer, flag, multiply/divide, bit-field, saturation and SIMD checks. */
#include "arith_checks.h"
#include "check.h"

int main(void)
{
    check_begin("arith");
    run_arith_checks();
    check_finish();
}
