/*
 * PSCI through the conduit the device tree's /psci node names (method =
 * "hvc" or "smc"), SMC Calling Convention (ARM DEN 0028): function ID in r0,
 * result in r0.
 */
#ifndef PSCI_CALL_H
#define PSCI_CALL_H

#include <stdint.h>

enum psci_conduit { PSCI_HVC, PSCI_SMC };

/* The conduit the kernel found in the device tree (HVC until it looks). */
extern enum psci_conduit psci_method;

uint32_t psci_call(enum psci_conduit conduit, uint32_t function);
/* SYSTEM_OFF (0x84000008); prints the result and stops in WFI if it returns. */
__attribute__((noreturn)) void psci_off(enum psci_conduit conduit);

#endif
