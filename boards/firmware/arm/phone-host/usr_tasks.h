/* The host kernel's user tasks (usr_tasks.c, linked into the user pages). */
#ifndef USR_TASKS_H
#define USR_TASKS_H

#include <stdint.h>

#define HOST_TASKS 5
#define USER_STACK_SIZE 4096u

/* Task n (1-based) of HOST_TASKS; the first four print "[task n] step k/N: ..." lines and a final "[task n] done: ..." line. */
void task_primes(uint32_t n);
void task_collatz(uint32_t n);
void task_crc(uint32_t n);
void task_sleeper(uint32_t n);
/* Reads a kernel page from User mode: the MMU's permission fault gets it killed. */
void task_intruder(uint32_t n);

extern uint8_t user_stacks[HOST_TASKS][USER_STACK_SIZE];

#endif
