/**
 * The one narrow interface every memory-mapped device model implements.
 *
 * Offsets are relative to the start of the device's region. Values are the
 * numeric register value as the CPU sees it at that width (unsigned, < 2**32);
 * the bus owns byte order and splits accesses the device does not implement
 * natively (see `widths`), so a device never needs to know the board's
 * endianness. 64-bit CPU accesses reach devices as two 32-bit accesses.
 */
export type AccessWidth = 1 | 2 | 4;

export interface MmioDevice {
  /** Short instance name used in logs, e.g. "pl011@9000000". */
  readonly name: string;
  /**
   * Widths the model implements natively. The bus turns other accesses into
   * several narrower ones (or one wider read-modify-write is never done:
   * narrower accesses are split from wider, wider from narrower by merging).
   */
  readonly widths: readonly AccessWidth[];
  read(offset: number, width: AccessWidth): number;
  write(offset: number, width: AccessWidth, value: number): void;
  /** Return to power-on state. */
  reset(): void;
  /**
   * Optional: the byte of memory-like contents at `offset`, read without any
   * side effect (a flash bank's array, erased or not, whatever mode it is in).
   * Debuggers and the test API read devices that have it through `readBytes`.
   */
  peek?(offset: number): number;
}

/** Source of "which instruction is running" for device logs (set once cores exist). */
export interface PcProvider {
  /** Program counter of the instruction currently executing, or undefined outside a core. */
  currentPc(): number | undefined;
  /**
   * Index of the core whose access is being served (Cpu.index), for banked
   * per-core registers such as the GIC CPU interface. Optional: 0 when absent.
   */
  currentCpu?(): number;
}
