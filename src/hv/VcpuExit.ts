import { ExitKind, type SystemEventType } from './ExitKind.ts';

/** kvm_run.mmio: one guest load or store the VMM must perform. */
export class MmioExit {
  /** Guest-physical address. */
  address = 0;
  /** Bytes: 1, 2 or 4 (64-bit accesses exit as two 4-byte halves). */
  size: 1 | 2 | 4 = 4;
  isWrite = false;
  /** For a write, the value stored (in the bus's byte order, as a device sees it); for a read, the value given by completeMmioRead. */
  data = 0;
}

/** kvm_run.io: port I/O. */
export class IoExit {
  port = 0;
  size: 1 | 2 | 4 = 1;
  isWrite = false;
  data = 0;
}

/** kvm_run.hypercall. */
export class HypercallExit {
  /** Function number (the ISA's convention says which register carries it). */
  nr = 0;
  /** Up to six arguments, as KVM's args[6]. */
  readonly args = new Uint32Array(6);
  /** What completeHypercall set (the value the guest sees). */
  ret = 0;
}

/** kvm_run.system_event. */
export class SystemEventExit {
  type: SystemEventType = 1;
}

/** kvm_run.fail_entry. */
export class FailEntryExit {
  /** The core's reason code for refusing entry (ISA-specific, like VMX's exit qualification). */
  hardwareEntryFailureReason = 0;
}

/** kvm_run.internal, with the guest state that caused it. */
export class InternalErrorExit {
  /** InternalErrorKind. */
  suberror = 0;
  /** Guest program counter of the instruction at fault. */
  pc = 0;
  /** Its encoding (first word), or 0 when unknown. */
  instruction = 0;
  /** One line saying what went wrong (a constant string: setting it does not allocate). */
  reason = '';
}

/**
 * The exit record of one vCPU, as KVM's mmap'ed kvm_run: allocated once and
 * overwritten by every run, so the steady state allocates nothing. Read the
 * part that `kind` names; the others keep stale values.
 */
export class VcpuExit {
  kind: ExitKind = ExitKind.None;
  readonly mmio = new MmioExit();
  readonly io = new IoExit();
  readonly hypercall = new HypercallExit();
  readonly systemEvent = new SystemEventExit();
  readonly failEntry = new FailEntryExit();
  readonly internal = new InternalErrorExit();

  /** Record an internal error (used by the hypervisor and by cores). */
  setInternalError(suberror: number, pc: number, instruction: number, reason: string): void {
    this.kind = ExitKind.InternalError;
    this.internal.suberror = suberror;
    this.internal.pc = pc >>> 0;
    this.internal.instruction = instruction >>> 0;
    this.internal.reason = reason;
  }
}
