#ifndef ARITH_CHECKS_H
#define ARITH_CHECKS_H

/*
 * Integer, flag, multiply, divide, bit-field, saturation, SIMD, condition and
 * load/store checks written in unified assembler syntax, so the same source
 * runs as A32 (the arith program) and as Thumb-2 (the thumb program).
 */
void run_arith_checks(void);

#endif
