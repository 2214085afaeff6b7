/*
 * System call numbers of the small kernels. The calling convention is
 * Linux's ARM EABI one: SVC #0 with the number in r7, arguments in r0-r2,
 * result in r0. Where Linux has a call with the same meaning its number is
 * used (exit 1, write 4, getpid 20, times 43, sched_yield 158); sleep_ticks
 * is ours and sits outside Linux's numbers.
 */
#ifndef SYSCALL_H
#define SYSCALL_H

#define SYS_EXIT         1
#define SYS_WRITE        4
#define SYS_GETPID       20
#define SYS_TIMES        43    /* returns the tick count; the argument is ignored */
#define SYS_SCHED_YIELD  158
#define SYS_SLEEP_TICKS  0x1000

#define ERR_NOSYS        ((uint32_t)-38)
#define ERR_BADF         ((uint32_t)-9)
#define ERR_FAULT        ((uint32_t)-14)

#endif
