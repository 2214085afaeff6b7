/* float: VFP arithmetic, rounding, flags and conversions (checks in float_checks.c, built for the VFP). */
#include "check.h"
#include "float_checks.h"

int main(void)
{
    check_begin("float");
    vfp_enable();
    run_float_checks();
    check_finish();
}
