/**
 * Tracing as text lines. Cores and devices get a sink only when the user asks
 * for a kind of event (`run --trace insn,mem,mmio,irq,exc,undef,exit,mmu`);
 * with tracing off they keep their no-op probes and unwrapped devices, so it
 * costs nothing.
 */
export const TRACE_KINDS = ['insn', 'mem', 'mmio', 'irq', 'exc', 'undef', 'exit', 'mmu'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

export const TRACE_KIND_HELP: Readonly<Record<TraceKind, string>> = {
  insn: 'every instruction: address <symbol>, encoding, disassembly',
  mem: 'every data load/store: size, virtual and physical address, value, pc',
  mmio: 'every device register access: device, offset, register, width, value, pc',
  irq: 'interrupt lines at the controller, interrupts taken, GIC ack/EOI (INTID)',
  exc: 'every exception taken (kind, from where, vector)',
  undef: 'every undefined instruction (address, encoding)',
  exit: 'every vCPU exit: VM/vCPU, kind, its fields, guest pc',
  mmu: 'table walks, TTBR/ASID/SCTLR writes, TLB maintenance, aborts (DFSR/DFAR…)',
};

export interface TraceOptions {
  readonly kinds: ReadonlySet<TraceKind>;
  /** Receives one line per event, without a newline. */
  readonly sink: (line: string) => void;
  /** "name+0x12" for an address, when the firmware has symbols. */
  readonly symbolize?: (address: number) => string | undefined;
  /** The name lines carry for this core (default: the core's own name; a vCPU's is "vm/vcpu0"). */
  readonly name?: string;
  /** Virtual time now, in ns (lines of kinds other than insn, exc and undef are stamped with it). */
  readonly now?: () => number;
  /** Told of every exception the core takes, whatever the kinds (a timeline marks interrupts with it). */
  readonly onException?: (kind: string, fromPc: number, vector: number) => void;
}

/** "t=1234567" (virtual ns, whole) — the stamp of trace lines. */
export function traceStamp(ns: number): string {
  return `t=${Math.round(ns)}`;
}
