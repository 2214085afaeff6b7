/**
 * Trace hooks of the ARM core. The default probe does nothing, and every
 * hook is behind a flag the core reads only where it already takes a slow
 * path: `stepwise` selects the one-instruction-at-a-time loop (no JIT) at the
 * start of a slice, `traceData` sends data accesses to the slow path (as a
 * debugger's watchpoints do), `traceMmu` is read on TLB misses and when an
 * MCR to a CP15 register is first bound. So tracing costs nothing when off.
 * The members after the first four are optional (probes written before them
 * still type-check); each is called only when its flag is set.
 */
export interface ArmProbe {
  /** When true, `instruction` is called before every executed instruction. */
  readonly traceInstructions: boolean;
  /** Run the slice one instruction at a time, without the JIT (instruction, data and device traces need the exact pc). */
  readonly stepwise?: boolean;
  /** Every data access takes the slow path and is reported to `dataAccess`. */
  readonly traceData?: boolean;
  /** Table walks and writes of translation and TLB maintenance registers are reported. */
  readonly traceMmu?: boolean;
  instruction(pc: number, encoding: number, thumb: boolean): void;
  /** An encoding no handler implements (or that is UNDEFINED) was executed at `pc`. */
  undefinedInstruction(pc: number, encoding: number, thumb: boolean): void;
  /** An exception was taken: `kind` is its name ("undefined", "svc", "data-abort", …). */
  exception(kind: string, fromPc: number, vector: number): void;
  /** A data load or store that completed: virtual and physical address, size in bytes, value as on the bus. */
  dataAccess?(va: number, pa: number, size: number, value: number, write: boolean): void;
  /** A TLB miss walked the tables of a regime (`hyp`: the PL2 regime): the physical address found, or -1 on a fault. */
  tableWalk?(va: number, pa: number, level: number, hyp: boolean): void;
  /** A CP15 translation or TLB maintenance register was written (`high` is the upper word of a 64-bit one). */
  systemRegisterWrite?(name: string, low: number, high: number): void;
}

export const silentProbe: ArmProbe = {
  traceInstructions: false,
  stepwise: false,
  traceData: false,
  traceMmu: false,
  instruction() {},
  undefinedInstruction() {},
  exception() {},
  dataAccess() {},
  tableWalk() {},
  systemRegisterWrite() {},
};
