/*
 * Self-checking output: "START program" from check_begin(), one "PASS name"
 * or "FAIL name: details" line per check, then "SUMMARY program: N passed,
 * M failed" from check_finish(), which powers the board off.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdint.h>

void check_begin(const char *program);
void check_eq(const char *name, uint32_t got, uint32_t want);
void check_eq64(const char *name, uint64_t got, uint64_t want);
/* A result and the APSR flags it left, checked together. */
void check_flags(const char *name, uint32_t got, uint32_t got_flags, uint32_t want, uint32_t want_flags);
void check_true(const char *name, int ok, const char *why);
/* Counts a failure and prints "FAIL name: "; the caller prints the details and "\n". */
void check_fail_begin(const char *name);
/* "INFO name value" — a measured value that is printed, not checked. */
void check_info(const char *name, uint32_t value);
/* Ends the run with the summary line; also used when an unexpected exception ends it early. */
__attribute__((noreturn)) void check_finish(void);

#endif
