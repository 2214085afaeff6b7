#ifndef PSCI_H
#define PSCI_H

/* Powers the board off through PSCI SYSTEM_OFF over HVC (the board's psci method). */
__attribute__((noreturn)) void psci_system_off(void);

#endif
