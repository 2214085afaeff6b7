/**
 * The link between a UART model and whatever is on the other end of its
 * wire: the terminal (stdout/stdin), a test's expectation buffer, a file.
 */
export interface SerialBackend {
  /** The UART transmitted one byte. */
  transmit(byte: number): void;
}

/** Implemented by UART models so the console and tests can talk to them. */
export interface SerialDevice {
  /** Connect the transmit side. A UART with no backend drops what it sends. */
  attachBackend(backend: SerialBackend): void;
  /**
   * True when the receiver can take another byte now (FIFO not full, enabled).
   * Input waits in the console's queue until this is true: piped input is
   * never lost.
   */
  canReceive(): boolean;
  /** Deliver one received byte (only called when canReceive() is true). */
  receive(byte: number): void;
}

export function isSerialDevice(x: unknown): x is SerialDevice {
  const d = x as Partial<SerialDevice> | null;
  return (
    typeof d === 'object' && d !== null &&
    typeof d.attachBackend === 'function' &&
    typeof d.canReceive === 'function' &&
    typeof d.receive === 'function'
  );
}
