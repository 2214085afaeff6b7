/**
 * Tracing as text lines. Cores and devices get a sink only when the user asks
 * for a kind of event (`run --trace insn,exc,undef`); with tracing off they
 * keep their no-op probes, so it costs nothing.
 */
export const TRACE_KINDS = ['insn', 'exc', 'undef'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

export const TRACE_KIND_HELP: Readonly<Record<TraceKind, string>> = {
  insn: 'every executed instruction with its address, encoding and disassembly',
  exc: 'every exception taken (kind, where from, vector)',
  undef: 'every undefined instruction with its address and encoding',
};

export interface TraceOptions {
  readonly kinds: ReadonlySet<TraceKind>;
  /** Receives one line per event, without a newline. */
  readonly sink: (line: string) => void;
  /** "name+0x12" for an address, when the firmware has symbols. */
  readonly symbolize?: (address: number) => string | undefined;
}
