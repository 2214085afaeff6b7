/**
 * Why Vcpu.run returned, named after KVM's exit reasons (KVM API,
 * "struct kvm_run", exit_reason) so that people who know KVM know them.
 * Numbers index the exit counters; they are ours, not KVM's values.
 */
export const ExitKind = {
  /** Not an exit: the exit object before the first run. */
  None: 0,
  /** The instruction budget ran out, or the scheduler or machine asked the vCPU to return (KVM_EXIT_INTR). */
  Intr: 1,
  /** A load or store outside memory slots and in-kernel devices, or a store to a read-only slot (KVM_EXIT_MMIO). */
  Mmio: 2,
  /** Port I/O (KVM_EXIT_IO; x86 IN/OUT and cores with a separate I/O space). */
  Io: 3,
  /** The guest waits for an interrupt: HLT, WFI, WAIT (KVM_EXIT_HLT). */
  Hlt: 4,
  /** A hypercall the kernel did not handle itself (KVM_EXIT_HYPERCALL). */
  Hypercall: 5,
  /** The guest asked for its VM to be powered off or reset (KVM_EXIT_SYSTEM_EVENT, e.g. PSCI SYSTEM_OFF). */
  SystemEvent: 6,
  /** The guest is in a state it cannot leave (KVM_EXIT_SHUTDOWN: an x86 triple fault). */
  Shutdown: 7,
  /** The core refused to enter guest mode with this vCPU state (KVM_EXIT_FAIL_ENTRY). */
  FailEntry: 8,
  /** The hypervisor could not go on: an instruction it cannot emulate, an inconsistent replay (KVM_EXIT_INTERNAL_ERROR). */
  InternalError: 9,
  /** The vCPU stopped for a debugger: a breakpoint, watchpoint or single step (KVM_EXIT_DEBUG). */
  Debug: 10,
} as const;

export type ExitKind = (typeof ExitKind)[keyof typeof ExitKind];

export const EXIT_KIND_COUNT = 11;

/** Short lower-case names for reports and listings, indexed by ExitKind. */
export const EXIT_KIND_NAMES: readonly string[] = [
  'none', 'intr', 'mmio', 'io', 'hlt', 'hypercall', 'system-event', 'shutdown', 'fail-entry', 'internal-error', 'debug',
];

/** system_event.type values (KVM_SYSTEM_EVENT_SHUTDOWN = 1, KVM_SYSTEM_EVENT_RESET = 2 in KVM's API). */
export const SystemEventType = {
  Shutdown: 1,
  Reset: 2,
} as const;

export type SystemEventType = (typeof SystemEventType)[keyof typeof SystemEventType];

/** internal.suberror values, as KVM's KVM_INTERNAL_ERROR_* (EMULATION = 1 … UNEXPECTED_EXIT_REASON = 4). */
export const InternalErrorKind = {
  /** An instruction the hypervisor or core cannot execute or emulate for this guest. */
  Emulation: 1,
  /** An exception while delivering another. */
  SimultaneousException: 2,
  /** An event could not be delivered to the guest. */
  DeliveryEvent: 3,
  /** The core reported something the hypervisor does not understand. */
  UnexpectedExitReason: 4,
} as const;
