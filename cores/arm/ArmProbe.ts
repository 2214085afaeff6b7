/**
 * Trace hooks of the ARM core. The default probe does nothing and the run
 * loop only calls `instruction` when `traceInstructions` is true (it then
 * uses a separate, slower loop), so tracing costs nothing when off.
 */
export interface ArmProbe {
  /** When true, `instruction` is called before every executed instruction. */
  readonly traceInstructions: boolean;
  instruction(pc: number, encoding: number, thumb: boolean): void;
  /** An encoding no handler implements (or that is UNDEFINED) was executed at `pc`. */
  undefinedInstruction(pc: number, encoding: number, thumb: boolean): void;
  /** An exception was taken: `kind` is its name ("undefined", "svc", "data-abort", …). */
  exception(kind: string, fromPc: number, vector: number): void;
}

export const silentProbe: ArmProbe = {
  traceInstructions: false,
  instruction() {},
  undefinedInstruction() {},
  exception() {},
};
