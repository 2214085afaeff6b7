import type { PhysicalBus } from '../../src/machine/PhysicalBus.ts';

const PAGE = 4096;

/**
 * DMA into and out of guest RAM for device models: only RAM counts (a
 * transfer touching ROM, MMIO or nothing fails as a whole), and writes over
 * pages holding decoded code tell the bus so cores drop that code.
 */
export class GuestMemory {
  constructor(private readonly bus: PhysicalBus) {}

  /** `length` bytes at `addr`, or null when any of them is not RAM. */
  read(addr: number, length: number): Uint8Array | null {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const a = addr + done;
      const r = this.bus.memoryAt(a);
      if (r === null || r.kind !== 'ram') return null;
      const n = Math.min(length - done, r.base + r.size - a);
      out.set(r.bytes.subarray(a - r.base, a - r.base + n), done);
      done += n;
    }
    return out;
  }

  /** Copy `data` to `addr`; false (and nothing written) when any byte is not RAM. */
  write(addr: number, data: Uint8Array): boolean {
    for (let done = 0; done < data.length;) {
      const r = this.bus.memoryAt(addr + done);
      if (r === null || r.kind !== 'ram') return false;
      done += Math.min(data.length - done, r.base + r.size - (addr + done));
    }
    for (let done = 0; done < data.length;) {
      const a = addr + done;
      const r = this.bus.memoryAt(a)!;
      const n = Math.min(data.length - done, r.base + r.size - a);
      r.bytes.set(data.subarray(done, done + n), a - r.base);
      for (let p = Math.floor((a - r.base) / PAGE); p * PAGE < a - r.base + n; p++) {
        if (r.codePages[p] !== 0) this.bus.codeWritten(r.base + p * PAGE);
      }
      done += n;
    }
    return true;
  }
}
