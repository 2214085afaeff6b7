import { EXIT_KIND_NAMES, ExitKind, SystemEventType } from '../hv/ExitKind.ts';
import type { VcpuExit } from '../hv/VcpuExit.ts';

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

/**
 * The fields of a vCPU exit worth a trace line, named as KVM's struct
 * kvm_run names them: MMIO (phys_addr, len, is_write, data), port I/O,
 * hypercall (nr, args), system event (type), fail entry (hardware reason),
 * internal error (suberror, with the pc and reason).
 */
export function exitDetails(exit: VcpuExit): Record<string, string | number> {
  switch (exit.kind) {
    case ExitKind.Mmio: {
      const m = exit.mmio;
      return { gpa: hex(m.address), size: m.size, dir: m.isWrite ? 'write' : 'read', ...(m.isWrite ? { data: hex(m.data) } : {}) };
    }
    case ExitKind.Io: {
      const io = exit.io;
      return { port: hex(io.port), size: io.size, dir: io.isWrite ? 'write' : 'read', ...(io.isWrite ? { data: hex(io.data) } : {}) };
    }
    case ExitKind.Hypercall:
      return { nr: hex(exit.hypercall.nr), a0: hex(exit.hypercall.args[0]), a1: hex(exit.hypercall.args[1]) };
    case ExitKind.SystemEvent:
      return { type: exit.systemEvent.type === SystemEventType.Reset ? 'reset' : 'shutdown' };
    case ExitKind.FailEntry:
      return { reason: hex(exit.failEntry.hardwareEntryFailureReason) };
    case ExitKind.InternalError:
      return { suberror: exit.internal.suberror, pc: hex(exit.internal.pc), reason: exit.internal.reason };
    default:
      return {};
  }
}

export function exitKindName(exit: VcpuExit): string {
  return EXIT_KIND_NAMES[exit.kind] ?? String(exit.kind);
}

/** "mmio gpa=0x9000000 size=1 dir=write data=0x48" */
export function describeExit(exit: VcpuExit): string {
  const fields = Object.entries(exitDetails(exit)).map(([k, v]) => (typeof v === 'string' && v.includes(' ') ? `${k}="${v}"` : `${k}=${v}`));
  return [exitKindName(exit), ...fields].join(' ');
}
