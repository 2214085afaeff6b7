#ifndef FLOAT_CHECKS_H
#define FLOAT_CHECKS_H

/* CPACR grants CP10/CP11 at PL0 and PL1, then FPEXC.EN (B4.1.40, B6.1.x). */
void vfp_enable(void);
void run_float_checks(void);

#endif
