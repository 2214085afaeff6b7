/** Accesses one instruction may make to exit-handled MMIO (an ARM LDM of 16 registers needs 16). */
export const REPLAY_CAPACITY = 32;

/**
 * The MMIO accesses of the instruction a vCPU is re-executing after an MMIO
 * exit. A core abandons an instruction whose access exits (as for a data
 * abort) and runs it again after the VMM answered; the accesses it had
 * already made are then served from here, in order, so that each device
 * register is read or written exactly once even when one instruction makes
 * several accesses. Fixed-size typed arrays: no allocation per access.
 */
export class MmioReplayLog {
  readonly address = new Float64Array(REPLAY_CAPACITY);
  readonly size = new Uint8Array(REPLAY_CAPACITY);
  readonly isWrite = new Uint8Array(REPLAY_CAPACITY);
  readonly value = new Uint32Array(REPLAY_CAPACITY);
  /** Accesses recorded for the current instruction. */
  length = 0;
  /** Next entry to replay. */
  cursor = 0;
  /** The core's retired count when the last entry was recorded: a different count means the instruction completed. */
  retiredAt = -1;

  clear(): void {
    this.length = 0;
    this.cursor = 0;
    this.retiredAt = -1;
  }

  /** The instruction is about to run again: replay from the first access. */
  rewind(): void {
    this.cursor = 0;
  }

  get full(): boolean {
    return this.length === REPLAY_CAPACITY;
  }

  /** True when the access at the cursor is the same access (same address, size, direction, and value for writes). */
  matches(address: number, size: number, isWrite: boolean, value: number): boolean {
    const i = this.cursor;
    return (
      this.address[i] === address &&
      this.size[i] === size &&
      this.isWrite[i] === (isWrite ? 1 : 0) &&
      (!isWrite || this.value[i] === value)
    );
  }

  record(address: number, size: number, isWrite: boolean, value: number, retired: number): void {
    const i = this.length++;
    this.address[i] = address;
    this.size[i] = size;
    this.isWrite[i] = isWrite ? 1 : 0;
    this.value[i] = value;
    this.cursor = this.length;
    this.retiredAt = retired;
  }
}
